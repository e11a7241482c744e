import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Page, Principal, InjectReadDataSource } from '@lms/platform';
import type { CsvColumn } from './csv.js';
import { subtreePatterns } from './completion-report.repository.js';
import { PERSON_COURSE_CSV_COLUMNS, PERSON_ENROLMENT_JOINS, type PersonCourseRow, reportCourseId, reportPage } from './person-course-report.js';
import { queryInBatches } from './query-batches.js';
import { ReportScope } from './report-scope.service.js';

export const RESULT_STATUSES = ['enrolled', 'in_progress', 'completed'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

/** One person's result in one course: status, progress, the packaged result and the best native quiz score. */
export interface ResultRow extends PersonCourseRow {
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
  ...PERSON_COURSE_CSV_COLUMNS,
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
const RESULTS_JOINS = PERSON_ENROLMENT_JOINS;

const RESULTS_WHERE = `
   WHERE e.status IN ('enrolled', 'in_progress', 'completed')
     AND o.path LIKE ANY ($1::text[])
     AND ($2::uuid IS NULL OR e.course_id = $2::uuid)
     AND ($3::text IS NULL OR e.status = $3::text)`;

const RESULTS_COUNT = `SELECT count(*)::int AS n ${RESULTS_JOINS} ${RESULTS_WHERE}`;

const RESULTS_SELECT = `
  SELECT e.id AS "enrolmentId", u.id AS "userId", u.display_name AS "displayName", u.email,
         o.id AS "orgUnitId", o.name AS "orgUnitName", c.slug AS "courseSlug",
         v.title ->> v.default_language AS "courseTitle", v.title AS "courseTitles", e.status, e.progress, e.completed_at AS "completedAt",
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
    return reportPage<ResultRow>(this.dataSource, RESULTS_COUNT, RESULTS_SELECT, await this.prepare(principal, query), query);
  }

  async export(principal: Principal, query: Omit<ResultsReportQuery, 'page' | 'limit'>): Promise<AsyncGenerator<ResultRow[]>> {
    const params = await this.prepare(principal, query);
    return queryInBatches<ResultRow>(this.dataSource, RESULTS_SELECT, params);
  }

  private async prepare(principal: Principal, query: Omit<ResultsReportQuery, 'page' | 'limit'>): Promise<unknown[]> {
    const { prefixes } = await this.scope.resolve(principal, query.orgUnitId);
    return [subtreePatterns(prefixes), await reportCourseId(this.dataSource, query.courseSlug), query.status ?? null];
  }
}
