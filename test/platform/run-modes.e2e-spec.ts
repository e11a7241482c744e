import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, createTestDatabase, freePort, runNode as spawnNode, RunningProcess, TEST_REDIS_URL, waitForStatus } from '@lms/testing';

const API = 'dist/apps/api/src/main.js';

describe('run modes (real processes from dist/)', () => {
  // Every process a test starts is killed afterwards, also when an assertion failed half-way.
  const started: RunningProcess[] = [];
  const runNode = (entry: string, env: NodeJS.ProcessEnv): RunningProcess => {
    const proc = spawnNode(entry, env);
    started.push(proc);
    return proc;
  };
  afterEach(() => {
    for (const proc of started.splice(0)) {
      if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
    }
  });

  it('stops at start with one line naming a bad variable', async () => {
    const proc = runNode(API, cleanEnv({ PORT: 'eighty', DATA_DIR: mkdtempSync(join(tmpdir(), 'lms-badcfg-')) }));
    const { code } = await proc.exited;
    expect(code).toBe(1);
    const lines = proc.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: PORT must be a whole number/);
  });

  it('refuses production mode without its secrets', async () => {
    const proc = runNode(API, cleanEnv({ DATABASE_URL: 'postgres://nobody@127.0.0.1:5432/none', DATA_DIR: mkdtempSync(join(tmpdir(), 'lms-badcfg-')) }));
    const { code } = await proc.exited;
    expect(code).toBe(1);
    expect(proc.output().trim()).toMatch(/^Invalid configuration: JWT_SECRET is required/);
  });

  describe('embedded mode: zero set-up, data kept in DATA_DIR', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lms-embedded-'));
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('starts with no DATABASE_URL, keeps data across a restart and a kill -9, and exits 0 on SIGTERM', async () => {
      const port = await freePort();
      const env = cleanEnv({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info', IMPORT_COURSES_ON_START: 'false' });

      const first = runNode(API, env);
      const ready = await waitForStatus(`http://127.0.0.1:${port}/health/ready`, 200, 90_000, first);
      expect(((await ready.json()) as { status: string }).status).toBe('ok');
      expect(first.output()).toMatch(/mode=embedded/);
      expect(first.output()).toContain(dataDir);
      expect(first.output()).toMatch(/applied migrations: /);
      expect(existsSync(join(dataDir, 'pgdata'))).toBe(true);
      expect(existsSync(join(dataDir, 'secrets.json'))).toBe(true);
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');

      const second = runNode(API, env);
      await waitForStatus(`http://127.0.0.1:${port}/health/ready`, 200, 90_000, second);
      // The schema (and everything in it) survived the kill: nothing to migrate again.
      expect(second.output()).not.toMatch(/applied migrations: /);
      second.child.kill('SIGTERM');
      const started = Date.now();
      const exit = await second.exited;
      expect(exit.code).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
    }, 200_000);
  });

  it('production API: starts on DATABASE_URL and REDIS_URL, reports ready, exits 0 on SIGTERM', async () => {
    const db = await createTestDatabase();
    try {
      const port = await freePort();
      const proc = runNode(
        API,
        cleanEnv({
          DATABASE_URL: db.url,
          REDIS_URL: TEST_REDIS_URL,
          REDIS_PREFIX: `lmsrun-${port}`,
          JWT_SECRET: 'j'.repeat(40),
          CREDENTIAL_KEY_SECRET: 'c'.repeat(40),
          PORT: String(port),
          DATA_DIR: mkdtempSync(join(tmpdir(), 'lms-prod-')),
          LOG_LEVEL: 'info',
          METRICS_TOKEN: 'run-modes-metrics-token-0123456789',
        }),
      );
      await waitForStatus(`http://127.0.0.1:${port}/health/ready`, 200, 60_000, proc);
      // Production mode: the bare status for anyone, the checks only with the metrics token (or as an admin).
      const anonymous = (await (await fetch(`http://127.0.0.1:${port}/health/ready`)).json()) as Record<string, unknown>;
      expect(anonymous).toEqual({ status: 'ok' });
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`, { headers: { authorization: 'Bearer run-modes-metrics-token-0123456789' } });
      const body = (await ready.json()) as { checks: Record<string, { status: string; critical: boolean }> };
      expect(body.checks.database.status).toBe('up');
      expect(body.checks.redis.status).toBe('up');
      // No worker runs in this test: reported, but the API stays ready.
      expect(body.checks.workers).toMatchObject({ status: 'down', critical: false });
      expect(proc.output()).toMatch(/mode=production/);
      proc.child.kill('SIGTERM');
      expect((await proc.exited).code).toBe(0);
    } finally {
      await db.drop();
    }
  }, 120_000);
});
