import { jest } from '@jest/globals';
import { ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { JobsRuntime } from '@lms/jobs';
import { anOrgUnit, aUser, drainJobs, freePort, startApi, TestApi, tokenFor } from '@lms/testing';
import { aPublishedCourse } from '../support/learning-builders.js';
import { eventually, outboxRowOf, people, probe, startProbe } from './jobs-fixtures.js';

/** /metrics and the detailed /health/ready need the metrics token (or an admin) outside embedded mode. */
const METRICS_TOKEN = 'test-metrics-token-0123456789abcdef';
const OPS = { authorization: `Bearer ${METRICS_TOKEN}` };

/** A private Redis for this test (never the shared 6379 one): started and stopped at will. */
class OwnRedis {
  private child: ChildProcess | null = null;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.child && this.child.exitCode === null) return;
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    this.child = child;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode})`);
      const ok = await new Promise<boolean>((resolve) => {
        const socket = connect(this.port, '127.0.0.1', () => (socket.end(), resolve(true)));
        socket.on('error', () => resolve(false));
      });
      if (ok) return;
      if (Date.now() > deadline) throw new Error('redis-server did not start');
      await sleep(50);
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }
}

describe('jobs while Redis is down', () => {
  let redis: OwnRedis;
  let api: TestApi;
  let admin: string;

  beforeAll(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    api = await startApi({ env: { REDIS_URL: redis.url, METRICS_TOKEN } });
    ({ admin } = await people(api));
  });
  afterAll(async () => {
    await redis?.start().catch(() => undefined); // let the app close its connections cleanly
    // Closing while BullMQ is still reconnecting (a test that failed with Redis down) hangs: wait until it answers.
    if (api) await eventually(async () => (await api.http.get('/health/ready')).status, (s) => s === 200, 30_000, 'Redis reconnected').catch(() => undefined);
    await api?.close();
    await redis?.stop();
  }, 60_000);

  it('keeps committing, keeps the events in the outbox, and runs the jobs once Redis is back', async () => {
    const before = await startProbe(api, admin);
    await drainJobs(api);
    expect((await probe(api, admin, before)).completedAt).not.toBeNull();

    await redis.stop();
    // Every hand-over the relay tries, seen from the driver (the calls go through to the real driver).
    const runtime = api.app.get(JobsRuntime);
    const enqueue = jest.spyOn(runtime.driver, 'enqueue');
    // The API still commits: the event waits in the outbox.
    const during = await startProbe(api, admin);
    const row = (await outboxRowOf(api.dataSource, during))!;
    const ready = await api.http.get('/health/ready').set(OPS).expect(503);
    expect(ready.body.checks.redis.status).toBe('down');
    expect(ready.body.checks.database.status).toBe('up');
    await expect(runtime.relayNow()).rejects.toThrow();
    // The positive marker: the relay did try to hand THIS event's job to the driver (its own wake-ups
    // and the explicit relay above), and the driver refused every such try. Only then do "not
    // relayed" and "not run" show that the event waits instead of being lost or half-relayed.
    const triesWithRow = (): Array<Promise<void>> =>
      enqueue.mock.calls.flatMap(([jobs], i) => (jobs.some((j) => j.outboxId === row.id) ? [enqueue.mock.results[i].value as Promise<void>] : []));
    await eventually(async () => triesWithRow().length, (n) => n >= 2, 15_000, 'two relay tries that include the event');
    for (const attempt of triesWithRow()) await expect(attempt).rejects.toThrow();
    enqueue.mockRestore();
    expect((await outboxRowOf(api.dataSource, during))?.relayed_at).toBeNull();
    expect((await probe(api, admin, during)).runs).toBe(0);

    // Redis comes back (empty: no persistence): the relay hands the event over, the job runs once,
    // and the job schedulers are put back.
    await redis.start();
    const done = await eventually(() => probe(api, admin, during), (p) => p.completedAt !== null, 30_000, 'the probe after Redis returned');
    expect(done.runs).toBe(1);
    expect((await outboxRowOf(api.dataSource, during))?.relayed_at).not.toBeNull();
    await drainJobs(api);
    await eventually(
      async () => (await api.http.get('/health/ready')).status,
      (s) => s === 200,
      15_000,
      'readiness after Redis returned',
    );
  }, 90_000);

  it('learners complete courses while Redis is down: every answer arrives, the completions commit, and each gets exactly one certificate after Redis returns', async () => {
    const LEARNERS = 12;
    const started = Date.now();
    const course = await aPublishedCourse(api.dataSource, { quiz: null, lessons: [{ slug: 'only' }] });
    const unit = await anOrgUnit(api.dataSource);
    const learners: Array<{ token: string; enrolmentId: string }> = [];
    for (let i = 0; i < LEARNERS; i++) {
      const token = await tokenFor(api.config, await aUser(api.dataSource, { orgUnit: unit, displayName: `Learner ${i}` }));
      const res = await api.http.post('/api/v1/enrolments').set('authorization', `Bearer ${token}`).send({ courseSlug: course.slug }).expect(201);
      learners.push({ token, enrolmentId: (res.body as { id: string }).id });
    }
    await drainJobs(api);
    const enrolmentIds = learners.map((l) => l.enrolmentId);
    const certificates = async (): Promise<Array<{ enrolment_id: string }>> =>
      (await api.dataSource.query(`SELECT enrolment_id FROM certificate WHERE enrolment_id = ANY($1)`, [enrolmentIds])) as Array<{ enrolment_id: string }>;

    await redis.stop();
    // Every learner finishes the course (and reads their list) while Redis is down: the API answers each.
    let requests = 0;
    for (const { token, enrolmentId } of learners) {
      const done = await api.http.post(`/api/v1/enrolments/${enrolmentId}/lessons/only/complete`).set('authorization', `Bearer ${token}`);
      const mine = await api.http.get('/api/v1/me/enrolments').set('authorization', `Bearer ${token}`);
      requests += 2;
      expect([done.status, done.body.status]).toEqual([200, 'completed']);
      expect(mine.status).toBe(200);
    }
    // Committed: the enrolments are completed and their events wait in the outbox, unrelayed; no certificate yet.
    const [{ completed, waiting }] = (await api.dataSource.query(
      `SELECT (SELECT count(*)::int FROM enrolment WHERE id = ANY($1::uuid[]) AND status = 'completed') AS completed,
              (SELECT count(*)::int FROM outbox_event WHERE name = 'enrolment.completed' AND payload->>'enrolmentId' = ANY($1::text[]) AND relayed_at IS NULL) AS waiting`,
      [enrolmentIds],
    )) as Array<{ completed: number; waiting: number }>;
    expect(completed).toBe(LEARNERS);
    expect(waiting).toBe(LEARNERS);
    expect(await certificates()).toEqual([]);
    await expect(api.http.get('/health/ready').set(OPS)).resolves.toMatchObject({ status: 503 });

    // Redis returns: the relay hands the events over and each enrolment gets exactly one certificate.
    await redis.start();
    await eventually(certificates, (rows) => rows.length >= LEARNERS, 60_000, 'certificates after Redis returned');
    await drainJobs(api, 30_000);
    const issued = await certificates();
    expect(issued).toHaveLength(LEARNERS);
    expect(new Set(issued.map((c) => c.enrolment_id)).size).toBe(LEARNERS);
    const [{ events }] = (await api.dataSource.query(
      `SELECT count(*)::int AS events FROM outbox_event o JOIN certificate c ON c.id::text = o.payload->>'certificateId' WHERE o.name = 'certificate.issued' AND c.enrolment_id = ANY($1)`,
      [enrolmentIds],
    )) as Array<{ events: number }>;
    expect(events).toBe(LEARNERS);
    process.stdout.write(
      `redis-outage: ${LEARNERS} learners completed during the outage (${requests} requests, all answered 200); certificates after Redis returned: ${issued.length}, lost 0, doubled 0; ${Math.round((Date.now() - started) / 1000)} s\n`,
    );
  }, 120_000);
});
