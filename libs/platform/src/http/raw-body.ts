import type { HttpAdapterHost } from '@nestjs/core';

interface ParserRequest {
  routeOptions?: { config?: Record<string, unknown> };
}
type Done = (err: Error | null, body?: unknown) => void;
interface FastifyLike {
  hasContentTypeParser(type: string): boolean;
  addContentTypeParser(
    type: string | string[],
    options: { parseAs: 'string' | 'buffer'; bodyLimit: number },
    parser: (request: ParserRequest, body: string | Buffer, done: Done) => void,
  ): void;
}

export interface RawBodyOptions {
  /** Media types taken as they are; `'*'` is Fastify's catch-all for any type without a parser. */
  types: readonly string[];
  parseAs: 'string' | 'buffer';
  bodyLimit: number;
  /**
   * When set, only routes whose config carries this flag (`@RouteConfig({ [flag]: true })`) take
   * the body; every other route answers 415 as if no parser existed.
   */
  routeFlag?: string;
}

interface Entry {
  flag?: string;
  parseAs: 'string' | 'buffer';
  bodyLimit: number;
}

/** Per Fastify instance: who takes each media type (`'*'`: any type without a parser of its own). */
const registries = new WeakMap<object, Map<string, Entry[]>>();

function tooLarge(limit: number): Error {
  return Object.assign(new Error(`The body is larger than ${limit} bytes`), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
}

/**
 * Registers a Fastify content-type parser that hands the body to the route unparsed (XML, zip
 * packages, xAPI documents, community files): the one way modules add a body type next to the
 * depth-limited JSON parser.
 *
 * Several modules may take the same type on their own routes (a PDF is a community file on one
 * route and an xAPI document on another): one Fastify parser per type serves every registration,
 * and a route takes the body when it carries the flag of a registration for that type or for `'*'`
 * (flagged registrations first, then unflagged ones), within that registration's own body limit
 * (413 above it). A type's Fastify-level limit is the largest known when it is first registered.
 * Registering the same flag twice (a module started twice in one process, as tests do) changes nothing.
 */
export function addRawBodyParser(adapterHost: HttpAdapterHost, options: RawBodyOptions): void {
  const fastify = adapterHost.httpAdapter?.getInstance?.() as FastifyLike | undefined;
  if (!fastify?.addContentTypeParser) return;
  let registry = registries.get(fastify);
  if (!registry) registries.set(fastify, (registry = new Map()));
  const entry: Entry = { flag: options.routeFlag, parseAs: options.parseAs, bodyLimit: options.bodyLimit };
  const fresh: string[] = [];
  for (const type of options.types) {
    const entries = registry.get(type);
    if (entries) {
      if (!entries.some((e) => e.flag === entry.flag)) entries.push(entry);
      continue;
    }
    registry.set(type, [entry]);
    // A parser registered elsewhere (the platform's JSON, multipart) stays the one for its type.
    if (!fastify.hasContentTypeParser(type)) fresh.push(type);
  }
  const reg = registry;
  for (const type of fresh) {
    const wildcard = type === '*' ? [] : (reg.get('*') ?? []);
    const limit = Math.max(options.bodyLimit, ...wildcard.map((e) => e.bodyLimit));
    fastify.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: limit }, (request, body, done) => {
      const config = request.routeOptions?.config ?? {};
      const candidates = type === '*' ? (reg.get('*') ?? []) : [...(reg.get(type) ?? []), ...(reg.get('*') ?? [])];
      const match = candidates.find((e) => e.flag !== undefined && config[e.flag] === true) ?? candidates.find((e) => e.flag === undefined);
      if (!match) {
        done(Object.assign(new Error('This content type is not accepted here'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }));
        return;
      }
      const bytes = body as Buffer;
      if (bytes.length > match.bodyLimit) {
        done(tooLarge(match.bodyLimit));
        return;
      }
      done(null, match.parseAs === 'string' ? bytes.toString('utf8') : bytes);
    });
  }
}
