import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppConfig } from '@lms/platform';

/** Route-config flag (`@RouteConfig({ [XAPI_DOCUMENT_BODY]: true })`): the route takes a document of any content type. */
export const XAPI_DOCUMENT_BODY = 'xapiDocumentBody';

interface ParserRequest {
  routeOptions?: { config?: Record<string, unknown> };
}
interface FastifyLike {
  hasContentTypeParser(type: string): boolean;
  addContentTypeParser(
    type: string,
    options: { parseAs: 'buffer'; bodyLimit: number },
    parser: (request: ParserRequest, body: Buffer, done: (err: Error | null, body?: unknown) => void) => void,
  ): void;
}

/**
 * xAPI documents (state, profiles) may be of any media type: a catch-all parser hands their bytes
 * to the routes flagged with XAPI_DOCUMENT_BODY (within the platform's body limit); every other
 * route still answers 415 for a content type it does not take.
 */
@Injectable()
export class XapiDocumentBodyParser implements OnModuleInit {
  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyLike | undefined;
    if (!fastify?.addContentTypeParser || fastify.hasContentTypeParser('*')) return;
    fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: this.config.bodyLimitBytes }, (request, body, done) => {
      if (request.routeOptions?.config?.[XAPI_DOCUMENT_BODY] === true) done(null, body);
      else done(Object.assign(new Error('This content type is not accepted here'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }));
    });
  }
}
