// Benchmark: the reminder sweep's select+record step (ReminderRepository.recordEnrolmentReminders,
// the set-based INSERT … SELECT … ON CONFLICT DO NOTHING the hourly sweep runs) over 1,000,000
// enrolments of which ~32,000 fall due (≈ 50,000 reminders with the escalations), next to a
// hand-written raw SQL statement that selects and records the same reminders, measured in the same
// run (target: ≤ 2× the raw time). Also: the same step again (everything already recorded).
// Uses its own scratch database and drops it afterwards.
// Run: `npm run bench -- reminders` or `node dist/bench/reminders.bench.js` after `npm run build`.
// Env: BENCH_DATABASE_URL (an admin connection, default postgres://postgres@127.0.0.1:5432/postgres),
// BENCH_ENROLMENTS (default 1000000).
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { DEFAULT_REMINDER_POLICY, ReminderRepository } from '@lms/notifications';
import { alternateRounds, best, fmt, seedOrgTree, timed, withMigratedDatabase } from './support.js';

const ENROLMENTS = Number(process.env.BENCH_ENROLMENTS ?? 1_000_000);
const LEARNERS = Math.max(1, Math.floor(ENROLMENTS / 5)); // five courses each: (person, course) pairs stay unique
const MANAGERS = 2_000;
const DEPARTMENTS = 50;
const UNITS_PER_DEPARTMENT = 4;
/** Every 31st enrolment is active and due within [-28, +14] days: ~32,000 of 1,000,000. */
const DUE_EVERY = 31;
/** 08:30 in Belgrade: everyone's morning. */
const NOW = new Date('2026-03-10T07:30:00Z');

/** root → 50 departments (one HR officer each) → 4 units each; 2,000 managers; learners in the units. */
async function seed(ds: DataSource): Promise<void> {
  await seedOrgTree(ds, DEPARTMENTS, UNITS_PER_DEPARTMENT);
  // HR officers (one per department) and managers, then learners (3 in 4 with a manager)
  await ds.query(
    `INSERT INTO app_user (email, display_name, org_unit_id, time_zone)
     SELECT 'hr-' || lower(o.code) || '@bench.lms', 'HR ' || o.code, o.id, 'Europe/Belgrade' FROM org_unit o WHERE o.depth = 1`,
  );
  await ds.query(`INSERT INTO role_grant (user_id, role, scope_org_unit_id) SELECT u.id, 'hr', u.org_unit_id FROM app_user u WHERE u.email LIKE 'hr-%'`);
  await ds.query(
    `WITH depts AS (SELECT array_agg(id ORDER BY code) AS ids FROM org_unit WHERE depth = 1)
     INSERT INTO app_user (email, display_name, org_unit_id, time_zone)
     SELECT 'manager' || g || '@bench.lms', 'Manager ' || g, depts.ids[1 + g % array_length(depts.ids, 1)], 'Europe/Belgrade'
       FROM depts, generate_series(1, $1) g`,
    [MANAGERS],
  );
  await ds.query(
    `WITH units AS (SELECT array_agg(id ORDER BY code) AS ids FROM org_unit WHERE depth = 2),
          managers AS (SELECT array_agg(id ORDER BY email) AS ids FROM app_user WHERE email LIKE 'manager%')
     INSERT INTO app_user (email, display_name, org_unit_id, manager_id, locale, time_zone)
     SELECT 'person' || g || '@bench.lms', 'Person ' || g, units.ids[1 + g % array_length(units.ids, 1)],
            CASE WHEN g % 4 <> 0 THEN managers.ids[1 + g % array_length(managers.ids, 1)] END,
            (ARRAY['en', 'sr-Latn', 'sr-Cyrl'])[1 + g % 3], 'Europe/Belgrade'
       FROM units, managers, generate_series(0, $1 - 1) g`,
    [LEARNERS],
  );
  const [school] = (await ds.query(`INSERT INTO org_unit (code, name, kind, path, depth) VALUES ('BENCH-SCHOOL', 'School', 'school', '', 0) RETURNING id`)) as Array<{ id: string }>;
  await ds.query(`UPDATE org_unit SET path = '/' || id || '/' WHERE id = $1`, [school.id]);
  for (let i = 0; i < 5; i++) {
    const [course] = (await ds.query(`INSERT INTO course (slug, school_org_unit_id) VALUES ($1, $2) RETURNING id`, [`bench-${i}`, school.id])) as Array<{ id: string }>;
    await ds.query(
      `INSERT INTO course_version (course_id, version, status, content_hash, default_language, languages, title, summary, audience, level,
                                   estimated_minutes, framework_key, competencies, aligned_with, completion, published_at)
       VALUES ($1, 1, 'published', $2, 'en', '{en}', '{"en":"Bench course"}', '{"en":"For the benchmark"}', 'all-staff', 'foundation', 60, 'dacps', '[]', '[]', '{}', now())`,
      [course.id, `bench-${i}`],
    );
  }
  // 1,000,000 enrolments: every 31st active and due within [-28, +14] days of NOW (4 in 5 assigned);
  // of the rest, 60 % completed (due in the past), 40 % active and due in 30-365 days or without a due date
  await ds.query(
    `WITH people AS (SELECT array_agg(id ORDER BY email) AS ids FROM app_user WHERE email LIKE 'person%'),
          courses AS (SELECT array_agg(v.course_id ORDER BY c.slug) AS cids, array_agg(v.id ORDER BY c.slug) AS vids
                        FROM course_version v JOIN course c ON c.id = v.course_id)
     INSERT INTO enrolment (user_id, course_id, course_version_id, status, source, due_at, completed_at)
     SELECT people.ids[1 + g % $2], courses.cids[1 + g / $2], courses.vids[1 + g / $2],
            CASE WHEN g % $3 = 0 THEN 'in_progress' WHEN g % 10 < 6 THEN 'completed' ELSE 'enrolled' END,
            CASE WHEN g % 5 = 0 THEN 'self' ELSE 'assignment' END,
            CASE WHEN g % $3 = 0 THEN $4::timestamptz + make_interval(days => -28 + (g / $3) % 43, hours => 4)
                 WHEN g % 10 < 6 THEN $4::timestamptz - make_interval(days => 30 + g % 300)
                 WHEN g % 10 = 9 THEN NULL
                 ELSE $4::timestamptz + make_interval(days => 30 + g % 335) END,
            CASE WHEN g % $3 <> 0 AND g % 10 < 6 THEN $4::timestamptz - make_interval(days => 40 + g % 300) END
       FROM people, courses, generate_series(0, $1 - 1) g`,
    [ENROLMENTS, LEARNERS, DUE_EVERY, NOW.toISOString()],
  );
}

