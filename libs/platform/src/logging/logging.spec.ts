import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadConfig } from '../config/app-config.js';
import { loggerParams, REDACT_PATHS } from './logging.js';

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
