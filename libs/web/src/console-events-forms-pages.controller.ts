import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AttendanceService, CapacityBelowBookedError, EventAccess, EventService, InvalidCheckInTokenError, isTimeZone } from '@lms/events';
import type { EventAudience, EventInput, EventPatch, EventView, SessionInput, SessionView } from '@lms/events';
import { canonicalLocale } from '@lms/i18n';
import { UserService } from '@lms/identity';
import { Clock } from '@lms/notifications';
import { Access, CurrentUser, ForbiddenError, NotFoundError, ValidationError } from '@lms/platform';
import type { Principal } from '@lms/platform';
import type { PageContext } from './layout.js';
import type { MessageKey } from './messages/en.js';
import { checkInPage, editEventPage, newEventPage } from './pages/console-events-forms.pages.js';
import type { EventFormValues, SessionFormValues, UnitChoice } from './pages/console-events-forms.pages.js';
import { field, formOf, seeOther, sendPage } from './respond.js';
import type { Form } from './respond.js';
import { WebContextService } from './web-context.service.js';
import type { WebRequest } from './web-context.service.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { localInputToUtc, utcToLocalInput } from './zoned-time.js';

type Errors = Array<{ field: string; message: string }>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DONE: Record<string, MessageKey> = {
  created: 'console.eventForm.done.created',
  saved: 'console.eventForm.done.saved',
  added: 'console.eventForm.done.added',
  removed: 'console.eventForm.done.removed',
  changed: 'console.eventForm.done.changed',
};

/** Codes typed as a list: split on commas, semicolons and white space; at most 100, each at most 100 characters. */
function codes(v: string): string[] {
  return [
    ...new Set(
      v
        .split(/[,;\s]+/)
        .map((c) => c.trim())
        .filter(Boolean),
    ),
  ].slice(0, 100);
}

/** Every value of a repeated form field. */
function all(form: Form, name: string): string[] {
  const v = form[name];
  return (Array.isArray(v) ? v : v ? [v] : []).filter((x): x is string => typeof x === 'string');
}

function isWebUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !!u.hostname;
  } catch {
    return false;
  }
}