/**
 * The baseline: the same reminders written by hand for this data set: constants inline, the one
 * time zone hard-coded, no policy arrays, no zone lookup, no status checks on managers and HR.
 */
const RAW_SQL = `
  INSERT INTO reminder (enrolment_id, kind, due_date, recipient_id, created_at)
  WITH c AS MATERIALIZED (
    SELECT e.id, e.user_id, e.source, u.org_unit_id, u.manager_id,
           (e.due_at AT TIME ZONE u.time_zone)::date AS due_date,
           (e.due_at AT TIME ZONE u.time_zone)::date - ($1::timestamptz AT TIME ZONE u.time_zone)::date AS d
      FROM enrolment e JOIN app_user u ON u.id = e.user_id
     WHERE e.status IN ('enrolled', 'in_progress') AND e.due_at < $1::timestamptz + interval '16 days'
       AND u.status = 'active' AND u.time_zone = 'Europe/Belgrade' -- the one zone of this data set, whose morning it is
  ),
  hr AS (
    SELECT DISTINCT ON (o.id) o.id AS unit_id, a.anc
      FROM org_unit o CROSS JOIN LATERAL unnest(string_to_array(trim(both '/' from o.path), '/')::uuid[]) WITH ORDINALITY AS a(anc, depth)
     WHERE o.id IN (SELECT org_unit_id FROM c WHERE d <= -7)
       AND EXISTS (SELECT 1 FROM role_grant g WHERE g.role = 'hr' AND g.scope_org_unit_id = a.anc)
     ORDER BY o.id, a.depth DESC
  )
  SELECT id, CASE WHEN d >= 4 THEN 'due_soon:14' WHEN d >= 2 THEN 'due_soon:3' WHEN d >= 0 THEN 'due_soon:1'
                  ELSE 'overdue:' || (1 + 7 * ((-d - 1) / 7)) END, due_date, user_id, $1::timestamptz
    FROM c WHERE d <= 14
  UNION ALL
  SELECT id, 'escalation_manager', due_date, manager_id, $1::timestamptz FROM c WHERE d <= -7 AND source = 'assignment' AND manager_id IS NOT NULL
  UNION ALL
  SELECT c.id, 'escalation_manager', c.due_date, g.user_id, $1::timestamptz
    FROM c JOIN hr ON hr.unit_id = c.org_unit_id JOIN role_grant g ON g.role = 'hr' AND g.scope_org_unit_id = hr.anc
   WHERE c.d <= -7 AND c.source = 'assignment' AND c.manager_id IS NULL
  UNION ALL
  SELECT c.id, 'escalation_hr', c.due_date, g.user_id, $1::timestamptz
    FROM c JOIN hr ON hr.unit_id = c.org_unit_id JOIN role_grant g ON g.role = 'hr' AND g.scope_org_unit_id = hr.anc
   WHERE c.d <= -21 AND c.source = 'assignment'
  ON CONFLICT DO NOTHING`;

