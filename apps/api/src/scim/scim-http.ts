import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { depthLimitedJsonParser, PROBLEM_CONTENT_TYPE } from '@lms/platform';
import { SCIM_BASE_PATH, SCIM_CONTENT_TYPE, scimErrorBody } from '@lms/identity';

interface HookRequest {
  url?: string;
}
interface HookReply {
  statusCode: number;
  getHeader(name: string): unknown;
  header(name: string, value: string): HookReply;
}

function isScim(url: string | undefined): boolean {
  return url === SCIM_BASE_PATH || (url?.startsWith(`${SCIM_BASE_PATH}/`) ?? false) || (url?.startsWith(`${SCIM_BASE_PATH}?`) ?? false);
}

/** A SCIM Error body for a problem document (any error on the way: guard, parser, NUL check, handler). */
export function scimErrorFromProblem(payload: string, status: number): string {
  let detail: string | undefined;
  let scimType: unknown;
  try {
    const p = JSON.parse(payload) as { detail?: unknown; title?: unknown; scimType?: unknown; errors?: Array<{ message?: unknown }> };
    detail = typeof p.detail === 'string' ? p.detail : typeof p.title === 'string' ? p.title : undefined;
    const fieldMessages = Array.isArray(p.errors) ? p.errors.map((e) => e.message).filter((m): m is string => typeof m === 'string') : [];
    if (fieldMessages.length) detail = `${detail ?? 'The request is not valid'}: ${fieldMessages.slice(0, 5).join('; ')}`;
    scimType = p.scimType ?? (status === 400 && fieldMessages.length ? 'invalidValue' : undefined);
  } catch {
    detail = undefined;
  }
  return JSON.stringify(scimErrorBody(status, detail, scimType));
}

/**
 * HTTP for SCIM: JSON bodies sent as `application/scim+json` (same depth limit and parser as
 * application/json), responses under /scim/v2 served as `application/scim+json`, and every error
 * there — whoever raised it — rewritten from problem+json into a SCIM Error (RFC 7644 §3.12).
 */
@Injectable()
export class ScimHttp implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (!fastify?.addContentTypeParser || fastify.hasContentTypeParser(SCIM_CONTENT_TYPE)) return;
    fastify.addContentTypeParser(SCIM_CONTENT_TYPE, { parseAs: 'string' }, depthLimitedJsonParser(fastify));
    // Other body parsers exist (XML for XLIFF files): a SCIM body in any type but JSON is 415, as RFC 7644 §3.1 expects.
    fastify.addHook('preValidation', async (request, reply) => {
      if (!isScim(request.url) || !['POST', 'PUT', 'PATCH'].includes(request.method)) return;
      const type = String(request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (!type || type === 'application/json' || type === SCIM_CONTENT_TYPE) return;
      await reply
        .code(415)
        .header('content-type', `${SCIM_CONTENT_TYPE}; charset=utf-8`)
        .send(JSON.stringify(scimErrorBody(415, `Send the body as ${SCIM_CONTENT_TYPE} or application/json`)));
      return reply;
    });
    fastify.addHook('onSend', async (request: HookRequest, reply: HookReply, payload: unknown) => {
      if (!isScim(request.url)) return payload;
      const type = String(reply.getHeader('content-type') ?? '');
      if (type.startsWith(PROBLEM_CONTENT_TYPE) && typeof payload === 'string') {
        reply.header('content-type', `${SCIM_CONTENT_TYPE}; charset=utf-8`);
        return scimErrorFromProblem(payload, reply.statusCode);
      }
      if (type.startsWith('application/json')) reply.header('content-type', `${SCIM_CONTENT_TYPE}; charset=utf-8`);
      return payload;
    });
  }
}
