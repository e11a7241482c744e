import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Role } from '@lms/platform';
import { likeEscape } from './org-unit.repository.js';
import { PrincipalCache } from './principal-cache.service.js';
import type { Gender, Locale, Locality, UserStatus } from './user.entity.js';

export interface GrantRow {
  role: Role;
  scopeOrgUnitId: string | null;
}

export interface UserFields {
  email: string;
  displayName: string;
  orgUnitId: string;
  jobRoleCode: string | null;
  managerId: string | null;
  locale: Locale;
  timeZone: string;
  gender: Gender | null;
  locality: Locality | null;
  status: UserStatus;
}

export interface UserRow extends UserFields {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  roles: GrantRow[];
}

/** Never selects password_hash except in findCredentials. */
const COLUMNS = `u.id, u.email, u.display_name AS "displayName", u.org_unit_id AS "orgUnitId", u.job_role_code AS "jobRoleCode",
  u.manager_id AS "managerId", u.locale, u.time_zone AS "timeZone", u.gender, u.locality, u.status,
  u.created_at AS "createdAt", u.updated_at AS "updatedAt",
  COALESCE((SELECT json_agg(json_build_object('role', g.role, 'scopeOrgUnitId', g.scope_org_unit_id) ORDER BY g.role, g.scope_org_unit_id)
              FROM role_grant g WHERE g.user_id = u.id), '[]'::json) AS roles`;

export interface UserListFilter {
  scopePrefixes: string[];
  orgUnitPath?: string;
  orgUnitId?: string;
  q?: string;
  status?: UserStatus;
  /** One of USER_SORTS; default `name`. */
  sort?: UserSort;
  offset: number;
  limit: number;
}

/** The orders a people list can be read in: a key, `-` first for descending. Every order ends on the id, so pages never overlap. */
export const USER_SORTS = ['name', '-name', 'email', '-email', 'unit', '-unit', 'status', '-status', 'created', '-created'] as const;
export type UserSort = (typeof USER_SORTS)[number];
const SORT_SQL: Record<string, string> = { name: 'u.display_name', email: 'u.email', unit: 'o.name', status: 'u.status', created: 'u.created_at' };

/** The ORDER BY of a sort key; a key that is not one of USER_SORTS (callers validate) orders by name, never reaches SQL. */
function orderBy(sort: UserSort = 'name'): string {
  const descending = sort.startsWith('-');
  const key = descending ? sort.slice(1) : sort;
  const column = Object.hasOwn(SORT_SQL, key) ? SORT_SQL[key] : SORT_SQL.name;
  const dir = descending ? 'DESC' : 'ASC';
  return column === SORT_SQL.name ? `${column} ${dir}, u.id ${dir}` : `${column} ${dir}, u.display_name ${dir}, u.id ${dir}`;
}

