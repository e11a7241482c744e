import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_FILES } from './package.schemas.js';
import { contentHash, searchTextOf } from './package-digest.js';
import { loadFrameworks, validateCoursePackageJson, validateCoursesDir, validatePackageFiles } from './package-validator.js';
import { flattenCompetencies, PackageProblem } from './package.types.js';

const COURSES = join(process.cwd(), 'courses');

// A small package whose line numbers the tests below rely on.
const COURSE_YAML = `slug: demo-course
school: SPA
defaultLanguage: en
languages: [en, sr-Latn]
title:
  en: "Demo course"
  sr-Latn: "Probni kurs"
summary:
  en: "A short demo."
  sr-Latn: "Kratak primer."
audience: all-staff
level: foundation
estimatedMinutes: 30
framework: dacps
competencies:
  - { code: LIT.1, level: 2 }
lessons:
  - intro
  - practice
completion:
  quiz: { passMark: 70, attemptsAllowed: 3 }
`;
const QUIZ_YAML = `questions:
  - id: q1
    type: single
    text: { en: "Pick one", sr-Latn: "Izaberi jedan" }
    choices:
      - { id: a, text: { en: "Yes", sr-Latn: "Da" }, correct: true }
      - { id: b, text: { en: "No", sr-Latn: "Ne" } }
`;
const lesson = (title: string, minutes = 10): string => `---\ntitle: "${title}"\nminutes: ${minutes}\nrequired: true\n---\n## ${title}\n\nSome text.\n`;

let dir: string;

function write(path: string, text: string): void {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
}

function edit(path: string, from: string | RegExp, to: string): void {
  const text = readFileSync(join(dir, path), 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`fixture edit did not apply to ${path}`);
  writeFileSync(join(dir, path), next);
}

function problemsFor(file: string): PackageProblem[] {
  return validateCoursesDir(dir).problems.filter((p) => p.file === join(dir, file));
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lms-courses-'));
  mkdirSync(join(dir, 'frameworks'));
  copyFileSync(join(COURSES, 'frameworks', 'dacps.yaml'), join(dir, 'frameworks', 'dacps.yaml'));
  write('demo-course/course.yaml', COURSE_YAML);
  write('demo-course/quiz.yaml', QUIZ_YAML);
  write('demo-course/lessons/en/01-intro.md', lesson('Intro'));
  write('demo-course/lessons/en/02-practice.md', lesson('Practice', 20));
  write('demo-course/lessons/sr-Latn/01-intro.md', lesson('Uvod'));
  write('demo-course/lessons/sr-Latn/02-practice.md', lesson('Vežba', 20));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the curricula in courses/', () => {
  const report = validateCoursesDir(COURSES);

  it('validate without a single problem', () => {
    expect(report.problems).toEqual([]);
    expect(report.packages.length).toBe(report.packageCount);
  });

  it('meet the content requirements: 8+ courses, 4+ lessons, 8+ quiz questions, Serbian in both scripts', () => {
    expect(report.packages.length).toBeGreaterThanOrEqual(8);
    for (const p of report.packages) {
      expect([p.slug, p.lessons.length >= 4]).toEqual([p.slug, true]);
      expect([p.slug, (p.quiz?.questions.length ?? 0) >= 8]).toEqual([p.slug, true]);
      expect(p.framework).toBe('dacps');
    }
    expect(report.packages.filter((p) => p.languages.includes('sr-Latn')).length).toBeGreaterThanOrEqual(2);
    expect(report.packages.filter((p) => p.languages.includes('sr-Cyrl')).length).toBeGreaterThanOrEqual(1);
  });

  it('map to one framework with 3–5 domains and 4 levels', () => {
    expect(report.frameworks.map((f) => f.key)).toEqual(['dacps']);
    const fw = report.frameworks[0];
    expect(fw.levels.map((l) => l.level)).toEqual([1, 2, 3, 4]);
    expect(fw.competencies.length).toBeGreaterThanOrEqual(3);
    expect(fw.competencies.length).toBeLessThanOrEqual(5);
    expect(flattenCompetencies(fw).some((c) => c.crosswalk?.some((x) => x.framework === 'DigComp 2.2'))).toBe(true);
  });

  it('have JSON Schemas in courses/schema identical to the ones the validator uses', () => {
    for (const [name, schema] of Object.entries(SCHEMA_FILES)) {
      expect([name, JSON.parse(readFileSync(join(COURSES, 'schema', name), 'utf8'))]).toEqual([name, schema]);
    }
  });
});

