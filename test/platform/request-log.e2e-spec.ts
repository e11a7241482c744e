import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@lms/platform';
import { SnakeNamingStrategy } from '@lms/platform';
import { anOrgUnit, aUser, cleanEnv, createTestDatabase, freePort, runNode, RunningProcess, TEST_REDIS_URL, TestDatabase, testConfig, tokenFor, waitForStatus } from '@lms/testing';
import { entities } from '../../migrations/entities.js';
import { aPublishedCourse } from '../support/learning-builders.js';

interface LogLine {
  level: number;
  msg?: string;
  req?: { id?: string; method?: string; url?: string; headers?: unknown };
  res?: { statusCode?: number; headers?: unknown };
  route?: string;
  userId?: string;
  queries?: number;
  responseTime?: number;
}

/**
 * The production API's request log at info: exactly one line a request — method, path, route
 * template, status, response time, request id, the caller's id and the number of SQL statements
 * the request ran — for API routes and server-rendered pages alike, and never a header.
 */
describe('request log: one short line a request at info, API routes and pages', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let ds: DataSource;
  let proc: RunningProcess;
  let base = '';

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db, { JOBS_IN_API: 'false' });
    ds = await new DataSource({ type: 'postgres', url: db.url, entities, namingStrategy: new SnakeNamingStrategy(), extra: { max: 2 } }).initialize();
    const port = await freePort();
    proc = runNode(
      'dist/apps/api/src/main.js',
      cleanEnv({
        NODE_ENV: 'production',
        DATABASE_URL: db.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: config.redisPrefix,
        JWT_SECRET: config.jwtSecret,
        CREDENTIAL_KEY_SECRET: config.credentialKeySecret,
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        DATA_DIR: config.dataDir,
        LOG_LEVEL: 'info',
        JOBS_IN_API: 'false',
        IMPORT_COURSES_ON_START: 'false',
        DATABASE_POOL_SIZE: '3',
        PORT: String(port),
        HOST: '127.0.0.1',
      }),
    );
    await waitForStatus(`http://127.0.0.1:${port}/health/ready`, 200, 90_000, proc);
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    if (proc && proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
    await proc?.exited;
    await ds?.destroy();
    await db?.drop();
    if (config) rmSync(config.dataDir, { recursive: true, force: true });
  });

  it('every request, API or page, signed in by token or cookie, writes one line with route, user, status, time and statement count, and no headers', async () => {
    const unit = await anOrgUnit(ds, { kind: 'institution' });
    const user = await aUser(ds, { orgUnit: unit });
    const token = await tokenFor(config, user);
    const course = await aPublishedCourse(ds, { school: unit, lessons: [{ slug: 'one' }], quiz: null });
    const secret = randomBytes(32).toString('base64url');
    const [session] = (await ds.query(
      `INSERT INTO auth_session (user_id, kind, secret_hash, expires_at) VALUES ($1, 'web', $2, now() + interval '1 hour') RETURNING id`,
      [user.id, createHash('sha256').update(secret).digest('hex')],
    )) as Array<{ id: string }>;
    const bearer = { authorization: `Bearer ${token}` };
    const cookie = { cookie: `lms_session=${session.id}.${secret}` };
    const requests: Array<{ method: string; path: string; headers: Record<string, string>; body?: unknown; route: string; status: number }> = [
      { method: 'GET', path: '/api/v1/me', headers: bearer, route: '/api/v1/me', status: 200 },
      { method: 'GET', path: '/api/v1/courses?limit=20', headers: bearer, route: '/api/v1/courses', status: 200 },
      { method: 'GET', path: `/api/v1/courses/${course.slug}`, headers: bearer, route: '/api/v1/courses/:slug', status: 200 },
      { method: 'POST', path: '/api/v1/enrolments', headers: bearer, body: { courseSlug: course.slug }, route: '/api/v1/enrolments', status: 201 },
      { method: 'GET', path: `/api/v1/courses/${course.slug}/lessons/one`, headers: bearer, route: '/api/v1/courses/:slug/lessons/:lessonSlug', status: 200 },
      { method: 'GET', path: '/', headers: cookie, route: '/', status: 200 },
      { method: 'GET', path: `/courses/${course.slug}`, headers: cookie, route: '/courses/:slug', status: 200 },
      { method: 'GET', path: `/courses/${course.slug}/lessons/one`, headers: cookie, route: '/courses/:slug/lessons/:lessonSlug', status: 200 },
      { method: 'GET', path: '/courses', headers: cookie, route: '/courses', status: 200 },
    ];
    const ids: string[] = [];
    for (const [i, r] of requests.entries()) {
      const id = `log-${i}-${randomBytes(4).toString('hex')}`;
      ids.push(id);
      const res = await fetch(base + r.path, {
        method: r.method,
        headers: { ...r.headers, 'x-request-id': id, 'user-agent': 'request-log-test', ...(r.body ? { 'content-type': 'application/json' } : {}) },
        body: r.body ? JSON.stringify(r.body) : undefined,
      });
      expect({ path: r.path, status: res.status }).toEqual({ path: r.path, status: r.status });
      await res.arrayBuffer();
    }
    // The last line is written when the response has been sent: wait until it is there.
    const deadline = Date.now() + 10_000;
    const linesOf = (id: string): LogLine[] =>
      proc
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{') && l.includes(id))
        .map((l) => JSON.parse(l) as LogLine);
    while (linesOf(ids[ids.length - 1]).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

    expect(requests.map((r, i) => `${r.path}: ${linesOf(ids[i]).length}`)).toEqual(requests.map((r) => `${r.path}: 1`));
    for (const [i, r] of requests.entries()) {
      const lines = linesOf(ids[i]);
      expect({ path: r.path, lines: lines.length }).toEqual({ path: r.path, lines: 1 });
      const [line] = lines;
      expect(line).toMatchObject({
        level: 30,
        req: { id: ids[i], method: r.method, url: r.path.split('?')[0] },
        res: { statusCode: r.status },
        route: r.route,
        userId: user.id,
      });
      expect(typeof line.responseTime).toBe('number');
      expect(typeof line.queries).toBe('number');
      expect(line.req?.headers).toBeUndefined();
      expect(line.res?.headers).toBeUndefined();
      const raw = proc.output().split('\n').find((l) => l.includes(ids[i]))!;
      expect(raw).not.toContain('request-log-test');
      expect(raw).not.toContain(secret);
      expect(raw.length).toBeLessThan(700);
      // No key twice (pino writes a child logger's bindings again rather than replacing them).
      for (const key of ['"mode"', '"route"', '"userId"', '"queries"']) expect({ key, times: raw.split(key).length - 1 }).toEqual({ key, times: 1 });
    }
  });
});
