import { Controller, Get, Module, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Access, Public } from '@lms/platform';
import { anOrgUnit, aUser, startApi, TestApi, tokenFor } from '@lms/testing';
import { API_PREFIX } from '../../apps/api/src/configure-app.js';
import { fastifyRoutes, undeclared, walkRoutes, WalkedRoute } from './route-walk.js';

interface FastifyRoutes {
  hasRoute(opts: { method: string; url: string }): boolean;
  printRoutes(opts: { commonPrefix: boolean }): string;
}

/** Served outside Nest controllers (so outside the global guard), on purpose: the OpenAPI UI and the queue dashboard. */
const NON_NEST_PREFIXES = ['/docs', '/admin/queues'];

/** Federated sign-in (docs/sso.md): version-neutral protocol endpoints, open by design (the person is not signed in yet). */
const FEDERATION_ROUTES = [
  'GET /auth/oidc/:provider/login',
  'GET /auth/oidc/:provider/callback',
  'GET /auth/saml/:provider/metadata',
  'GET /auth/saml/:provider/login',
  'POST /auth/saml/:provider/acs',
];

/** The console pages (docs/web.md): HR and admin; role × scope tests in test/web/console.e2e-spec.ts. */
const CONSOLE_ROUTES = [
  'GET /console',
  'GET /console/hr',
  'GET /console/team',
  'POST /console/team/nudge',
  'GET /console/hr/assign',
  'POST /console/hr/assign',
  'GET /console/hr/assignments/:id',
  'GET /console/hr/overdue',
  'POST /console/hr/overdue/remind',
  'GET /console/hr/gaps',
  'POST /console/hr/gaps/assign',
  'GET /console/hr/people',
  'GET /console/hr/people/import',
  'POST /console/hr/people/import',
  'GET /console/hr/people/:id',
  'GET /console/hr/reports',
  'GET /console/hr/reports/results',
  'GET /console/admin/certificates/:id',
  'POST /console/admin/certificates/:id/revoke',
  'GET /console/admin/audit',
  'POST /console/admin/people/:id/roles',
  'GET /console/author',
  'GET /console/author/courses/:slug/preview',
  'GET /console/author/courses/:slug/analytics',
  'GET /console/author/courses/:slug/diff',
  'POST /console/author/courses/:slug/publish',
  'GET /console/admin/jobs',
  'POST /console/admin/jobs/:name/run',
  'GET /console/admin/units',
  'POST /console/admin/units',
  'GET /console/admin/units/:id',
  'POST /console/admin/units/:id',
];

/**
 * The built-in xAPI LRS (docs/xapi.md): paths fixed by the xAPI spec, @Public() for the platform's
 * guard and authenticated by their own guard (Basic credentials of an LRS client with a scope).
 */
const LRS_ROUTES = [
  'GET /xapi/statements',
  'POST /xapi/statements',
  'PUT /xapi/statements',
  ...['GET', 'PUT', 'POST', 'DELETE'].flatMap((m) => [`${m} /xapi/activities/state`, `${m} /xapi/activities/profile`, `${m} /xapi/agents/profile`]),
  'GET /xapi/activities',
  'GET /xapi/agents',
  'GET /xapi/about',
];

function fullPath(route: WalkedRoute): string {
  return route.neutral ? route.path : `/${API_PREFIX}${route.path === '/' ? '' : route.path}`;
}

/** A concrete URL for a route pattern: every :param becomes a UUID (valid syntax, unknown id). */
function concrete(path: string): string {
  return path.replace(/:[A-Za-z0-9_]+/g, '00000000-0000-4000-8000-000000000000').replace(/\{\*[^}]+\}|\*/g, 'x');
}

