import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { jwtVerify, SignJWT } from 'jose';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig, fieldError, isAdmin, NotFoundError, Principal, ValidationError } from '@lms/platform';
import { AccessScope } from './access-scope.service.js';
import { MfaCodeError, MfaStateError, MfaThrottledError, MfaTokenError } from './account.errors.js';
import { AuditLog } from './audit-log.service.js';
import { LoginThrottledError } from './identity.errors.js';
import { LoginThrottle, type ThrottleLimits } from './login-throttle.service.js';
import { PrincipalCache } from './principal-cache.service.js';
import type { RequestMeta } from './request-meta.js';
import { base32Encode, matchTotp, newTotpSecret, otpauthUri } from './totp.js';
import { ACCOUNT_MESSAGES as M } from './account.errors.js';

/** Wrong second-factor codes per person (and per IP) before 429. */
export const MFA_LIMITS: ThrottleLimits = { accountFailures: 5, accountWindowSeconds: 15 * 60, ipFailures: 30, ipWindowSeconds: 15 * 60 };
export const RECOVERY_CODE_COUNT = 10;
/** How long the step between password and second factor stays open. */
export const MFA_TOKEN_TTL_SECONDS = 5 * 60;
/** Enrolment at sign-in takes longer (install an app, scan a code). */
export const MFA_ENROL_TOKEN_TTL_SECONDS = 15 * 60;
const MFA_AUDIENCE = 'lms-mfa';
const RECOVERY_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** What POST /auth/login answers instead of tokens when a second factor is needed. */
export type MfaChallenge =
  | { mfaRequired: true; mfaToken: string; methods: Array<'totp' | 'recovery_code'> }
  | { mfaEnrolmentRequired: true; mfaToken: string };

export interface TotpEnrolment {
  /** Base32, for typing into an app by hand. */
  secret: string;
  otpauthUri: string;
}

export interface MfaStatus {
  totp: boolean;
  confirmedAt: string | null;
  recoveryCodesLeft: number;
  /** The person's role requires a second factor (MFA_REQUIRED_ROLES). */
  required: boolean;
}

export interface SecondFactor {
  code?: unknown;
  recoveryCode?: unknown;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `abcde-fghjk`: 10 characters of a 32-letter alphabet without look-alikes (50 bits). */
function newRecoveryCode(): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

/**
 * Second factor: TOTP with ten single-use recovery codes. Enrolment (start → confirm with a first
 * code), disabling by the person with a code, reset by an administrator (or HR who could change the
 * person), the extra sign-in step, and the per-role requirement (MFA_REQUIRED_ROLES). Codes are
 * throttled per person; the step of the last accepted code is kept so no code is accepted twice.
 */
@Injectable()
export class MfaService {
  private readonly secretKey: Buffer;
  private readonly tokenKey: Uint8Array;
  private readonly issuer: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
    @Inject(AccessScope) private readonly scope: AccessScope,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(PrincipalCache) private readonly cache: PrincipalCache,
  ) {
    this.secretKey = Buffer.from(hkdfSync('sha256', config.jwtSecret, Buffer.alloc(0), 'lms mfa totp secret v1', 32));
    this.tokenKey = new Uint8Array(hkdfSync('sha256', config.jwtSecret, Buffer.alloc(0), 'lms mfa step token v1', 32));
    this.issuer = new URL(config.publicUrl).hostname || 'lms';
  }

  // --- sign-in -------------------------------------------------------------------------------

  /** After a good password: null (issue tokens), or the challenge to answer first. */
  async challengeFor(userId: string): Promise<MfaChallenge | null> {
    const status = await this.status(userId);
    if (status.totp) return { mfaRequired: true, mfaToken: await this.stepToken(userId, 'verify'), methods: ['totp', 'recovery_code'] };
    if (status.required) return { mfaEnrolmentRequired: true, mfaToken: await this.stepToken(userId, 'enrol') };
    return null;
  }

