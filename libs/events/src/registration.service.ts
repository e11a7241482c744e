import { Inject, Injectable } from '@nestjs/common';
import { EVENT_MESSAGES as M } from './events.errors.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ForbiddenError, isAdmin, NotFoundError, Page, pageOf, Principal } from '@lms/platform';
import { AccessScope } from '@lms/identity';
import { Outbox } from '@lms/jobs';
import { Clock } from '@lms/notifications';
import { EventAccess } from './event-access.service.js';
import { EventRepository, EventRow } from './event.repository.js';
import { CancellationDeadlinePassedError, EventCancelledError, NotInAudienceError, RegistrationClosedError, RegistrationStateError } from './events.errors.js';
import type { RegistrationStatus } from './registration.entity.js';

export interface RegistrationView {
  id: string;
  eventId: string;
  eventTitle: string;
  userId: string;
  displayName: string;
  orgUnitId: string;
  status: RegistrationStatus;
  /** 1-based place on the waiting list (waitlisted only). */
  waitlistPosition: number | null;
  offerExpiresAt: Date | null;
  approverId: string | null;
  escalatedAt: Date | null;
  cancelReason: string | null;
  decisionReason: string | null;
  completedAt: Date | null;
  createdAt: Date;
}

const VIEW_SQL = `SELECT r.id, r.event_id AS "eventId", e.title AS "eventTitle", r.user_id AS "userId", u.display_name AS "displayName", u.org_unit_id AS "orgUnitId",
    r.status, r.offer_expires_at AS "offerExpiresAt", r.approver_id AS "approverId", r.escalated_at AS "escalatedAt", r.cancel_reason AS "cancelReason",
    r.decision_reason AS "decisionReason", r.completed_at AS "completedAt", r.created_at AS "createdAt",
    CASE WHEN r.status = 'waitlisted' THEN (SELECT count(*)::int FROM event_registration w WHERE w.event_id = r.event_id AND w.status = 'waitlisted'
                                              AND (w.waitlisted_at, w.id) <= (r.waitlisted_at, r.id)) END AS "waitlistPosition"
  FROM event_registration r JOIN app_user u ON u.id = r.user_id JOIN live_event e ON e.id = r.event_id`;

/**
 * Registration, waitlist, approval and cancellation. Every change to the seats of an event runs in
 * one transaction that first locks the event's row (SELECT … FOR UPDATE), then counts the seats held
 * (booked + offered) and decides: so however many people register at the same moment, exactly
 * `capacity` seats are held and the rest wait, in arrival order. A partial unique index keeps one
 * live registration per person and event: registering twice returns the same registration.
 */
