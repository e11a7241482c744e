import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { type TitleSource, withCourseTitle } from './course-title.js';
import type { ReminderPolicy } from './reminder-policy.js';

/**
 * The people whose morning it is, as lists of time-zone names (the values of app_user.time_zone)
 * computed once per run: `zones` are those whose local time is inside the window; `unknown` are
 * the names among them PostgreSQL does not know, which count as UTC. Statements filter with
 * `time_zone = ANY(zones)` (well estimated from the column's statistics) and convert with
 * AT TIME ZONE only in their select lists, so an unknown name never reaches AT TIME ZONE.
 */
export interface MorningZones {
  zones: string[];
  unknown: string[];
}

/** The zone to convert with, for a row of app_user `u`; `$unknown` is the parameter holding MorningZones.unknown. */
const zoneOf = (unknownParam: string): string => `CASE WHEN u.time_zone = ANY(${unknownParam}::text[]) THEN 'UTC' ELSE u.time_zone END`;

/** For a countdown series, element [d + 1] is the milestone that applies d days before the date (or NULL). */
export function milestoneLookup(milestones: readonly number[]): Array<number | null> {
  const max = Math.max(0, ...milestones);
  const out: Array<number | null> = [];
  for (let d = 0; d <= max; d++) {
    let best: number | null = null;
    for (const m of milestones) if (m >= d && (best === null || m < best)) best = m;
    out.push(best);
  }
  return out;
}

export interface Recipient {
  id: string;
  email: string;
  displayName: string;
  locale: string;
  emailOn: boolean;
  /** The recipient's local date now. */
  today: string;
}

export interface PendingLine {
  id: string;
  recipientId: string;
  kind: string;
  dueDate: string;
  mandatory: boolean;
  courseSlug: string;
  courseTitle: string;
  learnerName: string;
  /** False when the enrolment has since been completed or withdrawn (the line is dropped). */
  stillActive: boolean;
}

export interface PendingEvent {
  id: string;
  userId: string;
  title: string;
  body: string;
  link: string | null;
}

/**
 * The reminder table and the set-based SQL of the sweep. Every rule here mirrors
 * reminder-policy.ts (the e2e tests compare the two).
 */
