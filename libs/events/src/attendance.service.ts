import { createHmac, timingSafeEqual } from 'node:crypto';
import { EVENT_MESSAGES as M } from './events.errors.js';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig, ForbiddenError, NotFoundError, Principal, ValidationError, fieldError } from '@lms/platform';
import { Outbox } from '@lms/jobs';
import { EventAccess } from './event-access.service.js';
import { EventRepository } from './event.repository.js';
import { attendanceRuleMet, attendanceShare } from './attendance-rules.js';
import { InvalidCheckInTokenError } from './events.errors.js';
import type { AttendanceStatus } from './registration.entity.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A typed short code: upper case, without spaces or dashes, with the letters people confuse read as digits. */
export function normaliseShortCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

export interface AttendanceRow {
  registrationId: string;
  userId: string;
  displayName: string;
  orgUnitId: string;
  status: AttendanceStatus | null;
  via: 'list' | 'qr' | null;
  markedAt: Date | null;
}

/**
 * Attendance per session, marked by a trainer or an organiser from the list (many at once, on a
 * phone) or by scanning the participant's QR code. The check-in code is `<registrationId>.<mac>`:
 * an HMAC of the registration id under a server key, so nothing is stored and a trainer's phone can
 * send it as soon as it has a link. Each mark re-applies the attendance rule inside the same
 * transaction; the first time it is met, `completed_at` is stamped (conditional update) and
 * `event.attendance-completed` is written to the outbox — exactly once per registration.
 */
