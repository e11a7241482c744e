import 'reflect-metadata';
import { runCoursesCli } from './courses-command.js';

/**
 * Curricula as code: `npm run courses -- validate [dir]`, `-- import [dir]`, `-- schema [dir]`.
 * CI runs `node dist/apps/cli/src/courses.cli.js validate courses/`.
 */
runCoursesCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  isTTY: !!process.stdout.isTTY,
  env: process.env,
})
  .then((code) => {
    process.exitCode = code;
  })
  .catch((e: unknown) => {
    process.stderr.write(`courses: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
