import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessScope } from '@lms/identity';
import { AppConfig, isAdmin, type Principal } from '@lms/platform';
import { type TitleSource, withCourseTitle } from './course-title.js';
import { Clock } from './clock.js';
import { type NewNotification, NotificationRepository } from './notification.repository.js';
import { localTime } from './reminder-policy.js';
import { type EventContent, renderCommunityReply, renderEvent } from './templates/render.js';

const CHUNK = 1000;

/** The people reporting to $2 through the manager_id chain (bounded depth against a cycle). */
const MANAGER_TREE_CTE = `WITH RECURSIVE reports AS (
    SELECT id, 1 AS level FROM app_user WHERE manager_id = $2::uuid
    UNION ALL
    SELECT u.id, r.level + 1 FROM app_user u JOIN reports r ON u.manager_id = r.id WHERE r.level < 12 AND u.id <> $2::uuid)`;

interface Holder {
  userId: string;
  displayName: string;
  locale: string;
  timeZone: string;
  courseSlug: string;
  courseTitle: string;
}

/**
 * Notifications caused by other domains' events (through the outbox): assigned training,
 * certificate issued or revoked, course completed. Each is unique per (event subject, recipient)
 * — `assigned:<enrolmentId>`, `certificate_issued:<certificateId>`, … — so a job that runs twice
 * notifies once. In-app always; e-mail per the person's preferences (now, or in the next digest).
 */
