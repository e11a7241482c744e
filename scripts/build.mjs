// Compiles apps, libs and migrations with tsc (type-checking), then rewrites @lms/* aliases
// into relative ESM paths. Output: dist/. Usage: node scripts/build.mjs
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json']);
run(process.execPath, ['node_modules/tsc-alias/dist/bin/index.js', '-p', 'tsconfig.build.json', '--resolve-full-paths']);
mkdirSync('dist', { recursive: true });
writeFileSync('dist/.build-stamp', new Date().toISOString());
