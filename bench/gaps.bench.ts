// Benchmark: the competency gap analysis of one org-unit subtree of 50,000 people (job roles with
// 4–6 required competencies, ~4 pieces of evidence per person, some expiring, some expired) through
// the real GapService (what GET /org-units/:id/gaps runs: scope check, the set-based gap query,
// headcount, course recommendations, titles) next to the raw gap SQL alone, in the same run.
// Uses its own scratch database and drops it afterwards.
// Run: `npm run bench -- gaps` or `node dist/bench/gaps.bench.js` after `npm run build`.
// Env: BENCH_DATABASE_URL (an admin connection, default postgres://postgres@127.0.0.1:5432/postgres),
// BENCH_PEOPLE (default 50000), BENCH_ROUNDS (default 5), BENCH_KEEP_DB=1 keeps the scratch database (to EXPLAIN).
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { Principal } from '@lms/platform';
import { AccessScope, AuditLog } from '@lms/identity';
import type { AssignmentService } from '@lms/learning';
import { EvidenceRepository, FrameworkImportService, FrameworkRepository, GAP_QUERY_SETTINGS, GapRepository, GapService, UNIT_GAPS_SQL } from '@lms/competency';
import { alternateRounds, fmt, median, seedOrgTree, timed, withMigratedDatabase } from './support.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARN_DAYS = 60;

/** Job roles over the dacps codes (what a ministry might require). */
const ROLES: Record<string, Array<[string, number]>> = {
  clerk: [['LIT.1', 1], ['LIT.2', 1], ['LIT.3', 1], ['DAT.3', 1]],
  'policy-analyst': [['LIT.1', 2], ['LIT.3', 2], ['DAT.1', 2], ['DAT.4', 2], ['RSP.1', 1]],
  'service-designer': [['LIT.2', 2], ['SVC.1', 2], ['SVC.2', 2], ['DAT.2', 1], ['DAT.3', 2]],
  'it-officer': [['RSP.3', 2], ['DAT.3', 2], ['DAT.1', 2], ['LIT.1', 2], ['RSP.2', 1], ['LEAD.3', 1]],
  manager: [['LEAD.1', 3], ['LEAD.2', 2], ['LEAD.3', 2], ['RSP.1', 2], ['LIT.1', 1]],
};

/** Published courses (the starter curricula's competencies) plus filler courses on other codes. */
const COURSES: Array<[string, number, Array<[string, number]>]> = [
  ['ai-fundamentals', 105, [['LIT.1', 2], ['LIT.3', 1]]],
  ['algorithmic-accountability', 120, [['RSP.1', 2], ['RSP.2', 2], ['LIT.1', 1]]],
  ['cybersecurity-data-protection', 105, [['RSP.3', 2], ['DAT.3', 2]]],
  ['data-governance-open-data', 110, [['DAT.1', 2], ['DAT.2', 2], ['DAT.4', 1]]],
  ['digital-tools-climate-action', 110, [['SVC.3', 2], ['DAT.2', 1]]],
  ['gender-responsive-digital-government', 110, [['SVC.2', 2], ['DAT.4', 1]]],
  ['generative-ai-at-work', 105, [['LIT.2', 2], ['DAT.3', 1], ['LIT.3', 2]]],
  ['inclusive-digital-services', 105, [['SVC.1', 2], ['DAT.2', 1]]],
  ['leading-digital-change', 140, [['LEAD.1', 3], ['LEAD.2', 2], ['LEAD.3', 2]]],
];

