import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { addRawBodyParser, AppConfig } from '@lms/platform';

/** Route-config flag (`@RouteConfig({ [PACKAGE_BODY]: true })`): the route takes an application/zip body up to PACKAGE_MAX_MB. */
export const PACKAGE_BODY = 'packageBody';

/** application/zip bodies (package uploads): only on flagged routes, elsewhere 415. */
@Injectable()
export class PackageBodyParser implements OnModuleInit {
  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    addRawBodyParser(this.adapterHost, { types: ['application/zip'], parseAs: 'buffer', bodyLimit: this.config.packageMaxBytes, routeFlag: PACKAGE_BODY });
  }
}
