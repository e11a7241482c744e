import { randomBytes, randomUUID } from 'node:crypto';
import { Outbox } from '@lms/jobs';
import { cleanEnv, runNode, RunningProcess, startApi, TEST_REDIS_URL, TestApi } from '@lms/testing';
import { eventually, outboxRowOf, people, probe, startProbe } from './jobs-fixtures.js';

const WORKER = 'dist/apps/worker/src/main.js';

/** Parsed JSON log lines of a process (pino writes one object a line). */
function logLines(proc: RunningProcess): Array<Record<string, unknown>> {
  return proc
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return {};
      }
    });
}

/** The request id of the HTTP request that caused a job reaches the outbox row and the job's log lines. */
describe('request ids propagated into jobs', () => {
  let api: TestApi;
  let admin: string;
  let worker: RunningProcess | undefined;

  beforeAll(async () => {
    api = await startApi({ env: { JOBS_IN_API: 'false' } });
    ({ admin } = await people(api));
  });
  afterAll(async () => {
    if (worker && worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await worker?.exited;
    await api?.close();
  });

  it('stores the X-Request-Id with the outbox event and logs it on the job lines of the worker that runs it', async () => {
    const requestId = `req-${randomBytes(6).toString('hex')}`;
    const res = await api.http.post('/api/v1/admin/jobs/probes').set('authorization', `Bearer ${admin}`).set('x-request-id', requestId).send({}).expect(202);
    expect(res.headers['x-request-id'] ?? requestId).toBe(requestId);
    const probeId = (res.body as { probeId: string }).probeId;
    const [row] = (await api.dataSource.query(`SELECT id, request_id FROM outbox_event WHERE name = 'jobs.probe' AND payload->>'probeId' = $1`, [probeId])) as Array<{
      id: string;
      request_id: string | null;
    }>;
    expect(row.request_id).toBe(requestId);

    worker = runNode(
      WORKER,
      cleanEnv({
        DATABASE_URL: api.db.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: api.config.redisPrefix,
        JWT_SECRET: api.config.jwtSecret,
        CREDENTIAL_KEY_SECRET: api.config.credentialKeySecret,
        DATA_DIR: api.config.dataDir,
        LOG_LEVEL: 'info',
      }),
    );
    const done = await eventually(() => probe(api, admin, probeId), (p) => p.completedAt !== null, 30_000, 'the probe job');
    expect(done.jobId).toBe(`${row.id}.jobs.probe`);
    const w = worker;
    const lines = await eventually(
      async () => logLines(w).filter((l) => l.jobId === done.jobId),
      (ls) => ls.some((l) => typeof l.msg === 'string' && l.msg.includes('done in')),
      10_000,
      'the job log line',
    );
    for (const line of lines) expect(line).toMatchObject({ requestId, jobId: done.jobId });
    // The payload the handler saw carried no bookkeeping key (the id travels beside it).
    expect(JSON.stringify(lines)).not.toContain('__requestId');
  }, 60_000);

  it('a request without the header still names its events (generated id); work outside a request writes none', async () => {
    const probeId = await startProbe(api, admin);
    const row = await outboxRowOf(api.dataSource, probeId);
    const [{ request_id }] = (await api.dataSource.query(`SELECT request_id FROM outbox_event WHERE id = $1`, [row!.id])) as Array<{ request_id: string | null }>;
    expect(request_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // A scheduler or the CLI writes through the same Outbox with no request around it.
    const outbox = api.app.get(Outbox);
    const id = await api.dataSource.transaction((m) => outbox.add(m, 'jobs.probe', { probeId: randomUUID() }));
    const [own] = (await api.dataSource.query(`SELECT request_id FROM outbox_event WHERE id = $1`, [id])) as Array<{ request_id: string | null }>;
    expect(own.request_id).toBeNull();
  });
});
