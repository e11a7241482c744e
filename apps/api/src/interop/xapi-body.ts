import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { addRawBodyParser, AppConfig } from '@lms/platform';

/** Route-config flag (`@RouteConfig({ [XAPI_DOCUMENT_BODY]: true })`): the route takes a document of any content type. */
export const XAPI_DOCUMENT_BODY = 'xapiDocumentBody';

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
    addRawBodyParser(this.adapterHost, { types: ['*'], parseAs: 'buffer', bodyLimit: this.config.bodyLimitBytes, routeFlag: XAPI_DOCUMENT_BODY });
  }
}
