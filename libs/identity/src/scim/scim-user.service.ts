import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AppConfig, ForbiddenError } from '@lms/platform';
import { Outbox } from '@lms/jobs';
import { AccessScope } from '../access-scope.service.js';
import { AuditEntry, AuditLog } from '../audit-log.service.js';
import { likeEscape } from '../org-unit.repository.js';
import type { RequestMeta } from '../request-meta.js';
import { SessionRepository } from '../session.repository.js';
import { UserRepository } from '../user.repository.js';
import type { Gender, Locale, Locality, UserStatus } from '../user.entity.js';
import type { ScimCaller } from './scim-client.service.js';
import { parseEqFilter } from './scim-filter.js';
import { ListQuery, listResponse, SCIM, ScimError } from './scim-protocol.js';
import { applyUserPatch, ScimUserValues, userFromResource } from './scim-user-mapping.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USER_FILTERS = ['username', 'externalid', 'id', 'active', 'emails.value', 'emails[type eq "work"].value'] as const;

interface ScimUserRow {
  id: string;
  email: string;
  displayName: string;
  externalId: string | null;
  employeeNumber: string | null;
  status: UserStatus;
  orgUnitId: string;
  unitCode: string;
  unitName: string;
  jobRoleCode: string | null;
  managerId: string | null;
  locale: Locale;
  timeZone: string;
  gender: Gender | null;
  locality: Locality | null;
  createdAt: Date;
  updatedAt: Date;
}

const SELECT = `SELECT u.id, u.email, u.display_name AS "displayName", u.external_id AS "externalId", u.employee_number AS "employeeNumber",
       u.status, u.org_unit_id AS "orgUnitId", o.code AS "unitCode", o.name AS "unitName", u.job_role_code AS "jobRoleCode",
       u.manager_id AS "managerId", u.locale, u.time_zone AS "timeZone", u.gender, u.locality, u.created_at AS "createdAt", u.updated_at AS "updatedAt"
  FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id`;

/** The unique constraint a write tripped over, if any. */
function uniqueViolation(e: unknown): string | undefined {
  const err = e instanceof QueryFailedError ? (e.driverError as { code?: string; constraint?: string } | undefined) : undefined;
  return err?.code === '23505' ? (err.constraint ?? 'unique') : undefined;
}

/**
 * SCIM Users over people: userName is the e-mail, `active: false` (or DELETE) disables the
 * person (sessions end; records, enrolments and certificates stay), `department` places them in
 * an org unit of the client's subtree, `manager.value` names their manager. A client sees and
 * changes only people of its subtree, with HR authority (never an admin or author). Every change
 * is audited with the client as actor; placing a person (new, other unit, other job role,
 * reactivated) writes `user.placed`, which re-applies standing assignments.
 */