  /** POST /auth/mfa: the person behind a `verify` step token, once their code or recovery code is right. */
  async completeSignIn(mfaToken: unknown, factor: SecondFactor, ip: string): Promise<string> {
    const userId = await this.readStepToken(mfaToken, 'verify');
    await this.checkFactor(userId, factor, ip, 401);
    return userId;
  }

  /** The person behind an `enrol` step token (enrolment at sign-in, before any session exists). */
  async enrollingUser(mfaToken: unknown): Promise<string> {
    return this.readStepToken(mfaToken, 'enrol');
  }

  // --- enrolment -----------------------------------------------------------------------------

  /** A new secret, pending until confirmed with a code; a pending one is replaced. 409 when one is confirmed already. */
  async startEnrolment(userId: string): Promise<TotpEnrolment> {
    const secret = newTotpSecret();
    const rows = (await this.dataSource.query(
      `INSERT INTO mfa_totp (user_id, secret_encrypted) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET secret_encrypted = EXCLUDED.secret_encrypted, last_used_step = NULL, created_at = now()
        WHERE mfa_totp.confirmed_at IS NULL
       RETURNING user_id`,
      [userId, this.encrypt(secret)],
    )) as unknown[];
    if (!rows.length) throw new MfaStateError('mfa_already_enrolled');
    const [{ email }] = (await this.dataSource.query(`SELECT email FROM app_user WHERE id = $1`, [userId])) as Array<{ email: string }>;
    return { secret: base32Encode(secret), otpauthUri: otpauthUri(secret, this.issuer, email) };
  }

  /** The enrolment waiting for its first code (to show the same QR code again after a wrong code), or null. */
  async pendingEnrolment(userId: string): Promise<TotpEnrolment | null> {
    const rows = (await this.dataSource.query(
      `SELECT t.secret_encrypted AS "secretEncrypted", u.email FROM mfa_totp t JOIN app_user u ON u.id = t.user_id WHERE t.user_id = $1 AND t.confirmed_at IS NULL`,
      [userId],
    )) as Array<{ secretEncrypted: string; email: string }>;
    if (!rows.length) return null;
    const secret = this.decrypt(rows[0].secretEncrypted);
    return { secret: base32Encode(secret), otpauthUri: otpauthUri(secret, this.issuer, rows[0].email) };
  }

  /** Confirms the pending secret with a first code; returns the ten recovery codes (shown once). Audited. */
  async confirmEnrolment(userId: string, code: unknown, ip: string, meta?: RequestMeta): Promise<{ recoveryCodes: string[] }> {
    const row = await this.totpRow(userId);
    if (!row) throw new MfaStateError('mfa_enrolment_not_started');
    if (row.confirmedAt) throw new MfaStateError('mfa_already_enrolled');
    await this.guarded(userId, ip, async () => this.acceptTotp(userId, this.decrypt(row.secretEncrypted), code, 400));
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.dataSource.transaction(async (manager) => {
      const [, confirmed] = (await manager.query(`UPDATE mfa_totp SET confirmed_at = now() WHERE user_id = $1 AND confirmed_at IS NULL`, [userId])) as [unknown, number];
      if (!confirmed) throw new MfaStateError('mfa_already_enrolled');
      await this.replaceRecoveryCodes(manager, userId, codes);
      await this.audit.record(
        { actor: { userId }, action: 'user.mfa_enrolled', subjectType: 'user', subjectId: userId, after: { method: 'totp', recoveryCodes: RECOVERY_CODE_COUNT }, requestId: meta?.requestId },
        manager,
      );
    });
    return { recoveryCodes: codes };
  }

  /** The person turns their second factor off, proving it with a code or a recovery code (not when their role requires it). */
  async disable(principal: Principal, factor: SecondFactor, ip: string, meta?: RequestMeta): Promise<void> {
    const status = await this.status(principal.userId);
    if (!status.totp) throw new MfaStateError('mfa_not_enrolled');
    if (status.required) throw new MfaStateError('mfa_required');
    await this.checkFactor(principal.userId, factor, ip, 400);
    await this.dataSource.transaction(async (manager) => {
      await this.remove(manager, principal.userId);
      await this.audit.record(
        { actor: principal, action: 'user.mfa_disabled', subjectType: 'user', subjectId: principal.userId, after: { method: 'totp' }, requestId: meta?.requestId },
        manager,
      );
    });
  }

