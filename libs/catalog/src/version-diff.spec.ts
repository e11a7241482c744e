import { diffLines, diffVersions } from './version-diff.js';

describe('version diff', () => {
  it('diffs lines keeping the common ones', () => {
    expect(diffLines('a\nb\nc', 'a\nx\nc\nd')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'x' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'd' },
    ]);
    expect(diffLines('same', 'same')).toEqual([{ kind: 'same', text: 'same' }]);
  });

  it('reports languages, lessons and questions added or removed, and changed lesson text per language', () => {
    const lesson = (slug: string, en: string) => ({ slug, title: { en: slug }, body: { en } });
    const d = diffVersions(
      { version: 1, title: { en: 'T' }, languages: ['en'], lessons: [lesson('one', 'x'), lesson('gone', 'y')], quiz: { questions: [{ id: 'q1' }, { id: 'q2' }] } },
      { version: 2, title: { en: 'T' }, languages: ['en', 'sr-Latn'], lessons: [lesson('one', 'x2'), lesson('new', 'z')], quiz: { questions: [{ id: 'q1' }, { id: 'q3' }] } },
    );
    expect(d).toMatchObject({ from: 1, to: 2, languagesAdded: ['sr-Latn'], languagesRemoved: [], lessonsAdded: ['new'], lessonsRemoved: ['gone'], questionsAdded: ['q3'], questionsRemoved: ['q2'] });
    expect(d.lessonsChanged).toEqual([{ slug: 'one', language: 'en', lines: [{ kind: 'same', text: 'one' }, { kind: 'removed', text: 'x' }, { kind: 'added', text: 'x2' }] }]);
  });
});
