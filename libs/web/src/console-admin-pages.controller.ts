import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CertificateService } from '@lms/credentials';
import { AuditLog, UserService } from '@lms/identity';
import type { AuditQuery } from '@lms/identity';
import { Access, CurrentUser } from '@lms/platform';
import type { Principal } from '@lms/platform';
import { auditPage, certificateAdminPage } from './pages/console-admin.pages.js';
import { field, formOf, seeOther, sendPage } from './respond.js';
import { WebContextService } from './web-context.service.js';
import type { WebRequest } from './web-context.service.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PAGE_SIZE = 50;

/** The administrator's console pages: certificate revocation and the audit log. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Access('admin')
@Controller({ path: 'console/admin', version: VERSION_NEUTRAL })
export class ConsoleAdminPagesController {
  constructor(
    @Inject(WebContextService) private readonly contexts: WebContextService,
    @Inject(CertificateService) private readonly certificates: CertificateService,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(UserService) private readonly users: UserService,
  ) {}

  @Get('certificates/:id')
  async certificate(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    await sendPage(reply, certificateAdminPage(ctx, await this.certificates.detail(principal, id)));
  }

  /** Revokes with a reason (audited by the credentials service), then back to the holder's page. */
  @Post('certificates/:id/revoke')
  async revoke(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<void> {
    const reason = field(formOf(body), 'reason', 500);
    if (reason.length < 3) {
      const ctx = await this.contexts.build(req, reply);
      const detail = await this.certificates.detail(principal, id);
      return sendPage(reply, certificateAdminPage(ctx, detail, [{ field: 'reason', message: ctx.t.t('console.cert.reasonRequired') }], reason), 400);
    }
    const c = await this.certificates.revoke(principal, id, reason);
    await seeOther(reply, `/console/hr/people/${c.userId}?revoked=1`);
  }

  /** The audit log, newest first, filtered by actor (e-mail or id), action, object (type or id) and time. */
  @Get('audit')
  async auditLog(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Query() q: Record<string, string | undefined>): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const text = (name: string, max = 200): string => (typeof q[name] === 'string' ? (q[name] as string).trim().slice(0, max) : '');
    const filters = { actor: text('actor'), action: text('action', 100), object: text('object'), from: text('from', 10), to: text('to', 10) };
    const page = q.page && /^\d{1,6}$/.test(q.page) && Number(q.page) >= 1 ? Number(q.page) : 1;
    const errors: Array<{ field: string; message: string }> = [];
    const query: AuditQuery = { page, limit: PAGE_SIZE };
    let none = false;
    if (filters.actor) {
      if (UUID.test(filters.actor)) query.actorId = filters.actor;
      else {
        const found = await this.users.list(principal, { q: filters.actor, page: 1, limit: 2 });
        const exact = found.items.find((u) => u.email.toLowerCase() === filters.actor.toLowerCase()) ?? (found.items.length === 1 ? found.items[0] : undefined);
        if (exact) query.actorId = exact.id;
        else none = true;
      }
    }
    if (filters.action) query.action = filters.action;
    if (filters.object) {
      if (UUID.test(filters.object)) query.subjectId = filters.object;
      else if (filters.object.includes(':')) {
        const [type, subject] = filters.object.split(':', 2);
        query.subjectType = type;
        query.subjectId = subject;
      } else query.subjectType = filters.object;
    }
    for (const key of ['from', 'to'] as const) {
      if (!filters[key]) continue;
      const d = DAY.test(filters[key]) ? new Date(`${filters[key]}T00:00:00Z`) : null;
      if (!d || Number.isNaN(d.getTime())) errors.push({ field: key, message: ctx.t.t('console.audit.badDate') });
      else query[key] = key === 'to' ? new Date(d.getTime() + 86_400_000) : d;
    }
    const result = none || errors.length ? { items: [], total: 0 } : await this.audit.list(query);
    const actorIds = [...new Set(result.items.map((e) => e.actorId).filter((x): x is string => !!x))];
    const names = new Map<string, string>();
    await Promise.all(actorIds.map(async (id) => names.set(id, (await this.users.get(principal, id).catch(() => null))?.displayName ?? id)));
    await sendPage(
      reply,
      auditPage(ctx, { filters, items: result.items.map((e) => ({ ...e, actorName: e.actorId ? (names.get(e.actorId) ?? null) : null })), page, total: result.total, limit: PAGE_SIZE, errors: errors.length ? errors : undefined }),
      errors.length ? 400 : 200,
    );
  }
}
