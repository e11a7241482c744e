import { Body, Controller, Get, Module, Post, Req } from '@nestjs/common';
import { IsEmail, IsInt, IsString, Min } from 'class-validator';
import { PROBLEM_CONTENT_TYPE, Public } from '@lms/platform';
import { anOrgUnit, aUser, startApi, TestApi, tokenFor } from '@lms/testing';

class EchoDto {
  @IsEmail()
  email!: string;
  @IsInt()
  @Min(1)
  count!: number;
  @IsString()
  note!: string;
}

@Controller('platform-test')
class EdgeTestController {
  @Public()
  @Post('echo')
  echo(@Body() body: EchoDto): EchoDto {
    return body;
  }
  @Public()
  @Get('request-id')
  requestId(@Req() req: { id: string }): { id: string } {
    return { id: req.id };
  }
  @Public()
  @Get('boom')
  boom(): never {
    throw new Error('secret internal detail: SELECT password FROM users');
  }
}

@Module({ controllers: [EdgeTestController] })
class EdgeTestModule {}

const METRICS_TOKEN = 'edge-metrics-token-0123456789abcdef';

describe('HTTP edges (platform)', () => {
  let api: TestApi;
  beforeAll(async () => {
    // Docs and metrics are off/closed by default in production mode: this app turns them on explicitly.
    api = await startApi({ imports: [EdgeTestModule], env: { CORS_ORIGINS: 'https://hr.example.org', DOCS_ENABLED: 'true', METRICS_TOKEN } });
  });
  afterAll(async () => {
    await api.close();
  });

  it('answers liveness and readiness with the database checked', async () => {
    await api.http.get('/health/live').expect(200, { status: 'ok' });
    const ready = await api.http.get('/health/ready').set('authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.checks.database.status).toBe('up');
  });

  it('answers an unknown route with a 404 problem document', async () => {
    const res = await api.http.get('/api/v1/no-such-thing').expect(404);
    expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(res.body).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('rejects unknown fields and lists every invalid field', async () => {
    const res = await api.http
      .post('/api/v1/platform-test/echo')
      .send({ email: 'not-an-email', count: 0, note: 'ok', isAdmin: true })
      .expect(400);
    expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    const fields = (res.body.errors as Array<{ field: string }>).map((e) => e.field).sort();
    expect(fields).toEqual(['count', 'email', 'isAdmin']);
  });

  it('accepts a valid body', async () => {
    const res = await api.http.post('/api/v1/platform-test/echo').send({ email: 'a@b.org', count: 2, note: 'Ћирилица' }).expect(201);
    expect(res.body).toEqual({ email: 'a@b.org', count: 2, note: 'Ћирилица' });
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const res = await api.http.post('/api/v1/platform-test/echo').set('content-type', 'application/json').send('{"email": ').expect(400);
    expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
  });

  it('answers a body over 1 MiB with 413', async () => {
    const big = JSON.stringify({ note: 'x'.repeat(1024 * 1024 + 10) });
    const res = await api.http.post('/api/v1/platform-test/echo').set('content-type', 'application/json').send(big).expect(413);
    expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(res.body.status).toBe(413);
  });

  it('turns an unexpected error into a 500 with an error id and no internals', async () => {
    const res = await api.http.get('/api/v1/platform-test/boom').expect(500);
    expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(res.body.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|secret internal|at \w+ \(/);
  });

  it('serves OpenAPI and Prometheus metrics with the HTTP histogram', async () => {
    const doc = await api.http.get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toContain('/health/ready');
    const metrics = await api.http.get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    expect(metrics.text).toContain('http_request_duration_seconds_bucket');
    expect(metrics.text).toContain('process_cpu_user_seconds_total');
  });

  it('sets security headers', async () => {
    const res = await api.http.get('/health/live').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
  });

  it('allows only the configured CORS origins', async () => {
    const allowed = await api.http.get('/health/live').set('origin', 'https://hr.example.org').expect(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://hr.example.org');
    const other = await api.http.get('/health/live').set('origin', 'https://evil.example').expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('keeps a well-formed X-Request-Id (logs and audit use it) and replaces a malformed one', async () => {
    const kept = await api.http.get('/api/v1/platform-test/request-id').set('x-request-id', 'trace-42.abc').expect(200);
    expect(kept.body.id).toBe('trace-42.abc');
    const replaced = await api.http.get('/api/v1/platform-test/request-id').set('x-request-id', 'bad id; drop table').expect(200);
    expect(replaced.body.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('closes /metrics without the token and shows readiness details only to the token or an admin', async () => {
    const closed = await api.http.get('/metrics').expect(401);
    expect(closed.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(closed.body.code).toBe('metrics_token_required');
    await api.http.get('/metrics').set('authorization', 'Bearer wrong-token-0123456789abcdefgh').expect(401);
    const bare = await api.http.get('/health/ready').expect(200);
    expect(bare.body).toEqual({ status: 'ok' });
    const learner = await aUser(api.dataSource, { orgUnit: await anOrgUnit(api.dataSource) });
    const asLearner = await api.http.get('/health/ready').set('authorization', `Bearer ${await tokenFor(api.config, learner)}`).expect(200);
    expect(asLearner.body).toEqual({ status: 'ok' });
    const admin = await aUser(api.dataSource, { orgUnit: await anOrgUnit(api.dataSource), roles: [{ role: 'admin' }] });
    const asAdmin = await api.http.get('/health/ready').set('authorization', `Bearer ${await tokenFor(api.config, admin)}`).expect(200);
    expect(asAdmin.body.checks.database.status).toBe('up');
  });
});

describe('operations endpoints with the production defaults', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('serves no OpenAPI UI or document, closes /metrics and keeps the bare readiness status public', async () => {
    expect(api.config.docsEnabled).toBe(false);
    expect(api.config.metricsToken).toBeUndefined();
    await api.http.get('/docs-json').expect(404);
    await api.http.get('/docs').expect(404);
    const metrics = await api.http.get('/metrics').expect(401);
    expect(metrics.body.detail).toMatch(/METRICS_TOKEN/);
    await api.http.get('/health/ready').expect(200, { status: 'ok' });
  });
});
