import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, faultPoint } from '@lms/platform';
import { Clock } from './clock.js';
import { EmailMessageRepository } from './email-message.repository.js';
import { type NewEmail, NotificationRepository } from './notification.repository.js';
import { certificateReminders, daysBetween, localTime, type ReminderPolicy } from './reminder-policy.js';
import { type MorningZones, type PendingEvent, type PendingLine, type Recipient, ReminderRepository } from './reminder.repository.js';
import { REMINDER_POLICY } from './notifications.tokens.js';
import { type DigestLine, renderDigest } from './templates/render.js';

export interface SweepResult {
  /** Reminders newly recorded (enrolment reminders and escalations). */
  recorded: number;
  /** Certificate-expiry reminders newly recorded. */
  certificateReminders: number;
  /** In-app digests created. */
  digests: number;
  /** Digest e-mails queued. */
  emails: number;
  /** Recorded lines dropped because the enrolment was completed or withdrawn before its digest. */
  dropped: number;
  /** Unsent e-mails whose send job was queued again (safety net). */
  requeued: number;
}

/** An e-mail still unsent this long after its last attempt gets a new send job. */
export const STALE_EMAIL_MS = 60 * 60_000;
const BATCH = 500;

/**
 * The daily reminder sweep, run hourly ('notifications.reminder-sweep'); each run serves the people
 * whose local time is in the morning window, so each person gets at most one digest per local day.
 *
 * 1. Record: the reminders due today go into `reminder` (set-based, unique key, ON CONFLICT DO
 *    NOTHING) BEFORE anything is sent.
 * 2. Digest: per recipient, every recorded line not yet delivered becomes ONE in-app digest
 *    (`digest:<local date>`) and, if they take e-mail, ONE digest e-mail (with event notifications
 *    waiting for it); lines are attached to the digest in the same transaction.
 * 3. Send: each e-mail has its own send job (through the outbox) with per-message state.
 *
 * Any step may crash or run twice: step 1 inserts nothing twice, step 2 only picks up lines still
 * unattached and cannot create a second digest for the same day, step 3 claims before sending.
 */