describe('validateCoursesDir on broken packages', () => {
  it('accepts the fixture and builds the package', () => {
    const report = validateCoursesDir(dir);
    expect(report.problems).toEqual([]);
    const [pkg] = report.packages;
    expect(pkg.lessons.map((l) => [l.slug, l.position, l.minutes, l.title['sr-Latn']])).toEqual([
      ['intro', 1, 10, 'Uvod'],
      ['practice', 2, 20, 'Vežba'],
    ]);
    expect(pkg.quiz?.questions[0].choices.map((c) => c.correct)).toEqual([true, false]);
    expect(searchTextOf(pkg)).toContain('vezba');
  });

  it('gives the same content hash for the same content and a new one when a lesson changes', () => {
    const before = contentHash(validateCoursesDir(dir).packages[0]);
    expect(contentHash(validateCoursesDir(dir).packages[0])).toBe(before);
    edit('demo-course/lessons/sr-Latn/02-practice.md', 'Some text.', 'Other text.');
    expect(contentHash(validateCoursesDir(dir).packages[0])).not.toBe(before);
  });

  it('reports bad YAML with its line and column', () => {
    edit('demo-course/course.yaml', 'title:\n', 'title: [unclosed\n');
    const problems = problemsFor('demo-course/course.yaml');
    expect(problems[0]).toMatchObject({ line: 5, message: expect.stringMatching(/^YAML syntax/) });
  });

  it('reports an unknown competency code at its line, with a suggestion', () => {
    edit('demo-course/course.yaml', 'code: LIT.1', 'code: LIT.9');
    expect(problemsFor('demo-course/course.yaml')).toEqual([
      { file: join(dir, 'demo-course/course.yaml'), line: 16, column: 13, field: 'competencies[0].code', message: expect.stringContaining('"LIT.9" is not a competency of framework dacps') },
    ]);
  });

  it('reports a level outside the framework levels and a domain awarded instead of a competency', () => {
    edit('demo-course/course.yaml', '{ code: LIT.1, level: 2 }', '{ code: LIT, level: 5 }');
    const problems = problemsFor('demo-course/course.yaml');
    expect(problems.map((p) => [p.line, p.field])).toEqual([
      [16, 'competencies[0].code'],
      [16, 'competencies[0].level'],
    ]);
    expect(problems[0].message).toMatch(/is a domain/);
    expect(problems[1].message).toMatch(/1 \(awareness\).*4 \(expert\)/);
  });

  it('reports a slug used by two packages', () => {
    write('other-course/course.yaml', COURSE_YAML);
    write('other-course/lessons/en/01-intro.md', lesson('Intro'));
    write('other-course/lessons/en/02-practice.md', lesson('Practice', 20));
    write('other-course/lessons/sr-Latn/01-intro.md', lesson('Uvod'));
    write('other-course/lessons/sr-Latn/02-practice.md', lesson('Vežba', 20));
    edit('other-course/course.yaml', /\ncompletion:[\s\S]*$/, '\ncompletion: {}\n');
    const problems = problemsFor('other-course/course.yaml');
    expect(problems).toContainEqual(expect.objectContaining({ line: 1, column: 7, field: 'slug', message: expect.stringMatching(/already the slug of .*demo-course/) }));
    expect(problems).toContainEqual(expect.objectContaining({ line: 1, field: 'slug', message: expect.stringMatching(/folder is other-course/) }));
  });

  it('reports a missing language in a text map at the map', () => {
    edit('demo-course/course.yaml', '  sr-Latn: "Probni kurs"\n', '');
    expect(problemsFor('demo-course/course.yaml')).toEqual([
      expect.objectContaining({ line: 5, column: 1, field: 'title.sr-Latn', message: expect.stringMatching(/is missing/) }),
    ]);
  });

  it('reports a quiz question without a correct answer, and a single question with two', () => {
    edit('demo-course/quiz.yaml', ', correct: true }', ' }');
    expect(problemsFor('demo-course/quiz.yaml')).toEqual([
      { file: join(dir, 'demo-course/quiz.yaml'), line: 5, column: 5, field: 'questions[0].choices', message: expect.stringMatching(/no correct choice/) },
    ]);
    edit('demo-course/quiz.yaml', '"Da" } }', '"Da" }, correct: true }');
    edit('demo-course/quiz.yaml', '"Ne" } }', '"Ne" }, correct: true }');
    expect(problemsFor('demo-course/quiz.yaml')).toEqual([expect.objectContaining({ line: 3, field: 'questions[0].type', message: expect.stringMatching(/single but 2/) })]);
  });

  it('reports a lesson file that course.yaml lists but that is missing, at the list entry', () => {
    unlinkSync(join(dir, 'demo-course/lessons/sr-Latn/02-practice.md'));
    expect(problemsFor('demo-course/course.yaml')).toEqual([
      expect.objectContaining({ line: 19, column: 5, field: 'lessons[1]', message: 'lesson file lessons/sr-Latn/02-practice.md is missing' }),
    ]);
  });

  it('reports lesson files not listed, misnumbered, or disagreeing across languages', () => {
    write('demo-course/lessons/en/03-extra.md', lesson('Extra'));
    edit('demo-course/lessons/sr-Latn/02-practice.md', 'minutes: 20', 'minutes: 25');
    const problems = validateCoursesDir(dir).problems;
    expect(problems).toContainEqual(expect.objectContaining({ file: join(dir, 'demo-course/lessons/en/03-extra.md'), message: expect.stringMatching(/not listed/) }));
    expect(problems).toContainEqual(
      expect.objectContaining({ file: join(dir, 'demo-course/lessons/sr-Latn/02-practice.md'), line: 3, field: 'minutes', message: expect.stringMatching(/25 here but 20 in en/) }),
    );
  });

  it('reports schema problems with field paths and positions, unknown fields with a suggestion', () => {
    edit('demo-course/course.yaml', 'estimatedMinutes: 30', 'estimatedMinuts: 30');
    edit('demo-course/course.yaml', 'audience: all-staff', 'audience: everyone');
    const problems = problemsFor('demo-course/course.yaml');
    expect(problems).toContainEqual(expect.objectContaining({ line: 11, column: 11, field: 'audience', message: 'must be one of: all-staff, managers, specialists' }));
    expect(problems).toContainEqual(expect.objectContaining({ line: 13, column: 1, field: 'estimatedMinuts', message: expect.stringMatching(/did you mean estimatedMinutes/) }));
    expect(problems).toContainEqual(expect.objectContaining({ line: 1, field: 'estimatedMinutes', message: 'is required' }));
  });

  it('reports every problem of every file in one run', () => {
    edit('demo-course/course.yaml', 'code: LIT.1', 'code: LIT.9');
    edit('demo-course/course.yaml', '  sr-Latn: "Probni kurs"\n', '');
    edit('demo-course/quiz.yaml', ', correct: true }', ' }');
    unlinkSync(join(dir, 'demo-course/lessons/sr-Latn/02-practice.md'));
    write('broken/course.yaml', 'slug: broken\ntitle: [\n');
    const report = validateCoursesDir(dir);
    expect(report.packages).toEqual([]);
    expect(report.problems.map((p) => `${p.file?.slice(dir.length + 1)}:${p.line} ${p.field}`)).toEqual([
      'broken/course.yaml:3 ', // the unclosed [ is noticed at the end of the file
      'demo-course/course.yaml:5 title.sr-Latn',
      'demo-course/course.yaml:15 competencies[0].code',
      'demo-course/course.yaml:18 lessons[1]',
      'demo-course/quiz.yaml:5 questions[0].choices',
    ]);
  });
});

