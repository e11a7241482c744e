import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  ATTENDANCE_STATUSES,
  AttendanceService,
  CommitmentService,
  EvaluationService,
  EventAccess,
  EventCancelledError,
  EventService,
  NotInAudienceError,
  RegistrationClosedError,
  RegistrationService,
} from '@lms/events';
import type { AttendanceStatus, RegistrationView } from '@lms/events';
import { UserService } from '@lms/identity';
import { Access, CurrentUser, ForbiddenError, hasRole, isAdmin, NotFoundError } from '@lms/platform';
import { TeamReportService } from '@lms/reporting';
import type { Principal } from '@lms/platform';
import type { PageContext } from './layout.js';
import type { MessageKey } from './messages/en.js';
import { attendancePage, consoleEventPage, consoleEventsPage } from './pages/events.pages.js';
import type { RegisterPeopleView } from './pages/events.pages.js';
import { field, formOf, seeOther, sendPage } from './respond.js';
import type { Form } from './respond.js';
import { WebContextService } from './web-context.service.js';
import type { WebRequest } from './web-context.service.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAGE_SIZE = 25;
const REGISTRATIONS_PAGE = 100;

function pageNumber(v: unknown): number {
  const n = typeof v === 'string' ? Number.parseInt(v, 10) : 1;
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
}

