import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import { AppConfig } from '../config/app-config.js';

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
];

/** What a request log line says about the request: id, method and path (no headers, no query string). */
export function serializeRequest(req: { id: string; method: string; url: string }): { id: string; method: string; url: string } {
  return { id: req.id, method: req.method, url: req.url?.split('?')[0] };
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

export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
      },
      customProps: () => ({ mode: config.mode }),
      serializers: {
        req: serializeRequest,
        res: serializeResponse,
      },
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health/live' || req.url === '/metrics' },
    },
  };
}
