import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { ConflictError, fieldError, ForbiddenError, isAdmin, NotFoundError, Page, pageOf, Principal, ValidationError } from '@lms/platform';
import { AccessScope } from './access-scope.service.js';
import { AuditLog } from './audit-log.service.js';
import { OrgUnitCodeTakenError } from './identity.errors.js';
import type { OrgUnitKind } from './org-unit.entity.js';
import { OrgUnitRepository, OrgUnitRow } from './org-unit.repository.js';
import type { RequestMeta } from './request-meta.js';
import { ACCOUNT_MESSAGES as M } from './account.errors.js';

export interface OrgUnitView {
  id: string;
  code: string;
  name: string;
  kind: OrgUnitKind;
  parentId: string | null;
  /** Materialised path of ids from the root: "/<root>/…/<own id>/". */
  path: string;
  depth: number;
  createdAt: string;
  updatedAt: string;
}

export interface OrgUnitDetail extends OrgUnitView {
  /** Root first, down to the parent. */
  ancestors: Array<{ id: string; code: string; name: string; kind: OrgUnitKind }>;
  /** Direct children (the first 500 by name); `childCount` gives them all. */
  children: Array<{ id: string; code: string; name: string; kind: OrgUnitKind }>;
  childCount: number;
}

export interface CreateOrgUnitInput {
  code: string;
  name: string;
  kind: OrgUnitKind;
  parentId?: string | null;
}

export interface UpdateOrgUnitInput {
  code?: string;
  name?: string;
  kind?: OrgUnitKind;
  /** A new parent moves the unit with its subtree; null makes it a root (admin only). */
  parentId?: string | null;
}

const CHILDREN_SHOWN = 500;

