import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { Transporter } from 'nodemailer';
import { AppConfig } from '@lms/platform';

export interface OutgoingMail {
  /** The email_message id: also the stable Message-ID, so a receiving system can spot a resend. */
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** An iCalendar invitation: sent as the text/calendar alternative (with METHOD) and as an invite.ics attachment. */
  calendar?: { method: string; ics: string } | null;
}

/**
 * Delivers one e-mail. With SMTP_URL set: SMTP through nodemailer (a small connection pool).
 * Without it (embedded mode, development): the message is written as an RFC 5322 `.eml` file
 * under `DATA_DIR/mail`, named after the message id, so writing it again replaces it.
 */
@Injectable()
export class MailTransport implements OnModuleDestroy {
  private readonly logger = new Logger('MailTransport');
  private smtp?: Transporter;
  private stream?: Transporter;
  private readonly domain: string;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.domain = new URL(config.publicUrl).hostname || 'lms.local';
  }

  get mode(): 'smtp' | 'files' {
    return this.config.smtpUrl ? 'smtp' : 'files';
  }

  get mailDir(): string {
    return join(this.config.dataDir, 'mail');
  }

  async send(mail: OutgoingMail): Promise<void> {
    const message = {
      from: this.config.mailFrom,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: `<${mail.id}@${this.domain}>`,
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
      ...(mail.calendar ? { icalEvent: { method: mail.calendar.method, filename: 'invite.ics', content: mail.calendar.ics } } : {}),
    };
    // Loaded on the first e-mail, not at start: API replicas seldom send any.
    const { default: nodemailer } = await import('nodemailer');
    if (this.config.smtpUrl) {
      this.smtp ??= nodemailer.createTransport({ url: this.config.smtpUrl, pool: true, maxConnections: 3, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
      await this.smtp.sendMail(message);
      return;
    }
    this.stream ??= nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    const info = (await this.stream.sendMail(message)) as { message: Buffer };
    mkdirSync(this.mailDir, { recursive: true });
    const file = join(this.mailDir, `${mail.id}.eml`);
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, info.message);
    renameSync(tmp, file);
  }

  onModuleDestroy(): void {
    try {
      this.smtp?.close();
    } catch (e) {
      this.logger.warn(`closing the SMTP pool: ${String(e)}`);
    }
  }
}