async function main(): Promise<void> {
  await withMigratedDatabase('reminders', { env: { DATABASE_POOL_SIZE: '2' } }, async ({ ds }) => {
    const seeded = await timed(() => seed(ds));
    await ds.query('VACUUM ANALYZE');
    const reminders = new ReminderRepository(ds);

    const sweepRuns: number[] = [];
    const rawRuns: number[] = [];
    let recorded = 0;
    let rawRecorded = 0;
    const runSweep = async (): Promise<void> => {
      await ds.query('TRUNCATE reminder');
      const { ms, result } = await timed(() => reminders.recordEnrolmentReminders(NOW, DEFAULT_REMINDER_POLICY));
      sweepRuns.push(ms);
      recorded = result;
    };
    // The raw statement writes into the same table (same indexes and foreign keys); its result is kept aside to compare.
    const runRaw = async (): Promise<void> => {
      await ds.query('TRUNCATE reminder');
      const { ms } = await timed(() => ds.query(RAW_SQL, [NOW.toISOString()]));
      rawRuns.push(ms);
      const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM reminder`)) as Array<{ n: number }>;
      rawRecorded = n;
      await ds.query('DROP TABLE IF EXISTS bench_raw_result');
      await ds.query('CREATE TABLE bench_raw_result AS SELECT enrolment_id, kind, due_date, recipient_id FROM reminder');
    };
    // Three rounds, alternating which goes first (the last run is the sweep's); best of each.
    await alternateRounds(3, runRaw, runSweep);
    // Both recorded the same reminders.
    const [{ diff }] = (await ds.query(
      `SELECT count(*)::int AS diff FROM (
         (SELECT enrolment_id, kind, due_date, recipient_id FROM reminder EXCEPT SELECT enrolment_id, kind, due_date, recipient_id FROM bench_raw_result)
         UNION ALL
         (SELECT enrolment_id, kind, due_date, recipient_id FROM bench_raw_result EXCEPT SELECT enrolment_id, kind, due_date, recipient_id FROM reminder)) x`,
    )) as Array<{ diff: number }>;
    if (diff !== 0 || recorded !== rawRecorded) throw new Error(`the sweep and the raw SQL disagree: ${recorded} vs ${rawRecorded} rows, ${diff} differ`);
    const [{ due }] = (await ds.query(`SELECT count(DISTINCT enrolment_id)::int AS due FROM reminder`)) as Array<{ due: number }>;
    const again = await timed(() => reminders.recordEnrolmentReminders(NOW, DEFAULT_REMINDER_POLICY));

    const ratio = best(sweepRuns) / best(rawRuns);
    console.log(
      `reminders.bench: ${ENROLMENTS.toLocaleString('en')} enrolments, ${due.toLocaleString('en')} due, ${recorded.toLocaleString('en')} reminders recorded: ` +
        `sweep select+record ${fmt(best(sweepRuns))} vs raw SQL ${fmt(best(rawRuns))} (best of 3; runs ${sweepRuns.map(fmt).join(', ')} vs ${rawRuns.map(fmt).join(', ')}): ` +
        `ratio ${ratio.toFixed(2)}× (target ≤ 2×) ${ratio <= 2 ? 'OK' : 'OVER TARGET'}; ` +
        `run again: ${again.result} new in ${fmt(again.ms)}; seed ${(seeded.ms / 1000).toFixed(1)} s`,
    );
    if (again.result !== 0) process.exitCode = 1;
  });
}

main().catch((e: unknown) => {
  console.error('reminders.bench failed:', e);
  process.exit(1);
});
