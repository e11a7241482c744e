import type { DataSource } from 'typeorm';
import { NotFoundError, Page, pageOf } from '@lms/platform';
import type { CsvColumn } from './csv.js';

/** What every per-person, per-course report row starts with (the overdue and the results reports). */
export interface PersonCourseRow {
  enrolmentId: string;
  userId: string;
  displayName: string;
  email: string;
  orgUnitId: string;
  orgUnitName: string;
  courseSlug: string;
  /** In the version's default language (the CSV's column). */
  courseTitle: string | null;
  /** The version's title in each of its languages (BCP 47 tag → title), for pages in the reader's language. */
  courseTitles: Record<string, string>;
  status: string;
  progress: number;
}

/** The CSV columns of a PersonCourseRow, first in each such report. */
export const PERSON_COURSE_CSV_COLUMNS: ReadonlyArray<CsvColumn<PersonCourseRow>> = [
  { header: 'user_id', value: (r) => r.userId },
  { header: 'name', value: (r) => r.displayName },
  { header: 'email', value: (r) => r.email },
  { header: 'org_unit_name', value: (r) => r.orgUnitName },
  { header: 'course_slug', value: (r) => r.courseSlug },
  { header: 'course_title', value: (r) => r.courseTitle },
  { header: 'status', value: (r) => r.status },
  { header: 'progress', value: (r) => r.progress },
];

/** Enrolments of active people and their units: what the person reports filter with `o.path LIKE ANY ($1)`. */
export const PERSON_ENROLMENT_JOINS = `
    FROM enrolment e
    JOIN app_user u ON u.id = e.user_id AND u.status = 'active'
    JOIN org_unit o ON o.id = u.org_unit_id`;

/** The course a report is filtered to (404 for an unknown slug); null without a slug. */
export async function reportCourseId(dataSource: DataSource, slug: string | undefined): Promise<string | null> {
  if (!slug) return null;
  const rows = (await dataSource.query(`SELECT id FROM course WHERE slug = $1`, [slug])) as Array<{ id: string }>;
  if (rows.length === 0) throw new NotFoundError('Course', slug);
  return rows[0].id;
}

/**
 * One page of a report: the count and the rows under the same parameters; LIMIT and OFFSET are
 * appended to `selectSql` as the next two parameters.
 */
export async function reportPage<R>(
  dataSource: DataSource,
  countSql: string,
  selectSql: string,
  params: unknown[],
  query: { page: number; limit: number },
): Promise<Page<R>> {
  const [count] = (await dataSource.query(countSql, params)) as Array<{ n: number }>;
  const n = params.length;
  const items = (await dataSource.query(`${selectSql} LIMIT $${n + 1} OFFSET $${n + 2}`, [...params, query.limit, (query.page - 1) * query.limit])) as R[];
  return pageOf(items, count.n, query);
}
