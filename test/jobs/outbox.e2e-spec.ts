import type { Queue } from 'bullmq';
import { JobProbes, JobsAdmin, JobsRuntime } from '@lms/jobs';
import { drainJobs, startApi, TestApi } from '@lms/testing';
import { outboxRowOf, people, probe, startProbe } from './jobs-fixtures.js';

/** /metrics and the detailed /health/ready need the metrics token (or an admin) outside embedded mode. */
const METRICS_TOKEN = 'test-metrics-token-0123456789abcdef';

/** The same semantics on both drivers: BullMQ on the real Redis, and in-process (no REDIS_URL). */
describe.each([
  { driver: 'BullMQ', withoutRedis: false },
  { driver: 'in-process', withoutRedis: true },
])('jobs on the $driver driver', ({ driver, withoutRedis }) => {
  let api: TestApi;
  let admin: string;
  let learner: string;

  beforeAll(async () => {
    api = await startApi({ withoutRedis, env: { METRICS_TOKEN } });
    ({ admin, learner } = await people(api));
  });
  afterAll(async () => {
    await api?.close();
  });

  const jobsQueue = (): Queue | undefined => api.app.get(JobsAdmin).dashboardQueues()?.find((q) => q.name === 'jobs');

  it(`runs the ${driver} driver`, async () => {
    expect(api.app.get(JobsRuntime).driver.kind).toBe(withoutRedis ? 'in-process' : 'bullmq');
  });

  it('a committed change produces its job, which runs once and stamps the outbox row', async () => {
    const id = await startProbe(api, admin);
    await drainJobs(api);
    const p = await probe(api, admin, id);
    expect(p.runs).toBe(1);
    expect(p.completedAt).not.toBeNull();
    const row = await outboxRowOf(api.dataSource, id);
    expect(row?.relayed_at).not.toBeNull();
    expect(p.jobId).toBe(`${row!.id}.jobs.probe`);
  });

  it('a rolled-back change never produces a job', async () => {
    const probes = api.app.get(JobProbes);
    let probeId = '';
    await expect(
      api.dataSource.transaction(async (manager) => {
        probeId = await probes.create(manager);
        throw new Error('the domain change failed');
      }),
    ).rejects.toThrow('the domain change failed');
    await drainJobs(api);
    expect(probeId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await outboxRowOf(api.dataSource, probeId)).toBeUndefined();
    const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM job_probe_effect WHERE probe_id = $1`, [probeId])) as Array<{ n: number }>;
    expect(n).toBe(0);
    await api.http.get(`/api/v1/admin/jobs/probes/${probeId}`).set('authorization', `Bearer ${admin}`).expect(404);
  });

  it('relaying the same outbox rows twice enqueues their jobs once', async () => {
    const id = await startProbe(api, admin);
    await drainJobs(api);
    const row = (await outboxRowOf(api.dataSource, id))!;
    expect(row.relayed_at).not.toBeNull();
    // As if the relay crashed after handing the jobs over but before its stamp committed.
    await api.dataSource.query(`UPDATE outbox_event SET relayed_at = NULL WHERE id = $1`, [row.id]);
    await expect(api.app.get(JobsRuntime).relayNow()).resolves.toBeGreaterThanOrEqual(1);
    await drainJobs(api);
    const p = await probe(api, admin, id);
    expect(p.runs).toBe(1);
    expect((await outboxRowOf(api.dataSource, id))?.relayed_at).not.toBeNull();
    const queue = jobsQueue();
    if (queue) {
      const job = await queue.getJob(`${row.id}.jobs.probe`);
      expect(await job?.getState()).toBe('completed');
      expect(job?.attemptsMade).toBe(1);
    }
  });

  it('retries a failing job with the policy and succeeds on a later attempt', async () => {
    const id = await startProbe(api, admin, { failAttempts: 2 });
    await drainJobs(api);
    const p = await probe(api, admin, id);
    expect(p.runs).toBe(3);
    expect(p.completedAt).not.toBeNull();
  });

  it('a job that fails every attempt ends in the failed list, visible to admins', async () => {
    const id = await startProbe(api, admin, { failAttempts: 99 });
    await drainJobs(api);
    const row = (await outboxRowOf(api.dataSource, id))!;
    const jobId = `${row.id}.jobs.probe`;
    expect((await probe(api, admin, id)).runs).toBe(3);
    expect(row.relayed_at).not.toBeNull();

    const res = await api.http.get('/api/v1/admin/jobs/failed?name=jobs.probe&limit=100').set('authorization', `Bearer ${admin}`).expect(200);
    expect(res.body).toMatchObject({ page: 1, limit: 100 });
    const failed = (res.body.items as Array<{ jobId: string; name: string; queue: string; attempts: number; error: string; payload: unknown }>).find((f) => f.jobId === jobId);
    expect(failed).toMatchObject({ name: 'jobs.probe', queue: 'jobs', attempts: 3, payload: { probeId: id } });
    expect(failed?.error).toContain('fails attempt 3');

    const queue = jobsQueue();
    if (queue) expect(await (await queue.getJob(jobId))?.getState()).toBe('failed');

    await api.http.get('/api/v1/admin/jobs/failed').set('authorization', `Bearer ${learner}`).expect(403);
    await api.http.get('/api/v1/admin/jobs/failed').expect(401);
    await api.http.get('/api/v1/admin/jobs/failed?limit=500').set('authorization', `Bearer ${admin}`).expect(400);
    await api.http.get('/api/v1/admin/jobs/failed?name=no.such-job').set('authorization', `Bearer ${admin}`).expect(400);
  });

  it('runs a scheduled job now (202 with its job id); an unknown name is 404', async () => {
    const res = await api.http.post('/api/v1/admin/jobs/outbox-relay/run').set('authorization', `Bearer ${admin}`).expect(202);
    expect(res.body).toMatchObject({ job: 'jobs.outbox-relay', jobId: expect.stringMatching(/^run\.jobs\.outbox-relay\./) });
    await drainJobs(api);
    const queue = jobsQueue();
    if (queue) expect(await (await queue.getJob(res.body.jobId as string))?.getState()).toBe('completed');
    const full = await api.http.post('/api/v1/admin/jobs/jobs.outbox-relay/run').set('authorization', `Bearer ${admin}`).expect(202);
    expect(full.body.job).toBe('jobs.outbox-relay');
    await drainJobs(api);

    await api.http.post('/api/v1/admin/jobs/no-such-job/run').set('authorization', `Bearer ${admin}`).expect(404);
    // Event jobs need an event: they cannot be "run now".
    await api.http.post('/api/v1/admin/jobs/jobs.probe/run').set('authorization', `Bearer ${admin}`).expect(404);
    await api.http.post('/api/v1/admin/jobs/outbox-relay/run').set('authorization', `Bearer ${learner}`).expect(403);
    await api.http.post('/api/v1/admin/jobs/probes').set('authorization', `Bearer ${admin}`).send({ holdMs: -1 }).expect(400);
    await api.http.get('/api/v1/admin/jobs/probes/not-a-uuid').set('authorization', `Bearer ${admin}`).expect(400);
  });

  it('exports queue gauges and the processing-time histogram', async () => {
    const res = await api.http.get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    expect(res.text).toMatch(/lms_job_queue_waiting\{queue="jobs"\} 0/);
    expect(res.text).toMatch(/lms_job_queue_active\{queue="certificates"\} \d+/);
    expect(res.text).toMatch(/lms_job_queue_failed\{queue="jobs"\} [1-9]/);
    expect(res.text).toMatch(/lms_job_queue_completed\{queue="jobs"\} [1-9]/);
    expect(res.text).toMatch(/lms_job_processing_seconds_count\{queue="jobs",job="jobs.probe",status="completed"\} [1-9]/);
    expect(res.text).toMatch(/lms_outbox_unrelayed 0/);
  });

  it('reports the workers (and Redis) in /health/ready', async () => {
    const res = await api.http.get('/health/ready').set('authorization', `Bearer ${admin}`).expect(200);
    expect(res.body.checks.workers.status).toBe('up');
    if (withoutRedis) expect(res.body.checks.redis).toBeUndefined();
    else expect(res.body.checks.redis.status).toBe('up');
  });

  it('serves the queue dashboard to admins only (404 without Redis)', async () => {
    if (withoutRedis) {
      const res = await api.http.get('/admin/queues').set('authorization', `Bearer ${admin}`).expect(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.detail).toContain('REDIS_URL');
      return;
    }
    await api.http.get('/admin/queues').expect(401);
    await api.http.get('/admin/queues/api/queues').expect(401);
    await api.http.get('/admin/queues').set('authorization', `Bearer ${learner}`).expect(403);
    await api.http.get('/admin/queues').set('authorization', 'Bearer not.a.token').expect(401);
    const page = await api.http.get('/admin/queues').set('authorization', `Bearer ${admin}`).expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    const queues = await api.http.get('/admin/queues/api/queues').set('authorization', `Bearer ${admin}`).expect(200);
    expect((queues.body.queues as Array<{ name: string }>).map((q) => q.name).sort()).toEqual(
      ['certificates', 'competency', 'jobs', 'learning', 'notifications', 'reports', 'xapi'].sort(),
    );
    // A browser: the dashboard-session cookie.
    const session = await api.http.post('/api/v1/admin/jobs/dashboard-session').set('authorization', `Bearer ${admin}`).expect(204);
    const cookie = String(session.headers['set-cookie']).split(';')[0];
    expect(cookie).toMatch(/^lms_board=/);
    expect(String(session.headers['set-cookie'])).toContain('HttpOnly');
    await api.http.get('/admin/queues').set('cookie', cookie).expect(200);
  });
});
