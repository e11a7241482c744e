// `npm run bench`: builds (package.json does), then runs every dist/bench/*.bench.js in turn, one
// process each, and prints their one-line results. Extra arguments filter by name
// (`npm run bench -- assign`). Exits non-zero when a benchmark fails.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = join('dist', 'bench');
const filters = process.argv.slice(2);
const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.bench.js'))
      .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
      .sort()
  : [];
if (files.length === 0) {
  console.error(`no benchmarks found in ${dir}${filters.length ? ` matching ${filters.join(', ')}` : ''} (run npm run build first)`);
  process.exit(1);
}
let failed = 0;
for (const f of files) {
  console.log(`# ${f}`);
  const r = spawnSync(process.execPath, [join(dir, f)], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    failed += 1;
    console.error(`${f} failed (exit ${r.status ?? r.signal})`);
  }
}
process.exit(failed ? 1 : 0);
