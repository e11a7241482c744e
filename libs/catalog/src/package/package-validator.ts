import { canonicalLocale } from '@lms/i18n';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LangMap, QuizQuestion } from '../course-version.entity.js';
import { CoursePackage, FrameworkDefinition, flattenCompetencies, PackageLesson, PackageProblem } from './package.types.js';
import { ProblemList, sortProblems } from './problem-list.js';
import { schemaCheck } from './schema-check.js';
import { planSerbianScripts } from './serbian-scripts.js';
import { glossaryWarnings, loadGlossary } from './glossary.js';
import { PathSegment, SourceDoc } from './yaml-source.js';

/*
 * The validator of curricula as code. It reads a courses folder (or a package sent as JSON to the
 * authoring API), checks every file against its JSON Schema and then across files, and reports
 * EVERY problem at once with its file, line, column and field path.
 */

export interface ValidationReport {
  /** The folder that was validated, as given. */
  dir: string;
  /** Every problem, sorted by file and line. Empty when the folder is valid. */
  problems: PackageProblem[];
  /** The packages without problems (all of them when `problems` is empty). */
  packages: CoursePackage[];
  /** The frameworks that pass their schema (all of them when `problems` is empty). */
  frameworks: FrameworkDefinition[];
  packageCount: number;
  frameworkCount: number;
  /** Advice that does not fail validation: glossary renderings not found in a translation. */
  warnings: PackageProblem[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null);
const pad = (n: number): string => String(n).padStart(2, '0');

const LESSON_FILE = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;
const PACKAGE_FILES = new Set(['course.yaml', 'quiz.yaml', 'lessons', 'README.md']);
const RESERVED_FOLDERS = new Set(['frameworks', 'schema']);

/**
 * The few file-system reads the package checks make, so the same checks run on a folder on disk
 * (CLI, import) and on the files of an uploaded zip held in memory (nothing written before it passes).
 */
export interface PackageFiles {
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  /** Names in a folder (not paths), in any order. */
  list(path: string): string[];
  /** UTF-8 text of a file. */
  read(path: string): string;
}

const diskFiles: PackageFiles = {
  exists: existsSync,
  isDirectory: (p) => statSync(p).isDirectory(),
  list: (p) => readdirSync(p),
  read: (p) => readFileSync(p, 'utf8'),
};

/** Files held in memory (path → text, forward slashes); folders are implied by the paths. */
export function memoryFiles(files: ReadonlyMap<string, string>): PackageFiles {
  const dirs = new Map<string, Set<string>>();
  for (const path of files.keys()) {
    const parts = path.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const parent = parts.slice(0, i - 1).join('/');
      const set = dirs.get(parent) ?? new Set<string>();
      set.add(parts[i - 1]);
      dirs.set(parent, set);
    }
  }
  return {
    exists: (p) => files.has(p) || dirs.has(p),
    isDirectory: (p) => dirs.has(p),
    list: (p) => [...(dirs.get(p) ?? [])],
    read: (p) => {
      const text = files.get(p);
      if (text === undefined) throw new Error(`${p} is not in the package`);
      return text;
    },
  };
}

