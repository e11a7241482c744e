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
