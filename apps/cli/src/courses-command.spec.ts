import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliIo, progressPrinter, runCoursesCli } from './courses-command.js';

function capture(isTTY = false): CliIo & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (t) => out.push(t), err: (t) => err.push(t), isTTY, env: {}, stdout: () => out.join(''), stderr: () => err.join('') };
}

describe('courses CLI', () => {
  it('validate: exit 0 on courses/', async () => {
    const io = capture();
    await expect(runCoursesCli(['validate', 'courses'], io)).resolves.toBe(0);
    expect(io.stdout()).toMatch(/courses: 1 framework\(s\) and \d+ course package\(s\) are valid/);
    expect(io.stderr()).toBe('');
  });

  it('validate: exit 1 with every problem as file:line:column  field: message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lms-cli-'));
    try {
      cpSync('courses', dir, { recursive: true });
      const course = join(dir, 'ai-fundamentals/course.yaml');
      writeFileSync(course, readFileSync(course, 'utf8').replace('level: foundation', 'level: basic').replace('code: LIT.3', 'code: LIT.7'));
      const io = capture();
      await expect(runCoursesCli(['validate', dir], io)).resolves.toBe(1);
      const lines = io.stderr().trim().split('\n');
      expect(lines).toContain(`${course}:14:8  level: must be one of: foundation, intermediate, advanced`);
      expect(lines.some((l) => l.startsWith(`${course}:19:13  competencies[1].code: "LIT.7"`))).toBe(true);
      expect(lines.at(-1)).toBe(`2 problem(s) in ${dir}: nothing is valid until all are fixed.`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('generate writes the other Serbian script; validate names a stale generated text by file and field; generate is idempotent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lms-cli-gen-'));
    try {
      cpSync('courses', dir, { recursive: true });
      const pkg = join(dir, 'generative-ai-at-work');
      // Author in Latin only: drop the generated Cyrillic.
      rmSync(join(pkg, 'lessons/sr-Cyrl'), { recursive: true });
      const course = join(pkg, 'course.yaml');
      writeFileSync(course, readFileSync(course, 'utf8').replace('[en, sr-Latn, sr-Cyrl]', '[en, sr-Latn]').replace(/\n {2}sr-Cyrl: .*/g, ''));
      const quiz = join(pkg, 'quiz.yaml');
      writeFileSync(quiz, readFileSync(quiz, 'utf8').replace(/\n\s*sr-Cyrl: .*/g, ''));
      // Valid as it is (one script), until it lists the other script.
      const latinOnly = capture();
      await expect(runCoursesCli(['validate', dir], latinOnly)).resolves.toBe(0);

      const gen = capture();
      await expect(runCoursesCli(['generate', dir], gen)).resolves.toBe(0);
      expect(readFileSync(course, 'utf8')).toBe(readFileSync('courses/generative-ai-at-work/course.yaml', 'utf8'));
      expect(readFileSync(quiz, 'utf8')).toBe(readFileSync('courses/generative-ai-at-work/quiz.yaml', 'utf8'));
      expect(readFileSync(join(pkg, 'lessons/sr-Cyrl/02-writing-clear-instructions.md'), 'utf8')).toBe(
        readFileSync('courses/generative-ai-at-work/lessons/sr-Cyrl/02-writing-clear-instructions.md', 'utf8'),
      );
      const again = capture();
      await expect(runCoursesCli(['generate', dir], again)).resolves.toBe(0);
      expect(again.stdout()).toBe(`${dir}: 0 file(s) already up to date.\n`);

      // A lesson deleted from the Latin source leaves a stale Cyrillic file; a hand edit of generated Cyrillic is stale.
      const lesson = join(pkg, 'lessons/sr-Cyrl/01-how-generative-ai-works.md');
      writeFileSync(lesson, readFileSync(lesson, 'utf8').replace('вештачке', 'veštačke'));
      writeFileSync(course, readFileSync(course, 'utf8').replace('Генеративна ВИ на послу', 'Генеративна VI на послу'));
      const stale = capture();
      await expect(runCoursesCli(['validate', dir], stale)).resolves.toBe(1);
      expect(stale.stderr()).toContain(`${course}:8:12  title.sr-Cyrl: is out of date with the other Serbian script`);
      expect(stale.stderr()).toContain(`${lesson}  is out of date with the other Serbian script`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('xliff-export and xliff-import: a filled translation becomes a valid new language of the package files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lms-cli-xliff-'));
    try {
      cpSync('courses', dir, { recursive: true });
      const pkg = join(dir, 'ai-fundamentals');
      const file = join(dir, 'ai-mk.xlf');
      const out = capture();
      await expect(runCoursesCli(['xliff-export', pkg, 'MK', file], out)).resolves.toBe(0);
      const xml = readFileSync(file, 'utf8');
      expect(xml).toContain('original="courses/ai-fundamentals/files"');
      // The translator's tool fills every target (here: the source, tagged).
      writeFileSync(
        file,
        xml.replace(/<segment id="(s\d+)" state="initial"><source>([\s\S]*?)<\/source><\/segment>/g, (_m, id: string, src: string) => `<segment id="${id}" state="translated"><source>${src}</source><target>${src}</target></segment>`),
      );
      const imp = capture();
      await expect(runCoursesCli(['xliff-import', pkg, file], imp)).resolves.toBe(0);
      expect(readFileSync(join(pkg, 'course.yaml'), 'utf8')).toContain('languages: [en, sr-Latn, sr-Cyrl, mk]');
      const en = readFileSync(join(pkg, 'lessons/en/02-how-ai-learns-from-data.md'), 'utf8');
      expect(readFileSync(join(pkg, 'lessons/mk/02-how-ai-learns-from-data.md'), 'utf8')).toBe(en);
      const check = capture();
      await expect(runCoursesCli(['validate', dir], check)).resolves.toBe(0);

      const broken = capture();
      writeFileSync(file, readFileSync(file, 'utf8').replace('<target>What AI is', '<target><x/>What AI is'));
      await expect(runCoursesCli(['xliff-import', pkg, file], broken)).resolves.toBe(1);
      expect(broken.stderr()).toContain(`${file}: /xliff/file/unit[@id='lessons.what-ai-is.title']/segment[@id='s1']/target/x: inline elements are not supported`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers usage errors with exit 2', async () => {
    const io = capture();
    await expect(runCoursesCli([], io)).resolves.toBe(2);
    await expect(runCoursesCli(['frobnicate'], io)).resolves.toBe(2);
    expect(io.stderr()).toContain('usage: npm run courses');
  });

  it('draws a progress bar on a terminal and plain lines elsewhere', () => {
    const tty = capture(true);
    const plain = capture(false);
    for (const io of [tty, plain]) {
      const print = progressPrinter(io);
      print({ done: 1, total: 2, slug: 'a', outcome: 'created', version: 1 });
      print({ done: 2, total: 2, slug: 'b', outcome: 'unchanged', version: 3 });
    }
    expect(tty.stdout()).toContain('\r\x1b[2K[############------------] 1/2 a: new course (v1)');
    expect(tty.stdout().endsWith('2/2 b: unchanged (v3)\n')).toBe(true);
    expect(plain.stdout()).toBe('[1/2] a: new course (v1)\n[2/2] b: unchanged (v3)\n');
  });
});
