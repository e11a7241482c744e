import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { type Options, pinoHttp } from 'pino-http';
import { loadConfig } from '../config/app-config.js';
import { QueryFailedError } from 'typeorm';
import { loggerParams, REDACT_PATHS, safeError, serializeRequest, serializeResponse } from './logging.js';

function capture(): { stream: Writable; text: () => string } {
  let out = '';
  return {
    stream: new Writable({
      write(chunk: Buffer, _enc, cb) {
        out += chunk.toString();
        cb();
      },
    }),
    text: () => out,
  };
}

describe('log redaction', () => {
  it('never writes authorization headers, cookies, passwords or tokens', () => {
    const sink = capture();
    const logger = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink.stream);
    logger.info({
      req: { headers: { authorization: 'Bearer eyJhbGciOi.secret.token', cookie: 'sid=abc123' } },
      body: { password: 'hunter2-hunter2', refreshToken: 'r3fr3sh-t0k3n' },
      password: 'top-secret-password',
      accessToken: 'acc-token-value',
    });
    const line = sink.text();
    for (const secret of ['eyJhbGciOi', 'abc123', 'hunter2', 'r3fr3sh', 'top-secret', 'acc-token']) expect(line).not.toContain(secret);
    expect(line).toContain('[redacted]');
  });

  it('configures pino-http with the redaction, the level and a request id', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://x@h/db', JWT_SECRET: 'a'.repeat(32), CREDENTIAL_KEY_SECRET: 'b'.repeat(32), LOG_LEVEL: 'warn' });
    const params = loggerParams(config) as { pinoHttp: { level: string; redact: { paths: string[] }; genReqId: (req: { headers: Record<string, string> }) => string } };
    expect(params.pinoHttp.level).toBe('warn');
    expect(params.pinoHttp.redact.paths).toContain('req.headers.authorization');
    expect(params.pinoHttp.genReqId({ headers: { 'x-request-id': 'abc-123' } })).toBe('abc-123');
    expect(params.pinoHttp.genReqId({ headers: { 'x-request-id': 'bad id with spaces' } })).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('request log lines', () => {
  it('log the response status and length only: no response header (Set-Cookie) and no request header', async () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://x@h/db', JWT_SECRET: 'a'.repeat(32), CREDENTIAL_KEY_SECRET: 'b'.repeat(32), LOG_LEVEL: 'info' });
    const sink = capture();
    const { pinoHttp: options } = loggerParams(config) as { pinoHttp: Options };
    const log = pinoHttp(options, sink.stream);
    const body = JSON.stringify({ ok: true });
    const server = createServer((req, res) => {
      log(req, res);
      res.setHeader('set-cookie', 'lms_dashboard=session-cookie-value; HttpOnly');
      res.setHeader('x-internal-note', 'internal-header-value');
      res.setHeader('content-type', 'application/json');
      res.setHeader('content-length', Buffer.byteLength(body));
      res.statusCode = 201;
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/things?token=query-secret`, { headers: { authorization: 'Bearer header-token-value', cookie: 'sid=req-cookie' } });
      expect(res.status).toBe(201);
      await res.text();
      // pino-http writes its line when the response finishes: wait for it rather than for time.
      const deadline = Date.now() + 5_000;
      while (!sink.text().includes('request completed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const line = JSON.parse(sink.text().trim().split('\n').pop()!) as { req: Record<string, unknown>; res: Record<string, unknown>; msg: string };
    expect(line.msg).toBe('request completed');
    expect(line.res).toEqual({ statusCode: 201, contentLength: Buffer.byteLength(body) });
    expect(line.req).toEqual({ id: expect.any(String), method: 'GET', url: '/api/v1/things' });
    for (const secret of ['session-cookie-value', 'internal-header-value', 'header-token-value', 'req-cookie', 'query-secret']) expect(sink.text()).not.toContain(secret);
  });

  it('logs the path of an invitation or password-reset page without the secret in it, and no query string', () => {
    const secret = 'q'.repeat(43);
    expect(serializeRequest({ id: '1', method: 'GET', url: `/invitations/${secret}?x=1` }).url).toBe('/invitations/[redacted]');
    expect(serializeRequest({ id: '1', method: 'POST', url: `/password-reset/${secret}` }).url).toBe('/password-reset/[redacted]');
    expect(serializeRequest({ id: '1', method: 'GET', url: '/password-reset' }).url).toBe('/password-reset');
    expect(serializeRequest({ id: '1', method: 'GET', url: '/courses/a?q=b' }).url).toBe('/courses/a');
  });

  it('serializes a response without a length as null', () => {
    expect(serializeResponse({ statusCode: 204, headers: {} })).toEqual({ statusCode: 204, contentLength: null });
    expect(serializeResponse({ statusCode: 200, headers: { 'content-length': '12' } })).toEqual({ statusCode: 200, contentLength: 12 });
  });
});

describe('error serializer', () => {
  it('keeps type, message, stack, SQLSTATE and constraint of a failed query, never its parameters, SQL or detail', () => {
    const driverError = Object.assign(new Error('new row for relation "app_user" violates check constraint "ck_x"'), {
      code: '23514',
      constraint: 'ck_x',
      table: 'app_user',
      detail: 'Failing row contains (ana@uprava.gov.rs, Ana Petrović, $argon2id$v=19$m=19456,t=2,p=1$abc$def).',
    });
    const err = new QueryFailedError('INSERT INTO app_user (email, display_name, password_hash) VALUES ($1, $2, $3)', ['ana@uprava.gov.rs', 'Ana Petrović', '$argon2id$v=19$abc'], driverError);
    const sink = capture();
    const logger = pino({ serializers: { err: (e: unknown) => safeError(e) } }, sink.stream);
    logger.error({ err }, 'unhandled error');
    const line = sink.text();
    for (const leak of ['ana@uprava', 'Petrovi', 'argon2', 'INSERT INTO', 'Failing row']) expect(line).not.toContain(leak);
    expect(JSON.parse(line).err).toMatchObject({ type: 'QueryFailedError', code: '23514', constraint: 'ck_x', table: 'app_user' });
    expect(JSON.parse(line).err.stack).toMatch(/^QueryFailedError: new row .* violates check constraint/);
  });

  it('blanks the values PostgreSQL quotes in a message', () => {
    const e = new Error('invalid input syntax for type uuid: "ana@uprava.gov.rs"');
    expect((safeError(e) as { message: string }).message).toBe('invalid input syntax for type uuid: "[value]"');
  });
});
