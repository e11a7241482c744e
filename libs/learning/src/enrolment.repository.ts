import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { textInChain } from '@lms/i18n';
import { Outbox } from '@lms/jobs';
import type { EnrolmentSource, EnrolmentStatus } from './enrolment.entity.js';
import type { QuizAnswer } from './quiz-attempt.entity.js';

/** An enrolment as clients and other domains read it (course slug and version resolved, `overdue` derived). */
export interface EnrolmentView {
  id: string;
  userId: string;
  courseId: string;
  courseSlug: string;
  /** In the learner's language (falls back to the course's default language). */
  courseTitle: string;
  courseVersionId: string;
  version: number;
  status: EnrolmentStatus;
  source: EnrolmentSource;
  assignmentId: string | null;
  cycle: number;
  dueAt: Date | null;
  dueReason: string | null;
  /** dueAt has passed and the enrolment is still enrolled or in progress. */
  overdue: boolean;
  progress: number;
  /**
   * The result of the course's packaged activities (SCORM SCOs, cmi5 AUs): score 0–100 and
   * passed/failed (null when not reported). Null when no packaged activity reported a result.
   */
  packageResult: { score: number | null; passed: boolean | null } | null;
  enrolledAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  withdrawnAt: Date | null;
}

/** The row a unit of work locks before changing an enrolment. */
export interface LockedEnrolment {
  id: string;
  userId: string;
  courseId: string;
  courseVersionId: string;
  status: EnrolmentStatus;
  assignmentId: string | null;
  cycle: number;
}

export type EnrolmentListFilter = EnrolmentStatus | 'active' | 'overdue';

interface ViewRow {
  id: string;
  user_id: string;
  course_id: string;
  course_slug: string;
  course_titles: Record<string, string> | null;
  default_language: string;
  user_locale: string;
  course_version_id: string;
  version: number;
  status: EnrolmentStatus;
  source: EnrolmentSource;
  assignment_id: string | null;
  cycle: number;
  due_at: Date | null;
  due_reason: string | null;
  overdue: boolean;
  progress: number;
  package_score: number | null;
  package_passed: boolean | null;
  enrolled_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  withdrawn_at: Date | null;
}

const ACTIVE = `e.status IN ('enrolled', 'in_progress')`;
const OVERDUE = `(${ACTIVE} AND e.due_at IS NOT NULL AND e.due_at < now())`;

const VIEW_SELECT = `
  SELECT e.id, e.user_id, e.course_id, c.slug AS course_slug,
         v.title AS course_titles, v.default_language, u.locale AS user_locale,
         e.course_version_id, v.version, e.status, e.source, e.assignment_id, e.cycle, e.due_at, e.due_reason,
         ${OVERDUE} AS overdue, e.progress, e.package_score, e.package_passed, e.enrolled_at, e.started_at, e.completed_at, e.withdrawn_at
    FROM enrolment e
    JOIN course c ON c.id = e.course_id
    JOIN course_version v ON v.id = e.course_version_id
    JOIN app_user u ON u.id = e.user_id`;

function toView(r: ViewRow): EnrolmentView {
  return {
    id: r.id,
    userId: r.user_id,
    courseId: r.course_id,
    courseSlug: r.course_slug,
    // The person's fallback chain (libs/i18n): sr-Cyrl reads sr-Latn, hr reads sr-Latn, mk reads en…
    courseTitle: textInChain(r.course_titles, r.user_locale, r.default_language) || r.course_slug,
    courseVersionId: r.course_version_id,
    version: r.version,
    status: r.status,
    source: r.source,
    assignmentId: r.assignment_id,
    cycle: r.cycle,
    dueAt: r.due_at,
    dueReason: r.due_reason,
    overdue: r.overdue,
    progress: r.progress,
    packageResult: r.package_score === null && r.package_passed === null ? null : { score: r.package_score, passed: r.package_passed },
    enrolledAt: r.enrolled_at,
    startedAt: r.started_at,
    completedAt: r.completed_at,
    withdrawnAt: r.withdrawn_at,
  };
}

