import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { addRawBodyParser } from '@lms/platform';
import { RESOURCE_FILE_MAX_BYTES, RESOURCE_FILE_TYPES } from '@lms/hub';

/** Route-config flag (`@RouteConfig({ [RESOURCE_FILE_BODY]: true })`): the route takes a community resource file as its body. */
export const RESOURCE_FILE_BODY = 'resourceFileBody';

/** The declared types a resource upload may come with (the service judges the real type from the bytes). */
export const RESOURCE_FILE_BODY_TYPES = [...Object.keys(RESOURCE_FILE_TYPES), 'application/octet-stream'];

/** Community resource files (PDF, ODT, DOCX, PNG, JPEG) as raw bodies up to 10 MB, only on flagged routes (elsewhere 415). */
@Injectable()
export class ResourceFileBodyParser implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    addRawBodyParser(this.adapterHost, { types: RESOURCE_FILE_BODY_TYPES, parseAs: 'buffer', bodyLimit: RESOURCE_FILE_MAX_BYTES, routeFlag: RESOURCE_FILE_BODY });
  }
}
