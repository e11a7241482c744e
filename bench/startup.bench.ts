// Benchmark: cold start. Measures, each from spawning the process to the first 200 from /health/ready:
//   1. `npm start` (scripts/start.mjs, embedded PGlite) on an EMPTY data directory — first start,
//      including the migrations and the import of courses/;
//   2. `npm start` again on the same directory — restart;
//   3. the production API process (`node dist/apps/api/src/main.js`) on real PostgreSQL and Redis,
//      migrated database, no import — as a replica starts in a deployment.
// Baselines measured in the same run, each a process doing the least the same start needs:
//   - first start: `node -e` that creates a PGlite database in an empty directory;
//   - restart: `node -e` that opens the same PGlite directory again and runs one query;
//   - production: a bare Fastify process that connects a pg pool and listens.
// Goals (issue #21): restart < 5 s, first start < 12 s, production API < 2 s. Absolute times and the
// ratio to each baseline are printed with the load average. Bounded: every wait has a deadline.
// Run: `npm run bench -- startup` or `node dist/bench/startup.bench.js` after `npm run build`.
// Next to the wall time, the CPU time the process tree used until ready (Linux /proc: user + system
// of the process and its children), which a busy shared machine inflates far less than wall time.
// Env: BENCH_DATABASE_URL, BENCH_REDIS_URL (default redis://127.0.0.1:6379), BENCH_STARTUP_RUNS (restarts and
// production starts measured, best kept; default 2), BENCH_STARTUP_ONLY (embedded | production).
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { withMigratedDatabase } from './support.js';

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RUNS = Math.max(1, Number(process.env.BENCH_STARTUP_RUNS ?? 2));
const DEADLINE_MS = 120_000;

const GOALS = { first: 12_000, restart: 5_000, production: 2_000 } as const;
const ONLY = process.env.BENCH_STARTUP_ONLY;

/** CPU milliseconds (user + system) used so far by `pid` and its live descendants; 0 where /proc is missing. */
function cpuMs(pid: number | undefined): number {
  if (!pid || !existsSync(`/proc/${pid}/stat`)) return 0;
  try {
    // Fields after the command name: state is field 3; utime and stime are fields 14 and 15 (clock ticks, 100 a second).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = (Number(fields[11]) + Number(fields[12])) * 10;
    const children = existsSync(`/proc/${pid}/task/${pid}/children`) ? readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean) : [];
    return own + children.reduce((sum, c) => sum + cpuMs(Number(c)), 0);
  } catch {
    return 0;
  }
}

