import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@lms/platform';
import type { OrgUnit } from '@lms/identity';
import { aPublishedCourse } from '../support/learning-builders.js';
import { cleanEnv, freePort, OwnPostgres, runNode, RunningProcess, TEST_REDIS_URL, tokenFor, waitForStatus } from '@lms/testing';

const API = 'dist/apps/api/src/main.js';
const PEOPLE = 40;
/** The people of the unit an assignment targets: PEOPLE and the admin. */
const MEMBERS = PEOPLE + 1;
const COURSES = 400;
const WRITERS = 3;
/** How long PostgreSQL stays down while the requests keep coming. */
const OUTAGE_MS = 3_000;

type Phase = 'before' | 'stopping' | 'down' | 'starting' | 'after';
interface Answer {
  phase: Phase;
  kind: 'assign' | 'read' | 'ready';
  status: number;
  problemJson: boolean;
  code?: string;
  assignmentId?: string;
  courseSlug?: string;
}

/**
 * The production API process (dist) on a PRIVATE PostgreSQL cluster that the test stops like a
 * crash (pg_ctl -m immediate) and starts again, while requests keep coming: readiness goes
 * 200 → 503 → 200, every request during the outage answers 503 problem+json (never a 500, never
 * a dropped connection), every assignment (one INSERT of the assignment, one of its 41
 * enrolments and its outbox event, in one transaction) is all or nothing, and the same process
 * serves again without a restart.
 */