  /** DELETE /users/:id/mfa: an administrator (or HR who could change the person) removes a lost authenticator. */
  async reset(actor: Principal, userId: string, meta?: RequestMeta): Promise<void> {
    const exists = (await this.dataSource.query(`SELECT 1 FROM app_user WHERE id = $1`, [userId])) as unknown[];
    if (!exists.length) throw new NotFoundError('Person', userId);
    await this.scope.assertCanManageUser(actor, userId);
    if (!isAdmin(actor)) await this.scope.assertHoldsOnlyGrantableRoles(actor, userId);
    // One's own second factor goes off only with a code (DELETE /me/mfa/totp), never by the admin route.
    if (actor.userId === userId) throw new MfaStateError('mfa_reset_self');
    const had = await this.totpRow(userId);
    if (!had?.confirmedAt) throw new MfaStateError('mfa_not_enrolled');
    await this.dataSource.transaction(async (manager) => {
      await this.remove(manager, userId);
      await this.audit.record({ actor, action: 'user.mfa_reset', subjectType: 'user', subjectId: userId, before: { method: 'totp' }, requestId: meta?.requestId }, manager);
    });
  }

  async status(userId: string): Promise<MfaStatus> {
    const [row] = (await this.dataSource.query(
      `SELECT t.confirmed_at AS "confirmedAt",
              (SELECT count(*)::int FROM mfa_recovery_code c WHERE c.user_id = u.id AND c.used_at IS NULL) AS "codesLeft",
              (SELECT array_agg(DISTINCT g.role) FROM role_grant g WHERE g.user_id = u.id) AS roles
         FROM app_user u LEFT JOIN mfa_totp t ON t.user_id = u.id WHERE u.id = $1`,
      [userId],
    )) as Array<{ confirmedAt: Date | null; codesLeft: number; roles: string[] | null }>;
    if (!row) throw new NotFoundError('Person', userId);
    const confirmed = !!row.confirmedAt;
    return {
      totp: confirmed,
      confirmedAt: row.confirmedAt ? new Date(row.confirmedAt).toISOString() : null,
      recoveryCodesLeft: confirmed ? row.codesLeft : 0,
      required: (row.roles ?? []).some((r) => (this.config.mfaRequiredRoles as string[]).includes(r)),
    };
  }

  // --- internals -----------------------------------------------------------------------------

  private async checkFactor(userId: string, factor: SecondFactor, ip: string, status: number): Promise<void> {
    const hasCode = factor.code !== undefined && factor.code !== null && factor.code !== '';
    const hasRecovery = factor.recoveryCode !== undefined && factor.recoveryCode !== null && factor.recoveryCode !== '';
    if (hasCode === hasRecovery)
      throw new ValidationError([fieldError('code', M.codeOrRecovery())]);
    const row = await this.totpRow(userId);
    if (!row?.confirmedAt) throw new MfaCodeError('invalid', status);
    await this.guarded(userId, ip, async () => {
      if (hasCode) return this.acceptTotp(userId, this.decrypt(row.secretEncrypted), factor.code, status);
      return this.acceptRecoveryCode(userId, factor.recoveryCode, status);
    });
  }

  /** Runs a code check under the per-person throttle: a wrong code counts, a right one clears the count. */
  private async guarded(userId: string, ip: string, check: () => Promise<void>): Promise<void> {
    let attempt: string;
    try {
      attempt = await this.throttle.begin(`mfa:${userId}`, `mfa:${ip}`, MFA_LIMITS);
    } catch (e) {
      if (e instanceof LoginThrottledError) throw new MfaThrottledError(Number(e.extra.retryAfter ?? 60));
      throw e;
    }
    try {
      await check();
    } catch (e) {
      await this.throttle.fail(attempt);
      throw e;
    }
    await this.throttle.succeed(attempt, `mfa:${userId}`);
  }