/**
 * The console's workshop pages, for organisers (admin; HR or authors whose scope covers the owning
 * unit) and trainers, by the same checks as the API (the events services decide): the events I run,
 * one event with registrations, attendance share, evaluation results and commitments kept (organisers
 * only, suppressed under five), and the attendance list of a session — radio buttons per person that
 * work without JavaScript on a phone. Also the line manager's decision on a registration request.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller({ path: 'console', version: VERSION_NEUTRAL })
export class ConsoleEventsPagesController {
  constructor(
    @Inject(WebContextService) private readonly contexts: WebContextService,
    @Inject(EventService) private readonly events: EventService,
    @Inject(RegistrationService) private readonly registrations: RegistrationService,
    @Inject(AttendanceService) private readonly attendance: AttendanceService,
    @Inject(EvaluationService) private readonly evaluations: EvaluationService,
    @Inject(CommitmentService) private readonly commitments: CommitmentService,
    @Inject(EventAccess) private readonly access: EventAccess,
    @Inject(TeamReportService) private readonly teams: TeamReportService,
    @Inject(UserService) private readonly users: UserService,
  ) {}

  /** Like every console page, a person with no business here gets 403 first (whatever the id): only organisers and trainers run events. */
  private async mustRunSome(principal: Principal): Promise<void> {
    const paths = await this.access.organiserPaths(principal);
    if (paths === null || paths.length) return;
    if ((await this.events.listRun(principal, { page: 1, limit: 1 })).total === 0) throw new ForbiddenError('These pages are for the organisers and trainers of events');
  }

  /** Events I organise or train; a person who does neither gets 403. */
  @Get('events')
  @Access('authenticated')
  async list(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Query('page') page?: string): Promise<void> {
    await this.mustRunSome(principal);
    const events = await this.events.listRun(principal, { page: pageNumber(page), limit: PAGE_SIZE });
    const paths = await this.access.organiserPaths(principal);
    const ctx = await this.contexts.build(req, reply);
    await sendPage(reply, consoleEventsPage(ctx, { events, canCreate: paths === null || paths.length > 0 }));
  }

  @Get('events/:id')
  @Access('authenticated')
  async event(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('page') pageParam?: string,
  ): Promise<void> {
    await this.mustRunSome(principal);
    await this.renderEvent(principal, req, reply, id, pageNumber(pageParam));
  }

  private async renderEvent(principal: Principal, req: WebRequest, reply: FastifyReply, id: string, page: number, register?: RegisterPeopleView): Promise<void> {
    const row = await this.access.run(principal, id);
    const organiser = await this.access.canOrganiseUnit(principal, row.ownerOrgUnitId);
    const [event, registrations, attendance] = await Promise.all([
      this.events.get(principal, id),
      this.registrations.listForEvent(principal, id, { page, limit: REGISTRATIONS_PAGE }),
      this.attendance.summary(principal, id),
    ]);
    const evaluation = organiser
      ? await this.evaluations.results(principal, id).catch((e: unknown) => {
          if (e instanceof NotFoundError) return null;
          throw e;
        })
      : null;
    const kept = organiser ? await this.commitments.summary(principal, id) : null;
    const ctx = await this.contexts.build(req, reply);
    const mayRegisterOthers = organiser || hasRole(principal, 'hr');
    await sendPage(reply, consoleEventPage(ctx, { event, registrations, attendance, evaluation, kept, organiser, page, mayRegisterOthers, register }));
  }

  /** What became of one person's registration, in the reader's words. */
  private outcome(ctx: PageContext, r: RegistrationView, created: boolean): { outcome: string; ok: boolean } {
    const status = ctx.t.t(`events.status.${r.status}` as MessageKey);
    const text = r.status === 'waitlisted' && r.waitlistPosition ? `${status} (${ctx.t.t('events.position', { n: r.waitlistPosition })})` : status;
    return { outcome: created ? text : ctx.t.t('console.register.already', { status: text }), ok: r.status === 'booked' };
  }

  /**
   * Organisers and HR register people from the event page: e-mail addresses typed in and people
   * picked from a search, both among the people the caller may see (HR: its scope; admin: everyone).
   * Each goes through RegistrationService.register (capacity, waitlist and the scope rule apply);
   * the page shows the outcome per person.
   */
  @Post('events/:id/registrations')
  @Access('authenticated')
  async registerPeople(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<void> {
    await this.mustRunSome(principal);
    const row = await this.access.run(principal, id);
    if (!(await this.access.canOrganiseUnit(principal, row.ownerOrgUnitId)) && !hasRole(principal, 'hr')) {
      throw new ForbiddenError('Only organisers and HR register other people');
    }
    const form: Form = formOf(body);
    const emails = field(form, 'emails', 5000);
    const q = field(form, 'q', 200);
    const ctx = await this.contexts.build(req, reply);
    if (field(form, 'action', 10) === 'search') {
      const found = q ? await this.users.list(principal, { q, status: 'active', page: 1, limit: 20 }) : { items: [] };
      return this.renderEvent(principal, req, reply, id, 1, { emails, q, found: found.items.map((u) => ({ id: u.id, displayName: u.displayName, email: u.email })) });
    }
    const targets: Array<{ who: string; userId?: string }> = [];
    const ids = new Set<string>();
    for (const email of [...new Set(emails.split(/[\s,;]+/).map((x) => x.trim().toLowerCase()).filter(Boolean))].slice(0, 100)) {
      // Only people the caller may see are found: the rest read "not found" whether or not they exist.
      const hit = (await this.users.list(principal, { q: email, status: 'active', page: 1, limit: 5 })).items.find((u) => u.email.toLowerCase() === email);
      if (hit && !ids.has(hit.id)) ids.add(hit.id);
      targets.push({ who: hit ? `${hit.displayName} <${hit.email}>` : email, userId: hit?.id });
    }
    const picked = form.userIds;
    for (const userId of (Array.isArray(picked) ? picked : picked ? [picked] : []).filter((x): x is string => typeof x === 'string' && UUID.test(x)).slice(0, 100)) {
      if (ids.has(userId)) continue;
      ids.add(userId);
      targets.push({ who: userId, userId });
    }
    const results: NonNullable<RegisterPeopleView['results']> = [];
    for (const target of targets) {
      if (!target.userId) {
        results.push({ who: target.who, outcome: ctx.t.t('console.register.notFound'), ok: false });
        continue;
      }
      try {
        const { registration, created } = await this.registrations.register(principal, id, target.userId);
        results.push({ who: target.who === target.userId ? registration.displayName : target.who, ...this.outcome(ctx, registration, created) });
      } catch (e) {
        if (e instanceof NotFoundError || e instanceof ForbiddenError) results.push({ who: target.who, outcome: ctx.t.t('console.register.notFound'), ok: false });
        else if (e instanceof EventCancelledError || e instanceof RegistrationClosedError || e instanceof NotInAudienceError) results.push({ who: target.who, outcome: ctx.t.t('console.register.refused'), ok: false });
        else throw e;
      }
    }
    if (!results.length) results.push({ who: '–', outcome: ctx.t.t('console.register.nobody'), ok: false });
    await this.renderEvent(principal, req, reply, id, 1, { emails: '', q: '', results });
  }

  @Get('events/:id/sessions/:sessionId')
  @Access('authenticated')
  async sessionAttendance(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('sessionId', ParseUUIDPipe) sessionId: string,
    @Query('saved') saved?: string,
  ): Promise<void> {
    await this.mustRunSome(principal);
    const rows = await this.attendance.list(principal, id, sessionId);
    const event = await this.events.get(principal, id);
    const session = event.sessions.find((s) => s.id === sessionId);
    if (!session) throw new NotFoundError('Session', sessionId);
    const ctx = await this.contexts.build(req, reply);
    await sendPage(reply, attendancePage(ctx, { event, session, rows, saved: saved && /^\d{1,5}$/.test(saved) ? Number(saved) : undefined }));
  }

  /** The attendance form: one `m:<registrationId>` radio group per person; unmarked people are left as they are. */
  @Post('events/:id/sessions/:sessionId')
  @Access('authenticated')
  async mark(
    @CurrentUser() principal: Principal,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('sessionId', ParseUUIDPipe) sessionId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.mustRunSome(principal);
    const form = formOf(body);
    const marks: Array<{ registrationId: string; status: AttendanceStatus }> = [];
    for (const key of Object.keys(form).slice(0, 2000)) {
      const m = /^m:(.+)$/.exec(key);
      const status = field(form, key, 10);
      if (m && UUID.test(m[1]) && (ATTENDANCE_STATUSES as readonly string[]).includes(status)) marks.push({ registrationId: m[1], status: status as AttendanceStatus });
    }
    // Only people still booked: someone who cancelled while the list was open does not spoil the whole save.
    const booked = new Set((await this.attendance.list(principal, id, sessionId)).map((r) => r.registrationId));
    const kept = marks.filter((m) => booked.has(m.registrationId));
    if (kept.length) await this.attendance.mark(principal, id, sessionId, kept);
    await seeOther(reply, `/console/events/${id}/sessions/${sessionId}?saved=${kept.length}`);
  }

  /** The line manager (or HR once escalated) approves or declines a registration request from My team. */
  @Post('team/approvals/:id')
  @Access('authenticated')
  async decide(@CurrentUser() principal: Principal, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<void> {
    // Deciders are line managers, HR (escalated requests) and admins; anyone else gets 403 whatever the id.
    if (!isAdmin(principal) && !hasRole(principal, 'hr') && !(await this.teams.isManager(principal.userId))) {
      throw new ForbiddenError('Only a line manager, HR or an administrator decides registration requests');
    }
    const form = formOf(body);
    const approve = field(form, 'decision', 10) === 'approve';
    const reason = field(form, 'reason', 1000);
    await this.registrations.decide(principal, id, approve, reason || null);
    await seeOther(reply, `/console/team?decided=${approve ? 'approved' : 'declined'}#approvals-title`);
  }
}
