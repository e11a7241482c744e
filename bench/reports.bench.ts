// Benchmark: the completion report for the root unit on 1,000,000 enrolments across 5,000 org
// units (200,000 people, 20 courses), through the real CompletionReportService (what
// GET /reports/completion runs: scope check, freshness stamp, the aggregate read, pagination and
// titles) next to the raw aggregate SQL over the enrolments measured in the same run. Also prints
// the SQL the service itself runs (over report_completion_fact), the rollup variant, a full CSV
// read, and how long the 'reports.refresh' rebuild takes (what buys the speed).
// Uses its own scratch database and drops it afterwards.
// Run: `npm run bench -- reports` or `node dist/bench/reports.bench.js` after `npm run build`.
// Env: BENCH_DATABASE_URL (an admin connection, default postgres://postgres@127.0.0.1:5432/postgres),
// BENCH_ENROLMENTS (default 1000000), BENCH_ROUNDS (default 5), BENCH_KEEP_DB=1 keeps the scratch database.
import 'reflect-metadata';
import { Principal } from '@lms/platform';
import { AccessScope } from '@lms/identity';
import {
  COMPLETION_AGGREGATE_SQL,
  CompletionFactRepository,
  CompletionReportRepository,
  CompletionReportService,
  ReportScope,
} from '@lms/reporting';
import { alternateRounds, fmt, median, timed, withClient, withMigratedDatabase } from './support.js';

