import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFoundError, Page, pageOf, Principal, InjectReadDataSource } from '@lms/platform';
import type { CsvColumn } from './csv.js';
import { subtreePatterns } from './completion-report.repository.js';
import { queryInBatches } from './query-batches.js';
import { ReportScope } from './report-scope.service.js';

export interface OverdueRow {
  enrolmentId: string;
  userId: string;
  displayName: string;
  email: string;
  orgUnitId: string;
  orgUnitName: string;
  courseSlug: string;
  courseTitle: string | null;
  status: 'enrolled' | 'in_progress';
  progress: number;
  dueAt: Date;
  /** Whole days since the due date, counting a started day as a day (1 from the first minute). */
  daysOverdue: number;
  managerId: string | null;
  managerName: string | null;
  assignmentId: string | null;
}

export interface OverdueReportQuery {
  orgUnitId?: string;
  courseSlug?: string;
  page: number;
  limit: number;
}

export const OVERDUE_CSV_COLUMNS: ReadonlyArray<CsvColumn<OverdueRow>> = [
  { header: 'user_id', value: (r) => r.userId },
  { header: 'name', value: (r) => r.displayName },
  { header: 'email', value: (r) => r.email },
  { header: 'org_unit_name', value: (r) => r.orgUnitName },
  { header: 'course_slug', value: (r) => r.courseSlug },
  { header: 'course_title', value: (r) => r.courseTitle },
  { header: 'status', value: (r) => r.status },
  { header: 'progress', value: (r) => r.progress },
  { header: 'due_at', value: (r) => r.dueAt },
  { header: 'days_overdue', value: (r) => r.daysOverdue },
  { header: 'manager_name', value: (r) => r.managerName },
];

/**
 * People in the subtree with overdue mandatory training: enrolments from an assignment that are
 * not completed (nor withdrawn) and whose due date has passed, live from the enrolment table
 * (served by idx_enrolment_due). Parameters: $1 LIKE patterns of the subtrees, $2 course id or null.
 */
const OVERDUE_JOINS = `
    FROM enrolment e
    JOIN app_user u ON u.id = e.user_id AND u.status = 'active'
    JOIN org_unit o ON o.id = u.org_unit_id`;

const OVERDUE_WHERE = `
   WHERE e.source = 'assignment' AND e.status IN ('enrolled', 'in_progress') AND e.due_at < now()
     AND o.path LIKE ANY ($1::text[])
     AND ($2::uuid IS NULL OR e.course_id = $2::uuid)`;

const OVERDUE_COUNT = `SELECT count(*)::int AS n ${OVERDUE_JOINS} ${OVERDUE_WHERE}`;

const OVERDUE_SELECT = `
  SELECT e.id AS "enrolmentId", u.id AS "userId", u.display_name AS "displayName", u.email,
         o.id AS "orgUnitId", o.name AS "orgUnitName", c.slug AS "courseSlug",
         v.title ->> v.default_language AS "courseTitle", e.status, e.progress, e.due_at AS "dueAt",
         ceil(extract(epoch FROM now() - e.due_at) / 86400)::int AS "daysOverdue",
         m.id AS "managerId", m.display_name AS "managerName", e.assignment_id AS "assignmentId"
  ${OVERDUE_JOINS}
    JOIN course c ON c.id = e.course_id
    JOIN course_version v ON v.id = e.course_version_id
    LEFT JOIN app_user m ON m.id = u.manager_id
  ${OVERDUE_WHERE}
   ORDER BY e.due_at, u.display_name, e.id`;

@Injectable()
export class OverdueReportService {
  constructor(
    @InjectReadDataSource() private readonly dataSource: DataSource,
    @Inject(ReportScope) private readonly scope: ReportScope,
  ) {}

  async page(principal: Principal, query: OverdueReportQuery): Promise<Page<OverdueRow>> {
    const params = await this.prepare(principal, query);
    const [count] = (await this.dataSource.query(OVERDUE_COUNT, params)) as Array<{ n: number }>;
    const items = (await this.dataSource.query(`${OVERDUE_SELECT} LIMIT $3 OFFSET $4`, [...params, query.limit, (query.page - 1) * query.limit])) as OverdueRow[];
    return pageOf(items, count.n, query);
  }

  async export(principal: Principal, query: Omit<OverdueReportQuery, 'page' | 'limit'>): Promise<AsyncGenerator<OverdueRow[]>> {
    const params = await this.prepare(principal, query);
    return queryInBatches<OverdueRow>(this.dataSource, OVERDUE_SELECT, params);
  }

  private async prepare(principal: Principal, query: Omit<OverdueReportQuery, 'page' | 'limit'>): Promise<unknown[]> {
    const { prefixes } = await this.scope.resolve(principal, query.orgUnitId);
    let courseId: string | null = null;
    if (query.courseSlug) {
      const rows = (await this.dataSource.query(`SELECT id FROM course WHERE slug = $1`, [query.courseSlug])) as Array<{ id: string }>;
      if (rows.length === 0) throw new NotFoundError('Course', query.courseSlug);
      courseId = rows[0].id;
    }
    return [subtreePatterns(prefixes), courseId];
  }
}