function readText(path: string, fs: PackageFiles = diskFiles): string {
  return fs.read(path).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

function parseYamlFile(file: string, path: string, problems: ProblemList, lineOffset = 0, text = readText(path)): SourceDoc {
  const { source, syntaxErrors } = SourceDoc.yaml(file, text, lineOffset);
  for (const e of syntaxErrors) problems.file(file, `YAML syntax: ${e.message}`, { line: e.line, column: e.column });
  return source;
}

// ---------------------------------------------------------------------------------------------
// Checks shared by files and JSON
// ---------------------------------------------------------------------------------------------

/** Every language of the package present in a text map, and no other. */
function checkLangMap(problems: ProblemList, src: SourceDoc, path: PathSegment[], value: unknown, languages: string[], whose: string): void {
  if (!isObj(value) || languages.length === 0) return;
  for (const lang of languages) {
    if (!(lang in value)) problems.add(src, [...path, lang], `is missing: ${whose} is in ${languages.join(', ')}, so every text needs each of them`, { locate: path });
  }
  for (const key of Object.keys(value)) {
    if (!languages.includes(key)) problems.add(src, [...path, key], `"${key}" is not a language of ${whose} (${languages.join(', ')})`, { key: true });
  }
}

function checkCourse(
  problems: ProblemList,
  src: SourceDoc,
  frameworks: Map<string, FrameworkDefinition>,
  quiz: { present: boolean; name: string },
): string[] {
  const c = isObj(src.value) ? src.value : {};
  const languages = strings(c.languages) ?? [];
  languages.forEach((tag, i) => {
    const canonical = canonicalLocale(tag);
    if (canonical === null) problems.add(src, ['languages', i], `"${tag}" is not a valid BCP 47 language tag`);
    else if (canonical !== tag) problems.add(src, ['languages', i], `"${tag}" is not in canonical form: write "${canonical}"`);
  });
  if (typeof c.defaultLanguage === 'string' && languages.length && !languages.includes(c.defaultLanguage)) {
    problems.add(src, ['defaultLanguage'], `"${c.defaultLanguage}" is not one of languages (${languages.join(', ')})`);
  }
  checkLangMap(problems, src, ['title'], c.title, languages, 'the course');
  checkLangMap(problems, src, ['summary'], c.summary, languages, 'the course');

  if (typeof c.framework === 'string') {
    const fw = frameworks.get(c.framework);
    if (!fw) {
      const known = [...frameworks.keys()];
      problems.add(src, ['framework'], `no framework "${c.framework}" in frameworks/${known.length ? ` (known: ${known.join(', ')})` : ''}`);
    } else if (Array.isArray(c.competencies)) {
      const all = new Map(flattenCompetencies(fw).map((x) => [x.code, x]));
      const levels = fw.levels.map((l) => l.level);
      const seen = new Map<string, number>();
      c.competencies.forEach((item: unknown, i: number) => {
        if (!isObj(item)) return;
        if (typeof item.code === 'string') {
          const comp = all.get(item.code);
          if (!comp) {
            const near = [...all.keys()].filter((k) => k.toLowerCase() === item.code!.toString().toLowerCase() || k.startsWith(`${String(item.code).split('.')[0]}.`));
            problems.add(src, ['competencies', i, 'code'], `"${item.code}" is not a competency of framework ${fw.key}${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`);
          } else if (comp.children?.length) {
            problems.add(src, ['competencies', i, 'code'], `"${item.code}" is a domain of ${fw.key}; award one of its competencies (${comp.children.map((x) => x.code).join(', ')})`);
          }
          if (seen.has(item.code)) problems.add(src, ['competencies', i, 'code'], `"${item.code}" is already awarded by item ${seen.get(item.code)! + 1}`);
          seen.set(item.code, i);
        }
        if (typeof item.level === 'number' && Number.isInteger(item.level) && !levels.includes(item.level)) {
          problems.add(
            src,
            ['competencies', i, 'level'],
            `must be one of the levels of ${fw.key}: ${fw.levels.map((l) => `${l.level} (${l.code})`).join(', ')}`,
          );
        }
      });
    }
  }

  const rule = isObj(c.completion) ? c.completion.quiz : undefined;
  if (quiz.present && rule === undefined && isObj(c.completion)) {
    problems.add(src, ['completion', 'quiz'], `is required because the package has ${quiz.name}: quiz: { passMark, attemptsAllowed }`, { locate: ['completion'] });
  }
  if (!quiz.present && rule !== undefined) {
    problems.add(src, ['completion', 'quiz'], `is set but the package has no ${quiz.name}`);
  }
  return languages;
}

function checkQuiz(problems: ProblemList, src: SourceDoc, languages: string[]): void {
  const q = isObj(src.value) ? src.value : {};
  if (!Array.isArray(q.questions)) return;
  const ids = new Map<string, number>();
  q.questions.forEach((question: unknown, i: number) => {
    if (!isObj(question)) return;
    const at = (...rest: PathSegment[]): PathSegment[] => ['questions', i, ...rest];
    if (typeof question.id === 'string') {
      if (ids.has(question.id)) problems.add(src, at('id'), `"${question.id}" is also the id of question ${ids.get(question.id)! + 1}: question ids must be unique`);
      else ids.set(question.id, i);
    }
    checkLangMap(problems, src, at('text'), question.text, languages, 'the course');
    if (question.explanation !== undefined) checkLangMap(problems, src, at('explanation'), question.explanation, languages, 'the course');
    if (!Array.isArray(question.choices)) return;
    const choiceIds = new Map<string, number>();
    let correct = 0;
    question.choices.forEach((choice: unknown, j: number) => {
      if (!isObj(choice)) return;
      if (typeof choice.id === 'string') {
        if (choiceIds.has(choice.id)) problems.add(src, at('choices', j, 'id'), `"${choice.id}" is also the id of choice ${choiceIds.get(choice.id)! + 1}: choice ids must be unique in a question`);
        else choiceIds.set(choice.id, j);
      }
      if (choice.correct === true) correct++;
      checkLangMap(problems, src, at('choices', j, 'text'), choice.text, languages, 'the course');
    });
    if (correct === 0) {
      problems.add(src, at('choices'), 'has no correct choice: mark at least one with correct: true');
    } else if (question.type === 'single' && correct !== 1) {
      problems.add(src, at('type'), `is single but ${correct} choices are marked correct: mark exactly one, or make the question multiple`);
    }
  });
}

function normaliseQuiz(value: unknown): { questions: QuizQuestion[] } | null {
  if (!isObj(value) || !Array.isArray(value.questions)) return null;
  return {
    questions: (value.questions as Obj[]).map((q) => ({
      id: q.id as string,
      type: q.type as 'single' | 'multiple',
      text: q.text as LangMap,
      choices: (q.choices as Obj[]).map((c) => ({ id: c.id as string, text: c.text as LangMap, correct: c.correct === true })),
      ...(q.explanation ? { explanation: q.explanation as LangMap } : {}),
    })),
  };
}

function buildPackage(c: Obj, lessons: PackageLesson[], quiz: unknown): CoursePackage {
  const rule = isObj(c.completion) && isObj(c.completion.quiz) ? c.completion.quiz : undefined;
  return {
    slug: c.slug as string,
    school: c.school as string,
    defaultLanguage: c.defaultLanguage as string,
    languages: c.languages as string[],
    title: c.title as LangMap,
    summary: c.summary as LangMap,
    audience: c.audience as CoursePackage['audience'],
    level: c.level as CoursePackage['level'],
    estimatedMinutes: c.estimatedMinutes as number,
    framework: c.framework as string,
    competencies: (c.competencies as Obj[]).map((x) => ({ code: x.code as string, level: x.level as number })),
    alignedWith: (c.alignedWith as string[] | undefined) ?? [],
    completion: rule ? { quiz: { passMark: rule.passMark as number, attemptsAllowed: rule.attemptsAllowed as number } } : {},
    certificateValidityMonths: isObj(c.certificate) && typeof c.certificate.validityMonths === 'number' ? c.certificate.validityMonths : null,
    lessons,
    quiz: normaliseQuiz(quiz),
  };
}

/** NUL and other C0 control characters (except tab and newlines) have no place in a course, and PostgreSQL refuses NUL. */
function checkNoControlCharacters(problems: ProblemList, src: SourceDoc, value: unknown, path: PathSegment[], depth = 0): void {
  if (depth > 12 || problems.count > 200) return;
  if (typeof value === 'string') {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(value)) problems.add(src, path, 'contains a control character (such as NUL): remove it');
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkNoControlCharacters(problems, src, v, [...path, i], depth + 1));
  } else if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) checkNoControlCharacters(problems, src, v, [...path, k], depth + 1);
  }
}

