import { createHmac, randomBytes } from 'node:crypto';
import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CatalogService } from '@lms/catalog';
import { EvidenceService, GapService, JobRoleService } from '@lms/competency';
import { CertificateService } from '@lms/credentials';
import { OrgUnitService, requestMetaOf, UserImportService, UserService, USER_SORTS } from '@lms/identity';
import type { OrgUnitView, UserSort } from '@lms/identity';
import { AssignmentService, EnrolmentReader } from '@lms/learning';
import type { AssignInput } from '@lms/learning';
import { RegistrationService } from '@lms/events';
import { EventNotifier } from '@lms/notifications';
import { Access, CurrentUser, DomainError, ForbiddenError, isAdmin, ValidationError } from '@lms/platform';
import type { Principal } from '@lms/platform';
import { CompetencyCoverageService, CompletionReportService, OverdueReportService, RESULT_STATUSES, ResultsReportService, TeamReportService } from '@lms/reporting';
import type { ResultStatus } from '@lms/reporting';
import type { CompletionRow } from '@lms/reporting';
import type { PageContext } from './layout.js';
import { areasOf, consoleHome, query } from './pages/console.pages.js';
import { teamPage } from './pages/console-team.pages.js';
import { loadCharts } from './pages/charts.js';
import {
  assignmentPage,
  assignPage,
  gapsPage,
  importPage,
  overduePage,
  overviewPage,
  peoplePage,
  personPage,
  reportsPage,
  resultsPage,
} from './pages/console-hr.pages.js';
import type { AssignValues, GapCell, OverviewRow, PersonView, UnitOption } from './pages/console-hr.pages.js';
import { field, formOf, seeOther, sendPage } from './respond.js';
import type { Form } from './respond.js';
import { WebContextService } from './web-context.service.js';
import type { WebRequest } from './web-context.service.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SLUG = /^[a-z0-9][a-z0-9-]{0,119}$/;
const PAGE_SIZE = 25;

function uuidOrUndefined(v: unknown): string | undefined {
  return typeof v === 'string' && UUID.test(v) ? v : undefined;
}
function slugOrUndefined(v: unknown): string | undefined {
  return typeof v === 'string' && SLUG.test(v) ? v : undefined;
}
function pageNumber(v: unknown): number {
  const n = typeof v === 'string' ? Number.parseInt(v, 10) : 1;
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}
function all(form: Form, name: string): string[] {
  const v = form[name];
  return (Array.isArray(v) ? v : v ? [v] : []).filter((x): x is string => typeof x === 'string');
}

/** Units of the caller's scope in tree order (parents before their children), for the unit pickers. */
export function treeOrder(units: OrgUnitView[]): UnitOption[] {
  const ids = new Set(units.map((u) => u.id));
  const children = new Map<string | null, OrgUnitView[]>();
  for (const u of units) {
    const parent = u.parentId && ids.has(u.parentId) ? u.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), u]);
  }
  const out: UnitOption[] = [];
  const visit = (parent: string | null): void => {
    for (const u of (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name))) {
      out.push({ id: u.id, name: u.name, depth: u.depth });
      visit(u.id);
    }
  };
  visit(null);
  return out;
}

function sumRows(key: string, label: string, rows: CompletionRow[], href?: string): OverviewRow {
  const enrolled = rows.reduce((n, r) => n + r.enrolled, 0);
  const completed = rows.reduce((n, r) => n + r.completed, 0);
  const overdue = rows.reduce((n, r) => n + r.overdue, 0);
  return { key, label, href, enrolled, completed, overdue, rate: enrolled ? completed / enrolled : 0 };
}

