import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig, NotFoundError, Principal } from '@lms/platform';
import { AccessScope } from './access-scope.service.js';
import { InvitationNotNeededError } from './account.errors.js';
import { type AccountLinkHolder, AccountLinks } from './account-links.service.js';
import { AuditLog } from './audit-log.service.js';
import type { RequestMeta } from './request-meta.js';
import { SessionRepository } from './session.repository.js';

export interface InvitationView {
  userId: string;
  expiresAt: string;
}

/**
 * Invitations: a new person gets an e-mail with a single-use link (valid INVITATION_TTL_DAYS) to
 * set their first password, instead of HR choosing one. Sent when a person is created
 * (`sendInvitation`) or imported (`?invite=true`), resent by admins and HR in scope (which makes the
 * earlier link stop working). Accepting sets the password; signing in is a separate step, so a role
 * that requires a second factor enrols it at the first sign-in.
 *
 * Hook for federated sign-in: when an OIDC/SAML provider is configured, the invitation page may offer
 * it instead of a password. The page takes that list (`InvitationPageView.alternatives`); the
 * provider registry belongs to the federated sign-in module, not here.
 */
@Injectable()
export class InvitationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(AccountLinks) private readonly links: AccountLinks,
    @Inject(AccessScope) private readonly scope: AccessScope,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(SessionRepository) private readonly sessions: SessionRepository,
  ) {}

  expiry(): Date {
    return new Date(Date.now() + this.config.invitationTtlDays * 86_400_000);
  }

  /** Invites people just created in the caller's transaction (create, import); audited per person. */
  async inviteNew(manager: EntityManager, actor: Principal, userIds: string[], meta?: RequestMeta): Promise<Date> {
    const expiresAt = this.expiry();
    await this.links.issue(manager, 'invitation', userIds, expiresAt, actor.userId);
    await this.audit.recordMany(
      userIds.map((id) => ({
        actor,
        action: 'user.invited',
        subjectType: 'user',
        subjectId: id,
        after: { expiresAt: expiresAt.toISOString() },
        requestId: meta?.requestId,
      })),
      manager,
    );
    return expiresAt;
  }

  /** POST /users/:id/invitations: admin, or HR who could change the person; the earlier link stops working. */
  async resend(actor: Principal, userId: string, meta?: RequestMeta): Promise<InvitationView> {
    const rows = (await this.dataSource.query(`SELECT status, password_hash IS NOT NULL AS "hasPassword" FROM app_user WHERE id = $1`, [userId])) as Array<{
      status: string;
      hasPassword: boolean;
    }>;
    if (!rows.length) throw new NotFoundError('Person', userId);
    await this.scope.assertCanManageUser(actor, userId);
    await this.scope.assertHoldsOnlyGrantableRoles(actor, userId);
    if (rows[0].status !== 'active') throw new InvitationNotNeededError('disabled');
    if (rows[0].hasPassword) throw new InvitationNotNeededError('password_set');
    const expiresAt = await this.dataSource.transaction((manager) => this.inviteNew(manager, actor, [userId], meta));
    return { userId, expiresAt: expiresAt.toISOString() };
  }

  /** Whose invitation this is (the page greets them), or AccountLinkError (invalid, used, expired, replaced). */
  async inspect(secret: string): Promise<AccountLinkHolder> {
    return this.links.inspect('invitation', secret);
  }

  /** Sets the first password (password rules apply); the link is used up. */
  async accept(secret: string, password: string, meta?: RequestMeta): Promise<AccountLinkHolder> {
    return this.links.consume('invitation', secret, password, async (manager, holder) => {
      await this.sessions.revokeAllForUser(manager, holder.userId, 'password_changed');
      await this.audit.record(
        { actor: { userId: holder.userId }, action: 'user.invitation_accepted', subjectType: 'user', subjectId: holder.userId, after: { passwordSet: true }, requestId: meta?.requestId },
        manager,
      );
    });
  }
}
