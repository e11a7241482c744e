import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ApprovalMode, EventAudience, EventStatus } from './event.entity.js';

export interface SessionView {
  id: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  venueName: string | null;
  venueAddress: string | null;
  onlineUrl: string | null;
  roomCapacity: number | null;
  status: EventStatus;
}

export interface TrainerView {
  userId: string | null;
  name: string;
}

export interface EventRow {
  id: string;
  title: string;
  description: string;
  language: string;
  ownerOrgUnitId: string;
  courseId: string | null;
  courseSlug: string | null;
  lessonSlug: string | null;
  capacity: number;
  registrationOpensAt: Date | null;
  registrationClosesAt: Date | null;
  cancellationDeadline: Date | null;
  approvalMode: ApprovalMode;
  approvalOrgUnitIds: string[];
  approvalEscalateAfterDays: number;
  audience: EventAudience;
  attendanceRulePercent: number;
  confirmHours: number;
  reminderOffsetsDays: number[];
  commitmentReminderMonths: number[];
  status: EventStatus;
  createdBy: string | null;
  createdAt: Date;
}

export interface EventView extends Omit<EventRow, 'courseId' | 'approvalMode' | 'approvalOrgUnitIds' | 'approvalEscalateAfterDays'> {
  approval: { mode: ApprovalMode; orgUnitIds: string[]; escalateAfterDays: number };
  sessions: SessionView[];
  trainers: TrainerView[];
  seats: { capacity: number; held: number; available: number; waitlisted: number; pendingApproval: number };
}

const EVENT_COLUMNS = `e.id, e.title, e.description, e.language, e.owner_org_unit_id AS "ownerOrgUnitId", e.course_id AS "courseId", c.slug AS "courseSlug",
  e.lesson_slug AS "lessonSlug", e.capacity, e.registration_opens_at AS "registrationOpensAt", e.registration_closes_at AS "registrationClosesAt",
  e.cancellation_deadline AS "cancellationDeadline", e.approval_mode AS "approvalMode", e.approval_org_unit_ids::text[] AS "approvalOrgUnitIds",
  e.approval_escalate_after_days AS "approvalEscalateAfterDays", e.audience, e.attendance_rule_percent AS "attendanceRulePercent",
  e.confirm_hours AS "confirmHours", e.reminder_offsets_days AS "reminderOffsetsDays", e.commitment_reminder_months AS "commitmentReminderMonths",
  e.status, e.created_by AS "createdBy", e.created_at AS "createdAt"`;

const SESSION_COLUMNS = `id, starts_at AS "startsAt", ends_at AS "endsAt", time_zone AS "timeZone", venue_name AS "venueName", venue_address AS "venueAddress",
  online_url AS "onlineUrl", room_capacity AS "roomCapacity", status`;

