import { Inject, Injectable } from '@nestjs/common';
import { EVENT_MESSAGES as M } from './events.errors.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FieldError, ForbiddenError, isAdmin, NotFoundError, Page, pageOf, Principal, ValidationError, fieldError } from '@lms/platform';
import { AccessScope } from '@lms/identity';
import { Outbox } from '@lms/jobs';
import { Clock } from '@lms/notifications';
import { EventAccess } from './event-access.service.js';
import type { ApprovalMode, EventAudience } from './event.entity.js';
import { EventRepository, EventView, SessionView } from './event.repository.js';
import { CapacityBelowBookedError } from './events.errors.js';
import { RegistrationService } from './registration.service.js';

export interface SessionInput {
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  venueName?: string | null;
  venueAddress?: string | null;
  onlineUrl?: string | null;
  roomCapacity?: number | null;
}

export interface EventInput {
  title: string;
  description?: string;
  language?: string;
  ownerOrgUnitId: string;
  courseSlug?: string | null;
  lessonSlug?: string | null;
  capacity: number;
  registrationOpensAt?: Date | null;
  registrationClosesAt?: Date | null;
  cancellationDeadline?: Date | null;
  approval?: { mode: ApprovalMode; orgUnitIds?: string[]; escalateAfterDays?: number };
  audience?: EventAudience;
  attendanceRulePercent?: number;
  confirmHours?: number;
  reminderOffsetsDays?: number[];
  commitmentReminderMonths?: number[];
  trainers?: Array<{ userId?: string | null; externalName?: string | null }>;
  sessions: SessionInput[];
}

export type EventPatch = Partial<Omit<EventInput, 'ownerOrgUnitId' | 'sessions' | 'courseSlug' | 'lessonSlug'>>;

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Events, their sessions and trainers: create, edit, cancel, read. */
/** Fields of an event patch that may be left out but never set to null. */
const NOT_NULL_PATCH_FIELDS = [
  'title',
  'description',
  'language',
  'capacity',
  'approval',
  'audience',
  'attendanceRulePercent',
  'confirmHours',
  'reminderOffsetsDays',
  'commitmentReminderMonths',
  'trainers',
] as const;