describe('validateCoursePackageJson (the authoring API)', () => {
  const frameworks = validateCoursesDir(COURSES).frameworks;
  const valid = {
    course: {
      slug: 'json-course',
      school: 'SPA',
      defaultLanguage: 'en',
      languages: ['en', 'sr-Cyrl'],
      title: { en: 'JSON course', 'sr-Cyrl': 'ЈСОН курс' },
      summary: { en: 'Sent as JSON.', 'sr-Cyrl': 'Послат као ЈСОН.' },
      audience: 'specialists',
      level: 'advanced',
      estimatedMinutes: 15,
      framework: 'dacps',
      competencies: [{ code: 'RSP.3', level: 3 }],
      completion: { quiz: { passMark: 80, attemptsAllowed: 2 } },
    },
    lessons: [{ slug: 'only', title: { en: 'Only', 'sr-Cyrl': 'Једина' }, minutes: 15, body: { en: '# Hi', 'sr-Cyrl': '# Здраво' } }],
    quiz: { questions: [{ id: 'q1', type: 'multiple', text: { en: 'Q', 'sr-Cyrl': 'П' }, choices: [{ id: 'a', text: { en: 'A', 'sr-Cyrl': 'А' }, correct: true }, { id: 'b', text: { en: 'B', 'sr-Cyrl': 'Б' } }] }] },
  };

  it('accepts a valid package and builds the same shape as the files', () => {
    const { package: pkg, problems } = validateCoursePackageJson(valid, frameworks);
    expect(problems).toEqual([]);
    expect(pkg).toMatchObject({ slug: 'json-course', lessons: [{ slug: 'only', position: 1, required: true }], certificateValidityMonths: null });
  });

  it('names every problem by field path in the JSON body', () => {
    const bad = structuredClone(valid);
    delete (bad.course.title as Record<string, string>)['sr-Cyrl'];
    bad.course.competencies[0].code = 'NOPE.1';
    Object.assign(bad.course, { extra: true });
    bad.lessons.push({ slug: 'only', title: { en: 'Again' } as typeof valid.lessons[0]['title'], minutes: 0, body: { en: 'x' } as typeof valid.lessons[0]['body'] });
    Object.assign(bad.quiz.questions[0].choices[0], { correct: false });
    const { package: pkg, problems } = validateCoursePackageJson(bad, frameworks);
    expect(pkg).toBeUndefined();
    expect(problems.every((p) => p.file === undefined && p.line === undefined)).toBe(true);
    expect(problems.map((p) => p.field).sort()).toEqual(
      [
        'course.competencies[0].code',
        'course.extra',
        'course.title.sr-Cyrl',
        'lessons[1].body.sr-Cyrl',
        'lessons[1].minutes',
        'lessons[1].slug',
        'lessons[1].title.sr-Cyrl',
        'quiz.questions[0].choices',
      ].sort(),
    );
  });

  it('rejects what is not a package at all', () => {
    expect(validateCoursePackageJson('nope', frameworks).problems).toEqual([{ field: '', message: 'must be a map of fields' }]);
    expect(validateCoursePackageJson({}, frameworks).problems.map((p) => p.field)).toEqual(['course', 'lessons']);
  });
});

