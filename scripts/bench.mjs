// `npm run bench`: builds (package.json does), then runs every dist/bench/*.bench.js in turn, one
// process each, passing their output through, and ends with a summary: each benchmark's result
// lines (ratios and absolute times), its wall time, the load average before and after it, and its
// status. Extra arguments filter by name (`npm run bench -- assign http`). Every benchmark is bounded:
// it is stopped (SIGTERM, then SIGKILL) after BENCH_TIMEOUT_SECONDS (default 240). Exits non-zero
// when a benchmark fails, misses its target or runs out of time.
// The default sizes are chosen so that the whole run stays near 10 minutes on an idle 2-core machine.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const dir = join('dist', 'bench');
const filters = process.argv.slice(2);
const timeoutMs = Number(process.env.BENCH_TIMEOUT_SECONDS ?? 240) * 1000;
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

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/** Runs one benchmark, teeing its output; resolves with its status, wall time and output. */
function runOne(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [join(dir, file)], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 10_000).unref();
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, ms: Date.now() - started, out });
    });
  });
}

const runStarted = Date.now();
const summary = [];
let failed = 0;
for (const f of files) {
  const before = load();
  console.log(`# ${f} (load ${before})`);
  const r = await runOne(f);
  const status = r.timedOut ? `TIMED OUT after ${timeoutMs / 1000} s` : r.code === 0 ? 'ok' : `failed or below target (exit ${r.code ?? r.signal})`;
  if (r.timedOut || r.code !== 0) failed += 1;
  summary.push({ f, status, ms: r.ms, before, after: load(), lines: r.out.split('\n').filter((l) => l.trim()) });
}

console.log(`\n## npm run bench: summary (${Math.round((Date.now() - runStarted) / 1000)} s in all)`);
for (const s of summary) {
  console.log(`# ${s.f}: ${s.status}, ${(s.ms / 1000).toFixed(1)} s, load ${s.before} → ${s.after}`);
  for (const l of s.lines) console.log(`    ${l}`);
}
process.exit(failed ? 1 : 0);
