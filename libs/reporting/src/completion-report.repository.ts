import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectReadDataSource } from '@lms/platform';
import { queryInBatches } from './query-batches.js';

export interface CompletionRow {
  orgUnitId: string;
  orgUnitCode: string;
  orgUnitName: string;
  parentId: string | null;
  depth: number;
  courseId: string;
  courseSlug: string;
  courseTitle: string | null;
  /** Enrolments that are not withdrawn (self and assigned; each renewal cycle counts). */
  enrolled: number;
  /** Of those, the ones that come from an assignment (mandatory training). */
  assigned: number;
  notStarted: number;
  inProgress: number;
  completed: number;
  /** Not completed and past the due date (as of the refresh). */
  overdue: number;
  /** completed / enrolled, 4 decimals (0 when nothing is enrolled). */
  completionRate: number;
}

export interface CompletionFilter {
  /** Subtree path prefixes. */
  prefixes: string[];
  courseId: string | null;
  source: 'assignment' | 'self' | null;
  /** true: a unit's row counts its whole subtree; false: only the people placed in the unit itself. */
  rollup: boolean;
}

/** The fact columns that make up each count, for the chosen source. */
function countExpressions(source: CompletionFilter['source']): Record<'enrolled' | 'assigned' | 'not_started' | 'in_progress' | 'completed' | 'overdue', string> {
  if (source === 'assignment') {
    return {
      enrolled: 'f.assigned_enrolled',
      assigned: 'f.assigned_enrolled',
      not_started: 'f.assigned_not_started',
      in_progress: 'f.assigned_in_progress',
      completed: 'f.assigned_completed',
      overdue: 'f.assigned_overdue',
    };
  }
  if (source === 'self') {
    return {
      enrolled: '(f.enrolled - f.assigned_enrolled)',
      assigned: '0',
      not_started: '(f.not_started - f.assigned_not_started)',
      in_progress: '(f.in_progress - f.assigned_in_progress)',
      completed: '(f.completed - f.assigned_completed)',
      overdue: '(f.overdue - f.assigned_overdue)',
    };
  }
  return { enrolled: 'f.enrolled', assigned: 'f.assigned_enrolled', not_started: 'f.not_started', in_progress: 'f.in_progress', completed: 'f.completed', overdue: 'f.overdue' };
}

/**
 * The completion report read from report_completion_fact. Parameters: $1 LIKE patterns of the
 * subtrees, $2 course id or null. One row per unit of the subtree and course, read as stored:
 * - own staff (default): the rows counting the unit's own people; they add up to the subtree total;
 * - rollup: the rows counting the unit and every unit below it (summed by the refresh).
 */
function rowsSql(filter: CompletionFilter): string {
  const x = countExpressions(filter.source);
  const names = Object.keys(x) as Array<keyof typeof x>;
  return `SELECT s.id AS org_unit_id, s.code, s.name, s.parent_id, s.depth, s.path, f.course_id, ${names.map((n) => `${x[n]} AS ${n}`).join(', ')}
            FROM report_completion_fact f JOIN org_unit s ON s.id = f.org_unit_id
           WHERE f.subtree = ${filter.rollup ? 'true' : 'false'} AND s.path LIKE ANY ($1::text[])
             AND ($2::uuid IS NULL OR f.course_id = $2::uuid) AND ${x.enrolled} > 0`;
}

const ROW_COLUMNS = `
  g.org_unit_id AS "orgUnitId", g.code AS "orgUnitCode", g.name AS "orgUnitName", g.parent_id AS "parentId", g.depth,
  c.id AS "courseId", c.slug AS "courseSlug",
  g.enrolled, g.assigned, g.not_started AS "notStarted", g.in_progress AS "inProgress", g.completed, g.overdue,
  COALESCE(round(g.completed::numeric / NULLIF(g.enrolled, 0), 4), 0)::float8 AS "completionRate"`;

/** Latest published title of a course, in its default language (for the rows of a page). */
const TITLE_OF = (courseId: string): string => `(SELECT v.title ->> v.default_language FROM course_version v
    WHERE v.course_id = ${courseId} AND v.status = 'published' ORDER BY v.version DESC LIMIT 1)`;

/** LIKE patterns matching each subtree (paths hold only uuids and slashes; escaped anyway). */
export function subtreePatterns(prefixes: readonly string[]): string[] {
  return prefixes.map((p) => `${p.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
}

@Injectable()
export class CompletionReportRepository {
  constructor(@InjectReadDataSource() private readonly dataSource: DataSource) {}

  /** One page and the total number of rows, read in one snapshot. */
  async page(filter: CompletionFilter, offset: number, limit: number): Promise<{ items: CompletionRow[]; total: number }> {
    const rows = rowsSql(filter);
    const pageSql = `SELECT p.*, ${TITLE_OF('p."courseId"')} AS "courseTitle"
      FROM (SELECT ${ROW_COLUMNS} FROM (${rows}) g JOIN course c ON c.id = g.course_id ORDER BY g.path, c.slug LIMIT $3 OFFSET $4) p`;
    const params = this.params(filter);
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const [count] = (await manager.query(`SELECT count(*)::int AS n FROM (${rows}) g`, params)) as Array<{ n: number }>;
      const items = (await manager.query(pageSql, [...params, limit, offset])) as CompletionRow[];
      return { items, total: count.n };
    });
  }

  /** Every row, in batches, for the CSV export. */
  stream(filter: CompletionFilter): AsyncGenerator<CompletionRow[]> {
    const sql = `WITH titles AS (
        SELECT DISTINCT ON (v.course_id) v.course_id, v.title ->> v.default_language AS title
          FROM course_version v WHERE v.status = 'published' ORDER BY v.course_id, v.version DESC
      )
      SELECT ${ROW_COLUMNS}, t.title AS "courseTitle"
        FROM (${rowsSql(filter)}) g JOIN course c ON c.id = g.course_id LEFT JOIN titles t ON t.course_id = c.id
       ORDER BY g.path, c.slug`;
    return queryInBatches<CompletionRow>(this.dataSource, sql, this.params(filter));
  }

  /** The id of a course by slug (null: no such course). */
  async courseIdBySlug(slug: string): Promise<string | null> {
    const rows = (await this.dataSource.query(`SELECT id FROM course WHERE slug = $1`, [slug])) as Array<{ id: string }>;
    return rows[0]?.id ?? null;
  }

  private params(filter: CompletionFilter): unknown[] {
    return [subtreePatterns(filter.prefixes), filter.courseId];
  }
}