describe('validatePackageFiles (an uploaded zip of one course folder)', () => {
  const frameworks = () => loadFrameworks(COURSES);
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  const files = (prefix: string, edits: Record<string, string> = {}): Map<string, Uint8Array> => {
    const all: Record<string, string> = {
      'course.yaml': COURSE_YAML,
      'quiz.yaml': QUIZ_YAML,
      'lessons/en/01-intro.md': lesson('Intro'),
      'lessons/en/02-practice.md': lesson('Practice'),
      'lessons/sr-Latn/01-intro.md': lesson('Uvod'),
      'lessons/sr-Latn/02-practice.md': lesson('Vežba'),
      ...edits,
    };
    return new Map(Object.entries(all).map(([p, t]) => [`${prefix}${p}`, enc(t)]));
  };

  it('accepts courses/<slug>/ and <slug>/ and builds the same package as the folder', () => {
    const a = validatePackageFiles(files('courses/demo-course/'), frameworks());
    expect(a.problems).toEqual([]);
    expect(a.package?.slug).toBe('demo-course');
    expect(a.package?.lessons.map((l) => l.title.en)).toEqual(['Intro', 'Practice']);
    const b = validatePackageFiles(files('demo-course/'), frameworks());
    expect(b.problems).toEqual([]);
    expect(contentHash(b.package!)).toBe(contentHash(a.package!));
  });

  it('names the zip path, line and field of YAML and front-matter problems', () => {
    const broken = files('courses/demo-course/', {
      'course.yaml': COURSE_YAML.replace('level: foundation', 'level: expert'),
      'lessons/sr-Latn/02-practice.md': '---\ntitle: "Vežba"\nminutes: ten\nrequired: true\n---\nTekst.\n',
    });
    const { package: pkg, problems } = validatePackageFiles(broken, frameworks());
    expect(pkg).toBeUndefined();
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'courses/demo-course/course.yaml', line: 12, column: 8, field: 'level' }),
        expect.objectContaining({ file: 'courses/demo-course/lessons/sr-Latn/02-practice.md', line: 3, column: 10, field: 'minutes' }),
      ]),
    );
  });

  it('refuses more than one folder, loose files, text that is not UTF-8 and control characters', () => {
    const two = new Map([...files('a/'), ...files('b/')]);
    expect(validatePackageFiles(two, frameworks()).problems[0]).toMatchObject({ file: '(zip)' });
    expect(validatePackageFiles(new Map(), frameworks()).problems[0].message).toMatch(/empty/);
    const bad = files('demo-course/');
    bad.set('demo-course/quiz.yaml', new Uint8Array([0xff, 0xfe, 0x41]));
    bad.set('demo-course/lessons/en/01-intro.md', enc('---\ntitle: x\n---\nA\u0000B'));
    expect(validatePackageFiles(bad, frameworks()).problems).toEqual([
      expect.objectContaining({ file: 'demo-course/lessons/en/01-intro.md', line: 4, column: 2 }),
      expect.objectContaining({ file: 'demo-course/quiz.yaml', message: expect.stringMatching(/UTF-8/) }),
    ]);
    const hidden = files('demo-course/');
    hidden.set('__MACOSX/demo-course/._course.yaml', new Uint8Array([0xff]));
    hidden.set('demo-course/.DS_Store', new Uint8Array([0xff]));
    expect(validatePackageFiles(hidden, frameworks()).problems).toEqual([]);
  });
});