@Injectable()
export class RegistrationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(EventRepository) private readonly events: EventRepository,
    @Inject(EventAccess) private readonly access: EventAccess,
    @Inject(AccessScope) private readonly scope: AccessScope,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Registers the caller, or (HR in scope of the person, an organiser) someone else. */
  async register(principal: Principal, eventId: string, userId?: string): Promise<{ registration: RegistrationView; created: boolean }> {
    const event = await this.access.mustExist(eventId);
    const target = userId ?? principal.userId;
    const self = target === principal.userId;
    const organiser = await this.access.canOrganiseUnit(principal, event.ownerOrgUnitId);
    if (!self && !organiser && !(await this.scope.canManageUser(principal, target))) throw new ForbiddenError(M.registerOnlyInScope());
    const person = await this.person(target);
    if (!person) throw new NotFoundError('User', target);
    if (event.status === 'cancelled') throw new EventCancelledError(eventId);
    const now = this.clock.now();
    if (self && !organiser) {
      if (event.registrationOpensAt && now < new Date(event.registrationOpensAt)) throw new RegistrationClosedError('not_open_yet');
      if (event.registrationClosesAt && now >= new Date(event.registrationClosesAt)) throw new RegistrationClosedError('closed');
      if (!(await this.inAudience(event, target))) throw new NotInAudienceError();
    }
    // Only a self-registration asks the manager: HR or an organiser registering someone has decided already.
    const needsApproval = self && (event.approvalMode === 'all' || (event.approvalMode === 'units' && (await this.inUnits(target, event.approvalOrgUnitIds))));
    const result = await this.dataSource.transaction(async (manager) => {
      const locked = await this.events.lock(manager, eventId);
      if (!locked) throw new NotFoundError('Event', eventId);
      if (locked.status === 'cancelled') throw new EventCancelledError(eventId);
      const existing = (await manager.query(
        `SELECT id FROM event_registration WHERE event_id = $1 AND user_id = $2 AND status IN ('pending_approval', 'booked', 'waitlisted', 'offered')`,
        [eventId, target],
      )) as Array<{ id: string }>;
      if (existing.length) return { id: existing[0].id, created: false };
      let status: RegistrationStatus;
      if (needsApproval) status = 'pending_approval';
      else status = (await this.events.seats(eventId, manager)).held < locked.capacity ? 'booked' : 'waitlisted';
      const [row] = (await manager.query(
        `INSERT INTO event_registration (event_id, user_id, status, registered_by, waitlisted_at, approver_id, approval_requested_at, escalated_at)
         VALUES ($1, $2, $3, $4, CASE WHEN $3 = 'waitlisted' THEN $5::timestamptz END, $6, CASE WHEN $3 = 'pending_approval' THEN $5::timestamptz END,
                 CASE WHEN $3 = 'pending_approval' AND $6::uuid IS NULL THEN $5::timestamptz END)
         RETURNING id`,
        // The time is taken after the lock: the waitlist order is the order in which the lock was granted.
        [eventId, target, status, principal.userId, this.clock.now().toISOString(), needsApproval ? person.managerId : null],
      )) as Array<{ id: string }>;
      await this.outbox.add(manager, 'event.registration-changed', { registrationId: row.id });
      return { id: row.id, created: true };
    });
    return { registration: await this.mustView(result.id), created: result.created };
  }

  /**
   * Cancels a registration: the person (until the cancellation deadline), HR in scope of the person,
   * or an organiser (any time, with a reason). A freed seat goes to the first person waiting.
   */
  async cancel(principal: Principal, registrationId: string, reason: string | null): Promise<RegistrationView> {
    const reg = await this.mustView(registrationId);
    const event = await this.access.mustExist(reg.eventId);
    const self = reg.userId === principal.userId;
    const privileged = (await this.access.canOrganiseUnit(principal, event.ownerOrgUnitId)) || (await this.scope.canManageUser(principal, reg.userId));
    if (!self && !privileged) throw new ForbiddenError(M.cancelOnlyInScope());
    if (self && !privileged && event.cancellationDeadline && this.clock.now() >= new Date(event.cancellationDeadline)) throw new CancellationDeadlinePassedError();
    if (reg.status === 'cancelled') return reg;
    await this.dataSource.transaction(async (manager) => {
      await this.events.lock(manager, reg.eventId);
      const [rows] = (await manager.query(
        `UPDATE event_registration SET status = 'cancelled', cancelled_at = $2::timestamptz, cancelled_by = $3, cancel_reason = $4, updated_at = now()
          WHERE id = $1 AND status IN ('pending_approval', 'booked', 'waitlisted', 'offered') RETURNING id`,
        [registrationId, this.clock.now().toISOString(), principal.userId, reason],
      )) as [Array<{ id: string }>, number];
      if (!rows.length) throw new RegistrationStateError(registrationId, reg.status, 'cancelled');
      await this.outbox.add(manager, 'event.registration-changed', { registrationId });
      await this.promote(manager, reg.eventId);
    });
    return this.mustView(registrationId);
  }

  /** The person promoted from the waitlist takes the offered seat. */
  async confirm(principal: Principal, registrationId: string): Promise<RegistrationView> {
    const reg = await this.mustView(registrationId);
    if (reg.userId !== principal.userId) throw new ForbiddenError(M.confirmOnlyOffered());
    if (reg.status === 'booked') return reg;
    await this.dataSource.transaction(async (manager) => {
      await this.events.lock(manager, reg.eventId);
      const [rows] = (await manager.query(
        `UPDATE event_registration SET status = 'booked', offer_expires_at = NULL, updated_at = now()
          WHERE id = $1 AND status = 'offered' AND offer_expires_at > $2::timestamptz RETURNING id`,
        [registrationId, this.clock.now().toISOString()],
      )) as [Array<{ id: string }>, number];
      if (!rows.length) throw new RegistrationStateError(registrationId, reg.status, 'confirmed (no open offer)');
      await this.outbox.add(manager, 'event.registration-changed', { registrationId });
    });
    return this.mustView(registrationId);
  }

  /**
   * Fills free seats from the waitlist, first come first served: each promoted person is `offered`
   * the seat until now + confirmHours. Runs inside a transaction that holds the event's lock.
   */
  async promote(manager: EntityManager, eventId: string): Promise<string[]> {
    const event = await this.events.row(eventId, manager);
    if (!event || event.status === 'cancelled') return [];
    const { held } = await this.events.seats(eventId, manager);
    const free = event.capacity - held;
    if (free <= 0) return [];
    const now = this.clock.now();
    const [rows] = (await manager.query(
      `UPDATE event_registration SET status = 'offered', offered_at = $3::timestamptz,
              offer_expires_at = $3::timestamptz + make_interval(hours => $4), updated_at = now()
        WHERE id IN (SELECT id FROM event_registration WHERE event_id = $1 AND status = 'waitlisted' ORDER BY waitlisted_at, id LIMIT $2)
        RETURNING id`,
      [eventId, free, now.toISOString(), event.confirmHours],
    )) as [Array<{ id: string }>, number];
    await this.outbox.addMany(
      manager,
      'event.registration-changed',
      rows.map((r) => ({ registrationId: r.id })),
    );
    return rows.map((r) => r.id);
  }

  /** Offers not confirmed in time expire; the seat goes to the next in line. Returns how many expired. */
  async expireOffers(): Promise<number> {
    const now = this.clock.now().toISOString();
    const events = (await this.dataSource.query(
      `SELECT DISTINCT event_id AS "eventId" FROM event_registration WHERE status = 'offered' AND offer_expires_at <= $1::timestamptz`,
      [now],
    )) as Array<{ eventId: string }>;
    let expired = 0;
    for (const { eventId } of events) {
      await this.dataSource.transaction(async (manager) => {
        await this.events.lock(manager, eventId);
        const [rows] = (await manager.query(
          `UPDATE event_registration SET status = 'expired', updated_at = now()
            WHERE event_id = $1 AND status = 'offered' AND offer_expires_at <= $2::timestamptz RETURNING id`,
          [eventId, now],
        )) as [Array<{ id: string }>, number];
        expired += rows.length;
        await this.outbox.addMany(
          manager,
          'event.registration-changed',
          rows.map((r) => ({ registrationId: r.id })),
        );
        await this.promote(manager, eventId);
      });
    }
    return expired;
  }

  /** Approval requests the caller may decide: their reports' requests, and (HR) escalated requests of people in scope. */
  async approvals(principal: Principal, query: { page: number; limit: number }): Promise<Page<RegistrationView>> {
    const hrPaths = isAdmin(principal) ? ['/'] : await this.scope.scopePaths(principal, 'hr');
    const where = `r.status = 'pending_approval' AND (r.approver_id = $1 OR (r.escalated_at IS NOT NULL AND EXISTS (
        SELECT 1 FROM org_unit o WHERE o.id = u.org_unit_id AND EXISTS (SELECT 1 FROM unnest($2::text[]) p WHERE o.path LIKE p || '%'))))`;
    const items = (await this.dataSource.query(`${VIEW_SQL} WHERE ${where} ORDER BY r.approval_requested_at, r.id OFFSET $3 LIMIT $4`, [
      principal.userId,
      hrPaths,
      (query.page - 1) * query.limit,
      query.limit,
    ])) as RegistrationView[];
    const [{ total }] = (await this.dataSource.query(
      `SELECT count(*)::int AS total FROM event_registration r JOIN app_user u ON u.id = r.user_id WHERE ${where}`,
      [principal.userId, hrPaths],
    )) as Array<{ total: number }>;
    return pageOf(items, total, query);
  }

  /** The manager (or, once escalated, HR in scope; an admin) approves — a seat or the waitlist — or declines. */
  async decide(principal: Principal, registrationId: string, approve: boolean, reason: string | null): Promise<RegistrationView> {
    const reg = await this.mustView(registrationId);
    const allowed =
      reg.approverId === principal.userId || isAdmin(principal) || (reg.escalatedAt !== null && (await this.scope.canManageUser(principal, reg.userId)));
    if (!allowed) throw new ForbiddenError(M.decideOnlyManager());
    if (reg.status !== 'pending_approval') throw new RegistrationStateError(registrationId, reg.status, approve ? 'approved' : 'declined');
    await this.dataSource.transaction(async (manager) => {
      const event = await this.events.lock(manager, reg.eventId);
      if (!event) throw new NotFoundError('Event', reg.eventId);
      const now = this.clock.now().toISOString();
      let status: RegistrationStatus = 'declined';
      if (approve) status = (await this.events.seats(reg.eventId, manager)).held < event.capacity ? 'booked' : 'waitlisted';
      const [rows] = (await manager.query(
        `UPDATE event_registration SET status = $2, decided_by = $3, decided_at = $4::timestamptz, decision_reason = $5,
                waitlisted_at = CASE WHEN $2 = 'waitlisted' THEN $4::timestamptz END, updated_at = now()
          WHERE id = $1 AND status = 'pending_approval' RETURNING id`,
        [registrationId, status, principal.userId, now, reason],
      )) as [Array<{ id: string }>, number];
      if (!rows.length) throw new RegistrationStateError(registrationId, reg.status, approve ? 'approved' : 'declined');
      await this.outbox.add(manager, 'event.registration-changed', { registrationId });
    });
    return this.mustView(registrationId);
  }

  /** Requests without a decision after the event's escalation days go to HR (stamped once, with a notice). */
  async escalate(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [rows] = (await manager.query(
        `UPDATE event_registration r SET escalated_at = $1::timestamptz, updated_at = now()
           FROM live_event e
          WHERE e.id = r.event_id AND r.status = 'pending_approval' AND r.escalated_at IS NULL
            AND r.approval_requested_at + make_interval(days => e.approval_escalate_after_days) <= $1::timestamptz
          RETURNING r.id`,
        [this.clock.now().toISOString()],
      )) as [Array<{ id: string }>, number];
      await this.outbox.addMany(
        manager,
        'event.registration-changed',
        rows.map((r) => ({ registrationId: r.id })),
      );
      return rows.length;
    });
  }

  /** The event's registrations for organisers and trainers, by status then arrival. */
  async listForEvent(principal: Principal, eventId: string, query: { page: number; limit: number; status?: RegistrationStatus }): Promise<Page<RegistrationView>> {
    await this.access.run(principal, eventId);
    const items = (await this.dataSource.query(
      `${VIEW_SQL} WHERE r.event_id = $1 AND ($2::text IS NULL OR r.status = $2)
        ORDER BY array_position(ARRAY['booked','offered','pending_approval','waitlisted','cancelled','declined','expired'], r.status), r.waitlisted_at NULLS FIRST, r.created_at, r.id
        OFFSET $3 LIMIT $4`,
      [eventId, query.status ?? null, (query.page - 1) * query.limit, query.limit],
    )) as RegistrationView[];
    const [{ total }] = (await this.dataSource.query(
      `SELECT count(*)::int AS total FROM event_registration r WHERE r.event_id = $1 AND ($2::text IS NULL OR r.status = $2)`,
      [eventId, query.status ?? null],
    )) as Array<{ total: number }>;
    return pageOf(items, total, query);
  }

  async mine(principal: Principal, query: { page: number; limit: number }): Promise<Page<RegistrationView>> {
    const items = (await this.dataSource.query(`${VIEW_SQL} WHERE r.user_id = $1 ORDER BY r.created_at DESC, r.id OFFSET $2 LIMIT $3`, [
      principal.userId,
      (query.page - 1) * query.limit,
      query.limit,
    ])) as RegistrationView[];
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM event_registration WHERE user_id = $1`, [principal.userId])) as Array<{
      total: number;
    }>;
    return pageOf(items, total, query);
  }

  /** My registration for one event: the live one, else the latest (cancelled, declined, expired); null when none. */
  async mineForEvent(principal: Principal, eventId: string): Promise<RegistrationView | null> {
    const rows = (await this.dataSource.query(
      `${VIEW_SQL} WHERE r.user_id = $1 AND r.event_id = $2
        ORDER BY (r.status IN ('pending_approval', 'booked', 'waitlisted', 'offered')) DESC, r.created_at DESC, r.id LIMIT 1`,
      [principal.userId, eventId],
    )) as RegistrationView[];
    return rows[0] ?? null;
  }

  /** One registration: the person, HR in scope, the organisers and trainers. */
  async get(principal: Principal, registrationId: string): Promise<RegistrationView> {
    const reg = await this.mustView(registrationId);
    if (reg.userId === principal.userId || reg.approverId === principal.userId || (await this.scope.canManageUser(principal, reg.userId))) return reg;
    await this.access.run(principal, reg.eventId);
    return reg;
  }

  async view(id: string): Promise<RegistrationView | null> {
    const rows = (await this.dataSource.query(`${VIEW_SQL} WHERE r.id = $1`, [id])) as RegistrationView[];
    return rows[0] ?? null;
  }

  async mustView(id: string): Promise<RegistrationView> {
    const v = await this.view(id);
    if (!v) throw new NotFoundError('Registration', id);
    return v;
  }

  private async person(userId: string): Promise<{ managerId: string | null } | null> {
    const rows = (await this.dataSource.query(`SELECT manager_id AS "managerId" FROM app_user WHERE id = $1 AND status = 'active'`, [userId])) as Array<{
      managerId: string | null;
    }>;
    return rows[0] ?? null;
  }

  private async inUnits(userId: string, unitIds: string[]): Promise<boolean> {
    if (!unitIds.length) return false;
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id
        WHERE u.id = $1 AND EXISTS (SELECT 1 FROM org_unit a WHERE a.id = ANY($2::uuid[]) AND o.path LIKE a.path || '%')`,
      [userId, unitIds],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Empty audience = everyone; otherwise the person matches every dimension that is set. */
  private async inAudience(event: EventRow, userId: string): Promise<boolean> {
    const a = event.audience ?? {};
    if (a.orgUnitIds?.length && !(await this.inUnits(userId, a.orgUnitIds))) return false;
    if (a.jobRoleCodes?.length) {
      const rows = (await this.dataSource.query(`SELECT 1 FROM app_user WHERE id = $1 AND job_role_code = ANY($2::text[])`, [userId, a.jobRoleCodes])) as unknown[];
      if (!rows.length) return false;
    }
    if (a.countryCodes?.length) {
      const rows = (await this.dataSource.query(
        `SELECT 1 FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id
          WHERE u.id = $1 AND EXISTS (SELECT 1 FROM org_unit c WHERE c.kind = 'country' AND c.code = ANY($2::text[]) AND o.path LIKE c.path || '%')`,
        [userId, a.countryCodes],
      )) as unknown[];
      if (!rows.length) return false;
    }
    return true;
  }
}
