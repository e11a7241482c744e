import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppConfig } from '@lms/platform';

/** Route-config flag (`@RouteConfig({ [PACKAGE_BODY]: true })`): the route takes an application/zip body up to PACKAGE_MAX_MB. */
export const PACKAGE_BODY = 'packageBody';

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

/** application/zip bodies (package uploads): only on flagged routes, elsewhere 415. */
@Injectable()
export class PackageBodyParser implements OnModuleInit {
  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyLike | undefined;
    if (!fastify?.addContentTypeParser || fastify.hasContentTypeParser('application/zip')) return;
    fastify.addContentTypeParser('application/zip', { parseAs: 'buffer', bodyLimit: this.config.packageMaxBytes }, (request, body, done) => {
      if (request.routeOptions?.config?.[PACKAGE_BODY] === true) done(null, body);
      else done(Object.assign(new Error('application/zip is not accepted here'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }));
    });
  }
}
