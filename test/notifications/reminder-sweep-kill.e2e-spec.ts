import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { anOrgUnit, aUser, cleanEnv, runNode, RunningProcess, startApi, TEST_REDIS_URL, TestApi, tokenFor } from '@lms/testing';
import { eventually } from '../jobs/jobs-fixtures.js';
import { aCourse } from './notifications-fixtures.js';

const WORKER = 'dist/apps/worker/src/main.js';
/** More than one digest batch (500 recipients), so the sweep can die between two batches. */
const PEOPLE = 700;

/**
 * An `Etc/GMT±N` zone in which it is now 08:xx (the morning window), with at least `marginMin`
 * minutes of the hour left; null when the hour is about to turn (the caller waits for it).
 */
function morningZone(now: Date, marginMin: number): string | null {
  if (now.getUTCMinutes() > 59 - marginMin) return null;
  let offset = 8 - now.getUTCHours();
  if (offset < -12) offset += 24;
  // POSIX sign: Etc/GMT-5 is UTC+5.
  return offset === 0 ? 'Etc/GMT' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

/**
 * The real worker process runs the reminder sweep over 700 people and dies (SIGKILL, at the
 * test-only FAULT_INJECT point) after the first batch of 500 digests committed. BullMQ hands the
 * stalled sweep to a new worker: the rerun sends only what was not sent — every person ends with
 * exactly one reminder, one digest, one e-mail row (sent) and one .eml message.
 */
describe('the reminder sweep killed half-way (worker process)', () => {
  let api: TestApi;
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
        LOG_LEVEL: 'info',
        WORKER_CONCURRENCY: '4',
        ...extra,
      }),
    );
    workers.push(w);
    return w;
  };
  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    ((await api.dataSource.query(sql, params)) as Array<{ n: number }>)[0].n;

  beforeAll(async () => {
    // The API only answers HTTP (and queues "run now"); the spawned workers run the sweep and send.
    api = await startApi({ env: { JOBS_IN_API: 'false' } });
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await api?.close();
  });

  it(`sends each of ${PEOPLE} people's reminder e-mail exactly once although the sweep was killed after its first batch`, async () => {
    const started = Date.now();
    // The sweep serves people in their 08:00–08:59 morning: give everyone a zone where it is 08:xx now,
    // with time for the whole test before the hour turns.
    let zone = morningZone(new Date(), 4);
    while (!zone) {
      await sleep(5_000);
      zone = morningZone(new Date(), 4);
    }
    const unit = await anOrgUnit(api.dataSource);
    const admin = await tokenFor(
      api.config,
      await aUser(api.dataSource, { orgUnit: await anOrgUnit(api.dataSource), roles: [{ role: 'admin' }] }),
    );
    const course = await aCourse(api.dataSource);
    await api.dataSource.query(
      `INSERT INTO app_user (email, display_name, org_unit_id, locale, time_zone)
       SELECT 'sweep' || i || '@test.lms', 'Learner ' || i, $1, (ARRAY['en', 'sr-Latn', 'sr-Cyrl'])[1 + i % 3], $2 FROM generate_series(1, $3) AS i`,
      [unit.id, zone, PEOPLE],
    );
    // Mandatory training due in three days: one "due soon" reminder each.
    await api.dataSource.query(
      `INSERT INTO enrolment (user_id, course_id, course_version_id, status, source, due_at)
       SELECT u.id, $2, $3, 'enrolled', 'assignment', now() + interval '3 days' FROM app_user u WHERE u.org_unit_id = $1`,
      [unit.id, course.courseId, course.versionId],
    );

    const first = spawnWorker({ FAULT_INJECT: 'reminder-sweep-after-batch' });
    await eventually(
      async () => first.output().includes('worker ready') || first.child.exitCode !== null,
      Boolean,
      30_000,
      'worker start-up',
    );
    await api.http.post('/api/v1/admin/jobs/reminder-sweep/run').set('authorization', `Bearer ${admin}`).expect(202);
    const exit = await Promise.race([first.exited, sleep(60_000).then(() => null)]);
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(first.output()).toContain('FAULT_INJECT: reminder-sweep-after-batch reached');

    // Killed half-way: every reminder recorded, the first batch's digests and e-mails committed, the rest not.
    const recorded = await count(
      `SELECT count(*)::int AS n FROM reminder r JOIN app_user u ON u.id = r.recipient_id WHERE u.org_unit_id = $1`,
      [unit.id],
    );
    const digestsAtKill = await count(
      `SELECT count(*)::int AS n FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.org_unit_id = $1`,
      [unit.id],
    );
    const emailsAtKill = await count(
      `SELECT count(*)::int AS n FROM email_message m JOIN app_user u ON u.id = m.user_id WHERE u.org_unit_id = $1`,
      [unit.id],
    );
    const sentAtKill = await count(
      `SELECT count(*)::int AS n FROM email_message m JOIN app_user u ON u.id = m.user_id WHERE u.org_unit_id = $1 AND m.state = 'sent'`,
      [unit.id],
    );
    expect(recorded).toBe(PEOPLE);
    expect(digestsAtKill).toBe(500);
    expect(emailsAtKill).toBe(500);
    const killedAt = Date.now();

    // A new worker: the dead worker's sweep job stalls (its lock expires) and is run again.
    spawnWorker();
    const sent = await eventually(
      () =>
        count(
          `SELECT count(*)::int AS n FROM email_message m JOIN app_user u ON u.id = m.user_id WHERE u.org_unit_id = $1 AND m.state = 'sent'`,
          [unit.id],
        ),
      (n) => n >= PEOPLE,
      120_000,
      'every e-mail sent after the rerun',
    );
    expect(sent).toBe(PEOPLE);
    await sleep(1_000); // anything doubled would show up now

    const perPerson = (await api.dataSource.query(
      `SELECT u.id,
              (SELECT count(*)::int FROM reminder r WHERE r.recipient_id = u.id) AS reminders,
              (SELECT count(*)::int FROM reminder r WHERE r.recipient_id = u.id AND r.notification_id IS NULL) AS unattached,
              (SELECT count(*)::int FROM notification n WHERE n.user_id = u.id) AS digests,
              (SELECT count(*)::int FROM email_message m WHERE m.user_id = u.id) AS emails,
              (SELECT count(*)::int FROM email_message m WHERE m.user_id = u.id AND m.state = 'sent' AND m.attempts = 1) AS sent_once
         FROM app_user u WHERE u.org_unit_id = $1`,
      [unit.id],
    )) as Array<{ id: string; reminders: number; unattached: number; digests: number; emails: number; sent_once: number }>;
    expect(perPerson).toHaveLength(PEOPLE);
    expect(
      perPerson.filter((p) => p.reminders !== 1 || p.unattached !== 0 || p.digests !== 1 || p.emails !== 1 || p.sent_once !== 1),
    ).toEqual([]);
    // The messages actually written (no SMTP here: one .eml file per message under DATA_DIR/mail).
    const ids = (
      (await api.dataSource.query(`SELECT m.id FROM email_message m JOIN app_user u ON u.id = m.user_id WHERE u.org_unit_id = $1`, [
        unit.id,
      ])) as Array<{ id: string }>
    ).map((r) => `${r.id}.eml`);
    const mailDir = join(api.config.dataDir, 'mail');
    const files = existsSync(mailDir) ? readdirSync(mailDir).filter((f) => f.endsWith('.eml')) : [];
    expect(files.sort()).toEqual(ids.sort());
    process.stdout.write(
      `reminder-sweep-kill: ${PEOPLE} people, killed after batch 1 (${digestsAtKill} digests, ${emailsAtKill} e-mails, ${sentAtKill} sent at the kill); ` +
        `all sent ${Math.round((Date.now() - killedAt) / 1000)} s after the kill; lost 0, doubled 0; ${Math.round((Date.now() - started) / 1000)} s in all\n`,
    );
  }, 240_000);
});
