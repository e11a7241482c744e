import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Outbox } from '@lms/jobs';
import { EMAIL_QUEUED_EVENT } from './notification.repository.js';

export interface ClaimedEmail {
  id: string;
  userId: string;
  toAddress: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  calendarMethod: string | null;
  calendarIcs: string | null;
  /** Including this one. */
  attempts: number;
}

export interface FailedEmailView {
  id: string;
  userId: string;
  toAddress: string;
  subject: string;
  dedupeKey: string;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: Date | null;
  createdAt: Date;
}

/** Delivery state of e-mails: claim before sending, then sent / retrying / failed. */
@Injectable()
export class EmailMessageRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {}

  /**
   * Takes the message for one send attempt: only a message that is queued or retrying (or stuck
   * in `sending` past the lease, i.e. its sender died) can be claimed, and only by one sender.
   * Returns null when there is nothing to send (already sent, failed, or being sent).
   */
  async claim(id: string, now: Date, leaseMs: number): Promise<ClaimedEmail | null> {
    const [rows] = (await this.dataSource.query(
      `UPDATE email_message
          SET state = 'sending', attempts = attempts + 1, last_attempt_at = $2::timestamptz
        WHERE id = $1
          AND (state IN ('queued', 'retrying')
               OR (state = 'sending' AND last_attempt_at < $2::timestamptz - make_interval(secs => $3::double precision / 1000)))
        RETURNING id, user_id AS "userId", to_address AS "toAddress", subject, text_body AS "textBody", html_body AS "htmlBody",
                  calendar_method AS "calendarMethod", calendar_ics AS "calendarIcs", attempts`,
      [id, now.toISOString(), leaseMs],
    )) as [ClaimedEmail[], number];
    return rows[0] ?? null;
  }

  async markSent(id: string, now: Date): Promise<void> {
    await this.dataSource.query(`UPDATE email_message SET state = 'sent', sent_at = $2::timestamptz, last_error = NULL WHERE id = $1 AND state = 'sending'`, [
      id,
      now.toISOString(),
    ]);
  }

  /** Records a failed attempt: `retrying` (the job will run again) or, when `final`, `failed`. */
  async markFailure(id: string, error: string, final: boolean): Promise<void> {
    await this.dataSource.query(`UPDATE email_message SET state = $2, last_error = $3 WHERE id = $1 AND state = 'sending'`, [
      id,
      final ? 'failed' : 'retrying',
      error.slice(0, 2000),
    ]);
  }

  async listFailed(offset: number, limit: number): Promise<{ items: FailedEmailView[]; total: number }> {
    const items = (await this.dataSource.query(
      `SELECT id, user_id AS "userId", to_address AS "toAddress", subject, dedupe_key AS "dedupeKey", attempts,
              last_error AS "lastError", last_attempt_at AS "lastAttemptAt", created_at AS "createdAt"
         FROM email_message WHERE state = 'failed'
        ORDER BY last_attempt_at DESC NULLS LAST, id
        OFFSET $1 LIMIT $2`,
      [offset, limit],
    )) as FailedEmailView[];
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM email_message WHERE state = 'failed'`)) as Array<{ total: number }>;
    return { items, total };
  }

  /** A failed message goes back to the queue for a fresh round of attempts. False when it is not (or no longer) failed. */
  async requeueFailed(id: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [rows] = (await manager.query(`UPDATE email_message SET state = 'queued', attempts = 0 WHERE id = $1 AND state = 'failed' RETURNING id`, [id])) as [
        unknown[],
        number,
      ];
      if (!rows.length) return false;
      await this.outbox.add(manager, EMAIL_QUEUED_EVENT, { messageId: id });
      return true;
    });
  }

  /**
   * Safety net for a lost send job (a queue flushed, a job removed): messages still unsent long
   * after their last attempt (or creation) get a new send job. Harmless when the old job is in
   * fact alive: the claim lets only one of them send.
   */
  async requeueStale(now: Date, staleMs: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const stale = (await manager.query(
        `SELECT id FROM email_message
          WHERE state IN ('queued', 'retrying', 'sending')
            AND COALESCE(last_attempt_at, created_at) < $1::timestamptz - make_interval(secs => $2::double precision / 1000)
          ORDER BY created_at
          LIMIT 10000`,
        [now.toISOString(), staleMs],
      )) as Array<{ id: string }>;
      const ids = await this.outbox.addMany(
        manager,
        EMAIL_QUEUED_EVENT,
        stale.map((m) => ({ messageId: m.id })),
      );
      return ids.length;
    });
  }
}
