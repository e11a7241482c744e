import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { COURSE_ZIP_MAX_BYTES } from '@lms/catalog';

/** Route-config flag (`@RouteConfig({ [WEB_UPLOAD]: true })`): the page takes a multipart/form-data form with a file. */
export const WEB_UPLOAD = 'webUpload';

/** A file field of a parsed form. */
export interface UploadedFile {
  filename: string;
  bytes: Buffer;
}

interface ParserRequest {
  headers: Record<string, string | string[] | undefined>;
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

const badForm = (): Error => Object.assign(new Error('The form could not be read'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' });

/**
 * File uploads from pages (a plain HTML form, no script): multipart/form-data bodies are taken only
 * by flagged routes (elsewhere 415), up to the course-zip limit, and parsed with the platform's own
 * FormData parser into `{ field: string, file: { filename, bytes } }` — so the CSRF field of the
 * form is checked by the global guard exactly as for urlencoded forms.
 */
@Injectable()
export class WebUploadParser implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyLike | undefined;
    if (!fastify?.addContentTypeParser || fastify.hasContentTypeParser('multipart/form-data')) return;
    fastify.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: COURSE_ZIP_MAX_BYTES + 64 * 1024 }, (request, body, done) => {
      if (request.routeOptions?.config?.[WEB_UPLOAD] !== true) {
        done(Object.assign(new Error('multipart/form-data is not accepted here'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }));
        return;
      }
      parseForm(body, String(request.headers['content-type'] ?? '')).then(
        (form) => done(null, form),
        () => done(badForm()),
      );
    });
  }
}

async function parseForm(body: Buffer, contentType: string): Promise<Record<string, string | UploadedFile>> {
  const data = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  const out: Record<string, string | UploadedFile> = Object.create(null) as Record<string, string | UploadedFile>;
  for (const [name, value] of data.entries()) {
    if (name in out || name === '__proto__') continue;
    out[name] = typeof value === 'string' ? value : { filename: value.name.slice(0, 255), bytes: Buffer.from(await value.arrayBuffer()) };
  }
  return out;
}