@Injectable()
export class EventService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(EventRepository) private readonly events: EventRepository,
    @Inject(EventAccess) private readonly access: EventAccess,
    @Inject(AccessScope) private readonly scope: AccessScope,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(RegistrationService) private readonly registrations: RegistrationService,
  ) {}

  async create(principal: Principal, input: EventInput): Promise<EventView> {
    await this.access.assertCanOrganiseUnit(principal, input.ownerOrgUnitId);
    const errors = this.checkSessions(input.sessions, 'sessions');
    if (!input.sessions.length) errors.push(fieldError('sessions', M.noSessions()));
    this.checkDates(input, errors);
    const minRoom = Math.min(...input.sessions.map((s) => s.roomCapacity ?? Infinity));
    if (input.capacity > minRoom) errors.push(fieldError('capacity', M.capacityOverRoom({ max: minRoom })));
    let courseId: string | null = null;
    if (input.courseSlug || input.lessonSlug) {
      if (!input.courseSlug || !input.lessonSlug) errors.push(fieldError('lessonSlug', M.courseAndLesson()));
      else {
        const link = await this.events.courseForLink(input.courseSlug, input.lessonSlug);
        if (!link) errors.push(fieldError('courseSlug', M.noSuchCourse()));
        else if (!link.hasLesson) errors.push(fieldError('lessonSlug', M.noSuchLesson()));
        else {
          if (!isAdmin(principal) && !principal.grants.some((g) => g.role === 'hr') && !(await this.scope.canAuthorFor(principal, link.schoolOrgUnitId))) {
            throw new ForbiddenError(M.authorsOwnCourses());
          }
          courseId = link.courseId;
        }
      }
    }
    await this.checkReferences(input, errors);
    if (errors.length) throw new ValidationError(errors);
    const id = await this.dataSource.transaction(async (manager) => {
      const [row] = (await manager.query(
        `INSERT INTO live_event (title, description, language, owner_org_unit_id, course_id, lesson_slug, capacity, registration_opens_at, registration_closes_at,
                                 cancellation_deadline, approval_mode, approval_org_unit_ids, approval_escalate_after_days, audience, attendance_rule_percent,
                                 confirm_hours, reminder_offsets_days, commitment_reminder_months, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::uuid[], $13, $14::jsonb, $15, $16, $17::int[], $18::int[], $19) RETURNING id`,
        [
          input.title,
          input.description ?? '',
          input.language ?? 'en',
          input.ownerOrgUnitId,
          courseId,
          courseId ? input.lessonSlug : null,
          input.capacity,
          input.registrationOpensAt ?? null,
          input.registrationClosesAt ?? null,
          input.cancellationDeadline ?? null,
          input.approval?.mode ?? 'none',
          input.approval?.orgUnitIds ?? [],
          input.approval?.escalateAfterDays ?? 3,
          JSON.stringify(input.audience ?? {}),
          input.attendanceRulePercent ?? 80,
          input.confirmHours ?? 48,
          input.reminderOffsetsDays ?? [7, 1],
          input.commitmentReminderMonths ?? [1, 3, 6],
          principal.userId,
        ],
      )) as Array<{ id: string }>;
      await this.events.insertSessions(manager, row.id, input.sessions.map(normaliseSession));
      await this.events.replaceTrainers(manager, row.id, input.trainers ?? []);
      return row.id;
    });
    return this.mustView(id);
  }

  async update(principal: Principal, id: string, patch: EventPatch): Promise<EventView> {
    const before = await this.access.organised(principal, id);
    const errors: FieldError[] = [];
    // Only the registration dates may be cleared; every other field has a value (the columns are NOT NULL).
    for (const field of NOT_NULL_PATCH_FIELDS) if ((patch as Record<string, unknown>)[field] === null) errors.push(fieldError(field, M.notNull()));
    if (errors.length) throw new ValidationError(errors);
    this.checkDates({ ...before, ...patch }, errors);
    await this.checkReferences(patch, errors);
    if (patch.capacity !== undefined) {
      const rooms = (await this.events.sessions(id)).filter((s) => s.status === 'scheduled').map((s) => s.roomCapacity ?? Infinity);
      const minRoom = Math.min(...rooms);
      if (patch.capacity > minRoom) errors.push(fieldError('capacity', M.capacityOverRoom({ max: minRoom })));
    }
    if (errors.length) throw new ValidationError(errors);
    await this.dataSource.transaction(async (manager) => {
      const locked = await this.events.lock(manager, id);
      if (!locked) throw new NotFoundError('Event', id);
      if (patch.capacity !== undefined) {
        const { held } = await this.events.seats(id, manager);
        if (patch.capacity < held) throw new CapacityBelowBookedError(patch.capacity, held);
      }
      const set: Record<string, unknown> = {};
      const map: Record<string, string> = {
        title: 'title',
        description: 'description',
        language: 'language',
        capacity: 'capacity',
        registrationOpensAt: 'registration_opens_at',
        registrationClosesAt: 'registration_closes_at',
        cancellationDeadline: 'cancellation_deadline',
        attendanceRulePercent: 'attendance_rule_percent',
        confirmHours: 'confirm_hours',
      };
      for (const [k, col] of Object.entries(map)) if ((patch as Record<string, unknown>)[k] !== undefined) set[col] = (patch as Record<string, unknown>)[k];
      const cols = Object.keys(set);
      const extra: string[] = [];
      const params: unknown[] = [id, ...cols.map((c) => set[c])];
      if (patch.audience !== undefined) {
        params.push(JSON.stringify(patch.audience));
        extra.push(`audience = $${params.length}::jsonb`);
      }
      if (patch.approval !== undefined) {
        params.push(patch.approval.mode, patch.approval.orgUnitIds ?? [], patch.approval.escalateAfterDays ?? before.approvalEscalateAfterDays);
        extra.push(`approval_mode = $${params.length - 2}, approval_org_unit_ids = $${params.length - 1}::uuid[], approval_escalate_after_days = $${params.length}`);
      }
      if (patch.reminderOffsetsDays !== undefined) {
        params.push(patch.reminderOffsetsDays);
        extra.push(`reminder_offsets_days = $${params.length}::int[]`);
      }
      if (patch.commitmentReminderMonths !== undefined) {
        params.push(patch.commitmentReminderMonths);
        extra.push(`commitment_reminder_months = $${params.length}::int[]`);
      }
      const assignments = [...cols.map((c, i) => `${c} = $${i + 2}`), ...extra, 'updated_at = now()'];
      await manager.query(`UPDATE live_event SET ${assignments.join(', ')} WHERE id = $1`, params);
      if (patch.trainers !== undefined) await this.events.replaceTrainers(manager, id, patch.trainers);
      // More seats: the waitlist moves up at once.
      if (patch.capacity !== undefined && patch.capacity > before.capacity) await this.registrations.promote(manager, id);
      if (patch.title !== undefined && patch.title !== before.title) await this.outbox.add(manager, 'event.sessions-changed', { eventId: id });
    });
    return this.mustView(id);
  }

  async get(principal: Principal, id: string): Promise<EventView> {
    void principal;
    return this.mustView(id);
  }

  /** Upcoming events for everyone; `mine=organised` lists what the caller organises (also past events); `mayRegister`: only events whose audience includes the caller. */
  async list(principal: Principal, query: { page: number; limit: number; organised?: boolean; mayRegister?: boolean }): Promise<Page<EventView>> {
    const ownerPaths = query.organised ? await this.access.organiserPaths(principal) : null;
    if (query.organised && ownerPaths && ownerPaths.length === 0) return pageOf([], 0, query);
    const { ids, total } = await this.events.list({
      offset: (query.page - 1) * query.limit,
      limit: query.limit,
      ownerPaths,
      upcomingOnly: !query.organised,
      now: this.clock.now(),
      audienceUserId: query.mayRegister ? principal.userId : undefined,
    });
    const items = (await Promise.all(ids.map((i) => this.events.view(i)))).filter((v): v is EventView => !!v);
    return pageOf(items, total, query);
  }

  /** The events the caller runs: those they organise (also past ones) and those they train. */
  async listRun(principal: Principal, query: { page: number; limit: number }): Promise<Page<EventView>> {
    const ownerPaths = await this.access.organiserPaths(principal);
    const { ids, total } = await this.events.list({
      offset: (query.page - 1) * query.limit,
      limit: query.limit,
      ownerPaths: ownerPaths ?? null,
      upcomingOnly: false,
      now: this.clock.now(),
      trainerId: principal.userId,
    });
    const items = (await Promise.all(ids.map((i) => this.events.view(i)))).filter((v): v is EventView => !!v);
    return pageOf(items, total, query);
  }

  async addSession(principal: Principal, eventId: string, input: SessionInput): Promise<EventView> {
    const event = await this.access.organised(principal, eventId);
    const errors = this.checkSessions([input], 'session');
    if ((input.roomCapacity ?? Infinity) < event.capacity) errors.push(fieldError('roomCapacity', M.roomBelowCapacity({ capacity: event.capacity })));
    if (errors.length) throw new ValidationError(errors);
    await this.dataSource.transaction(async (manager) => {
      await this.events.insertSessions(manager, eventId, [normaliseSession(input)]);
      await this.outbox.add(manager, 'event.sessions-changed', { eventId });
    });
    return this.mustView(eventId);
  }

  async updateSession(principal: Principal, eventId: string, sessionId: string, patch: Partial<SessionInput>): Promise<EventView> {
    await this.access.organised(principal, eventId);
    const current = await this.events.session(sessionId);
    if (!current || current.eventId !== eventId) throw new NotFoundError('Session', sessionId);
    const merged: SessionInput = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as SessionInput;
    const errors = this.checkSessions([merged], 'session');
    if (errors.length) throw new ValidationError(errors);
    const s = normaliseSession(merged);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE event_session SET starts_at = $2, ends_at = $3, time_zone = $4, venue_name = $5, venue_address = $6, online_url = $7, room_capacity = $8, updated_at = now()
          WHERE id = $1`,
        [sessionId, s.startsAt, s.endsAt, s.timeZone, s.venueName, s.venueAddress, s.onlineUrl, s.roomCapacity],
      );
      await this.outbox.add(manager, 'event.sessions-changed', { eventId });
    });
    return this.mustView(eventId);
  }

  async cancelSession(principal: Principal, eventId: string, sessionId: string): Promise<EventView> {
    await this.access.organised(principal, eventId);
    const current = await this.events.session(sessionId);
    if (!current || current.eventId !== eventId) throw new NotFoundError('Session', sessionId);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`UPDATE event_session SET status = 'cancelled', updated_at = now() WHERE id = $1`, [sessionId]);
      await this.outbox.add(manager, 'event.sessions-changed', { eventId });
    });
    return this.mustView(eventId);
  }

  /** Cancels the event: every live registration is cancelled (each person gets a CANCEL for their calendar). */
  async cancel(principal: Principal, eventId: string, reason: string): Promise<EventView> {
    await this.access.organised(principal, eventId);
    await this.dataSource.transaction(async (manager) => {
      await this.events.lock(manager, eventId);
      await manager.query(`UPDATE live_event SET status = 'cancelled', updated_at = now() WHERE id = $1`, [eventId]);
      await manager.query(`UPDATE event_session SET status = 'cancelled', updated_at = now() WHERE event_id = $1`, [eventId]);
      const ids = (await manager.query(
        `UPDATE event_registration SET status = 'cancelled', cancelled_at = $3::timestamptz, cancelled_by = $2, cancel_reason = $4, updated_at = now()
          WHERE event_id = $1 AND status IN ('pending_approval', 'booked', 'waitlisted', 'offered') RETURNING id`,
        [eventId, principal.userId, this.clock.now().toISOString(), reason],
      )) as [Array<{ id: string }>, number];
      await this.outbox.addMany(
        manager,
        'event.registration-changed',
        ids[0].map((r) => ({ registrationId: r.id })),
      );
    });
    return this.mustView(eventId);
  }

  async mustView(id: string): Promise<EventView> {
    const v = await this.events.view(id);
    if (!v) throw new NotFoundError('Event', id);
    return v;
  }

  private checkSessions(sessions: SessionInput[], field: string): FieldError[] {
    const errors: FieldError[] = [];
    sessions.forEach((s, i) => {
      const f = sessions.length > 1 || field === 'sessions' ? `${field}[${i}]` : field;
      if (!(s.endsAt > s.startsAt)) errors.push(fieldError(`${f}.endsAt`, M.endsBeforeStart()));
      if (!isTimeZone(s.timeZone)) errors.push({ field: `${f}.timeZone`, message: 'must be an IANA time zone, e.g. Europe/Belgrade', rule: 'isTimeZone' });
      if (!s.venueAddress && !s.onlineUrl) errors.push(fieldError(`${f}.venueAddress`, M.needsVenue()));
    });
    return errors;
  }

  private checkDates(input: { registrationOpensAt?: Date | null; registrationClosesAt?: Date | null }, errors: FieldError[]): void {
    if (input.registrationOpensAt && input.registrationClosesAt && input.registrationClosesAt <= input.registrationOpensAt) {
      errors.push(fieldError('registrationClosesAt', M.closesBeforeOpens()));
    }
  }

  private async checkReferences(input: Partial<EventInput>, errors: FieldError[]): Promise<void> {
    const trainerIds = (input.trainers ?? []).map((t) => t.userId).filter((x): x is string => !!x);
    const found = new Set(await this.events.existingUsers(trainerIds));
    (input.trainers ?? []).forEach((t, i) => {
      if (!t.userId && !t.externalName) errors.push(fieldError(`trainers[${i}]`, M.trainerWho()));
      if (t.userId && !found.has(t.userId)) errors.push(fieldError(`trainers[${i}].userId`, M.noSuchPerson()));
    });
    const units = [...(input.approval?.orgUnitIds ?? []), ...(input.audience?.orgUnitIds ?? [])];
    const knownUnits = new Set(await this.events.existingUnits(units));
    for (const u of units) if (!knownUnits.has(u)) errors.push(fieldError('orgUnitIds', M.noOrgUnit({ id: u })));
    if (input.approval?.mode === 'units' && !(input.approval.orgUnitIds ?? []).length) errors.push(fieldError('approval.orgUnitIds', M.approvalUnits()));
  }
}

function normaliseSession(s: SessionInput): Omit<SessionView, 'id' | 'status'> {
  return {
    startsAt: new Date(s.startsAt),
    endsAt: new Date(s.endsAt),
    timeZone: s.timeZone,
    venueName: s.venueName ?? null,
    venueAddress: s.venueAddress ?? null,
    onlineUrl: s.onlineUrl ?? null,
    roomCapacity: s.roomCapacity ?? null,
  };
}
