import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, ValidationError } from '@lms/platform';
import { PasswordResetThrottledError } from './account.errors.js';
import { type AccountLinkHolder, AccountLinks } from './account-links.service.js';
import { AuditLog } from './audit-log.service.js';
import { LoginThrottledError } from './identity.errors.js';
import { LoginThrottle, type ThrottleLimits } from './login-throttle.service.js';
import type { RequestMeta } from './request-meta.js';
import { SessionRepository } from './session.repository.js';
import { EMAIL_MAX_LENGTH, normalizeEmail } from './user-fields.js';

/** Every request counts (whether the address exists or not). */
export const PASSWORD_RESET_LIMITS: ThrottleLimits = {
  /** Requests per e-mail address … */
  accountFailures: 3,
  /** … per 15 minutes. */
  accountWindowSeconds: 15 * 60,
  /** Requests per client IP … */
  ipFailures: 20,
  /** … per 15 minutes. */
  ipWindowSeconds: 15 * 60,
};

/**
 * Self-service password reset. A request answers the same whether the address belongs to someone
 * or not (the caller learns nothing); for an active person it e-mails a single-use link valid
 * PASSWORD_RESET_TTL_MINUTES, replacing any earlier one. Confirming sets the new password and ends
 * every session and refresh token of the person.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(AccountLinks) private readonly links: AccountLinks,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(SessionRepository) private readonly sessions: SessionRepository,
  ) {}

  /** Throttled per address and per IP (429 with Retry-After); otherwise always quietly accepted. */
  async request(emailInput: unknown, meta: RequestMeta): Promise<void> {
    if (typeof emailInput !== 'string' || emailInput.trim() === '' || emailInput.length > EMAIL_MAX_LENGTH || !emailInput.includes('@'))
      throw new ValidationError([{ field: 'email', message: `email must be an e-mail address of at most ${EMAIL_MAX_LENGTH} characters`, rule: 'isEmail' }]);
    const email = normalizeEmail(emailInput);
    try {
      await this.throttle.begin(`reset:${email}`, `reset:${meta.ip}`, PASSWORD_RESET_LIMITS);
    } catch (e) {
      if (e instanceof LoginThrottledError) throw new PasswordResetThrottledError(Number(e.extra.retryAfter ?? 60));
      throw e;
    }
    const rows = (await this.dataSource.query(`SELECT id FROM app_user WHERE email = $1 AND status = 'active'`, [email])) as Array<{ id: string }>;
    if (!rows.length) return;
    const userId = rows[0].id;
    const expiresAt = new Date(Date.now() + this.config.passwordResetTtlMinutes * 60_000);
    await this.dataSource.transaction(async (manager) => {
      await this.links.issue(manager, 'password_reset', [userId], expiresAt, null);
      await this.audit.record(
        { actor: null, action: 'user.password_reset_requested', subjectType: 'user', subjectId: userId, after: { expiresAt: expiresAt.toISOString() }, requestId: meta.requestId },
        manager,
      );
    });
  }

  async inspect(secret: string): Promise<AccountLinkHolder> {
    return this.links.inspect('password_reset', secret);
  }

  /** The new password (password rules apply); every session and refresh token of the person ends. */
  async confirm(secret: string, password: string, meta?: RequestMeta): Promise<AccountLinkHolder> {
    return this.links.consume('password_reset', secret, password, async (manager, holder) => {
      await this.sessions.revokeAllForUser(manager, holder.userId, 'password_changed');
      await this.audit.record(
        { actor: { userId: holder.userId }, action: 'user.password_reset', subjectType: 'user', subjectId: holder.userId, after: { passwordChanged: true }, requestId: meta?.requestId },
        manager,
      );
    });
  }
}
