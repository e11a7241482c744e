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

/**
 * Registers a Fastify content-type parser that hands the body to the route unparsed (XML, zip
 * packages, xAPI documents): the one way modules add a body type next to the depth-limited JSON
 * parser. Types that already have a parser are left alone, so a module may be started twice in
 * one process (tests) without Fastify refusing the duplicate.
 */
export function addRawBodyParser(adapterHost: HttpAdapterHost, options: RawBodyOptions): void {
  const fastify = adapterHost.httpAdapter?.getInstance?.() as FastifyLike | undefined;
  if (!fastify?.addContentTypeParser) return;
  const types = options.types.filter((t) => !fastify.hasContentTypeParser(t));
  if (!types.length) return;
  const { routeFlag } = options;
  fastify.addContentTypeParser(types, { parseAs: options.parseAs, bodyLimit: options.bodyLimit }, (request, body, done) => {
    if (!routeFlag || request.routeOptions?.config?.[routeFlag] === true) done(null, body);
    else done(Object.assign(new Error('This content type is not accepted here'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }));
  });
}
