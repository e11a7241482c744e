import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SignJWT } from 'jose';
import { DataSource } from 'typeorm';
import { AppConfig, Principal } from '@lms/platform';
import { InvalidCredentialsError, InvalidRefreshTokenError } from './identity.errors.js';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from './jwt-auth.guard.js';
import { LoginThrottle } from './login-throttle.service.js';
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from './password.js';
import { SessionRepository } from './session.repository.js';
import { normalizeEmail } from './user-fields.js';
import { UserRepository } from './user.repository.js';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Access-token lifetime in seconds. */
  expiresIn: number;
  tokenType: 'Bearer';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Sign-in, token refresh with rotation and reuse detection, sign-out. Access tokens are short
 * JWTs (HS256; iss lms, aud lms-api, typ access, sub, sid, jti); refresh tokens are 256 random bits
 * of which only the SHA-256 is stored, one family per session (sid = family id).
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');
  private readonly key: Uint8Array;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(SessionRepository) private readonly sessions: SessionRepository,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
  ) {
    this.key = new TextEncoder().encode(config.jwtSecret);
  }

  /**
   * Checks e-mail and password (throttled first, then argon2id); the same error whether the
   * e-mail is unknown, the password wrong or the person disabled. Returns the person's id.
   */
  async verifyCredentials(emailInput: string, password: string, ip: string): Promise<string> {
    const email = normalizeEmail(emailInput);
    const attempt = await this.throttle.begin(email, ip);
    const credentials = await this.users.findCredentials(email);
    // Unknown e-mail or no password yet: verify against a dummy hash so timing does not tell.
    const ok = await verifyPassword(credentials?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!ok || !credentials?.passwordHash || credentials.status !== 'active') {
      await this.throttle.fail(attempt);
      throw new InvalidCredentialsError();
    }
    await this.throttle.succeed(attempt, email);
    if (needsRehash(credentials.passwordHash)) await this.users.setPasswordHash(credentials.id, await hashPassword(password));
    return credentials.id;
  }

  /** A new session (refresh-token family) with its first token pair. */
  async startSession(userId: string): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString('base64url');
    const familyId = await this.dataSource.transaction(async (manager) => {
      const id = await this.sessions.createSession(manager, userId);
      await this.sessions.insertRefreshToken(manager, id, sha256Hex(refreshToken), this.refreshExpiry());
      return id;
    });
    return this.pair(userId, familyId, refreshToken);
  }

  /**
   * Rotation: the presented token is marked used and a new one is issued in the same family.
   * A token presented a second time means it leaked: the whole family is revoked (its access
   * tokens stop working too) and the answer is 401.
   */
  async refresh(token: string): Promise<TokenPair> {
    const next = randomBytes(32).toString('base64url');
    const outcome = await this.dataSource.transaction(async (manager) => {
      const record = await this.sessions.findForUpdate(manager, sha256Hex(token));
      if (!record) return { kind: 'invalid' as const };
      if (record.usedAt) {
        await this.sessions.revokeFamily(record.familyId, 'reuse', manager);
        return { kind: 'reuse' as const, userId: record.userId, familyId: record.familyId };
      }
      if (record.familyRevokedAt || new Date(record.expiresAt).getTime() <= Date.now() || record.userStatus !== 'active')
        return { kind: 'invalid' as const };
      await this.sessions.markUsed(manager, record.id);
      await this.sessions.insertRefreshToken(manager, record.familyId, sha256Hex(next), this.refreshExpiry());
      return { kind: 'ok' as const, userId: record.userId, familyId: record.familyId };
    });
    if (outcome.kind === 'reuse')
      this.logger.warn({ userId: outcome.userId, sessionId: outcome.familyId }, 'refresh token reused: session revoked');
    if (outcome.kind !== 'ok') throw new InvalidRefreshTokenError();
    return this.pair(outcome.userId, outcome.familyId, next);
  }

  /** Revokes the caller's session: its refresh tokens and (through the guard) its access tokens. */
  async logout(principal: Principal): Promise<void> {
    if (principal.sessionId && UUID.test(principal.sessionId))
      await this.sessions.revokeFamily(principal.sessionId, 'logout', undefined, principal.userId);
  }

  /** Checks the caller's current password (throttled like a sign-in); 400 when wrong. */
  async confirmPassword(principal: Principal, password: string, ip: string): Promise<boolean> {
    try {
      await this.verifyCredentials(principal.email, password, ip);
      return true;
    } catch (e) {
      if (e instanceof InvalidCredentialsError) return false;
      throw e;
    }
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.config.refreshTokenTtlDays * 86_400_000);
  }

  private async pair(userId: string, sessionId: string, refreshToken: string): Promise<TokenPair> {
    const ttl = this.config.accessTokenTtlSeconds;
    const accessToken = await new SignJWT({ typ: 'access', sid: sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setJti(randomBytes(12).toString('base64url'))
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttl)
      .sign(this.key);
    return { accessToken, refreshToken, expiresIn: ttl, tokenType: 'Bearer' };
  }
}