/** Root → 10 departments → 10 units each; people spread over the 100 units, each with a job role. */
async function seed(ds: DataSource): Promise<{ rootId: string; rootPath: string }> {
  const { rootId, rootPath } = await seedOrgTree(ds, 10, 10);
  // Another institution with people of its own (the query must not read them).
  const [other] = (await ds.query(`INSERT INTO org_unit (code, name, kind, path, depth) VALUES ('OTHER', 'Other ministry', 'institution', '', 0) RETURNING id`)) as Array<{ id: string }>;
  await ds.query(`UPDATE org_unit SET path = '/' || id || '/' WHERE id = $1`, [other.id]);

  const roles = Object.keys(ROLES);
  for (const [code, reqs] of Object.entries(ROLES)) {
    await ds.query(`INSERT INTO job_role (code, title) VALUES ($1, $1)`, [code]);
    await ds.query(
      `INSERT INTO job_role_requirement (job_role_code, framework_key, competency_code, level)
       SELECT $1, 'dacps', r.code, r.level FROM jsonb_to_recordset($2::jsonb) AS r(code text, level int)`,
      [code, JSON.stringify(reqs.map(([c, l]) => ({ code: c, level: l })))],
    );
  }
  await ds.query(
    `WITH units AS (SELECT array_agg(id ORDER BY code) AS ids FROM org_unit WHERE depth = 2 AND path LIKE $3 || '%')
     INSERT INTO app_user (email, display_name, org_unit_id, job_role_code)
     SELECT 'person' || g || '@bench.lms', 'Person ' || g, units.ids[1 + g % array_length(units.ids, 1)], ($2::text[])[1 + g % array_length($2::text[], 1)]
       FROM units, generate_series(1, $1) g`,
    [PEOPLE, roles, rootPath],
  );
  await ds.query(
    `INSERT INTO app_user (email, display_name, org_unit_id, job_role_code)
     SELECT 'other' || g || '@bench.lms', 'Other ' || g, $1, 'clerk' FROM generate_series(1, 10000) g`,
    [other.id],
  );
  // Evidence per requirement: 35% none, 20% a level below, 30% met for good, 10% met but expiring
  // within 30 days, 5% met but expired; plus one piece on a competency the role does not require.
  await ds.query(`SELECT setseed(0.42)`);
  await ds.query(
    `WITH req AS (
       SELECT u.id AS user_id, r.competency_code, r.level, random() AS x
         FROM app_user u JOIN job_role_requirement r ON r.job_role_code = u.job_role_code
     )
     INSERT INTO competency_evidence (user_id, competency_code, framework_key, framework_version, level, source, note, awarded_at, expires_at)
     SELECT user_id, competency_code, 'dacps', 1,
            CASE WHEN x < 0.55 THEN greatest(level - 1, 1) ELSE level END, 'manual', 'bench',
            now() - interval '200 days',
            CASE WHEN x >= 0.85 AND x < 0.95 THEN now() + (1 + (x - 0.85) * 500)::int * interval '1 day'
                 WHEN x >= 0.95 THEN now() - interval '3 days' END
       FROM req WHERE x >= 0.35 AND NOT (x < 0.55 AND level = 1)`,
  );
  await ds.query(
    `INSERT INTO competency_evidence (user_id, competency_code, framework_key, framework_version, level, source, note, awarded_at)
     SELECT id, 'SVC.3', 'dacps', 1, 1, 'manual', 'bench', now() - interval '100 days' FROM app_user`,
  );

  const [school] = (await ds.query(`INSERT INTO org_unit (code, name, kind, path, depth) VALUES ('SCHOOL', 'School', 'school', '', 0) RETURNING id`)) as Array<{ id: string }>;
  await ds.query(`UPDATE org_unit SET path = '/' || id || '/' WHERE id = $1`, [school.id]);
  for (const [slug, minutes, comps] of COURSES) {
    const [course] = (await ds.query(`INSERT INTO course (slug, school_org_unit_id) VALUES ($1, $2) RETURNING id`, [slug, school.id])) as Array<{ id: string }>;
    await ds.query(
      `INSERT INTO course_version (course_id, version, status, content_hash, default_language, languages, title, summary, audience, level,
                                   estimated_minutes, framework_key, competencies, aligned_with, completion, certificate_validity_months, published_at)
       VALUES ($1, 1, 'published', $2, 'en', '{en}', $3, '{"en":"For the benchmark"}', 'all-staff', 'foundation', $4, 'dacps', $5, '[]', '{}', 24, now())`,
      [course.id, slug, { en: slug }, minutes, JSON.stringify(comps.map(([code, level]) => ({ code, level })))],
    );
  }
  return { rootId, rootPath };
}

