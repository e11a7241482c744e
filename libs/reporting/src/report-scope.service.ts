import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessScope } from '@lms/identity';
import { isAdmin, NotFoundError, Principal } from '@lms/platform';
import { NoReportScopeError } from './reporting.errors.js';

export interface ScopeUnit {
  id: string;
  code: string;
  name: string;
  path: string;
}

/** The org units a report covers: each of them and everything below it. */
export interface ReportScopeUnits {
  units: ScopeUnit[];
  /** Materialised-path prefixes of those subtrees (none nested in another). */
  prefixes: string[];
}

/**
 * Which part of the org tree a report may cover. An explicit `orgUnitId` must be the caller's
 * HR scope unit or below it (admin: anything); without one the report covers the caller's HR
 * scope units (admin: the root units).
 */
@Injectable()
export class ReportScope {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AccessScope) private readonly access: AccessScope,
  ) {}

  async resolve(principal: Principal, orgUnitId?: string): Promise<ReportScopeUnits> {
    if (orgUnitId) {
      const rows = (await this.dataSource.query(`SELECT id, code, name, path FROM org_unit WHERE id = $1`, [orgUnitId])) as ScopeUnit[];
      if (rows.length === 0) throw new NotFoundError('Org unit', orgUnitId);
      await this.access.assertCanManageUnit(principal, orgUnitId, 'hr');
      return { units: rows, prefixes: [rows[0].path] };
    }
    const rows = isAdmin(principal)
      ? ((await this.dataSource.query(`SELECT id, code, name, path FROM org_unit WHERE parent_id IS NULL ORDER BY name, id`)) as ScopeUnit[])
      : await this.hrUnits(principal);
    if (rows.length === 0) throw new NoReportScopeError();
    const outermost = rows.filter((u) => !rows.some((other) => other !== u && u.path !== other.path && u.path.startsWith(other.path)));
    const unique = outermost.filter((u, i) => outermost.findIndex((o) => o.path === u.path) === i);
    return { units: unique, prefixes: unique.map((u) => u.path) };
  }

  private async hrUnits(principal: Principal): Promise<ScopeUnit[]> {
    const ids = principal.grants.filter((g) => g.role === 'hr' && g.scopeOrgUnitId).map((g) => g.scopeOrgUnitId as string);
    if (ids.length === 0) return [];
    return (await this.dataSource.query(`SELECT id, code, name, path FROM org_unit WHERE id = ANY($1::uuid[]) ORDER BY name, id`, [ids])) as ScopeUnit[];
  }
}
