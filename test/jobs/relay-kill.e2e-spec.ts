import type { Queue } from 'bullmq';
import { JobsAdmin, Outbox } from '@lms/jobs';
import { anOrgUnit, aUser, cleanEnv, runNode, RunningProcess, startApi, TEST_REDIS_URL, TestApi } from '@lms/testing';
import { aCompletedEnrolment } from '../credentials/support.js';
import { eventually, outboxRowOf, people, probe, startProbe } from './jobs-fixtures.js';

const WORKER = 'dist/apps/worker/src/main.js';
const COMPLETIONS = 5;

/**
 * The relay dies (SIGKILL, at the test-only FAULT_INJECT point `relay-after-enqueue`) after it
 * handed the jobs to BullMQ and before it stamped the outbox rows: the jobs are in Redis, the rows
 * are still unrelayed. A new worker relays the same rows again; the job ids (`<outboxId>.<job>`)
 * make the second add a no-op (the job keeps its first creation time), and each handler's effect
 * happens once: one probe effect, one certificate per completed enrolment.
 */
describe('the outbox relay killed between enqueue and mark (worker process)', () => {
  let api: TestApi;
  let admin: string;
  const workers: RunningProcess[] = [];

  const spawnWorker = (extra: Record<string, string> = {}): RunningProcess => {
    const w = runNode(
      WORKER,
      cleanEnv({
        DATABASE_URL: api.db.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: api.config.redisPrefix,
        JWT_SECRET: api.config.jwtSecret,
        CREDENTIAL_KEY_SECRET: api.config.credentialKeySecret,
        PUBLIC_URL: api.config.publicUrl,
        DATA_DIR: api.config.dataDir,
        LOG_LEVEL: 'warn',
        WORKER_CONCURRENCY: '2',
        ...extra,
      }),
    );
    workers.push(w);
    return w;
  };
  const queue = (name: string): Queue =>
    api.app
      .get(JobsAdmin)
      .dashboardQueues()!
      .find((q) => q.name === name)!;

  beforeAll(async () => {
    // The API only writes events; the spawned workers relay them and run the jobs.
    api = await startApi({ env: { JOBS_IN_API: 'false' } });
    ({ admin } = await people(api));
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await api?.close();
  });

  it('relays the same rows again after the crash; the job ids dedupe them and every effect happens once', async () => {
    const started = Date.now();
    // Events committed before any relay runs: a probe and completed enrolments (certificates to issue).
    const probeId = await startProbe(api, admin);
    const unit = await anOrgUnit(api.dataSource);
    const enrolments: string[] = [];
    for (let i = 0; i < COMPLETIONS; i++) {
      const user = await aUser(api.dataSource, { orgUnit: unit, displayName: `Learner ${i}` });
      enrolments.push((await aCompletedEnrolment(api.dataSource, { user })).enrolmentId);
    }
    const outbox = api.app.get(Outbox);
    await api.dataSource.transaction(async (m) => {
      for (const enrolmentId of enrolments) await outbox.add(m, 'enrolment.completed', { enrolmentId });
    });
    const probeRow = (await outboxRowOf(api.dataSource, probeId))!;
    const completionRows = (await api.dataSource.query(
      `SELECT id FROM outbox_event WHERE name = 'enrolment.completed' AND payload->>'enrolmentId' = ANY($1)`,
      [enrolments],
    )) as Array<{ id: string }>;
    expect(completionRows).toHaveLength(COMPLETIONS);

    const first = spawnWorker({ FAULT_INJECT: 'relay-after-enqueue' });
    const exit = await Promise.race([first.exited, new Promise((r) => setTimeout(r, 60_000, null))]);
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(first.output()).toContain('FAULT_INJECT: relay-after-enqueue reached');

    // The crash point: the jobs are in BullMQ, the rows are not stamped (their transaction died with the process).
    const probeJobId = `${probeRow.id}.jobs.probe`;
    const certJobIds = completionRows.map((r) => `${r.id}.certificates.issue`);
    const probeJob = await queue('jobs').getJob(probeJobId);
    expect(probeJob).toBeDefined();
    const certJobs = await Promise.all(certJobIds.map((id) => queue('certificates').getJob(id)));
    expect(certJobs.every(Boolean)).toBe(true);
    const [{ n: unrelayed }] = (await api.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_event WHERE id = ANY($1) AND relayed_at IS NULL`,
      [[probeRow.id, ...completionRows.map((r) => r.id)]],
    )) as Array<{ n: number }>;
    expect(unrelayed).toBe(COMPLETIONS + 1);
    const states = await Promise.all([probeJob!, ...certJobs.map((j) => j!)].map((j) => j.getState()));
    const createdAt = new Map([[probeJobId, probeJob!.timestamp], ...certJobs.map((j) => [j!.id!, j!.timestamp] as const)]);

    // A new worker (no fault): relays the same rows again, runs the jobs.
    spawnWorker();
    const done = await eventually(
      () => probe(api, admin, probeId),
      (p) => p.completedAt !== null,
      60_000,
      'the probe after the restart',
    );
    const certificates = await eventually(
      async () =>
        (await api.dataSource.query(`SELECT enrolment_id FROM certificate WHERE enrolment_id = ANY($1)`, [enrolments])) as Array<{
          enrolment_id: string;
        }>,
      (rows) => rows.length >= COMPLETIONS,
      60_000,
      'the certificates after the restart',
    );
    await eventually(
      async () =>
        (
          (await api.dataSource.query(`SELECT count(*)::int AS n FROM outbox_event WHERE id = ANY($1) AND relayed_at IS NULL`, [
            [probeRow.id, ...completionRows.map((r) => r.id)],
          ])) as Array<{
            n: number;
          }>
        )[0].n,
      (n) => n === 0,
      30_000,
      'the rows stamped by the second relay',
    );

    // The second relay's adds were no-ops: the same jobs, created at the first relay.
    for (const [id, timestamp] of createdAt) {
      const job = (await queue('jobs').getJob(id)) ?? (await queue('certificates').getJob(id));
      expect(job?.timestamp).toBe(timestamp);
    }
    // Effects once: the probe's effect row (its run count says how often the handler started), one certificate
    // and one certificate.issued event per enrolment.
    expect(done.jobId).toBe(probeJobId);
    const [{ n: effects }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM job_probe_effect WHERE probe_id = $1`, [
      probeId,
    ])) as Array<{ n: number }>;
    expect(effects).toBe(1);
    // The dying worker may already have taken a job (state 'active' above): BullMQ gives it to the new
    // worker after the lock expires, so a handler may START twice, but its effect is recorded once.
    expect(done.runs).toBeGreaterThanOrEqual(1);
    expect(done.runs).toBeLessThanOrEqual(2);
    expect(certificates).toHaveLength(COMPLETIONS);
    expect(new Set(certificates.map((c) => c.enrolment_id)).size).toBe(COMPLETIONS);
    const [{ n: issued }] = (await api.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_event o JOIN certificate c ON c.id::text = o.payload->>'certificateId' WHERE o.name = 'certificate.issued' AND c.enrolment_id = ANY($1)`,
      [enrolments],
    )) as Array<{ n: number }>;
    expect(issued).toBe(COMPLETIONS);
    process.stdout.write(
      `relay-kill: ${COMPLETIONS + 1} events, relay SIGKILLed after enqueue; ${createdAt.size} jobs found in BullMQ with unstamped rows (${JSON.stringify(states)}); after restart: probe runs ${done.runs}, ` +
        `effects ${effects}, certificates ${certificates.length}/${COMPLETIONS}; lost 0, doubled 0; ${Math.round((Date.now() - started) / 1000)} s\n`,
    );
  }, 150_000);
});