@Injectable()
export class AttendanceService {
  private readonly key: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(EventRepository) private readonly events: EventRepository,
    @Inject(EventAccess) private readonly access: EventAccess,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.key = createHmac('sha256', config.jwtSecret).update('lms:event-check-in:v1').digest();
  }

  checkInToken(registrationId: string): string {
    return `${registrationId}.${createHmac('sha256', this.key).update(registrationId).digest('base64url')}`;
  }

  /**
   * The short code printed under the QR code, typed in when a scan fails: ten characters of another
   * HMAC of the registration id (Crockford base32, shown as two groups of five). It is only looked up
   * among the booked people of one event, by someone who runs it, so 50 bits are plenty.
   */
  shortCode(registrationId: string): string {
    const mac = createHmac('sha256', this.key).update(`short:${registrationId}`).digest();
    let bits = 0n;
    for (const b of mac.subarray(0, 7)) bits = (bits << 8n) | BigInt(b);
    let out = '';
    for (let i = 0; i < 10; i++) out += CROCKFORD[Number((bits >> BigInt(5 * i)) & 31n)];
    return out;
  }

  /** The participant's own check-in code (and the text a QR code should carry), with the short code and the event. */
  async myCheckIn(principal: Principal, registrationId: string): Promise<{ registrationId: string; eventId: string; token: string; shortCode: string }> {
    const rows = (await this.dataSource.query(`SELECT user_id AS "userId", event_id AS "eventId", status FROM event_registration WHERE id = $1`, [registrationId])) as Array<{
      userId: string;
      eventId: string;
      status: string;
    }>;
    if (!rows.length) throw new NotFoundError('Registration', registrationId);
    if (rows[0].userId !== principal.userId) throw new ForbiddenError(M.notYourRegistration());
    if (rows[0].status !== 'booked') throw new ForbiddenError(M.checkInOnlyBooked());
    return { registrationId, eventId: rows[0].eventId, token: this.checkInToken(registrationId), shortCode: this.shortCode(registrationId) };
  }

  /**
   * Whose code this is, for one who runs the event (organiser or trainer; 403 otherwise, before the
   * code is looked at): a full check-in code (`<registrationId>.<mac>`) or a short code, of a booked
   * registration of THIS event; anything else is an invalid code (400). With the person's mark per session.
   */
  async resolveCheckIn(
    principal: Principal,
    eventId: string,
    code: string,
  ): Promise<{ registrationId: string; displayName: string; marks: Record<string, AttendanceStatus> }> {
    await this.access.run(principal, eventId);
    const booked = (await this.dataSource.query(
      `SELECT r.id, u.display_name AS "displayName" FROM event_registration r JOIN app_user u ON u.id = r.user_id WHERE r.event_id = $1 AND r.status = 'booked'`,
      [eventId],
    )) as Array<{ id: string; displayName: string }>;
    let found: { id: string; displayName: string } | undefined;
    if (code.includes('.')) {
      const id = this.verify(code);
      found = booked.find((b) => b.id === id);
    } else {
      const wanted = normaliseShortCode(code);
      if (wanted.length === 10) {
        const given = Buffer.from(wanted);
        found = booked.find((b) => timingSafeEqual(Buffer.from(this.shortCode(b.id)), given));
      }
    }
    if (!found) throw new InvalidCheckInTokenError();
    const marks = (await this.dataSource.query(`SELECT session_id AS "sessionId", status FROM event_attendance WHERE registration_id = $1`, [found.id])) as Array<{
      sessionId: string;
      status: AttendanceStatus;
    }>;
    return { registrationId: found.id, displayName: found.displayName, marks: Object.fromEntries(marks.map((m) => [m.sessionId, m.status])) };
  }

  /** Marks present the person a full or short check-in code stands for (as a scan: via QR). */
  async checkInByCode(principal: Principal, eventId: string, sessionId: string, code: string): Promise<{ registrationId: string; displayName: string }> {
    const who = await this.resolveCheckIn(principal, eventId, code);
    await this.sessionOf(eventId, sessionId);
    await this.record(principal, eventId, sessionId, [{ registrationId: who.registrationId, status: 'present' }], 'qr');
    return { registrationId: who.registrationId, displayName: who.displayName };
  }

  async list(principal: Principal, eventId: string, sessionId: string): Promise<AttendanceRow[]> {
    await this.access.run(principal, eventId);
    await this.sessionOf(eventId, sessionId);
    return (await this.dataSource.query(
      `SELECT r.id AS "registrationId", r.user_id AS "userId", u.display_name AS "displayName", u.org_unit_id AS "orgUnitId",
              a.status, a.via, a.marked_at AS "markedAt"
         FROM event_registration r JOIN app_user u ON u.id = r.user_id
         LEFT JOIN event_attendance a ON a.registration_id = r.id AND a.session_id = $2
        WHERE r.event_id = $1 AND r.status = 'booked'
        ORDER BY u.display_name, r.id`,
      [eventId, sessionId],
    )) as AttendanceRow[];
  }

  /** Marks many at once; every registration must be booked for the event. */
  async mark(principal: Principal, eventId: string, sessionId: string, marks: Array<{ registrationId: string; status: AttendanceStatus }>): Promise<AttendanceRow[]> {
    await this.access.run(principal, eventId);
    await this.sessionOf(eventId, sessionId);
    await this.record(principal, eventId, sessionId, marks, 'list');
    return this.list(principal, eventId, sessionId);
  }

  /** A trainer scanned a participant's QR code: present. Idempotent. */
  async checkIn(principal: Principal, eventId: string, sessionId: string, token: string): Promise<{ registrationId: string; displayName: string; status: AttendanceStatus }> {
    await this.access.run(principal, eventId);
    await this.sessionOf(eventId, sessionId);
    const registrationId = this.verify(token);
    await this.record(principal, eventId, sessionId, [{ registrationId, status: 'present' }], 'qr');
    const [row] = (await this.dataSource.query(`SELECT u.display_name AS "displayName" FROM event_registration r JOIN app_user u ON u.id = r.user_id WHERE r.id = $1`, [
      registrationId,
    ])) as Array<{ displayName: string }>;
    return { registrationId, displayName: row.displayName, status: 'present' };
  }

  /** Per registration: marks and share, for the summary page and reports. */
  async summary(principal: Principal, eventId: string): Promise<Array<{ registrationId: string; userId: string; displayName: string; share: number; completed: boolean }>> {
    await this.access.run(principal, eventId);
    const sessions = (await this.events.sessions(eventId)).filter((s) => s.status === 'scheduled');
    const rows = (await this.dataSource.query(
      `SELECT r.id AS "registrationId", r.user_id AS "userId", u.display_name AS "displayName", r.completed_at IS NOT NULL AS completed,
              COALESCE(array_agg(a.status) FILTER (WHERE a.status IS NOT NULL), '{}') AS marks
         FROM event_registration r JOIN app_user u ON u.id = r.user_id
         LEFT JOIN event_attendance a ON a.registration_id = r.id AND a.session_id = ANY($2::uuid[])
        WHERE r.event_id = $1 AND r.status = 'booked'
        GROUP BY r.id, u.display_name ORDER BY u.display_name`,
      [eventId, sessions.map((s) => s.id)],
    )) as Array<{ registrationId: string; userId: string; displayName: string; completed: boolean; marks: AttendanceStatus[] }>;
    return rows.map((r) => ({ registrationId: r.registrationId, userId: r.userId, displayName: r.displayName, share: attendanceShare(r.marks, sessions.length), completed: r.completed }));
  }

  private verify(token: string): string {
    const [id, mac] = token.split('.');
    if (!id || !mac || !/^[0-9a-f-]{36}$/.test(id)) throw new InvalidCheckInTokenError();
    const expected = Buffer.from(this.checkInToken(id).split('.')[1]);
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new InvalidCheckInTokenError();
    return id;
  }

  private async sessionOf(eventId: string, sessionId: string): Promise<void> {
    const s = await this.events.session(sessionId);
    if (!s || s.eventId !== eventId) throw new NotFoundError('Session', sessionId);
  }

  private async record(principal: Principal, eventId: string, sessionId: string, marks: Array<{ registrationId: string; status: AttendanceStatus }>, via: 'list' | 'qr'): Promise<void> {
    if (!marks.length) return;
    await this.dataSource.transaction(async (manager) => {
      const ids = [...new Set(marks.map((m) => m.registrationId))];
      // Lock the registrations (rule evaluation below runs once per registration at a time).
      const booked = (await manager.query(
        `SELECT id FROM event_registration WHERE id = ANY($1::uuid[]) AND event_id = $2 AND status = 'booked' ORDER BY id FOR UPDATE`,
        [ids, eventId],
      )) as Array<{ id: string }>;
      const ok = new Set(booked.map((b) => b.id));
      const bad = ids.filter((i) => !ok.has(i));
      if (bad.length) {
        if (via === 'qr') throw new InvalidCheckInTokenError();
        throw new ValidationError(bad.map((b) => fieldError('marks.registrationId', M.notBooked({ id: b }))));
      }
      await manager.query(
        `INSERT INTO event_attendance (session_id, registration_id, status, via, marked_by, marked_at)
         SELECT $1, m.registration_id, m.status, $3, $4, now() FROM jsonb_to_recordset($2::jsonb) AS m(registration_id uuid, status text)
         ON CONFLICT (session_id, registration_id) DO UPDATE SET status = EXCLUDED.status, via = EXCLUDED.via, marked_by = EXCLUDED.marked_by, marked_at = now()`,
        [sessionId, JSON.stringify(marks.map((m) => ({ registration_id: m.registrationId, status: m.status }))), via, principal.userId],
      );
      await this.applyRule(manager, eventId, ids);
    });
  }

  private async applyRule(manager: EntityManager, eventId: string, registrationIds: string[]): Promise<void> {
    const event = await this.events.row(eventId, manager);
    if (!event) return;
    const sessions = (await this.events.sessions(eventId, manager)).filter((s) => s.status === 'scheduled');
    const rows = (await manager.query(
      `SELECT r.id, COALESCE(array_agg(a.status) FILTER (WHERE a.status IS NOT NULL), '{}') AS marks
         FROM event_registration r LEFT JOIN event_attendance a ON a.registration_id = r.id AND a.session_id = ANY($2::uuid[])
        WHERE r.id = ANY($1::uuid[]) AND r.completed_at IS NULL GROUP BY r.id`,
      [registrationIds, sessions.map((s) => s.id)],
    )) as Array<{ id: string; marks: AttendanceStatus[] }>;
    const met = rows.filter((r) => attendanceRuleMet(r.marks, sessions.length, event.attendanceRulePercent)).map((r) => r.id);
    if (!met.length) return;
    const [stamped] = (await manager.query(
      `UPDATE event_registration SET completed_at = now(), updated_at = now() WHERE id = ANY($1::uuid[]) AND completed_at IS NULL RETURNING id`,
      [met],
    )) as [Array<{ id: string }>, number];
    await this.outbox.addMany(
      manager,
      'event.attendance-completed',
      stamped.map((s) => ({ registrationId: s.id })),
    );
  }
}