describe('route coverage: every route declares @Public() or @Access(...)', () => {
  let api: TestApi;
  let routes: WalkedRoute[];
  beforeAll(async () => {
    api = await startApi();
    routes = walkRoutes(api.app);
  });
  afterAll(async () => {
    await api.close();
  });

  it('finds the routes of every controller of the full app (identity and the others)', () => {
    const seen = new Set(routes.map((r) => `${r.method} ${fullPath(r)}`));
    for (const r of [
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/refresh',
      'POST /api/v1/auth/logout',
      'GET /api/v1/me',
      'POST /api/v1/org-units',
      'GET /api/v1/org-units/:id',
      'PATCH /api/v1/org-units/:id',
      'POST /api/v1/users',
      'PATCH /api/v1/users/:id',
      'GET /api/v1/users',
      'POST /api/v1/users/import',
      'GET /api/v1/audit',
      'GET /health/live',
      'POST /api/v1/me/sync',
      'PATCH /api/v1/me',
      'GET /',
      'GET /sign-in',
      'GET /courses/:slug',
      'GET /courses/:slug/lessons/:lessonSlug',
      'POST /courses/:slug/quiz',
      'GET /verify/:code',
      'GET /open-data',
      'GET /sw.js',
      'GET /api/v1/me/data-export',
      ...CONSOLE_ROUTES,
      'GET /api/v1/users/:id/data-export',
      'POST /api/v1/users/:id/erasure',
      'POST /api/v1/events',
      'GET /api/v1/events',
      'GET /api/v1/events/:id',
      'PATCH /api/v1/events/:id',
      'POST /api/v1/events/:id/cancel',
      'POST /api/v1/events/:id/sessions',
      'PATCH /api/v1/events/:id/sessions/:sessionId',
      'POST /api/v1/events/:id/sessions/:sessionId/cancel',
      'POST /api/v1/events/:id/registrations',
      'GET /api/v1/events/:id/registrations',
      'GET /api/v1/events/:id/sessions/:sessionId/attendance',
      'PUT /api/v1/events/:id/sessions/:sessionId/attendance',
      'POST /api/v1/events/:id/sessions/:sessionId/check-in',
      'GET /api/v1/events/:id/attendance',
      'PUT /api/v1/events/:id/questionnaire',
      'GET /api/v1/events/:id/questionnaire',
      'POST /api/v1/events/:id/evaluations',
      'GET /api/v1/events/:id/evaluation-results',
      'POST /api/v1/events/:id/commitments',
      'GET /api/v1/events/:id/commitments/summary',
      'GET /api/v1/events/:id/reports/attendance',
      'GET /api/v1/events/:id/sign-up-sheet',
      'GET /api/v1/me/event-registrations',
      'GET /api/v1/event-registrations/:id',
      'POST /api/v1/event-registrations/:id/cancel',
      'POST /api/v1/event-registrations/:id/confirm',
      'GET /api/v1/event-registrations/:id/check-in',
      'GET /api/v1/event-registrations/:id/attendance-certificate',
      'GET /api/v1/me/approvals',
      'POST /api/v1/approvals/:id/approve',
      'POST /api/v1/approvals/:id/decline',
      'POST /api/v1/me/calendar-feed',
      'DELETE /api/v1/me/calendar-feed',
      'GET /api/v1/me/commitments',
      'GET /api/v1/commitments/:id',
      'POST /api/v1/commitments/:id/updates',
      'POST /api/v1/events/:id/follow-up-groups',
      'GET /api/v1/events/:id/follow-up-groups',
      'GET /api/v1/me/follow-up-groups',
      'GET /api/v1/follow-up-groups/:id',
      'POST /api/v1/follow-up-groups/:id/invitations',
      'POST /api/v1/follow-up-groups/:id/accept',
      'POST /api/v1/follow-up-groups/:id/decline',
      'POST /api/v1/follow-up-groups/:id/milestones',
      'PUT /api/v1/follow-up-groups/:id/milestones/:milestoneId',
      'PUT /api/v1/follow-up-groups/:id/status',
      'GET /api/v1/follow-up-groups/:id/posts',
      'POST /api/v1/follow-up-groups/:id/posts',
      'GET /api/v1/open-data/joint-commitments',
      'GET /calendar/:file',
      ...FEDERATION_ROUTES,
      ...LRS_ROUTES,
      'GET /api/v1/admin/lrs-clients',
      'POST /api/v1/admin/lrs-clients',
      'DELETE /api/v1/admin/lrs-clients/:id',
      'POST /api/v1/courses/:slug/packages',
      'GET /api/v1/enrolments/:id/scorm/:scoId',
      'POST /api/v1/enrolments/:id/scorm/:scoId/commit',
      'GET /content/:packageId/*',
      'POST /api/v1/enrolments/:id/cmi5/:auId/launch',
      'POST /api/v1/cmi5/fetch/:token',
      'POST /api/v1/auth/password-reset',
      'POST /api/v1/auth/password-reset/confirm',
      'POST /api/v1/auth/invitations/accept',
      'POST /api/v1/auth/mfa',
      'POST /api/v1/auth/mfa/enrol',
      'POST /api/v1/auth/mfa/enrol/verify',
      'GET /api/v1/me/mfa',
      'POST /api/v1/me/mfa/totp',
      'POST /api/v1/me/mfa/totp/verify',
      'DELETE /api/v1/me/mfa/totp',
      'POST /api/v1/users/:id/invitations',
      'DELETE /api/v1/users/:id/mfa',
      'GET /invitations/:token',
      'POST /invitations/:token',
      'GET /password-reset',
      'POST /password-reset',
      'GET /password-reset/:token',
      'POST /password-reset/:token',
      'POST /sign-in/mfa',
      'POST /sign-in/mfa/enrol',
      'POST /api/v1/admin/scim-clients',
      'GET /api/v1/admin/scim-clients',
      'DELETE /api/v1/admin/scim-clients/:id',
      'GET /scim/v2/Users',
      'GET /scim/v2/Users/:id',
      'POST /scim/v2/Users',
      'PUT /scim/v2/Users/:id',
      'PATCH /scim/v2/Users/:id',
      'DELETE /scim/v2/Users/:id',
      'GET /scim/v2/Groups',
      'GET /scim/v2/Groups/:id',
      'POST /scim/v2/Groups',
      'PATCH /scim/v2/Groups/:id',
      'DELETE /scim/v2/Groups/:id',
      'GET /scim/v2/ServiceProviderConfig',
      'GET /scim/v2/Schemas',
      'GET /scim/v2/ResourceTypes',
    ]) {
      expect(seen).toContain(r);
    }
    expect(new Set(routes.map((r) => r.controller)).size).toBeGreaterThanOrEqual(6);
  });

  it('the federated sign-in routes are explicitly @Public() and refuse bad input with a 4xx page, never a 5xx', async () => {
    for (const r of FEDERATION_ROUTES) {
      const [method, path] = r.split(' ');
      expect(routes.find((x) => x.method === method && fullPath(x) === path)?.isPublic).toBe(true);
    }
    const probes: Array<[string, string, object?]> = [
      ['get', '/auth/oidc/unknown/login'],
      ['get', '/auth/oidc/unknown/callback?code=x&state=y'],
      ['get', '/auth/oidc/%2E%2E/login'],
      ['get', '/auth/saml/unknown/metadata'],
      ['get', '/auth/saml/unknown/login?returnTo=//evil.example'],
      ['post', '/auth/saml/unknown/acs', { SAMLResponse: 'PHg+' }],
      ['post', '/auth/saml/unknown/acs', {}],
    ];
    for (const [method, url, body] of probes) {
      const call = method === 'get' ? api.http.get(url) : api.http.post(url).type('form').send(body ?? {});
      const res = await call;
      expect({ url, status: res.status }).toEqual({ url, status: 404 });
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    }
  });

  it('the xAPI routes are all the @Public() ones under /xapi, and each but About refuses a caller without LRS credentials (401), a platform token included', async () => {
    const xapi = routes.filter((r) => fullPath(r).startsWith('/xapi'));
    expect(xapi.map((r) => `${r.method} ${fullPath(r)}`).sort()).toEqual([...LRS_ROUTES].sort());
    expect(xapi.every((r) => r.isPublic)).toBe(true);
    const unit = await anOrgUnit(api.dataSource);
    const admin = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'admin' }] });
    const bearer = `Bearer ${await tokenFor(api.config, admin)}`;
    const failures: string[] = [];
    for (const r of LRS_ROUTES.filter((x) => x !== 'GET /xapi/about')) {
      const [method, path] = r.split(' ');
      const m = method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
      for (const authorization of [undefined, bearer]) {
        const call = api.http[m](path).set('X-Experience-API-Version', '1.0.3');
        const res = await (authorization ? call.set('authorization', authorization) : call);
        if (res.status !== 401 || res.headers['x-experience-api-version'] !== '1.0.3') failures.push(`${r} ${authorization ? 'bearer' : 'anonymous'} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
    await api.http.get('/xapi/about').expect(200);
  });

  it('the cmi5 fetch URL is the one open /api/v1 route of interop: its token is the credential, usable once (docs/interop.md)', async () => {
    const fetch = routes.find((r) => fullPath(r) === '/api/v1/cmi5/fetch/:token');
    expect(fetch?.isPublic).toBe(true);
    const res = await api.http.post('/api/v1/cmi5/fetch/00000000000000000000000000000000').expect(200);
    expect(res.body).toEqual({ 'error-code': '2', 'error-text': expect.any(String) });
  });

  it('every route has an access rule', () => {
    expect(undeclared(routes)).toEqual([]);
  });

  it('the account routes open to anonymous callers are exactly the ones a person without a session needs', () => {
    const account = /^\/(api\/v1\/(auth\/(password-reset|invitations|mfa)|me\/mfa|users\/:id\/(invitations|mfa))|invitations|password-reset|sign-in\/mfa)/;
    const open = routes.filter((r) => r.isPublic && account.test(fullPath(r))).map((r) => `${r.method} ${fullPath(r)}`).sort();
    expect(open).toEqual(
      [
        'GET /invitations/:token',
        'GET /password-reset',
        'GET /password-reset/:token',
        'POST /api/v1/auth/invitations/accept',
        'POST /api/v1/auth/mfa',
        'POST /api/v1/auth/mfa/enrol',
        'POST /api/v1/auth/mfa/enrol/verify',
        'POST /api/v1/auth/password-reset',
        'POST /api/v1/auth/password-reset/confirm',
        'POST /invitations/:token',
        'POST /password-reset',
        'POST /password-reset/:token',
        'POST /sign-in/mfa',
        'POST /sign-in/mfa/enrol',
      ].sort(),
    );
    const guarded = routes.filter((r) => !r.isPublic && account.test(fullPath(r))).map((r) => `${r.method} ${fullPath(r)} ${r.access?.roles.join(',')}`).sort();
    expect(guarded).toEqual(
      [
        'DELETE /api/v1/me/mfa/totp authenticated',
        'DELETE /api/v1/users/:id/mfa admin,hr',
        'GET /api/v1/me/mfa authenticated',
        'POST /api/v1/me/mfa/totp authenticated',
        'POST /api/v1/me/mfa/totp/verify authenticated',
        'POST /api/v1/users/:id/invitations admin,hr',
      ].sort(),
    );
  });

  it('every walked route is a real Fastify route (the walk sees what is served)', () => {
    const fastify = api.app.getHttpAdapter().getInstance() as unknown as FastifyRoutes;
    const missing = routes.filter(
      (r) => !r.path.includes('*') && !r.path.includes('{') && !fastify.hasRoute({ method: r.method, url: fullPath(r) }),
    );
    expect(missing.map((r) => `${r.method} ${fullPath(r)}`)).toEqual([]);
  });

  it('routes served outside Nest controllers are only the OpenAPI docs and the queue dashboard, which refuses anonymous callers', async () => {
    const fastify = api.app.getHttpAdapter().getInstance() as unknown as FastifyRoutes;
    const served = fastifyRoutes(fastify.printRoutes({ commonPrefix: false }));
    expect(served.length).toBeGreaterThan(routes.length / 2);
    const nest = new Set(routes.map((r) => fullPath(r)));
    // printRoutes' radix tree loses the prefix of a wildcard child: such a line is a Nest wildcard
    // route (/content/:packageId/*) when Fastify has that route; a global catch-all would not be.
    const nestWildcards = routes.map((r) => fullPath(r)).filter((p) => p.endsWith('*'));
    expect(fastify.hasRoute({ method: 'GET', url: '/*' })).toBe(false);
    const outside = served.filter(
      (r) =>
        !nest.has(r.path) &&
        !NON_NEST_PREFIXES.some((p) => r.path === p || r.path.startsWith(`${p}/`) || r.path.startsWith(`${p}-`)) &&
        !(r.path.endsWith('*') && nestWildcards.some((w) => fastify.hasRoute({ method: r.methods[0], url: w }))),
    );
    expect(outside).toEqual([]);
    const dashboard = served.filter((r) => r.path.startsWith('/admin/queues/') && r.path.includes('api/queues') && !r.path.includes(':'));
    if (served.some((r) => r.path.startsWith('/admin/queues'))) expect(dashboard.length).toBeGreaterThan(0);
    for (const r of dashboard) {
      const res = await api.http.get(r.path);
      expect([302, 401, 403]).toContain(res.status);
    }
  });

  it('every non-public route answers 401 without a token, and every non-public page sends the browser to sign-in (the global guard runs on all of them)', async () => {
    const failures: string[] = [];
    const pages = routes.filter((x) => !x.isPublic && x.controller.endsWith('PagesController'));
    expect(pages.length).toBeGreaterThanOrEqual(15);
    for (const r of routes.filter((x) => !x.isPublic)) {
      const url = concrete(fullPath(r));
      const method = r.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const res = await api.http[method](url);
      if (pages.includes(r)) {
        if (res.status !== 303 || !String(res.headers.location).startsWith('/sign-in')) failures.push(`${r.method} ${url} → ${res.status} ${res.headers.location}`);
      } else if (res.status !== 401) failures.push(`${r.method} ${url} → ${res.status}`);
      // A forged or expired session cookie is no better than none.
      const forged = await api.http[method](url).set('cookie', 'lms_session=00000000-0000-4000-8000-000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
      if (forged.status !== res.status) failures.push(`${r.method} ${url} with a forged session → ${forged.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('SCIM resource routes (public to the global guard, guarded by the SCIM client guard) answer 401 without a client token; only discovery is open', async () => {
    const scim = routes.filter((r) => fullPath(r).startsWith('/scim/v2/'));
    expect(scim.every((r) => r.isPublic && r.neutral)).toBe(true);
    const open = new Set(['/scim/v2/ServiceProviderConfig', '/scim/v2/Schemas', '/scim/v2/Schemas/:id', '/scim/v2/ResourceTypes', '/scim/v2/ResourceTypes/:id']);
    const failures: string[] = [];
    for (const r of scim.filter((x) => !open.has(fullPath(x)))) {
      const method = r.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      const res = await api.http[method](concrete(fullPath(r)));
      if (res.status !== 401 || res.body.schemas?.[0] !== 'urn:ietf:params:scim:api:messages:2.0:Error') failures.push(`${r.method} ${fullPath(r)} → ${res.status}`);
      // a person's access token (even an admin's) is not a provisioning client's token
      const withJwt = await api.http[method](concrete(fullPath(r))).set('authorization', 'Bearer aaa.bbb.ccc');
      if (withJwt.status !== 401) failures.push(`${r.method} ${fullPath(r)} with a JWT → ${withJwt.status}`);
    }
    expect(scim.length).toBeGreaterThanOrEqual(16);
    expect(failures).toEqual([]);
  });

  it('the check itself flags a route that declares nothing', async () => {
    @Controller('coverage-probe')
    class ProbeController {
      @Get('open')
      @Public()
      open(): string {
        return 'ok';
      }
      @Get('ruled')
      @Access('admin')
      ruled(): string {
        return 'ok';
      }
      @Post('forgotten')
      forgotten(): string {
        return 'oops';
      }
    }
    @Access('hr')
    @Controller('coverage-probe-class')
    class ClassRuledController {
      @Get()
      list(): string {
        return 'ok';
      }
    }
    @Module({ controllers: [ProbeController, ClassRuledController] })
    class ProbeModule {}
    const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
    const found = walkRoutes(moduleRef);
    expect(undeclared(found)).toEqual(['POST /coverage-probe/forgotten (ProbeController.forgotten)']);
    expect(found.find((r) => r.controller === 'ClassRuledController')?.access?.roles).toEqual(['hr']);
    await moduleRef.close();
  });
});