function filterSql(filter: EnrolmentListFilter | undefined): string {
  switch (filter) {
    case undefined:
      return 'TRUE';
    case 'active':
      return ACTIVE;
    case 'overdue':
      return OVERDUE;
    case 'enrolled':
    case 'in_progress':
    case 'completed':
    case 'withdrawn':
      return `e.status = '${filter}'`;
  }
}

/** SQL for enrolments, lesson progress and quiz attempts. Methods taking a manager run inside the caller's transaction. */
@Injectable()
export class EnrolmentRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {}

  /** The person's current enrolment in a course (active, else the latest completed), by the course's slug. */
  async findLatestForCourse(userId: string, courseSlug: string): Promise<EnrolmentView | null> {
    const rows = (await this.dataSource.query(
      `${VIEW_SELECT} WHERE e.user_id = $1 AND c.slug = $2 AND e.status <> 'withdrawn'
        ORDER BY (e.status <> 'completed') DESC, e.enrolled_at DESC LIMIT 1`,
      [userId, courseSlug],
    )) as ViewRow[];
    return rows[0] ? toView(rows[0]) : null;
  }

  async hasCompletedLesson(enrolmentId: string, lessonSlug: string): Promise<boolean> {
    const rows = (await this.dataSource.query(`SELECT 1 FROM lesson_progress WHERE enrolment_id = $1 AND lesson_slug = $2`, [enrolmentId, lessonSlug])) as unknown[];
    return rows.length > 0;
  }

  async view(id: string, manager: EntityManager = this.dataSource.manager): Promise<EnrolmentView | null> {
    const rows = (await manager.query(`${VIEW_SELECT} WHERE e.id = $1`, [id])) as ViewRow[];
    return rows[0] ? toView(rows[0]) : null;
  }

  async views(ids: string[]): Promise<EnrolmentView[]> {
    if (ids.length === 0) return [];
    const rows = (await this.dataSource.query(`${VIEW_SELECT} WHERE e.id = ANY($1::uuid[])`, [ids])) as ViewRow[];
    return rows.map(toView);
  }

  /**
   * A person's enrolments by urgency: overdue first (most overdue first), then active ones by the
   * nearest due date (no due date last), then the rest most recent first.
   */
  async listForUser(userId: string, filter: EnrolmentListFilter | undefined, page: { offset: number; limit: number }): Promise<{ items: EnrolmentView[]; total: number }> {
    const where = `e.user_id = $1 AND ${filterSql(filter)}`;
    const rows = (await this.dataSource.query(
      `${VIEW_SELECT} WHERE ${where}
        ORDER BY ${OVERDUE} DESC, (${ACTIVE}) DESC, CASE WHEN ${ACTIVE} THEN e.due_at END ASC NULLS LAST,
                 COALESCE(e.completed_at, e.withdrawn_at, e.enrolled_at) DESC, e.id
        LIMIT $2 OFFSET $3`,
      [userId, page.limit, page.offset],
    )) as ViewRow[];
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM enrolment e WHERE ${where}`, [userId])) as Array<{ total: number }>;
    return { items: rows.map(toView), total };
  }

  /** The enrolment enrolling again returns: the active one, else the latest completed one. */
  async findCurrent(userId: string, courseId: string): Promise<string | null> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM enrolment WHERE user_id = $1 AND course_id = $2 AND status <> 'withdrawn'
        ORDER BY (status IN ('enrolled', 'in_progress')) DESC, completed_at DESC NULLS LAST LIMIT 1`,
      [userId, courseId],
    )) as Array<{ id: string }>;
    return rows[0]?.id ?? null;
  }

  /** Self-enrolment (with its 'enrolment.created' event); null when an active enrolment already exists (the partial unique index decides). */
  async insertSelf(userId: string, courseId: string, courseVersionId: string): Promise<string | null> {
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `INSERT INTO enrolment (user_id, course_id, course_version_id, status, source)
         VALUES ($1, $2, $3, 'enrolled', 'self')
         ON CONFLICT (user_id, course_id) WHERE status IN ('enrolled', 'in_progress') DO NOTHING
         RETURNING id`,
        [userId, courseId, courseVersionId],
      )) as Array<{ id: string }>;
      const id = rows[0]?.id ?? null;
      if (id) await this.outbox.add(manager, 'enrolment.created', { enrolmentId: id });
      return id;
    });
  }

  /** Locks the enrolment row for the rest of the transaction: changes to one enrolment run one at a time. */
  async lock(manager: EntityManager, id: string): Promise<LockedEnrolment | null> {
    const rows = (await manager.query(
      `SELECT id, user_id, course_id, course_version_id, status, assignment_id, cycle FROM enrolment WHERE id = $1 FOR UPDATE`,
      [id],
    )) as Array<{ id: string; user_id: string; course_id: string; course_version_id: string; status: EnrolmentStatus; assignment_id: string | null; cycle: number }>;
    const r = rows[0];
    if (!r) return null;
    return { id: r.id, userId: r.user_id, courseId: r.course_id, courseVersionId: r.course_version_id, status: r.status, assignmentId: r.assignment_id, cycle: r.cycle };
  }

  /**
   * Idempotent: the unique (enrolment, lesson) index turns a second completion into nothing.
   * One round trip: whether this call recorded the lesson, and every lesson done now (the
   * statement's own insert is not visible to its SELECT, hence the union with what it inserted).
   */
  async recordLesson(manager: EntityManager, enrolmentId: string, lessonId: string, lessonSlug: string): Promise<{ recorded: boolean; doneLessonIds: string[] }> {
    const rows = (await manager.query(
      `WITH ins AS (
         INSERT INTO lesson_progress (enrolment_id, lesson_id, lesson_slug) VALUES ($1, $2, $3)
         ON CONFLICT (enrolment_id, lesson_id) DO NOTHING RETURNING lesson_id)
       SELECT lesson_id, true AS recorded FROM ins
       UNION ALL
       SELECT lesson_id, false AS recorded FROM lesson_progress WHERE enrolment_id = $1`,
      [enrolmentId, lessonId, lessonSlug],
    )) as Array<{ lesson_id: string; recorded: boolean }>;
    const recorded = rows.some((r) => r.recorded);
    if (recorded) await this.outbox.add(manager, 'lesson.completed', { enrolmentId, lessonId });
    return { recorded, doneLessonIds: rows.map((r) => r.lesson_id) };
  }

  async doneLessons(manager: EntityManager, enrolmentId: string): Promise<Array<{ lessonId: string; completedAt: Date }>> {
    const rows = (await manager.query(`SELECT lesson_id, completed_at FROM lesson_progress WHERE enrolment_id = $1`, [enrolmentId])) as Array<{
      lesson_id: string;
      completed_at: Date;
    }>;
    return rows.map((r) => ({ lessonId: r.lesson_id, completedAt: r.completed_at }));
  }

  /** New progress; an enrolled enrolment becomes in progress. Never touches a completed or withdrawn one. */
  async setProgress(manager: EntityManager, id: string, progress: number): Promise<void> {
    await manager.query(
      `UPDATE enrolment SET progress = $2, status = 'in_progress', started_at = COALESCE(started_at, now()), updated_at = now()
        WHERE id = $1 AND status IN ('enrolled', 'in_progress')`,
      [id, progress],
    );
  }

  /**
   * The one way an enrolment completes: a conditional update, so of racing transactions exactly one
   * gets the row back (and writes the event).
   */
  async markCompleted(manager: EntityManager, id: string): Promise<{ completedAt: Date } | null> {
    const [rows] = (await manager.query(
      `UPDATE enrolment SET status = 'completed', progress = 100, completed_at = now(), started_at = COALESCE(started_at, now()), updated_at = now()
        WHERE id = $1 AND status IN ('enrolled', 'in_progress') RETURNING completed_at`,
      [id],
    )) as [Array<{ completed_at: Date }>, number];
    return rows[0] ? { completedAt: rows[0].completed_at } : null;
  }

  async markWithdrawn(manager: EntityManager, id: string): Promise<boolean> {
    const [rows] = (await manager.query(
      `UPDATE enrolment SET status = 'withdrawn', withdrawn_at = now(), updated_at = now()
        WHERE id = $1 AND status IN ('enrolled', 'in_progress') RETURNING id`,
      [id],
    )) as [unknown[], number];
    return rows.length > 0;
  }

  /** The next cycle of a renewed enrolment (the completed one is no longer active, so the index admits it). */
  async insertRenewal(
    manager: EntityManager,
    previous: LockedEnrolment,
    courseVersionId: string,
    due: { dueAt: Date | null; dueReason: string },
  ): Promise<string | null> {
    const rows = (await manager.query(
      `INSERT INTO enrolment (user_id, course_id, course_version_id, status, source, assignment_id, due_at, due_reason, cycle)
       VALUES ($1, $2, $3, 'enrolled', 'assignment', $4, $5, $6, $7)
       ON CONFLICT (user_id, course_id) WHERE status IN ('enrolled', 'in_progress') DO NOTHING RETURNING id`,
      [previous.userId, previous.courseId, courseVersionId, previous.assignmentId, due.dueAt, due.dueReason, previous.cycle + 1],
    )) as Array<{ id: string }>;
    const id = rows[0]?.id ?? null;
    if (id) await this.outbox.add(manager, 'enrolment.created', { enrolmentId: id });
    return id;
  }

  async latestPublishedVersionId(manager: EntityManager, courseId: string): Promise<string | null> {
    const rows = (await manager.query(
      `SELECT id FROM course_version WHERE course_id = $1 AND status = 'published' ORDER BY version DESC LIMIT 1`,
      [courseId],
    )) as Array<{ id: string }>;
    return rows[0]?.id ?? null;
  }

  async userLocale(userId: string): Promise<string> {
    const rows = (await this.dataSource.query(`SELECT locale FROM app_user WHERE id = $1`, [userId])) as Array<{ locale: string }>;
    return rows[0]?.locale ?? 'en';
  }

  // Quiz attempts

  async attemptsSummary(manager: EntityManager, enrolmentId: string): Promise<{ used: number; passed: boolean; bestScore: number | null }> {
    const [r] = (await manager.query(
      `SELECT COALESCE(max(attempt_no), 0)::int AS used, COALESCE(bool_or(passed), false) AS passed, max(score) AS best
         FROM quiz_attempt WHERE enrolment_id = $1`,
      [enrolmentId],
    )) as Array<{ used: number; passed: boolean; best: number | null }>;
    return { used: r.used, passed: r.passed, bestScore: r.best };
  }

  /** The unique (enrolment, attempt_no) index and the attempt_no ≤ attempts_allowed check keep the limit even under races. */
  async insertAttempt(
    manager: EntityManager,
    a: { enrolmentId: string; attemptNo: number; attemptsAllowed: number; answers: unknown; score: number; passed: boolean; clientKey?: string | null },
  ): Promise<void> {
    const [row] = (await manager.query(
      `INSERT INTO quiz_attempt (enrolment_id, attempt_no, attempts_allowed, answers, score, passed, client_key) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [a.enrolmentId, a.attemptNo, a.attemptsAllowed, JSON.stringify(a.answers), a.score, a.passed, a.clientKey ?? null],
    )) as Array<{ id: string }>;
    await this.outbox.add(manager, 'quiz.attempted', { attemptId: row.id });
  }

  /** The attempt a device's idempotency key already produced, if any. */
  async findAttemptByClientKey(
    enrolmentId: string,
    clientKey: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ attemptNo: number; score: number; passed: boolean; answers: QuizAnswer[] } | null> {
    const rows = (await manager.query(
      `SELECT attempt_no AS "attemptNo", score, passed, answers FROM quiz_attempt WHERE enrolment_id = $1 AND client_key = $2`,
      [enrolmentId, clientKey],
    )) as Array<{ attemptNo: number; score: number; passed: boolean; answers: QuizAnswer[] }>;
    return rows[0] ?? null;
  }
}