@Injectable()
export class ReminderSweep {
  private readonly logger = new Logger('ReminderSweep');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ReminderRepository) private readonly reminders: ReminderRepository,
    @Inject(NotificationRepository) private readonly notifications: NotificationRepository,
    @Inject(EmailMessageRepository) private readonly emails: EmailMessageRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(REMINDER_POLICY) private readonly policy: ReminderPolicy,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async run(now: Date = this.clock.now()): Promise<SweepResult> {
    const zones = await this.reminders.morningZones(now, this.policy);
    const { recorded, certificateReminders } = await this.record(now, zones);
    const { digests, emails, dropped } = await this.deliverDigests(now, zones);
    const requeued = await this.emails.requeueStale(now, STALE_EMAIL_MS);
    const result = { recorded, certificateReminders, digests, emails, dropped, requeued };
    this.logger.log(`reminder sweep at ${now.toISOString()}: ${JSON.stringify(result)}`);
    return result;
  }

  /** Step 1: record every reminder due now (for people in their morning window). */
  async record(now: Date, zones?: MorningZones): Promise<{ recorded: number; certificateReminders: number }> {
    const morning = zones ?? (await this.reminders.morningZones(now, this.policy));
    const recorded = await this.reminders.recordEnrolmentReminders(now, this.policy, morning);
    const certificateReminders = (await this.reminders.hasCertificates()) ? await this.reminders.recordCertificateReminders(now, this.policy, morning) : 0;
    return { recorded, certificateReminders };
  }

  /**
   * 'certificate.expiring' (from the credentials expiry sweep): records the holder's expiry
   * reminder under the same key the sweep uses, so whichever comes first, it is sent once, in the
   * holder's next morning digest. Outside the policy's days it records nothing (the sweep will).
   */
  async certificateExpiring(certificateId: string, now: Date = this.clock.now()): Promise<boolean> {
    const c = await this.reminders.certificateFacts(certificateId);
    if (!c?.expiresAt) return false;
    const expiresOn = localTime(new Date(c.expiresAt), c.timeZone).date;
    const [due] = certificateReminders(this.policy, { expiresOn, revoked: c.revoked, superseded: c.superseded }, localTime(now, c.timeZone).date);
    if (!due) return false;
    return this.reminders.recordOne({ enrolmentId: c.enrolmentId, certificateId, kind: due.kind, dueDate: expiresOn, recipientId: c.userId }, now);
  }

  /** Step 2: one digest per recipient in their morning window, in batches. */
  async deliverDigests(now: Date, zones?: MorningZones): Promise<{ digests: number; emails: number; dropped: number }> {
    const morning = zones ?? (await this.reminders.morningZones(now, this.policy));
    let after: string | null = null;
    const totals = { digests: 0, emails: 0, dropped: 0 };
    for (;;) {
      const recipients = await this.reminders.recipientsInWindow(now, morning, after, BATCH);
      if (!recipients.length) break;
      after = recipients[recipients.length - 1].id;
      const ids = recipients.map((r) => r.id);
      const lines = group(await this.reminders.pendingLines(ids), (l) => l.recipientId);
      const events = group(await this.reminders.pendingEvents(ids), (e) => e.userId);
      const batch = await this.deliverBatch(now, recipients, lines, events);
      totals.digests += batch.digests;
      totals.emails += batch.emails;
      totals.dropped += batch.dropped;
      if (recipients.length < BATCH) break;
      // Tests only (FAULT_INJECT): a crash between two committed batches, half-way through the sweep.
      faultPoint(this.config, 'reminder-sweep-after-batch');
    }
    return totals;
  }

  private async deliverBatch(
    now: Date,
    recipients: Recipient[],
    linesByRecipient: Map<string, PendingLine[]>,
    eventsByRecipient: Map<string, PendingEvent[]>,
  ): Promise<{ digests: number; emails: number; dropped: number }> {
    const dropped: string[] = [];
    const inApp: Parameters<NotificationRepository['insertInApp']>[1] = [];
    const emailFor = new Map<string, NewEmail>();
    const lineIdsOf = new Map<string, string[]>();
    const eventsOff: string[] = [];

    for (const r of recipients) {
      const all = linesByRecipient.get(r.id) ?? [];
      const active = all.filter((l) => l.stillActive);
      dropped.push(...all.filter((l) => !l.stillActive).map((l) => l.id));
      const events = eventsByRecipient.get(r.id) ?? [];
      if (!r.emailOn) eventsOff.push(...events.map((e) => e.id));
      if (!active.length && !(r.emailOn && events.length)) continue;

      const digestLines: DigestLine[] = active.map((l) => ({
        kind: l.kind,
        courseSlug: l.courseSlug,
        courseTitle: l.courseTitle,
        dueDate: l.dueDate,
        daysLeft: daysBetween(r.today, l.dueDate),
        mandatory: l.mandatory,
        learnerName: l.learnerName,
      }));
      const rendered = renderDigest({
        locale: r.locale,
        recipientName: r.displayName,
        today: r.today,
        lines: digestLines,
        events: r.emailOn ? events.map((e) => ({ title: e.title, body: e.body, link: e.link })) : [],
        publicUrl: this.config.publicUrl,
      });
      const dedupeKey = `digest:${r.today}`;
      if (active.length) {
        lineIdsOf.set(r.id, active.map((l) => l.id));
        inApp.push({
          userId: r.id,
          type: 'reminder_digest',
          dedupeKey,
          locale: r.locale,
          title: rendered.title,
          body: rendered.body,
          link: rendered.link,
          data: { date: r.today, lines: digestLines },
        });
      }
      if (r.emailOn) {
        emailFor.set(r.id, { userId: r.id, dedupeKey, notificationId: null, locale: r.locale, subject: rendered.subject, text: rendered.text, html: rendered.html });
      }
    }

    const result = await this.dataSource.transaction(async (manager) => {
      await this.reminders.dropLines(manager, dropped);
      const created = await this.notifications.insertInApp(manager, inApp, now);
      const digestOf = new Map(created.map((c) => [c.userId, c.id]));
      const lineIds: string[] = [];
      const digestIds: string[] = [];
      for (const [userId, nid] of digestOf) {
        for (const id of lineIdsOf.get(userId) ?? []) {
          lineIds.push(id);
          digestIds.push(nid);
        }
      }
      await this.reminders.attachLines(manager, lineIds, digestIds);
      // A recipient with lines whose digest already exists today (a second run) gets no second e-mail:
      // the lines wait for tomorrow's digest.
      const mails = [...emailFor.values()]
        .filter((m) => !lineIdsOf.has(m.userId) || digestOf.has(m.userId))
        .map((m) => ({ ...m, notificationId: digestOf.get(m.userId) ?? null }));
      const sent = await this.notifications.insertEmails(manager, mails, now);
      const mailed = new Set(sent.map((s) => s.userId));
      const included = [...mailed].flatMap((u) => (eventsByRecipient.get(u) ?? []).map((e) => e.id));
      await this.notifications.clearEmailPending(manager, [...included, ...eventsOff]);
      return { digests: created.length, emails: sent.length, dropped: dropped.length };
    });
    return result;
  }
}

function group<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