// ---------------------------------------------------------------------------------------------
// Frameworks
// ---------------------------------------------------------------------------------------------

function checkFramework(problems: ProblemList, src: SourceDoc, fileKey: string): void {
  const f = isObj(src.value) ? src.value : {};
  if (typeof f.key === 'string' && f.key !== fileKey) problems.add(src, ['key'], `is "${f.key}" but the file is ${fileKey}.yaml: they must be equal`);
  // The languages of a framework are those of its title.
  const languages = isObj(f.title) ? Object.keys(f.title) : [];
  if (f.description !== undefined) checkLangMap(problems, src, ['description'], f.description, languages, 'the framework');
  if (Array.isArray(f.levels)) {
    const codes = new Set<string>();
    f.levels.forEach((l: unknown, i: number) => {
      if (!isObj(l)) return;
      if (typeof l.level === 'number' && l.level !== i + 1) problems.add(src, ['levels', i, 'level'], `must be ${i + 1}: levels are numbered 1, 2, 3… from the lowest, in order`);
      if (typeof l.code === 'string') {
        if (codes.has(l.code)) problems.add(src, ['levels', i, 'code'], `"${l.code}" is used by another level`);
        codes.add(l.code);
      }
      checkLangMap(problems, src, ['levels', i, 'title'], l.title, languages, 'the framework');
      if (l.description !== undefined) checkLangMap(problems, src, ['levels', i, 'description'], l.description, languages, 'the framework');
    });
  }
  const codes = new Map<string, string>();
  const walk = (items: unknown, path: PathSegment[]): void => {
    if (!Array.isArray(items)) return;
    items.forEach((c: unknown, i: number) => {
      if (!isObj(c)) return;
      const at = [...path, i];
      if (typeof c.code === 'string') {
        if (codes.has(c.code)) problems.add(src, [...at, 'code'], `"${c.code}" is also the code at ${codes.get(c.code)}: codes must be unique in a framework`);
        else codes.set(c.code, src.field(at));
      }
      checkLangMap(problems, src, [...at, 'title'], c.title, languages, 'the framework');
      if (c.description !== undefined) checkLangMap(problems, src, [...at, 'description'], c.description, languages, 'the framework');
      walk(c.children, [...at, 'children']);
    });
  };
  walk(f.competencies, ['competencies']);
}

