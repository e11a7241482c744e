import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import {
  CatalogImportError,
  CatalogImportService,
  courseTextsOfPackage,
  exportXliff,
  parseXliff,
  planSerbianScripts,
  setLanguageInYaml,
  translatedTexts,
  withLanguage,
  XliffProblem,
  formatProblem,
  FRAMEWORK_IMPORT_HOOK,
  FrameworkImportHook,
  ImportProgress,
  ImportResult,
  SCHEMA_FILES,
  validateCoursesDir,
} from '@lms/catalog';
import { canonicalLocale } from '@lms/i18n';
import { ConfigError, DomainError, loadConfig, ValidationError } from '@lms/platform';
import { PACKAGE_USAGE, runPackageCommand } from './package-command.js';
import { runXapiCommand, XAPI_USAGE } from './xapi-command.js';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stdout is a terminal (progress bar) or a pipe/CI log (plain lines). */
  isTTY: boolean;
  env: Record<string, string | undefined>;
}

const USAGE = `usage: npm run courses -- <command> [dir]
  validate [dir]   check every framework and course package (default dir: courses/); exit 1 with every problem
  import [dir]     validate, then import frameworks and courses in ONE transaction (all-or-nothing, idempotent)
  schema [dir]     write the JSON Schemas to <dir>/schema/ (default courses/)
  generate [dir]   write the generated Serbian script (sr-Latn → sr-Cyrl, or from serbianSource): lessons and YAML text maps
  xliff-export <package-dir> <target> [file]   write the package's text as XLIFF 2.0 for translation (default file: <slug>-<target>.xlf)
  xliff-import <package-dir> <file>            add the translated language to the package's files (lessons, course.yaml, quiz.yaml)
${PACKAGE_USAGE}
${XAPI_USAGE}`;

/** The progress of an import: a bar redrawn in place on a terminal, one line per package elsewhere. */
export function progressPrinter(io: CliIo): (p: ImportProgress) => void {
  const label: Record<ImportProgress['outcome'], string> = { created: 'new course', 'new-version': 'new version', unchanged: 'unchanged' };
  return (p) => {
    const what = `${p.slug}: ${label[p.outcome]} (v${p.version})`;
    if (!io.isTTY) {
      io.out(`[${p.done}/${p.total}] ${what}\n`);
      return;
    }
    const width = 24;
    const filled = Math.round((p.done / p.total) * width);
    io.out(`\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.done}/${p.total} ${what}`);
    if (p.done === p.total) io.out('\n');
  };
}

function validate(dir: string, io: CliIo): boolean {
  const report = validateCoursesDir(dir);
  for (const w of report.warnings) io.err(`warning: ${formatProblem(w)}\n`);
  for (const p of report.problems) io.err(`${formatProblem(p)}\n`);
  if (report.problems.length) {
    io.err(`\n${report.problems.length} problem(s) in ${dir}: nothing is valid until all are fixed.\n`);
    return false;
  }
  io.out(`${dir}: ${report.frameworkCount} framework(s) and ${report.packageCount} course package(s) are valid.\n`);
  return true;
}

