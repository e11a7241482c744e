// `npm test`: checks that PostgreSQL and Redis answer (and says how to start them when they don't),
// builds, creates a throwaway template database through the real migrations, runs Jest (unit and
// e2e; extra arguments go to Jest), drops the template, and ends with one line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';

const dbUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function checkPostgres() {
  const client = new pg.Client({ connectionString: dbUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (e) {
    console.error(`PostgreSQL is not reachable at ${dbUrl} (${e.message}).\n` +
      `Start it (Debian: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set TEST_DATABASE_URL.`);
    process.exit(2);
  } finally {
    await client.end().catch(() => {});
  }
}

async function checkRedis() {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    console.error(`Redis is not reachable at ${redisUrl} (${e.message}).\n` +
      `Start it (redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no) or set TEST_REDIS_URL.`);
    process.exit(2);
  } finally {
    redis.disconnect();
  }
}

function run(args, env = process.env) {
  return spawnSync(process.execPath, args, { stdio: 'inherit', env });
}

await checkPostgres();
await checkRedis();
if (!process.env.SKIP_BUILD) {
  const b = run(['scripts/build.mjs', ...(process.env.CI ? [] : ['--allow-type-errors'])]);
  if (b.status !== 0) process.exit(b.status ?? 1);
}

const template = `lms_tpl_${randomBytes(5).toString('hex')}`;
const admin = new pg.Client({ connectionString: dbUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${template}`);
const templateUrl = new URL(dbUrl);
templateUrl.pathname = `/${template}`;
const migrate = run(['dist/migrations/migrate.cli.js', 'run'], {
  ...process.env,
  DATABASE_URL: templateUrl.toString(),
  LOG_LEVEL: 'warn',
  JWT_SECRET: 'x'.repeat(40),
  CREDENTIAL_KEY_SECRET: 'y'.repeat(40),
});
let status = migrate.status ?? 1;
let summary = '0 passed, 0 failed';
if (status === 0) {
  const out = mkdtempSync(join(tmpdir(), 'lms-jest-'));
  const resultFile = join(out, 'results.json');
  // --forceExit: a few suites leave a pool or timer open after their last test; the summary line
  // below is computed from Jest's JSON either way.
  const jest = run(
    ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', 'node_modules/jest/bin/jest.js', '--forceExit', '--json', `--outputFile=${resultFile}`, ...process.argv.slice(2)],
    { ...process.env, TEST_DATABASE_URL: dbUrl, TEST_REDIS_URL: redisUrl, TEST_TEMPLATE_DB: template },
  );
  status = jest.status ?? 1;
  try {
    const r = JSON.parse(readFileSync(resultFile, 'utf8'));
    summary = `${r.numPassedTests} passed, ${r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0)} failed`;
    // The slowest files, so CI time stays visible as the suite grows (the CI budget is 30 minutes).
    const slowest = r.testResults
      .map((t) => ({ file: t.name.replace(`${process.cwd()}/`, ''), s: (t.endTime - t.startTime) / 1000 }))
      .sort((a, b) => b.s - a.s)
      .slice(0, 10);
    if (r.testResults.length > 10) {
      console.log(`Jest wall time ${((Date.now() - r.startTime) / 1000).toFixed(0)} s; slowest files: ${slowest.map((t) => `${t.file} ${t.s.toFixed(0)} s`).join(', ')}`);
    }
    if (r.numTotalTests === 0) status = status || 1;
  } catch {
    summary = '0 passed, 1 failed';
  }
  rmSync(out, { recursive: true, force: true });
} else {
  console.error('Migrations failed on the template database.');
  summary = '0 passed, 1 failed';
}
// Databases cloned by test files are dropped by the files; drop the template and any leftovers of this run.
await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [template]);
await admin.query(`DROP DATABASE IF EXISTS ${template}`);
const leftovers = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${template}\\_%`]);
for (const { datname } of leftovers.rows) {
  await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [datname]);
  await admin.query(`DROP DATABASE IF EXISTS "${datname}"`);
}
await admin.end();
console.log(summary);
process.exit(status);