/** Reads and checks `<dir>/frameworks/*.yaml`; returns the frameworks that pass their schema. */
export function loadFrameworks(dir: string, problems: ProblemList = new ProblemList()): FrameworkDefinition[] {
  const fwDir = join(dir, 'frameworks');
  if (!existsSync(fwDir) || !statSync(fwDir).isDirectory()) {
    problems.file(fwDir, 'folder is missing: courses name their competencies from a framework in frameworks/<key>.yaml');
    return [];
  }
  const out: FrameworkDefinition[] = [];
  const keys = new Map<string, string>();
  for (const name of readdirSync(fwDir).sort()) {
    const file = join(fwDir, name);
    if (name.startsWith('.')) continue;
    if (!/\.ya?ml$/.test(name)) {
      problems.file(file, 'unexpected file: frameworks/ holds <key>.yaml files');
      continue;
    }
    const src = parseYamlFile(file, file, problems);
    if (src.value === undefined) continue;
    // A framework that passes its schema is still used to check course codes, even with other
    // problems, so one slip in it does not bury every course under "unknown framework".
    const usable = schemaCheck('framework', src, problems);
    checkFramework(problems, src, name.replace(/\.ya?ml$/, ''));
    const key = isObj(src.value) ? src.value.key : undefined;
    if (typeof key === 'string') {
      if (keys.has(key)) problems.add(src, ['key'], `"${key}" is also the key of ${keys.get(key)}`);
      keys.set(key, file);
    }
    if (usable) out.push(src.value as FrameworkDefinition);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Course packages in a folder
// ---------------------------------------------------------------------------------------------

interface LessonFile {
  file: string;
  position: number;
  slug: string;
  front?: SourceDoc;
  body: string;
  bodyLine: number;
}

function readLessonFile(fs: PackageFiles, file: string, path: string, position: number, slug: string, problems: ProblemList): LessonFile {
  const text = readText(path, fs);
  const m = /^---[ \t]*\n(?:([\s\S]*?)\n)?---[ \t]*(?:\n|$)/.exec(text);
  if (!m) {
    problems.file(file, 'has no front matter: start the file with ---, then title, minutes and required, then ---', { line: 1 });
    return { file, position, slug, body: text, bodyLine: 1 };
  }
  const front = parseYamlFile(file, path, problems, 1, m[1] ?? '');
  if (front.value !== undefined) schemaCheck('lesson', front, problems, front.value ?? {});
  const frontLines = m[0].split('\n').length - (m[0].endsWith('\n') ? 1 : 0);
  const body = text.slice(m[0].length);
  const leading = /^\s*/.exec(body)![0].split('\n').length - 1;
  return { file, position, slug, front, body: body.trim(), bodyLine: frontLines + 1 + leading };
}

function readLessons(fs: PackageFiles, pkgDir: string, course: SourceDoc, languages: string[], defaultLanguage: string, problems: ProblemList): PackageLesson[] {
  const c = isObj(course.value) ? course.value : {};
  const listing = strings(c.lessons);
  const listed = listing ?? [];
  const lessonsDir = join(pkgDir, 'lessons');
  if (!fs.exists(lessonsDir) || !fs.isDirectory(lessonsDir)) {
    problems.file(lessonsDir, 'folder is missing: each lesson is lessons/<lang>/NN-<lesson-slug>.md');
    return [];
  }
  for (const name of fs.list(lessonsDir).sort()) {
    if (name.startsWith('.')) continue;
    const p = join(lessonsDir, name);
    if (!fs.isDirectory(p)) problems.file(p, 'unexpected file: lessons/ holds one folder per language');
    else if (!languages.includes(name)) problems.file(p, `"${name}" is not a language of the course (${languages.join(', ')})`);
  }
  const byLang = new Map<string, Map<string, LessonFile>>();
  languages.forEach((lang, li) => {
    const langDir = join(lessonsDir, lang);
    const files = new Map<string, LessonFile>();
    byLang.set(lang, files);
    if (!fs.exists(langDir)) {
      problems.add(course, ['languages', li], `lists ${lang} but the folder lessons/${lang}/ is missing`);
      return;
    }
    for (const name of fs.list(langDir).sort()) {
      if (name.startsWith('.')) continue;
      const file = join(langDir, name);
      const m = LESSON_FILE.exec(name);
      if (!m) {
        problems.file(file, 'file name must be NN-<lesson-slug>.md (two digits, then lower-case letters, digits and hyphens)');
        continue;
      }
      const lesson = readLessonFile(fs, file, file, Number(m[1]), m[2], problems);
      if (files.has(m[2])) problems.file(file, `lesson "${m[2]}" has two files in lessons/${lang}/ (also ${files.get(m[2])!.file})`);
      else files.set(m[2], lesson);
    }
  });

  const lessons: PackageLesson[] = [];
  listed.forEach((slug, i) => {
    const expected = `${pad(i + 1)}-${slug}.md`;
    const lesson: PackageLesson = { slug, position: i + 1, title: {}, minutes: 0, required: true, body: {} };
    let reference: { lang: string; minutes: unknown; required: unknown } | undefined;
    const ordered = [defaultLanguage, ...languages.filter((l) => l !== defaultLanguage)].filter((l) => languages.includes(l));
    for (const lang of ordered) {
      const f = byLang.get(lang)?.get(slug);
      if (!f) {
        if (fs.exists(join(lessonsDir, lang))) problems.add(course, ['lessons', i], `lesson file lessons/${lang}/${expected} is missing`);
        continue;
      }
      if (f.position !== i + 1) problems.file(f.file, `should be named ${expected}: "${slug}" is lesson ${i + 1} in course.yaml lessons`, { line: 1 });
      const fm = f.front && isObj(f.front.value) ? f.front.value : {};
      const minutes = fm.minutes;
      const required = fm.required ?? true;
      if (!reference) reference = { lang, minutes, required };
      else if (f.front) {
        if (minutes !== reference.minutes && typeof minutes === 'number') {
          problems.add(f.front, ['minutes'], `is ${String(minutes)} here but ${String(reference.minutes)} in ${reference.lang}: a lesson has the same length in every language`);
        }
        if (required !== reference.required) {
          problems.add(f.front, ['required'], `is ${String(required)} here but ${String(reference.required)} in ${reference.lang}: every language must agree`, {
            locate: fm.required === undefined ? [] : ['required'],
          });
        }
      }
      if (!f.body) problems.file(f.file, 'has no lesson text after the front matter', { line: f.bodyLine, field: 'body' });
      lesson.title[lang] = typeof fm.title === 'string' ? fm.title : '';
      lesson.body[lang] = f.body;
      lesson.minutes = typeof reference.minutes === 'number' ? reference.minutes : 0;
      lesson.required = reference.required !== false;
    }
    lessons.push(lesson);
  });
  for (const [lang, files] of listing ? byLang : []) {
    for (const f of files.values()) {
      if (!listed.includes(f.slug)) problems.file(f.file, `lesson "${f.slug}" is not listed in course.yaml lessons (lessons/${lang}/)`, { line: 1 });
    }
  }
  return lessons;
}

function readPackageDir(
  fs: PackageFiles,
  dir: string,
  folder: string,
  frameworks: Map<string, FrameworkDefinition>,
  slugs: Map<string, string>,
  problems: ProblemList,
): CoursePackage | undefined {
  const pkgDir = join(dir, folder);
  const before = problems.count;
  const coursePath = join(pkgDir, 'course.yaml');
  for (const name of fs.list(pkgDir).sort()) {
    if (name.startsWith('.') || PACKAGE_FILES.has(name)) continue;
    const hint = name === 'course.yml' ? ' (rename it to course.yaml)' : name === 'quiz.yml' ? ' (rename it to quiz.yaml)' : '';
    problems.file(join(pkgDir, name), `unexpected file in a course package: expected course.yaml, quiz.yaml, lessons/ and README.md${hint}`);
  }
  if (!fs.exists(coursePath)) {
    problems.file(coursePath, 'is missing: every course folder needs a course.yaml');
    return undefined;
  }
  const course = parseYamlFile(coursePath, coursePath, problems, 0, readText(coursePath, fs));
  const c = isObj(course.value) ? course.value : {};
  if (course.value !== undefined) schemaCheck('course', course, problems);
  if (typeof c.slug === 'string') {
    if (c.slug !== folder) problems.add(course, ['slug'], `is "${c.slug}" but the folder is ${folder}: they must be equal`);
    if (slugs.has(c.slug)) problems.add(course, ['slug'], `"${c.slug}" is already the slug of ${slugs.get(c.slug)}: slugs must be unique`);
    else slugs.set(c.slug, coursePath);
  }
  const quizPath = join(pkgDir, 'quiz.yaml');
  const quiz = fs.exists(quizPath) ? parseYamlFile(quizPath, quizPath, problems, 0, readText(quizPath, fs)) : undefined;
  if (quiz?.value !== undefined) schemaCheck('quiz', quiz, problems);
  const languages = course.value !== undefined ? checkCourse(problems, course, frameworks, { present: !!quiz, name: 'quiz.yaml' }) : [];
  if (quiz && quiz.value !== undefined) checkQuiz(problems, quiz, languages);
  const defaultLanguage = typeof c.defaultLanguage === 'string' ? c.defaultLanguage : (languages[0] ?? 'en');
  const lessons = course.value !== undefined ? readLessons(fs, pkgDir, course, languages, defaultLanguage, problems) : [];
  if (problems.count !== before) return undefined;
  return buildPackage(c, lessons, quiz?.value);
}

/** Validates a whole courses folder: frameworks, then every course package. */
export function validateCoursesDir(dir: string): ValidationReport {
  const problems = new ProblemList();
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    problems.file(dir, 'is not a folder');
    return { dir, problems: problems.items, packages: [], frameworks: [], packageCount: 0, frameworkCount: 0, warnings: [] };
  }
  const frameworks = loadFrameworks(dir, problems);
  const glossary = loadGlossary(dir, problems);
  const warnings: PackageProblem[] = [];
  const fwByKey = new Map(frameworks.map((f) => [f.key, f]));
  const slugs = new Map<string, string>();
  const packages: CoursePackage[] = [];
  let packageCount = 0;
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || RESERVED_FOLDERS.has(name) || !statSync(join(dir, name)).isDirectory()) continue;
    packageCount++;
    const pkg = readPackageDir(diskFiles, dir, name, fwByKey, slugs, problems);
    if (pkg) {
      packages.push(pkg);
      warnings.push(...glossaryWarnings(pkg, glossary, join(dir, name)));
    }
  }
  const frameworkFiles = existsSync(join(dir, 'frameworks')) ? readdirSync(join(dir, 'frameworks')).filter((n) => /\.ya?ml$/.test(n)).length : 0;
  // Generated Serbian script: a checked-in text that differs from what `generate` writes is a problem.
  problems.items.push(...planSerbianScripts(dir).drift);
  return { dir, problems: sortProblems(problems.items), packages, frameworks, packageCount, frameworkCount: frameworkFiles, warnings: sortProblems(warnings) };
}