async function main(): Promise<void> {
  const keep = process.env.BENCH_KEEP_DB ? (name: string): void => console.log(`kept database ${name} (BENCH_KEEP_DB)`) : undefined;
  await withMigratedDatabase('gaps', { keep }, async ({ ds, config }) => {
    const frameworks = new FrameworkRepository(ds);
    await new FrameworkImportService(ds, frameworks).importFile(new URL('../../courses/frameworks/dacps.yaml', import.meta.url).pathname);
    const seeded = await timed(() => seed(ds));
    const { rootId, rootPath } = seeded.result;
    await ds.query('VACUUM ANALYZE');
    const [{ evidence }] = (await ds.query(`SELECT count(*)::int AS evidence FROM competency_evidence`)) as Array<{ evidence: number }>;

    // The assignment service is not used by the read path measured here.
    const service = new GapService(new GapRepository(ds), new EvidenceRepository(ds), frameworks, new AccessScope(ds), config, null as unknown as AssignmentService, new AuditLog(ds), ds);
    const [hrUser] = (await ds.query(`SELECT id FROM app_user LIMIT 1`)) as Array<{ id: string }>;
    await ds.query(`INSERT INTO role_grant (user_id, role, scope_org_unit_id) VALUES ($1, 'hr', $2)`, [hrUser.id, rootId]);
    const hr: Principal = { userId: hrUser.id, email: 'hr@bench.lms', orgUnitId: rootId, grants: [{ role: 'hr', scopeOrgUnitId: rootId }] };

    const runService = (): Promise<{ ms: number; result: Awaited<ReturnType<GapService['forUnit']>> }> =>
      timed(() => service.forUnit(hr, rootId, { warnDays: WARN_DAYS, page: 1, limit: 20 }));
    // The raw baseline: the same statement with the same SET LOCAL settings, nothing else.
    const runRaw = (): Promise<{ ms: number; result: unknown }> =>
      timed(() =>
        ds.transaction(async (m) => {
          for (const setting of GAP_QUERY_SETTINGS) await m.query(setting);
          return m.query(UNIT_GAPS_SQL, [rootPath, WARN_DAYS]);
        }),
      );

    // Warm up both (plans, caches), then alternate the order each round.
    const check = await runService();
    await runRaw();
    if (check.result.headcount.withJobRole !== PEOPLE) throw new Error(`expected ${PEOPLE} people with a job role in the subtree, got ${check.result.headcount.withJobRole}`);
    const viaService: number[] = [];
    const raw: number[] = [];
    await alternateRounds(
      ROUNDS,
      async () => viaService.push((await runService()).ms),
      async () => raw.push((await runRaw()).ms),
    );
    const page = await timed(() => service.forUnit(hr, rootId, { warnDays: WARN_DAYS, competency: 'LIT.1', page: 50, limit: 100 }));
    // The unit counts and the per-person list use two formulations of the same rule: they must agree.
    const litShort = check.result.items.filter((i) => i.code === 'LIT.1').reduce((s, i) => s + i.peopleShort, 0);
    if (page.result.people?.total !== litShort) throw new Error(`LIT.1: ${litShort} people short in the unit counts, ${page.result.people?.total} in the list`);
    const ratio = median(viaService) / median(raw);
    const short = check.result.items.reduce((s, i) => s + i.peopleShort, 0);
    console.log(
      `gaps.bench: GET /org-units/:id/gaps for ${PEOPLE.toLocaleString('en')} people (${evidence.toLocaleString('en')} evidence rows, ` +
        `${check.result.items.length} competency rows, ${short.toLocaleString('en')} gaps) ` +
        `via GapService ${fmt(median(viaService))} vs raw gap SQL ${fmt(median(raw))} (median of ${ROUNDS}; service ${viaService.map(fmt).join(', ')}; raw ${raw.map(fmt).join(', ')}): ` +
        `ratio ${ratio.toFixed(2)}×; list of the ${litShort.toLocaleString('en')} people short of LIT.1 (page 50 of 100) ${fmt(page.ms)}; target well under 1 s: ${median(viaService) < 1000 ? 'OK' : 'OVER'} ` +
        `(seeded in ${fmt(seeded.ms)})`,
    );
    if (median(viaService) >= 1000) process.exitCode = 1;
  });
}

main().catch((e: unknown) => {
  console.error('gaps.bench failed:', e);
  process.exit(1);
});