export function toOrgUnitView(row: OrgUnitRow): OrgUnitView {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind,
    parentId: row.parentId,
    path: row.path,
    depth: row.depth,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

function isUniqueViolation(e: unknown): boolean {
  return e instanceof QueryFailedError && (e.driverError as { code?: string } | undefined)?.code === '23505';
}

/** The organisation tree: admins everywhere, HR inside its subtree. Every write is audited. */
@Injectable()
export class OrgUnitService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OrgUnitRepository) private readonly units: OrgUnitRepository,
    @Inject(AccessScope) private readonly scope: AccessScope,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  async create(principal: Principal, input: CreateOrgUnitInput, meta?: RequestMeta): Promise<OrgUnitDetail> {
    if (!input.parentId && !isAdmin(principal)) throw new ForbiddenError(M.topLevelOnlyAdmin());
    if (input.parentId) {
      if (!(await this.units.findById(input.parentId)))
        throw new ValidationError([{ field: 'parentId', message: `no org unit has the id ${input.parentId}`, rule: 'unknownOrgUnit', params: { id: input.parentId } }]);
      await this.scope.assertCanManageUnit(principal, input.parentId);
    }
    const id = randomUUID();
    try {
      // Scope checks run before the transaction (they read on another connection); inside it, the
      // tree lock makes the parent's path stable while the child's path is derived from it.
      await this.dataSource.transaction(async (manager) => {
        await this.units.lockTree(manager);
        const parent = input.parentId ? await this.units.findById(input.parentId, manager) : null;
        if (input.parentId && !parent)
          throw new ValidationError([{ field: 'parentId', message: `no org unit has the id ${input.parentId}`, rule: 'unknownOrgUnit', params: { id: input.parentId } }]);
        if (await this.units.findByCode(input.code, manager)) throw new OrgUnitCodeTakenError(input.code);
        const unit = {
          id,
          code: input.code,
          name: input.name,
          kind: input.kind,
          parentId: parent?.id ?? null,
          path: `${parent?.path ?? '/'}${id}/`,
          depth: parent ? parent.depth + 1 : 0,
        };
        await this.units.insert(manager, unit);
        await this.audit.record(
          { actor: principal, action: 'org_unit.created', subjectType: 'org_unit', subjectId: id, after: unit, requestId: meta?.requestId },
          manager,
        );
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new OrgUnitCodeTakenError(input.code);
      throw e;
    }
    return this.detail(id);
  }

  async get(principal: Principal, id: string): Promise<OrgUnitDetail> {
    const unit = await this.units.findById(id);
    if (!unit) throw new NotFoundError('Org unit', id);
    await this.scope.assertCanManageUnit(principal, id);
    return this.detail(id, unit);
  }

  async list(principal: Principal, query: { parentId?: string; q?: string; page: number; limit: number }): Promise<Page<OrgUnitView>> {
    const scopePrefixes = await this.scope.scopePaths(principal, 'hr');
    if (query.parentId && !(await this.units.findById(query.parentId))) throw new NotFoundError('Org unit', query.parentId);
    const { rows, total } = await this.units.list({
      scopePrefixes,
      parentId: query.parentId,
      q: query.q,
      offset: (query.page - 1) * query.limit,
      limit: query.limit,
    });
    return pageOf(rows.map(toOrgUnitView), total, query);
  }

  async update(principal: Principal, id: string, input: UpdateOrgUnitInput, meta?: RequestMeta): Promise<OrgUnitDetail> {
    if (!(await this.units.findById(id))) throw new NotFoundError('Org unit', id);
    await this.scope.assertCanManageUnit(principal, id);
    if (input.parentId === null && !isAdmin(principal)) throw new ForbiddenError(M.makeTopLevelOnlyAdmin());
    if (input.parentId) {
      if (!(await this.units.findById(input.parentId)))
        throw new ValidationError([{ field: 'parentId', message: `no org unit has the id ${input.parentId}`, rule: 'unknownOrgUnit', params: { id: input.parentId } }]);
      await this.scope.assertCanManageUnit(principal, input.parentId);
    }
    try {
      await this.dataSource.transaction(async (manager) => {
        await this.units.lockTree(manager);
        const unit = await this.units.findById(id, manager);
        if (!unit) throw new NotFoundError('Org unit', id);
        const before = toOrgUnitView(unit);
        const code = input.code ?? unit.code;
        if (code !== unit.code && (await this.units.findByCode(code, manager))) throw new OrgUnitCodeTakenError(code);
        await this.units.updateFields(manager, id, { code, name: input.name ?? unit.name, kind: input.kind ?? unit.kind });
        let moved = 0;
        if (input.parentId !== undefined && input.parentId !== unit.parentId) {
          const parent = input.parentId === null ? null : await this.units.findById(input.parentId, manager);
          if (input.parentId !== null && !parent)
            throw new ValidationError([{ field: 'parentId', message: `no org unit has the id ${input.parentId}`, rule: 'unknownOrgUnit', params: { id: input.parentId } }]);
          if (parent && unit.parentId === null) {
            // An institution is the top of its own tree (docs/hub.md): its root can't go below another unit.
            const isInstitution = (await manager.query(`SELECT 1 FROM institution WHERE root_org_unit_id = $1`, [unit.id])) as unknown[];
            if (isInstitution.length) throw new ConflictError('institution_root', M.institutionRoot());
          }
          if (parent && parent.path.startsWith(unit.path)) {
            throw new ValidationError([
              fieldError('parentId', M.belowItself()),
            ]);
          }
          moved = await this.units.moveSubtree(manager, unit, parent);
        }
        const after = (await this.units.findById(id, manager))!;
        await this.audit.record(
          {
            actor: principal,
            action: moved ? 'org_unit.moved' : 'org_unit.updated',
            subjectType: 'org_unit',
            subjectId: id,
            before,
            after: { ...toOrgUnitView(after), ...(moved ? { unitsMoved: moved } : {}) },
            requestId: meta?.requestId,
          },
          manager,
        );
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new OrgUnitCodeTakenError(input.code ?? '');
      throw e;
    }
    return this.detail(id);
  }

  private async detail(id: string, known?: OrgUnitRow): Promise<OrgUnitDetail> {
    const unit = known ?? (await this.units.findById(id));
    if (!unit) throw new NotFoundError('Org unit', id);
    const [ancestors, children] = [await this.units.ancestors(unit), await this.units.children(id, CHILDREN_SHOWN)];
    return { ...toOrgUnitView(unit), ancestors, children: children.items, childCount: children.total };
  }
}