/**
 * The console's forms for workshops: create an event with its first session, edit it, add and
 * remove sessions (organisers: the same EventService calls and checks as the API), and the QR
 * check-in page a trainer's phone opens from a participant's code (or a short code typed in),
 * which marks attendance through AttendanceService. Everything works without JavaScript; a bad
 * input comes back as the form with its messages.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller({ path: 'console', version: VERSION_NEUTRAL })
export class ConsoleEventsFormsPagesController {
  constructor(
    @Inject(WebContextService) private readonly contexts: WebContextService,
    @Inject(EventService) private readonly events: EventService,
    @Inject(AttendanceService) private readonly attendance: AttendanceService,
    @Inject(EventAccess) private readonly access: EventAccess,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(UserService) private readonly users: UserService,
  ) {}

  /** Only organisers (admin; authors and HR with a scope) create and edit events: anyone else gets 403 whatever the id. */
  private async mustOrganiseSome(principal: Principal): Promise<void> {
    const paths = await this.access.organiserPaths(principal);
    if (paths !== null && paths.length === 0) throw new ForbiddenError('Only organisers create and edit events');
  }

  /** Like every console page, a person who neither organises nor trains gets 403 first, whatever the id. */
  private async mustRunSome(principal: Principal): Promise<void> {
    const paths = await this.access.organiserPaths(principal);
    if (paths === null || paths.length) return;
    if ((await this.events.listRun(principal, { page: 1, limit: 1 })).total === 0) throw new ForbiddenError('These pages are for the organisers and trainers of events');
  }

  private async units(principal: Principal): Promise<UnitChoice[]> {
    return (await this.access.organiserUnits(principal)).map((u) => ({ id: u.id, name: u.name, depth: u.depth }));
  }

  // ------------------------------------------------------------ values

  private valuesOf(form: Form): EventFormValues {
    return {
      title: field(form, 'title', 300),
      description: field(form, 'description', 10_000),
      language: field(form, 'language', 64),
      ownerOrgUnitId: field(form, 'ownerOrgUnitId', 40),
      courseSlug: field(form, 'courseSlug', 100),
      lessonSlug: field(form, 'lessonSlug', 100),
      capacity: field(form, 'capacity', 10),
      opensAt: field(form, 'opensAt', 20),
      closesAt: field(form, 'closesAt', 20),
      cancelBy: field(form, 'cancelBy', 20),
      approval: field(form, 'approval', 10),
      audienceUnits: field(form, 'audienceUnits', 2000),
      audienceRoles: field(form, 'audienceRoles', 2000),
      audienceCountries: field(form, 'audienceCountries', 2000),
      trainerEmails: field(form, 'trainerEmails', 5000),
      trainerNames: field(form, 'trainerNames', 5000),
      keepTrainers: all(form, 'keepTrainers').filter((id) => UUID.test(id)).slice(0, 50),
    };
  }

  /**
   * The trainers as the service takes them: people by e-mail, found as the registration form finds
   * them (only people the caller may see), external trainers by name, and person trainers already on
   * the event whom the caller cannot look up (kept). Unknown addresses and long names are field errors.
   */
  private async parseTrainers(
    principal: Principal,
    ctx: PageContext,
    v: EventFormValues,
    current: EventView['trainers'],
    errors: Errors,
  ): Promise<Array<{ userId?: string; externalName?: string }>> {
    const { t } = ctx;
    const emails = [...new Set(v.trainerEmails.split(/[\s,;]+/).map((x) => x.trim().toLowerCase()).filter(Boolean))];
    const names = [...new Set(v.trainerNames.split(/\r?\n/).map((x) => x.trim()).filter(Boolean))];
    const keep = current.filter((tr) => tr.userId && v.keepTrainers.includes(tr.userId)).map((tr) => tr.userId as string);
    if (emails.length + names.length + keep.length > 50) {
      errors.push({ field: 'trainerEmails', message: t.t('console.eventForm.err.trainerCount') });
      return [];
    }
    const ids = new Set(keep);
    const missing: string[] = [];
    for (const email of emails) {
      const hit = (await this.users.list(principal, { q: email, status: 'active', page: 1, limit: 5 })).items.find((u) => u.email.toLowerCase() === email);
      if (hit) ids.add(hit.id);
      else missing.push(email);
    }
    if (missing.length) errors.push({ field: 'trainerEmails', message: t.t('console.eventForm.err.trainerEmail', { emails: missing.join(', ') }) });
    if (names.some((n) => n.length > 200)) errors.push({ field: 'trainerNames', message: t.t('console.eventForm.err.trainerName') });
    return [...[...ids].map((userId) => ({ userId })), ...names.map((externalName) => ({ externalName }))];
  }

  private sessionValuesOf(form: Form): SessionFormValues {
    return {
      startsAt: field(form, 'startsAt', 20),
      endsAt: field(form, 'endsAt', 20),
      timeZone: field(form, 'timeZone', 64),
      venueName: field(form, 'venueName', 200),
      venueAddress: field(form, 'venueAddress', 400),
      onlineUrl: field(form, 'onlineUrl', 1000),
    };
  }

  private emptySession(): SessionFormValues {
    return { startsAt: '', endsAt: '', timeZone: 'Europe/Belgrade', venueName: '', venueAddress: '', onlineUrl: '' };
  }

  private async valuesFromEvent(principal: Principal, ctx: PageContext, e: EventView): Promise<EventFormValues> {
    const local = (d: Date | string | null | undefined): string => utcToLocalInput(d, ctx.t.timeZone);
    return {
      title: e.title,
      description: e.description,
      language: e.language,
      ownerOrgUnitId: e.ownerOrgUnitId,
      courseSlug: e.courseSlug ?? '',
      lessonSlug: e.lessonSlug ?? '',
      capacity: String(e.capacity),
      opensAt: local(e.registrationOpensAt),
      closesAt: local(e.registrationClosesAt),
      cancelBy: local(e.cancellationDeadline),
      approval: e.approval.mode,
      audienceUnits: (await this.access.unitCodes(e.audience.orgUnitIds ?? [])).join(', '),
      audienceRoles: (e.audience.jobRoleCodes ?? []).join(', '),
      audienceCountries: (e.audience.countryCodes ?? []).join(', '),
      ...(await this.trainerValues(principal, e)),
    };
  }

  /** A person trainer the caller may look up is shown by e-mail; one they may not is kept as it is. */
  private async trainerValues(principal: Principal, e: EventView): Promise<Pick<EventFormValues, 'trainerEmails' | 'trainerNames' | 'keepTrainers'>> {
    const emails: string[] = [];
    const keep: string[] = [];
    for (const tr of e.trainers) {
      if (!tr.userId) continue;
      try {
        emails.push((await this.users.get(principal, tr.userId)).email);
      } catch (err) {
        if (!(err instanceof ForbiddenError || err instanceof NotFoundError)) throw err;
        keep.push(tr.userId);
      }
    }
    return { trainerEmails: emails.join('\n'), trainerNames: e.trainers.filter((tr) => !tr.userId).map((tr) => tr.name).join('\n'), keepTrainers: keep };
  }

  /** The event fields as the service takes them, or the errors to show next to the fields (in the reader's language). */
  private async parseEvent(ctx: PageContext, v: EventFormValues, creating: boolean, errors: Errors): Promise<Omit<EventInput, 'sessions' | 'ownerOrgUnitId'> & { ownerOrgUnitId?: string }> {
    const { t } = ctx;
    const err = (f: string, key: MessageKey, args?: Record<string, string | number>): void => {
      errors.push({ field: f, message: t.t(key, args) });
    };
    if (!v.title) err('title', 'console.eventForm.err.title');
    // Any BCP 47 tag, as in the API (docs/languages.md); stored canonical.
    const language = canonicalLocale(v.language);
    if (!language) err('language', 'console.eventForm.err.language');
    if (creating) {
      if (!UUID.test(v.ownerOrgUnitId)) err('ownerOrgUnitId', 'console.eventForm.err.owner');
      if (v.courseSlug && !SLUG.test(v.courseSlug)) err('courseSlug', 'console.eventForm.err.slug');
      if (v.lessonSlug && !SLUG.test(v.lessonSlug)) err('lessonSlug', 'console.eventForm.err.slug');
      if (!!v.courseSlug !== !!v.lessonSlug) err(v.courseSlug ? 'lessonSlug' : 'courseSlug', 'console.eventForm.err.courseBoth');
    }
    const capacity = /^\d{1,6}$/.test(v.capacity) ? Number(v.capacity) : NaN;
    if (!(capacity >= 1 && capacity <= 100_000)) err('capacity', 'console.eventForm.err.capacity');
    const when = (name: 'opensAt' | 'closesAt' | 'cancelBy'): Date | null => {
      if (!v[name]) return null;
      const d = localInputToUtc(v[name], t.timeZone);
      if (!d) err(name, 'console.eventForm.err.dateTime');
      return d;
    };
    const opensAt = when('opensAt');
    const closesAt = when('closesAt');
    const cancelBy = when('cancelBy');
    if (opensAt && closesAt && closesAt <= opensAt) err('closesAt', 'console.eventForm.err.closeAfterOpen');
    const unitCodes = codes(v.audienceUnits);
    const known = await this.access.unitIdsByCode(unitCodes);
    const unknown = unitCodes.filter((c) => !known.has(c));
    if (unknown.length) err('audienceUnits', 'console.eventForm.err.units', { codes: unknown.join(', ') });
    const roles = codes(v.audienceRoles);
    const countries = codes(v.audienceCountries);
    if ([...roles, ...countries].some((c) => c.length > 100)) err(roles.some((c) => c.length > 100) ? 'audienceRoles' : 'audienceCountries', 'console.eventForm.err.code');
    const audience: EventAudience = {};
    if (unitCodes.length) audience.orgUnitIds = unitCodes.map((c) => known.get(c)).filter((x): x is string => !!x);
    if (roles.length) audience.jobRoleCodes = roles;
    if (countries.length) audience.countryCodes = countries.map((c) => c.toUpperCase());
    return {
      title: v.title,
      description: v.description,
      language: language ?? 'en',
      ownerOrgUnitId: creating ? v.ownerOrgUnitId : undefined,
      courseSlug: v.courseSlug || null,
      lessonSlug: v.lessonSlug || null,
      capacity,
      registrationOpensAt: opensAt,
      registrationClosesAt: closesAt,
      cancellationDeadline: cancelBy,
      approval: v.approval === 'all' ? { mode: 'all' } : v.approval === 'units' ? undefined : { mode: 'none' },
      audience,
    };
  }

  private parseSession(ctx: PageContext, v: SessionFormValues, errors: Errors): SessionInput {
    const { t } = ctx;
    const err = (f: string, key: MessageKey): void => {
      errors.push({ field: f, message: t.t(key) });
    };
    const zoneOk = isTimeZone(v.timeZone) && v.timeZone.length > 0;
    if (!zoneOk) err('timeZone', 'console.eventForm.err.timeZone');
    const tz = zoneOk ? v.timeZone : 'UTC';
    const startsAt = localInputToUtc(v.startsAt, tz);
    const endsAt = localInputToUtc(v.endsAt, tz);
    if (!startsAt) err('startsAt', 'console.eventForm.err.dateTime');
    if (!endsAt) err('endsAt', 'console.eventForm.err.dateTime');
    if (startsAt && endsAt && endsAt <= startsAt) err('endsAt', 'console.eventForm.err.endAfterStart');
    if (!v.venueAddress && !v.onlineUrl) err('venueAddress', 'console.eventForm.err.where');
    if (v.onlineUrl && !isWebUrl(v.onlineUrl)) err('onlineUrl', 'console.eventForm.err.url');
    return {
      startsAt: startsAt ?? new Date(0),
      endsAt: endsAt ?? new Date(0),
      timeZone: tz,
      venueName: v.venueName || null,
      venueAddress: v.venueAddress || null,
      onlineUrl: v.onlineUrl || null,
    };
  }

  /** The service's own refusals, as messages next to the fields of this form. */
  private serviceErrors(ctx: PageContext, e: ValidationError): Errors {
    const { t } = ctx;
    return e.errors.map((x) => {
      const f = x.field;
      if (f.endsWith('.endsAt')) return { field: 'endsAt', message: t.t('console.eventForm.err.endAfterStart') };
      if (f.endsWith('.timeZone')) return { field: 'timeZone', message: t.t('console.eventForm.err.timeZone') };
      if (f.endsWith('.venueAddress')) return { field: 'venueAddress', message: t.t('console.eventForm.err.where') };
      if (f === 'registrationClosesAt') return { field: 'closesAt', message: t.t('console.eventForm.err.closeAfterOpen') };
      if (f === 'courseSlug') return { field: 'courseSlug', message: t.t('console.eventForm.err.noCourse') };
      if (f === 'lessonSlug') return { field: 'lessonSlug', message: t.t('console.eventForm.err.noLesson') };
      if (f === 'orgUnitIds') return { field: 'audienceUnits', message: t.t('console.eventForm.err.units', { codes: '' }) };
      if (f === 'approval.orgUnitIds') return { field: 'approval', message: t.t('console.eventForm.err.approvalUnits') };
      if (f.startsWith('trainers')) return { field: 'trainerEmails', message: t.t('console.eventForm.err.trainerEmail', { emails: '' }) };
      if (f === 'capacity' || f === 'roomCapacity') return { field: 'capacity', message: t.t('console.eventForm.err.room') };
      return { field: 'title', message: t.t('console.eventForm.err.other') };
    });
  }

  // ------------------------------------------------------------ create

  @Get('events/new')
  @Access('authenticated')
  async newForm(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.mustOrganiseSome(principal);
    const ctx = await this.contexts.build(req, reply);
    const units = await this.units(principal);
    const values: EventFormValues = {
      title: '',
      description: '',
      language: ctx.locale,
      ownerOrgUnitId: units.length === 1 ? units[0].id : '',
      courseSlug: '',
      lessonSlug: '',
      capacity: '20',
      opensAt: '',
      closesAt: '',
      cancelBy: '',
      approval: 'none',
      audienceUnits: '',
      audienceRoles: '',
      audienceCountries: '',
      trainerEmails: '',
      trainerNames: '',
      keepTrainers: [],
    };
    await sendPage(reply, newEventPage(ctx, { values, session: this.emptySession(), units }));
  }

  @Post('events/new')
  @Access('authenticated')
  async create(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    await this.mustOrganiseSome(principal);
    const form = formOf(body);
    const values = this.valuesOf(form);
    const session = this.sessionValuesOf(form);
    const ctx = await this.contexts.build(req, reply);
    const errors: Errors = [];
    const fields = await this.parseEvent(ctx, values, true, errors);
    const first = this.parseSession(ctx, session, errors);
    const trainers = await this.parseTrainers(principal, ctx, values, [], errors);
    // A unit outside the caller's scope is a refusal (403), as in the API, not a form error.
    if (UUID.test(values.ownerOrgUnitId)) {
      if (!(await this.access.unitExists(values.ownerOrgUnitId))) errors.push({ field: 'ownerOrgUnitId', message: ctx.t.t('console.eventForm.err.owner') });
      else await this.access.assertCanOrganiseUnit(principal, values.ownerOrgUnitId);
    }
    const again = async (errs: Errors): Promise<void> => sendPage(reply, newEventPage(ctx, { values, session, units: await this.units(principal), errors: errs }), 400);
    if (errors.length) return again(errors);
    let created: EventView;
    try {
      created = await this.events.create(principal, { ...fields, ownerOrgUnitId: values.ownerOrgUnitId, sessions: [first], trainers });
    } catch (e) {
      if (e instanceof ValidationError) return again(this.serviceErrors(ctx, e));
      // Authors may link only their school's courses: shown at the course field.
      if (e instanceof ForbiddenError && values.courseSlug) return again([{ field: 'courseSlug', message: ctx.t.t('console.eventForm.err.courseScope') }]);
      throw e;
    }
    await seeOther(reply, `/console/events/${created.id}/edit?done=created`);
  }

  // ------------------------------------------------------------ edit

  @Get('events/:id/edit')
  @Access('authenticated')
  async editForm(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('done') done?: string,
  ): Promise<void> {
    await this.mustOrganiseSome(principal);
    await this.access.organised(principal, id);
    const ctx = await this.contexts.build(req, reply);
    const event = await this.events.mustView(id);
    const flash = done && Object.hasOwn(DONE, done) ? ctx.t.t(DONE[done]) : undefined;
    await sendPage(reply, editEventPage(ctx, { event, values: await this.valuesFromEvent(principal, ctx, event), session: this.sessionDefaults(event), units: [], done: flash }));
  }

  /** A new session starts in the zone of the last one. */
  private sessionDefaults(event: EventView): SessionFormValues {
    const last = event.sessions[event.sessions.length - 1] as SessionView | undefined;
    return { ...this.emptySession(), timeZone: last?.timeZone ?? 'Europe/Belgrade' };
  }

  @Post('events/:id/edit')
  @Access('authenticated')
  async edit(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<void> {
    await this.mustOrganiseSome(principal);
    await this.access.organised(principal, id);
    const values = this.valuesOf(formOf(body));
    const ctx = await this.contexts.build(req, reply);
    const errors: Errors = [];
    const fields = await this.parseEvent(ctx, values, false, errors);
    const trainers = await this.parseTrainers(principal, ctx, values, (await this.events.mustView(id)).trainers, errors);
    const again = async (errs: Errors): Promise<void> => {
      const event = await this.events.mustView(id);
      await sendPage(reply, editEventPage(ctx, { event, values: { ...values, courseSlug: event.courseSlug ?? '', lessonSlug: event.lessonSlug ?? '' }, session: this.sessionDefaults(event), units: [], errors: errs }), 400);
    };
    if (errors.length) return again(errors);
    const patch: EventPatch = {
      title: fields.title,
      description: fields.description,
      language: fields.language,
      capacity: fields.capacity,
      registrationOpensAt: fields.registrationOpensAt,
      registrationClosesAt: fields.registrationClosesAt,
      cancellationDeadline: fields.cancellationDeadline,
      audience: fields.audience,
      trainers,
    };
    if (fields.approval) patch.approval = fields.approval;
    try {
      await this.events.update(principal, id, patch);
    } catch (e) {
      if (e instanceof ValidationError) return again(this.serviceErrors(ctx, e));
      if (e instanceof CapacityBelowBookedError) return again([{ field: 'capacity', message: ctx.t.t('console.eventForm.err.belowBooked') }]);
      throw e;
    }
    await seeOther(reply, `/console/events/${id}/edit?done=saved`);
  }

  @Post('events/:id/sessions')
  @Access('authenticated')
  async addSession(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<void> {
    await this.mustOrganiseSome(principal);
    await this.access.organised(principal, id);
    const session = this.sessionValuesOf(formOf(body));
    const ctx = await this.contexts.build(req, reply);
    const errors: Errors = [];
    const input = this.parseSession(ctx, session, errors);
    const again = async (errs: Errors): Promise<void> => {
      const event = await this.events.mustView(id);
      await sendPage(reply, editEventPage(ctx, { event, values: await this.valuesFromEvent(principal, ctx, event), session, units: [], errors: errs }), 400);
    };
    if (errors.length) return again(errors);
    try {
      await this.events.addSession(principal, id, input);
    } catch (e) {
      if (e instanceof ValidationError) return again(this.serviceErrors(ctx, e));
      throw e;
    }
    await seeOther(reply, `/console/events/${id}/edit?done=added#sessions-title`);
  }

  /** Changes one session (start, end, zone, venue, address, link) through EventService.updateSession; errors come back in its own form. */
  @Post('events/:id/sessions/:sessionId/edit')
  @Access('authenticated')
  async changeSession(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('sessionId', ParseUUIDPipe) sessionId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.mustOrganiseSome(principal);
    await this.access.organised(principal, id);
    const before = await this.events.mustView(id);
    const index = before.sessions.findIndex((s) => s.id === sessionId && s.status === 'scheduled');
    if (index < 0) throw new NotFoundError('Session', sessionId);
    const values = this.sessionValuesOf(formOf(body));
    const ctx = await this.contexts.build(req, reply);
    const errors: Errors = [];
    const input = this.parseSession(ctx, values, errors);
    const prefix = `s${index + 1}-`;
    const again = async (errs: Errors): Promise<void> => {
      const event = await this.events.mustView(id);
      await sendPage(
        reply,
        editEventPage(ctx, {
          event,
          values: await this.valuesFromEvent(principal, ctx, event),
          session: this.sessionDefaults(event),
          units: [],
          errors: errs.map((e) => ({ ...e, field: `${prefix}${e.field}` })),
          changing: { sessionId, values },
        }),
        400,
      );
    };
    if (errors.length) return again(errors);
    try {
      await this.events.updateSession(principal, id, sessionId, input);
    } catch (e) {
      if (e instanceof ValidationError) return again(this.serviceErrors(ctx, e));
      throw e;
    }
    await seeOther(reply, `/console/events/${id}/edit?done=changed#sessions-title`);
  }

  @Post('events/:id/sessions/:sessionId/cancel')
  @Access('authenticated')
  async removeSession(
    @CurrentUser() principal: Principal,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('sessionId', ParseUUIDPipe) sessionId: string,
  ): Promise<void> {
    await this.mustOrganiseSome(principal);
    await this.events.cancelSession(principal, id, sessionId);
    await seeOther(reply, `/console/events/${id}/edit?done=removed#sessions-title`);
  }

  // ------------------------------------------------------------ QR check-in

  /** The session a check-in is most likely for: the one under way (from 30 minutes before), else the next, else the last. */
  private currentSession(event: EventView, wanted?: string): string | undefined {
    const scheduled = event.sessions.filter((s) => s.status === 'scheduled');
    if (wanted && scheduled.some((s) => s.id === wanted)) return wanted;
    const now = this.clock.now().getTime();
    const open = scheduled.find((s) => new Date(s.startsAt).getTime() - 30 * 60_000 <= now && now <= new Date(s.endsAt).getTime());
    if (open) return open.id;
    const next = scheduled.find((s) => new Date(s.startsAt).getTime() > now);
    return (next ?? scheduled[scheduled.length - 1])?.id;
  }

  /**
   * The page a trainer's camera opens from a participant's QR code (`?code=<registrationId>.<mac>`),
   * or a short code typed in: the person, the sessions and a one-tap confirm. Only those who run
   * the event (organisers, its trainers) see it; a forged code or one of another event is a 400 page.
   */
  @Get('events/:id/check-in')
  @Access('authenticated')
  async checkInForm(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: Record<string, string | undefined>,
  ): Promise<void> {
    await this.mustRunSome(principal);
    await this.access.run(principal, id);
    const event = await this.events.mustView(id);
    const ctx = await this.contexts.build(req, reply);
    const code = typeof q.code === 'string' ? q.code.trim().slice(0, 200) : '';
    const wanted = typeof q.session === 'string' && UUID.test(q.session) ? q.session : undefined;
    const selected = this.currentSession(event, wanted);
    if (!code) return sendPage(reply, checkInPage(ctx, { event, code, selected }));
    let person;
    try {
      person = await this.attendance.resolveCheckIn(principal, id, code);
    } catch (e) {
      if (!(e instanceof InvalidCheckInTokenError)) throw e;
      return sendPage(reply, checkInPage(ctx, { event, code, selected, errors: [{ field: 'code', message: ctx.t.t('console.checkIn.invalid') }] }), 400);
    }
    const done = q.done === '1' && wanted ? event.sessions.find((s) => s.id === wanted) : undefined;
    await sendPage(reply, checkInPage(ctx, { event, code, selected, person, done }));
  }

  @Post('events/:id/check-in')
  @Access('authenticated')
  async checkIn(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<void> {
    await this.mustRunSome(principal);
    await this.access.run(principal, id);
    const form = formOf(body);
    const code = field(form, 'code', 200);
    const sessionId = field(form, 'sessionId', 40);
    const event = await this.events.mustView(id);
    const ctx = await this.contexts.build(req, reply);
    const session = event.sessions.find((s) => s.id === sessionId && s.status === 'scheduled');
    try {
      if (!session) {
        const person = code ? await this.attendance.resolveCheckIn(principal, id, code) : undefined;
        return await sendPage(
          reply,
          checkInPage(ctx, { event, code, selected: undefined, person, errors: [{ field: person ? 'sessionId' : 'code', message: ctx.t.t(person ? 'console.checkIn.pickSession' : 'console.checkIn.invalid') }] }),
          400,
        );
      }
      await this.attendance.checkInByCode(principal, id, session.id, code);
    } catch (e) {
      if (!(e instanceof InvalidCheckInTokenError)) throw e;
      return sendPage(reply, checkInPage(ctx, { event, code, selected: session?.id, errors: [{ field: 'code', message: ctx.t.t('console.checkIn.invalid') }] }), 400);
    }
    await seeOther(reply, `/console/events/${id}/check-in?code=${encodeURIComponent(code)}&session=${session.id}&done=1`);
  }
}
