import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { OrgUnitKind } from './org-unit.entity.js';

/** Serialises changes to the shape of the tree (create, move) across replicas. */
const ORG_TREE_LOCK_KEY = 7_412_003_201;

export interface OrgUnitRow {
  id: string;
  code: string;
  name: string;
  kind: OrgUnitKind;
  parentId: string | null;
  path: string;
  depth: number;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `o.id, o.code, o.name, o.kind, o.parent_id AS "parentId", o.path, o.depth, o.created_at AS "createdAt", o.updated_at AS "updatedAt"`;

/** Escapes LIKE wildcards in user text. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

@Injectable()
export class OrgUnitRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /** Takes the tree lock until the transaction ends. */
  async lockTree(manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [ORG_TREE_LOCK_KEY]);
  }

  async findById(id: string, manager?: EntityManager): Promise<OrgUnitRow | null> {
    const rows = (await this.m(manager).query(`SELECT ${COLUMNS} FROM org_unit o WHERE o.id = $1`, [id])) as OrgUnitRow[];
    return rows[0] ?? null;
  }

  async findByCode(code: string, manager?: EntityManager): Promise<OrgUnitRow | null> {
    const rows = (await this.m(manager).query(`SELECT ${COLUMNS} FROM org_unit o WHERE o.code = $1`, [code])) as OrgUnitRow[];
    return rows[0] ?? null;
  }

  /** Units by code, with whether each lies in one of the scope prefixes (['/'] = everything). */
  async findByCodes(
    codes: string[],
    scopePrefixes: string[],
    manager?: EntityManager,
  ): Promise<Map<string, { id: string; inScope: boolean }>> {
    if (codes.length === 0) return new Map();
    const rows = (await this.m(manager).query(
      `SELECT o.id, o.code, EXISTS (SELECT 1 FROM unnest($2::text[]) p WHERE o.path LIKE p || '%') AS "inScope"
         FROM org_unit o WHERE o.code = ANY($1::text[])`,
      [codes, scopePrefixes],
    )) as Array<{ id: string; code: string; inScope: boolean }>;
    return new Map(rows.map((r) => [r.code, { id: r.id, inScope: r.inScope }]));
  }

  async insert(
    manager: EntityManager,
    unit: { id: string; code: string; name: string; kind: OrgUnitKind; parentId: string | null; path: string; depth: number },
  ): Promise<void> {
    await manager.query(`INSERT INTO org_unit (id, code, name, kind, parent_id, path, depth) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      unit.id,
      unit.code,
      unit.name,
      unit.kind,
      unit.parentId,
      unit.path,
      unit.depth,
    ]);
  }

  async updateFields(manager: EntityManager, id: string, fields: { code: string; name: string; kind: OrgUnitKind }): Promise<void> {
    await manager.query(`UPDATE org_unit SET code = $2, name = $3, kind = $4, updated_at = now() WHERE id = $1`, [
      id,
      fields.code,
      fields.name,
      fields.kind,
    ]);
  }

  /**
   * Moves a unit and its whole subtree under a new parent in ONE statement: every path that starts
   * with the old prefix gets the new prefix, every depth shifts by the same amount.
   * Returns how many units moved (the unit itself included).
   */
  async moveSubtree(manager: EntityManager, unit: OrgUnitRow, newParent: OrgUnitRow | null): Promise<number> {
    const newPath = `${newParent?.path ?? '/'}${unit.id}/`;
    const depthDelta = (newParent ? newParent.depth + 1 : 0) - unit.depth;
    const result = (await manager.query(
      `UPDATE org_unit
          SET path = $2 || substr(path, $3),
              depth = depth + $4,
              parent_id = CASE WHEN id = $1 THEN $5::uuid ELSE parent_id END,
              updated_at = CASE WHEN id = $1 THEN now() ELSE updated_at END
        WHERE path LIKE $6 || '%'`,
      [unit.id, newPath, unit.path.length + 1, depthDelta, newParent?.id ?? null, likeEscape(unit.path)],
    )) as [unknown[], number];
    return result[1];
  }

  async children(id: string, limit: number): Promise<{ items: Array<Pick<OrgUnitRow, 'id' | 'code' | 'name' | 'kind'>>; total: number }> {
    const items = (await this.dataSource.query(
      `SELECT o.id, o.code, o.name, o.kind FROM org_unit o WHERE o.parent_id = $1 ORDER BY o.name, o.id LIMIT $2`,
      [id, limit],
    )) as Array<Pick<OrgUnitRow, 'id' | 'code' | 'name' | 'kind'>>;
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM org_unit WHERE parent_id = $1`, [id])) as Array<{
      total: number;
    }>;
    return { items, total };
  }

  /** The units on the path from the root down to (not including) the unit, root first. */
  async ancestors(unit: OrgUnitRow): Promise<Array<Pick<OrgUnitRow, 'id' | 'code' | 'name' | 'kind'>>> {
    const ids = unit.path.split('/').filter((s) => s && s !== unit.id);
    if (ids.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT o.id, o.code, o.name, o.kind, o.depth FROM org_unit o WHERE o.id = ANY($1::uuid[]) ORDER BY o.depth`,
      [ids],
    )) as Array<Pick<OrgUnitRow, 'id' | 'code' | 'name' | 'kind'> & { depth?: number }>;
    return rows.map(({ id, code, name, kind }) => ({ id, code, name, kind }));
  }

  async list(filter: {
    scopePrefixes: string[];
    parentId?: string;
    q?: string;
    offset: number;
    limit: number;
  }): Promise<{ rows: OrgUnitRow[]; total: number }> {
    const where = [`EXISTS (SELECT 1 FROM unnest($1::text[]) p WHERE o.path LIKE p || '%')`];
    const params: unknown[] = [filter.scopePrefixes];
    if (filter.parentId) {
      params.push(filter.parentId);
      where.push(`o.parent_id = $${params.length}`);
    }
    if (filter.q) {
      params.push(`%${likeEscape(filter.q)}%`);
      where.push(`(o.code ILIKE $${params.length} OR o.name ILIKE $${params.length})`);
    }
    const clause = where.join(' AND ');
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM org_unit o WHERE ${clause}`, params)) as Array<{
      total: number;
    }>;
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM org_unit o WHERE ${clause} ORDER BY o.depth, o.name, o.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.limit, filter.offset],
    )) as OrgUnitRow[];
    return { rows, total };
  }
}
