import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { glossaryWarnings, loadGlossary, renderingPattern } from './glossary.js';
import type { CoursePackage } from './package.types.js';
import { ProblemList } from './problem-list.js';

function aPackage(body: Record<string, string>): CoursePackage {
  const langs = Object.keys(body);
  const map = (text: string): Record<string, string> => Object.fromEntries(langs.map((l) => [l, text]));
  return {
    slug: 'demo',
    school: 'SPA',
    defaultLanguage: 'en',
    languages: langs,
    title: map('Demo'),
    summary: map('Demo'),
    audience: 'all-staff',
    level: 'foundation',
    estimatedMinutes: 10,
    framework: 'dacps',
    competencies: [],
    alignedWith: [],
    completion: {},
    certificateValidityMonths: null,
    lessons: [{ slug: 'intro', position: 1, title: map('Intro'), minutes: 5, required: true, body }],
    quiz: null,
  };
}

describe('glossary', () => {
  it('matches inflected renderings by stem, in order', () => {
    const ai = renderingPattern('veštačka inteligencija');
    expect(ai.test('sistemi veštačke inteligencije su')).toBe(true);
    expect(ai.test('o veštačkoj inteligenciji')).toBe(true);
    expect(ai.test('inteligencija veštačka')).toBe(false);
    expect(renderingPattern('вештачка интелигенција').test('Основи на вештачката интелигенција')).toBe(true);
  });

  it('warns (file, field, term, rendering) when a translation does not use the rendering', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lms-glossary-'));
    try {
      writeFileSync(
        join(dir, 'glossary.yaml'),
        'terms:\n  - en: machine learning\n    sr-Latn: "mašinsko učenje"\n    mk: "машинско учење"\n  - en: human oversight\n    sr-Latn: "ljudski nadzor"\n',
      );
      const problems = new ProblemList();
      const terms = loadGlossary(dir, problems);
      expect(problems.items).toEqual([]);
      expect(terms[0].renderings['sr-Cyrl']).toBe('машинско учење');
      const good = aPackage({ en: 'Machine learning needs human oversight.', 'sr-Latn': 'Mašinskom učenju treba ljudski nadzor.', mk: 'На машинското учење му треба надзор.' });
      expect(glossaryWarnings(good, terms, 'courses/demo')).toEqual([]);
      const bad = aPackage({ en: 'Machine learning needs care.', 'sr-Latn': 'Automatsko učenje traži pažnju.' });
      expect(glossaryWarnings(bad, terms, 'courses/demo')).toEqual([
        {
          file: join('courses/demo', 'lessons', 'sr-Latn', '01-intro.md'),
          field: '',
          message: 'the English text uses "machine learning"; the glossary renders it in sr-Latn as "mašinsko učenje" (courses/glossary.yaml)',
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports malformed entries as problems', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lms-glossary-'));
    try {
      writeFileSync(join(dir, 'glossary.yaml'), 'terms:\n  - sr-Latn: "bez engleskog"\n  - en: x\n    SR_latn: y\n');
      const problems = new ProblemList();
      expect(loadGlossary(dir, problems)).toEqual([]);
      expect(problems.items.map((p) => `${p.line}:${p.field}: ${p.message}`)).toEqual([
        '2:terms[0].en: is required: the English term',
        '4:terms[1].SR_latn: "SR_latn" is not a canonical BCP 47 language tag',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
