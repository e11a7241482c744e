import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@lms/platform';
import { type TitleSource, withCourseTitle } from './course-title.js';
import { Clock } from './clock.js';
import { type NewNotification, NotificationRepository } from './notification.repository.js';
import { localTime } from './reminder-policy.js';
import { type EventContent, renderEvent } from './templates/render.js';

const CHUNK = 1000;

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
  ) {}

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
