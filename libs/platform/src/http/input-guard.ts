import { FieldError, ValidationError } from '../errors/domain-error.js';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem.js';
import { toProblem } from '../errors/problem.filter.js';
import { problemLocale } from '../errors/problem-messages.js';
import { titleIn } from '../errors/problem-titles.js';

const NUL = '\u0000';

/** Text that is not well-formed UTF-16 (a lone surrogate, as JSON's "\ud800" escape produces). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
function illFormed(value: string): boolean {
  return LONE_SURROGATE.test(value);
}

/**
 * Every string (and object key) in `value` that holds a NUL character or a lone surrogate, by
 * field path ("email", "roles.0.role"). PostgreSQL cannot store U+0000 in text, a lone surrogate
 * cannot be encoded as UTF-8 (it would be stored as U+FFFD, and some validators throw on it), so
 * such input is refused before any handler runs instead of failing later.
 */
export function nulFields(value: unknown, path = '', out: FieldError[] = [], depth = 0): FieldError[] {
  if (out.length >= 20 || depth > 200) return out;
  if (typeof value === 'string') {
    if (value.includes(NUL)) out.push({ field: path || 'value', message: `${path || 'the value'} must not contain a NUL character (U+0000)`, rule: 'nul' });
    else if (illFormed(value)) out.push({ field: path || 'value', message: `${path || 'the value'} must be well-formed Unicode text (it holds a lone surrogate)`, rule: 'nul' });
    return out;
  }
  if (!value || typeof value !== 'object' || Buffer.isBuffer(value) || typeof (value as { pipe?: unknown }).pipe === 'function') return out;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
  for (const [key, v] of entries) {
    const field = path ? `${path}.${key}` : key;
    if (key.includes(NUL)) out.push({ field: field.replaceAll(NUL, '\\0'), message: 'a field name must not contain a NUL character (U+0000)', rule: 'nul' });
    else if (illFormed(key)) out.push({ field: field.replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD'), message: 'a field name must be well-formed Unicode text', rule: 'nul' });
    else nulFields(v, field, out, depth + 1);
  }
  return out;
}

interface GuardRequest {
  url?: string;
  headers?: Record<string, string | string[] | undefined>;
  query?: unknown;
  params?: unknown;
  body?: unknown;
}
interface GuardReply {
  code(status: number): GuardReply;
  header(name: string, value: string): GuardReply;
  send(body: unknown): GuardReply;
}
interface FastifyHooks {
  addHook(name: 'preValidation', hook: (req: GuardRequest, reply: GuardReply) => Promise<GuardReply | undefined>): void;
}

/**
 * One check for every route (Nest controllers, plugins, routes added later): path parameters,
 * the query string and a parsed body are walked after parsing and before validation; any NUL
 * character answers 400 problem+json naming the fields. Streamed bodies (CSV) are checked by
 * their reader, line by line.
 */
export function registerInputGuard(fastify: FastifyHooks): void {
  fastify.addHook('preValidation', async (req, reply) => {
    const errors = [...nulFields(req.params), ...nulFields(req.query), ...nulFields(req.body)];
    if (errors.length === 0) return undefined;
    const locale = problemLocale(typeof req.headers?.['accept-language'] === 'string' ? req.headers['accept-language'] : undefined);
    const { problem } = toProblem(
      new ValidationError(errors, 'The request contains a NUL character (U+0000) or a lone surrogate, which are not allowed in text'),
      req.url?.split('?')[0],
      locale,
    );
    const title = titleIn(400, locale);
    if (title) {
      problem.title = title.title;
      reply.header('content-language', title.language);
    }
    return reply.code(400).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  });
}
