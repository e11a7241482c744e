import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@lms/platform';
import type { Principal, Role } from '@lms/platform';
import { PrincipalCache } from './principal-cache.service.js';
import { SessionRepository } from './session.repository.js';

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COOKIE_VALUE = /^([0-9a-f-]{36})\.([\w-]{43})$/i;

export interface CookieOptions {
  name: string;
  secure: boolean;
}

/** Reads one cookie from a Cookie header (RFC 6265 syntax; the first of duplicate names wins). */
export function readCookie(header: string | string[] | undefined, name: string): string | undefined {
  const text = Array.isArray(header) ? header.join('; ') : header;
  if (!text) return undefined;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure on https. */
export function serializeCookie(name: string, value: string, opts: { secure: boolean; maxAgeSeconds?: number; httpOnly?: boolean }): string {
  const parts = [`${name}=${value}`, 'Path=/', 'SameSite=Lax'];
  if (opts.httpOnly !== false) parts.push('HttpOnly');
  if (opts.secure) parts.push('Secure');
  if (opts.maxAgeSeconds !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(opts.maxAgeSeconds))}`);
  return parts.join('; ');
}

/**
 * Browser sessions: the same `auth_session` record an API sign-in creates (so sign-out, disabling a
 * person and a password change end both), held by an HttpOnly cookie `<id>.<secret>` of which only
 * the secret's SHA-256 is stored. No token ever reaches page scripts. State-changing requests made
 * with the cookie carry a CSRF token derived from the session (HMAC), checked by the global guard.
 */
@Injectable()
export class WebSessionService {
  readonly cookie: CookieOptions;
  private readonly csrfKey: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(SessionRepository) private readonly sessions: SessionRepository,
    @Inject(PrincipalCache) private readonly cache: PrincipalCache,
  ) {
    const secure = config.publicUrl.startsWith('https:');
    // The __Host- prefix pins the cookie to this origin (Secure, Path=/, no Domain), where https allows it.
    this.cookie = { name: secure ? '__Host-lms_session' : 'lms_session', secure };
    this.csrfKey = createHmac('sha256', config.jwtSecret).update('lms web csrf').digest();
  }

  get ttlSeconds(): number {
    return this.config.refreshTokenTtlDays * 86_400;
  }

  /** Starts a web session for a person whose credentials were just checked; returns the cookie value. */
  async start(userId: string): Promise<{ value: string; sessionId: string }> {
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.ttlSeconds * 1000);
    const [row] = (await this.dataSource.query(
      `INSERT INTO auth_session (user_id, kind, secret_hash, expires_at) VALUES ($1, 'web', $2, $3) RETURNING id`,
      [userId, sha256Hex(secret), expiresAt],
    )) as Array<{ id: string }>;
    return { value: `${row.id}.${secret}`, sessionId: row.id };
  }

  /** The caller behind a session cookie, or null when the cookie is malformed, unknown, expired or revoked. */
  async resolve(cookieValue: string): Promise<Principal | null> {
    const match = COOKIE_VALUE.exec(cookieValue);
    if (!match || !UUID.test(match[1])) return null;
    const cacheKey = PrincipalCache.cookieKey(cookieValue);
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const rows = (await this.dataSource.query(
      `SELECT u.id, u.email, u.org_unit_id, u.status, u.locale, s.secret_hash, s.expires_at, s.revoked_at,
              COALESCE(json_agg(json_build_object('role', g.role, 'scopeOrgUnitId', g.scope_org_unit_id)) FILTER (WHERE g.id IS NOT NULL), '[]') AS grants
         FROM auth_session s JOIN app_user u ON u.id = s.user_id LEFT JOIN role_grant g ON g.user_id = u.id
        WHERE s.id = $1::uuid AND s.kind = 'web'
        GROUP BY u.id, s.id`,
      [match[1]],
    )) as Array<{
      id: string;
      email: string;
      org_unit_id: string;
      status: string;
      locale: string;
      secret_hash: string;
      expires_at: Date;
      revoked_at: Date | null;
      grants: Array<{ role: Role; scopeOrgUnitId: string | null }>;
    }>;
    const row = rows[0];
    if (!row || row.status !== 'active' || row.revoked_at || new Date(row.expires_at).getTime() <= Date.now()) return null;
    const given = Buffer.from(sha256Hex(match[2]), 'hex');
    const stored = Buffer.from(row.secret_hash, 'hex');
    if (given.length !== stored.length || !timingSafeEqual(given, stored)) return null;
    const principal: Principal = { userId: row.id, email: row.email, orgUnitId: row.org_unit_id, grants: row.grants, sessionId: match[1], via: 'cookie', locale: row.locale };
    this.cache.set(cacheKey, principal, new Date(row.expires_at));
    return principal;
  }

  /** Ends the session behind the cookie (sign-out). */
  async end(principal: Principal): Promise<void> {
    if (principal.sessionId && UUID.test(principal.sessionId))
      await this.sessions.revokeFamily(principal.sessionId, 'logout', undefined, principal.userId);
  }

  /** The CSRF token of a session: an HMAC of its id, so nothing extra is stored or sent in a cookie. */
  csrfToken(sessionId: string): string {
    return createHmac('sha256', this.csrfKey).update(sessionId).digest('base64url');
  }

  checkCsrf(sessionId: string, given: unknown): boolean {
    if (typeof given !== 'string' || given.length > 128) return false;
    const expected = Buffer.from(this.csrfToken(sessionId));
    const actual = Buffer.from(given);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  setCookie(value: string): string {
    return serializeCookie(this.cookie.name, value, { secure: this.cookie.secure, maxAgeSeconds: this.ttlSeconds });
  }

  clearCookie(): string {
    return serializeCookie(this.cookie.name, '', { secure: this.cookie.secure, maxAgeSeconds: 0 });
  }
}
