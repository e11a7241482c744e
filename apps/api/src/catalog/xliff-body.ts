import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

export const XLIFF_CONTENT_TYPE = 'application/xliff+xml';
/** XLIFF files of long courses are larger than JSON bodies; still bounded. */
const XLIFF_BODY_LIMIT = 8 * 1024 * 1024;

interface FastifyLike {
  hasContentTypeParser(type: string): boolean;
  addContentTypeParser(
    type: string | string[],
    opts: { parseAs: 'string'; bodyLimit: number },
    parser: (request: unknown, body: string, done: (err: Error | null, body?: unknown) => void) => void,
  ): void;
}

/** Fastify parses application/xliff+xml (and application/xml, text/xml) bodies as text; the service parses the XML. */
@Injectable()
export class XliffBodyParser implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyLike | undefined;
    if (!fastify?.addContentTypeParser) return;
    const types = [XLIFF_CONTENT_TYPE, 'application/xml', 'text/xml'].filter((t) => !fastify.hasContentTypeParser(t));
    if (types.length) fastify.addContentTypeParser(types, { parseAs: 'string', bodyLimit: XLIFF_BODY_LIMIT }, (_req, body, done) => done(null, body));
  }
}
