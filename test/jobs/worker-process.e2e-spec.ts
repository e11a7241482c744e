import { setTimeout as sleep } from 'node:timers/promises';
import { cleanEnv, runNode, RunningProcess, startApi, TEST_REDIS_URL, TestApi } from '@lms/testing';
import { eventually, outboxRowOf, people, probe, startProbe } from './jobs-fixtures.js';

/** /metrics and the detailed /health/ready need the metrics token (or an admin) outside embedded mode. */
const METRICS_TOKEN = 'test-metrics-token-0123456789abcdef';
const OPS = { authorization: `Bearer ${METRICS_TOKEN}` };

const WORKER = 'dist/apps/worker/src/main.js';

/** The real worker app (dist), as production runs it, on the test's database and Redis prefix. */
describe('the worker process', () => {
  let api: TestApi;
  let admin: string;
  const workers: RunningProcess[] = [];

  function spawnWorker(extra: Record<string, string> = {}): RunningProcess {
    const w = runNode(
      WORKER,
      cleanEnv({
        DATABASE_URL: api.db.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: api.config.redisPrefix,
        JWT_SECRET: api.config.jwtSecret,
        CREDENTIAL_KEY_SECRET: api.config.credentialKeySecret,
        DATA_DIR: api.config.dataDir,
        LOG_LEVEL: 'info',
        WORKER_CONCURRENCY: '2',
        ...extra,
      }),
    );
    workers.push(w);
    return w;
  }

  async function ready(w: RunningProcess): Promise<void> {
    await eventually(
      async () => (w.child.exitCode !== null ? 'exited' : w.output().includes('worker ready') ? 'ready' : 'starting'),
      (s) => s !== 'starting',
      30_000,
      'worker start-up',
    );
    if (w.child.exitCode !== null) throw new Error(`worker exited:\n${w.output()}`);
  }

  beforeAll(async () => {
    // The API only produces here: the spawned workers relay and run the jobs.
    api = await startApi({ env: { JOBS_IN_API: 'false', METRICS_TOKEN } });
    ({ admin } = await people(api));
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await api?.close();
  });

  it('refuses to start without REDIS_URL, naming the variable', async () => {
    const w = spawnWorker({ REDIS_URL: '' });
    const { code } = await w.exited;
    expect(code).toBe(1);
    expect(w.output()).toContain('REDIS_URL is required by the worker');
  });

  it('a worker killed with SIGKILL mid-job: the job is retried by another worker and its effect happens once', async () => {
    const first = spawnWorker();
    await ready(first);
    // The readiness check sees the worker's heartbeat.
    await eventually(async () => (await api.http.get('/health/ready').set(OPS)).body?.checks?.workers?.status, (s) => s === 'up', 15_000, 'workers check');

    const id = await startProbe(api, admin, { holdMs: 5_000 });
    await eventually(() => probe(api, admin, id), (p) => p.runs === 1, 20_000, 'the first worker to start the job');
    first.child.kill('SIGKILL');
    await first.exited;
    await sleep(200);
    expect(await probe(api, admin, id)).toMatchObject({ runs: 1, completedAt: null });

    const second = spawnWorker();
    await ready(second);
    // The dead worker's lock expires and the stalled-job check hands the job to the new worker.
    const done = await eventually(() => probe(api, admin, id), (p) => p.completedAt !== null, 60_000, 'the retried job');
    expect(done.runs).toBe(2);
    const row = await outboxRowOf(api.dataSource, id);
    expect(done.jobId).toBe(`${row!.id}.jobs.probe`);
    const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM job_probe_effect WHERE probe_id = $1`, [id])) as Array<{ n: number }>;
    expect(n).toBe(1);
  }, 120_000);

  it('SIGTERM lets the running job finish and exits 0 within 10 s', async () => {
    const w = workers.find((x) => x.child.exitCode === null && x.child.signalCode === null) ?? spawnWorker();
    await ready(w);
    const id = await startProbe(api, admin, { holdMs: 2_500 });
    await eventually(() => probe(api, admin, id), (p) => p.runs === 1, 20_000, 'the worker to start the job');
    const started = Date.now();
    w.child.kill('SIGTERM');
    const { code } = await w.exited;
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await probe(api, admin, id)).toMatchObject({ runs: 1, completedAt: expect.any(String) });
    // With no worker left, readiness reports it; this API does not run jobs itself (JOBS_IN_API=false),
    // so the check is not critical and the API stays in the load balancer.
    const res = await eventually(() => api.http.get('/health/ready').set(OPS), (r) => r.body?.checks?.workers?.status === 'down', 20_000, 'workers check down');
    expect(res.status).toBe(200);
    expect(res.body.checks.workers).toMatchObject({ status: 'down', critical: false });
  }, 60_000);
});
