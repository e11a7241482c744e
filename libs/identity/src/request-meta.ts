import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** Where a request came from, for the audit log and login throttling. */
export interface RequestMeta {
  /** The id pino logs for the request (X-Request-Id when the client sent a sane one). */
  requestId: string | null;
  ip: string;
}

interface RequestLike {
  id?: string;
  ip?: string;
  raw?: { id?: unknown };
  socket?: { remoteAddress?: string };
}

export function requestMetaOf(request: RequestLike): RequestMeta {
  const rawId = request.raw?.id;
  const requestId = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : (request.id ?? null);
  return { requestId, ip: request.ip ?? request.socket?.remoteAddress ?? 'unknown' };
}

/** `@ReqMeta() meta: RequestMeta` in a controller: request id and client IP. */
export const ReqMeta = createParamDecorator((_data: unknown, ctx: ExecutionContext): RequestMeta =>
  requestMetaOf(ctx.switchToHttp().getRequest<RequestLike>()),
);
