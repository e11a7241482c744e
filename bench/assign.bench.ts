// Benchmark: assign one course to N people through the real AssignmentService, next to the cheapest
// correct SQL for the same rows — one raw `INSERT … SELECT` from the people of the subtree —
// measured in the same run (target: ≤ 1.5× the raw time), then assign again (creates nothing; the
// case that used to go quadratic) and compare that too. Each size runs twice, on its own scratch
// database:
//   fresh     right after the bulk load of people, autovacuum off for the tables involved and no
//             ANALYZE: the planner has no statistics (what a national import followed at once by a
//             bulk assignment looks like);
//   analysed  the same after VACUUM ANALYZE.
// Run: `npm run bench -- assign` or `node dist/bench/assign.bench.js` after `npm run build`.
// Env: BENCH_DATABASE_URL (an admin connection, default postgres://postgres@127.0.0.1:5432/postgres),
// BENCH_PEOPLE: a size or a comma-separated list (default 100000; `BENCH_PEOPLE=100000,500000` adds
// the national size, about 3 minutes more here), BENCH_MODES (default fresh,analysed).
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { Principal } from '@lms/platform';
import { AccessScope } from '@lms/identity';
import { CatalogCache, CatalogReader } from '@lms/catalog';
import { Outbox } from '@lms/jobs';
import { AssignmentRepository, AssignmentService } from '@lms/learning';
import { benchConfig, best, fmt, seedOrgTree, timed, withMigratedDatabase } from './support.js';

const SIZES = (process.env.BENCH_PEOPLE ?? '100000').split(',').map((x) => Number(x.trim()));
const MODES = (process.env.BENCH_MODES ?? 'fresh,analysed').split(',').map((x) => x.trim()) as Mode[];
type Mode = 'fresh' | 'analysed';
/** The tables a bulk import and a bulk assignment touch. */
const TABLES = ['app_user', 'org_unit', 'enrolment', 'course', 'course_version', 'assignment', 'outbox_event'];
const DEPARTMENTS = 20;
const UNITS_PER_DEPARTMENT = 5;

/** A national ministry: root → 20 departments → 5 units each; people spread over the 100 units. */
async function seed(ds: DataSource, people: number): Promise<{ rootId: string; rootPath: string }> {
  const { rootId, rootPath } = await seedOrgTree(ds, DEPARTMENTS, UNITS_PER_DEPARTMENT);
  await ds.query(
    `WITH units AS (SELECT array_agg(id ORDER BY code) AS ids FROM org_unit WHERE depth = 2)
     INSERT INTO app_user (email, display_name, org_unit_id, job_role_code)
     SELECT 'person' || g || '@bench.lms', 'Person ' || g, units.ids[1 + g % array_length(units.ids, 1)], CASE WHEN g % 10 = 0 THEN 'clerk' END
       FROM units, generate_series(1, $1) g`,
    [people],
  );
  const [school] = (await ds.query(`INSERT INTO org_unit (code, name, kind, path, depth) VALUES ('BENCH-SCHOOL', 'School', 'school', '', 0) RETURNING id`)) as Array<{ id: string }>;
  await ds.query(`UPDATE org_unit SET path = '/' || id || '/' WHERE id = $1`, [school.id]);
  return { rootId, rootPath };
}

async function aCourse(ds: DataSource, slug: string): Promise<{ courseId: string; versionId: string }> {
  const [school] = (await ds.query(`SELECT id FROM org_unit WHERE code = 'BENCH-SCHOOL'`)) as Array<{ id: string }>;
  const [course] = (await ds.query(`INSERT INTO course (slug, school_org_unit_id) VALUES ($1, $2) RETURNING id`, [slug, school.id])) as Array<{ id: string }>;
  const [version] = (await ds.query(
    `INSERT INTO course_version (course_id, version, status, content_hash, default_language, languages, title, summary, audience, level,
                                 estimated_minutes, framework_key, competencies, aligned_with, completion, published_at)
     VALUES ($1, 1, 'published', $2, 'en', '{en}', '{"en":"Bench course"}', '{"en":"For the benchmark"}', 'all-staff', 'foundation', 60, 'dacps', '[]', '[]', '{}', now())
     RETURNING id`,
    [course.id, slug],
  )) as Array<{ id: string }>;
  return { courseId: course.id, versionId: version.id };
}

