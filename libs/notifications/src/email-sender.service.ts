import { Inject, Injectable, Logger } from '@nestjs/common';
import { JOB_POLICIES } from '@lms/jobs';
import { AccountEmails } from './account-emails.service.js';
import { Clock } from './clock.js';
import { EmailMessageRepository } from './email-message.repository.js';
import { MailTransport } from './mail-transport.js';
import { EmailDeliveryError } from './notifications.errors.js';

/** A sender that has held a message in `sending` this long is presumed dead; the message may be claimed again. */
export const SEND_LEASE_MS = 10 * 60_000;
export const MAX_SEND_ATTEMPTS = JOB_POLICIES['notifications.send-email'].attempts;

export type SendOutcome = 'sent' | 'skipped' | 'failed';

/** SMTP 5xx (mailbox unknown, message refused) will not get better by retrying. */
export function isPermanentSmtpFailure(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/**
 * Sends one e-mail at most once per successful attempt: claim (queued/retrying → sending, one
 * sender only), deliver, mark sent. A failure is recorded on the row (attempts, last error) and
 * thrown so the job retries with backoff; after the last attempt (or a permanent SMTP refusal)
 * the row is `failed` and the failure is visible to administrators. A message already sent is
 * never sent again by a retry, a second job or a second sweep.
 *
 * The one case that can still send twice is inherent to SMTP: the server accepted the message and
 * this process died before writing `sent`. The Message-ID is stable, so receivers can spot it.
 */
@Injectable()
export class EmailSender {
  private readonly logger = new Logger('EmailSender');

  constructor(
    @Inject(EmailMessageRepository) private readonly emails: EmailMessageRepository,
    @Inject(MailTransport) private readonly transport: MailTransport,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AccountEmails) private readonly accountEmails: AccountEmails,
  ) {}

  /** `jobAttempt`: the queue's attempt number (1 on the first), so the last one records `failed`. */
  async send(messageId: string, jobAttempt = 1): Promise<SendOutcome> {
    const msg = await this.emails.claim(messageId, this.clock.now(), SEND_LEASE_MS);
    if (!msg) return 'skipped';
    // Account links (invitation, password reset) are put in only now, and not sent once unusable.
    const body = await this.accountEmails.fill({ text: msg.textBody, html: msg.htmlBody });
    if (!body) {
      await this.emails.markFailure(msg.id, 'not sent: the link in it was used, replaced or expired before delivery', true);
      return 'failed';
    }
    try {
      await this.transport.send({
        id: msg.id, to: msg.toAddress, subject: msg.subject, text: body.text, html: body.html,
        calendar: msg.calendarMethod && msg.calendarIcs ? { method: msg.calendarMethod, ics: msg.calendarIcs } : null,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const final = isPermanentSmtpFailure(error) || msg.attempts >= MAX_SEND_ATTEMPTS || jobAttempt >= MAX_SEND_ATTEMPTS;
      await this.emails.markFailure(msg.id, reason, final);
      if (final) {
        this.logger.warn(`e-mail ${msg.id} failed for good after ${msg.attempts} attempt(s): ${reason}`);
        return 'failed';
      }
      throw new EmailDeliveryError(msg.id, msg.attempts, reason);
    }
    await this.emails.markSent(msg.id, this.clock.now());
    return 'sent';
  }
}
