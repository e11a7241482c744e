import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@lms/platform';
import { JOB_POLICIES, SCHEDULES } from '@lms/jobs';
import {
  anOrgUnit,
  aUser,
  cleanEnv,
  createTestDatabase,
  freePort,
  runNode,
  RunningProcess,
  TEST_REDIS_URL,
  TestDatabase,
  testConfig,
  tokenFor,
  waitForStatus,
} from '@lms/testing';
import { entities } from '../../migrations/entities.js';
import { SnakeNamingStrategy } from '@lms/platform';
import { aPublishedCourse } from '../support/learning-builders.js';

const API = 'dist/apps/api/src/main.js';
const WORKER = 'dist/apps/worker/src/main.js';
const LEARNERS = 24;
const METRICS_TOKEN = 'replicas-metrics-token-0123456789';

/** An IANA zone where the local time is now 08:xx (the reminder digest's morning window is 08–09). */
function zoneAtEightNow(): string {
  let offset = 8 - new Date().getUTCHours();
  if (offset < -12) offset += 24;
  // Etc/GMT+N is N hours BEHIND UTC (POSIX sign).
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

async function until<T>(what: string, timeoutMs: number, read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms (last: ${JSON.stringify(v)})`);
    await sleep(250);
  }
}

/** `job <name> <id> done in N ms` lines (the job executor writes one per finished job) of a process. */
function finishedJobs(proc: RunningProcess): Array<{ name: string; id: string }> {
  const out: Array<{ name: string; id: string }> = [];
  for (const line of proc.output().split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const msg = (JSON.parse(line) as { msg?: unknown }).msg;
      const m = typeof msg === 'string' ? /^job (\S+) (\S+) done in/.exec(msg) : null;
      if (m) out.push({ name: m[1], id: m[2] });
    } catch {
      // a partial line at the end of the buffer
    }
  }
  return out;
}

/**
 * Several replicas, proved: two API processes and two worker processes (dist, as production runs
 * them) on one PostgreSQL database and one Redis prefix. Assignments, completions, reminder sweeps
 * and report refreshes go through both APIs; one worker is SIGKILLed while certificates are being
 * issued. Every effect exists exactly once, and the scheduled jobs run once per period.
 */
describe('two API and two worker replicas on one database and Redis prefix', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let ds: DataSource;
  const procs: RunningProcess[] = [];
  const apis: string[] = [];
  const workers: RunningProcess[] = [];

  const start = (entry: string, extra: Record<string, string>): RunningProcess => {
    const p = runNode(
      entry,
      cleanEnv({
        DATABASE_URL: db.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: config.redisPrefix,
        JWT_SECRET: config.jwtSecret,
        CREDENTIAL_KEY_SECRET: config.credentialKeySecret,
        PUBLIC_URL: config.publicUrl,
        DATA_DIR: config.dataDir,
        LOG_LEVEL: 'info',
        JOBS_IN_API: 'false',
        IMPORT_COURSES_ON_START: 'false',
        DATABASE_POOL_SIZE: '4',
        WORKER_CONCURRENCY: '3',
        METRICS_TOKEN,
        ...extra,
      }),
    );
    procs.push(p);
    return p;
  };
  const count = async (sql: string, params: unknown[] = []): Promise<number> => ((await ds.query(sql, params)) as Array<{ n: number }>)[0].n;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db, { JOBS_IN_API: 'false' });
    ds = await new DataSource({ type: 'postgres', url: db.url, entities, namingStrategy: new SnakeNamingStrategy(), extra: { max: 3 } }).initialize();
  });

  // Everything started is killed, also when an assertion failed half-way.
  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
    const queues = Object.values(JOB_POLICIES).map((p) => p.queue);
    for (const name of new Set(queues)) {
      const q = new Queue(name, { connection: { url: TEST_REDIS_URL }, prefix: config.redisPrefix });
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
    }
    await ds?.destroy();
    await db?.drop();
    if (config) rmSync(config.dataDir, { recursive: true, force: true });
  });

  it('assignments, completions, reminder sweeps and report refreshes through both APIs: each effect once, schedules once per period', async () => {
    const began = Date.now();
    const unit = await anOrgUnit(ds, { kind: 'institution', name: 'Replica institution' });
    const timeZone = zoneAtEightNow();
    const adminUser = await aUser(ds, { orgUnit: unit, roles: [{ role: 'admin' }], timeZone });
    const admin = await tokenFor(config, adminUser);
    const course = await aPublishedCourse(ds, { school: unit, lessons: [{ slug: 'only' }], quiz: null });
    const learners = [];
    for (let i = 0; i < LEARNERS; i++) learners.push(await aUser(ds, { orgUnit: unit, displayName: `Learner ${i}`, timeZone }));
    const tokens = await Promise.all(learners.map((u) => tokenFor(config, u)));

    // Two APIs (the first applies the migrations under the advisory lock, the second finds none) and two workers.
    const ports = [await freePort(), await freePort()];
    const apiProcs = ports.map((port) => start(API, { PORT: String(port), HOST: '127.0.0.1' }));
    for (const [i, port] of ports.entries()) {
      await waitForStatus(`http://127.0.0.1:${port}/health/live`, 200, 60_000, apiProcs[i]);
      apis.push(`http://127.0.0.1:${port}/api/v1`);
    }
    for (let i = 0; i < 2; i++) workers.push(start(WORKER, {}));
    for (const w of workers) await until('worker start-up', 60_000, async () => w.output().includes('worker ready') || w.child.exitCode !== null, Boolean);
    for (const w of workers) expect(w.child.exitCode).toBeNull();
    const call = (i: number, method: string, path: string, token: string, body?: unknown): Promise<Response> =>
      fetch(`${apis[i % 2]}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });

    // The same assignment sent to both APIs at once: one enrolment per person.
    const assign = { courseSlug: course.slug, target: { orgUnitId: unit.id }, dueInDays: 1 };
    const assigned = await Promise.all([call(0, 'POST', '/assignments', admin, assign), call(1, 'POST', '/assignments', admin, assign)]);
    for (const r of assigned) expect(r.status).toBe(201);
    // Every person of the unit (the admin too) has exactly one enrolment.
    expect(await count(`SELECT count(*)::int AS n FROM enrolment WHERE course_id = $1`, [course.courseId])).toBe(LEARNERS + 1);

    // Half the learners complete the course, each through both APIs at once (the second call finds it done).
    const completers = learners.slice(0, LEARNERS / 2);
    const enrolmentOf = async (userId: string): Promise<string> =>
      ((await ds.query(`SELECT id FROM enrolment WHERE user_id = $1 AND course_id = $2`, [userId, course.courseId])) as Array<{ id: string }>)[0].id;
    for (const [i, u] of completers.entries()) {
      const id = await enrolmentOf(u.id);
      const both = await Promise.all([0, 1].map((a) => call(a, 'POST', `/enrolments/${id}/lessons/only/complete`, tokens[i])));
      for (const r of both) expect(r.status).toBe(200);
    }

    // SIGKILL the first worker as soon as certificates are being issued.
    await until('the first certificate', 60_000, () => count(`SELECT count(*)::int AS n FROM certificate`), (n) => n > 0);
    workers[0].child.kill('SIGKILL');
    await workers[0].exited;

    // The digest goes out in the person's local 08–09 window: put everyone there now (after the hour
    // turns when it is about to, so both sweeps below see the same local hour).
    const clock = new Date();
    if (clock.getUTCMinutes() === 59 && clock.getUTCSeconds() >= 30) await sleep((61 - clock.getUTCSeconds()) * 1000);
    await ds.query(`UPDATE app_user SET time_zone = $1 WHERE org_unit_id = $2`, [zoneAtEightNow(), unit.id]);

    // Reminder sweeps and report refreshes, asked of both APIs at once, twice.
    for (let round = 0; round < 2; round++) {
      for (const job of ['reminder-sweep', 'reports.refresh']) {
        const runs = await Promise.all([0, 1].map((a) => call(a, 'POST', `/admin/jobs/${job}/run`, admin)));
        for (const r of runs) expect(r.status).toBe(202);
      }
    }

    const others = learners.slice(LEARNERS / 2);
    // The surviving worker finishes everything, including the dead worker's stalled jobs.
    await until('every certificate', 90_000, () => count(`SELECT count(*)::int AS n FROM certificate`), (n) => n === completers.length);
    await until('the reminder digests', 30_000, () => count(`SELECT count(*)::int AS n FROM notification WHERE dedupe_key LIKE 'digest:%'`), (n) => n === others.length + 1);
    await until('the report facts', 30_000, () => count(`SELECT COALESCE(sum(completed), 0)::int AS n FROM report_completion_fact WHERE org_unit_id = $1 AND NOT subtree`, [unit.id]), (n) => n === completers.length);

    // Certificates: one per completed enrolment, one certificate.issued event each.
    const perEnrolment = (await ds.query(
      `SELECT e.id, count(c.id)::int AS certificates
         FROM enrolment e LEFT JOIN certificate c ON c.enrolment_id = e.id
        WHERE e.course_id = $1 AND e.status = 'completed' GROUP BY e.id`,
      [course.courseId],
    )) as Array<{ certificates: number }>;
    expect(perEnrolment).toHaveLength(completers.length);
    expect(perEnrolment.every((r) => r.certificates === 1)).toBe(true);
    expect(
      await count(`SELECT count(*)::int AS n FROM outbox_event o JOIN certificate c ON o.payload->>'certificateId' = c.id::text WHERE o.name = 'certificate.issued'`),
    ).toBe(completers.length);

    // Reminders: exactly one due-soon reminder for each person who has not completed (the admin included), none for completers.
    const reminders = (await ds.query(
      `SELECT r.recipient_id, r.kind, count(*)::int AS n FROM reminder r JOIN enrolment e ON e.id = r.enrolment_id
        WHERE e.course_id = $1 GROUP BY 1, 2`,
      [course.courseId],
    )) as Array<{ recipient_id: string; kind: string; n: number }>;
    expect(reminders).toHaveLength(others.length + 1);
    expect(reminders.every((r) => r.n === 1 && r.kind === 'due_soon:1')).toBe(true);
    expect(reminders.some((r) => completers.some((c) => c.id === r.recipient_id))).toBe(false);

    // E-mails written once: the .eml files in DATA_DIR/mail match the sent rows one for one (no file twice).
    await until('e-mails sent', 30_000, () => count(`SELECT count(*)::int AS n FROM email_message WHERE state <> 'sent'`), (n) => n === 0);
    const sent = await count(`SELECT count(*)::int AS n FROM email_message WHERE state = 'sent'`);
    const mailDir = join(config.dataDir, 'mail');
    const files = existsSync(mailDir) ? readdirSync(mailDir, { recursive: true }).filter((f) => String(f).endsWith('.eml')) : [];
    expect(sent).toBeGreaterThanOrEqual(others.length + 1);
    expect(files).toHaveLength(sent);

    // Report rows: the unit's fact counts each enrolment once.
    const [fact] = (await ds.query(`SELECT enrolled, completed FROM report_completion_fact WHERE org_unit_id = $1 AND course_id = $2 AND NOT subtree`, [
      unit.id,
      course.courseId,
    ])) as Array<{ enrolled: number; completed: number }>;
    expect(fact).toEqual({ enrolled: LEARNERS + 1, completed: completers.length });

    // Schedules: one scheduler per entry in Redis although two workers upserted them.
    const schedulers = new Map<string, number>();
    for (const name of new Set(SCHEDULES.map((s) => JOB_POLICIES[s.job].queue))) {
      const q = new Queue(name, { connection: { url: TEST_REDIS_URL }, prefix: config.redisPrefix });
      for (const s of await q.getJobSchedulers()) schedulers.set(s.key, (schedulers.get(s.key) ?? 0) + 1);
      await q.close();
    }
    expect([...schedulers.keys()].sort()).toEqual(SCHEDULES.map((s) => s.job).sort());
    expect([...schedulers.values()].every((n) => n === 1)).toBe(true);

    // The 30-second relay schedule ran once per period across both workers, never once per worker.
    const relayEvery = SCHEDULES.find((s) => s.job === 'jobs.outbox-relay')!.every!;
    const seenRelays = await until(
      'a scheduled relay run',
      relayEvery + 10_000,
      async () => workers.flatMap(finishedJobs).filter((j) => j.name === 'jobs.outbox-relay' && j.id.startsWith('repeat:')),
      (runs) => runs.length > 0,
    );
    const ids = seenRelays.map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    const periods = Math.ceil((Date.now() - began) / relayEvery) + 1;
    expect(ids.length).toBeLessThanOrEqual(periods);
    // Every job that finished ran on one worker only (a stalled job retried after the kill counts once on the survivor).
    const survivor = finishedJobs(workers[1]).map((j) => j.id);
    expect(new Set(survivor).size).toBe(survivor.length);
    expect(Date.now() - began).toBeLessThan(120_000);
  }, 150_000);
});
