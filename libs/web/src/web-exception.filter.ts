import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError, toProblem } from '@lms/platform';
import { safeReturnTo } from './html.js';
import type { MessageKey } from './messages/en.js';
import { errorPage } from './pages/auth.pages.js';
import { WebContextService } from './web-context.service.js';
import type { WebRequest } from './web-context.service.js';

/**
 * Errors on pages become pages: no session → sign-in (and back here afterwards), an expired form
 * → "reload and try again", 404/403/429 and other client errors → a page that says so in the
 * reader's language, anything else → a page with an error reference (logged, never a stack).
 */
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Web');

  constructor(@Inject(WebContextService) private readonly contexts: WebContextService) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<WebRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void this.render(error, req, reply).catch((e: unknown) => {
      this.logger.error({ err: e }, 'error page failed');
      if (!reply.sent) void reply.status(500).header('content-type', 'text/plain; charset=utf-8').send('Internal error');
    });
  }

  private async render(error: unknown, req: WebRequest, reply: FastifyReply): Promise<void> {
    const status = error instanceof HttpException ? error.getStatus() : ((error as { status?: number }).status ?? 500);
    if (status === 401) {
      const target = req.method === 'GET' ? req.url : safeReturnTo(refererPath(req), '/');
      const returnTo = safeReturnTo(target, '/');
      void reply.header('set-cookie', this.contexts.sessions.clearCookie());
      await reply.redirect(`/sign-in${returnTo === '/' ? '' : `?returnTo=${encodeURIComponent(returnTo)}`}`, 303);
      return;
    }
    const { problem, log } = toProblem(error, req.url?.split('?')[0]);
    if (log) this.logger.error({ errorId: log.errorId, err: log.error, requestId: req.id }, 'unhandled error on a page');
    const ctx = await this.contexts.build(req, reply).catch(() => null);
    if (!ctx) throw error;
    const { t } = ctx;
    const code = (error as { code?: string }).code;
    const page = (title: MessageKey, body: string) => errorPage(ctx, { title: t.t(title), body });
    let body: string;
    if (problem.status === 404) body = page('error.notFound.title', t.t('error.notFound.body'));
    else if (code === 'csrf_token_invalid') body = page('error.forbidden.title', t.t('error.csrf.body'));
    else if (problem.status === 403) body = page('error.forbidden.title', t.t('error.forbidden.body'));
    else if (problem.status === 429) {
      const retry = Number((error as { headers?: Record<string, string> }).headers?.['Retry-After'] ?? 60);
      void reply.header('retry-after', String(retry));
      body = page('error.forbidden.title', t.t('error.tooMany', { seconds: retry }));
    } else if (problem.status < 500) {
      // A domain error with a catalog key (a closed registration, a used link…) says what went wrong, in the reader's language.
      body = page('error.summary', error instanceof DomainError && error.localised ? t.problem(error) : t.t('error.badRequest.body'));
    }
    else body = page('error.server.title', t.t('error.server.body', { ref: String(problem.errorId ?? req.id) }));
    await reply.status(problem.status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  }
}

function refererPath(req: WebRequest): string | undefined {
  const referer = req.headers.referer;
  if (typeof referer !== 'string') return undefined;
  try {
    const u = new URL(referer);
    return u.host === req.headers.host ? u.pathname + u.search : undefined;
  } catch {
    return undefined;
  }
}