interface Timing {
  ms: number;
  cpu: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function run(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  return { child, output: () => out };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Spawns `args` and times it until `url` answers 200; the process is stopped afterwards. */
async function timeToReady(args: string[], env: NodeJS.ProcessEnv, url: string): Promise<Timing> {
  const t0 = performance.now();
  const p = run(args, env);
  try {
    for (;;) {
      if (p.child.exitCode !== null) throw new Error(`${args.join(' ')} exited (${p.child.exitCode}) before ${url} answered:\n${p.output()}`);
      if (performance.now() - t0 > DEADLINE_MS) throw new Error(`${url} did not answer within ${DEADLINE_MS} ms:\n${p.output()}`);
      try {
        const r = await fetch(url, { signal: AbortSignal.timeout(1_000) });
        if (r.status === 200) return { ms: performance.now() - t0, cpu: cpuMs(p.child.pid) };
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await stop(p.child);
  }
}

/** Spawns a process that does its work and exits 0; times it. */
async function timeToExit(args: string[], env: NodeJS.ProcessEnv): Promise<Timing> {
  const t0 = performance.now();
  const p = run(args, env);
  let cpu = 0;
  // Sampled while it runs (a finished process's counters are gone): the last sample before exit.
  const sampler = setInterval(() => (cpu = Math.max(cpu, cpuMs(p.child.pid))), 20);
  const code = await Promise.race([
    new Promise<number | null>((r) => p.child.once('exit', (c) => r(c))),
    new Promise<'late'>((r) => setTimeout(() => r('late'), DEADLINE_MS).unref()),
  ]);
  if (code !== 0) {
    p.child.kill('SIGKILL');
    clearInterval(sampler);
    throw new Error(`${args.slice(0, 2).join(' ')} failed (${code}):\n${p.output()}`);
  }
  clearInterval(sampler);
  return { ms: performance.now() - t0, cpu };
}

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
function line(name: string, a: Timing, b: Timing, baseName: string, goal: number): boolean {
  const pass = a.ms < goal;
  console.log(
    `  ${name.padEnd(28)} ${s(a.ms).padStart(8)} (CPU ${s(a.cpu)}) | ${baseName} ${s(b.ms).padStart(7)} (CPU ${s(b.cpu)}) | ` +
      `ratio ${(a.ms / b.ms).toFixed(1)}× (CPU ${(a.cpu / Math.max(1, b.cpu)).toFixed(1)}×) | goal < ${s(goal)} ${pass ? 'OK' : 'ABOVE GOAL'} | load ${load()}`,
  );
  return pass;
}
const best = (x: Timing, y: Timing): Timing => (y.ms < x.ms ? y : x);
const NONE: Timing = { ms: Infinity, cpu: Infinity };

const PGLITE_CREATE = `
import { PGlite } from '@electric-sql/pglite';
const db = await PGlite.create(process.argv[1]);
await db.query('SELECT 1');
await db.close();`;

async function main(): Promise<void> {
  const base = { PATH: process.env.PATH, HOME: process.env.HOME } as NodeJS.ProcessEnv;
  let ok = true;
  console.log(`startup.bench: time from spawn to /health/ready 200, best of ${RUNS} for restart and production; load ${load()}`);

  // Embedded: first start on an empty directory, then restarts.
  if (ONLY !== 'production') await embedded(base).then((pass) => (ok = pass && ok));
  if (ONLY !== 'embedded') await production(base).then((pass) => (ok = pass && ok));
  if (!ok) process.exitCode = 1;
}

async function embedded(base: NodeJS.ProcessEnv): Promise<boolean> {
  let ok = true;
  const dataDir = mkdtempSync(join(tmpdir(), 'lms-bench-startup-'));
  const bareDir = mkdtempSync(join(tmpdir(), 'lms-bench-pglite-'));
  try {
    const port = await freePort();
    const env = { ...base, NODE_ENV: 'production', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
    const ready = `http://127.0.0.1:${port}/health/ready`;
    const pgliteFirst = await timeToExit(['--input-type=module', '-e', PGLITE_CREATE, join(bareDir, 'pgdata')], base);
    const first = await timeToReady(['scripts/start.mjs'], env, ready);
    ok = line('npm start, first (empty dir)', first, pgliteFirst, 'PGlite create', GOALS.first) && ok;
    let restart = NONE;
    let pgliteOpen = NONE;
    for (let i = 0; i < RUNS; i++) {
      pgliteOpen = best(pgliteOpen, await timeToExit(['--input-type=module', '-e', PGLITE_CREATE, join(dataDir, 'pgdata')], base));
      restart = best(restart, await timeToReady(['scripts/start.mjs'], env, ready));
    }
    ok = line('npm start, restart', restart, pgliteOpen, 'PGlite open  ', GOALS.restart) && ok;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(bareDir, { recursive: true, force: true });
  }
  return ok;
}

async function production(base: NodeJS.ProcessEnv): Promise<boolean> {
  let ok = true;
  // Production: the API process on a migrated PostgreSQL database and Redis (no import), next to bare Fastify + pg.
  await withMigratedDatabase('startup', {}, async ({ url }) => {
    const port = await freePort();
    const env = {
      ...base,
      NODE_ENV: 'production',
      DATABASE_URL: url,
      REDIS_URL,
      REDIS_PREFIX: `bench-startup-${randomBytes(4).toString('hex')}`,
      JWT_SECRET: randomBytes(32).toString('hex'),
      CREDENTIAL_KEY_SECRET: randomBytes(32).toString('hex'),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      IMPORT_COURSES_ON_START: 'false',
    };
    let api = NONE;
    let bare = NONE;
    for (let i = 0; i < RUNS; i++) {
      bare = best(bare, await timeToReady(['dist/bench/bare-startup.js'], env, `http://127.0.0.1:${port}/health/ready`));
      api = best(api, await timeToReady(['dist/apps/api/src/main.js'], env, `http://127.0.0.1:${port}/health/ready`));
    }
    ok = line('production API (PostgreSQL)', api, bare, 'bare Fastify ', GOALS.production) && ok;
  });
  return ok;
}

main().catch((e: unknown) => {
  console.error('startup.bench failed:', e);
  process.exit(1);
});
