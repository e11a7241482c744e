import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { AppConfig } from '../config/app-config.js';
import { RequestContext } from '../context/request-context.js';

/** Paths pino replaces with "[redacted]": credentials never reach a log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'password',
  'newPassword',
  'accessToken',
  'refreshToken',
  'token',
  '*.password',
  '*.passwordHash',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.secret',
  'config.jwtSecret',
  'config.credentialKeySecret',
  'err.parameters',
  'err.query',
  'err.detail',
];

/** Pages whose path carries a secret (single-use account links): the secret part is never logged. */
const SECRET_PATH = /^(\/(?:invitations|password-reset))\/[^/]+/;

/** What a request log line says about the request: id, method and path (no headers, no query string, no link secrets). */
export function serializeRequest(req: { id: string; method: string; url: string }): { id: string; method: string; url: string } {
  return { id: req.id, method: req.method, url: req.url?.split('?')[0].replace(SECRET_PATH, '$1/[redacted]') };
}

/**
 * What a request log line says about the response: its status and length only. Response headers
 * (Set-Cookie with session and dashboard cookies, Location with tokens in links) never reach a log.
 * pino-http hands over its standard serialization: `{ statusCode, headers }`.
 */
export function serializeResponse(res: { statusCode?: number | null; headers?: Record<string, unknown> | null }): {
  statusCode: number | null;
  contentLength: number | null;
} {
  const raw = res.headers?.['content-length'];
  const length = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : null;
  return { statusCode: res.statusCode ?? null, contentLength: length };
}

/** Database-error fields that name where it failed, never what was written. */
const SAFE_DB_FIELDS = ['code', 'constraint', 'table', 'column', 'schema', 'dataType', 'routine', 'severity'] as const;

/** A PostgreSQL message without the values it quotes (`invalid input syntax for type uuid: "…"`). */
export function withoutQuotedValues(message: string): string {
  return message.replace(/: "(?:[^"\\]|\\.)*"/g, ': "[value]"').replace(/=\(.*\)/g, '=([values])');
}

/**
 * The `err` serializer of every log line: type, message, stack, codes and (for database errors)
 * the constraint/table/column it failed on. Nothing else of the error object is written:
 * TypeORM's QueryFailedError carries `.parameters` (password hashes, e-mails, names of a whole
 * import batch), `.query`, and the driver's `detail` ("Failing row contains (…)").
 */
export function safeError(value: unknown, depth = 0): unknown {
  // pino-http hands its err serializers the std-serialized copy; the original is on `.raw`.
  const raw = (value as { raw?: unknown } | null)?.raw;
  const err = (raw instanceof Error ? raw : value) as (Error & Record<string, unknown>) | null;
  if (!err || typeof err !== 'object' || typeof err.message !== 'string') return { type: typeof value };
  const name = typeof err.name === 'string' ? err.name : typeof err.type === 'string' ? err.type : 'Error';
  const out: Record<string, unknown> = { type: name, message: withoutQuotedValues(err.message) };
  const frames = typeof err.stack === 'string' ? err.stack.indexOf('\n    at ') : -1;
  if (frames >= 0) out.stack = `${name}: ${out.message as string}${(err.stack as string).slice(frames)}`;
  const driver = err.driverError && typeof err.driverError === 'object' ? (err.driverError as Record<string, unknown>) : {};
  const source: Record<string, unknown> = { ...err, ...driver };
  for (const k of SAFE_DB_FIELDS) if (typeof source[k] === 'string' || typeof source[k] === 'number') out[k] = source[k];
  if (typeof source.statusCode === 'number') out.statusCode = source.statusCode;
  if (err.cause !== undefined && depth < 3) out.cause = safeError(err.cause, depth + 1);
  return out;
}

export function loggerParams(config: AppConfig): Params {
  return {
    // Every path. nestjs-pino's default ('{/*splat}') is not taken for a wildcard by Nest under URI
    // versioning with version-neutral controllers: it was mounted as '/{/*splat}' and
    // '/api/v1/{/*splat}', so '/' and the API were logged but no other page ('/courses/…').
    forRoutes: [{ path: '/{*splat}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.logLevel,
      // A job's log lines name the job and the HTTP request that caused it (request lines carry req.id already).
      mixin: () => {
        const context = RequestContext.current();
        return context?.jobId ? { jobId: context.jobId, ...(context.requestId ? { requestId: context.requestId } : {}) } : {};
      },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
      },
      // One line a request at info: method, path, route template, status, time, request id, user id,
      // and the number of SQL statements the request ran.
      // pino-http asks twice: when the request starts (the request's logger) and when it ends (the
      // line): what is known only at the end is given then, so no key is written twice.
      customProps: (req: IncomingMessage & { lmsRoute?: string; lmsUserId?: string; lmsQueries?: { n: number } }, res: ServerResponse) =>
        res.headersSent
          ? {
              ...(req.lmsRoute ? { route: req.lmsRoute } : {}),
              ...(req.lmsUserId ? { userId: req.lmsUserId } : {}),
              ...(req.lmsQueries ? { queries: req.lmsQueries.n } : {}),
            }
          : { mode: config.mode },
      serializers: {
        err: (err: unknown) => safeError(err),
        req: serializeRequest,
        res: serializeResponse,
      },
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health/live' || req.url === '/metrics' },
    },
  };
}
