import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Page, Principal, InjectReadDataSource } from '@lms/platform';
import type { CsvColumn } from './csv.js';
import { subtreePatterns } from './completion-report.repository.js';
import { PERSON_COURSE_CSV_COLUMNS, PERSON_ENROLMENT_JOINS, type PersonCourseRow, reportCourseId, reportPage } from './person-course-report.js';
import { queryInBatches } from './query-batches.js';
import { ReportScope } from './report-scope.service.js';

export interface OverdueRow extends PersonCourseRow {
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
  /** Only enrolments at least this many days overdue (daysOverdue >= n). */
  minDaysOverdue?: number;
  page: number;
  limit: number;
}

export const OVERDUE_CSV_COLUMNS: ReadonlyArray<CsvColumn<OverdueRow>> = [
  ...PERSON_COURSE_CSV_COLUMNS,
  { header: 'due_at', value: (r) => r.dueAt },
  { header: 'days_overdue', value: (r) => r.daysOverdue },
  { header: 'manager_name', value: (r) => r.managerName },
];

/**
 * People in the subtree with overdue mandatory training: enrolments from an assignment that are
 * not completed (nor withdrawn) and whose due date has passed, live from the enrolment table
 * (served by idx_enrolment_due). Parameters: $1 LIKE patterns of the subtrees, $2 course id or null.
 */
const OVERDUE_JOINS = PERSON_ENROLMENT_JOINS;

const OVERDUE_WHERE = `
   WHERE e.source = 'assignment' AND e.status IN ('enrolled', 'in_progress') AND e.due_at < now()
     AND o.path LIKE ANY ($1::text[])
     AND ($2::uuid IS NULL OR e.course_id = $2::uuid)
     AND ($3::int IS NULL OR e.due_at <= now() - make_interval(days => $3::int - 1))`;

const OVERDUE_COUNT = `SELECT count(*)::int AS n ${OVERDUE_JOINS} ${OVERDUE_WHERE}`;

const OVERDUE_SELECT = `
  SELECT e.id AS "enrolmentId", u.id AS "userId", u.display_name AS "displayName", u.email,
         o.id AS "orgUnitId", o.name AS "orgUnitName", c.slug AS "courseSlug",
         v.title ->> v.default_language AS "courseTitle", v.title AS "courseTitles", e.status, e.progress, e.due_at AS "dueAt",
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
    return reportPage<OverdueRow>(this.dataSource, OVERDUE_COUNT, OVERDUE_SELECT, await this.prepare(principal, query), query);
  }

  async export(principal: Principal, query: Omit<OverdueReportQuery, 'page' | 'limit'>): Promise<AsyncGenerator<OverdueRow[]>> {
    const params = await this.prepare(principal, query);
    return queryInBatches<OverdueRow>(this.dataSource, OVERDUE_SELECT, params);
  }

  private async prepare(principal: Principal, query: Omit<OverdueReportQuery, 'page' | 'limit'>): Promise<unknown[]> {
    const { prefixes } = await this.scope.resolve(principal, query.orgUnitId);
    return [subtreePatterns(prefixes), await reportCourseId(this.dataSource, query.courseSlug), query.minDaysOverdue ?? null];
  }
}