  /** Accepts a code only for a step later than the last accepted one (a conditional UPDATE, so two requests cannot both win). */
  private async acceptTotp(userId: string, secret: Buffer, code: unknown, status: number): Promise<void> {
    const text = typeof code === 'string' ? code.replace(/\s/g, '') : typeof code === 'number' ? String(code).padStart(6, '0') : '';
    const step = matchTotp(secret, text, Date.now() / 1000);
    if (step === null) throw new MfaCodeError('invalid', status);
    const [, updated] = (await this.dataSource.query(
      `UPDATE mfa_totp SET last_used_step = $2 WHERE user_id = $1 AND (last_used_step IS NULL OR last_used_step < $2)`,
      [userId, step],
    )) as [unknown, number];
    if (!updated) throw new MfaCodeError('reused', status);
  }

  private async acceptRecoveryCode(userId: string, code: unknown, status: number): Promise<void> {
    if (typeof code !== 'string' || code.length > 40) throw new MfaCodeError('invalid', status);
    const [rows] = (await this.dataSource.query(
      `UPDATE mfa_recovery_code SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id`,
      [userId, sha256Hex(normalizeRecoveryCode(code))],
    )) as [unknown[], number];
    if (!rows.length) throw new MfaCodeError('invalid', status);
    await this.audit.record({ actor: { userId }, action: 'user.mfa_recovery_code_used', subjectType: 'user', subjectId: userId });
  }

  private async replaceRecoveryCodes(manager: EntityManager, userId: string, codes: string[]): Promise<void> {
    await manager.query(`DELETE FROM mfa_recovery_code WHERE user_id = $1`, [userId]);
    await manager.query(`INSERT INTO mfa_recovery_code (user_id, code_hash) SELECT $1, unnest($2::text[])`, [
      userId,
      codes.map((c) => sha256Hex(normalizeRecoveryCode(c))),
    ]);
  }

  private async remove(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`DELETE FROM mfa_recovery_code WHERE user_id = $1`, [userId]);
    await manager.query(`DELETE FROM mfa_totp WHERE user_id = $1`, [userId]);
    this.cache.invalidateUser(userId);
  }

  private async totpRow(userId: string): Promise<{ secretEncrypted: string; confirmedAt: Date | null } | null> {
    const rows = (await this.dataSource.query(`SELECT secret_encrypted AS "secretEncrypted", confirmed_at AS "confirmedAt" FROM mfa_totp WHERE user_id = $1`, [
      userId,
    ])) as Array<{ secretEncrypted: string; confirmedAt: Date | null }>;
    return rows[0] ?? null;
  }

  private async stepToken(userId: string, purpose: 'verify' | 'enrol'): Promise<string> {
    return new SignJWT({ typ: 'mfa', purpose })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setAudience(MFA_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + (purpose === 'verify' ? MFA_TOKEN_TTL_SECONDS : MFA_ENROL_TOKEN_TTL_SECONDS))
      .sign(this.tokenKey);
  }

  private async readStepToken(token: unknown, purpose: 'verify' | 'enrol'): Promise<string> {
    if (typeof token !== 'string' || token.length > 2000) throw new MfaTokenError();
    let sub: string;
    try {
      const { payload } = await jwtVerify(token, this.tokenKey, { algorithms: ['HS256'], audience: MFA_AUDIENCE });
      if (payload.typ !== 'mfa' || payload.purpose !== purpose || typeof payload.sub !== 'string') throw new Error('wrong step');
      sub = payload.sub;
    } catch {
      throw new MfaTokenError();
    }
    const rows = (await this.dataSource.query(`SELECT 1 FROM app_user WHERE id = $1::uuid AND status = 'active'`, [sub])) as unknown[];
    if (!rows.length) throw new MfaTokenError();
    return sub;
  }

  private encrypt(secret: Buffer): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.secretKey, iv);
    const body = Buffer.concat([cipher.update(secret), cipher.final()]);
    return ['v1', iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  private decrypt(stored: string): Buffer {
    const [, iv, body, tag] = stored.split('.');
    const decipher = createDecipheriv('aes-256-gcm', this.secretKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
  }
}