// ---------------------------------------------------------------------------------------------
// A package as JSON (authoring API)
// ---------------------------------------------------------------------------------------------

/**
 * Validates a course package sent as JSON: `{ course, lessons: [{slug, title, minutes, required,
 * body}], quiz }`, with the same schemas and cross-checks as the files. Field paths are
 * `course.title.sr-Cyrl`, `lessons[1].body.en`, `quiz.questions[0].choices`.
 */
export function validateCoursePackageJson(body: unknown, frameworks: FrameworkDefinition[]): { package?: CoursePackage; problems: PackageProblem[] } {
  const problems = new ProblemList();
  const root = SourceDoc.json(body, []);
  schemaCheck('package', root, problems);
  checkNoControlCharacters(problems, root, body, []);
  const b = isObj(body) ? body : {};
  const course = SourceDoc.json(b.course, ['course']);
  const hasQuiz = isObj(b.quiz);
  const languages = isObj(b.course) ? checkCourse(problems, course, new Map(frameworks.map((f) => [f.key, f])), { present: hasQuiz, name: 'quiz' }) : [];
  if (hasQuiz) checkQuiz(problems, SourceDoc.json(b.quiz, ['quiz']), languages);
  const lessons: PackageLesson[] = [];
  if (Array.isArray(b.lessons)) {
    const seen = new Map<string, number>();
    b.lessons.forEach((l: unknown, i: number) => {
      if (!isObj(l)) return;
      if (typeof l.slug === 'string') {
        if (seen.has(l.slug)) problems.add(root, ['lessons', i, 'slug'], `"${l.slug}" is also the slug of lesson ${seen.get(l.slug)! + 1}: lesson slugs must be unique`);
        else seen.set(l.slug, i);
      }
      checkLangMap(problems, root, ['lessons', i, 'title'], l.title, languages, 'the course');
      checkLangMap(problems, root, ['lessons', i, 'body'], l.body, languages, 'the course');
      lessons.push({
        slug: l.slug as string,
        position: i + 1,
        title: l.title as LangMap,
        minutes: l.minutes as number,
        required: l.required !== false,
        body: Object.fromEntries(Object.entries(isObj(l.body) ? l.body : {}).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v])) as LangMap,
      });
    });
    const listed = isObj(b.course) ? strings(b.course.lessons) : null;
    if (listed && listed.join('\n') !== lessons.map((l) => l.slug).join('\n')) {
      problems.add(course, ['lessons'], 'must list the slugs of the lessons array in the same order (or be left out)');
    }
  }
  if (problems.count) return { problems: problems.items };
  return { package: buildPackage(b.course as Obj, lessons, b.quiz), problems: [] };
}

