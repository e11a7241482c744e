import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { jwtVerify } from 'jose';
import { DataSource } from 'typeorm';
import { ACCESS_KEY, AccessRule, AppConfig, DomainError, IDENTIFY_KEY, IS_PUBLIC_KEY, Principal, Role } from '@lms/platform';
import { PrincipalCache } from './principal-cache.service.js';
import { readCookie, WebSessionService } from './web-session.service.js';

export const ACCESS_TOKEN_ISSUER = 'lms';
export const ACCESS_TOKEN_AUDIENCE = 'lms-api';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface RequestLike {
  method?: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  user?: Principal;
  /** The Node request under Fastify's: the caller's id is left there for the request log line. */
  raw?: { lmsUserId?: string };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Access tokens whose signature and claims were checked, kept until they expire (bounded). */
const VERIFIED_TOKENS_MAX = 10_000;

/** A state-changing request made with the session cookie but without the session's CSRF token. */
export class CsrfTokenError extends DomainError {
  constructor() {
    super('csrf_token_invalid', 'This form has expired or did not come from this site. Reload the page and try again.', 403);
  }
}

/**
 * The global guard: deny by default. Public routes pass; every other route needs a valid access
 * token (HS256 only, issuer/audience checked, `alg: none` refused) AND a declared @Access rule.
 * The user's status, grants and session are read from the database, then reused for at most
 * AUTH_CACHE_SECONDS (PrincipalCache); disabling a person, changing their roles, logout and token
 * reuse drop the cached caller at once (on every replica through Redis).
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly key: Uint8Array;
  /**
   * A token string whose HMAC and claims were verified gives the same answer until it expires, so
   * the verification (WebCrypto, a few per cent of the API's CPU under load) runs once per token.
   * Only the signature check is remembered: the session and the person are still checked (or taken
   * from PrincipalCache with its revocations) on every request.
   */
  private readonly verifiedTokens = new Map<string, { sub: string; sid: string; exp: number }>();

  constructor(
    private readonly reflector: Reflector,
    config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(WebSessionService) private readonly webSessions: WebSessionService,
    @Inject(PrincipalCache) private readonly cache: PrincipalCache,
  ) {
    this.key = new TextEncoder().encode(config.jwtSecret);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<RequestLike>();
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) {
      // Public routes still know a signed-in caller where it helps: a bearer token on routes that ask
      // (@IdentifyIfSignedIn), a browser session everywhere (page header, language). Bad credentials
      // here are simply anonymous.
      if (request.headers['authorization']) {
        if (this.reflector.getAllAndOverride<boolean>(IDENTIFY_KEY, targets)) request.user = await this.authenticate(request).catch(() => undefined);
      } else {
        const cookie = readCookie(request.headers['cookie'], this.webSessions.cookie.name);
        if (cookie) request.user = (await this.webSessions.resolve(cookie)) ?? undefined;
      }
      if (request.user && request.raw) request.raw.lmsUserId = request.user.userId;
      return true;
    }
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, targets);

    const principal = await this.authenticate(request);
    if (principal.via === 'cookie' && !SAFE_METHODS.has(request.method ?? 'GET')) {
      const header = request.headers['x-csrf-token'];
      const field = (request.body as { _csrf?: unknown } | undefined)?._csrf;
      if (!this.webSessions.checkCsrf(principal.sessionId ?? '', typeof header === 'string' ? header : field)) throw new CsrfTokenError();
    }
    if (!rule) throw new ForbiddenException('This route declares no access rule');
    const allowed = rule.roles.some((r) => r === 'authenticated' || principal.grants.some((g) => g.role === r || g.role === 'admin'));
    if (!allowed) throw new ForbiddenException(`This needs one of the roles: ${rule.roles.join(', ')}`);
    request.user = principal;
    if (request.raw) request.raw.lmsUserId = principal.userId;
    return true;
  }

  private rememberVerified(token: string, claims: { sub: string; sid: string; exp: number }): void {
    if (this.verifiedTokens.size >= VERIFIED_TOKENS_MAX) {
      // The oldest entry first (Map keeps insertion order).
      const oldest = this.verifiedTokens.keys().next().value;
      if (oldest !== undefined) this.verifiedTokens.delete(oldest);
    }
    this.verifiedTokens.set(token, claims);
  }

  private async authenticate(request: RequestLike): Promise<Principal> {
    const header = request.headers['authorization'];
    if (header === undefined) {
      const cookie = readCookie(request.headers['cookie'], this.webSessions.cookie.name);
      if (cookie) {
        const principal = await this.webSessions.resolve(cookie);
        if (principal) return principal;
        throw new UnauthorizedException('Your session has ended; sign in again');
      }
    }
    const match = typeof header === 'string' ? /^Bearer\s+([\w-]+\.[\w-]+\.[\w-]+)$/i.exec(header.trim()) : null;
    if (!match) throw new UnauthorizedException('A bearer access token (or a browser session) is required');
    let sub: string;
    let sid: string;
    const memo = this.verifiedTokens.get(match[1]);
    if (memo && memo.exp * 1000 > Date.now()) {
      ({ sub, sid } = memo);
    } else {
      try {
        const { payload } = await jwtVerify(match[1], this.key, {
          algorithms: ['HS256'],
          issuer: ACCESS_TOKEN_ISSUER,
          audience: ACCESS_TOKEN_AUDIENCE,
        });
        if (payload.typ !== 'access' || typeof payload.sub !== 'string' || typeof payload.sid !== 'string')
          throw new Error('not an access token');
        sub = payload.sub;
        sid = payload.sid;
        if (typeof payload.exp === 'number') this.rememberVerified(match[1], { sub, sid, exp: payload.exp });
      } catch {
        this.verifiedTokens.delete(match[1]);
        throw new UnauthorizedException('The access token is invalid or expired');
      }
    }
    const cacheKey = PrincipalCache.bearerKey(sub, sid);
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    // One query: the person, their grants, and whether the token's session (refresh-token family)
    // was revoked (logout, reuse, disabled): a primary-key lookup on auth_session.
    const rows = (await this.dataSource.query(
      `SELECT u.id, u.email, u.org_unit_id, u.status, u.locale,
              COALESCE(json_agg(json_build_object('role', g.role, 'scopeOrgUnitId', g.scope_org_unit_id)) FILTER (WHERE g.id IS NOT NULL), '[]') AS grants,
              EXISTS (SELECT 1 FROM auth_session s WHERE s.id = $2::uuid AND (s.revoked_at IS NOT NULL OR s.user_id <> u.id)) AS session_revoked
         FROM app_user u LEFT JOIN role_grant g ON g.user_id = u.id
        WHERE u.id = $1::uuid
        GROUP BY u.id`,
      [UUID.test(sub) ? sub : '00000000-0000-0000-0000-000000000000', UUID.test(sid) ? sid : null],
    )) as Array<{
      id: string;
      email: string;
      org_unit_id: string;
      status: string;
      locale: string;
      grants: Array<{ role: Role; scopeOrgUnitId: string | null }>;
      session_revoked: boolean;
    }>;
    const user = rows[0];
    if (!user || user.status !== 'active' || user.session_revoked)
      throw new UnauthorizedException('The access token is invalid or expired');
    const principal: Principal = { userId: user.id, email: user.email, orgUnitId: user.org_unit_id, grants: user.grants, sessionId: sid, via: 'bearer', locale: user.locale };
    this.cache.set(cacheKey, principal);
    return principal;
  }
}
