import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@lms/platform';
import { Outbox } from '@lms/jobs';
import { AccountLinkError } from './account.errors.js';
import { ACCOUNT_LINK_SECRET, accountLinkKey, accountLinkSecret, accountTokenHash } from './account-links.js';
import type { AccountTokenKind } from './account-token.entity.js';
import { WeakPasswordError } from './identity.errors.js';
import { hashPassword, passwordProblem } from './password.js';
import type { Locale } from './user.entity.js';

/** A usable link and whose it is. */
export interface AccountLinkHolder {
  tokenId: string;
  userId: string;
  email: string;
  displayName: string;
  locale: Locale;
  expiresAt: Date;
}

interface TokenRow {
  id: string;
  kind: AccountTokenKind;
  userId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  email: string;
  displayName: string;
  locale: Locale;
  status: string;
}

const TOKEN_COLUMNS = `t.id, t.kind, t.user_id AS "userId", t.expires_at AS "expiresAt", t.used_at AS "usedAt", t.revoked_at AS "revokedAt",
  u.email, u.display_name AS "displayName", u.locale, u.status`;

/**
 * Single-use account links (invitations and password resets): issue (revoking the person's earlier
 * unused link of the same kind, and writing `account.link-issued` to the outbox in the caller's
 * transaction), inspect, and consume with a new password. Shared by InvitationService and
 * PasswordResetService.
 */
@Injectable()
export class AccountLinks {
  private readonly key: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AppConfig) config: AppConfig,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {
    this.key = accountLinkKey(config.jwtSecret);
  }

  /** Set-based: one UPDATE (revoke earlier links), one INSERT, one outbox statement for any number of people. */
  async issue(manager: EntityManager, kind: AccountTokenKind, userIds: string[], expiresAt: Date, createdBy: string | null): Promise<string[]> {
    if (!userIds.length) return [];
    await manager.query(
      `UPDATE account_token SET revoked_at = now()
        WHERE user_id = ANY($1::uuid[]) AND kind = $2 AND used_at IS NULL AND revoked_at IS NULL`,
      [userIds, kind],
    );
    const ids = userIds.map(() => randomUUID());
    await manager.query(
      `INSERT INTO account_token (id, user_id, kind, token_hash, expires_at, created_by)
       SELECT t.id, t.user_id, $3, t.token_hash, $4::timestamptz, $5::uuid FROM unnest($1::uuid[], $2::uuid[], $6::text[]) AS t(id, user_id, token_hash)`,
      [ids, userIds, kind, expiresAt.toISOString(), createdBy, ids.map((id) => accountTokenHash(accountLinkSecret(this.key, kind, id)))],
    );
    await this.outbox.addMany(
      manager,
      'account.link-issued',
      ids.map((tokenId) => ({ tokenId })),
    );
    return ids;
  }

  /** The holder of a usable link, or AccountLinkError saying why it cannot be used. */
  async inspect(kind: AccountTokenKind, secret: string): Promise<AccountLinkHolder> {
    return this.check(kind, await this.find(this.dataSource.manager, kind, secret, false));
  }

  /**
   * Sets the password through the link and marks it used, in one transaction that locks the link
   * row (two submissions of the same link: the second sees it used). `then` runs in the same
   * transaction (end sessions, audit). The password is checked and hashed before the lock is taken.
   */
  async consume(
    kind: AccountTokenKind,
    secret: string,
    password: string,
    then: (manager: EntityManager, holder: AccountLinkHolder) => Promise<void>,
  ): Promise<AccountLinkHolder> {
    const before = await this.inspect(kind, secret);
    const problem = passwordProblem(password, before.email);
    if (problem) throw new WeakPasswordError(problem);
    const hash = await hashPassword(password);
    return this.dataSource.transaction(async (manager) => {
      const holder = this.check(kind, await this.find(manager, kind, secret, true));
      await manager.query(`UPDATE account_token SET used_at = now() WHERE id = $1`, [holder.tokenId]);
      await manager.query(`UPDATE app_user SET password_hash = $2, updated_at = now() WHERE id = $1`, [holder.userId, hash]);
      await then(manager, holder);
      return holder;
    });
  }

  private async find(manager: EntityManager, kind: AccountTokenKind, secret: string, lock: boolean): Promise<TokenRow | null> {
    if (typeof secret !== 'string' || !ACCOUNT_LINK_SECRET.test(secret)) return null;
    const rows = (await manager.query(
      `SELECT ${TOKEN_COLUMNS} FROM account_token t JOIN app_user u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND t.kind = $2 ${lock ? 'FOR UPDATE OF t' : ''}`,
      [accountTokenHash(secret), kind],
    )) as TokenRow[];
    return rows[0] ?? null;
  }

  private check(kind: AccountTokenKind, row: TokenRow | null): AccountLinkHolder {
    if (!row || row.kind !== kind || row.status !== 'active') throw new AccountLinkError('invalid');
    if (row.usedAt) throw new AccountLinkError('used', row.locale);
    if (row.revokedAt) throw new AccountLinkError('replaced', row.locale);
    if (new Date(row.expiresAt).getTime() <= Date.now()) throw new AccountLinkError('expired', row.locale);
    return { tokenId: row.id, userId: row.userId, email: row.email, displayName: row.displayName, locale: row.locale, expiresAt: new Date(row.expiresAt) };
  }
}