@Injectable()
export class ReminderRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** PostgreSQL's time-zone names, read once per process (pg_timezone_names is slow to scan). */
  private knownZones?: Promise<Set<string>>;

  private async known(manager: EntityManager): Promise<Set<string>> {
    this.knownZones ??= (manager.query(`SELECT name FROM pg_timezone_names`) as Promise<Array<{ name: string }>>).then((rows) => new Set(rows.map((r) => r.name)));
    try {
      return await this.knownZones;
    } catch (e) {
      this.knownZones = undefined;
      throw e;
    }
  }

  /** The time zones in use whose local time at `now` is inside the morning window (two small queries per run). */
  async morningZones(now: Date, policy: ReminderPolicy, manager: EntityManager = this.dataSource.manager): Promise<MorningZones> {
    const used = ((await manager.query(`SELECT DISTINCT time_zone AS zone FROM app_user`)) as Array<{ zone: string }>).map((r) => r.zone);
    const known = await this.known(manager);
    const hours = (await manager.query(`SELECT zone, extract(hour FROM $1::timestamptz AT TIME ZONE zone)::int AS hour FROM unnest($2::text[]) AS zone`, [
      now.toISOString(),
      [...new Set([...used.filter((z) => known.has(z)), 'UTC'])],
    ])) as Array<{ zone: string; hour: number }>;
    const hourOf = new Map(hours.map((h) => [h.zone, h.hour]));
    const inWindow = (hour: number | undefined): boolean => hour !== undefined && hour >= policy.morningWindow.startHour && hour < policy.morningWindow.endHour;
    const zones = used.filter((z) => inWindow(known.has(z) ? hourOf.get(z) : hourOf.get('UTC')));
    return { zones, unknown: zones.filter((z) => !known.has(z)) };
  }

  /**
   * Records, in one INSERT … SELECT … ON CONFLICT DO NOTHING, every enrolment reminder that is
   * due for the people whose local time is inside the morning window at `now`: their own
   * due-soon and overdue reminders, and escalations of their overdue mandatory training to their
   * manager (else the HR grant holders of their unit or its nearest ancestor that has any) and to
   * HR. Returns how many were newly recorded.
   */
  async recordEnrolmentReminders(now: Date, policy: ReminderPolicy, zones?: MorningZones, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const morning = zones ?? (await this.morningZones(now, policy, manager));
    if (!morning.zones.length) return 0;
    const soon = milestoneLookup(policy.dueSoonDays);
    const maxSoon = soon.length - 1;
    const escalateFrom = Math.min(policy.escalation.managerAfterDays, policy.escalation.hrAfterDays);
    const rows = (await manager.query(
      `WITH cand AS MATERIALIZED (
         SELECT x.enrolment_id, x.user_id, x.source, x.org_unit_id, x.manager_id,
                (x.due_at AT TIME ZONE x.zone)::date AS due_date,
                (x.due_at AT TIME ZONE x.zone)::date - ($1::timestamptz AT TIME ZONE x.zone)::date AS days_left
           FROM (SELECT e.id AS enrolment_id, e.user_id, e.source, e.due_at, u.org_unit_id, u.manager_id, ${zoneOf('$5')} AS zone
                   FROM enrolment e
                   JOIN app_user u ON u.id = e.user_id
                  WHERE u.status = 'active' AND u.time_zone = ANY($4::text[])
                    AND e.status IN ('enrolled', 'in_progress')
                    AND e.due_at IS NOT NULL
                    AND e.due_at < $1::timestamptz + make_interval(days => $3::int + 2)) x
       ),
       own AS (
         SELECT * FROM (
           SELECT c.enrolment_id, c.user_id AS recipient_id, c.due_date,
                  CASE WHEN c.days_left >= 0 THEN 'due_soon:' || ($2::int[])[c.days_left + 1]
                       ELSE 'overdue:' || ($6::int + $7::int * ((-c.days_left - $6::int) / $7::int)) END AS kind
             FROM cand c
            WHERE (c.days_left BETWEEN 0 AND $3::int) OR -c.days_left >= $6::int
         ) k WHERE k.kind IS NOT NULL
       ),
       late AS MATERIALIZED (
         SELECT c.* FROM cand c
          WHERE -c.days_left >= $8::int AND (NOT $11::boolean OR c.source = 'assignment')
       ),
       hr_unit AS (
         SELECT DISTINCT ON (lu.unit_id) lu.unit_id, a.anc_id
           FROM (SELECT DISTINCT org_unit_id AS unit_id FROM late) lu
           JOIN org_unit o ON o.id = lu.unit_id
           CROSS JOIN LATERAL unnest(string_to_array(trim(both '/' from o.path), '/')::uuid[]) WITH ORDINALITY AS a(anc_id, depth)
          WHERE EXISTS (SELECT 1 FROM role_grant g JOIN app_user h ON h.id = g.user_id AND h.status = 'active'
                         WHERE g.role = 'hr' AND g.scope_org_unit_id = a.anc_id)
          ORDER BY lu.unit_id, a.depth DESC
       ),
       hr_people AS (
         SELECT hu.unit_id, g.user_id AS hr_id
           FROM hr_unit hu
           JOIN role_grant g ON g.role = 'hr' AND g.scope_org_unit_id = hu.anc_id
           JOIN app_user h ON h.id = g.user_id AND h.status = 'active'
       ),
       esc AS (
         SELECT l.enrolment_id, 'escalation_manager' AS kind, l.due_date, m.id AS recipient_id, l.user_id
           FROM late l JOIN app_user m ON m.id = l.manager_id AND m.status = 'active'
          WHERE -l.days_left >= $9::int
         UNION ALL
         SELECT l.enrolment_id, 'escalation_manager', l.due_date, hp.hr_id, l.user_id
           FROM late l JOIN hr_people hp ON hp.unit_id = l.org_unit_id
          WHERE -l.days_left >= $9::int
            AND NOT EXISTS (SELECT 1 FROM app_user m WHERE m.id = l.manager_id AND m.status = 'active')
         UNION ALL
         SELECT l.enrolment_id, 'escalation_hr', l.due_date, hp.hr_id, l.user_id
           FROM late l JOIN hr_people hp ON hp.unit_id = l.org_unit_id
          WHERE -l.days_left >= $10::int
       ),
       ins AS (
         INSERT INTO reminder (enrolment_id, kind, due_date, recipient_id, created_at)
         SELECT enrolment_id, kind, due_date, recipient_id, $1::timestamptz FROM own
         UNION ALL
         SELECT enrolment_id, kind, due_date, recipient_id, $1::timestamptz FROM esc WHERE recipient_id <> user_id
         ON CONFLICT (enrolment_id, kind, due_date, recipient_id) DO NOTHING
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM ins`,
      [
        now.toISOString(),
        soon,
        maxSoon,
        morning.zones,
        morning.unknown,
        policy.overdue.firstDay,
        policy.overdue.everyDays,
        escalateFrom,
        policy.escalation.managerAfterDays,
        policy.escalation.hrAfterDays,
        policy.escalation.mandatoryOnly,
      ],
    )) as Array<{ n: number }>;
    return rows[0]?.n ?? 0;
  }

  /** Whether the credentials domain's certificate table exists (it is created by its own migration). */
  async hasCertificates(manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const rows = (await manager.query(`SELECT to_regclass('public.certificate') IS NOT NULL AS present`)) as Array<{ present: boolean }>;
    return rows[0]?.present === true;
  }

  /**
   * Records certificate-expiry reminders for holders whose local time is in the morning window:
   * certificates not revoked, expiring within the policy's days, and not superseded by a newer
   * valid certificate for the same course. Keyed by the certificate's enrolment.
   */
  async recordCertificateReminders(now: Date, policy: ReminderPolicy, zones?: MorningZones, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const morning = zones ?? (await this.morningZones(now, policy, manager));
    if (!morning.zones.length) return 0;
    const lookup = milestoneLookup(policy.certificateExpiringDays);
    const rows = (await manager.query(
      `WITH cand AS (
         SELECT x.certificate_id, x.enrolment_id, x.user_id,
                (x.expires_at AT TIME ZONE x.zone)::date AS expires_on,
                (x.expires_at AT TIME ZONE x.zone)::date - ($1::timestamptz AT TIME ZONE x.zone)::date AS days_left
           FROM (SELECT c.id AS certificate_id, c.enrolment_id, c.user_id, c.expires_at, ${zoneOf('$5')} AS zone
                   FROM certificate c
                   JOIN app_user u ON u.id = c.user_id
                  WHERE u.status = 'active' AND u.time_zone = ANY($4::text[])
                    AND c.revoked_at IS NULL
                    AND c.expires_at > $1::timestamptz
                    AND c.expires_at < $1::timestamptz + make_interval(days => $3::int + 2)
                    AND NOT EXISTS (SELECT 1 FROM certificate n
                                     WHERE n.user_id = c.user_id AND n.course_id = c.course_id
                                       AND n.issued_at > c.issued_at AND n.revoked_at IS NULL)) x
       ),
       ins AS (
         INSERT INTO reminder (enrolment_id, certificate_id, kind, due_date, recipient_id, created_at)
         SELECT enrolment_id, certificate_id, 'certificate_expiring:' || ($2::int[])[days_left + 1], expires_on, user_id, $1::timestamptz
           FROM cand WHERE days_left BETWEEN 0 AND $3::int AND ($2::int[])[days_left + 1] IS NOT NULL
         ON CONFLICT (enrolment_id, kind, due_date, recipient_id) DO NOTHING
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM ins`,
      [now.toISOString(), lookup, lookup.length - 1, morning.zones, morning.unknown],
    )) as Array<{ n: number }>;
    return rows[0]?.n ?? 0;
  }

  /** What a certificate-expiry reminder needs to know about one certificate (null when it does not exist). */
  async certificateFacts(
    certificateId: string,
  ): Promise<{ enrolmentId: string; userId: string; expiresAt: Date | null; revoked: boolean; superseded: boolean; timeZone: string } | null> {
    const rows = (await this.dataSource.query(
      `SELECT c.enrolment_id AS "enrolmentId", c.user_id AS "userId", c.expires_at AS "expiresAt", c.revoked_at IS NOT NULL AS revoked,
              EXISTS (SELECT 1 FROM certificate n WHERE n.user_id = c.user_id AND n.course_id = c.course_id
                        AND n.issued_at > c.issued_at AND n.revoked_at IS NULL) AS superseded,
              u.time_zone AS "timeZone"
         FROM certificate c JOIN app_user u ON u.id = c.user_id AND u.status = 'active'
        WHERE c.id = $1`,
      [certificateId],
    )) as Array<{ enrolmentId: string; userId: string; expiresAt: Date | null; revoked: boolean; superseded: boolean; timeZone: string }>;
    return rows[0] ?? null;
  }

  /** Records one reminder (ON CONFLICT DO NOTHING); true when it is new. */
  async recordOne(r: { enrolmentId: string; certificateId: string | null; kind: string; dueDate: string; recipientId: string }, now: Date): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `INSERT INTO reminder (enrolment_id, certificate_id, kind, due_date, recipient_id, created_at)
       VALUES ($1, $2, $3, $4::date, $5, $6::timestamptz)
       ON CONFLICT (enrolment_id, kind, due_date, recipient_id) DO NOTHING
       RETURNING id`,
      [r.enrolmentId, r.certificateId, r.kind, r.dueDate, r.recipientId, now.toISOString()],
    )) as unknown[];
    return rows.length > 0;
  }

  /**
   * The next batch (by id) of people whose morning it is and who have something for a digest:
   * reminder lines not yet delivered, or event notifications waiting for the digest e-mail.
   */
  async recipientsInWindow(now: Date, zones: MorningZones, afterId: string | null, limit: number): Promise<Recipient[]> {
    if (!zones.zones.length) return [];
    return (await this.dataSource.query(
      `WITH pending AS (
         SELECT recipient_id AS user_id FROM reminder WHERE notification_id IS NULL
         UNION
         SELECT user_id FROM notification WHERE email_pending
       )
       SELECT u.id, u.email, u.display_name AS "displayName", u.locale,
              COALESCE(p.email, true) AS "emailOn",
              to_char($1::timestamptz AT TIME ZONE ${zoneOf('$3')}, 'YYYY-MM-DD') AS today
         FROM pending
         JOIN app_user u ON u.id = pending.user_id AND u.status = 'active' AND u.time_zone = ANY($2::text[])
         LEFT JOIN notification_preference p ON p.user_id = u.id
        WHERE ($4::uuid IS NULL OR u.id > $4::uuid)
        ORDER BY u.id
        LIMIT $5`,
      [now.toISOString(), zones.zones, zones.unknown, afterId, limit],
    )) as Recipient[];
  }

  /** Undelivered reminder lines of these recipients, with what a digest line shows, in each recipient's language. */
  async pendingLines(recipientIds: string[]): Promise<PendingLine[]> {
    return withCourseTitle((await this.dataSource.query(
      `SELECT r.id, r.recipient_id AS "recipientId", r.kind, to_char(r.due_date, 'YYYY-MM-DD') AS "dueDate",
              e.source = 'assignment' AS mandatory, c.slug AS "courseSlug",
              cv.title AS "courseTitles", cv.default_language AS "defaultLanguage", ru.locale,
              lu.display_name AS "learnerName",
              (r.certificate_id IS NOT NULL OR e.status IN ('enrolled', 'in_progress')) AS "stillActive"
         FROM reminder r
         JOIN app_user ru ON ru.id = r.recipient_id
         JOIN enrolment e ON e.id = r.enrolment_id
         JOIN app_user lu ON lu.id = e.user_id
         JOIN course c ON c.id = e.course_id
         JOIN course_version cv ON cv.id = e.course_version_id
        WHERE r.recipient_id = ANY($1::uuid[]) AND r.notification_id IS NULL
        ORDER BY r.recipient_id, r.due_date, r.kind, lu.display_name`,
      [recipientIds],
    )) as Array<TitleSource & Omit<PendingLine, 'courseTitle'>>).map(({ locale: _locale, ...line }) => line);
  }

  /** Event notifications of these people that wait for their daily digest e-mail. */
  async pendingEvents(userIds: string[]): Promise<PendingEvent[]> {
    return (await this.dataSource.query(
      `SELECT id, user_id AS "userId", title, body, link FROM notification
        WHERE user_id = ANY($1::uuid[]) AND email_pending ORDER BY user_id, created_at`,
      [userIds],
    )) as PendingEvent[];
  }

  /** Marks lines as delivered in the given digests (only lines still pending). */
  async attachLines(manager: EntityManager, lineIds: string[], notificationIds: string[]): Promise<number> {
    if (!lineIds.length) return 0;
    const [, count] = (await manager.query(
      `UPDATE reminder r SET notification_id = x.nid
         FROM unnest($1::uuid[], $2::uuid[]) AS x(id, nid)
        WHERE r.id = x.id AND r.notification_id IS NULL`,
      [lineIds, notificationIds],
    )) as [unknown, number];
    return count;
  }

  /** Lines about enrolments that were completed or withdrawn before the digest: nothing to say any more. */
  async dropLines(manager: EntityManager, lineIds: string[]): Promise<void> {
    if (lineIds.length) await manager.query(`DELETE FROM reminder WHERE id = ANY($1::uuid[]) AND notification_id IS NULL`, [lineIds]);
  }
}
