import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Page, pageOf, Principal, InjectReadDataSource } from '@lms/platform';
import type { CsvColumn } from './csv.js';
import { subtreePatterns } from './completion-report.repository.js';
import { queryInBatches } from './query-batches.js';
import { ReportScope, ScopeUnit } from './report-scope.service.js';

export interface CoverageRow {
  orgUnitId: string;
  orgUnitCode: string;
  orgUnitName: string;
  depth: number;
  frameworkKey: string;
  competencyCode: string;
  competencyTitle: string | null;
  /** Active people whose job role requires this competency. */
  peopleRequired: number;
  /** Of those, the ones whose held level (highest unexpired evidence) reaches their role's level. */
  peopleMeeting: number;
  /** peopleMeeting / peopleRequired, 4 decimals. */
  coverage: number;
}

export interface CoverageQuery {
  orgUnitId?: string;
  rollup?: boolean;
  page: number;
  limit: number;
}

export interface CoveragePage extends Page<CoverageRow> {
  rollup: boolean;
  scope: Array<Pick<ScopeUnit, 'id' | 'code' | 'name'>>;
}

export const COVERAGE_CSV_COLUMNS: ReadonlyArray<CsvColumn<CoverageRow>> = [
  { header: 'org_unit_id', value: (r) => r.orgUnitId },
  { header: 'org_unit_code', value: (r) => r.orgUnitCode },
  { header: 'org_unit_name', value: (r) => r.orgUnitName },
  { header: 'depth', value: (r) => r.depth },
  { header: 'framework', value: (r) => r.frameworkKey },
  { header: 'competency_code', value: (r) => r.competencyCode },
  { header: 'competency_title', value: (r) => r.competencyTitle },
  { header: 'people_required', value: (r) => r.peopleRequired },
  { header: 'people_meeting', value: (r) => r.peopleMeeting },
  { header: 'coverage', value: (r) => r.coverage },
];

/**
 * Unit × competency coverage, live and set-based. Parameters: $1 LIKE patterns of the subtrees.
 * - people: active people of the subtree with a job role;
 * - req: one row per person and competency their role requires (job_role_requirement);
 * - held: per requirement, the highest level of the person's unexpired evidence (0 when none);
 * - per unit (own people) or, with rollup, per unit and everything below it.
 */
function coverageCtes(rollup: boolean): string {
  const sums = `count(*)::int AS people_required, count(*) FILTER (WHERE h.held_level >= h.required_level)::int AS people_meeting`;
  const agg = rollup
    ? `SELECT a.id AS org_unit_id, h.framework_key, h.competency_code, ${sums}
         FROM held h
         JOIN scope s ON s.id = h.org_unit_id
         CROSS JOIN LATERAL unnest(string_to_array(btrim(s.path, '/'), '/')) AS anc(id)
         JOIN scope a ON a.id::text = anc.id
        GROUP BY a.id, h.framework_key, h.competency_code`
    : `SELECT h.org_unit_id, h.framework_key, h.competency_code, ${sums} FROM held h GROUP BY h.org_unit_id, h.framework_key, h.competency_code`;
  return `
  scope AS (
    SELECT o.id, o.code, o.name, o.path, o.depth FROM org_unit o
     WHERE o.path LIKE ANY ($1::text[])
  ),
  req AS (
    SELECT u.id AS user_id, u.org_unit_id, r.framework_key, r.competency_code, r.level AS required_level
      FROM app_user u
      JOIN scope s ON s.id = u.org_unit_id
      JOIN job_role_requirement r ON r.job_role_code = u.job_role_code
     WHERE u.status = 'active'
  ),
  held AS (
    SELECT q.user_id, q.org_unit_id, q.framework_key, q.competency_code, q.required_level,
           COALESCE(max(e.level), 0) AS held_level
      FROM req q
      LEFT JOIN competency_evidence e
        ON e.user_id = q.user_id AND e.framework_key = q.framework_key AND e.competency_code = q.competency_code
       AND (e.expires_at IS NULL OR e.expires_at > now())
     GROUP BY q.user_id, q.org_unit_id, q.framework_key, q.competency_code, q.required_level
  ),
  agg AS MATERIALIZED (${agg})`;
}

const ROW_COLUMNS = `
  s.id AS "orgUnitId", s.code AS "orgUnitCode", s.name AS "orgUnitName", s.depth,
  g.framework_key AS "frameworkKey", g.competency_code AS "competencyCode",
  (SELECT COALESCE(c.title ->> 'en', (SELECT t.value FROM jsonb_each_text(c.title) t ORDER BY t.key LIMIT 1))
     FROM competency c JOIN competency_framework f ON f.id = c.framework_id
    WHERE f.key = g.framework_key AND c.code = g.competency_code
    ORDER BY f.version DESC LIMIT 1) AS "competencyTitle",
  g.people_required AS "peopleRequired", g.people_meeting AS "peopleMeeting",
  COALESCE(round(g.people_meeting::numeric / NULLIF(g.people_required, 0), 4), 0)::float8 AS coverage
  FROM agg g JOIN scope s ON s.id = g.org_unit_id
  ORDER BY s.path, g.framework_key, g.competency_code`;

@Injectable()
export class CompetencyCoverageService {
  constructor(
    @InjectReadDataSource() private readonly dataSource: DataSource,
    @Inject(ReportScope) private readonly scope: ReportScope,
  ) {}

  async page(principal: Principal, query: CoverageQuery): Promise<CoveragePage> {
    const { units, prefixes } = await this.scope.resolve(principal, query.orgUnitId);
    const rollup = query.rollup ?? false;
    const sql = `WITH ${coverageCtes(rollup)}
      SELECT (SELECT count(*)::int FROM agg) AS total,
             COALESCE((SELECT json_agg(p) FROM (SELECT ${ROW_COLUMNS} LIMIT $2 OFFSET $3) p), '[]'::json) AS items`;
    const [row] = (await this.dataSource.query(sql, [subtreePatterns(prefixes), query.limit, (query.page - 1) * query.limit])) as Array<{ total: number; items: CoverageRow[] }>;
    return { ...pageOf(row.items, row.total, query), rollup, scope: units.map((u) => ({ id: u.id, code: u.code, name: u.name })) };
  }

  async export(principal: Principal, query: Omit<CoverageQuery, 'page' | 'limit'>): Promise<AsyncGenerator<CoverageRow[]>> {
    const { prefixes } = await this.scope.resolve(principal, query.orgUnitId);
    return queryInBatches<CoverageRow>(this.dataSource, `WITH ${coverageCtes(query.rollup ?? false)} SELECT ${ROW_COLUMNS}`, [subtreePatterns(prefixes)]);
  }
}