/** Reads and writes of events, sessions and trainers (set-based SQL). */
@Injectable()
export class EventRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async row(id: string, manager: EntityManager = this.dataSource.manager): Promise<EventRow | null> {
    const rows = (await manager.query(`SELECT ${EVENT_COLUMNS} FROM live_event e LEFT JOIN course c ON c.id = e.course_id WHERE e.id = $1`, [id])) as EventRow[];
    return rows[0] ?? null;
  }

  /** Locks the event row: seat allocation for one event runs one transaction at a time. */
  async lock(manager: EntityManager, id: string): Promise<EventRow | null> {
    const rows = (await manager.query(`SELECT id FROM live_event WHERE id = $1 FOR UPDATE`, [id])) as Array<{ id: string }>;
    return rows.length ? this.row(id, manager) : null;
  }

  async sessions(eventId: string, manager: EntityManager = this.dataSource.manager): Promise<SessionView[]> {
    return (await manager.query(`SELECT ${SESSION_COLUMNS} FROM event_session WHERE event_id = $1 ORDER BY starts_at, id`, [eventId])) as SessionView[];
  }

  async session(sessionId: string): Promise<(SessionView & { eventId: string }) | null> {
    const rows = (await this.dataSource.query(`SELECT ${SESSION_COLUMNS}, event_id AS "eventId" FROM event_session WHERE id = $1`, [sessionId])) as Array<
      SessionView & { eventId: string }
    >;
    return rows[0] ?? null;
  }

  async trainers(eventId: string): Promise<TrainerView[]> {
    return (await this.dataSource.query(
      `SELECT t.user_id AS "userId", COALESCE(u.display_name, t.external_name) AS name
         FROM event_trainer t LEFT JOIN app_user u ON u.id = t.user_id WHERE t.event_id = $1 ORDER BY name`,
      [eventId],
    )) as TrainerView[];
  }

  async isTrainer(eventId: string, userId: string): Promise<boolean> {
    const rows = (await this.dataSource.query(`SELECT 1 FROM event_trainer WHERE event_id = $1 AND user_id = $2`, [eventId, userId])) as unknown[];
    return rows.length > 0;
  }

  async seats(eventId: string, manager: EntityManager = this.dataSource.manager): Promise<{ held: number; waitlisted: number; pendingApproval: number }> {
    const [r] = (await manager.query(
      `SELECT count(*) FILTER (WHERE status IN ('booked', 'offered'))::int AS held,
              count(*) FILTER (WHERE status = 'waitlisted')::int AS waitlisted,
              count(*) FILTER (WHERE status = 'pending_approval')::int AS "pendingApproval"
         FROM event_registration WHERE event_id = $1`,
      [eventId],
    )) as Array<{ held: number; waitlisted: number; pendingApproval: number }>;
    return r;
  }

  async view(id: string): Promise<EventView | null> {
    const row = await this.row(id);
    if (!row) return null;
    const [sessions, trainers, seats] = await Promise.all([this.sessions(id), this.trainers(id), this.seats(id)]);
    const { courseId: _c, approvalMode, approvalOrgUnitIds, approvalEscalateAfterDays, ...rest } = row;
    return {
      ...rest,
      approval: { mode: approvalMode, orgUnitIds: approvalOrgUnitIds, escalateAfterDays: approvalEscalateAfterDays },
      sessions,
      trainers,
      seats: { capacity: row.capacity, held: seats.held, available: Math.max(0, row.capacity - seats.held), waitlisted: seats.waitlisted, pendingApproval: seats.pendingApproval },
    };
  }

  /** Events, soonest first session first; `ownerPaths` limits to events owned inside those subtrees (null: all). */
  async list(opts: {
    offset: number;
    limit: number;
    ownerPaths: string[] | null;
    upcomingOnly: boolean;
    now: Date;
    trainerId?: string;
    /** Only events whose audience includes this person (the SQL form of RegistrationService's audience rule). */
    audienceUserId?: string;
  }): Promise<{ ids: string[]; total: number }> {
    const where = `(($1::text[] IS NULL OR EXISTS (SELECT 1 FROM org_unit o WHERE o.id = e.owner_org_unit_id AND EXISTS (SELECT 1 FROM unnest($1::text[]) p WHERE o.path LIKE p || '%')))
        OR ($4::uuid IS NOT NULL AND EXISTS (SELECT 1 FROM event_trainer t WHERE t.event_id = e.id AND t.user_id = $4::uuid)))
      AND ($2::boolean = false OR (e.status = 'scheduled' AND EXISTS (SELECT 1 FROM event_session s WHERE s.event_id = e.id AND s.ends_at > $3::timestamptz)))
      AND ($5::uuid IS NULL OR EXISTS (
        SELECT 1 FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id
         WHERE u.id = $5::uuid
           AND (jsonb_typeof(e.audience -> 'orgUnitIds') IS DISTINCT FROM 'array' OR jsonb_array_length(e.audience -> 'orgUnitIds') = 0
                OR EXISTS (SELECT 1 FROM org_unit a WHERE a.id::text IN (SELECT jsonb_array_elements_text(e.audience -> 'orgUnitIds')) AND o.path LIKE a.path || '%'))
           AND (jsonb_typeof(e.audience -> 'jobRoleCodes') IS DISTINCT FROM 'array' OR jsonb_array_length(e.audience -> 'jobRoleCodes') = 0
                OR u.job_role_code IN (SELECT jsonb_array_elements_text(e.audience -> 'jobRoleCodes')))
           AND (jsonb_typeof(e.audience -> 'countryCodes') IS DISTINCT FROM 'array' OR jsonb_array_length(e.audience -> 'countryCodes') = 0
                OR EXISTS (SELECT 1 FROM org_unit c WHERE c.kind = 'country' AND c.code IN (SELECT jsonb_array_elements_text(e.audience -> 'countryCodes')) AND o.path LIKE c.path || '%'))))`;
    const params = [opts.ownerPaths, opts.upcomingOnly, opts.now.toISOString(), opts.trainerId ?? null, opts.audienceUserId ?? null];
    const rows = (await this.dataSource.query(
      `SELECT e.id FROM live_event e WHERE ${where}
        ORDER BY (SELECT min(s.starts_at) FROM event_session s WHERE s.event_id = e.id) NULLS LAST, e.id OFFSET $6 LIMIT $7`,
      [...params, opts.offset, opts.limit],
    )) as Array<{ id: string }>;
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM live_event e WHERE ${where}`, params)) as Array<{ total: number }>;
    return { ids: rows.map((r) => r.id), total };
  }

  async replaceTrainers(manager: EntityManager, eventId: string, trainers: Array<{ userId?: string | null; externalName?: string | null }>): Promise<void> {
    await manager.query(`DELETE FROM event_trainer WHERE event_id = $1`, [eventId]);
    if (!trainers.length) return;
    await manager.query(
      `INSERT INTO event_trainer (event_id, user_id, external_name)
       SELECT $1, t.user_id, t.external_name FROM jsonb_to_recordset($2::jsonb) AS t(user_id uuid, external_name text)`,
      [eventId, JSON.stringify(trainers.map((t) => ({ user_id: t.userId ?? null, external_name: t.externalName ?? null })))],
    );
  }

  async insertSessions(manager: EntityManager, eventId: string, sessions: Array<Omit<SessionView, 'id' | 'status'>>): Promise<void> {
    if (!sessions.length) return;
    await manager.query(
      `INSERT INTO event_session (event_id, starts_at, ends_at, time_zone, venue_name, venue_address, online_url, room_capacity)
       SELECT $1, t.starts_at, t.ends_at, t.time_zone, t.venue_name, t.venue_address, t.online_url, t.room_capacity
         FROM jsonb_to_recordset($2::jsonb) AS t(starts_at timestamptz, ends_at timestamptz, time_zone text, venue_name text, venue_address text, online_url text, room_capacity int)`,
      [
        eventId,
        JSON.stringify(
          sessions.map((s) => ({
            starts_at: s.startsAt.toISOString(),
            ends_at: s.endsAt.toISOString(),
            time_zone: s.timeZone,
            venue_name: s.venueName,
            venue_address: s.venueAddress,
            online_url: s.onlineUrl,
            room_capacity: s.roomCapacity,
          })),
        ),
      ],
    );
  }

  /** User ids among `ids` that exist. */
  async existingUsers(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = (await this.dataSource.query(`SELECT id FROM app_user WHERE id = ANY($1::uuid[])`, [ids])) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  async existingUnits(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = (await this.dataSource.query(`SELECT id FROM org_unit WHERE id = ANY($1::uuid[])`, [ids])) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  /** Units under any of the path prefixes (null = every unit), in tree order: the units an organiser may own events for. */
  async unitsUnder(prefixes: string[] | null, limit: number): Promise<Array<{ id: string; code: string; name: string; depth: number }>> {
    if (prefixes && !prefixes.length) return [];
    return (await this.dataSource.query(
      `SELECT id, code, name, array_length(string_to_array(trim(both '/' from path), '/'), 1) AS depth FROM org_unit
        WHERE $1::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($1::text[]) p WHERE path LIKE p || '%')
        ORDER BY path LIMIT $2`,
      [prefixes, limit],
    )) as Array<{ id: string; code: string; name: string; depth: number }>;
  }

  /** Unit codes to ids (unknown codes are left out). */
  async unitIdsByCode(codes: string[]): Promise<Map<string, string>> {
    if (!codes.length) return new Map();
    const rows = (await this.dataSource.query(`SELECT id, code FROM org_unit WHERE code = ANY($1::text[])`, [codes])) as Array<{ id: string; code: string }>;
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  /** Unit ids to codes (for showing an audience in a form). */
  async unitCodes(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = (await this.dataSource.query(`SELECT code FROM org_unit WHERE id = ANY($1::uuid[]) ORDER BY code`, [ids])) as Array<{ code: string }>;
    return rows.map((r) => r.code);
  }

  /** The published course and whether its latest published version has the lesson; the course's school. */
  async courseForLink(slug: string, lessonSlug: string): Promise<{ courseId: string; schoolOrgUnitId: string; hasLesson: boolean } | null> {
    const rows = (await this.dataSource.query(
      `SELECT c.id AS "courseId", c.school_org_unit_id AS "schoolOrgUnitId",
              EXISTS (SELECT 1 FROM lesson l WHERE l.course_version_id = v.id AND l.slug = $2) AS "hasLesson"
         FROM course c
         JOIN LATERAL (SELECT id FROM course_version WHERE course_id = c.id AND status = 'published' ORDER BY version DESC LIMIT 1) v ON true
        WHERE c.slug = $1`,
      [slug, lessonSlug],
    )) as Array<{ courseId: string; schoolOrgUnitId: string; hasLesson: boolean }>;
    return rows[0] ?? null;
  }
}
