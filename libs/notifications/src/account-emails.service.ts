import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@lms/platform';
import {
  ACCOUNT_LINK_PLACEHOLDER,
  accountLinkKey,
  accountLinkPlaceholder,
  accountLinkSecret,
  accountLinkUrl,
  type AccountTokenKind,
} from '@lms/identity';
import { Clock } from './clock.js';
import { NotificationRepository } from './notification.repository.js';
import { localTime } from './reminder-policy.js';
import { renderAccountLink } from './templates/render.js';

interface UsableLink {
  id: string;
  kind: AccountTokenKind;
  expiresAt: Date;
  userId: string;
  displayName: string;
  locale: string;
  timeZone: string;
}

/**
 * E-mails of account links (invitations, password resets) issued by identity. The message is
 * stored with a placeholder where the link goes; `fill` puts the link in at delivery, rebuilt from
 * the token id (identity's derivation), so the secret never rests in email_message, the outbox or
 * the queue. A link used, replaced or expired before delivery is not sent.
 */
@Injectable()
export class AccountEmails {
  private readonly key: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(NotificationRepository) private readonly notifications: NotificationRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    this.key = accountLinkKey(config.jwtSecret);
  }

  /** Job 'notifications.account-link': queue the e-mail (once per token: the dedupe key is the token id). */
  async linkIssued(tokenId: string): Promise<boolean> {
    const link = await this.usable(tokenId);
    if (!link) return false;
    const rendered = renderAccountLink(link.locale, link.displayName, {
      kind: link.kind,
      link: accountLinkPlaceholder(link.id),
      expiryDate: localTime(new Date(link.expiresAt), link.timeZone).date,
      minutes: this.config.passwordResetTtlMinutes,
    });
    const created = await this.dataSource.transaction((manager) =>
      this.notifications.insertEmails(
        manager,
        [{ userId: link.userId, dedupeKey: `account_link:${link.id}`, notificationId: null, locale: link.locale, subject: rendered.subject, text: rendered.text, html: rendered.html }],
        this.clock.now(),
      ),
    );
    return created.length > 0;
  }

  /**
   * The message's texts with every placeholder replaced by its link; null when one of the links can
   * no longer be used (the e-mail is then not sent). Texts without placeholders come back unchanged.
   */
  async fill(texts: { text: string; html: string }): Promise<{ text: string; html: string } | null> {
    const ids = new Set([...texts.text.matchAll(ACCOUNT_LINK_PLACEHOLDER), ...texts.html.matchAll(ACCOUNT_LINK_PLACEHOLDER)].map((m) => m[1]));
    if (!ids.size) return texts;
    const links = new Map<string, string>();
    for (const id of ids) {
      const link = await this.usable(id);
      if (!link) return null;
      links.set(id, accountLinkUrl(this.config.publicUrl, link.kind, accountLinkSecret(this.key, link.kind, link.id)));
    }
    const put = (s: string): string => s.replace(ACCOUNT_LINK_PLACEHOLDER, (_, id: string) => links.get(id) ?? '');
    return { text: put(texts.text), html: put(texts.html) };
  }

  private async usable(tokenId: string): Promise<UsableLink | null> {
    const rows = (await this.dataSource.query(
      `SELECT t.id, t.kind, t.expires_at AS "expiresAt", u.id AS "userId", u.display_name AS "displayName", u.locale, u.time_zone AS "timeZone"
         FROM account_token t JOIN app_user u ON u.id = t.user_id
        WHERE t.id = $1 AND t.used_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > now() AND u.status = 'active'`,
      [tokenId],
    )) as UsableLink[];
    return rows[0] ?? null;
  }
}