describe('PostgreSQL restarted under load (private cluster, API process)', () => {
  let server: OwnPostgres;
  let api: RunningProcess | undefined;
  let base: string;
  let db: pg.Pool;
  let admin: string;
  let unitId: string;
  const slugs: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'lms-pgrestart-'));

  beforeAll(async () => {
    server = new OwnPostgres(await freePort());
    await server.start();
    await server.createDatabase('lms');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const jwtSecret = randomBytes(32).toString('hex');
    api = runNode(
      API,
      cleanEnv({
        DATABASE_URL: server.url('lms'),
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: `lmspgrestart-${port}`,
        JWT_SECRET: jwtSecret,
        CREDENTIAL_KEY_SECRET: randomBytes(32).toString('hex'),
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        DATABASE_POOL_SIZE: '5',
        IMPORT_COURSES_ON_START: 'false',
      }),
    );
    // The API applies the migrations itself at start (under its advisory lock).
    await waitForStatus(`${base}/health/ready`, 200, 90_000, api);

    db = new pg.Pool({ connectionString: server.url('lms'), max: 2 });
    db.on('error', () => undefined); // idle test connections die with the server: expected here
    const ds = { query: async (sql: string, params?: unknown[]) => (await db.query(sql, params)).rows } as unknown as DataSource;
    const [unit] = (await ds.query(
      `INSERT INTO org_unit (code, name, kind, parent_id, path, depth) VALUES ('PGR', 'Restart unit', 'institution', NULL, '', 0) RETURNING id`,
    )) as Array<{
      id: string;
    }>;
    await ds.query(`UPDATE org_unit SET path = '/' || id || '/' WHERE id = $1`, [unit.id]);
    await ds.query(
      `INSERT INTO app_user (email, display_name, org_unit_id) SELECT 'p' || i || '@restart.test', 'Person ' || i, $1 FROM generate_series(1, $2) AS i`,
      [unit.id, PEOPLE],
    );
    const [adminRow] = (await ds.query(
      `INSERT INTO app_user (email, display_name, org_unit_id) VALUES ('admin@restart.test', 'Admin', $1) RETURNING id`,
      [unit.id],
    )) as Array<{
      id: string;
    }>;
    await ds.query(`INSERT INTO role_grant (user_id, role, scope_org_unit_id) VALUES ($1, 'admin', NULL)`, [adminRow.id]);
    admin = await tokenFor({ jwtSecret } as AppConfig, adminRow);
    const school = { id: unit.id } as OrgUnit;
    for (let i = 0; i < COURSES; i++) slugs.push((await aPublishedCourse(ds, { school, quiz: null, lessons: [{ slug: 'l1' }] })).slug);
    unitId = unit.id;
  }, 180_000);

  afterAll(async () => {
    if (api && api.child.exitCode === null && api.child.signalCode === null) api.child.kill('SIGKILL');
    await api?.exited;
    await db?.end().catch(() => undefined);
    await server?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 problem+json while the database is down, writes all or nothing, and recovers by itself', async () => {
    const answers: Answer[] = [];
    let phase: Phase = 'before';
    let next = 0;
    let running = true;
    const auth = { authorization: `Bearer ${admin}` };
    const call = async (kind: Answer['kind'], url: string, init: RequestInit = {}): Promise<Answer> => {
      const at = phase;
      try {
        const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
        const type = res.headers.get('content-type') ?? '';
        const body = (await res.json().catch(() => ({}))) as { id?: string; code?: string };
        const a: Answer = {
          phase: at,
          kind,
          status: res.status,
          problemJson: type.startsWith('application/problem+json'),
          code: body.code,
        };
        if (kind === 'assign' && res.status === 201) a.assignmentId = body.id;
        answers.push(a);
        return a;
      } catch (e) {
        // A dropped connection or a timeout: the API did not answer at all (must never happen).
        const a: Answer = { phase: at, kind, status: 0, problemJson: false, code: (e as Error).message };
        answers.push(a);
        return a;
      }
    };
    const writer = async (): Promise<void> => {
      while (running && next < slugs.length) {
        const courseSlug = slugs[next++];
        const a = await call('assign', `${base}/api/v1/assignments`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ courseSlug, target: { orgUnitId: unitId }, dueInDays: 30 }),
        });
        a.courseSlug = courseSlug;
        if (a.status !== 201) await sleep(50);
      }
    };
    const reader = async (): Promise<void> => {
      while (running) {
        await call('read', `${base}/api/v1/me`, { headers: auth });
        await call('ready', `${base}/health/ready`);
        await sleep(50);
      }
    };
    const started = Date.now();
    const load = Promise.all([...Array.from({ length: WRITERS }, writer), reader()]);
    const count = (p: Phase, kind?: Answer['kind'], status?: number): number =>
      answers.filter((a) => a.phase === p && (!kind || a.kind === kind) && (status === undefined || a.status === status)).length;

    try {
      while (count('before', 'assign', 201) < 10) await sleep(50);
      phase = 'stopping';
      await server.stop('immediate');
      phase = 'down';
      const downAt = Date.now();
      while (Date.now() - downAt < OUTAGE_MS) await sleep(50);
      phase = 'starting';
      await server.start();
      phase = 'after';
      const upAt = Date.now();
      while (count('after', 'assign', 201) < 10 || count('after', 'ready', 200) < 1) {
        if (Date.now() - upAt > 30_000) throw new Error('the API did not recover within 30 s of PostgreSQL starting');
        await sleep(50);
      }
    } finally {
      running = false;
      await load;
    }

    const down = answers.filter((a) => a.phase === 'down');
    const summary = (list: Answer[]): Record<string, number> =>
      list.reduce<Record<string, number>>((acc, a) => ((acc[`${a.kind} ${a.status}`] = (acc[`${a.kind} ${a.status}`] ?? 0) + 1), acc), {});
    process.stdout.write(
      `postgres-restart: ${answers.length} requests in ${Date.now() - started} ms; during the outage ${down.length}: ${JSON.stringify(summary(down))}; ` +
        `before ${JSON.stringify(summary(answers.filter((a) => a.phase === 'before')))}; after ${JSON.stringify(summary(answers.filter((a) => a.phase === 'after')))}\n`,
    );

    // Every request got an answer, and none was a 500.
    expect(answers.filter((a) => a.status === 0 || (a.status >= 500 && a.status !== 503))).toEqual([]);
    // Readiness: 200, then 503 while the database is down, then 200 again.
    expect(count('before', 'ready', 200)).toBeGreaterThan(0);
    expect(count('down', 'ready', 503)).toBeGreaterThan(0);
    expect(count('down', 'ready', 200)).toBe(0);
    expect(count('after', 'ready', 200)).toBeGreaterThan(0);
    // While it is down, every API request answers 503 problem+json with a code and Retry-After.
    const apiDown = down.filter((a) => a.kind !== 'ready');
    expect(apiDown.length).toBeGreaterThanOrEqual(10);
    expect(apiDown.filter((a) => a.status !== 503 || !a.problemJson || a.code !== 'database_unavailable')).toEqual([]);
    const retry = await fetch(`${base}/api/v1/me`, { headers: auth });
    expect(retry.status).toBe(200);

    // The same process (no restart) serves again.
    expect(api!.child.exitCode).toBeNull();
    expect(api!.output()).toContain('database unavailable: answered 503');
    expect(api!.output()).not.toMatch(/"level":50/); // nothing logged as an unhandled error (500)

    // All or nothing: every assignment in the database has all its enrolments and its one event; every
    // 201 is there; a request that failed may have committed (its answer was lost) but never in part.
    const rows = (
      await db.query(
        `SELECT a.id, (SELECT count(*)::int FROM enrolment e WHERE e.assignment_id = a.id) AS enrolments,
                (SELECT count(*)::int FROM outbox_event o WHERE o.name = 'assignment.created' AND o.payload->>'assignmentId' = a.id::text) AS events
           FROM assignment a`,
      )
    ).rows as Array<{ id: string; enrolments: number; events: number }>;
    const created = answers.filter((a) => a.assignmentId).map((a) => a.assignmentId!);
    expect(rows.filter((r) => r.enrolments !== MEMBERS || r.events !== 1)).toEqual([]);
    expect(created.filter((id) => !rows.some((r) => r.id === id))).toEqual([]);
    const failedAssigns = answers.filter((a) => a.kind === 'assign' && a.status !== 201).length;
    expect(rows.length).toBeGreaterThanOrEqual(created.length);
    expect(rows.length).toBeLessThanOrEqual(created.length + failedAssigns);
    const [orphans] = (
      await db.query(
        `SELECT count(*)::int AS n FROM enrolment e WHERE e.assignment_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.id = e.assignment_id)`,
      )
    ).rows as Array<{ n: number }>;
    expect(orphans.n).toBe(0);
    process.stdout.write(
      `postgres-restart: ${created.length} assignments answered 201, ${rows.length} in the database (${rows.length - created.length} committed with a lost answer), each with ${MEMBERS} enrolments\n`,
    );
  }, 120_000);
});