/**
 * The HR console (HR within its scope, admins everywhere): overview, assign with a preview,
 * overdue with *remind now*, competency gaps, people, reports. Every page calls the domains'
 * public services, which check the caller's scope; a learner gets the 403 page from the guard.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller({ path: 'console', version: VERSION_NEUTRAL })
export class ConsoleHrPagesController {
  private readonly fingerprintKey: Buffer;

  constructor(
    @Inject(WebContextService) private readonly contexts: WebContextService,
    @Inject(CompletionReportService) private readonly completion: CompletionReportService,
    @Inject(OverdueReportService) private readonly overdue: OverdueReportService,
    @Inject(ResultsReportService) private readonly results: ResultsReportService,
    @Inject(CompetencyCoverageService) private readonly coverage: CompetencyCoverageService,
    @Inject(OrgUnitService) private readonly units: OrgUnitService,
    @Inject(UserService) private readonly users: UserService,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(JobRoleService) private readonly jobRoles: JobRoleService,
    @Inject(AssignmentService) private readonly assignments: AssignmentService,
    @Inject(EventNotifier) private readonly notifier: EventNotifier,
    @Inject(GapService) private readonly gaps: GapService,
    @Inject(EnrolmentReader) private readonly enrolments: EnrolmentReader,
    @Inject(EvidenceService) private readonly evidence: EvidenceService,
    @Inject(CertificateService) private readonly certificates: CertificateService,
    @Inject(TeamReportService) private readonly teams: TeamReportService,
    @Inject(UserImportService) private readonly importer: UserImportService,
    @Inject(RegistrationService) private readonly registrations: RegistrationService,
  ) {
    // Per process: a preview made before a restart (or on another replica) is simply shown again.
    this.fingerprintKey = randomBytes(32);
  }

  /** The console's start page: one card per area the person may use. A learner gets 403. */
  @Get()
  @Access('authenticated')
  async home(@Req() req: WebRequest, @Res() reply: FastifyReply): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    if (!areasOf(ctx).length) throw new ForbiddenError('The console is for HR, administrators and line managers');
    await sendPage(reply, consoleHome(ctx));
  }

  // ------------------------------------------------------------ line manager

  /** My team: anyone with direct reports (manager_id); the service refuses everyone else. */
  @Get('team')
  @Access('authenticated')
  async team(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Query() q: Record<string, string | undefined>): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const report = await this.teams.team(principal, 60);
    const sent = q.sent && /^\d{1,4}$/.test(q.sent) ? Number(q.sent) : undefined;
    // Registration requests for workshops waiting for this manager's decision (#17).
    const approvals = await this.registrations.approvals(principal, { page: 1, limit: 50 });
    const decided = q.decided === 'approved' || q.decided === 'declined' ? q.decided : undefined;
    await sendPage(reply, teamPage(ctx, { ...report, nudged: sent, approvals: approvals.items, decided }));
  }

  /** Nudge one person: a reminder for each of their open enrolments, at most once a day each. */
  @Post('team/nudge')
  @Access('authenticated')
  async nudge(@CurrentUser() principal: Principal, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    if (!(await this.teams.isManager(principal.userId))) throw new ForbiddenError('Only a person with direct reports has a team');
    const userId = uuidOrUndefined(field(formOf(body), 'userId', 40));
    if (!userId) throw new ValidationError([{ field: 'userId', message: 'userId must be a UUID', rule: 'isUUID' }]);
    if (!(await this.teams.reportsTo(userId, principal.userId))) throw new ForbiddenError('This person does not report to you');
    const open = await this.enrolments.listForUser(userId, { status: 'active', limit: 100 });
    const { sent } = await this.notifier.remindNow(principal, open.items.map((e) => e.id), 'manager');
    await seeOther(reply, `/console/team${query({ sent })}`);
  }

  private async scopeUnits(principal: Principal): Promise<{ list: OrgUnitView[]; options: UnitOption[] }> {
    const page = await this.units.list(principal, { page: 1, limit: 100 });
    return { list: page.items, options: treeOrder(page.items) };
  }

  private async courseOptions(principal: Principal, ctx: PageContext): Promise<Array<{ slug: string; title: string }>> {
    const page = await this.catalog.list(principal, { page: 1, limit: 100 }, { lang: ctx.locale });
    return page.items.map((c) => ({ slug: c.slug, title: c.title })).sort((a, b) => a.title.localeCompare(b.title));
  }

  // ------------------------------------------------------------ overview

  @Get('hr')
  @Access('hr', 'admin')
  async overview(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Query('unit') unitParam?: string): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const { list } = await this.scopeUnits(principal);
    const unitId = uuidOrUndefined(unitParam) ?? list[0]?.id;
    if (!unitId) throw new DomainError('no_report_scope', 'You have no unit to report on', 403);
    const unit = await this.units.get(principal, unitId);
    const first = await this.completion.page(principal, { orgUnitId: unitId, rollup: true, page: 1, limit: 1 });
    const rows: CompletionRow[] = [];
    for await (const batch of await this.completion.export(principal, { orgUnitId: unitId, rollup: true })) rows.push(...batch);
    const own = rows.filter((r) => r.orgUnitId === unitId);
    const childIds = [...new Set(rows.filter((r) => r.parentId === unitId).map((r) => r.orgUnitId))];
    const byUnit = childIds.map((id) => {
      const mine = rows.filter((r) => r.orgUnitId === id);
      return sumRows(id, mine[0].orgUnitName, mine, `/console/hr${query({ unit: id })}`);
    });
    const byCourse = own.map((r) => sumRows(r.courseSlug, r.courseTitle ?? r.courseSlug, [r]));
    const scopeIds = new Set(list.map((u) => u.id));
    const trail = [...unit.ancestors.filter((u) => scopeIds.has(u.id)).map((u) => ({ id: u.id, name: u.name })), { id: unit.id, name: unit.name }];
    await loadCharts();
    await sendPage(
      reply,
      overviewPage(ctx, { unit: { id: unit.id, name: unit.name }, trail, total: sumRows(unit.id, unit.name, own), byUnit, byCourse, asOf: first.asOf }),
    );
  }

  // ------------------------------------------------------------ assign

  private async renderAssign(
    principal: Principal,
    req: WebRequest,
    reply: FastifyReply,
    values: AssignValues,
    extra: { found?: Array<{ id: string; displayName: string; email: string }>; preview?: { matched: number; alreadyEnrolled: number; wouldCreate: number; fingerprint: string }; errors?: Array<{ field: string; message: string }> },
    status = 200,
  ): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const [courses, { options }, roles] = await Promise.all([this.courseOptions(principal, ctx), this.scopeUnits(principal), this.jobRoles.list({ page: 1, limit: 100 })]);
    await sendPage(reply, assignPage(ctx, { courses, units: options, jobRoles: roles.items.map((r) => ({ code: r.code, title: r.title })), values, ...extra }), status);
  }

  @Get('hr/assign')
  @Access('hr', 'admin')
  async assignForm(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Query('course') course?: string, @Query('unit') unit?: string): Promise<void> {
    const values: AssignValues = {
      courseSlug: slugOrUndefined(course) ?? '',
      targetKind: 'unit',
      orgUnitId: uuidOrUndefined(unit) ?? '',
      includeSubUnits: true,
      jobRoleCode: '',
      userIds: [],
      q: '',
      dueKind: 'relative',
      dueInDays: '30',
      dueAt: '',
      renewEveryMonths: '',
    };
    await this.renderAssign(principal, req, reply, values, {});
  }

  private valuesOf(form: Form): AssignValues {
    const kind = field(form, 'targetKind', 10);
    const due = field(form, 'dueKind', 10);
    return {
      courseSlug: field(form, 'courseSlug', 120),
      targetKind: kind === 'people' || kind === 'role' ? kind : 'unit',
      orgUnitId: field(form, 'orgUnitId', 40),
      includeSubUnits: field(form, 'includeSubUnits', 5) === 'on',
      jobRoleCode: field(form, 'jobRoleCode', 100),
      userIds: all(form, 'userIds').filter((id) => UUID.test(id)).slice(0, 1000),
      q: field(form, 'q', 200),
      dueKind: due === 'fixed' || due === 'none' ? due : 'relative',
      dueInDays: field(form, 'dueInDays', 10),
      dueAt: field(form, 'dueAt', 10),
      renewEveryMonths: field(form, 'renewEveryMonths', 10),
    };
  }

  /** The form's values as the assignments service takes them, or the errors to show next to the fields. */
  private inputOf(ctx: PageContext, v: AssignValues): { input?: AssignInput; errors: Array<{ field: string; message: string }> } {
    const { t } = ctx;
    const errors: Array<{ field: string; message: string }> = [];
    if (!SLUG.test(v.courseSlug)) errors.push({ field: 'courseSlug', message: t.t('console.assign.err.course') });
    let target: AssignInput['target'] = {};
    if (v.targetKind === 'unit') {
      if (!UUID.test(v.orgUnitId)) errors.push({ field: 'target', message: t.t('console.assign.err.unit') });
      else target = { orgUnitId: v.orgUnitId, includeSubUnits: v.includeSubUnits };
    } else if (v.targetKind === 'role') {
      if (!v.jobRoleCode) errors.push({ field: 'target', message: t.t('console.assign.err.role') });
      else if (!UUID.test(v.orgUnitId)) errors.push({ field: 'target', message: t.t('console.assign.err.unit') });
      else target = { orgUnitId: v.orgUnitId, includeSubUnits: v.includeSubUnits, jobRoleCode: v.jobRoleCode };
    } else if (!v.userIds.length) errors.push({ field: 'target', message: t.t('console.assign.err.people') });
    else target = { userIds: v.userIds };
    let dueInDays: number | undefined;
    let dueAt: string | undefined;
    if (v.dueKind === 'relative') {
      const n = Number(v.dueInDays);
      if (!/^\d{1,4}$/.test(v.dueInDays) || n < 1 || n > 3650) errors.push({ field: 'due', message: t.t('console.assign.err.days') });
      else dueInDays = n;
    } else if (v.dueKind === 'fixed') {
      const d = /^\d{4}-\d{2}-\d{2}$/.test(v.dueAt) ? new Date(`${v.dueAt}T23:59:00Z`) : null;
      if (!d || Number.isNaN(d.getTime()) || d.getTime() <= Date.now()) errors.push({ field: 'due', message: t.t('console.assign.err.date') });
      else dueAt = d.toISOString();
    }
    let renewEveryMonths: number | undefined;
    if (v.renewEveryMonths) {
      const n = Number(v.renewEveryMonths);
      if (!/^\d{1,3}$/.test(v.renewEveryMonths) || n < 1 || n > 120) errors.push({ field: 'renewEveryMonths', message: t.t('console.assign.err.renew') });
      else renewEveryMonths = n;
    }
    if (errors.length) return { errors };
    return { errors, input: { courseSlug: v.courseSlug, target, dueInDays, dueAt, renewEveryMonths } };
  }

  private fingerprint(principal: Principal, input: AssignInput): string {
    return createHmac('sha256', this.fingerprintKey).update(JSON.stringify([principal.userId, input])).digest('base64url');
  }

  /** One form, three buttons: find people, preview (dry run), confirm (only for what was previewed). */
  @Post('hr/assign')
  @Access('hr', 'admin')
  async assign(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const form = formOf(body);
    const action = field(form, 'action', 10);
    const values = this.valuesOf(form);
    if (action === 'search') {
      const found = values.q ? await this.users.list(principal, { q: values.q, status: 'active', page: 1, limit: 20 }) : { items: [] };
      const keep = values.userIds;
      return this.renderAssign(principal, req, reply, { ...values, targetKind: 'people', userIds: keep }, { found: found.items.map((u) => ({ id: u.id, displayName: u.displayName, email: u.email })) });
    }
    const ctx = await this.contexts.build(req, reply);
    const { input, errors } = this.inputOf(ctx, values);
    if (!input) return this.renderAssign(principal, req, reply, values, { errors }, 400);
    const fingerprint = this.fingerprint(principal, input);
    try {
      if (action === 'confirm' && field(form, 'fingerprint', 100) === fingerprint) {
        const result = await this.assignments.assign(principal, input);
        return seeOther(reply, `/console/hr/assignments/${result.id}?created=${result.created}`);
      }
      const preview = await this.assignments.preview(principal, input);
      return this.renderAssign(principal, req, reply, values, { preview: { ...preview, fingerprint } });
    } catch (e) {
      if (e instanceof ValidationError) {
        const message = e.errors.map((x) => ctx.t.problem(x)).join('; ') || ctx.t.problem(e);
        return this.renderAssign(principal, req, reply, values, { errors: [{ field: 'target', message }] }, 400);
      }
      throw e;
    }
  }

  @Get('hr/assignments/:id')
  @Access('hr', 'admin')
  async assignment(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('created') created?: string,
  ): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const a = await this.assignments.get(principal, id);
    const trend = await this.assignments.trend(principal, id);
    const course = await this.catalog.detail(principal, a.courseSlug, { lang: ctx.locale }).catch(() => null);
    const dueText = a.dueAt ? ctx.t.t('enrolment.due', { date: ctx.t.date(a.dueAt) }) : a.dueInDays ? ctx.t.t('console.assignment.dueIn', { days: a.dueInDays }) : ctx.t.t('console.assignment.noDue');
    await loadCharts();
    await sendPage(
      reply,
      assignmentPage(ctx, {
        id: a.id,
        courseSlug: a.courseSlug,
        courseTitle: course?.title ?? a.courseSlug,
        targetDescription: a.targetDescription,
        dueText,
        createdAt: a.createdAt,
        counts: a.counts,
        trend,
        created: created !== undefined && /^\d{1,7}$/.test(created) ? Number(created) : undefined,
      }),
    );
  }

  // ------------------------------------------------------------ overdue

  @Get('hr/overdue')
  @Access('hr', 'admin')
  async overdueList(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Query() q: Record<string, string | undefined>,
  ): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const unit = uuidOrUndefined(q.unit);
    const course = slugOrUndefined(q.course);
    const daysN = q.days && /^\d{1,4}$/.test(q.days) && Number(q.days) >= 1 ? Number(q.days) : undefined;
    const page = pageNumber(q.page);
    const [{ options }, courses, result] = await Promise.all([
      this.scopeUnits(principal),
      this.courseOptions(principal, ctx),
      this.overdue.page(principal, { orgUnitId: unit, courseSlug: course, minDaysOverdue: daysN, page, limit: PAGE_SIZE }),
    ]);
    const sent = q.sent && /^\d{1,4}$/.test(q.sent) ? Number(q.sent) : undefined;
    const skipped = q.skipped && /^\d{1,4}$/.test(q.skipped) ? Number(q.skipped) : 0;
    await sendPage(
      reply,
      overduePage(ctx, {
        units: options,
        courses,
        filters: { unit, course, days: daysN ? String(daysN) : undefined },
        items: result.items,
        page,
        total: result.total,
        limit: PAGE_SIZE,
        reminded: sent !== undefined ? { sent, skipped } : undefined,
        csvHref: `/api/v1/reports/overdue${query({ format: 'csv', orgUnitId: unit, courseSlug: course, minDaysOverdue: daysN })}`,
      }),
    );
  }

  /** *Remind now* for the selected overdue enrolments; at most one reminder per enrolment and day. */
  @Post('hr/overdue/remind')
  @Access('hr', 'admin')
  async remind(@CurrentUser() principal: Principal, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const form = formOf(body);
    const ids = all(form, 'enrolmentIds').filter((id) => UUID.test(id));
    const { sent, skipped } = await this.notifier.remindNow(principal, ids);
    const back = field(form, 'returnTo', 2000);
    const base = back.startsWith('/console/hr/overdue') ? back : '/console/hr/overdue';
    const url = new URL(base, 'http://x.invalid');
    url.searchParams.set('sent', String(sent));
    url.searchParams.set('skipped', String(skipped));
    await seeOther(reply, url.pathname + url.search);
  }

  // ------------------------------------------------------------ competency gaps

  @Get('hr/gaps')
  @Access('hr', 'admin')
  async gapsMap(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Query() q: Record<string, string | undefined>): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const { list, options } = await this.scopeUnits(principal);
    const unitId = uuidOrUndefined(q.unit) ?? list[0]?.id;
    if (!unitId) throw new DomainError('no_report_scope', 'You have no unit to report on', 403);
    const unit = await this.units.get(principal, unitId);
    const cov = await this.coverage.page(principal, { orgUnitId: unitId, rollup: true, page: 1, limit: 100 });
    const wanted = cov.items.filter((r) => r.orgUnitId === unitId || r.depth === unit.depth + 1);
    const rows = new Map<string, { id: string; name: string; depth: number; cells: Map<string, GapCell> }>();
    const competencies = new Map<string, string | null>();
    for (const r of wanted) {
      competencies.set(r.competencyCode, r.competencyTitle);
      const row = rows.get(r.orgUnitId) ?? { id: r.orgUnitId, name: r.orgUnitName, depth: r.depth, cells: new Map<string, GapCell>() };
      row.cells.set(r.competencyCode, { peopleRequired: r.peopleRequired, peopleMeeting: r.peopleMeeting, coverage: r.coverage });
      rows.set(r.orgUnitId, row);
    }
    const assigned =
      q.people && /^\d{1,7}$/.test(q.people)
        ? { people: Number(q.people), created: Number(/^\d{1,7}$/.test(q.created ?? '') ? q.created : 0), noCourse: Number(/^\d{1,7}$/.test(q.noCourse ?? '') ? q.noCourse : 0) }
        : undefined;
    await sendPage(
      reply,
      gapsPage(ctx, {
        unit: { id: unit.id, name: unit.name },
        units: options,
        rows: [...rows.values()].sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name)),
        competencies: [...competencies.entries()].map(([code, title]) => ({ code, title })).sort((a, b) => a.code.localeCompare(b.code)),
        assigned,
      }),
    );
  }

  /** One action: assign, for every person of the unit (subtree) short of a requirement, the courses that close it. */
  @Post('hr/gaps/assign')
  @Access('hr', 'admin')
  async closeGaps(@CurrentUser() principal: Principal, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const form = formOf(body);
    const unit = uuidOrUndefined(field(form, 'unit', 40));
    if (!unit) throw new ValidationError([{ field: 'unit', message: 'unit must be a UUID', rule: 'isUUID' }]);
    const back = uuidOrUndefined(field(form, 'returnUnit', 40)) ?? unit;
    const r = await this.gaps.assignForUnit(principal, unit, { dueInDays: 30 });
    await seeOther(reply, `/console/hr/gaps${query({ unit: back, people: r.people, created: r.created, noCourse: r.noCourse })}`);
  }

  // ------------------------------------------------------------ people

  @Get('hr/people')
  @Access('hr', 'admin')
  async people(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Query() q: Record<string, string | undefined>): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const unit = uuidOrUndefined(q.unit);
    const text = (q.q ?? '').trim().slice(0, 200);
    const page = pageNumber(q.page);
    // Server-side order from the column headers; anything else is the default (by name).
    const sort: UserSort = (USER_SORTS as readonly string[]).includes(q.sort ?? '') ? (q.sort as UserSort) : 'name';
    const [{ list, options }, result] = await Promise.all([
      this.scopeUnits(principal),
      this.users.list(principal, { q: text || undefined, orgUnitId: unit, includeSubUnits: true, sort, page, limit: PAGE_SIZE }),
    ]);
    const names = new Map(list.map((u) => [u.id, u.name]));
    await sendPage(
      reply,
      peoplePage(ctx, {
        q: text,
        unit,
        sort,
        units: options,
        items: result.items.map((u) => ({ id: u.id, displayName: u.displayName, email: u.email, jobRoleCode: u.jobRoleCode, status: u.status, unitName: names.get(u.orgUnitId) ?? '' })),
        page,
        total: result.total,
        limit: PAGE_SIZE,
      }),
    );
  }

  /** CSV import: check first (a dry run that lists every rejected line), then apply. */
  @Get('hr/people/import')
  @Access('hr', 'admin')
  async importForm(@Req() req: WebRequest, @Res() reply: FastifyReply): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    await sendPage(reply, importPage(ctx, { csv: 'email,displayName,orgUnitCode,jobRoleCode\n' }));
  }

  @Post('hr/people/import')
  @Access('hr', 'admin')
  async import(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const form = formOf(body);
    const csv = typeof form.csv === 'string' ? form.csv.slice(0, 1_000_000) : '';
    const apply = field(form, 'action', 10) === 'apply';
    if (!csv.trim()) return sendPage(reply, importPage(ctx, { csv, errors: [{ field: 'csv', message: ctx.t.t('console.import.empty') }] }), 400);
    try {
      const r = await this.importer.import(principal, csv, requestMetaOf(req), { dryRun: !apply });
      await sendPage(reply, importPage(ctx, { csv: apply ? '' : csv, result: { ...r, dryRun: r.dryRun === true } }));
    } catch (e) {
      if (e instanceof ValidationError) {
        return sendPage(reply, importPage(ctx, { csv, errors: [{ field: 'csv', message: e.errors.map((x) => ctx.t.problem(x)).join('; ') || ctx.t.problem(e) }] }), 400);
      }
      throw e;
    }
  }

  @Get('hr/people/:id')
  @Access('hr', 'admin')
  async person(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('revoked') revoked?: string,
    @Query('roles') roles?: string,
  ): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const person = await this.users.get(principal, id);
    let roleView: PersonView['roles'];
    if (isAdmin(principal)) {
      const { options } = await this.scopeUnits(principal);
      const names = new Map(options.map((u) => [u.id, u.name]));
      roleView = {
        grants: person.roles.map((g) => ({ role: g.role, scopeOrgUnitId: g.scopeOrgUnitId, unitName: g.scopeOrgUnitId ? (names.get(g.scopeOrgUnitId) ?? g.scopeOrgUnitId) : null })),
        units: options,
        saved: roles === 'saved',
        error: roles === 'refused' ? ctx.t.t('console.roles.refused') : undefined,
      };
    }
    const [unit, enrolments, profile, certificates] = await Promise.all([
      this.units.get(principal, person.orgUnitId).catch(() => null),
      this.enrolments.listForUser(id, { limit: 100 }),
      this.evidence.profile(principal, id),
      this.certificates.listForUser(principal, id, { page: 1, limit: 100 }),
    ]);
    await sendPage(
      reply,
      personPage(ctx, {
        person: { id, displayName: person.displayName, email: person.email, jobRoleCode: person.jobRoleCode, unitName: unit?.name ?? '', status: person.status },
        enrolments: enrolments.items.map((e) => ({ courseTitle: e.courseTitle, status: e.status, progress: e.progress, dueAt: e.dueAt, overdue: e.overdue, completedAt: e.completedAt })),
        competencies: profile.map((p) => ({ code: p.code, title: p.title, level: p.level, levelExpiresAt: p.levelExpiresAt })),
        certificates: certificates.items,
        revoked: revoked === '1',
        roles: roleView,
      }),
    );
  }

  // ------------------------------------------------------------ reports

  @Get('hr/reports')
  @Access('hr', 'admin')
  async reports(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Query('unit') unit?: string): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const { options } = await this.scopeUnits(principal);
    await sendPage(reply, reportsPage(ctx, { units: options, unit: uuidOrUndefined(unit) }));
  }

  /**
   * Results per person (issue #18): the same service and scope as GET /api/v1/reports/results; the
   * CSV link is that API route with the same filters (the session cookie signs it in, as on /console/hr/reports).
   */
  @Get('hr/reports/results')
  @Access('hr', 'admin')
  async resultsReport(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Query() q: Record<string, string | undefined>,
  ): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const unit = uuidOrUndefined(q.unit);
    const course = slugOrUndefined(q.course);
    const status = (RESULT_STATUSES as readonly string[]).includes(q.status ?? '') ? (q.status as ResultStatus) : undefined;
    const page = pageNumber(q.page);
    const [{ options }, courses, result] = await Promise.all([
      this.scopeUnits(principal),
      this.courseOptions(principal, ctx),
      this.results.page(principal, { orgUnitId: unit, courseSlug: course, status, page, limit: PAGE_SIZE }),
    ]);
    await sendPage(
      reply,
      resultsPage(ctx, {
        units: options,
        courses,
        statuses: RESULT_STATUSES,
        filters: { unit, course, status },
        items: result.items,
        page,
        total: result.total,
        limit: PAGE_SIZE,
        csvHref: `/api/v1/reports/results${query({ format: 'csv', orgUnitId: unit, courseSlug: course, status })}`,
      }),
    );
  }
}
