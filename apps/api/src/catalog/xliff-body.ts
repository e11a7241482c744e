import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { addRawBodyParser } from '@lms/platform';

export const XLIFF_CONTENT_TYPE = 'application/xliff+xml';
/** XLIFF files of long courses are larger than JSON bodies; still bounded. */
const XLIFF_BODY_LIMIT = 8 * 1024 * 1024;

/** Fastify parses application/xliff+xml (and application/xml, text/xml) bodies as text; the service parses the XML. */
@Injectable()
export class XliffBodyParser implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    addRawBodyParser(this.adapterHost, { types: [XLIFF_CONTENT_TYPE, 'application/xml', 'text/xml'], parseAs: 'string', bodyLimit: XLIFF_BODY_LIMIT });
  }
}
