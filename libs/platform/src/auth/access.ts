import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { ApiProblems } from '../errors/problem.openapi.js';

/**
 * The access contract every route declares. The global guard (identity) denies by default: a
 * route with neither `@Public()` nor `@Access(...)` answers 403, and the route-coverage test fails.
 */
export const ROLES = ['admin', 'hr', 'author', 'learner'] as const;
export type Role = (typeof ROLES)[number];

/** A grant of a role over an org unit and everything below it (`null` scope only for admin). */
export interface RoleGrant {
  role: Role;
  scopeOrgUnitId: string | null;
}

/** The authenticated caller, as the guard puts it on the request. */
export interface Principal {
  userId: string;
  email: string;
  orgUnitId: string;
  grants: RoleGrant[];
  /** Session (refresh-token family) id, for logout. */
  sessionId?: string;
  /** How the caller proved who they are: a bearer token (API clients) or the browser's session cookie. */
  via?: 'bearer' | 'cookie';
  /**
   * The person's profile locale (BCP 47), read with the grants when the caller was resolved (cached
   * with them and dropped on a profile change); problem+json and CSV headers use it when
   * Accept-Language names no interface language. Undefined where a caller is built some other way.
   */
  locale?: string;
}

export const IS_PUBLIC_KEY = 'lms:public';
export const ACCESS_KEY = 'lms:access';

/** Who may call a route. `authenticated` = any signed-in user (every user is a learner of their own data). */
export type AccessRole = Role | 'authenticated';
export interface AccessRule {
  roles: AccessRole[];
}

/**
 * Open route: no token needed (login, verify, open data, health). Also documents it in OpenAPI as
 * needing no security (`security: [{}]`) with the 400 problem answer every route can give.
 */
export const Public = (): MethodDecorator & ClassDecorator => applyDecorators(SetMetadata(IS_PUBLIC_KEY, true), ApiSecurity({}), ApiProblems(400));

export const IDENTIFY_KEY = 'lms:identify';
/**
 * On a @Public() route: when the request carries a valid access token, the guard still puts the
 * caller on the request (`request.user`), so the handler may show more to some callers
 * (e.g. readiness details to admins). An invalid or missing token is not an error there.
 */
export const IdentifyIfSignedIn = (): MethodDecorator & ClassDecorator => SetMetadata(IDENTIFY_KEY, true);

/**
 * Roles that may call the route. Scope (which org units, whose objects) is then checked in the
 * service against the caller, because it depends on the object being touched.
 */
export const Access = (...roles: AccessRole[]): MethodDecorator & ClassDecorator =>
  // OpenAPI: the bearer scheme and the problem answers of the guard (401, 403) and of validation (400).
  applyDecorators(SetMetadata(ACCESS_KEY, { roles } satisfies AccessRule), ApiBearerAuth(), ApiProblems(400, 401, 403));

/** The caller of an authenticated route. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const request = ctx.switchToHttp().getRequest<{ user?: Principal }>();
  if (!request.user) throw new UnauthorizedException();
  return request.user;
});

export function hasRole(principal: Principal, role: Role): boolean {
  return principal.grants.some((g) => g.role === role);
}

export function isAdmin(principal: Principal): boolean {
  return hasRole(principal, 'admin');
}