async function runOne(people: number, mode: Mode): Promise<boolean> {
  return withMigratedDatabase('assign', {}, async ({ ds, url }) => {
    if (mode === 'fresh') for (const t of TABLES) await ds.query(`ALTER TABLE ${t} SET (autovacuum_enabled = false)`);
    const { rootId, rootPath } = await seed(ds, people);
    if (mode === 'analysed') await ds.query('VACUUM ANALYZE');
    const service = new AssignmentService(ds, new AssignmentRepository(ds), new AccessScope(ds), new CatalogReader(ds, new CatalogCache(benchConfig(url))), new Outbox());
    const [someone] = (await ds.query(`SELECT id FROM app_user LIMIT 1`)) as Array<{ id: string }>;
    const adminPrincipal: Principal = { userId: someone.id, email: 'bench@bench.lms', orgUnitId: rootId, grants: [{ role: 'admin', scopeOrgUnitId: null }] };
    const target = { orgUnitId: rootId, includeSubUnits: true };

    // Two rounds, alternating the order (the second insert of a round meets bigger indexes); best of each.
    const raw: number[] = [];
    const viaService: number[] = [];
    let serviceSlug = '';
    for (const round of [1, 2]) {
      const rawCourse = await aCourse(ds, `bench-raw-${round}`);
      serviceSlug = `bench-service-${round}`;
      await aCourse(ds, serviceSlug);
      const runRaw = async (): Promise<void> => {
        const { ms } = await timed(() =>
          ds.query(
            `INSERT INTO enrolment (user_id, course_id, course_version_id, status, source, due_at, due_reason)
             SELECT u.id, $1, $2, 'enrolled', 'assignment', now() + interval '30 days', 'raw baseline'
               FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id WHERE o.path LIKE $3`,
            [rawCourse.courseId, rawCourse.versionId, `${rootPath}%`],
          ),
        );
        raw.push(ms);
      };
      const runService = async (): Promise<void> => {
        const { ms, result } = await timed(() => service.assign(adminPrincipal, { courseSlug: serviceSlug, target, dueInDays: 30 }));
        if (result.created !== people) throw new Error(`expected ${people} enrolments, the service created ${result.created} (${JSON.stringify(result)})`);
        viaService.push(ms);
      };
      if (round === 1) {
        await runRaw();
        await runService();
      } else {
        await runService();
        await runRaw();
      }
    }
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM enrolment WHERE source = 'assignment' AND assignment_id IS NULL`)) as Array<{ n: number }>;
    if (n !== 2 * people) throw new Error(`raw baseline inserted ${n} rows, expected ${2 * people}`);
    if (mode === 'fresh') {
      const [stats] = (await ds.query(`SELECT reltuples::bigint AS t FROM pg_class WHERE relname = 'enrolment'`)) as Array<{ t: string }>;
      if (Number(stats.t) > 0) throw new Error(`enrolment was analysed during the fresh run (reltuples ${stats.t})`);
    }

    // The re-run meets every person already enrolled in the course: before the rewrite, this was
    // the nested loop that read all of the course's enrolments once per person.
    const again = await timed(() => service.assign(adminPrincipal, { courseSlug: serviceSlug, target, dueInDays: 30 }));
    const ratio = best(viaService) / best(raw);
    const againRatio = again.ms / best(raw);
    const ok = ratio <= 1.5 && againRatio <= 1.5 && again.result.created === 0;
    console.log(
      `assign.bench [${mode}, ${people.toLocaleString('en')} people]: AssignmentService ${fmt(best(viaService))} ` +
        `vs raw INSERT … SELECT ${fmt(best(raw))} (best of 2; runs ${viaService.map(fmt).join(', ')} vs ${raw.map(fmt).join(', ')}): ` +
        `ratio ${ratio.toFixed(2)}×; re-run ${fmt(again.ms)} (${againRatio.toFixed(2)}×; matched ${again.result.matched}, created ${again.result.created}) ` +
        `— target ≤ 1.5× ${ok ? 'OK' : 'OVER TARGET'}`,
    );
    return ok;
  });
}

async function main(): Promise<void> {
  let allOk = true;
  for (const people of SIZES) for (const mode of MODES) allOk = (await runOne(people, mode)) && allOk;
  if (!allOk) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error('assign.bench failed:', e);
  process.exit(1);
});
