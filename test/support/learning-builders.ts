import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { QuizQuestion } from '@lms/catalog';
import type { OrgUnit } from '@lms/identity';
import { anOrgUnit, uniq } from './builders.js';

/**
 * A published course written straight to the database (set-up for learning tests): a course owned
 * by a school unit, a published version with lessons and, unless `quiz: null`, a quiz.
 */
export interface CourseSpec {
  slug?: string;
  school?: OrgUnit;
  /** Lessons in order; default three required lessons l1, l2, l3. */
  lessons?: Array<{ slug: string; required?: boolean }>;
  /** Default: two questions (q1 single, right answer "b"; q2 multiple, right answers "a" and "c"). */
  quiz?: { questions: QuizQuestion[]; passMark: number; attemptsAllowed: number } | null;
  languages?: string[];
}

export interface BuiltCourse {
  courseId: string;
  slug: string;
  versionId: string;
  version: number;
  lessons: Array<{ id: string; slug: string; required: boolean }>;
  quiz: { questions: QuizQuestion[]; passMark: number; attemptsAllowed: number } | null;
}

const t = (en: string): Record<string, string> => ({ en, 'sr-Latn': `${en} (sr-Latn)` });

export const DEFAULT_QUESTIONS: QuizQuestion[] = [
  {
    id: 'q1',
    type: 'single',
    text: t('Which one is right?'),
    choices: [
      { id: 'a', text: t('Wrong') },
      { id: 'b', text: t('Right'), correct: true },
      { id: 'c', text: t('Also wrong') },
    ],
    explanation: t('Because b.'),
  },
  {
    id: 'q2',
    type: 'multiple',
    text: t('Pick all right ones'),
    choices: [
      { id: 'a', text: t('Right one'), correct: true },
      { id: 'b', text: t('Wrong one') },
      { id: 'c', text: t('Right too'), correct: true },
    ],
  },
];
/** Answers that pass the default quiz. */
export const RIGHT_ANSWERS = [
  { questionId: 'q1', choiceIds: ['b'] },
  { questionId: 'q2', choiceIds: ['a', 'c'] },
];

export async function aPublishedCourse(ds: DataSource, spec: CourseSpec = {}): Promise<BuiltCourse> {
  const slug = spec.slug ?? uniq('course').toLowerCase();
  const school = spec.school ?? (await anOrgUnit(ds, { kind: 'school' }));
  const [course] = (await ds.query(`INSERT INTO course (slug, school_org_unit_id) VALUES ($1, $2) RETURNING id`, [slug, school.id])) as Array<{ id: string }>;
  const built = await aPublishedVersion(ds, course.id, 1, spec);
  return { ...built, courseId: course.id, slug };
}

/** Another published version of an existing course (lessons and quiz as in `spec`). */
export async function aPublishedVersion(ds: DataSource, courseId: string, version: number, spec: CourseSpec = {}): Promise<Omit<BuiltCourse, 'slug'>> {
  const languages = spec.languages ?? ['en', 'sr-Latn'];
  const quiz = spec.quiz === undefined ? { questions: DEFAULT_QUESTIONS, passMark: 70, attemptsAllowed: 2 } : spec.quiz;
  const lessons = spec.lessons ?? [{ slug: 'l1' }, { slug: 'l2' }, { slug: 'l3' }];
  // Lessons are written while the version is a draft (published versions and their lessons are immutable).
  const [v] = (await ds.query(
    `INSERT INTO course_version (course_id, version, status, content_hash, default_language, languages, title, summary, audience, level,
                                 estimated_minutes, framework_key, competencies, aligned_with, completion, certificate_validity_months, quiz)
     VALUES ($1, $2, 'draft', $3, 'en', $4, $5, $6, 'all-staff', 'foundation', 30, 'dacps', '[]', '[]', $7, 12, $8) RETURNING id`,
    [
      courseId,
      version,
      createHash('sha256').update(`${courseId}:${version}`).digest('hex'),
      languages,
      JSON.stringify(t(`Course ${courseId.slice(0, 8)} v${version}`)),
      JSON.stringify(t('A course for tests')),
      JSON.stringify(quiz ? { quiz: { passMark: quiz.passMark, attemptsAllowed: quiz.attemptsAllowed } } : {}),
      quiz ? JSON.stringify({ questions: quiz.questions }) : null,
    ],
  )) as Array<{ id: string }>;
  const built: BuiltCourse['lessons'] = [];
  for (const [i, l] of lessons.entries()) {
    const [row] = (await ds.query(
      `INSERT INTO lesson (course_version_id, slug, position, required, minutes, title, body) VALUES ($1, $2, $3, $4, 10, $5, $6) RETURNING id`,
      [v.id, l.slug, i + 1, l.required ?? true, JSON.stringify(t(`Lesson ${l.slug}`)), JSON.stringify(t(`Body of ${l.slug}`))],
    )) as Array<{ id: string }>;
    built.push({ id: row.id, slug: l.slug, required: l.required ?? true });
  }
  await ds.query(`UPDATE course_version SET status = 'published', published_at = now() WHERE id = $1`, [v.id]);
  return { courseId, versionId: v.id, version, lessons: built, quiz };
}

/** Outbox rows of one event name whose payload matches, e.g. countEvents(ds, 'enrolment.completed', { enrolmentId }). */
export async function countEvents(ds: DataSource, name: string, payload: Record<string, string>): Promise<number> {
  const [r] = (await ds.query(`SELECT count(*)::int AS n FROM outbox_event WHERE name = $1 AND payload @> $2::jsonb`, [name, JSON.stringify(payload)])) as Array<{
    n: number;
  }>;
  return r.n;
}
