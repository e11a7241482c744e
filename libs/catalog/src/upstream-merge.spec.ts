import { mergeLessons, type MergeLesson } from './upstream-merge.js';

const l = (slug: string, en: string, extra: Partial<MergeLesson> = {}): MergeLesson => ({ slug, title: { en: slug }, body: { en }, minutes: 10, ...extra });

describe('mergeLessons (three-way, per lesson and language)', () => {
  it('takes upstream changes to texts the adaptation left alone and keeps its own translations', () => {
    const base = [l('a', 'A1'), l('b', 'B1')];
    const ours = [l('a', 'A1', { body: { en: 'A1', 'sr-Latn': 'A1 prevod' } }), l('b', 'B1 local law')];
    const theirs = [l('a', 'A2'), l('b', 'B1')];
    const r = mergeLessons(base, ours, theirs);
    expect(r.lessons.map((x) => x.body)).toEqual([{ en: 'A2', 'sr-Latn': 'A1 prevod' }, { en: 'B1 local law' }]);
    expect(r.taken).toEqual(['a']);
    expect(r.conflicts).toEqual([]);
  });

  it('reports a conflict when both changed the same text, keeping the adaptation’s', () => {
    const r = mergeLessons([l('a', 'A1')], [l('a', 'ours')], [l('a', 'theirs')]);
    expect(r.lessons[0].body.en).toBe('ours');
    expect(r.conflicts).toEqual([{ slug: 'a', field: 'body', language: 'en' }]);
  });

  it('adds lessons new upstream after their predecessor, drops unchanged lessons removed upstream, keeps its own', () => {
    const base = [l('a', 'A'), l('b', 'B'), l('c', 'C')];
    const ours = [l('a', 'A'), l('own', 'O'), l('b', 'B'), l('c', 'C changed')];
    const theirs = [l('a', 'A'), l('new', 'N'), l('c', 'C')];
    const r = mergeLessons(base, ours, theirs);
    expect(r.lessons.map((x) => x.slug)).toEqual(['a', 'new', 'own', 'c']);
    expect(r.removed).toEqual(['b']);
    expect(r.taken).toEqual(['new']);
    expect(r.lessons.find((x) => x.slug === 'c')!.body.en).toBe('C changed');
  });

  it('reports a lesson removed upstream but changed in the adaptation', () => {
    const r = mergeLessons([l('a', 'A')], [l('a', 'A mine')], []);
    expect(r.lessons.map((x) => x.slug)).toEqual(['a']);
    expect(r.conflicts).toEqual([{ slug: 'a', field: 'removed upstream' }]);
  });
});
