import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { QueryFailedError } from 'typeorm';
import { DomainError, FieldError, LocalisedText, ValidationError } from './domain-error.js';
import { Problem, problem, PROBLEM_CONTENT_TYPE } from './problem.js';
import { titleIn } from './problem-titles.js';
import { problemLocale, problemMessage, type ProblemLocale } from './problem-messages.js';

interface ReplyLike {
  sent?: boolean;
  statusCode?: number;
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): unknown;
}
interface RequestLike {
  url?: string;
  id?: string;
  headers?: Record<string, string | string[] | undefined>;
  /** The signed-in caller, when the guard ran (its profile locale words the problem without Accept-Language). */
  user?: { locale?: string | null };
}

/** PostgreSQL errors a client can provoke with bad input: never a 500. */
const PG_CLIENT_ERRORS: Record<string, [number, string]> = {
  '22P02': [400, 'A value has the wrong format (for example an id that is not a UUID)'],
  '22007': [400, 'A date or time is not valid'],
  '22008': [400, 'A date or time is out of range'],
  '22003': [400, 'A number is out of range'],
  '22001': [400, 'A value is too long'],
  '23505': [409, 'This already exists'],
  '23503': [409, 'This refers to something that does not exist or is still in use'],
};

/**
 * SQLSTATEs that mean "the database is not there right now", not "this request is wrong":
 * class 08 (connection exception), 57P01–57P03 (administrator or crash shutdown, cannot connect
 * now: a restart), 53300 (too many connections).
 */
const PG_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;
/** What node-postgres and the socket layer throw when the server is down, restarting or gone. */
const SOCKET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const PG_UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
];

/**
 * True when an error (or what it wraps: TypeORM's `driverError`, an `AggregateError`'s errors,
 * `cause`) says the database cannot be reached: the request may well succeed later, so the client
 * gets 503 (with Retry-After), not a 500 with an error id.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (PG_UNAVAILABLE.test(e.code) || SOCKET_UNAVAILABLE.has(e.code))) return true;
  if (typeof e.message === 'string' && PG_UNAVAILABLE_MESSAGES.some((m) => m.test(e.message as string))) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.driverError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1);
}

/** Seconds a client is told to wait when the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Errors raised by the HTTP layer itself (Fastify) before a handler runs. */
function frameworkStatus(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; code?: unknown };
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 && typeof e.code === 'string' && e.code.startsWith('FST_')) {
    return e.statusCode;
  }
  if (error instanceof SyntaxError && (error as { statusCode?: number }).statusCode === 400) return 400;
  return undefined;
}

/** Details the platform writes that the problem catalog words in other languages. */
const KNOWN_DETAILS: Record<string, string> = {
  'The request is not valid': 'detail.validation',
  'The request contains a NUL character (U+0000) or a lone surrogate, which are not allowed in text': 'detail.nul',
  // Nest's parse pipes on path parameters, and the sign-in answers.
  'Validation failed (uuid is expected)': 'detail.uuid',
  'Validation failed (numeric string is expected)': 'detail.numeric',
  'The access token is invalid or expired': 'detail.401.token',
  'Your session has ended; sign in again': 'detail.401.session',
  'A bearer access token (or a browser session) is required': 'detail.401.required',
  Unauthorized: 'detail.401.required',
};

/**
 * Words a domain message (LocalisedText: catalog key and arguments) in a language other than
 * English; undefined when the catalog has no such key. The interface catalogs provide it (the web
 * lib's `problemTranslator`): the platform does not know them.
 */
export type ProblemTranslator = (locale: ProblemLocale, key: string, args: Record<string, string | number>) => string | undefined;

/** A domain message in the caller's language, else its English text. */
function localised(text: LocalisedText | undefined, english: string, locale: ProblemLocale | undefined, translate: ProblemTranslator | undefined): string {
  if (!text || !locale || !translate) return english;
  return translate(locale, text.key, text.args) ?? english;
}

/** A field message in the caller's language: the domain's key, else the rule that failed, else the generic one; English as written. */
function fieldMessage(e: FieldError, locale: ProblemLocale | undefined, translate?: ProblemTranslator): string {
  if (!locale) return e.message;
  if (e.localised && translate) {
    const worded = translate(locale, e.localised.key, { field: e.field, ...e.localised.args });
    if (worded !== undefined) return worded;
  }
  if (!e.rule) return e.message;
  return problemMessage(locale, `field.${e.rule}`, { field: e.field, ...e.params }) ?? problemMessage(locale, 'field.invalid', { field: e.field }) ?? e.message;
}

