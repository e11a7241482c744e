import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFoundError, Page, pageOf, Principal, InjectReadDataSource } from '@lms/platform';
import type { CsvColumn } from './csv.js';
import { subtreePatterns } from './completion-report.repository.js';
import { queryInBatches } from './query-batches.js';
import { ReportScope } from './report-scope.service.js';

export const RESULT_STATUSES = ['enrolled', 'in_progress', 'completed'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

/** One person's result in one course: status, progress, the packaged result and the best native quiz score. */
export interface ResultRow {
  enrolmentId: string;
  userId: string;
  displayName: string;
  email: string;
  orgUnitId: string;
  orgUnitName: string;
  courseSlug: string;
  courseTitle: string | null;
  status: ResultStatus;
  progress: number;
  completedAt: Date | null;
  /** The enrolment's packaged (SCORM/cmi5) score, 0–100; null when no package reported one. */
  packageScore: number | null;
  /** The packaged passed/failed; null when no package said. */
  packagePassed: boolean | null;
  /** The best graded native quiz attempt, 0–100; null without one. */
  quizScore: number | null;
  /** Whether a native quiz attempt passed; null without an attempt. */
  quizPassed: boolean | null;
}

export interface ResultsReportQuery {
  orgUnitId?: string;
  courseSlug?: string;
  status?: ResultStatus;
  page: number;
  limit: number;
}

export const RESULTS_CSV_COLUMNS: ReadonlyArray<CsvColumn<ResultRow>> = [
  { header: 'user_id', value: (r) => r.userId },
  { header: 'name', value: (r) => r.displayName },
  { header: 'email', value: (r) => r.email },
  { header: 'org_unit_name', value: (r) => r.orgUnitName },
  { header: 'course_slug', value: (r) => r.courseSlug },
  { header: 'course_title', value: (r) => r.courseTitle },
  { header: 'status', value: (r) => r.status },
  { header: 'progress', value: (r) => r.progress },
  { header: 'completed_at', value: (r) => r.completedAt },
  { header: 'package_score', value: (r) => r.packageScore },
  { header: 'package_passed', value: (r) => r.packagePassed },
  { header: 'quiz_score', value: (r) => r.quizScore },
  { header: 'quiz_passed', value: (r) => r.quizPassed },
];

/**
 * Enrolments (not withdrawn) of active people in the subtree, live from the enrolment table.
 * Parameters: $1 LIKE patterns of the subtrees, $2 course id or null, $3 status or null.
 */
const RESULTS_JOINS = `
    FROM enrolment e
    JOIN app_user u ON u.id = e.user_id AND u.status = 'active'
    JOIN org_unit o ON o.id = u.org_unit_id`;

const RESULTS_WHERE = `
   WHERE e.status IN ('enrolled', 'in_progress', 'completed')
     AND o.path LIKE ANY ($1::text[])
     AND ($2::uuid IS NULL OR e.course_id = $2::uuid)
     AND ($3::text IS NULL OR e.status = $3::text)`;

const RESULTS_COUNT = `SELECT count(*)::int AS n ${RESULTS_JOINS} ${RESULTS_WHERE}`;

const RESULTS_SELECT = `
  SELECT e.id AS "enrolmentId", u.id AS "userId", u.display_name AS "displayName", u.email,
         o.id AS "orgUnitId", o.name AS "orgUnitName", c.slug AS "courseSlug",
         v.title ->> v.default_language AS "courseTitle", e.status, e.progress, e.completed_at AS "completedAt",
         e.package_score AS "packageScore", e.package_passed AS "packagePassed",
         q.score AS "quizScore", q.passed AS "quizPassed"
  ${RESULTS_JOINS}
    JOIN course c ON c.id = e.course_id
    JOIN course_version v ON v.id = e.course_version_id
    LEFT JOIN LATERAL (SELECT max(a.score)::int AS score, bool_or(a.passed) AS passed FROM quiz_attempt a WHERE a.enrolment_id = e.id) q ON true
  ${RESULTS_WHERE}
   ORDER BY o.name, u.display_name, c.slug, e.id`;

/** HR's per-person results: every enrolment in scope with its status and scores (packaged and native quiz). */
@Injectable()
export class ResultsReportService {
  constructor(
    @InjectReadDataSource() private readonly dataSource: DataSource,
    @Inject(ReportScope) private readonly scope: ReportScope,
  ) {}

  async page(principal: Principal, query: ResultsReportQuery): Promise<Page<ResultRow>> {
    const params = await this.prepare(principal, query);
    const [count] = (await this.dataSource.query(RESULTS_COUNT, params)) as Array<{ n: number }>;
    const items = (await this.dataSource.query(`${RESULTS_SELECT} LIMIT $4 OFFSET $5`, [...params, query.limit, (query.page - 1) * query.limit])) as ResultRow[];
    return pageOf(items, count.n, query);
  }

  async export(principal: Principal, query: Omit<ResultsReportQuery, 'page' | 'limit'>): Promise<AsyncGenerator<ResultRow[]>> {
    const params = await this.prepare(principal, query);
    return queryInBatches<ResultRow>(this.dataSource, RESULTS_SELECT, params);
  }

  private async prepare(principal: Principal, query: Omit<ResultsReportQuery, 'page' | 'limit'>): Promise<unknown[]> {
    const { prefixes } = await this.scope.resolve(principal, query.orgUnitId);
    let courseId: string | null = null;
    if (query.courseSlug) {
      const rows = (await this.dataSource.query(`SELECT id FROM course WHERE slug = $1`, [query.courseSlug])) as Array<{ id: string }>;
      if (rows.length === 0) throw new NotFoundError('Course', query.courseSlug);
      courseId = rows[0].id;
    }
    return [subtreePatterns(prefixes), courseId, query.status ?? null];
  }
}
