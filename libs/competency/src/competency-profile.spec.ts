import { buildProfile, EvidenceFact, heldLevel, heldLevelExpiry } from './competency-profile.js';

const now = new Date('2026-06-01T00:00:00Z');
const days = (n: number): Date => new Date(now.getTime() + n * 86_400_000);
const ev = (level: number, expiresAt: Date | null, awardedAt = days(-10)): EvidenceFact => ({
  frameworkKey: 'dacps',
  competencyCode: 'LIT.1',
  level,
  source: 'course',
  courseSlug: 'ai-fundamentals',
  note: null,
  awardedAt,
  expiresAt,
});

describe('competency profile', () => {
  it('holds the highest level with unexpired evidence', () => {
    expect(heldLevel([ev(1, null), ev(3, days(5)), ev(4, days(-1))], now)).toBe(3);
  });

  it('drops the level when the evidence expires, and holds nothing when all has expired', () => {
    expect(heldLevel([ev(2, days(-1)), ev(1, null)], now)).toBe(1);
    expect(heldLevel([ev(2, days(-1))], now)).toBeNull();
  });

  it('tells when the held level lapses (never, when a non-expiring piece holds it)', () => {
    expect(heldLevelExpiry([ev(2, days(10)), ev(2, days(30)), ev(1, null)], now)).toEqual(days(30));
    expect(heldLevelExpiry([ev(2, days(10)), ev(2, null)], now)).toBeNull();
  });

  it('groups evidence per competency, newest first, and marks expired pieces', () => {
    const [entry] = buildProfile([ev(1, null, days(-100)), ev(2, days(-1), days(-50))], () => ({ en: 'Understanding AI systems' }), now);
    expect(entry).toMatchObject({ code: 'LIT.1', level: 1, title: { en: 'Understanding AI systems' } });
    expect(entry.evidence.map((e) => [e.level, e.expired])).toEqual([
      [2, true],
      [1, false],
    ]);
  });
});
