import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Outbox } from '@lms/jobs';
import type { NotificationType } from './notification.entity.js';

/** A notification to create, already rendered in the recipient's locale. */
export interface NewNotification {
  userId: string;
  type: NotificationType;
  dedupeKey: string;
  locale: string;
  title: string;
  body: string;
  link: string | null;
  data: Record<string, unknown>;
  /** The e-mail version (null: in-app only). */
  email: { subject: string; text: string; html: string } | null;
}

export interface NewEmail {
  userId: string;
  dedupeKey: string;
  notificationId: string | null;
  locale: string;
  subject: string;
  text: string;
  html: string;
  /** An iCalendar invitation sent with the e-mail (text/calendar part and .ics attachment). */
  calendar?: { method: 'REQUEST' | 'CANCEL' | 'PUBLISH'; ics: string } | null;
}

export interface NotificationView {
  id: string;
  type: NotificationType;
  title: string;
  body: string;
  link: string | null;
  data: Record<string, unknown>;
  read: boolean;
  readAt: Date | null;
  createdAt: Date;
}

/** The event that starts the send job of one e-mail (see libs/jobs job-catalogue). */
export const EMAIL_QUEUED_EVENT = 'notification.email-queued';

const VIEW_COLUMNS = `id, type, title, body, link, data, read_at IS NOT NULL AS read, read_at AS "readAt", created_at AS "createdAt"`;

/**
 * In-app notifications and the e-mails that carry them. Writes are set-based (one statement per
 * batch, ON CONFLICT DO NOTHING on the per-recipient dedupe key) and queue each new e-mail's send
 * job through the outbox (Outbox.addMany: one more statement per batch) in the same transaction.
 */
