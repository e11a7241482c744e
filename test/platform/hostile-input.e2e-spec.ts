import { connect, type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { PROBLEM_CONTENT_TYPE } from '@lms/platform';
import { startApi, TestApi } from '@lms/testing';
import { API_PREFIX } from '../../apps/api/src/configure-app.js';
import { bearer, orgFixture, OrgFixture } from '../identity/fixtures.js';
import { fastifyRoutes, walkRoutes } from '../identity/route-walk.js';

const NUL = '\u0000';
const SOME_ID = '00000000-0000-4000-8000-000000000000';

/** Sends raw bytes to the server and returns the whole answer (for requests supertest cannot make). */
async function raw(server: Server, text: string): Promise<{ status: number; headers: string; body: string }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (d: Buffer) => (data += d.toString('latin1')));
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? undefined : reject(e)));
    socket.on('close', () => {
      const [head, ...rest] = data.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), headers: head, body: rest.join('\r\n\r\n') });
    });
    socket.write(text);
  });
}

function expectProblem(res: { status: number; headers: Record<string, string>; body: unknown }, status: number): void {
  expect([res.status, res.headers['content-type']]).toEqual([status, expect.stringContaining(PROBLEM_CONTENT_TYPE)]);
}

describe('hostile input: NUL characters, deep JSON, malformed requests', () => {
  let api: TestApi;
  let org: OrgFixture;
  let server: Server;
  beforeAll(async () => {
    api = await startApi();
    org = await orgFixture(api);
    server = api.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await api.close();
  });

  describe('a NUL character is a 400 naming the field, on every route', () => {
    const bodies: Array<[string, string, string, Record<string, unknown>, string]> = [
      ['anonymous login', 'POST', '/api/v1/auth/login', { email: `a${NUL}@x`, password: 'x' }, 'email'],
      ['anonymous refresh', 'POST', '/api/v1/auth/refresh', { refreshToken: `x${NUL}` }, 'refreshToken'],
      ['create a person (e-mail)', 'POST', '/api/v1/users', { email: `n${NUL}@test.lms`, displayName: 'N', orgUnitId: SOME_ID }, 'email'],
      ['create a person (name)', 'POST', '/api/v1/users', { email: 'n@test.lms', displayName: `N${NUL}N`, orgUnitId: SOME_ID }, 'displayName'],
      ['create a person (grant)', 'POST', '/api/v1/users', { email: 'n@test.lms', displayName: 'N', orgUnitId: SOME_ID, roles: [{ role: `hr${NUL}` }] }, 'roles.0.role'],
      ['create an org unit (name)', 'POST', '/api/v1/org-units', { code: 'NUL1', name: `Unit${NUL}`, kind: 'department' }, 'name'],
      ['create an org unit (code)', 'POST', '/api/v1/org-units', { code: `NUL${NUL}`, name: 'Unit', kind: 'department' }, 'code'],
      ['create a job role (title)', 'POST', '/api/v1/job-roles', { code: 'nul-role', title: `Role${NUL}`, requirements: [] }, 'title'],
      ['replace a job role (title)', 'PUT', '/api/v1/job-roles/nul-role', { title: `Role${NUL}`, requirements: [] }, 'title'],
      ['revoke a certificate (reason)', 'POST', `/api/v1/certificates/${SOME_ID}/revoke`, { reason: `because${NUL}` }, 'reason'],
      ['record evidence (note)', 'POST', `/api/v1/users/${SOME_ID}/competencies/evidence`, { competencyCode: 'LIT.1', level: 1, note: `n${NUL}` }, 'note'],
      ['a field name', 'POST', '/api/v1/auth/login', { [`e${NUL}`]: 'x' }, 'e\\0'],
    ];
    it.each(bodies)('%s', async (_what, method, path, body, field) => {
      const res = await api.http[method.toLowerCase() as 'post' | 'put'](path).set(bearer(org.token.admin)).send(body);
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
      expect(res.body.detail).toMatch(/NUL/);
    });

    // Found by the schema fuzzer (test/security/fuzz.e2e-spec.ts): a lone surrogate in an e-mail made
    // class-validator's IsEmail throw (URIError from encodeURI) and the request answer 500.
    it.each([
      ['create a person (e-mail)', '/api/v1/users', { email: '\ud800', displayName: 'N', orgUnitId: SOME_ID }, 'email'],
      ['create a person (e-mail, low half)', '/api/v1/users', { email: 'x\udfff@test.lms', displayName: 'N', orgUnitId: SOME_ID }, 'email'],
      ['anonymous login', '/api/v1/auth/login', { email: 'a\ud800@x.org', password: 'x' }, 'email'],
      ['a field name', '/api/v1/auth/login', { 'e\udc00': 'x' }, 'e\ufffd'],
    ])('a lone surrogate is a 400 naming the field too: %s', async (_what, path, body, field) => {
      const res = await api.http.post(path).set(bearer(org.token.admin)).send(body);
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
      expect(res.body.detail).toMatch(/lone surrogate/);
    });

    it('PATCH of people and org units (name, e-mail) answers 400', async () => {
      for (const [path, body] of [
        [`/api/v1/users/${org.learnerA.id}`, { displayName: `x${NUL}` }],
        [`/api/v1/users/${org.learnerA.id}`, { email: `x${NUL}@test.lms` }],
        [`/api/v1/org-units/${org.a.id}`, { name: `x${NUL}` }],
      ] as const) {
        const res = await api.http.patch(path).set(bearer(org.token.admin)).send(body);
        expectProblem(res, 400);
        expect(res.body.errors[0].field).toBe(Object.keys(body)[0]);
      }
      // Nothing changed.
      const person = await api.http.get(`/api/v1/users/${org.learnerA.id}`).set(bearer(org.token.admin)).expect(200);
      expect(person.body.displayName).toBe(org.learnerA.displayName);
    });

    it.each(['/api/v1/users', '/api/v1/org-units', '/api/v1/job-roles'])('the q filter of %s', async (path) => {
      const res = await api.http.get(`${path}?q=a%00b`).set(bearer(org.token.admin));
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'q' })]);
    });

    it('the filters of the audit log', async () => {
      for (const name of ['action', 'subjectType', 'subjectId']) {
        const res = await api.http.get(`/api/v1/audit?${name}=x%00`).set(bearer(org.token.admin));
        expectProblem(res, 400);
        expect(res.body.errors[0].field).toBe(name);
      }
    });

    it('the same for HR in its scope (PATCH) and without a token (the check comes first)', async () => {
      const hr = await api.http.patch(`/api/v1/users/${org.learnerA.id}`).set(bearer(org.token.hrA)).send({ displayName: `x${NUL}` });
      expectProblem(hr, 400);
      const anonymous = await api.http.get('/api/v1/users?q=%00');
      expectProblem(anonymous, 400);
    });

    it('every route (walked from the running app) answers a NUL in the query and in a body field with 400, never 5xx', async () => {
      const nest = walkRoutes(api.app).map((r) => ({ method: r.method, path: r.neutral ? r.path : `/${API_PREFIX}${r.path === '/' ? '' : r.path}` }));
      const printed = (api.app.getHttpAdapter().getInstance() as unknown as { printRoutes(o: { commonPrefix: boolean }): string }).printRoutes({
        commonPrefix: false,
      });
      const plugins = fastifyRoutes(printed)
        .filter((r) => r.path.startsWith('/docs') || r.path.startsWith('/admin/queues'))
        .flatMap((r) => r.methods.filter((m) => m !== 'HEAD' && m !== 'OPTIONS').map((method) => ({ method, path: r.path })));
      const all = [...nest, ...plugins];
      expect(nest.length).toBeGreaterThan(40);
      const failures: string[] = [];
      for (const r of all) {
        const url = r.path.replace(/:[A-Za-z0-9_]+/g, SOME_ID).replace(/\{\*[^}]+\}|\*/g, 'x');
        const m = r.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(m)) continue;
        const viaQuery = await api.http[m](`${url}?q=x%00&note=y`).set(bearer(org.token.admin));
        // SCIM routes answer errors as SCIM Error bodies (application/scim+json), the others as problem+json
        const errorType = url.startsWith('/scim/v2/') ? 'application/scim+json' : PROBLEM_CONTENT_TYPE;
        if (viaQuery.status !== 400 || !String(viaQuery.headers['content-type']).includes(errorType))
          failures.push(`${r.method} ${url}?q=NUL -> ${viaQuery.status}`);
        if (m !== 'get' && m !== 'delete') {
          const viaBody = await api.http[m](url).set(bearer(org.token.admin)).send({ note: `x${NUL}`, reason: 'y' });
          if (viaBody.status !== 400) failures.push(`${r.method} ${url} body NUL -> ${viaBody.status}`);
        }
      }
      expect(failures).toEqual([]);
    }, 60_000);
  });

  describe('deeply nested JSON', () => {
    it('is a cheap 400 before transformation (anonymous refresh, learner routes)', async () => {
      const deep = '['.repeat(300_000);
      for (const [path, token] of [
        ['/api/v1/auth/refresh', undefined],
        ['/api/v1/enrolments', org.token.learnerA],
        [`/api/v1/enrolments/${SOME_ID}/quiz-attempts`, org.token.learnerA],
      ] as const) {
        const started = performance.now();
        const req = api.http.post(path).set('content-type', 'application/json');
        if (token) req.set(bearer(token));
        const res = await req.send(deep);
        expectProblem(res, 400);
        expect(res.body.code).toBe('json_too_deep');
        expect(performance.now() - started).toBeLessThan(500);
      }
      const prefs = await api.http.put('/api/v1/me/notification-preferences').set(bearer(org.token.learnerA)).set('content-type', 'application/json').send(`{"a":${'['.repeat(65)}${']'.repeat(65)}}`);
      expectProblem(prefs, 400);
      expect(prefs.body.code).toBe('json_too_deep');
    });

    it('counts only structure: brackets inside strings and ordinary nesting pass', async () => {
      const res = await api.http
        .post('/api/v1/auth/login')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ email: 'nobody@test.lms', password: `${'['.repeat(100)}"\\"` }));
      expect(res.status).toBe(401);
    });
  });

  describe('what the router and the HTTP parser refuse is problem+json too', () => {
    it('a bad percent-encoding in the path: 400', async () => {
      const res = await raw(server, `GET /api/v1/users/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(res.status).toBe(400);
      expect(res.headers.toLowerCase()).toContain(`content-type: ${PROBLEM_CONTENT_TYPE}`);
      expect(JSON.parse(res.body)).toMatchObject({ status: 400, title: 'Bad Request' });
      expect(res.body).not.toContain('FST_');
    });

    it('an over-long path parameter: 414', async () => {
      const res = await raw(server, `GET /api/v1/courses/${'a'.repeat(300)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(res.status).toBe(414);
      expect(res.headers.toLowerCase()).toContain(`content-type: ${PROBLEM_CONTENT_TYPE}`);
      expect(JSON.parse(res.body)).toMatchObject({ status: 414 });
      expect(res.body).not.toContain('FST_');
    });

    it('headers larger than the limit: 431', async () => {
      const res = await raw(server, `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
      expect(res.status).toBe(431);
      expect(res.headers.toLowerCase()).toContain(`content-type: ${PROBLEM_CONTENT_TYPE}`);
      expect(JSON.parse(res.body)).toMatchObject({ status: 431, title: 'Request Header Fields Too Large' });
    });

    it('a request line that is not HTTP: 400', async () => {
      const res = await raw(server, `GARBAGE\r\n\r\n`);
      expect(res.status).toBe(400);
      expect(res.headers.toLowerCase()).toContain(`content-type: ${PROBLEM_CONTENT_TYPE}`);
      expect(JSON.parse(res.body)).toMatchObject({ status: 400 });
    });
  });
});
