import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PrincipalCache } from './principal-cache.service.js';

export type RevokeReason = 'logout' | 'reuse' | 'disabled' | 'password_changed';

export interface RefreshTokenRecord {
  id: string;
  familyId: string;
  userId: string;
  usedAt: Date | null;
  expiresAt: Date;
  familyRevokedAt: Date | null;
  userStatus: string;
}

/** Sessions (refresh-token families) and their refresh tokens (stored as SHA-256 only). */
@Injectable()
export class SessionRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PrincipalCache) private readonly cache: PrincipalCache,
  ) {}

  async createSession(manager: EntityManager, userId: string): Promise<string> {
    const [row] = (await manager.query(`INSERT INTO auth_session (user_id) VALUES ($1) RETURNING id`, [userId])) as Array<{ id: string }>;
    return row.id;
  }

  async insertRefreshToken(manager: EntityManager, familyId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await manager.query(`INSERT INTO refresh_token (family_id, token_hash, expires_at) VALUES ($1, $2, $3)`, [
      familyId,
      tokenHash,
      expiresAt,
    ]);
  }

  /** Locks the token row so two refreshes with the same token serialise (the second sees it used). */
  async findForUpdate(manager: EntityManager, tokenHash: string): Promise<RefreshTokenRecord | null> {
    const rows = (await manager.query(
      `SELECT t.id, t.family_id AS "familyId", s.user_id AS "userId", t.used_at AS "usedAt", t.expires_at AS "expiresAt",
              s.revoked_at AS "familyRevokedAt", u.status AS "userStatus"
         FROM refresh_token t
         JOIN auth_session s ON s.id = t.family_id
         JOIN app_user u ON u.id = s.user_id
        WHERE t.token_hash = $1
          FOR UPDATE OF t`,
      [tokenHash],
    )) as RefreshTokenRecord[];
    return rows[0] ?? null;
  }

  async markUsed(manager: EntityManager, tokenId: string): Promise<void> {
    await manager.query(`UPDATE refresh_token SET used_at = now() WHERE id = $1`, [tokenId]);
  }

  async revokeFamily(familyId: string, reason: RevokeReason, manager?: EntityManager, userId?: string): Promise<number> {
    this.cache.invalidateSession(familyId);
    const result = (await (manager ?? this.dataSource.manager).query(
      `UPDATE auth_session SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL ${userId ? 'AND user_id = $3' : ''}`,
      userId ? [familyId, reason, userId] : [familyId, reason],
    )) as [unknown[], number];
    return result[1];
  }

  /** Ends every session of a person (disabled, password changed), optionally keeping one. */
  async revokeAllForUser(manager: EntityManager, userId: string, reason: RevokeReason, exceptFamilyId?: string): Promise<number> {
    this.cache.invalidateUser(userId);
    const result = (await manager.query(
      `UPDATE auth_session SET revoked_at = now(), revoked_reason = $2
        WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid)`,
      [userId, reason, exceptFamilyId ?? null],
    )) as [unknown[], number];
    return result[1];
  }
}