@Injectable()
export class UserRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PrincipalCache) private readonly cache: PrincipalCache,
  ) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  async findById(id: string, manager?: EntityManager): Promise<UserRow | null> {
    const rows = (await this.m(manager).query(`SELECT ${COLUMNS} FROM app_user u WHERE u.id = $1`, [id])) as UserRow[];
    return rows[0] ?? null;
  }

  async exists(id: string): Promise<boolean> {
    const rows = (await this.dataSource.query(`SELECT 1 FROM app_user WHERE id = $1`, [id])) as unknown[];
    return rows.length > 0;
  }

  async emailTaken(email: string, exceptId?: string): Promise<boolean> {
    const rows = (await this.dataSource.query(`SELECT 1 FROM app_user WHERE email = $1 AND ($2::uuid IS NULL OR id <> $2::uuid)`, [
      email,
      exceptId ?? null,
    ])) as unknown[];
    return rows.length > 0;
  }

  /** The only read of password_hash. */
  async findCredentials(email: string): Promise<{ id: string; passwordHash: string | null; status: UserStatus } | null> {
    const rows = (await this.dataSource.query(`SELECT id, password_hash AS "passwordHash", status FROM app_user WHERE email = $1`, [
      email,
    ])) as Array<{
      id: string;
      passwordHash: string | null;
      status: UserStatus;
    }>;
    return rows[0] ?? null;
  }

  async passwordHashOf(id: string): Promise<string | null> {
    const rows = (await this.dataSource.query(`SELECT password_hash AS "passwordHash" FROM app_user WHERE id = $1`, [id])) as Array<{
      passwordHash: string | null;
    }>;
    return rows[0]?.passwordHash ?? null;
  }

  async insert(manager: EntityManager, fields: UserFields & { passwordHash: string | null }): Promise<string> {
    const [row] = (await manager.query(
      `INSERT INTO app_user (email, display_name, password_hash, org_unit_id, job_role_code, manager_id, locale, time_zone, gender, locality, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        fields.email,
        fields.displayName,
        fields.passwordHash,
        fields.orgUnitId,
        fields.jobRoleCode,
        fields.managerId,
        fields.locale,
        fields.timeZone,
        fields.gender,
        fields.locality,
        fields.status,
      ],
    )) as Array<{ id: string }>;
    return row.id;
  }

  async update(manager: EntityManager, id: string, fields: UserFields): Promise<void> {
    this.cache.invalidateUser(id);
    await manager.query(
      `UPDATE app_user SET email = $2, display_name = $3, org_unit_id = $4, job_role_code = $5, manager_id = $6, locale = $7,
              time_zone = $8, gender = $9, locality = $10, status = $11, updated_at = now()
        WHERE id = $1`,
      [
        id,
        fields.email,
        fields.displayName,
        fields.orgUnitId,
        fields.jobRoleCode,
        fields.managerId,
        fields.locale,
        fields.timeZone,
        fields.gender,
        fields.locality,
        fields.status,
      ],
    );
  }

  async setPasswordHash(id: string, hash: string, manager?: EntityManager): Promise<void> {
    await this.m(manager).query(`UPDATE app_user SET password_hash = $2, updated_at = now() WHERE id = $1`, [id, hash]);
  }

  /** Makes the person's grants exactly `grants` (set-based: one delete, one insert). */
  async replaceGrants(manager: EntityManager, userId: string, grants: GrantRow[]): Promise<void> {
    this.cache.invalidateUser(userId);
    const roles = grants.map((g) => g.role);
    const scopes = grants.map((g) => g.scopeOrgUnitId);
    await manager.query(
      `DELETE FROM role_grant g
        WHERE g.user_id = $1
          AND NOT EXISTS (SELECT 1 FROM unnest($2::text[], $3::uuid[]) AS n(role, scope)
                           WHERE n.role = g.role AND n.scope IS NOT DISTINCT FROM g.scope_org_unit_id)`,
      [userId, roles, scopes],
    );
    await manager.query(
      `INSERT INTO role_grant (user_id, role, scope_org_unit_id)
       SELECT $1, n.role, n.scope FROM unnest($2::text[], $3::uuid[]) AS n(role, scope)
       ON CONFLICT DO NOTHING`,
      [userId, roles, scopes],
    );
  }

  async list(filter: UserListFilter): Promise<{ rows: UserRow[]; total: number }> {
    const where = [`EXISTS (SELECT 1 FROM unnest($1::text[]) p WHERE o.path LIKE p || '%')`];
    const params: unknown[] = [filter.scopePrefixes];
    const add = (sql: (n: string) => string, value: unknown): void => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.orgUnitPath) add((n) => `o.path LIKE ${n} || '%'`, likeEscape(filter.orgUnitPath));
    else if (filter.orgUnitId) add((n) => `u.org_unit_id = ${n}`, filter.orgUnitId);
    if (filter.q) add((n) => `(u.email ILIKE ${n} OR u.display_name ILIKE ${n})`, `%${likeEscape(filter.q)}%`);
    if (filter.status) add((n) => `u.status = ${n}`, filter.status);
    const from = `app_user u JOIN org_unit o ON o.id = u.org_unit_id WHERE ${where.join(' AND ')}`;
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM ${from}`, params)) as Array<{ total: number }>;
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM ${from} ORDER BY ${orderBy(filter.sort)} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.limit, filter.offset],
    )) as UserRow[];
    return { rows, total };
  }

  /** Whether any admin grant exists (first-start set-up). */
  async adminExists(manager: EntityManager): Promise<boolean> {
    const rows = (await manager.query(`SELECT 1 FROM role_grant WHERE role = 'admin' LIMIT 1`)) as unknown[];
    return rows.length > 0;
  }
}
