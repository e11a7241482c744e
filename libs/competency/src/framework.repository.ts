import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CompetencyFramework } from './competency-framework.entity.js';
import { Competency } from './competency.entity.js';
import type { FlatCompetency, FrameworkFile, LangMap } from './framework-file.js';

export interface FrameworkSummaryRow {
  key: string;
  version: number;
  versions: number[];
  title: LangMap;
  importedAt: Date;
  competencyCount: number;
}

/** A competency as defined by the newest framework version that contains it. */
export interface CurrentCompetency {
  frameworkKey: string;
  frameworkVersion: number;
  code: string;
  title: LangMap;
  maxLevel: number;
}

/** Frameworks and their competency trees, one row per version. */
@Injectable()
export class FrameworkRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /** Serialises imports of one framework key (two imports of the same file at once). */
  async lockKey(manager: EntityManager, key: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('competency_framework:' || $1))`, [key]);
  }

  async findVersion(key: string, version: number, manager?: EntityManager): Promise<CompetencyFramework | null> {
    return this.m(manager).getRepository(CompetencyFramework).findOneBy({ key, version });
  }

  async findLatest(key: string, manager?: EntityManager): Promise<CompetencyFramework | null> {
    return this.m(manager).getRepository(CompetencyFramework).findOne({ where: { key }, order: { version: 'DESC' } });
  }

  /** The highest version below `version`: what a new version is compared with. */
  async findPreviousVersion(key: string, version: number, manager?: EntityManager): Promise<CompetencyFramework | null> {
    const rows = (await this.m(manager).query(
      `SELECT id FROM competency_framework WHERE key = $1 AND version < $2 ORDER BY version DESC LIMIT 1`,
      [key, version],
    )) as Array<{ id: string }>;
    return rows[0] ? this.m(manager).getRepository(CompetencyFramework).findOneBy({ id: rows[0].id }) : null;
  }

  async versionsOf(key: string): Promise<number[]> {
    const rows = (await this.dataSource.query(`SELECT version FROM competency_framework WHERE key = $1 ORDER BY version`, [key])) as Array<{
      version: number;
    }>;
    return rows.map((r) => r.version);
  }

  async insertFramework(manager: EntityManager, file: FrameworkFile, contentHash: string): Promise<string> {
    const [row] = (await manager.query(
      `INSERT INTO competency_framework (key, version, title, description, levels, source, content_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [file.key, file.version, file.title, file.description ?? null, JSON.stringify(file.levels), file.source ?? null, contentHash],
    )) as Array<{ id: string }>;
    return row.id;
  }

  /** All competencies of a version in one statement. */
  async insertCompetencies(manager: EntityManager, frameworkId: string, rows: FlatCompetency[]): Promise<void> {
    await manager.query(
      `INSERT INTO competency (framework_id, code, parent_code, position, title, description, crosswalk)
       SELECT $1, x.code, x."parentCode", x.position, x.title, x.description, COALESCE(x.crosswalk, '[]'::jsonb)
         FROM jsonb_to_recordset($2::jsonb) AS x(code text, "parentCode" text, position int, title jsonb, description jsonb, crosswalk jsonb)`,
      [frameworkId, JSON.stringify(rows)],
    );
  }

  async competenciesOf(frameworkId: string, manager?: EntityManager): Promise<FlatCompetency[]> {
    const rows = await this.m(manager)
      .getRepository(Competency)
      .find({ where: { frameworkId }, order: { position: 'ASC' } });
    return rows.map((r) => ({
      code: r.code,
      parentCode: r.parentCode,
      position: r.position,
      title: r.title,
      description: r.description,
      crosswalk: r.crosswalk ?? [],
    }));
  }

  /** The latest version of every framework, with the list of versions kept. */
  async listLatest(offset: number, limit: number): Promise<{ rows: FrameworkSummaryRow[]; total: number }> {
    const rows = (await this.dataSource.query(
      `WITH latest AS (
         SELECT DISTINCT ON (key) id, key, version, title, imported_at FROM competency_framework ORDER BY key, version DESC
       )
       SELECT l.key, l.version, l.title, l.imported_at AS "importedAt",
              (SELECT array_agg(f.version ORDER BY f.version) FROM competency_framework f WHERE f.key = l.key) AS versions,
              (SELECT count(*)::int FROM competency c WHERE c.framework_id = l.id) AS "competencyCount"
         FROM latest l ORDER BY l.key OFFSET $1 LIMIT $2`,
      [offset, limit],
    )) as FrameworkSummaryRow[];
    const [{ n }] = (await this.dataSource.query(`SELECT count(DISTINCT key)::int AS n FROM competency_framework`)) as Array<{ n: number }>;
    return { rows, total: n };
  }

  /**
   * Competencies as defined by the latest version of each framework, for the given codes
   * (all frameworks, or one when `frameworkKey` is given), with the framework's highest level.
   */
  async currentCompetencies(codes: string[], frameworkKey?: string): Promise<CurrentCompetency[]> {
    if (codes.length === 0) return [];
    return (await this.dataSource.query(
      `WITH latest AS (
         SELECT DISTINCT ON (key) id, key, version, jsonb_array_length(levels) AS max_level
           FROM competency_framework ${frameworkKey ? 'WHERE key = $2' : ''} ORDER BY key, version DESC
       )
       SELECT l.key AS "frameworkKey", l.version AS "frameworkVersion", c.code, c.title, l.max_level AS "maxLevel"
         FROM latest l JOIN competency c ON c.framework_id = l.id
        WHERE c.code = ANY($1::text[])
        ORDER BY l.key, c.code`,
      frameworkKey ? [codes, frameworkKey] : [codes],
    )) as CurrentCompetency[];
  }

  /** Titles of (framework, code) pairs from the newest version that still has the code (removed codes keep their last title). */
  async titlesOf(pairs: Array<{ frameworkKey: string; code: string }>): Promise<Map<string, LangMap>> {
    const out = new Map<string, LangMap>();
    if (pairs.length === 0) return out;
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT ON (f.key, c.code) f.key, c.code, c.title
         FROM unnest($1::text[], $2::text[]) AS p(key, code)
         JOIN competency_framework f ON f.key = p.key
         JOIN competency c ON c.framework_id = f.id AND c.code = p.code
        ORDER BY f.key, c.code, f.version DESC`,
      [pairs.map((p) => p.frameworkKey), pairs.map((p) => p.code)],
    )) as Array<{ key: string; code: string; title: LangMap }>;
    for (const r of rows) out.set(`${r.key}\u0000${r.code}`, r.title);
    return out;
  }
}

export function pairKey(frameworkKey: string, code: string): string {
  return `${frameworkKey}\u0000${code}`;
}
