import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import QRCode from 'qrcode';
import {
  AlreadyAnsweredError,
  AttendanceService,
  CalendarService,
  CancellationDeadlinePassedError,
  COMMITMENT_STATUSES,
  CommitmentService,
  EvaluationClosedError,
  EvaluationService,
  EventAccess,
  EventCancelledError,
  EventService,
  FollowupGroupService,
  NotInAudienceError,
  RegistrationClosedError,
  RegistrationService,
  RegistrationStateError,
} from '@lms/events';
import type { CommitmentStatus, EventView, RegistrationView } from '@lms/events';
import { Clock } from '@lms/notifications';
import { Access, CurrentUser, NotFoundError, ValidationError } from '@lms/platform';
import type { Principal } from '@lms/platform';
import type { PageContext } from './layout.js';
import type { MessageKey } from './messages/en.js';
import { eventPage, eventsPage } from './pages/events.pages.js';
import type { Questionnaire } from './pages/events.pages.js';
import { field, formOf, seeOther, sendPage } from './respond.js';
import type { Form } from './respond.js';
import { WebContextService } from './web-context.service.js';
import type { WebRequest } from './web-context.service.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const PAGE_SIZE = 20;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Flash messages the event page shows after a redirect (?done=… or ?error=…). */
const DONE: Record<string, MessageKey> = {
  registered: 'events.done.registered',
  cancelled: 'events.done.cancelled',
  confirmed: 'events.done.confirmed',
  evaluated: 'events.done.evaluated',
  committed: 'events.done.committed',
  updated: 'events.done.updated',
};
const ERRORS: Record<string, MessageKey> = {
  event_cancelled: 'events.error.cancelled',
  registration_closed: 'events.error.closed',
  not_in_audience: 'events.error.audience',
  cancellation_deadline_passed: 'events.error.deadline',
  registration_state: 'events.error.state',
  evaluation_not_open: 'events.error.evaluationClosed',
  already_answered: 'events.error.answered',
};

function pageNumber(v: unknown): number {
  const n = typeof v === 'string' ? Number.parseInt(v, 10) : 1;
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
}

/** The error of a known refusal as a flash code, or undefined (then the error page shows). */
function refusal(e: unknown): string | undefined {
  if (e instanceof NotInAudienceError) return 'not_in_audience';
  if (
    e instanceof EventCancelledError ||
    e instanceof RegistrationClosedError ||
    e instanceof CancellationDeadlinePassedError ||
    e instanceof RegistrationStateError ||
    e instanceof EvaluationClosedError ||
    e instanceof AlreadyAnsweredError
  )
    return e.code;
  return undefined;
}

