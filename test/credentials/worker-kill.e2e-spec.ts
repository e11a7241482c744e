import { setTimeout as sleep } from 'node:timers/promises';
import { Outbox } from '@lms/jobs';
import { cleanEnv, runNode, RunningProcess, TEST_REDIS_URL } from '@lms/testing';
import { aCompletedEnrolment, anOrgUnit, aUser, eventually, startApi, TestApi } from './support.js';

const WORKER = 'dist/apps/worker/src/main.js';
const COUNT = 60;

/**
 * The real worker process (as production runs it) is killed with SIGKILL while it is issuing
 * certificates; another worker takes over the stalled jobs. Every completed enrolment ends with
 * exactly one certificate and exactly one certificate.issued event.
 */
describe('certificates when a worker process is killed mid-run (credentials)', () => {
  let api: TestApi;
  const workers: RunningProcess[] = [];

  const spawnWorker = (): RunningProcess => {
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
      }),
    );
    workers.push(w);
    return w;
  };
  const count = async (sql: string): Promise<number> => ((await api.dataSource.query(sql)) as Array<{ n: number }>)[0].n;

  beforeAll(async () => {
    // The API only writes events here; the spawned workers relay and run the jobs.
    api = await startApi({ env: { JOBS_IN_API: 'false' } });
  });

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await api?.close();
  });

  it(`issues exactly one certificate for each of ${COUNT} completions although the first worker is SIGKILLed`, async () => {
    const unit = await anOrgUnit(api.dataSource);
    const enrolments: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const user = await aUser(api.dataSource, { orgUnit: unit, displayName: `Полазник ${i}`, locale: 'sr-Cyrl' });
      enrolments.push((await aCompletedEnrolment(api.dataSource, { user })).enrolmentId);
    }
    const outbox = api.app.get(Outbox);
    await api.dataSource.transaction(async (m) => {
      for (const enrolmentId of enrolments) await outbox.add(m, 'enrolment.completed', { enrolmentId });
    });

    const first = spawnWorker();
    // Kill it as soon as it has issued anything: the rest of its claimed jobs are mid-flight.
    await eventually(async () => ((await count(`SELECT count(*)::int AS n FROM certificate`)) > 0 ? true : first.child.exitCode !== null ? true : null), 60_000);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(first.output()).not.toContain('Start-up failed');
    const atKill = await count(`SELECT count(*)::int AS n FROM certificate`);
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(COUNT);
    await sleep(200);

    spawnWorker();
    // The stalled-job check hands the dead worker's jobs to the new one (lock expiry: up to a minute).
    await eventually(async () => ((await count(`SELECT count(*)::int AS n FROM certificate`)) === COUNT ? true : null), 100_000);

    const perEnrolment = (await api.dataSource.query(
      `SELECT e.id, count(c.id)::int AS certificates,
              (SELECT count(*)::int FROM outbox_event o WHERE o.name = 'certificate.issued' AND o.payload->>'certificateId' = ANY(array_agg(c.id::text))) AS events
         FROM enrolment e LEFT JOIN certificate c ON c.enrolment_id = e.id
        WHERE e.id = ANY($1) GROUP BY e.id`,
      [enrolments],
    )) as Array<{ id: string; certificates: number; events: number }>;
    expect(perEnrolment).toHaveLength(COUNT);
    expect(perEnrolment.filter((r) => r.certificates !== 1 || r.events !== 1)).toEqual([]);
    await expect(count(`SELECT count(*)::int AS n FROM outbox_event WHERE name = 'certificate.issued'`)).resolves.toBe(COUNT);
    await expect(count(`SELECT count(*)::int AS n FROM certificate_document`)).resolves.toBe(COUNT);
  }, 180_000);
});