@Injectable()
export class EventNotifier {
  private readonly logger = new Logger('EventNotifier');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(NotificationRepository) private readonly notifications: NotificationRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(AccessScope) private readonly scope: AccessScope,
  ) {}

  /**
   * *Remind now* (HR in scope, admins): one reminder per selected open enrolment, in-app and by
   * e-mail per the person's preferences. Unique per enrolment and the person's local date
   * (`reminder_now:<enrolmentId>:<date>`), so a second click the same day sends nothing. Enrolments
   * outside the caller's scope, completed or withdrawn ones are skipped. Returns what was sent.
   */
  async remindNow(principal: Principal, enrolmentIds: string[], as: 'hr' | 'manager' = 'hr'): Promise<{ sent: number; skipped: number }> {
    const ids = [...new Set(enrolmentIds)].slice(0, 500);
    if (!ids.length) return { sent: 0, skipped: 0 };
    const admin = as === 'hr' && isAdmin(principal);
    const prefixes = admin || as === 'manager' ? [] : await this.scope.scopePaths(principal, 'hr');
    if (as === 'hr' && !admin && !prefixes.length) return { sent: 0, skipped: ids.length };
    // HR: people in its subtrees (admin: anyone). A manager: the people who report to them,
    // directly or through others (the manager_id chain).
    const scopeSql =
      as === 'manager'
        ? `AND u.id IN (SELECT id FROM reports)`
        : `AND ($2::boolean OR EXISTS (SELECT 1 FROM unnest($3::text[]) p WHERE o.path LIKE p || '%'))`;
    const rows = (await this.dataSource.query(
      `${as === 'manager' ? MANAGER_TREE_CTE : ''}
       SELECT e.id AS "enrolmentId", e.due_at AS "dueAt", u.id AS "userId", u.display_name AS "displayName", u.locale,
              u.time_zone AS "timeZone", c.slug AS "courseSlug",
              COALESCE(cv.title ->> u.locale, cv.title ->> cv.default_language, c.slug) AS "courseTitle"
         FROM enrolment e
         JOIN app_user u ON u.id = e.user_id AND u.status = 'active'
         JOIN org_unit o ON o.id = u.org_unit_id
         JOIN course c ON c.id = e.course_id
         JOIN course_version cv ON cv.id = e.course_version_id
        WHERE e.id = ANY($1::uuid[]) AND e.status IN ('enrolled', 'in_progress') ${scopeSql}`,
      as === 'manager' ? [ids, principal.userId] : [ids, admin, prefixes],
    )) as Array<Holder & { enrolmentId: string; dueAt: Date | null }>;
    if (!rows.length) return { sent: 0, skipped: ids.length };
    const now = this.clock.now();
    const sent = await this.notify(
      rows.map((r) => ({
        holder: r,
        dedupeKey: `reminder_now:${r.enrolmentId}:${localTime(now, r.timeZone).date}`,
        content: { type: 'reminder_now', courseSlug: r.courseSlug, courseTitle: r.courseTitle, dueDate: r.dueAt ? localTime(new Date(r.dueAt), r.timeZone).date : null, from: as },
        data: { enrolmentId: r.enrolmentId, remindedBy: principal.userId },
        email: true,
      })),
    );
    return { sent, skipped: ids.length - sent };
  }

  /**
   * Every active enrolment of the assignment gets one "assigned" notification (set-based, in
   * chunks); people enrolled by the assignment later (standing assignments) are picked up when
   * the event comes again, and those already told are skipped by the unique key.
   */
  async assignmentCreated(assignmentId: string): Promise<number> {
    let after = '00000000-0000-0000-0000-000000000000';
    let created = 0;
    for (;;) {
      const rows = withCourseTitle((await this.dataSource.query(
        `SELECT e.id AS "enrolmentId", e.due_at AS "dueAt", u.id AS "userId", u.display_name AS "displayName", u.locale,
                u.time_zone AS "timeZone", c.slug AS "courseSlug",
                cv.title AS "courseTitles", cv.default_language AS "defaultLanguage"
           FROM enrolment e
           JOIN app_user u ON u.id = e.user_id AND u.status = 'active'
           JOIN course c ON c.id = e.course_id
           JOIN course_version cv ON cv.id = e.course_version_id
          WHERE e.assignment_id = $1 AND e.status IN ('enrolled', 'in_progress') AND e.id > $2
          ORDER BY e.id
          LIMIT $3`,
        [assignmentId, after, CHUNK],
      )) as Array<TitleSource & Omit<Holder, 'courseTitle'> & { enrolmentId: string; dueAt: Date | null }>);
      if (!rows.length) break;
      after = rows[rows.length - 1].enrolmentId;
      created += await this.notify(
        rows.map((r) => ({
          holder: r,
          dedupeKey: `assigned:${r.enrolmentId}`,
          content: {
            type: 'assigned',
            courseSlug: r.courseSlug,
            courseTitle: r.courseTitle,
            dueDate: r.dueAt ? localTime(new Date(r.dueAt), r.timeZone).date : null,
          },
          data: { enrolmentId: r.enrolmentId, assignmentId },
          email: true,
        })),
      );
      if (rows.length < CHUNK) break;
    }
    return created;
  }

  async certificateIssued(certificateId: string): Promise<number> {
    const cert = await this.certificate(certificateId);
    if (!cert) return 0;
    return this.notify([
      {
        holder: cert,
        dedupeKey: `certificate_issued:${certificateId}`,
        content: { type: 'certificate_issued', courseSlug: cert.courseSlug, courseTitle: cert.courseTitle, serial: cert.serial },
        data: { certificateId, enrolmentId: cert.enrolmentId },
        email: true,
      },
    ]);
  }

  async certificateRevoked(certificateId: string): Promise<number> {
    const cert = await this.certificate(certificateId);
    if (!cert?.revoked) return 0;
    return this.notify([
      {
        holder: cert,
        dedupeKey: `certificate_revoked:${certificateId}`,
        content: { type: 'certificate_revoked', courseSlug: cert.courseSlug, courseTitle: cert.courseTitle, serial: cert.serial, reason: cert.reason },
        data: { certificateId, enrolmentId: cert.enrolmentId },
        email: true,
      },
    ]);
  }

  /** A congratulation, in-app only: the certificate notification that follows carries the e-mail. */
  async enrolmentCompleted(enrolmentId: string): Promise<number> {
    const rows = withCourseTitle((await this.dataSource.query(
      `SELECT u.id AS "userId", u.display_name AS "displayName", u.locale, u.time_zone AS "timeZone", c.slug AS "courseSlug",
              cv.title AS "courseTitles", cv.default_language AS "defaultLanguage"
         FROM enrolment e
         JOIN app_user u ON u.id = e.user_id AND u.status = 'active'
         JOIN course c ON c.id = e.course_id
         JOIN course_version cv ON cv.id = e.course_version_id
        WHERE e.id = $1 AND e.status = 'completed'`,
      [enrolmentId],
    )) as Array<TitleSource & Omit<Holder, 'courseTitle'>>);
    if (!rows.length) return 0;
    return this.notify([
      {
        holder: rows[0],
        dedupeKey: `enrolment_completed:${enrolmentId}`,
        content: { type: 'enrolment_completed', courseSlug: rows[0].courseSlug, courseTitle: rows[0].courseTitle },
        data: { enrolmentId },
        email: false,
      },
    ]);
  }

  /**
   * A course was published: the authors of each adaptation still based on an older version get a
   * notice (in-app, e-mail per preferences), once per adaptation and upstream version. The owners
   * of an adaptation are the active authors whose grant covers its school (admins manage all
   * courses and are not told of each one).
   */
  async upstreamPublished(courseId: string, version: number): Promise<number> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT ON (f.id, u.id) u.id AS "userId", u.display_name AS "displayName", u.locale, u.time_zone AS "timeZone",
              f.slug AS "courseSlug", f.upstream_version AS "baseVersion",
              COALESCE(fv.title ->> u.locale, fv.title ->> fv.default_language, f.slug) AS "courseTitle",
              COALESCE(uv.title ->> u.locale, uv.title ->> uv.default_language, up.slug) AS "upstreamTitle"
         FROM course f
         JOIN course up ON up.id = f.upstream_course_id
         JOIN course_version uv ON uv.course_id = up.id AND uv.version = $2 AND uv.status = 'published'
         JOIN LATERAL (SELECT v.title, v.default_language FROM course_version v WHERE v.course_id = f.id ORDER BY v.version DESC LIMIT 1) fv ON true
         JOIN org_unit s ON s.id = f.school_org_unit_id
         JOIN role_grant g ON g.role = 'author'
         JOIN org_unit gs ON gs.id = g.scope_org_unit_id AND s.path LIKE gs.path || '%'
         JOIN app_user u ON u.id = g.user_id AND u.status = 'active'
        WHERE f.upstream_course_id = $1 AND f.upstream_version < $2
        ORDER BY f.id, u.id`,
      [courseId, version],
    )) as Array<Holder & { baseVersion: number; upstreamTitle: string }>;
    if (!rows.length) return 0;
    return this.notify(
      rows.map((r) => ({
        holder: r,
        dedupeKey: `upstream_published:${r.courseSlug}:${version}`,
        content: { type: 'upstream_published', courseSlug: r.courseSlug, courseTitle: r.courseTitle, upstreamTitle: r.upstreamTitle, version, baseVersion: r.baseVersion },
        data: { upstreamCourseId: courseId, version },
        email: true,
      })),
    );
  }

  /**
   * A reply in a community thread (docs/hub.md): every other person who wrote in the thread (the
   * question or a reply, hidden posts not counted) and may still see the space and is not banned
   * from it gets one notice, unique per reply (`community_reply:<postId>`), so a job that runs
   * twice notifies once.
   */
  async communityReply(postId: string): Promise<number> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT u.id AS "userId", u.display_name AS "displayName", u.locale, u.time_zone AS "timeZone",
              t.id AS "threadId", t.title AS "thread", s.title AS "space", s.slug AS "spaceSlug", COALESCE(a.display_name, '') AS "author"
         FROM community_post p
         JOIN community_thread t ON t.id = p.thread_id
         JOIN community_space s ON s.id = t.space_id
         LEFT JOIN app_user a ON a.id = p.author_id
         JOIN community_post other ON other.thread_id = t.id AND other.hidden_at IS NULL AND other.author_id IS DISTINCT FROM p.author_id
         JOIN app_user u ON u.id = other.author_id AND u.status = 'active'
         JOIN org_unit o ON o.id = u.org_unit_id
        WHERE p.id = $1 AND p.hidden_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM community_ban b WHERE b.space_id = s.id AND b.user_id = u.id)
          AND (s.audience = 'hub'
               OR EXISTS (SELECT 1 FROM institution i WHERE i.root_org_unit_id = split_part(o.path, '/', 2)::uuid AND i.id = ANY(s.institution_ids))
               OR EXISTS (SELECT 1 FROM community_moderator m WHERE m.space_id = s.id AND m.user_id = u.id)
               OR EXISTS (SELECT 1 FROM role_grant g WHERE g.user_id = u.id AND g.role = 'admin'))`,
      [postId],
    )) as Array<{ userId: string; displayName: string; locale: string; threadId: string; thread: string; space: string; spaceSlug: string; author: string }>;
    if (!rows.length) return 0;
    const now = this.clock.now();
    const items: NewNotification[] = rows.map((r) => {
      const rendered = renderCommunityReply(r.locale, r.displayName, {
        author: r.author,
        thread: r.thread,
        space: r.space,
        link: `${this.config.publicUrl}/communities/${encodeURIComponent(r.spaceSlug)}/threads/${r.threadId}`,
      });
      return {
        userId: r.userId,
        type: 'community_reply',
        dedupeKey: `community_reply:${postId}`,
        locale: r.locale,
        title: rendered.title,
        body: rendered.body,
        link: rendered.link,
        data: { spaceSlug: r.spaceSlug, threadId: r.threadId, postId },
        email: { subject: rendered.subject, text: rendered.text, html: rendered.html },
      };
    });
    const result = await this.dataSource.transaction((manager) => this.notifications.insertEvents(manager, items, now));
    if (result.created) this.logger.log(`community_reply: ${result.created} notification(s), ${result.emailed} e-mail(s) now`);
    return result.created;
  }

  private async certificate(
    certificateId: string,
  ): Promise<(Holder & { enrolmentId: string; serial: string; revoked: boolean; reason: string | null }) | null> {
    const rows = withCourseTitle((await this.dataSource.query(
      `SELECT ce.enrolment_id AS "enrolmentId", ce.serial, ce.revoked_at IS NOT NULL AS revoked, ce.revocation_reason AS reason,
              u.id AS "userId", u.display_name AS "displayName", u.locale, u.time_zone AS "timeZone", c.slug AS "courseSlug",
              cv.title AS "courseTitles", cv.default_language AS "defaultLanguage"
         FROM certificate ce
         JOIN app_user u ON u.id = ce.user_id AND u.status = 'active'
         JOIN course c ON c.id = ce.course_id
         JOIN course_version cv ON cv.id = ce.course_version_id
        WHERE ce.id = $1`,
      [certificateId],
    )) as Array<TitleSource & Omit<Holder, 'courseTitle'> & { enrolmentId: string; serial: string; revoked: boolean; reason: string | null }>);
    return rows[0] ?? null;
  }

  private async notify(
    items: Array<{ holder: Holder; dedupeKey: string; content: EventContent; data: Record<string, unknown>; email: boolean }>,
  ): Promise<number> {
    const now = this.clock.now();
    const rows: NewNotification[] = items.map(({ holder, dedupeKey, content, data, email }) => {
      const r = renderEvent(holder.locale, holder.displayName, content, this.config.publicUrl);
      return {
        userId: holder.userId,
        type: content.type,
        dedupeKey,
        locale: holder.locale,
        title: r.title,
        body: r.body,
        link: r.link,
        data: { ...data, courseSlug: content.courseSlug },
        email: email ? { subject: r.subject, text: r.text, html: r.html } : null,
      };
    });
    const result = await this.dataSource.transaction((manager) => this.notifications.insertEvents(manager, rows, now));
    if (result.created) this.logger.log(`${items[0].content.type}: ${result.created} notification(s), ${result.emailed} e-mail(s) now`);
    return result.created;
  }
}