/**
 * The learner's workshop pages: upcoming events and my registrations, one event with its sessions
 * (in the reader's time zone), registration, cancellation with a reason, confirming a seat offered
 * from the waitlist, the check-in QR code, the evaluation questionnaire and follow-up commitments.
 * Every action calls the events services, which check audience, ownership and state.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller({ path: 'events', version: VERSION_NEUTRAL })
export class EventsPagesController {
  constructor(
    @Inject(WebContextService) private readonly contexts: WebContextService,
    @Inject(EventService) private readonly events: EventService,
    @Inject(RegistrationService) private readonly registrations: RegistrationService,
    @Inject(AttendanceService) private readonly attendance: AttendanceService,
    @Inject(CalendarService) private readonly calendar: CalendarService,
    @Inject(EvaluationService) private readonly evaluations: EvaluationService,
    @Inject(CommitmentService) private readonly commitments: CommitmentService,
    @Inject(FollowupGroupService) private readonly groups: FollowupGroupService,
    @Inject(EventAccess) private readonly access: EventAccess,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  private async renderList(principal: Principal, req: WebRequest, reply: FastifyReply, page: number, extra: { feedUrl?: string; flash?: string } = {}): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const [events, mine, commitments, groups] = await Promise.all([
      this.events.list(principal, { page, limit: PAGE_SIZE, mayRegister: true }),
      this.registrations.mine(principal, { page: 1, limit: 50 }),
      this.commitments.mine(principal, { page: 1, limit: 50 }),
      this.groups.mine(principal, { page: 1, limit: 50 }),
    ]);
    const titles = new Map(mine.items.map((r) => [r.eventId, r.eventTitle]));
    await sendPage(
      reply,
      eventsPage(ctx, {
        events,
        mine: mine.items,
        commitments: commitments.items.map((c) => ({ ...c, eventTitle: titles.get(c.eventId) ?? '' })),
        groups: groups.items,
        ...extra,
      }),
    );
  }

  @Get()
  @Access('authenticated')
  async list(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Query('page') page?: string): Promise<void> {
    await this.renderList(principal, req, reply, pageNumber(page));
  }

  /** Creates (or replaces) my calendar feed; the secret address is shown this once. */
  @Post('calendar-feed')
  @Access('authenticated')
  async feed(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply): Promise<void> {
    const { url } = await this.calendar.rotateFeed(principal);
    void reply.header('cache-control', 'no-store');
    await this.renderList(principal, req, reply, 1, { feedUrl: url });
  }

  private async renderEvent(
    principal: Principal,
    req: WebRequest,
    reply: FastifyReply,
    id: string,
    extra: { flash?: string; errors?: Array<{ field: string; message: string }>; commitmentValues?: Record<string, string> } = {},
    status = 200,
  ): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const event = await this.events.get(principal, id);
    const registration = await this.registrations.mineForEvent(principal, id);
    const booked = registration?.status === 'booked';
    const [runs, checkIn, evaluation, commitments, groups] = await Promise.all([
      this.access.run(principal, id).then(
        () => true,
        () => false,
      ),
      booked ? this.checkIn(principal, registration) : undefined,
      booked ? this.evaluation(principal, event) : undefined,
      booked ? this.myCommitments(principal, id) : [],
      booked ? this.groups.mine(principal, { page: 1, limit: 100 }).then((p) => p.items.filter((g) => g.eventId === id)) : [],
    ]);
    await sendPage(
      reply,
      eventPage(ctx, { event, registration, runs, checkIn, evaluation, commitments, groups, canRegister: this.canRegister(event), ...extra }),
      status,
    );
  }

  private canRegister(event: EventView): boolean {
    const now = this.clock.now().getTime();
    if (event.status !== 'scheduled') return false;
    if (event.registrationOpensAt && new Date(event.registrationOpensAt).getTime() > now) return false;
    if (event.registrationClosesAt && new Date(event.registrationClosesAt).getTime() <= now) return false;
    return event.sessions.some((s) => s.status === 'scheduled' && new Date(s.endsAt).getTime() > now);
  }

  private async checkIn(principal: Principal, registration: RegistrationView): Promise<{ token: string; qrSvg: string }> {
    const { token } = await this.attendance.myCheckIn(principal, registration.id);
    return { token, qrSvg: await QRCode.toString(token, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }) };
  }

  private async evaluation(principal: Principal, event: EventView): Promise<{ questionnaire: Questionnaire; answered: boolean; open: boolean } | undefined> {
    let questionnaire: Questionnaire;
    try {
      questionnaire = await this.evaluations.get(principal, event.id);
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
    const starts = event.sessions.filter((s) => s.status === 'scheduled').map((s) => new Date(s.startsAt).getTime());
    const open = starts.length > 0 && Math.max(...starts) <= this.clock.now().getTime();
    return { questionnaire, answered: await this.evaluations.answered(principal, event.id), open };
  }

  private async myCommitments(principal: Principal, eventId: string) {
    const page = await this.commitments.mine(principal, { page: 1, limit: 100 });
    return page.items.filter((c) => c.eventId === eventId);
  }

  @Get(':id')
  @Access('authenticated')
  async event(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: Record<string, string | undefined>,
  ): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const done = q.done && Object.hasOwn(DONE, q.done) ? ctx.t.t(DONE[q.done]) : undefined;
    const error = q.error && Object.hasOwn(ERRORS, q.error) ? ctx.t.t(ERRORS[q.error]) : undefined;
    await this.renderEvent(principal, req, reply, id, { flash: done, errors: error ? [{ field: 'my-place', message: error }] : undefined });
  }

  /** Runs an action and redirects to the event with ?done=…, or with ?error=… when the services refuse it for a known reason. */
  private async act(reply: FastifyReply, id: string, done: string, action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
    } catch (e) {
      const code = refusal(e);
      if (!code) throw e;
      return seeOther(reply, `/events/${id}?error=${code}`);
    }
    await seeOther(reply, `/events/${id}?done=${done}`);
  }

  @Post(':id/register')
  @Access('authenticated')
  async register(@CurrentUser() principal: Principal, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.act(reply, id, 'registered', () => this.registrations.register(principal, id));
  }

  private async mustMine(principal: Principal, id: string): Promise<RegistrationView> {
    const r = await this.registrations.mineForEvent(principal, id);
    if (!r) throw new NotFoundError('Registration for event', id);
    return r;
  }

  @Post(':id/cancel')
  @Access('authenticated')
  async cancel(@CurrentUser() principal: Principal, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<void> {
    const reason = field(formOf(body), 'reason', 1000);
    const r = await this.mustMine(principal, id);
    await this.act(reply, id, 'cancelled', () => this.registrations.cancel(principal, r.id, reason || null));
  }

  @Post(':id/confirm')
  @Access('authenticated')
  async confirm(@CurrentUser() principal: Principal, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    const r = await this.mustMine(principal, id);
    await this.act(reply, id, 'confirmed', () => this.registrations.confirm(principal, r.id));
  }

  /** The questionnaire without JavaScript: `a:<questionId>` fields; scale answers become numbers. */
  @Post(':id/evaluation')
  @Access('authenticated')
  async evaluate(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<void> {
    const form = formOf(body);
    const q = await this.evaluations.get(principal, id);
    const answers: Record<string, number | string> = {};
    for (const x of q.questions) {
      const v = field(form, `a:${x.id}`, 4000);
      if (!v) continue;
      answers[x.id] = x.type === 'scale' && /^\d{1,3}$/.test(v) ? Number(v) : v;
    }
    if (!Object.keys(answers).length) {
      const ctx = await this.contexts.build(req, reply);
      return this.renderEvent(principal, req, reply, id, { errors: [{ field: 'evaluation-title', message: ctx.t.t('events.evaluation.empty') }] }, 400);
    }
    try {
      await this.act(reply, id, 'evaluated', () => this.evaluations.answer(principal, id, answers));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const ctx = await this.contexts.build(req, reply);
      await this.renderEvent(principal, req, reply, id, { errors: [{ field: 'evaluation-title', message: ctx.t.t('events.evaluation.invalid') }] }, 400);
    }
  }

  private commitmentErrors(ctx: PageContext, v: Record<string, string>): Array<{ field: string; message: string }> {
    const { t } = ctx;
    const errors: Array<{ field: string; message: string }> = [];
    if (!v.action) errors.push({ field: 'action', message: t.t('events.commitment.err.action') });
    const due = DATE.test(v.dueOn) ? new Date(`${v.dueOn}T00:00:00Z`) : null;
    const year = due ? due.getUTCFullYear() : 0;
    if (!due || Number.isNaN(due.getTime()) || due.toISOString().slice(0, 10) !== v.dueOn || year < 2000 || year > 2999) errors.push({ field: 'dueOn', message: t.t('events.commitment.err.due') });
    return errors;
  }

  @Post(':id/commitments')
  @Access('authenticated')
  async commit(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<void> {
    const form: Form = formOf(body);
    const values = {
      action: field(form, 'action', 2000),
      dueOn: field(form, 'dueOn', 10),
      partners: field(form, 'partners', 2000),
      competencyCode: field(form, 'competencyCode', 100),
      sdg: field(form, 'sdg', 2),
    };
    const ctx = await this.contexts.build(req, reply);
    const errors = this.commitmentErrors(ctx, values);
    if (errors.length) return this.renderEvent(principal, req, reply, id, { errors, commitmentValues: values }, 400);
    const sdg = /^\d{1,2}$/.test(values.sdg) && Number(values.sdg) >= 1 && Number(values.sdg) <= 17 ? Number(values.sdg) : null;
    const partners = values.partners
      .split(/[,;\n]/)
      .map((p) => p.trim().slice(0, 200))
      .filter(Boolean)
      .slice(0, 20);
    await this.commitments.create(principal, id, { action: values.action, dueOn: values.dueOn, partners, competencyCode: values.competencyCode || null, sdg });
    await seeOther(reply, `/events/${id}?done=committed#commitments-title`);
  }

  @Post(':id/commitments/:commitmentId/updates')
  @Access('authenticated')
  async updateCommitment(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('commitmentId', ParseUUIDPipe) commitmentId: string,
    @Body() body: unknown,
  ): Promise<void> {
    const form = formOf(body);
    const note = field(form, 'note', 2000);
    const status = field(form, 'status', 10);
    if (!note || !(COMMITMENT_STATUSES as readonly string[]).includes(status)) {
      const ctx = await this.contexts.build(req, reply);
      return this.renderEvent(principal, req, reply, id, { errors: [{ field: 'commitments-title', message: ctx.t.t('events.commitment.err.note') }] }, 400);
    }
    const updated = await this.commitments.update(principal, commitmentId, { note, status: status as CommitmentStatus });
    await seeOther(reply, `/events/${updated.eventId}?done=updated#commitments-title`);
  }
}
