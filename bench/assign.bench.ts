// Benchmark: assign one course to 100,000 people through the real AssignmentService, next to a raw
// `INSERT … SELECT` of the same rows measured in the same run (target: ≤ 1.5× the raw time), then
// assign again and show it creates nothing. Uses its own scratch database and drops it afterwards.
// Run: `npm run bench` (all benchmarks) or `node dist/bench/assign.bench.js` after `npm run build`.
// Env: BENCH_DATABASE_URL (an admin connection, default postgres://postgres@127.0.0.1:5432/postgres),
// BENCH_PEOPLE (default 100000).
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, loadConfig, Principal, runMigrationsLocked } from '@lms/platform';
import { AccessScope } from '@lms/identity';
import { CatalogReader } from '@lms/catalog';
import { Outbox } from '@lms/jobs';
import { AssignmentRepository, AssignmentService } from '@lms/learning';
import { entities } from '../migrations/entities.js';
import { migrations } from '../migrations/index.js';

const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const DEPARTMENTS = 20;
const UNITS_PER_DEPARTMENT = 5;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t0 = performance.now();
  const result = await fn();
  return { ms: performance.now() - t0, result };
}

/** A national ministry: root → 20 departments → 5 units each; people spread over the 100 units. */
async function seed(ds: DataSource): Promise<{ rootId: string; rootPath: string }> {
  const [root] = (await ds.query(`INSERT INTO org_unit (code, name, kind, path, depth) VALUES ('BENCH', 'Bench ministry', 'institution', '', 0) RETURNING id`)) as Array<{ id: string }>;
  const rootPath = `/${root.id}/`;
  await ds.query(`UPDATE org_unit SET path = $2 WHERE id = $1`, [root.id, rootPath]);
  // Ids are drawn first so each row's materialised path can be written in the same INSERT.
  await ds.query(
    `INSERT INTO org_unit (id, code, name, kind, parent_id, path, depth)
     SELECT x.id, 'D' || x.g, 'Department ' || x.g, 'department', $1, $3 || x.id || '/', 1
       FROM (SELECT gen_random_uuid() AS id, g FROM generate_series(1, $2) g) x`,
    [root.id, DEPARTMENTS, rootPath],
  );
  await ds.query(
    `INSERT INTO org_unit (id, code, name, kind, parent_id, path, depth)
     SELECT x.id, x.code || '-U' || x.g, x.name || ' unit ' || x.g, 'unit', x.parent_id, x.parent_path || x.id || '/', 2
       FROM (SELECT gen_random_uuid() AS id, p.id AS parent_id, p.path AS parent_path, p.code, p.name, g
               FROM org_unit p CROSS JOIN generate_series(1, $2) g WHERE p.parent_id = $1) x`,
    [root.id, UNITS_PER_DEPARTMENT],
  );
  await ds.query(
    `WITH units AS (SELECT array_agg(id ORDER BY code) AS ids FROM org_unit WHERE depth = 2)
     INSERT INTO app_user (email, display_name, org_unit_id, job_role_code)
     SELECT 'person' || g || '@bench.lms', 'Person ' || g, units.ids[1 + g % array_length(units.ids, 1)], CASE WHEN g % 10 = 0 THEN 'clerk' END
       FROM units, generate_series(1, $1) g`,
    [PEOPLE],
  );
  const [school] = (await ds.query(`INSERT INTO org_unit (code, name, kind, path, depth) VALUES ('BENCH-SCHOOL', 'School', 'school', '', 0) RETURNING id`)) as Array<{ id: string }>;
  await ds.query(`UPDATE org_unit SET path = '/' || id || '/' WHERE id = $1`, [school.id]);
  return { rootId: root.id, rootPath };
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
  const name = `lms_bench_assign_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: url.toString(),
    JWT_SECRET: randomBytes(32).toString('hex'),
    CREDENTIAL_KEY_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    DATABASE_POOL_SIZE: '4',
  });
  const ds = await new DataSource(dataSourceOptions(config, entities, migrations)).initialize();
  try {
    await runMigrationsLocked(ds);
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
    const best = (xs: number[]): number => Math.min(...xs);
    const ratio = best(viaService) / best(raw);
    const fmt = (ms: number): string => `${Math.round(ms)} ms`;
    console.log(
      `assign.bench: assign 1 course to ${PEOPLE.toLocaleString('en')} people via AssignmentService ${fmt(best(viaService))} ` +
        `vs raw INSERT … SELECT ${fmt(best(raw))} (best of 2; runs ${viaService.map(fmt).join(', ')} vs ${raw.map(fmt).join(', ')}): ` +
        `ratio ${ratio.toFixed(2)}× (target ≤ 1.5×) ${ratio <= 1.5 ? 'OK' : 'OVER TARGET'}; ` +
        `re-run matched ${again.result.matched}, created ${again.result.created}, alreadyEnrolled ${again.result.alreadyEnrolled} in ${fmt(again.ms)}`,
    );
    if (again.result.created !== 0) process.exitCode = 1;
  } finally {
    await ds.destroy();
    await admin(async (c) => {
      await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
    });
  }
}

main().catch((e: unknown) => {
  console.error('assign.bench failed:', e);
  process.exit(1);
});
