import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@lms/platform';
import { SnakeNamingStrategy } from '@lms/platform';
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
import { aPublishedCourse } from '../support/learning-builders.js';

const API = 'dist/apps/api/src/main.js';

/**
 * The in-process caches of the API (resolved callers: AUTH_CACHE_SECONDS; catalog reads:
 * CATALOG_CACHE_SECONDS) under two replicas on one database and Redis prefix. The caches are set to
 * their longest (60 s and 5 minutes) here, so nothing below can pass by a cache entry simply expiring: a sign-out, a
 * disabled account and a newly published version made through one API take effect on the other at
 * once (Redis channels), and one person's cached caller or page data never answers another's request.
 */
describe('caches under two API replicas: revocations and publications reach the other replica at once', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let ds: DataSource;
  const procs: RunningProcess[] = [];
  const apis: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db, { JOBS_IN_API: 'false' });
    ds = await new DataSource({ type: 'postgres', url: db.url, entities, namingStrategy: new SnakeNamingStrategy(), extra: { max: 3 } }).initialize();
    const ports = [await freePort(), await freePort()];
    for (const port of ports) {
      const p = runNode(
        API,
        cleanEnv({
          DATABASE_URL: db.url,
          REDIS_URL: TEST_REDIS_URL,
          REDIS_PREFIX: config.redisPrefix,
          JWT_SECRET: config.jwtSecret,
          CREDENTIAL_KEY_SECRET: config.credentialKeySecret,
          PUBLIC_URL: config.publicUrl,
          DATA_DIR: config.dataDir,
          LOG_LEVEL: 'warn',
          JOBS_IN_API: 'false',
          IMPORT_COURSES_ON_START: 'false',
          DATABASE_POOL_SIZE: '3',
          MFA_REQUIRED_ROLES: 'none',
          AUTH_CACHE_SECONDS: '60',
          CATALOG_CACHE_SECONDS: '300',
          PORT: String(port),
          HOST: '127.0.0.1',
        }),
      );
      procs.push(p);
      // One after the other: the first applies the migrations under the advisory lock.
      await waitForStatus(`http://127.0.0.1:${port}/health/ready`, 200, 90_000, p);
      apis.push(`http://127.0.0.1:${port}/api/v1`);
    }
  });

  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
    await ds?.destroy();
    await db?.drop();
    if (config) rmSync(config.dataDir, { recursive: true, force: true });
  });

  const call = (api: number, method: string, path: string, token?: string, body?: unknown): Promise<Response> =>
    fetch(`${apis[api]}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  const me = async (api: number, token: string): Promise<{ status: number; email?: string }> => {
    const r = await call(api, 'GET', '/me', token);
    return { status: r.status, email: r.status === 200 ? ((await r.json()) as { email: string }).email : undefined };
  };

  it('sign-out through one API ends the session on the other at once; other people stay signed in and see only themselves', async () => {
    const unit = await anOrgUnit(ds, { kind: 'institution' });
    const password = 'replica-cache-passphrase-42';
    const ana = await aUser(ds, { orgUnit: unit, email: 'ana.cache@test.lms', password });
    const bo = await aUser(ds, { orgUnit: unit, email: 'bo.cache@test.lms', password });
    const login = async (email: string): Promise<string> => {
      const r = await call(0, 'POST', '/auth/login', undefined, { email, password });
      expect(r.status).toBe(200);
      return ((await r.json()) as { accessToken: string }).accessToken;
    };
    const anaToken = await login(ana.email);
    const boToken = await login(bo.email);

    // Both callers resolved (and cached) on both replicas, interleaved: each sees only themselves.
    for (let round = 0; round < 3; round++) {
      for (const api of [0, 1]) {
        expect(await me(api, anaToken)).toEqual({ status: 200, email: 'ana.cache@test.lms' });
        expect(await me(api, boToken)).toEqual({ status: 200, email: 'bo.cache@test.lms' });
      }
    }

    // Ana signs out on the first API: the second refuses her token on the very next request.
    expect((await call(0, 'POST', '/auth/logout', anaToken)).status).toBe(204);
    expect((await me(1, anaToken)).status).toBe(401);
    expect((await me(0, anaToken)).status).toBe(401);
    // Bo's cached session is untouched.
    expect(await me(1, boToken)).toEqual({ status: 200, email: 'bo.cache@test.lms' });
  });

  it('a browser session signed out through one API is refused by the other at once', async () => {
    const unit = await anOrgUnit(ds, { kind: 'institution' });
    const user = await aUser(ds, { orgUnit: unit });
    const secret = randomBytes(32).toString('base64url');
    const [session] = (await ds.query(
      `INSERT INTO auth_session (user_id, kind, secret_hash, expires_at) VALUES ($1, 'web', $2, now() + interval '1 hour') RETURNING id`,
      [user.id, createHash('sha256').update(secret).digest('hex')],
    )) as Array<{ id: string }>;
    const cookie = `lms_session=${session.id}.${secret}`;
    const page = (api: number, path: string, init: RequestInit = {}): Promise<Response> =>
      fetch(apis[api].replace('/api/v1', '') + path, { redirect: 'manual', ...init, headers: { cookie, ...(init.headers as Record<string, string>) } });
    // Signed in on both replicas (the caller cached on each).
    let csrf = '';
    for (const api of [0, 1, 0, 1]) {
      const r = await page(api, '/sign-out');
      expect(r.status).toBe(200);
      const html = await r.text();
      csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    }
    expect(csrf).not.toBe('');
    // Sign-out through the first API.
    const out = await page(0, '/sign-out', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${encodeURIComponent(csrf)}` });
    expect(out.status).toBe(303);
    // The second no longer knows the cookie: the sign-out form (signed-in only) sends to sign-in.
    for (const api of [1, 0]) {
      const r = await page(api, '/sign-out');
      expect(r.status).toBe(303);
      expect(r.headers.get('location')).toBe('/sign-in');
    }
  });

  it('disabling a person and removing a role through one API take effect on the other at once', async () => {
    const unit = await anOrgUnit(ds, { kind: 'institution' });
    const adminUser = await aUser(ds, { orgUnit: unit, roles: [{ role: 'admin' }] });
    const admin = await tokenFor(config, adminUser);
    const hrUser = await aUser(ds, { orgUnit: unit, roles: [{ role: 'hr', scope: unit }] });
    const hr = await tokenFor(config, hrUser);
    const learnerUser = await aUser(ds, { orgUnit: unit });
    const learner = await tokenFor(config, learnerUser);

    // Cached on the second replica.
    expect((await call(1, 'GET', '/users?limit=5', hr)).status).toBe(200);
    expect((await me(1, learner)).status).toBe(200);

    // HR loses the role through the first API: the second refuses the HR list at once.
    const demoted = await call(0, 'PATCH', `/users/${hrUser.id}`, admin, { roles: [] });
    expect(demoted.status).toBe(200);
    expect((await call(1, 'GET', '/users?limit=5', hr)).status).toBe(403);

    // The learner is disabled through the first API: the second refuses their token at once.
    const disabled = await call(0, 'PATCH', `/users/${learnerUser.id}`, admin, { status: 'disabled' });
    expect(disabled.status).toBe(200);
    expect((await me(1, learner)).status).toBe(401);
  });

  it('a version published through one API is the catalog answer of the other at once; an enrolled learner keeps reading their version', async () => {
    const school = await anOrgUnit(ds, { kind: 'school' });
    const adminUser = await aUser(ds, { orgUnit: school, roles: [{ role: 'admin' }] });
    const admin = await tokenFor(config, adminUser);
    const learnerUser = await aUser(ds, { orgUnit: school });
    const learner = await tokenFor(config, learnerUser);
    const course = await aPublishedCourse(ds, { school, lessons: [{ slug: 'first' }], quiz: null });

    const detail = async (api: number, token: string): Promise<{ version: number; lessons: string[] }> => {
      const r = await call(api, 'GET', `/courses/${course.slug}`, token);
      expect(r.status).toBe(200);
      const body = (await r.json()) as { version: number; lessons: Array<{ slug: string }> };
      return { version: body.version, lessons: body.lessons.map((l) => l.slug) };
    };
    const listed = async (api: number): Promise<number | undefined> => {
      const r = await call(api, 'GET', `/courses?limit=100`, learner);
      expect(r.status).toBe(200);
      return ((await r.json()) as { items: Array<{ slug: string; version: number }> }).items.find((c) => c.slug === course.slug)?.version;
    };
    // The learner enrols on version 1; both replicas have the course, its latest version and the list cached.
    expect((await call(0, 'POST', '/enrolments', learner, { courseSlug: course.slug })).status).toBe(201);
    for (const api of [0, 1]) {
      expect(await detail(api, learner)).toEqual({ version: 1, lessons: ['first'] });
      expect(await listed(api)).toBe(1);
      expect((await call(api, 'GET', `/courses/${course.slug}/lessons/first`, learner)).status).toBe(200);
    }

    // A draft version 2 with another lesson (written in SQL, as an author's edits end up), published through the first API.
    const [draft] = (await ds.query(
      `INSERT INTO course_version (course_id, version, status, content_hash, default_language, languages, title, summary, audience, level,
                                   estimated_minutes, framework_key, competencies, aligned_with, completion, certificate_validity_months, quiz)
       SELECT course_id, 2, 'draft', md5(content_hash || '2'), default_language, languages, title, summary, audience, level,
              estimated_minutes, framework_key, competencies, aligned_with, completion, certificate_validity_months, quiz
         FROM course_version WHERE id = $1 RETURNING id`,
      [course.versionId],
    )) as Array<{ id: string }>;
    await ds.query(
      `INSERT INTO lesson (course_version_id, slug, position, required, minutes, title, body) VALUES ($1, 'second', 1, true, 5, '{"en":"Second"}', '{"en":"Body"}')`,
      [draft.id],
    );
    const published = await call(0, 'POST', `/courses/${course.slug}/publish`, admin);
    expect(published.status).toBe(201);

    // The second replica answers version 2 at once (its cache would otherwise keep version 1 for 5 minutes).
    for (const api of [1, 0]) {
      expect(await detail(api, admin)).toEqual({ version: 2, lessons: ['second'] });
      expect(await listed(api)).toBe(2);
    }
    // The learner enrolled on version 1 still reads version 1's lesson on both (published versions never change).
    for (const api of [1, 0]) {
      const r = await call(api, 'GET', `/courses/${course.slug}/lessons/first`, learner);
      expect(r.status).toBe(200);
      expect(((await r.json()) as { version: number }).version).toBe(1);
    }
  });
});
