import { Controller, Get, Module, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Access, Public } from '@lms/platform';
import { startApi, TestApi } from '@lms/testing';
import { API_PREFIX } from '../../apps/api/src/configure-app.js';
import { fastifyRoutes, undeclared, walkRoutes, WalkedRoute } from './route-walk.js';

interface FastifyRoutes {
  hasRoute(opts: { method: string; url: string }): boolean;
  printRoutes(opts: { commonPrefix: boolean }): string;
}

/** Served outside Nest controllers (so outside the global guard), on purpose: the OpenAPI UI and the queue dashboard. */
const NON_NEST_PREFIXES = ['/docs', '/admin/queues'];

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
      'GET /calendar/:file',
    ]) {
      expect(seen).toContain(r);
    }
    expect(new Set(routes.map((r) => r.controller)).size).toBeGreaterThanOrEqual(6);
  });

  it('every route has an access rule', () => {
    expect(undeclared(routes)).toEqual([]);
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
    const outside = served.filter(
      (r) => !nest.has(r.path) && !NON_NEST_PREFIXES.some((p) => r.path === p || r.path.startsWith(`${p}/`) || r.path.startsWith(`${p}-`)),
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