/** `english`, or its wording in `locale` when the catalog has `key`. */
function say(locale: ProblemLocale | undefined, key: string, english: string, values?: Record<string, string | number>): string {
  return (locale && problemMessage(locale, key, values)) || english;
}

/**
 * The problem document of an error. `locale` (problemLocale: Accept-Language, else the person's)
 * words `detail` and field messages from the problem catalog; without it they stay English.
 */
export function toProblem(
  error: unknown,
  instance?: string,
  locale?: ProblemLocale,
  translate?: ProblemTranslator,
): { problem: Problem; log?: { errorId: string; error: unknown }; headers?: Record<string, string> } {
  if (error instanceof ValidationError) {
    const errors = error.errors.map((e) => ({ field: e.field, message: fieldMessage(e, locale, translate) }));
    const detailKey = KNOWN_DETAILS[error.message];
    const detail = detailKey ? say(locale, detailKey, error.message) : localised(error.localised, error.message, locale, translate);
    return { problem: problem(400, detail, { code: error.code, errors, instance }) };
  }
  if (error instanceof DomainError) {
    return { problem: problem(error.status, localised(error.localised, error.message, locale, translate), { ...error.extra, code: error.code, instance }) };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    let detail = error.message;
    if (typeof response === 'object' && response !== null) {
      const m = (response as { message?: unknown }).message;
      if (typeof m === 'string') detail = m;
      else if (Array.isArray(m)) detail = m.join('; ');
    }
    if (status >= 500) {
      const errorId = randomUUID();
      return {
        problem: problem(status, say(locale, 'detail.500', `Something went wrong on our side (error id ${errorId})`, { errorId }), { errorId, instance }),
        log: { errorId, error },
      };
    }
    const detailKey = KNOWN_DETAILS[detail];
    return { problem: problem(status, detailKey ? say(locale, detailKey, detail) : detail, { instance }) };
  }
  const fw = frameworkStatus(error);
  if (fw !== undefined) {
    const detail =
      fw === 413
        ? say(locale, 'detail.413', 'The request body is larger than the 1 MiB limit')
        : fw === 415
          ? say(locale, 'detail.415', 'This content type is not supported here')
          : (error as Error).message;
    return { problem: problem(fw, detail, { instance }) };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      problem: problem(503, say(locale, 'detail.503.database', 'The database is not reachable right now. Try again shortly.'), {
        code: 'database_unavailable',
        instance,
      }),
      headers: { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) },
    };
  }
  if (error instanceof QueryFailedError) {
    const code = (error.driverError as { code?: string } | undefined)?.code ?? '';
    const known = PG_CLIENT_ERRORS[code];
    if (known) return { problem: problem(known[0], say(locale, `detail.pg.${code}`, known[1]), { instance }) };
  }
  const errorId = randomUUID();
  return {
    problem: problem(500, say(locale, 'detail.500', `Something went wrong on our side. Quote error id ${errorId} when you report it.`, { errorId }), { errorId, instance }),
    log: { errorId, error },
  };
}

/** One filter maps every error to RFC 9457 application/problem+json. No stack or SQL reaches a client. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  /** `translate`: the interface catalogs' wording of domain messages (without it they stay English). */
  constructor(private readonly translate?: ProblemTranslator) {}

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const http = host.switchToHttp();
    const reply = http.getResponse<ReplyLike>();
    const request = http.getRequest<RequestLike>();
    const accept = request?.headers?.['accept-language'];
    const acceptLanguage = typeof accept === 'string' ? accept : undefined;
    const locale = problemLocale(acceptLanguage, request?.user?.locale);
    const { problem: body, log, headers } = toProblem(error, request?.url?.split('?')[0], locale, this.translate);
    if (log) this.logger.error({ errorId: log.errorId, err: log.error, requestId: request?.id }, 'unhandled error');
    else if (body.code === 'database_unavailable') this.logger.warn({ requestId: request?.id, code: (error as { code?: unknown }).code }, 'database unavailable: answered 503');
    if (reply.sent) return;
    if (error instanceof DomainError) for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
    for (const [name, value] of Object.entries(headers ?? {})) reply.header(name, value);
    const localised = titleIn(body.status, locale);
    if (localised) {
      body.title = localised.title;
      reply.header('content-language', localised.language);
    }
    reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
  }
}