// ---------------------------------------------------------------------------------------------
// A package as the files of an uploaded zip
// ---------------------------------------------------------------------------------------------

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/; // eslint-disable-line no-control-regex

/**
 * Validates one course folder sent as files (an uploaded zip's entries: path → bytes) with the
 * same checks as `validate` on a folder, against the given frameworks. The zip holds
 * `courses/<slug>/…` or `<slug>/…`; hidden files and `__MACOSX/` are ignored. Problems name the
 * zip's own paths, with line and column for YAML and lesson front matter.
 */
export function validatePackageFiles(entries: ReadonlyMap<string, Uint8Array>, frameworks: FrameworkDefinition[]): { package?: CoursePackage; problems: PackageProblem[] } {
  const problems = new ProblemList();
  const files = new Map<string, string>();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const [path, bytes] of entries) {
    if (path.split('/').some((seg) => seg.startsWith('.') || seg === '__MACOSX')) continue;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      problems.file(path, 'is not UTF-8 text: save it as UTF-8');
      continue;
    }
    const at = CONTROL.exec(text);
    if (at) {
      const before = text.slice(0, at.index).split('\n');
      problems.file(path, 'contains a control character (such as NUL): remove it', { line: before.length, column: before[before.length - 1].length + 1 });
      continue;
    }
    files.set(path, text);
  }
  if (problems.count) return { problems: sortProblems(problems.items) };
  const paths = [...files.keys()];
  const root = paths.length && paths.every((p) => p.startsWith('courses/') && p.split('/').length > 2) ? 'courses' : '';
  const inside = paths.map((p) => (root ? p.slice(root.length + 1) : p));
  const folders = [...new Set(inside.filter((p) => p.includes('/')).map((p) => p.split('/')[0]))];
  const loose = inside.filter((p) => !p.includes('/'));
  if (folders.length !== 1 || loose.length || RESERVED_FOLDERS.has(folders[0])) {
    const found = [...folders.map((f) => `${f}/`), ...loose].slice(0, 10).join(', ');
    problems.file('(zip)', `must hold exactly one course folder, courses/<slug>/ or <slug>/, with course.yaml, lessons/ and quiz.yaml in it${found ? ` (found: ${found})` : ' (it is empty)'}`);
    return { problems: problems.items };
  }
  const pkg = readPackageDir(memoryFiles(files), root, folders[0], new Map(frameworks.map((f) => [f.key, f])), new Map(), problems);
  if (problems.count || !pkg) return { problems: sortProblems(problems.items) };
  return { package: pkg, problems: [] };
}
