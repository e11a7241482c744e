import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface RequirementRow {
  frameworkKey: string;
  competencyCode: string;
  level: number;
}

export interface JobRoleRow {
  code: string;
  title: string;
  createdAt: Date;
  updatedAt: Date;
  requirements: RequirementRow[];
}

const SELECT_ROLE = `
  SELECT r.code, r.title, r.created_at AS "createdAt", r.updated_at AS "updatedAt",
         COALESCE((SELECT json_agg(json_build_object('frameworkKey', q.framework_key, 'competencyCode', q.competency_code, 'level', q.level)
                                   ORDER BY q.framework_key, q.competency_code)
                     FROM job_role_requirement q WHERE q.job_role_code = r.code), '[]'::json) AS requirements
    FROM job_role r`;

/** Job roles and their required competency levels. */
@Injectable()
export class JobRoleRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async exists(code: string, manager?: EntityManager): Promise<boolean> {
    const rows = (await (manager ?? this.dataSource.manager).query(`SELECT 1 FROM job_role WHERE code = $1`, [code])) as unknown[];
    return rows.length > 0;
  }

  async findByCode(code: string): Promise<JobRoleRow | null> {
    const rows = (await this.dataSource.query(`${SELECT_ROLE} WHERE r.code = $1`, [code])) as JobRoleRow[];
    return rows[0] ?? null;
  }

  /** The role with this title, compared case-insensitively (SCIM Groups match on displayName). */
  async findByTitle(title: string): Promise<JobRoleRow | null> {
    const rows = (await this.dataSource.query(`${SELECT_ROLE} WHERE lower(r.title) = lower($1) ORDER BY r.code LIMIT 1`, [
      title,
    ])) as JobRoleRow[];
    return rows[0] ?? null;
  }

  async list(q: string | undefined, offset: number, limit: number): Promise<{ rows: JobRoleRow[]; total: number }> {
    const where = q ? `WHERE r.code ILIKE '%' || $3 || '%' OR r.title ILIKE '%' || $3 || '%'` : '';
    const params: unknown[] = q ? [offset, limit, q.replace(/[\\%_]/g, (m) => `\\${m}`)] : [offset, limit];
    const rows = (await this.dataSource.query(`${SELECT_ROLE} ${where} ORDER BY r.code OFFSET $1 LIMIT $2`, params)) as JobRoleRow[];
    const [{ n }] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM job_role r ${q ? `WHERE r.code ILIKE '%' || $1 || '%' OR r.title ILIKE '%' || $1 || '%'` : ''}`,
      q ? [params[2]] : [],
    )) as Array<{ n: number }>;
    return { rows, total: n };
  }

  /** Creates or replaces a role and its requirements in one transaction. Returns true when it was created. */
  async save(
    code: string,
    title: string,
    requirements: RequirementRow[],
    mode: 'create' | 'replace',
    afterWrite?: (manager: EntityManager, created: boolean) => Promise<void>,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const inserted = (await m.query(
        mode === 'create'
          ? `INSERT INTO job_role (code, title) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING RETURNING code`
          : `INSERT INTO job_role (code, title) VALUES ($1, $2)
             ON CONFLICT (code) DO UPDATE SET title = EXCLUDED.title, updated_at = now() RETURNING (xmax = 0) AS created`,
        [code, title],
      )) as Array<{ code?: string; created?: boolean }>;
      if (mode === 'create' && inserted.length === 0) return false;
      await m.query(`DELETE FROM job_role_requirement WHERE job_role_code = $1`, [code]);
      await m.query(
        `INSERT INTO job_role_requirement (job_role_code, framework_key, competency_code, level)
         SELECT $1, x."frameworkKey", x."competencyCode", x.level
           FROM jsonb_to_recordset($2::jsonb) AS x("frameworkKey" text, "competencyCode" text, level int)`,
        [code, JSON.stringify(requirements)],
      );
      const created = mode === 'create' ? true : Boolean(inserted[0]?.created);
      await afterWrite?.(m, created);
      return created;
    });
  }
}
