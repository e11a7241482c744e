import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError, Page, pageOf, Principal, ValidationError } from '@lms/platform';
import { AuditLog } from '../audit-log.service.js';
import type { RequestMeta } from '../request-meta.js';
import type { DepartmentMatch } from './scim-client.entity.js';

/** Tokens look like `lms_scim_<43 base64url characters>` (256 random bits). */
const TOKEN_PREFIX = 'lms_scim_';
const TOKEN_SHAPE = /^lms_scim_[A-Za-z0-9_-]{43}$/;
/** last_used_at is written at most this often per client (not on every request). */
const LAST_USED_EVERY_MS = 60_000;

export function scimTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface ScimClientView {
  id: string;
  name: string;
  scopeOrgUnitId: string;
  defaultOrgUnitId: string;
  departmentMatch: DepartmentMatch;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreateScimClientInput {
  name: string;
  scopeOrgUnitId: string;
  defaultOrgUnitId?: string;
  departmentMatch?: DepartmentMatch;
}

/**
 * The authenticated SCIM client on a request: its scope (materialised path of its subtree) and a
 * principal with HR authority over that subtree, whose `userId` is the client's id (the audit
 * log's actor for every change it makes).
 */
export interface ScimCaller {
  clientId: string;
  name: string;
  scopeOrgUnitId: string;
  scopePath: string;
  defaultOrgUnitId: string;
  departmentMatch: DepartmentMatch;
  principal: Principal;
}

interface ClientRow {
  id: string;
  name: string;
  scope_org_unit_id: string;
  default_org_unit_id: string;
  department_match: DepartmentMatch;
  created_by: string | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

function view(r: ClientRow): ScimClientView {
  return {
    id: r.id,
    name: r.name,
    scopeOrgUnitId: r.scope_org_unit_id,
    defaultOrgUnitId: r.default_org_unit_id,
    departmentMatch: r.department_match,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
  };
}

const CLIENT_COLUMNS = `c.id, c.name, c.scope_org_unit_id, c.default_org_unit_id, c.department_match, c.created_by, c.created_at, c.last_used_at, c.revoked_at`;

/** SCIM provisioning clients: created, listed and revoked by admins; tokens stored as SHA-256 only. */
@Injectable()
export class ScimClientService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  /** Creates a client and returns its token: the only time the token is ever shown. */
  async create(principal: Principal, input: CreateScimClientInput, meta?: RequestMeta): Promise<ScimClientView & { token: string }> {
    const [scope] = (await this.dataSource.query(`SELECT id, path FROM org_unit WHERE id = $1`, [input.scopeOrgUnitId])) as Array<{
      id: string;
      path: string;
    }>;
    if (!scope) throw new ValidationError([{ field: 'scopeOrgUnitId', message: `no org unit has the id ${input.scopeOrgUnitId}`, rule: 'unknownOrgUnit', params: { id: input.scopeOrgUnitId } }]);
    const defaultId = input.defaultOrgUnitId ?? scope.id;
    const [inside] = (await this.dataSource.query(`SELECT 1 AS ok FROM org_unit WHERE id = $1 AND path LIKE $2 || '%'`, [
      defaultId,
      scope.path,
    ])) as unknown[];
    if (!inside)
      throw new ValidationError([{ field: 'defaultOrgUnitId', message: 'the default unit must be the scope unit or a unit below it' }]);
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row = await this.dataSource.transaction(async (manager) => {
      const [created] = (await manager.query(
        `INSERT INTO scim_client (name, token_hash, scope_org_unit_id, default_org_unit_id, department_match, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${CLIENT_COLUMNS.replaceAll('c.', '')}`,
        [input.name.trim(), scimTokenHash(token), scope.id, defaultId, input.departmentMatch ?? 'code', principal.userId],
      )) as ClientRow[];
      await this.audit.record(
        {
          actor: principal,
          action: 'scim_client.created',
          subjectType: 'scim_client',
          subjectId: created.id,
          after: view(created),
          requestId: meta?.requestId,
        },
        manager,
      );
      return created;
    });
    return { ...view(row), token };
  }

  async list(page: number, limit: number): Promise<Page<ScimClientView>> {
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM scim_client`)) as Array<{ total: number }>;
    const rows = (await this.dataSource.query(
      `SELECT ${CLIENT_COLUMNS} FROM scim_client c ORDER BY c.created_at DESC, c.id LIMIT $1 OFFSET $2`,
      [limit, (page - 1) * limit],
    )) as ClientRow[];
    return pageOf(rows.map(view), total, { page, limit });
  }

  /** Revokes a client: its token stops working at once. Revoking twice answers the same. */
  async revoke(principal: Principal, id: string, meta?: RequestMeta): Promise<ScimClientView> {
    return this.dataSource.transaction(async (manager) => {
      const [before] = (await manager.query(`SELECT ${CLIENT_COLUMNS} FROM scim_client c WHERE c.id = $1 FOR UPDATE`, [id])) as ClientRow[];
      if (!before) throw new NotFoundError('SCIM client', id);
      if (before.revoked_at) return view(before);
      // An UPDATE answers [rows, affected count].
      const [[after]] = (await manager.query(`UPDATE scim_client c SET revoked_at = now() WHERE c.id = $1 RETURNING ${CLIENT_COLUMNS}`, [
        id,
      ])) as [ClientRow[], number];
      await this.audit.record(
        {
          actor: principal,
          action: 'scim_client.revoked',
          subjectType: 'scim_client',
          subjectId: id,
          before: view(before),
          after: view(after),
          requestId: meta?.requestId,
        },
        manager,
      );
      return view(after);
    });
  }

  /** The caller behind a bearer token, or null (unknown, malformed or revoked token). */
  async authenticate(token: string): Promise<ScimCaller | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const rows = (await this.dataSource.query(
      `SELECT c.id, c.name, c.scope_org_unit_id, c.default_org_unit_id, c.department_match, c.last_used_at, o.path
         FROM scim_client c JOIN org_unit o ON o.id = c.scope_org_unit_id
        WHERE c.token_hash = $1 AND c.revoked_at IS NULL`,
      [scimTokenHash(token)],
    )) as Array<ClientRow & { path: string }>;
    const c = rows[0];
    if (!c) return null;
    if (!c.last_used_at || Date.now() - c.last_used_at.getTime() > LAST_USED_EVERY_MS)
      await this.dataSource.query(`UPDATE scim_client SET last_used_at = now() WHERE id = $1`, [c.id]);
    return {
      clientId: c.id,
      name: c.name,
      scopeOrgUnitId: c.scope_org_unit_id,
      scopePath: c.path,
      defaultOrgUnitId: c.default_org_unit_id,
      departmentMatch: c.department_match,
      principal: {
        userId: c.id,
        email: `scim-client:${c.id}`,
        orgUnitId: c.scope_org_unit_id,
        grants: [{ role: 'hr', scopeOrgUnitId: c.scope_org_unit_id }],
      },
    };
  }
}
