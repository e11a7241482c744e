import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FrameworkImportResult, FrameworkImportService } from '@lms/competency';
import type { OrgUnit } from '@lms/identity';
import { anOrgUnit, TestApi, uniq } from '@lms/testing';

/** Set-up helpers for the competency tests: data written straight to the database. */
export const DACPS_FILE = new URL('../../courses/frameworks/dacps.yaml', import.meta.url).pathname;

export async function importDacps(api: TestApi): Promise<FrameworkImportResult> {
  return api.app.get(FrameworkImportService, { strict: false }).importFile(DACPS_FILE);
}

export interface CompetencyCourse {
  courseId: string;
  versionId: string;
  slug: string;
}

export interface CompetencyCourseSpec {
  slug?: string;
  school?: OrgUnit;
  competencies: Array<{ code: string; level: number }>;
  minutes?: number;
  validityMonths?: number | null;
  frameworkKey?: string;
  /** Required lessons (no quiz): completing them completes the enrolment. Default none. */
  lessons?: string[];
}

/** A course with one published version awarding `competencies`. */
export async function aCompetencyCourse(ds: DataSource, spec: CompetencyCourseSpec): Promise<CompetencyCourse> {
  const slug = spec.slug ?? uniq('course').toLowerCase();
  const school = spec.school ?? (await anOrgUnit(ds, { kind: 'school' }));
  const [course] = (await ds.query(`INSERT INTO course (slug, school_org_unit_id) VALUES ($1, $2) RETURNING id`, [slug, school.id])) as Array<{ id: string }>;
  const versionId = await aPublishedCourseVersion(ds, course.id, 1, spec);
  return { courseId: course.id, versionId, slug };
}

export async function aPublishedCourseVersion(ds: DataSource, courseId: string, version: number, spec: CompetencyCourseSpec): Promise<string> {
  const [v] = (await ds.query(
    `INSERT INTO course_version (course_id, version, status, content_hash, default_language, languages, title, summary, audience, level,
                                 estimated_minutes, framework_key, competencies, aligned_with, completion, certificate_validity_months, quiz, published_at)
     VALUES ($1, $2, 'draft', $3, 'en', '{en}', $4, $5, 'all-staff', 'foundation', $6, $7, $8, '[]', '{}', $9, NULL, NULL) RETURNING id`,
    [
      courseId,
      version,
      randomBytes(16).toString('hex'),
      { en: `Course ${courseId.slice(0, 8)} v${version}` },
      { en: 'A course' },
      spec.minutes ?? 60,
      spec.frameworkKey ?? 'dacps',
      JSON.stringify(spec.competencies),
      spec.validityMonths === undefined ? null : spec.validityMonths,
    ],
  )) as Array<{ id: string }>;
  // Lessons while a draft (published versions and their lessons are immutable), then publish.
  for (const [position, slug] of (spec.lessons ?? []).entries()) {
    await ds.query(`INSERT INTO lesson (course_version_id, slug, position, required, minutes, title, body) VALUES ($1, $2, $3, true, 10, $4, $5)`, [
      v.id,
      slug,
      position + 1,
      { en: `Lesson ${slug}` },
      { en: `## ${slug}\n\nText.` },
    ]);
  }
  await ds.query(`UPDATE course_version SET status = 'published', published_at = now() WHERE id = $1`, [v.id]);
  return v.id;
}

/** An enrolment completed at `completedAt` (as the learning domain leaves it), with its outbox event. */
export async function aCompletedEnrolment(ds: DataSource, userId: string, course: CompetencyCourse, completedAt = new Date()): Promise<string> {
  return ds.transaction(async (m) => {
    const [e] = (await m.query(
      `INSERT INTO enrolment (user_id, course_id, course_version_id, status, source, progress, started_at, completed_at)
       VALUES ($1, $2, $3, 'completed', 'self', 100, $4, $4) RETURNING id`,
      [userId, course.courseId, course.versionId, completedAt],
    )) as Array<{ id: string }>;
    await m.query(`INSERT INTO outbox_event (name, payload) VALUES ('enrolment.completed', $1)`, [{ enrolmentId: e.id }]);
    return e.id;
  });
}

/** Manual evidence straight into the table (set-up, e.g. already expired). */
export async function someEvidence(ds: DataSource, userId: string, code: string, level: number, expiresAt: Date | null, awardedAt = new Date(Date.now() - 400 * 86_400_000)): Promise<void> {
  await ds.query(
    `INSERT INTO competency_evidence (user_id, competency_code, framework_key, framework_version, level, source, note, awarded_at, expires_at)
     VALUES ($1, $2, 'dacps', 1, $3, 'manual', 'set-up', $4, $5)`,
    [userId, code, level, awardedAt, expiresAt],
  );
}

export async function aJobRole(ds: DataSource, code: string, requirements: Array<{ code: string; level: number }>): Promise<void> {
  await ds.query(`INSERT INTO job_role (code, title) VALUES ($1, $2)`, [code, `Role ${code}`]);
  for (const r of requirements) {
    await ds.query(`INSERT INTO job_role_requirement (job_role_code, framework_key, competency_code, level) VALUES ($1, 'dacps', $2, $3)`, [code, r.code, r.level]);
  }
}

export const daysFromNow = (n: number): Date => new Date(Date.now() + n * 86_400_000);