@Injectable()
export class NotificationRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {}

  /** One 'notification.email-queued' event per new e-mail, in the caller's transaction. */
  private async queueSends(manager: EntityManager, messageIds: string[]): Promise<void> {
    await this.outbox.addMany(
      manager,
      EMAIL_QUEUED_EVENT,
      messageIds.map((messageId) => ({ messageId })),
    );
  }

  /**
   * Event notifications: in-app for everyone; the e-mail now for people who chose `immediate`,
   * or marked for their next daily digest e-mail for people who chose `daily`; nothing by e-mail
   * for people who switched e-mail off. Returns what was newly created.
   */
  async insertEvents(manager: EntityManager, items: NewNotification[], now: Date): Promise<{ created: number; emailed: number }> {
    if (!items.length) return { created: 0, emailed: 0 };
    const rows = (await manager.query(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(user_id uuid, type text, dedupe_key text, locale text, title text, body text,
                                                          link text, data jsonb, subject text, text_body text, html_body text)
       ),
       ins AS (
         INSERT INTO notification (user_id, type, dedupe_key, locale, title, body, link, data, email_pending, created_at)
         SELECT i.user_id, i.type, i.dedupe_key, i.locale, i.title, i.body, i.link, COALESCE(i.data, '{}'::jsonb),
                i.subject IS NOT NULL AND COALESCE(p.email, true) AND COALESCE(p.digest, 'daily') = 'daily', $2::timestamptz
           FROM input i
           JOIN app_user u ON u.id = i.user_id
           LEFT JOIN notification_preference p ON p.user_id = i.user_id
         ON CONFLICT (user_id, dedupe_key) DO NOTHING
         RETURNING id, user_id, dedupe_key
       ),
       mail AS (
         INSERT INTO email_message (user_id, to_address, dedupe_key, notification_id, locale, subject, text_body, html_body, state, created_at)
         SELECT ins.user_id, u.email, ins.dedupe_key, ins.id, i.locale, i.subject, i.text_body, i.html_body, 'queued', $2::timestamptz
           FROM ins
           JOIN input i ON i.user_id = ins.user_id AND i.dedupe_key = ins.dedupe_key
           JOIN app_user u ON u.id = ins.user_id
           JOIN notification_preference p ON p.user_id = ins.user_id
          WHERE i.subject IS NOT NULL AND p.email AND p.digest = 'immediate'
         ON CONFLICT (user_id, dedupe_key) DO NOTHING
         RETURNING id
       )
       SELECT (SELECT count(*)::int FROM ins) AS created, COALESCE((SELECT array_agg(id::text) FROM mail), '{}') AS "messageIds"`,
      [
        JSON.stringify(
          items.map((n) => ({
            user_id: n.userId,
            type: n.type,
            dedupe_key: n.dedupeKey,
            locale: n.locale,
            title: n.title,
            body: n.body,
            link: n.link,
            data: n.data,
            subject: n.email?.subject ?? null,
            text_body: n.email?.text ?? null,
            html_body: n.email?.html ?? null,
          })),
        ),
        now.toISOString(),
      ],
    )) as Array<{ created: number; messageIds: string[] }>;
    const r = rows[0];
    await this.queueSends(manager, r.messageIds);
    return { created: r.created, emailed: r.messageIds.length };
  }

  /** In-app notifications (digests); returns the ids of those newly created, by recipient. */
  async insertInApp(manager: EntityManager, items: Array<Omit<NewNotification, 'email'>>, now: Date): Promise<Array<{ id: string; userId: string }>> {
    if (!items.length) return [];
    return (await manager.query(
      `INSERT INTO notification (user_id, type, dedupe_key, locale, title, body, link, data, created_at)
       SELECT t.user_id, t.type, t.dedupe_key, t.locale, t.title, t.body, t.link, COALESCE(t.data, '{}'::jsonb), $2::timestamptz
         FROM jsonb_to_recordset($1::jsonb) AS t(user_id uuid, type text, dedupe_key text, locale text, title text, body text, link text, data jsonb)
       ON CONFLICT (user_id, dedupe_key) DO NOTHING
       RETURNING id, user_id AS "userId"`,
      [
        JSON.stringify(
          items.map((n) => ({ user_id: n.userId, type: n.type, dedupe_key: n.dedupeKey, locale: n.locale, title: n.title, body: n.body, link: n.link, data: n.data })),
        ),
        now.toISOString(),
      ],
    )) as Array<{ id: string; userId: string }>;
  }

  /** E-mails to send, each queued for its send job through the outbox; returns the ids newly created, by recipient. */
  async insertEmails(manager: EntityManager, items: NewEmail[], now: Date): Promise<Array<{ id: string; userId: string }>> {
    if (!items.length) return [];
    const created = (await manager.query(
      `WITH mail AS (
         INSERT INTO email_message (user_id, to_address, dedupe_key, notification_id, locale, subject, text_body, html_body, calendar_method, calendar_ics, state, created_at)
         SELECT t.user_id, u.email, t.dedupe_key, t.notification_id, t.locale, t.subject, t.text_body, t.html_body, t.calendar_method, t.calendar_ics, 'queued', $2::timestamptz
           FROM jsonb_to_recordset($1::jsonb) AS t(user_id uuid, dedupe_key text, notification_id uuid, locale text, subject text, text_body text, html_body text,
                                                   calendar_method text, calendar_ics text)
           JOIN app_user u ON u.id = t.user_id
         ON CONFLICT (user_id, dedupe_key) DO NOTHING
         RETURNING id, user_id
       )
       SELECT mail.id, mail.user_id AS "userId" FROM mail`,
      [
        JSON.stringify(
          items.map((e) => ({
            user_id: e.userId,
            dedupe_key: e.dedupeKey,
            notification_id: e.notificationId,
            locale: e.locale,
            subject: e.subject,
            text_body: e.text,
            html_body: e.html,
            calendar_method: e.calendar?.method ?? null,
            calendar_ics: e.calendar?.ics ?? null,
          })),
        ),
        now.toISOString(),
      ],
    )) as Array<{ id: string; userId: string }>;
    await this.queueSends(
      manager,
      created.map((c) => c.id),
    );
    return created;
  }

  /** These event notifications no longer wait for a digest e-mail (included in one, or e-mail is off). */
  async clearEmailPending(manager: EntityManager, ids: string[]): Promise<void> {
    if (ids.length) await manager.query(`UPDATE notification SET email_pending = false WHERE id = ANY($1::uuid[]) AND email_pending`, [ids]);
  }

  /** The person's notifications, unread first, newest first. */
  async listForUser(userId: string, opts: { offset: number; limit: number; unreadOnly: boolean }): Promise<{ items: NotificationView[]; total: number; unread: number }> {
    const items = (await this.dataSource.query(
      `SELECT ${VIEW_COLUMNS} FROM notification
        WHERE user_id = $1 AND ($4::boolean = false OR read_at IS NULL)
        ORDER BY (read_at IS NULL) DESC, created_at DESC, id DESC
        OFFSET $2 LIMIT $3`,
      [userId, opts.offset, opts.limit, opts.unreadOnly],
    )) as NotificationView[];
    const counts = (await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE $2::boolean = false OR read_at IS NULL)::int AS total, count(*) FILTER (WHERE read_at IS NULL)::int AS unread
         FROM notification WHERE user_id = $1`,
      [userId, opts.unreadOnly],
    )) as Array<{ total: number; unread: number }>;
    return { items, total: counts[0].total, unread: counts[0].unread };
  }

  /** Marks the person's own notification read (the first read time is kept); null when it is not theirs or does not exist. */
  async markRead(userId: string, id: string, now: Date): Promise<NotificationView | null> {
    const rows = (await this.dataSource.query(
      `UPDATE notification SET read_at = COALESCE(read_at, $3::timestamptz)
        WHERE id = $1 AND user_id = $2
        RETURNING ${VIEW_COLUMNS}`,
      [id, userId, now.toISOString()],
    )) as [NotificationView[], number];
    return rows[0][0] ?? null;
  }

  async markAllRead(userId: string, now: Date): Promise<number> {
    const [, n] = (await this.dataSource.query(`UPDATE notification SET read_at = $2::timestamptz WHERE user_id = $1 AND read_at IS NULL`, [
      userId,
      now.toISOString(),
    ])) as [unknown, number];
    return n;
  }
}