async function runImport(dir: string, io: CliIo): Promise<number> {
  const report = validateCoursesDir(dir);
  if (report.problems.length) {
    for (const p of report.problems) io.err(`${formatProblem(p)}\n`);
    io.err(`\n${report.problems.length} problem(s) in ${dir}: nothing was imported.\n`);
    return 1;
  }
  const config = loadConfig(io.env);
  // Loaded only here: `validate` (CI) needs no Nest, no database and none of the other domains.
  const [{ NestFactory }, { CoursesCliModule }] = await Promise.all([import('@nestjs/core'), import('./courses-cli.module.js')]);
  const app = await NestFactory.createApplicationContext(CoursesCliModule.forRoot(config), { logger: ['error', 'warn'], abortOnError: false });
  try {
    const importer = app.get(CatalogImportService);
    const hook = app.get<FrameworkImportHook>(FRAMEWORK_IMPORT_HOOK);
    io.out(`Importing ${report.packages.length} course package(s) and ${report.frameworks.length} framework(s) from ${dir} into ${config.isEmbedded ? `the embedded database in ${config.dataDir}` : 'DATABASE_URL'}…\n`);
    const result: ImportResult = await importer.importReport(report, { frameworkHook: hook, onProgress: progressPrinter(io) });
    io.out(`Done: ${result.created} new course(s), ${result.newVersions} new version(s), ${result.unchanged} unchanged.\n`);
    return 0;
  } catch (e) {
    if (e instanceof CatalogImportError) {
      for (const p of e.problems) io.err(`${formatProblem(p)}\n`);
      io.err(`\nImport failed; nothing was imported.\n`);
      return 1;
    }
    if (e instanceof DomainError) {
      io.err(`Import failed; nothing was imported: ${e.message}\n`);
      if (e instanceof ValidationError) for (const x of e.errors) io.err(`  ${x.field}: ${x.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    await app.close();
  }
}

function writeSchemas(dir: string, io: CliIo): number {
  const target = join(dir, 'schema');
  mkdirSync(target, { recursive: true });
  for (const [name, schema] of Object.entries(SCHEMA_FILES)) {
    const path = join(target, name);
    const text = `${JSON.stringify(schema, null, 2)}\n`;
    if (existsSync(path) && readFileSync(path, 'utf8') === text) continue;
    writeFileSync(path, text);
    io.out(`wrote ${path}\n`);
  }
  return 0;
}

/** Writes the generated Serbian script; running it twice writes nothing the second time. */
function generate(dir: string, io: CliIo): number {
  const { changes } = planSerbianScripts(dir);
  for (const change of changes) {
    if (change.text === null) {
      rmSync(change.path);
      io.out(`removed ${change.path}\n`);
      continue;
    }
    mkdirSync(dirname(change.path), { recursive: true });
    writeFileSync(change.path, change.text);
    io.out(`wrote ${change.path}\n`);
  }
  io.out(`${dir}: ${changes.length} file(s) ${changes.length ? 'brought up to date' : 'already up to date'}.\n`);
  return 0;
}

/** The package at `pkgDir`, validated with the rest of its courses folder; null (and problems printed) when invalid. */
function packageAt(pkgDir: string, io: CliIo): ReturnType<typeof validateCoursesDir>['packages'][number] | null {
  const dir = resolve(pkgDir);
  const report = validateCoursesDir(dirname(dir));
  const pkg = report.packages.find((p) => p.slug === basename(dir));
  const own = report.problems.filter((p) => p.file?.startsWith(`${dir}/`) || p.file === dir);
  for (const p of own) io.err(`${formatProblem(p)}\n`);
  if (!pkg || own.length) {
    io.err(`${pkgDir} is not a valid course package${own.length ? '' : ' (no course.yaml whose slug is its folder name)'}\n`);
    return null;
  }
  return pkg;
}

function xliffExport(pkgDir: string, targetArg: string, fileArg: string | undefined, io: CliIo): number {
  const target = canonicalLocale(targetArg);
  if (!target) {
    io.err(`"${targetArg}" is not a BCP 47 language tag\n`);
    return 2;
  }
  const pkg = packageAt(pkgDir, io);
  if (!pkg) return 1;
  if (target === pkg.defaultLanguage) {
    io.err(`${target} is the source language of ${pkg.slug}\n`);
    return 2;
  }
  const file = fileArg ?? `${pkg.slug}-${target}.xlf`;
  writeFileSync(file, exportXliff(courseTextsOfPackage(pkg), pkg.defaultLanguage, target));
  io.out(`wrote ${file}: ${pkg.slug} from ${pkg.defaultLanguage} into ${target}\n`);
  return 0;
}

function xliffImport(pkgDir: string, file: string, io: CliIo): number {
  const pkg = packageAt(pkgDir, io);
  if (!pkg) return 1;
  let translated;
  let target: string;
  try {
    const parsed = parseXliff(readFileSync(file, 'utf8'));
    if (parsed.slug !== pkg.slug) throw new XliffProblem('/xliff/file/@original', `is a file of ${parsed.slug}, not of ${pkg.slug}`);
    if (parsed.source !== pkg.defaultLanguage) throw new XliffProblem('/xliff/@srcLang', `must be ${pkg.defaultLanguage}, the source language of ${pkg.slug}`);
    target = parsed.target;
    translated = withLanguage(courseTextsOfPackage(pkg), target, translatedTexts(courseTextsOfPackage(pkg), parsed));
  } catch (e) {
    if (e instanceof XliffProblem) {
      io.err(`${file}: ${e.element}: ${e.problem}\n`);
      return 1;
    }
    throw e;
  }
  const source = pkg.defaultLanguage;
  const course = join(pkgDir, 'course.yaml');
  const unitOf = (path: Array<string | number>, root: unknown): string | undefined => {
    if (path.length === 1 && (path[0] === 'title' || path[0] === 'summary')) return `course.${path[0]}`;
    const q = (root as { questions?: Array<{ id: string; choices: Array<{ id: string }> }> }).questions?.[path[1] as number];
    if (path[0] !== 'questions' || !q) return undefined;
    if (path.length === 3) return `quiz.${q.id}.${path[2]}`;
    if (path[2] === 'choices') return `quiz.${q.id}.${q.choices[path[3] as number].id}`;
    return undefined;
  };
  const texts = new Map<string, string>([
    ['course.title', translated.title[target]],
    ['course.summary', translated.summary[target]],
    ...(translated.quiz?.questions ?? []).flatMap((q) => [
      [`quiz.${q.id}.text`, q.text[target]] as [string, string],
      ...q.choices.map((c) => [`quiz.${q.id}.${c.id}`, c.text[target]] as [string, string]),
      ...(q.explanation ? [[`quiz.${q.id}.explanation`, q.explanation[target]] as [string, string]] : []),
    ]),
  ]);
  writeFileSync(course, setLanguageInYaml(readFileSync(course, 'utf8'), source, target, (path, _src, root) => texts.get(unitOf(path, root) ?? '')));
  const quiz = join(pkgDir, 'quiz.yaml');
  if (existsSync(quiz)) writeFileSync(quiz, setLanguageInYaml(readFileSync(quiz, 'utf8'), source, target, (path, _src, root) => texts.get(unitOf(path, root) ?? '')));
  const lessonDir = join(pkgDir, 'lessons', target);
  mkdirSync(lessonDir, { recursive: true });
  translated.lessons.forEach((l, i) => {
    const meta = pkg.lessons[i];
    const body = l.body[target];
    const front = `---\ntitle: ${JSON.stringify(l.title[target])}\nminutes: ${meta.minutes}\nrequired: ${meta.required}\n---\n`;
    writeFileSync(join(lessonDir, `${String(meta.position).padStart(2, '0')}-${meta.slug}.md`), `${front}${body}${body.endsWith('\n') ? '' : '\n'}`);
  });
  io.out(`${pkgDir}: added ${target} (course.yaml, ${existsSync(quiz) ? 'quiz.yaml, ' : ''}${translated.lessons.length} lesson file(s)); run \`npm run courses -- validate\`\n`);
  return 0;
}

/** `npm run courses -- <command> [dir]`; returns the exit code. */
export async function runCoursesCli(argv: string[], io: CliIo): Promise<number> {
  const [command, dirArg, ...rest] = argv;
  if (command === 'package' || command === 'import-package') return runPackageCommand(command, argv.slice(1), io);
  if (command === 'xapi-backfill') return runXapiCommand(argv.slice(1), io);
  const dir = dirArg ?? 'courses';
  if (command === 'xliff-export' && dirArg && rest.length >= 1 && rest.length <= 2) return xliffExport(dirArg, rest[0], rest[1], io);
  if (command === 'xliff-import' && dirArg && rest.length === 1) return xliffImport(dirArg, rest[0], io);
  if (rest.length || !command || command.startsWith('xliff-')) {
    io.err(`${USAGE}\n`);
    return 2;
  }
  try {
    switch (command) {
      case 'validate':
        return validate(dir, io) ? 0 : 1;
      case 'import':
        return await runImport(dir, io);
      case 'schema':
        return writeSchemas(dir, io);
      case 'generate':
        return generate(dir, io);
      default:
        io.err(`unknown command "${command}"\n${USAGE}\n`);
        return 2;
    }
  } catch (e) {
    if (e instanceof ConfigError) {
      io.err(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
