// Benchmark: assign one course to 100,000 people through the real AssignmentService, next to a raw
// `INSERT … SELECT` of the same rows measured in the same run (target: ≤ 1.5× the raw time), then
// assign again and show it creates nothing. Uses its own scratch database and drops it afterwards.
// Run: `npm run bench` (all benchmarks) or `node dist/bench/assign.bench.js` after `npm run build`.
// Env: BENCH_DATABASE_URL (an admin connection, default postgres://postgres@127.0.0.1:5432/postgres),
// BENCH_PEOPLE (default 100000).
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { Principal } from '@lms/platform';
import { AccessScope } from '@lms/identity';
import { CatalogReader } from '@lms/catalog';
import { Outbox } from '@lms/jobs';
import { AssignmentRepository, AssignmentService } from '@lms/learning';
import { best, fmt, seedOrgTree, timed, withMigratedDatabase } from './support.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const DEPARTMENTS = 20;
const UNITS_PER_DEPARTMENT = 5;

/** A national ministry: root → 20 departments → 5 units each; people spread over the 100 units. */
async function seed(ds: DataSource): Promise<{ rootId: string; rootPath: string }> {
  const { rootId, rootPath } = await seedOrgTree(ds, DEPARTMENTS, UNITS_PER_DEPARTMENT);
  await ds.query(
    `WITH units AS (SELECT array_agg(id ORDER BY code) AS ids FROM org_unit WHERE depth = 2)
     INSERT INTO app_user (email, display_name, org_unit_id, job_role_code)
     SELECT 'person' || g || '@bench.lms', 'Person ' || g, units.ids[1 + g % array_length(units.ids, 1)], CASE WHEN g % 10 = 0 THEN 'clerk' END
       FROM units, generate_series(1, $1) g`,
    [PEOPLE],
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

async function main(): Promise<void> {
  await withMigratedDatabase('assign', {}, async ({ ds }) => {
    const { rootId, rootPath } = await seed(ds);
    await ds.query('VACUUM ANALYZE');
    const service = new AssignmentService(ds, new AssignmentRepository(ds), new AccessScope(ds), new CatalogReader(ds), new Outbox());
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
        if (result.created !== PEOPLE) throw new Error(`expected ${PEOPLE} enrolments, the service created ${result.created} (${JSON.stringify(result)})`);
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
    if (n !== 2 * PEOPLE) throw new Error(`raw baseline inserted ${n} rows, expected ${2 * PEOPLE}`);

    const again = await timed(() => service.assign(adminPrincipal, { courseSlug: serviceSlug, target, dueInDays: 30 }));
    const ratio = best(viaService) / best(raw);
    console.log(
      `assign.bench: assign 1 course to ${PEOPLE.toLocaleString('en')} people via AssignmentService ${fmt(best(viaService))} ` +
        `vs raw INSERT … SELECT ${fmt(best(raw))} (best of 2; runs ${viaService.map(fmt).join(', ')} vs ${raw.map(fmt).join(', ')}): ` +
        `ratio ${ratio.toFixed(2)}× (target ≤ 1.5×) ${ratio <= 1.5 ? 'OK' : 'OVER TARGET'}; ` +
        `re-run matched ${again.result.matched}, created ${again.result.created}, alreadyEnrolled ${again.result.alreadyEnrolled} in ${fmt(again.ms)}`,
    );
    if (again.result.created !== 0) process.exitCode = 1;
  });
}

main().catch((e: unknown) => {
  console.error('assign.bench failed:', e);
  process.exit(1);
});
