import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CertificateService } from '@lms/credentials';
import { AuditLog, ORG_UNIT_KINDS, OrgUnitService, UserService } from '@lms/identity';
import type { OrgUnitKind } from '@lms/identity';
import { JobsAdmin, JobsUnavailableError, resolveScheduledJob, SCHEDULES } from '@lms/jobs';
import { LrsEndpointService } from '@lms/interop';
import type { AuditQuery } from '@lms/identity';
import { Access, CurrentUser, DomainError, ROLES, ValidationError } from '@lms/platform';
import type { Role } from '@lms/platform';
import type { Principal } from '@lms/platform';
import { auditPage, certificateAdminPage, jobsPage, lrsForwardingPage, unitEditPage, unitsPage } from './pages/console-admin.pages.js';
import type { UnitsView } from './pages/console-admin.pages.js';
import { treeOrder } from './console-hr-pages.controller.js';
import { field, formOf, seeOther, sendPage } from './respond.js';
import { WebContextService } from './web-context.service.js';
import type { WebRequest } from './web-context.service.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PAGE_SIZE = 50;
/** Runs shown per scheduled job on the jobs page. */
const RUNS_PER_JOB = 5;

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
    @Inject(JobsAdmin) private readonly jobs: JobsAdmin,
    @Inject(OrgUnitService) private readonly units: OrgUnitService,
    @Inject(LrsEndpointService) private readonly lrs: LrsEndpointService,
  ) {}

  // ------------------------------------------------------------ users and roles

  /** Replaces a person's role grants: the ones kept, plus one added (role and scope unit). */
  @Post('people/:id/roles')
  async saveRoles(@CurrentUser() principal: Principal, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<void> {
    const form = formOf(body);
    const kept = (Array.isArray(form.keep) ? form.keep : form.keep ? [form.keep] : []).filter((x): x is string => typeof x === 'string');
    const grants: Array<{ role: Role; scopeOrgUnitId: string | null }> = [{ role: 'learner', scopeOrgUnitId: null }];
    for (const k of kept.slice(0, 50)) {
      const [role, scope] = k.split(':', 2);
      if ((ROLES as readonly string[]).includes(role) && role !== 'learner' && (!scope || UUID.test(scope))) grants.push({ role: role as Role, scopeOrgUnitId: scope || null });
    }
    const addRole = field(form, 'addRole', 20);
    const addScope = field(form, 'addScope', 40);
    if (addRole && (['hr', 'author', 'admin'] as string[]).includes(addRole)) {
      grants.push({ role: addRole as Role, scopeOrgUnitId: addRole === 'admin' ? null : UUID.test(addScope) ? addScope : null });
    }
    try {
      await this.users.update(principal, id, { roles: grants });
    } catch (e) {
      if (e instanceof DomainError && e.status < 500 && e.status !== 404) return seeOther(reply, `/console/hr/people/${id}?roles=refused#roles`);
      throw e;
    }
    await seeOther(reply, `/console/hr/people/${id}?roles=saved#roles`);
  }

  // ------------------------------------------------------------ scheduled jobs

  @Get('jobs')
  async jobList(@Req() req: WebRequest, @Res() reply: FastifyReply, @Query() q: Record<string, string | undefined>): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const page = q.page && /^\d{1,5}$/.test(q.page) && Number(q.page) >= 1 ? Number(q.page) : 1;
    const [failed, runs] = await Promise.all([this.jobs.failed({ page, limit: PAGE_SIZE }), this.jobs.lastRuns(RUNS_PER_JOB)]);
    const ran = q.ran ? resolveScheduledJob(q.ran) : undefined;
    await sendPage(
      reply,
      jobsPage(ctx, {
        schedules: SCHEDULES.map((s) => ({
          job: s.job,
          when: s.pattern ?? ctx.t.t('console.jobs.every', { seconds: Math.round((s.every ?? 0) / 1000) }),
          runs: (runs.get(s.job) ?? []).map((r) => ({ startedAt: r.startedAt, durationMs: r.durationMs, outcome: r.outcome, attempt: r.attempt })),
        })),
        perJob: RUNS_PER_JOB,
        failed: failed.items.map((f) => ({ id: f.id, name: f.name, error: f.error, attempts: f.attempts, failedAt: f.failedAt })),
        page,
        total: failed.total,
        limit: PAGE_SIZE,
        ran,
        unavailable: q.unavailable === '1',
      }),
    );
  }

  /** Runs a scheduled job now (the same as POST /api/v1/admin/jobs/:name/run). */
  @Post('jobs/:name/run')
  async runJob(@Res() reply: FastifyReply, @Param('name') name: string): Promise<void> {
    try {
      const { job } = await this.jobs.runScheduled(name.slice(0, 100));
      await seeOther(reply, `/console/admin/jobs?ran=${encodeURIComponent(job)}`);
    } catch (e) {
      if (e instanceof JobsUnavailableError) return seeOther(reply, '/console/admin/jobs?unavailable=1');
      throw e;
    }
  }

  // ------------------------------------------------------------ statement forwarding (external LRSs)

  /** The external LRSs and the dead-letter list (endpoints are added and changed through the API, docs/xapi.md). */
  @Get('lrs')
  async lrsForwarding(@Req() req: WebRequest, @Res() reply: FastifyReply, @Query() q: Record<string, string | undefined>): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const page = q.page && /^\d{1,5}$/.test(q.page) && Number(q.page) >= 1 ? Number(q.page) : 1;
    const [endpoints, dead] = await Promise.all([this.lrs.list(1, 100), this.lrs.deadLetters(undefined, page, PAGE_SIZE)]);
    const requeued = q.requeued && /^\d{1,9}$/.test(q.requeued) ? Number(q.requeued) : undefined;
    await sendPage(
      reply,
      lrsForwardingPage(ctx, {
        endpoints: endpoints.items,
        dead: dead.items.map((d) => ({ ...d, deadAt: new Date(d.deadAt) })),
        page,
        total: dead.total,
        limit: PAGE_SIZE,
        requeued,
      }),
    );
  }

  /** Puts an endpoint's dead letters back in the queue (the same as POST /api/v1/admin/lrs-endpoints/:id/dead-letters/retry). */
  @Post('lrs/:id/retry')
  async lrsRetry(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    const { requeued } = await this.lrs.retryDead(id, principal, String(req.id));
    await seeOther(reply, `/console/admin/lrs?requeued=${requeued}`);
  }

  // ------------------------------------------------------------ org units

  private async unitTree(principal: Principal): Promise<UnitsView['units']> {
    const all = [];
    for (let page = 1; page <= 50; page++) {
      const chunk = await this.units.list(principal, { page, limit: 100 });
      all.push(...chunk.items);
      if (all.length >= chunk.total) break;
    }
    const byId = new Map(all.map((u) => [u.id, u]));
    return treeOrder(all).map((o) => {
      const u = byId.get(o.id)!;
      return { id: u.id, code: u.code, name: u.name, kind: u.kind, depth: u.depth };
    });
  }

  @Get('units')
  async unitList(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Query('saved') saved?: string): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    await sendPage(reply, unitsPage(ctx, { units: await this.unitTree(principal), kinds: ORG_UNIT_KINDS, saved: saved === '1' }));
  }

  @Get('units/:id')
  async unitEdit(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const unit = await this.units.get(principal, id);
    await sendPage(reply, unitEditPage(ctx, { units: await this.unitTree(principal), kinds: ORG_UNIT_KINDS, edit: { id, code: unit.code, name: unit.name, kind: unit.kind, parentId: unit.parentId } }));
  }

  private unitForm(body: unknown): { code: string; name: string; kind: string; parentId: string } {
    const form = formOf(body);
    return { code: field(form, 'code', 50), name: field(form, 'name', 200), kind: field(form, 'kind', 20), parentId: field(form, 'parentId', 40) };
  }

  private async saveUnit(principal: Principal, req: WebRequest, reply: FastifyReply, body: unknown, id?: string): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const values = this.unitForm(body);
    const errors: Array<{ field: string; message: string }> = [];
    if (!values.name) errors.push({ field: 'name', message: ctx.t.t('console.units.err.name') });
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$/.test(values.code)) errors.push({ field: 'code', message: ctx.t.t('console.units.err.code') });
    if (values.parentId && !UUID.test(values.parentId)) errors.push({ field: 'parentId', message: ctx.t.t('console.units.err.parent') });
    const kind = (ORG_UNIT_KINDS as readonly string[]).includes(values.kind) ? (values.kind as OrgUnitKind) : 'unit';
    const show = async (errs: Array<{ field: string; message: string }>): Promise<void> => {
      const units = await this.unitTree(principal);
      if (id) {
        const unit = await this.units.get(principal, id);
        return sendPage(reply, unitEditPage(ctx, { units, kinds: ORG_UNIT_KINDS, edit: { id, code: unit.code, name: unit.name, kind: unit.kind, parentId: unit.parentId }, values, errors: errs }), 400);
      }
      return sendPage(reply, unitsPage(ctx, { units, kinds: ORG_UNIT_KINDS, values, errors: errs }), 400);
    };
    if (errors.length) return show(errors);
    try {
      const input = { code: values.code, name: values.name, kind, parentId: values.parentId || null };
      if (id) await this.units.update(principal, id, input);
      else await this.units.create(principal, input);
    } catch (e) {
      if (e instanceof ValidationError) return show(e.errors.map((x) => ({ field: x.field === 'parentId' ? 'parentId' : 'code', message: ctx.t.problem(x) })));
      if (e instanceof DomainError && e.status === 409) return show([{ field: 'code', message: ctx.t.t('console.units.err.taken') }]);
      throw e;
    }
    await seeOther(reply, '/console/admin/units?saved=1');
  }

  @Post('units')
  async createUnit(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    await this.saveUnit(principal, req, reply, body);
  }

  /** Rename, re-code or move (a new parent moves the whole subtree). */
  @Post('units/:id')
  async updateUnit(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<void> {
    await this.saveUnit(principal, req, reply, body, id);
  }

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