@Injectable()
export class ScimUserService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(SessionRepository) private readonly sessions: SessionRepository,
    @Inject(AccessScope) private readonly scope: AccessScope,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  location(id: string): string {
    return `${this.config.publicUrl}/scim/v2/Users/${id}`;
  }

  private toResource(caller: ScimCaller, r: ScimUserRow, exclude: Set<string> = new Set()): Record<string, unknown> {
    const enterprise: Record<string, unknown> = { department: caller.departmentMatch === 'name' ? r.unitName : r.unitCode };
    if (r.employeeNumber) enterprise['employeeNumber'] = r.employeeNumber;
    if (r.managerId) enterprise['manager'] = { value: r.managerId, $ref: this.location(r.managerId) };
    return {
      schemas: [SCIM.user, SCIM.enterprise],
      id: r.id,
      ...(r.externalId ? { externalId: r.externalId } : {}),
      userName: r.email,
      displayName: r.displayName,
      name: { formatted: r.displayName },
      active: r.status === 'active',
      emails: [{ value: r.email, type: 'work', primary: true }],
      preferredLanguage: r.locale,
      ...(exclude.has('groups') || !r.jobRoleCode ? {} : { groups: [{ value: r.jobRoleCode, type: 'direct' }] }),
      [SCIM.enterprise]: enterprise,
      meta: {
        resourceType: 'User',
        created: new Date(r.createdAt).toISOString(),
        lastModified: new Date(r.updatedAt).toISOString(),
        location: this.location(r.id),
      },
    };
  }

  private async findVisible(caller: ScimCaller, id: string, manager?: EntityManager, lock = false): Promise<ScimUserRow | null> {
    if (!UUID.test(id)) return null;
    const rows = (await (manager ?? this.dataSource.manager).query(
      `${SELECT} WHERE u.id = $1 AND o.path LIKE $2 || '%' ${lock ? 'FOR UPDATE OF u' : ''}`,
      [id, likeEscape(caller.scopePath)],
    )) as ScimUserRow[];
    return rows[0] ?? null;
  }

  async get(caller: ScimCaller, id: string, exclude?: Set<string>): Promise<Record<string, unknown>> {
    const row = await this.findVisible(caller, id);
    if (!row) throw ScimError.notFound('User', id);
    return this.toResource(caller, row, exclude);
  }

  /** GET /Users with an optional `filter` (eq on userName, externalId, id, active, emails), paged by startIndex/count. */
  async list(caller: ScimCaller, q: ListQuery): Promise<Record<string, unknown>> {
    const params: unknown[] = [likeEscape(caller.scopePath)];
    const where = [`o.path LIKE $1 || '%'`];
    const add = (sql: (n: string) => string, value: unknown): void => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (q.filter) {
      for (const t of parseEqFilter(q.filter, USER_FILTERS)) {
        if (t.attribute === 'active') {
          if (typeof t.value !== 'boolean') throw ScimError.invalidFilter('active compares with true or false');
          add((n) => `(u.status = 'active') = ${n}::boolean`, t.value);
        } else if (typeof t.value !== 'string') throw ScimError.invalidFilter(`${t.attribute} compares with a quoted string`);
        else if (t.attribute === 'externalid') add((n) => `u.external_id = ${n}`, t.value);
        else if (t.attribute === 'id')
          add((n) => `u.id = ${n}::uuid`, UUID.test(t.value) ? t.value : '00000000-0000-0000-0000-000000000000');
        else add((n) => `u.email = ${n}`, t.value.trim().toLowerCase()); // userName and e-mail are the same here (case-insensitive)
      }
    }
    const from = `FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id WHERE ${where.join(' AND ')}`;
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total ${from}`, params)) as Array<{ total: number }>;
    const rows =
      q.count === 0
        ? []
        : ((await this.dataSource.query(
            `${SELECT} WHERE ${where.join(' AND ')} ORDER BY u.created_at, u.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
            [...params, q.count, q.startIndex - 1],
          )) as ScimUserRow[]);
    return listResponse(
      rows.map((r) => this.toResource(caller, r, q.excludedAttributes)),
      total,
      q.startIndex,
    );
  }

  async create(caller: ScimCaller, body: unknown, meta?: RequestMeta): Promise<Record<string, unknown>> {
    const v = userFromResource(body);
    const orgUnitId = await this.unitFor(caller, v.department);
    if (v.managerId) await this.assertManager(caller, v.managerId, null);
    const row = await this.write(async (manager) => {
      const newId = await this.users.insert(manager, {
        email: v.email,
        displayName: v.displayName,
        orgUnitId,
        jobRoleCode: null,
        managerId: v.managerId,
        locale: v.locale ?? 'en',
        timeZone: 'UTC',
        gender: null,
        locality: null,
        status: v.active ? 'active' : 'disabled',
        passwordHash: null,
      });
      await manager.query(`UPDATE app_user SET external_id = $2, employee_number = $3 WHERE id = $1`, [
        newId,
        v.externalId,
        v.employeeNumber,
      ]);
      await manager.query(`INSERT INTO role_grant (user_id, role, scope_org_unit_id) VALUES ($1, 'learner', NULL)`, [newId]);
      if (v.active) await this.outbox.add(manager, 'user.placed', { userId: newId });
      const row = (await this.findVisible(caller, newId, manager))!;
      await this.audit.record(this.entry(caller, 'user.created', newId, null, row, meta, v.department), manager);
      return row;
    });
    return this.toResource(caller, row);
  }

  /** PUT: the resource replaces every attribute this service keeps. */
  async replace(caller: ScimCaller, id: string, body: unknown, meta?: RequestMeta): Promise<Record<string, unknown>> {
    const v = userFromResource(body);
    return this.change(caller, id, () => v, meta);
  }

  async patch(caller: ScimCaller, id: string, body: unknown, meta?: RequestMeta): Promise<Record<string, unknown>> {
    return this.change(caller, id, (current) => applyUserPatch(current, body), meta);
  }

  /** DELETE: the person is deactivated (never erased: their records and certificates stay). */
  async deactivate(caller: ScimCaller, id: string, meta?: RequestMeta): Promise<void> {
    await this.change(caller, id, (current) => ({ ...current, active: false }), meta);
  }

  /**
   * Sets the job role of people of the client's subtree (SCIM Group membership): set-based, audited,
   * `user.placed` for the active ones whose role changed. `onlyFrom` limits the change to people
   * who currently hold that role (removing members). Returns ids that are not visible or beyond
   * the client's authority.
   */
  async setJobRole(
    caller: ScimCaller,
    userIds: string[],
    jobRoleCode: string | null,
    meta?: RequestMeta,
    onlyFrom?: string,
  ): Promise<string[]> {
    const ids = [...new Set(userIds)];
    const valid = ids.filter((i) => UUID.test(i));
    const invalid = ids.filter((i) => !UUID.test(i));
    if (valid.length === 0) return invalid;
    const prefixes = [likeEscape(caller.scopePath)];
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `SELECT u.id, u.job_role_code AS "jobRoleCode", u.status,
                EXISTS (SELECT 1 FROM role_grant g LEFT JOIN org_unit so ON so.id = g.scope_org_unit_id
                         WHERE g.user_id = u.id AND g.role <> 'learner'
                           AND NOT (g.role = 'hr' AND so.path LIKE $2 || '%')) AS "beyond"
           FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id
          WHERE u.id = ANY($1::uuid[]) AND o.path LIKE $2 || '%'
          FOR UPDATE OF u`,
        [valid, prefixes[0]],
      )) as Array<{ id: string; jobRoleCode: string | null; status: UserStatus; beyond: boolean }>;
      const allowed = rows.filter((r) => !r.beyond);
      const refused = [...invalid, ...valid.filter((i) => !allowed.some((r) => r.id === i))];
      const changing = allowed.filter((r) => r.jobRoleCode !== jobRoleCode && (onlyFrom === undefined || r.jobRoleCode === onlyFrom));
      if (changing.length) {
        await manager.query(`UPDATE app_user SET job_role_code = $2, updated_at = now() WHERE id = ANY($1::uuid[])`, [
          changing.map((r) => r.id),
          jobRoleCode,
        ]);
        await this.outbox.addMany(
          manager,
          'user.placed',
          changing.filter((r) => r.status === 'active').map((r) => ({ userId: r.id })),
        );
        await this.audit.recordMany(
          changing.map((r) => ({
            actor: caller.principal,
            action: 'user.updated',
            subjectType: 'user',
            subjectId: r.id,
            before: { jobRoleCode: r.jobRoleCode },
            after: { jobRoleCode, via: 'scim', scimClientId: caller.clientId },
            requestId: meta?.requestId,
          })),
          manager,
        );
      }
      return refused;
    });
  }

  /** Of these ids, those that are not people this client may change (not visible, or beyond its authority). */
  async notChangeable(caller: ScimCaller, userIds: string[]): Promise<string[]> {
    const valid = [...new Set(userIds)].filter((i) => UUID.test(i));
    const rows = (await this.dataSource.query(
      `SELECT u.id FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id
        WHERE u.id = ANY($1::uuid[]) AND o.path LIKE $2 || '%'
          AND NOT EXISTS (SELECT 1 FROM role_grant g LEFT JOIN org_unit so ON so.id = g.scope_org_unit_id
                           WHERE g.user_id = u.id AND g.role <> 'learner' AND NOT (g.role = 'hr' AND so.path LIKE $2 || '%'))`,
      [valid, likeEscape(caller.scopePath)],
    )) as Array<{ id: string }>;
    const ok = new Set(rows.map((r) => r.id));
    return [...new Set(userIds)].filter((i) => !ok.has(i));
  }

  /** Reads, changes (via `next`), writes and audits one person in one transaction. */
  private async change(
    caller: ScimCaller,
    id: string,
    next: (current: ScimUserValues) => ScimUserValues,
    meta?: RequestMeta,
  ): Promise<Record<string, unknown>> {
    const current = await this.findVisible(caller, id);
    if (!current) throw ScimError.notFound('User', id);
    await this.scope.assertHoldsOnlyGrantableRoles(caller.principal, id).catch((e: unknown) => {
      if (e instanceof ForbiddenError)
        throw new ScimError(403, 'This person holds roles beyond a provisioning client\u2019s authority: only an admin may change them');
      throw e;
    });
    const before = this.values(caller, current);
    const v = next(before);
    const orgUnitId = v.department === before.department ? current.orgUnitId : await this.unitFor(caller, v.department);
    if (v.managerId && v.managerId !== current.managerId) await this.assertManager(caller, v.managerId, id);
    const changed = await this.write(async (manager) => {
      const locked = (await this.findVisible(caller, id, manager, true))!;
      const status: UserStatus = v.active ? 'active' : 'disabled';
      await this.users.update(manager, id, {
        email: v.email,
        displayName: v.displayName,
        orgUnitId,
        jobRoleCode: locked.jobRoleCode,
        managerId: v.managerId,
        locale: v.locale ?? locked.locale,
        timeZone: locked.timeZone,
        gender: locked.gender,
        locality: locked.locality,
        status,
      });
      await manager.query(`UPDATE app_user SET external_id = $2, employee_number = $3 WHERE id = $1`, [id, v.externalId, v.employeeNumber]);
      const disabled = status === 'disabled' && locked.status === 'active';
      const reactivated = status === 'active' && locked.status === 'disabled';
      if (disabled) await this.sessions.revokeAllForUser(manager, id, 'disabled');
      if (status === 'active' && (reactivated || orgUnitId !== locked.orgUnitId))
        await this.outbox.add(manager, 'user.placed', { userId: id });
      const after = (await this.findVisible(caller, id, manager))!;
      const action = disabled ? 'user.disabled' : reactivated ? 'user.reactivated' : 'user.updated';
      await this.audit.record(this.entry(caller, action, id, locked, after, meta, v.department), manager);
      return after;
    });
    return this.toResource(caller, changed);
  }

  /** The person as SCIM values (department = their unit's code or name, per the client). */
  private values(caller: ScimCaller, r: ScimUserRow): ScimUserValues {
    return {
      email: r.email,
      displayName: r.displayName,
      externalId: r.externalId,
      active: r.status === 'active',
      employeeNumber: r.employeeNumber,
      department: caller.departmentMatch === 'name' ? r.unitName : r.unitCode,
      managerId: r.managerId,
      locale: r.locale,
    };
  }

  private entry(
    caller: ScimCaller,
    action: string,
    id: string,
    before: ScimUserRow | null,
    after: ScimUserRow,
    meta: RequestMeta | undefined,
    department: string | null,
  ): AuditEntry {
    const shown = (r: ScimUserRow): Record<string, unknown> => ({
      email: r.email,
      displayName: r.displayName,
      externalId: r.externalId,
      employeeNumber: r.employeeNumber,
      orgUnitId: r.orgUnitId,
      jobRoleCode: r.jobRoleCode,
      managerId: r.managerId,
      locale: r.locale,
      status: r.status,
    });
    return {
      actor: caller.principal,
      action,
      subjectType: 'user',
      subjectId: id,
      before: before ? shown(before) : null,
      after: { ...shown(after), via: 'scim', scimClientId: caller.clientId, department },
      requestId: meta?.requestId,
    };
  }

  private async write<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(fn);
    } catch (e) {
      const constraint = uniqueViolation(e);
      if (constraint === 'uq_app_user_email') throw ScimError.uniqueness('userName is already taken');
      if (constraint === 'uq_app_user_external_id') throw ScimError.uniqueness('externalId is already taken');
      throw e;
    }
  }

  /**
   * The unit a `department` places a person in: a unit of the client's subtree with that code (or
   * name, case-insensitive, per the client's setting); none given or none matching → the default unit.
   */
  private async unitFor(caller: ScimCaller, department: string | null): Promise<string> {
    if (!department) return caller.defaultOrgUnitId;
    const byName = caller.departmentMatch === 'name';
    const rows = (await this.dataSource.query(
      `SELECT id FROM org_unit WHERE path LIKE $1 || '%' AND ${byName ? 'lower(name) = lower($2)' : 'code = $2'} ORDER BY depth, id LIMIT 2`,
      [likeEscape(caller.scopePath), department],
    )) as Array<{ id: string }>;
    if (rows.length > 1) throw ScimError.invalidValue(`department "${department}" names more than one unit: rename one or map by code`);
    return rows[0]?.id ?? caller.defaultOrgUnitId;
  }

  private async assertManager(caller: ScimCaller, managerId: string, selfId: string | null): Promise<void> {
    if (managerId === selfId) throw ScimError.invalidValue('a person cannot be their own manager');
    if (!(await this.findVisible(caller, managerId)))
      throw ScimError.invalidValue(`manager ${managerId.slice(0, 64)} is not a person this client provisions`);
  }
}
