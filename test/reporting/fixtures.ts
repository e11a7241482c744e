import { DataSource } from 'typeorm';
import type { OrgUnit, User } from '@lms/identity';
import { uniq } from '@lms/testing';

/** Test data for reports, written straight to the database (set-up, not the thing under test). */
export interface TestCourse {
  id: string;
  versionId: string;
  slug: string;
}

export async function aPublishedCourse(ds: DataSource, opts: { school: OrgUnit; slug?: string; title?: string }): Promise<TestCourse> {
  const slug = opts.slug ?? uniq('course');
  const [course] = (await ds.query(`INSERT INTO course (slug, school_org_unit_id) VALUES ($1, $2) RETURNING id`, [slug, opts.school.id])) as Array<{ id: string }>;
  const [version] = (await ds.query(
    `INSERT INTO course_version (course_id, version, status, content_hash, default_language, languages, title, summary, audience, level,
                                 estimated_minutes, framework_key, competencies, aligned_with, completion, published_at)
     VALUES ($1, 1, 'published', md5($2), 'en', ARRAY['en'], jsonb_build_object('en', $3::text), '{"en": ""}', 'all', 'basic',
             30, 'dacps', '[]', '[]', '{}', now()) RETURNING id`,
    [course.id, slug, opts.title ?? `Course ${slug}`],
  )) as Array<{ id: string }>;
  return { id: course.id, versionId: version.id, slug };
}

export interface EnrolmentSpec {
  user: Pick<User, 'id'>;
  course: TestCourse;
  status?: 'enrolled' | 'in_progress' | 'completed' | 'withdrawn';
  source?: 'self' | 'assignment';
  /** Due date relative to now, in days (negative: in the past). */
  dueInDays?: number | null;
  cycle?: number;
  enrolledAt?: string;
}

export async function anEnrolment(ds: DataSource, spec: EnrolmentSpec): Promise<string> {
  const status = spec.status ?? 'enrolled';
  const [row] = (await ds.query(
    `INSERT INTO enrolment (user_id, course_id, course_version_id, status, source, due_at, cycle, enrolled_at, completed_at, withdrawn_at, progress)
     VALUES ($1, $2, $3, $4, $5,
             CASE WHEN $6::float8 IS NULL THEN NULL ELSE now() + make_interval(secs => $6::float8 * 86400) END,
             $7, COALESCE($8::timestamptz, now()),
             CASE WHEN $4 = 'completed' THEN now() END, CASE WHEN $4 = 'withdrawn' THEN now() END,
             CASE $4 WHEN 'completed' THEN 100 WHEN 'in_progress' THEN 40 ELSE 0 END)
     RETURNING id`,
    [spec.user.id, spec.course.id, spec.course.versionId, status, spec.source ?? 'assignment', spec.dueInDays ?? null, spec.cycle ?? 1, spec.enrolledAt ?? null],
  )) as Array<{ id: string }>;
  return row.id;
}
