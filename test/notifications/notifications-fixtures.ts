import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { OrgUnit, User } from '@lms/identity';
import { Clock, localTime } from '@lms/notifications';
import { anOrgUnit, type TestApi, uniq } from '@lms/testing';

/** Test data for the notification tests, written straight to the database (set-up, not the thing under test). */

export const TITLES = { en: 'AI fundamentals', 'sr-Latn': 'Osnove veštačke inteligencije', 'sr-Cyrl': 'Основе вештачке интелигенције' };

export interface TestCourse {
  courseId: string;
  versionId: string;
  slug: string;
}

/** A published course with a title in en, sr-Latn and sr-Cyrl. */
export async function aCourse(ds: DataSource, opts: { school?: OrgUnit; slug?: string; titles?: Record<string, string> } = {}): Promise<TestCourse> {
  const slug = opts.slug ?? uniq('course').toLowerCase();
  const school = opts.school ?? (await anOrgUnit(ds, { kind: 'school' }));
  const [course] = (await ds.query(`INSERT INTO course (slug, school_org_unit_id) VALUES ($1, $2) RETURNING id`, [slug, school.id])) as Array<{ id: string }>;
  const titles = opts.titles ?? TITLES;
  const [v] = (await ds.query(
    `INSERT INTO course_version (course_id, version, status, content_hash, default_language, languages, title, summary, audience, level,
                                 estimated_minutes, framework_key, competencies, aligned_with, completion, certificate_validity_months, quiz)
     VALUES ($1, 1, 'draft', $2, 'en', $3, $4, $5, 'all-staff', 'foundation', 30, 'dacps', '[]', '[]', '{}', 12, NULL) RETURNING id`,
    [course.id, createHash('sha256').update(slug).digest('hex'), Object.keys(titles), JSON.stringify(titles), JSON.stringify({ en: 'Summary' })],
  )) as Array<{ id: string }>;
  await ds.query(`UPDATE course_version SET status = 'published', published_at = now() WHERE id = $1`, [v.id]);
  return { courseId: course.id, versionId: v.id, slug };
}

/** An enrolment; `source: 'assignment'` is mandatory training. */
export async function anEnrolment(
  ds: DataSource,
  user: User,
  course: TestCourse,
  opts: { dueAt: Date | string | null; status?: string; source?: 'self' | 'assignment'; assignmentId?: string | null },
): Promise<string> {
  const [row] = (await ds.query(
    `INSERT INTO enrolment (user_id, course_id, course_version_id, status, source, assignment_id, due_at, completed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $4 = 'completed' THEN now() END) RETURNING id`,
    [
      user.id,
      course.courseId,
      course.versionId,
      opts.status ?? 'enrolled',
      opts.source ?? 'assignment',
      opts.assignmentId ?? null,
      opts.dueAt === null ? null : new Date(opts.dueAt).toISOString(),
    ],
  )) as Array<{ id: string }>;
  return row.id;
}

/** Sets the application's clock (the sweep, deliveries and read times all take "now" from it). */
export function setClock(api: TestApi, at: Date | string): Date {
  const now = new Date(at);
  api.app.get(Clock).now = () => now;
  return now;
}

/** The instant at which it is `hh:mm` on local date `date` in `timeZone`. */
export function localInstant(date: string, timeZone: string, hh = 8, mm = 30): Date {
  const guess = Date.parse(`${date}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00Z`);
  for (let offsetMin = -14 * 60; offsetMin <= 14 * 60; offsetMin += 15) {
    const t = new Date(guess - offsetMin * 60_000);
    const l = localTime(t, timeZone);
    if (l.date === date && l.hour === hh && l.minute === mm) return t;
  }
  throw new Error(`no ${hh}:${mm} on ${date} in ${timeZone}`);
}

export interface ReminderRow {
  kind: string;
  dueDate: string;
  recipientId: string;
  enrolmentId: string;
  notificationId: string | null;
  createdAt: Date;
}

export async function remindersOf(ds: DataSource, enrolmentIds: string[]): Promise<ReminderRow[]> {
  return (await ds.query(
    `SELECT kind, to_char(due_date, 'YYYY-MM-DD') AS "dueDate", recipient_id AS "recipientId", enrolment_id AS "enrolmentId",
            notification_id AS "notificationId", created_at AS "createdAt"
       FROM reminder WHERE enrolment_id = ANY($1::uuid[]) ORDER BY created_at, kind`,
    [enrolmentIds],
  )) as ReminderRow[];
}

export async function notificationsOf(ds: DataSource, userId: string): Promise<Array<{ id: string; type: string; dedupeKey: string; title: string; body: string; data: Record<string, unknown>; emailPending: boolean }>> {
  return (await ds.query(
    `SELECT id, type, dedupe_key AS "dedupeKey", title, body, data, email_pending AS "emailPending" FROM notification WHERE user_id = $1 ORDER BY created_at, dedupe_key`,
    [userId],
  )) as Array<{ id: string; type: string; dedupeKey: string; title: string; body: string; data: Record<string, unknown>; emailPending: boolean }>;
}

export async function emailsOf(ds: DataSource, userId: string): Promise<Array<{ id: string; dedupeKey: string; subject: string; textBody: string; state: string; attempts: number; lastError: string | null }>> {
  return (await ds.query(
    `SELECT id, dedupe_key AS "dedupeKey", subject, text_body AS "textBody", state, attempts, last_error AS "lastError"
       FROM email_message WHERE user_id = $1 ORDER BY created_at, dedupe_key`,
    [userId],
  )) as Array<{ id: string; dedupeKey: string; subject: string; textBody: string; state: string; attempts: number; lastError: string | null }>;
}

/** A certificate for a (completed) enrolment, with the columns the credentials schema requires. */
export async function aCertificate(
  ds: DataSource,
  enrolmentId: string,
  opts: { issuedAt?: string; expiresAt?: string | null; revokedAt?: string | null; reason?: string } = {},
): Promise<string> {
  const [row] = (await ds.query(
    `INSERT INTO certificate (enrolment_id, user_id, course_id, course_version_id, serial, verification_code, status_list, status_index,
                              issued_at, completed_at, expires_at, revoked_at, revocation_reason, holder_name, holder_locale, course_slug,
                              course_version, course_title, course_summary, default_language, framework_key, competencies,
                              school_org_unit_id, school_name, credential_jwt, issuer_kid)
     SELECT e.id, e.user_id, e.course_id, e.course_version_id, $2, $3, 1, $4, $5, $5, $6, $7, $8, u.display_name, u.locale, c.slug,
            cv.version, cv.title, cv.summary, cv.default_language, cv.framework_key, cv.competencies, c.school_org_unit_id, 'School', 'test.jwt', 'test-kid'
       FROM enrolment e JOIN app_user u ON u.id = e.user_id JOIN course c ON c.id = e.course_id JOIN course_version cv ON cv.id = e.course_version_id
      WHERE e.id = $1
     RETURNING id`,
    [
      enrolmentId,
      uniq('LMS').toUpperCase(),
      uniq('code'),
      Math.floor(Math.random() * 1_000_000_000),
      opts.issuedAt ?? '2025-01-01T10:00:00Z',
      opts.expiresAt ?? null,
      opts.revokedAt ?? null,
      opts.revokedAt ? (opts.reason ?? 'issued in error') : null,
    ],
  )) as Array<{ id: string }>;
  return row.id;
}
