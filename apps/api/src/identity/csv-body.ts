import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/** Route-config flag (`@RouteConfig({ [CSV_BODY]: true })`): the route takes text/csv as a stream. */
export const CSV_BODY = 'csvBody';

interface ParserRequest {
  routeOptions?: { config?: Record<string, unknown> };
}
interface FastifyLike {
  hasContentTypeParser(type: string): boolean;
  addContentTypeParser(
    type: string,
    parser: (request: ParserRequest, payload: unknown, done: (err: Error | null, body?: unknown) => void) => void,
  ): void;
}

/**
 * Registers a Fastify content-type parser for text/csv that hands the request stream to the
 * handler unread (no buffering, no 1 MiB global limit: the handler enforces its own limit while
 * streaming). Only routes flagged with CSV_BODY accept it; elsewhere text/csv answers 415.
 */
@Injectable()
export class CsvBodyParser implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyLike | undefined;
    if (!fastify?.addContentTypeParser || fastify.hasContentTypeParser('text/csv')) return;
    fastify.addContentTypeParser('text/csv', (request, payload, done) => {
      if (request.routeOptions?.config?.[CSV_BODY] === true) done(null, payload);
      else done(Object.assign(new Error('text/csv is not accepted here'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }));
    });
  }
}