const ENROLMENTS = Number(process.env.BENCH_ENROLMENTS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const UNITS = 5_000;
const COURSES = 20;
const PER_PERSON = 5;
const PEOPLE = Math.ceil(ENROLMENTS / PER_PERSON);

/**
 * A 10-ary tree of 5,000 units (root = unit 0, parent of n = (n-1)/10: depths 0–4), people spread
 * evenly over the units, 5 distinct courses each, statuses, sources and due dates spread by
 * arithmetic so the run is repeatable. Set-based (generate_series); foreign-key triggers are
 * skipped for the seed session only (session_replication_role), the indexes are kept.
 */
async function seed(url: string): Promise<string> {
  return withClient(url, async (c) => {
    await c.query(`SET session_replication_role = replica`);
    await c.query(`CREATE TEMP TABLE u_map AS SELECT n, gen_random_uuid() AS id, CASE WHEN n = 0 THEN NULL ELSE (n - 1) / 10 END AS parent_n FROM generate_series(0, ${UNITS - 1}) n`);
    await c.query(`CREATE UNIQUE INDEX ON u_map (n)`);
    await c.query(`
      INSERT INTO org_unit (id, code, name, kind, parent_id, path, depth)
      WITH RECURSIVE t AS (
        SELECT m.n, m.id, m.parent_n, NULL::uuid AS parent_id, ('/' || m.id || '/')::text AS path, 0 AS depth FROM u_map m WHERE m.n = 0
        UNION ALL
        SELECT ch.n, ch.id, ch.parent_n, t.id, t.path || ch.id || '/', t.depth + 1 FROM u_map ch JOIN t ON ch.parent_n = t.n
      )
      SELECT id, 'BENCH-' || n, 'Unit ' || n || ', "bench"', CASE depth WHEN 0 THEN 'country' WHEN 1 THEN 'institution' ELSE 'department' END,
             parent_id, path, depth FROM t`);
    await c.query(`CREATE TEMP TABLE p_map AS SELECT n, gen_random_uuid() AS id FROM generate_series(0, ${PEOPLE - 1}) n`);
    await c.query(`
      INSERT INTO app_user (id, email, display_name, org_unit_id, gender, locality, job_role_code)
      SELECT p.id, 'p' || p.n || '@bench.lms', 'Person ' || p.n, u.id,
             (ARRAY['female', 'male', 'other', 'undisclosed'])[1 + p.n % 7 % 4], (ARRAY['urban', 'rural'])[1 + p.n % 2], NULL
        FROM p_map p JOIN u_map u ON u.n = p.n % ${UNITS}`);
    await c.query(`CREATE TEMP TABLE c_map AS SELECT n, gen_random_uuid() AS id, gen_random_uuid() AS vid FROM generate_series(0, ${COURSES - 1}) n`);
    await c.query(`INSERT INTO course (id, slug, school_org_unit_id) SELECT c.id, 'bench-course-' || c.n, (SELECT id FROM u_map WHERE n = 0) FROM c_map c`);
    await c.query(`
      INSERT INTO course_version (id, course_id, version, status, content_hash, default_language, languages, title, summary, audience, level,
                                  estimated_minutes, framework_key, competencies, aligned_with, completion, published_at)
      SELECT c.vid, c.id, 1, 'published', md5(c.n::text), 'en', ARRAY['en'], jsonb_build_object('en', 'Bench course ' || c.n), '{"en": ""}',
             'all', 'basic', 60, 'dacps', '[]', '[]', '{}', now() FROM c_map c`);
    // status by (7p + 3k) mod 10: 0-1 enrolled, 2-3 in progress, 4-8 completed, 9 withdrawn;
    // two in three from an assignment with a due date between 30 days ago and 30 days ahead.
    await c.query(`
      INSERT INTO enrolment (user_id, course_id, course_version_id, status, source, due_at, enrolled_at, completed_at, withdrawn_at, progress)
      SELECT p.id, c.id, c.vid, s.status,
             CASE WHEN (p.n + k) % 3 = 0 THEN 'self' ELSE 'assignment' END,
             CASE WHEN (p.n + k) % 3 = 0 THEN NULL ELSE now() + ((p.n % 61) - 30) * interval '1 day' END,
             now() - ((p.n + k) % 900) * interval '1 day',
             CASE WHEN s.status = 'completed' THEN now() - ((p.n + k) % 300) * interval '1 day' END,
             CASE WHEN s.status = 'withdrawn' THEN now() END,
             CASE s.status WHEN 'completed' THEN 100 WHEN 'in_progress' THEN 50 ELSE 0 END
        FROM p_map p
        CROSS JOIN generate_series(0, ${PER_PERSON - 1}) k
        JOIN c_map c ON c.n = (p.n / ${UNITS} + k * 4) % ${COURSES}
        CROSS JOIN LATERAL (SELECT (ARRAY['enrolled', 'enrolled', 'in_progress', 'in_progress', 'completed', 'completed', 'completed', 'completed', 'completed', 'withdrawn'])[1 + (p.n * 7 + k * 3) % 10] AS status) s
       WHERE p.n * ${PER_PERSON} + k < ${ENROLMENTS}`);
    const [{ id }] = (await c.query(`SELECT id FROM u_map WHERE n = 0`)).rows as Array<{ id: string }>;
    return id;
  });
}

async function main(): Promise<void> {
  const keep = process.env.BENCH_KEEP_DB ? (name: string): void => console.log(`kept database ${name}`) : undefined;
  await withMigratedDatabase('reports', { keep }, async ({ ds, url }) => {
    const seeded = await timed(() => seed(url));
    const rootId = seeded.result;
    await ds.query('VACUUM ANALYZE');
    const [{ n: enrolments }] = (await ds.query(`SELECT count(*)::int AS n FROM enrolment`)) as Array<{ n: number }>;
    const [{ n: units }] = (await ds.query(`SELECT count(*)::int AS n FROM org_unit`)) as Array<{ n: number }>;

    const facts = new CompletionFactRepository(ds);
    const reports = new CompletionReportRepository(ds);
    const service = new CompletionReportService(new ReportScope(ds, new AccessScope(ds)), reports, facts);
    const refresh = await timed(() => facts.rebuild({ wait: true }));
    const refreshAgain = await timed(() => facts.rebuild({ wait: true })); // nothing changed: no row rewritten
    await ds.query('VACUUM ANALYZE report_completion_fact');

    const [adminUser] = (await ds.query(`SELECT id FROM app_user LIMIT 1`)) as Array<{ id: string }>;
    const admin: Principal = { userId: adminUser.id, email: 'admin@bench.lms', orgUnitId: rootId, grants: [{ role: 'admin', scopeOrgUnitId: null }] };
    const [{ path: rootPath }] = (await ds.query(`SELECT path FROM org_unit WHERE id = $1`, [rootId])) as Array<{ path: string }>;
    const filter = { prefixes: [rootPath], courseId: null, source: null, rollup: false };

    const runService = (): Promise<{ ms: number; result: Awaited<ReturnType<CompletionReportService['page']>> }> =>
      timed(() => service.page(admin, { orgUnitId: rootId, page: 1, limit: 20 }));
    // The raw aggregate, reduced in the database so that shipping its rows to Node is not counted against it.
    const RAW_SQL = `SELECT count(*)::int AS groups, COALESCE(sum(enrolled), 0)::int AS enrolled FROM (${COMPLETION_AGGREGATE_SQL}) a`;
    const runRaw = (): Promise<{ ms: number; result: Array<{ groups: number; enrolled: number }> }> => timed(() => ds.query(RAW_SQL));
    const runOwnSql = (): Promise<{ ms: number; result: unknown }> => timed(() => reports.page(filter, 0, 20));

    // Warm up (plans, caches) and check the numbers agree, then alternate the order each round.
    const check = await runService();
    const [{ enrolled: rawEnrolled }] = (await runRaw()).result;
    await runOwnSql();
    const [{ live }] = (await ds.query(`SELECT count(*)::int AS live FROM enrolment WHERE status <> 'withdrawn'`)) as Array<{ live: number }>;
    if (rawEnrolled !== live) throw new Error(`raw aggregate counts ${rawEnrolled} enrolments, expected ${live}`);
    if (check.result.items.length !== 20 || check.result.total < UNITS) throw new Error(`unexpected report page: ${check.result.items.length} rows of ${check.result.total}`);
    const viaService: number[] = [];
    const raw: number[] = [];
    const own: number[] = [];
    await alternateRounds(
      ROUNDS,
      async () => viaService.push((await runService()).ms),
      async () => raw.push((await runRaw()).ms),
      async () => own.push((await runOwnSql()).ms),
    );
    const rollup = await timed(() => service.page(admin, { orgUnitId: rootId, rollup: true, page: 1, limit: 20 }));
    const csv = await timed(async () => {
      let rows = 0;
      for await (const batch of await service.export(admin, { orgUnitId: rootId })) rows += batch.length;
      return rows;
    });

    const ratio = median(viaService) / median(raw);
    console.log(
      `completion report, root unit, ${enrolments.toLocaleString('en')} enrolments / ${units.toLocaleString('en')} units: ` +
        `service ${fmt(median(viaService))} vs raw aggregate SQL ${fmt(median(raw))} → ratio ${ratio.toFixed(2)} (target ≤ 1.30) ` +
        `[median of ${ROUNDS}; the service's own SQL over report_completion_fact ${fmt(median(own))}; ` +
        `rollup ${fmt(rollup.ms)}; CSV read of all ${csv.result.toLocaleString('en')} rows ${fmt(csv.ms)}; ` +
        `'reports.refresh' rebuild ${fmt(refresh.ms)} (${refresh.result.rows.toLocaleString('en')} rows), unchanged rebuild ${fmt(refreshAgain.ms)}; seed ${fmt(seeded.ms)}]`,
    );
    if (median(viaService) >= 1000) console.log(`WARNING: the report took ${fmt(median(viaService))}, over the 1 s target`);
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
