import { CourseOffer, recommendCourses } from './gap-ranking.js';

const offer = (slug: string, code: string, level: number, estimatedMinutes: number): CourseOffer => ({ slug, title: { en: slug }, estimatedMinutes, frameworkKey: 'dacps', code, level });

describe('gap ranking', () => {
  const offers = [
    offer('short-basic', 'LIT.1', 1, 30),
    offer('long-good', 'LIT.1', 2, 200),
    offer('mid-good', 'LIT.1', 2, 100),
    offer('bundle', 'LIT.1', 2, 150),
    offer('bundle', 'DAT.3', 2, 150),
    offer('other-framework', 'LIT.1', 4, 10),
  ];
  offers[5].frameworkKey = 'other';

  it('recommends only courses that award the competency at or above the required level, in the same framework', () => {
    const [lit] = recommendCourses([{ frameworkKey: 'dacps', code: 'LIT.1', requiredLevel: 2, short: 1 }], offers);
    expect(lit.map((c) => c.slug)).not.toContain('short-basic');
    expect(lit.map((c) => c.slug)).not.toContain('other-framework');
    expect(lit.every((c) => c.awardsLevel >= 2)).toBe(true);
  });

  it('ranks by gaps closed across the analysis, then by length', () => {
    const [lit, dat] = recommendCourses(
      [
        { frameworkKey: 'dacps', code: 'LIT.1', requiredLevel: 2, short: 3 },
        { frameworkKey: 'dacps', code: 'DAT.3', requiredLevel: 1, short: 2 },
      ],
      offers,
    );
    expect(lit.map((c) => [c.slug, c.closesTotal])).toEqual([
      ['bundle', 5],
      ['mid-good', 3],
      ['long-good', 3],
    ]);
    expect(dat.map((c) => c.slug)).toEqual(['bundle']);
    expect(lit[0].closes).toBe(3);
  });

  it('recommends nothing for a requirement that is met', () => {
    const [met] = recommendCourses([{ frameworkKey: 'dacps', code: 'LIT.1', requiredLevel: 1, short: 0 }], offers);
    expect(met).toEqual([]);
  });
});
