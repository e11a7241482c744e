import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ForbiddenError, isAdmin, Principal, Role } from '@lms/platform';
import { ACCOUNT_MESSAGES as M } from './account.errors.js';

/**
 * Object-level authorisation against the caller: which org units (subtrees) an HR grant covers,
 * which people a caller may manage, which school an author writes for. Every domain service that
 * touches people or units asks here; deny by default.
 */
@Injectable()
export class AccessScope {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Materialised-path prefixes the caller manages as `role` (admin: the whole tree, ['/']). */
  async scopePaths(principal: Principal, role: 'hr' | 'author' = 'hr'): Promise<string[]> {
    if (isAdmin(principal)) return ['/'];
    const ids = principal.grants.filter((g) => g.role === role && g.scopeOrgUnitId).map((g) => g.scopeOrgUnitId as string);
    if (ids.length === 0) return [];
    const rows = (await this.dataSource.query(`SELECT path FROM org_unit WHERE id = ANY($1::uuid[])`, [ids])) as Array<{ path: string }>;
    return rows.map((r) => r.path);
  }

  /** True when the unit is one of the caller's scope units or below one. */
  async canManageUnit(principal: Principal, orgUnitId: string, role: 'hr' | 'author' = 'hr'): Promise<boolean> {
    if (isAdmin(principal)) return true;
    const prefixes = await this.scopePaths(principal, role);
    if (prefixes.length === 0) return false;
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM org_unit WHERE id = $1 AND EXISTS (SELECT 1 FROM unnest($2::text[]) p WHERE org_unit.path LIKE p || '%')`,
      [orgUnitId, prefixes],
    )) as unknown[];
    return rows.length > 0;
  }

  async assertCanManageUnit(principal: Principal, orgUnitId: string, role: 'hr' | 'author' = 'hr'): Promise<void> {
    if (!(await this.canManageUnit(principal, orgUnitId, role))) throw new ForbiddenError(M.unitOutOfScope());
  }

  /** The caller themself, admin, or HR whose scope covers the person's unit. */
  async canSeeUser(principal: Principal, userId: string): Promise<boolean> {
    if (principal.userId === userId) return true;
    return this.canManageUser(principal, userId);
  }

  /** Admin, or HR whose scope covers the person's unit (not the person themself). */
  async canManageUser(principal: Principal, userId: string): Promise<boolean> {
    if (isAdmin(principal)) return true;
    const prefixes = await this.scopePaths(principal, 'hr');
    if (prefixes.length === 0) return false;
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id
        WHERE u.id = $1 AND EXISTS (SELECT 1 FROM unnest($2::text[]) p WHERE o.path LIKE p || '%')`,
      [userId, prefixes],
    )) as unknown[];
    return rows.length > 0;
  }

  async assertCanManageUser(principal: Principal, userId: string): Promise<void> {
    if (!(await this.canManageUser(principal, userId))) throw new ForbiddenError(M.personOutOfScope());
  }

  async assertCanSeeUser(principal: Principal, userId: string): Promise<void> {
    if (!(await this.canSeeUser(principal, userId))) throw new ForbiddenError(M.personOutOfScope());
  }

  /** True when the path lies in one of the prefixes (a subtree test on materialised paths). */
  static inScope(path: string, prefixes: string[]): boolean {
    return prefixes.some((p) => path.startsWith(p));
  }

  /**
   * Which grants the caller may hand out: admin any; HR only `learner`, and `hr` over a unit in
   * its own subtree. Throws 403 naming the first grant beyond the caller's authority.
   */
  async assertCanGrant(principal: Principal, grants: Array<{ role: Role; scopeOrgUnitId: string | null }>): Promise<void> {
    if (isAdmin(principal)) return;
    for (const g of grants) {
      if (g.role === 'learner') continue;
      if (g.role !== 'hr') throw new ForbiddenError(M.hrGrantsOnly({ role: g.role }));
      if (!g.scopeOrgUnitId || !(await this.canManageUnit(principal, g.scopeOrgUnitId))) {
        throw new ForbiddenError(M.hrGrantsInScope());
      }
    }
  }

  /**
   * HR may change a person only when every role the person holds is one HR could grant
   * (learner, or hr inside HR's scope): HR can never edit, disable or demote an admin, an author
   * or an HR officer of a wider scope.
   */
  async assertHoldsOnlyGrantableRoles(principal: Principal, userId: string): Promise<void> {
    if (isAdmin(principal)) return;
    const prefixes = await this.scopePaths(principal, 'hr');
    const rows = (await this.dataSource.query(
      `SELECT g.role, o.path FROM role_grant g LEFT JOIN org_unit o ON o.id = g.scope_org_unit_id WHERE g.user_id = $1`,
      [userId],
    )) as Array<{ role: Role; path: string | null }>;
    for (const r of rows) {
      if (r.role === 'learner') continue;
      if (r.role === 'hr' && r.path && AccessScope.inScope(r.path, prefixes)) continue;
      throw new ForbiddenError(M.rolesBeyondAuthority());
    }
  }

  /** Admin, or an author whose grant covers the school unit. */
  async canAuthorFor(principal: Principal, schoolOrgUnitId: string): Promise<boolean> {
    return this.canManageUnit(principal, schoolOrgUnitId, 'author');
  }
}
