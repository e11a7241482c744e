import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { assignmentTarget, AssignmentTarget } from './assignment.entity.js';

/** An assignment as read back, with its course slug and target unit resolved. */
export interface AssignmentView {
  id: string;
  courseId: string;
  courseSlug: string;
  target: AssignmentTarget;
  /** The target in words, e.g. "unit Tax office (TAX) and below with job role clerk". */
  targetUnit: { id: string; code: string; name: string; path: string } | null;
  dueAt: Date | null;
  dueInDays: number | null;
  renewEveryMonths: number | null;
  standing: boolean;
  createdBy: string | null;
  createdAt: Date;
}

export interface AssignmentCounts {
  /** People holding a (not withdrawn) enrolment from this assignment. */
  assigned: number;
  /** People who started and have not completed. */
  inProgress: number;
  /** People who completed and whose renewal (if any) is not overdue. */
  completed: number;
  /** People whose active enrolment from this assignment is past its due date. */
  overdue: number;
}

/** The rows one assignment enrols: people matched by the target, with the due date and reason they get. */
export interface AssignmentTrendPoint {
  weekStart: Date;
  assigned: number;
  completed: number;
  overdue: number;
}

export interface EnrolBatch {
  assignmentId: string;
  courseId: string;
  courseVersionId: string;
  target: AssignmentTarget;
  /** Materialised path of the target unit when `includeSubUnits`. */
  unitPath: string | null;
  dueAt: Date | null;
  dueReason: string;
}

interface AssignmentRow {
  id: string;
  course_id: string;
  course_slug: string;
  target_user_ids: string[] | null;
  target_org_unit_id: string | null;
  include_sub_units: boolean;
  target_job_role_code: string | null;
  unit_code: string | null;
  unit_name: string | null;
  unit_path: string | null;
  due_at: Date | null;
  due_in_days: number | null;
  renew_every_months: number | null;
  standing: boolean;
  created_by: string | null;
  created_at: Date;
}

function toView(r: AssignmentRow): AssignmentView {
  return {
    id: r.id,
    courseId: r.course_id,
    courseSlug: r.course_slug,
    target: assignmentTarget({
      targetUserIds: r.target_user_ids,
      targetOrgUnitId: r.target_org_unit_id,
      includeSubUnits: r.include_sub_units,
      targetJobRoleCode: r.target_job_role_code,
    }),
    targetUnit: r.target_org_unit_id ? { id: r.target_org_unit_id, code: r.unit_code ?? '', name: r.unit_name ?? '', path: r.unit_path ?? '' } : null,
    dueAt: r.due_at,
    dueInDays: r.due_in_days,
    renewEveryMonths: r.renew_every_months,
    standing: r.standing,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

const ASSIGNMENT_SELECT = `
  SELECT a.id, a.course_id, c.slug AS course_slug, a.target_user_ids, a.target_org_unit_id, a.include_sub_units,
         a.target_job_role_code, o.code AS unit_code, o.name AS unit_name, o.path AS unit_path,
         a.due_at, a.due_in_days, a.renew_every_months, a.standing, a.created_by, a.created_at
    FROM assignment a
    JOIN course c ON c.id = a.course_id
    LEFT JOIN org_unit o ON o.id = a.target_org_unit_id`;

/** A standing assignment that matches one person, with the version to pin. */
export interface StandingMatch extends AssignmentView {
  courseVersionId: string;
}

/**
 * Set-based SQL for assignments: one INSERT … SELECT per assignment, never a loop of saves.
 * Idempotent per (course, person): the partial unique index on active enrolments turns a second
 * enrolment into nothing, and a person who completed the course is not enrolled again (renewals
 * are created at completion).
 */
@Injectable()
export class AssignmentRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(
    manager: EntityManager,
    a: { courseId: string; target: AssignmentTarget; dueAt: Date | null; dueInDays: number | null; renewEveryMonths: number | null; createdBy: string | null },
  ): Promise<{ id: string; createdAt: Date }> {
    const standing = !a.target.userIds;
    const [row] = (await manager.query(
      `INSERT INTO assignment (course_id, target_user_ids, target_org_unit_id, include_sub_units, target_job_role_code, due_at, due_in_days, renew_every_months, standing, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, created_at`,
      [
        a.courseId,
        a.target.userIds ?? null,
        a.target.orgUnitId ?? null,
        a.target.includeSubUnits ?? false,
        a.target.jobRoleCode ?? null,
        a.dueAt,
        a.dueInDays,
        a.renewEveryMonths,
        standing,
        a.createdBy,
      ],
    )) as Array<{ id: string; created_at: Date }>;
    return { id: row.id, createdAt: row.created_at };
  }

  /**
   * Enrols everyone the target matches, in two statements: an active enrolment the person started
   * themself (no assignment) is adopted (it gains this assignment's due date), then one
   * `INSERT … SELECT … ON CONFLICT DO NOTHING` creates the rest. Returns how many people matched
   * and how many enrolments were created.
   *
   * The cost is linear whatever the planner's statistics say (docs/scaling.md): the people who
   * completed the course are removed by `EXCEPT` — a hashed or sorted set difference, never a
   * nested loop — read from the partial index `idx_enrolment_completed`; active duplicates are
   * left to the unique index through ON CONFLICT (one index probe a row). A `NOT EXISTS` here
   * was planned, on a table just bulk-loaded and not yet analysed, as a nested loop that scanned
   * every enrolment of the course once per person (over 5 minutes for 100,000 people).
   */
  async enrolTargets(manager: EntityManager, b: EnrolBatch): Promise<{ matched: number; created: number }> {
    const adopt: unknown[] = [];
    const adoptMatched = this.matchedSql(b, adopt);
    const a = (v: unknown): string => `$${adopt.push(v)}`;
    await manager.query(
      `UPDATE enrolment e
          SET source = 'assignment', assignment_id = ${a(b.assignmentId)}::uuid, due_at = ${a(b.dueAt)}::timestamptz,
              due_reason = ${a(b.dueReason)}::text || '; kept the enrolment you started yourself on ' || to_char(e.enrolled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
              updated_at = now()
        WHERE e.course_id = ${a(b.courseId)}::uuid AND e.status IN ('enrolled', 'in_progress') AND e.assignment_id IS NULL
          AND e.user_id IN (${adoptMatched})`,
      adopt,
    );

    const params: unknown[] = [];
    const matched = this.matchedSql(b, params);
    const p = (v: unknown): string => `$${params.push(v)}`;
    const course = p(b.courseId);
    const [counts] = (await manager.query(
      `WITH matched AS MATERIALIZED (${matched}),
            todo AS MATERIALIZED (
              SELECT user_id FROM matched
              EXCEPT
              SELECT d.user_id FROM enrolment d WHERE d.course_id = ${course}::uuid AND d.status = 'completed'),
            ins AS (
              INSERT INTO enrolment (user_id, course_id, course_version_id, status, source, assignment_id, due_at, due_reason)
              SELECT t.user_id, ${course}::uuid, ${p(b.courseVersionId)}::uuid, 'enrolled', 'assignment', ${p(b.assignmentId)}::uuid,
                     ${p(b.dueAt)}::timestamptz, ${p(b.dueReason)}::text
                FROM todo t
              ON CONFLICT (user_id, course_id) WHERE status IN ('enrolled', 'in_progress') DO NOTHING
              RETURNING 1)
       SELECT (SELECT count(*) FROM matched)::int AS matched, (SELECT count(*) FROM ins)::int AS created`,
      params,
    )) as Array<{ matched: number; created: number }>;
    return counts;
  }

  /**
   * What enrolTargets would do, read only: the people the target matches and, of them, those who
   * already hold the course (an active or completed enrolment), whom an assignment keeps as they are.
   */
  async previewTargets(b: Pick<EnrolBatch, 'courseId' | 'target' | 'unitPath'>): Promise<{ matched: number; alreadyEnrolled: number }> {
    const params: unknown[] = [];
    const matched = this.matchedSql({ ...b, assignmentId: '', courseVersionId: '', dueAt: null, dueReason: '' }, params);
    params.push(b.courseId);
    const [r] = (await this.dataSource.query(
      `WITH matched AS MATERIALIZED (${matched})
       SELECT (SELECT count(*) FROM matched)::int AS matched,
              (SELECT count(*) FROM matched m WHERE EXISTS (
                 SELECT 1 FROM enrolment e WHERE e.user_id = m.user_id AND e.course_id = $${params.length}::uuid
                    AND e.status IN ('enrolled', 'in_progress', 'completed')))::int AS "alreadyEnrolled"`,
      params,
    )) as Array<{ matched: number; alreadyEnrolled: number }>;
    return r;
  }

  /**
   * Week by week since the assignment was made (newest first, at most `weeks`): people assigned by
   * the end of the week, of them completed by then, and overdue then (due date passed, not completed).
   */
  async trend(id: string, weeks = 12): Promise<AssignmentTrendPoint[]> {
    return (await this.dataSource.query(
      `WITH a AS (SELECT created_at FROM assignment WHERE id = $1),
            w AS (SELECT generate_series(date_trunc('week', (SELECT created_at FROM a)), date_trunc('week', now()), interval '1 week') AS start),
            p AS (SELECT user_id, min(enrolled_at) AS enrolled_at, min(completed_at) AS completed_at, min(due_at) AS due_at
                    FROM enrolment WHERE assignment_id = $1 AND status <> 'withdrawn' GROUP BY user_id)
       SELECT w.start AS "weekStart",
              count(p.user_id) FILTER (WHERE p.enrolled_at < w.start + interval '1 week')::int AS assigned,
              count(p.user_id) FILTER (WHERE p.completed_at < w.start + interval '1 week')::int AS completed,
              count(p.user_id) FILTER (WHERE p.due_at < LEAST(w.start + interval '1 week', now())
                                         AND (p.completed_at IS NULL OR p.completed_at >= LEAST(w.start + interval '1 week', now())))::int AS overdue
         FROM w LEFT JOIN p ON true
        GROUP BY w.start ORDER BY w.start DESC LIMIT $2`,
      [id, weeks],
    )) as AssignmentTrendPoint[];
  }

  /** The people a target matches (active accounts only), as a sub-select; pushes its parameters. */
  private matchedSql(b: EnrolBatch, params: unknown[]): string {
    const p = (v: unknown): string => `$${params.push(v)}`;
    const where: string[] = [`u.status = 'active'`];
    let join = '';
    if (b.target.userIds) where.push(`u.id = ANY(${p(b.target.userIds)}::uuid[])`);
    if (b.target.orgUnitId) {
      if (b.target.includeSubUnits && b.unitPath) {
        join = 'JOIN org_unit o ON o.id = u.org_unit_id';
        where.push(`o.path LIKE ${p(`${b.unitPath}%`)}::text`);
      } else where.push(`u.org_unit_id = ${p(b.target.orgUnitId)}::uuid`);
    }
    if (b.target.jobRoleCode) where.push(`u.job_role_code = ${p(b.target.jobRoleCode)}::text`);
    return `SELECT u.id AS user_id FROM app_user u ${join} WHERE ${where.join(' AND ')}`;
  }

  async findView(id: string): Promise<AssignmentView | null> {
    const rows = (await this.dataSource.query(`${ASSIGNMENT_SELECT} WHERE a.id = $1`, [id])) as AssignmentRow[];
    return rows[0] ? toView(rows[0]) : null;
  }

  async counts(id: string): Promise<AssignmentCounts> {
    const [r] = (await this.dataSource.query(
      `WITH per_person AS (
         SELECT user_id,
                bool_or(status = 'completed') AS completed,
                bool_or(status = 'in_progress') AS in_progress,
                -- a disabled person (a leaver) keeps the enrolment but is not counted as overdue
                bool_or(status IN ('enrolled', 'in_progress') AND due_at IS NOT NULL AND due_at < now()
                        AND EXISTS (SELECT 1 FROM app_user u WHERE u.id = user_id AND u.status = 'active')) AS overdue
           FROM enrolment WHERE assignment_id = $1 AND status <> 'withdrawn' GROUP BY user_id)
       SELECT count(*)::int AS assigned,
              count(*) FILTER (WHERE in_progress AND NOT completed)::int AS in_progress,
              count(*) FILTER (WHERE completed AND NOT overdue)::int AS completed,
              count(*) FILTER (WHERE overdue)::int AS overdue
         FROM per_person`,
      [id],
    )) as Array<{ assigned: number; in_progress: number; completed: number; overdue: number }>;
    return { assigned: r.assigned, inProgress: r.in_progress, completed: r.completed, overdue: r.overdue };
  }

  /**
   * The standing assignments whose target now matches the person: their unit is the target unit
   * (or below it, with includeSubUnits) and the job role matches when one is named; or a job-role-only
   * target. Oldest first; only courses with a published version.
   */
  async standingMatchesFor(manager: EntityManager, userId: string): Promise<StandingMatch[]> {
    const rows = (await manager.query(
      `WITH me AS (
         SELECT u.id, u.org_unit_id, u.job_role_code, string_to_array(trim(both '/' from uo.path), '/')::uuid[] AS ancestors
           FROM app_user u JOIN org_unit uo ON uo.id = u.org_unit_id
          WHERE u.id = $1 AND u.status = 'active')
       SELECT x.*, v.id AS course_version_id FROM (
         ${ASSIGNMENT_SELECT}
         JOIN me ON a.standing AND (
              (a.target_org_unit_id = ANY(me.ancestors)
                 AND (a.include_sub_units OR a.target_org_unit_id = me.org_unit_id)
                 AND (a.target_job_role_code IS NULL OR a.target_job_role_code = me.job_role_code))
           OR (a.target_org_unit_id IS NULL AND a.target_job_role_code = me.job_role_code))
       ) x
       JOIN LATERAL (SELECT id FROM course_version cv WHERE cv.course_id = x.course_id AND cv.status = 'published' ORDER BY cv.version DESC LIMIT 1) v ON TRUE
       ORDER BY x.created_at, x.id`,
      [userId],
    )) as Array<AssignmentRow & { course_version_id: string }>;
    return rows.map((r) => ({ ...toView(r), courseVersionId: r.course_version_id }));
  }

  /**
   * Enrols one person for several standing assignments (one per course) in one statement; adopts
   * their own active enrolments first. Skips courses they completed and assignments they were
   * withdrawn from.
   */
  async enrolPerson(
    manager: EntityManager,
    userId: string,
    rows: Array<{ assignmentId: string; courseId: string; courseVersionId: string; dueAt: Date | null; dueReason: string }>,
  ): Promise<string[]> {
    if (rows.length === 0) return [];
    const arrays = [
      userId,
      rows.map((r) => r.assignmentId),
      rows.map((r) => r.courseId),
      rows.map((r) => r.courseVersionId),
      rows.map((r) => r.dueAt),
      rows.map((r) => r.dueReason),
    ];
    const unnest = `unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::timestamptz[], $6::text[]) AS x(assignment_id, course_id, version_id, due_at, due_reason)`;
    // Waits for whatever is changing this person's enrolments in these courses (HR withdrawing
    // them, a completion) to commit, so the statements below see it. Without the lock a withdrawal
    // committed while the insert waited on the active row re-enrolled the person.
    await manager.query(`SELECT id FROM enrolment WHERE user_id = $1 AND course_id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`, [userId, rows.map((r) => r.courseId)]);
    await manager.query(
      `UPDATE enrolment e
          SET source = 'assignment', assignment_id = x.assignment_id, due_at = x.due_at,
              due_reason = x.due_reason || '; kept the enrolment you started yourself on ' || to_char(e.enrolled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
              updated_at = now()
         FROM ${unnest}
        WHERE e.user_id = $1 AND e.course_id = x.course_id AND e.status IN ('enrolled', 'in_progress') AND e.assignment_id IS NULL`,
      arrays,
    );
    const inserted = (await manager.query(
      `INSERT INTO enrolment (user_id, course_id, course_version_id, status, source, assignment_id, due_at, due_reason)
       SELECT $1, x.course_id, x.version_id, 'enrolled', 'assignment', x.assignment_id, x.due_at, x.due_reason
         FROM ${unnest}
        WHERE NOT EXISTS (SELECT 1 FROM enrolment d WHERE d.user_id = $1 AND d.course_id = x.course_id
                             AND (d.status = 'completed' OR (d.status = 'withdrawn' AND d.assignment_id = x.assignment_id)))
       ON CONFLICT (user_id, course_id) WHERE status IN ('enrolled', 'in_progress') DO NOTHING
       RETURNING id`,
      arrays,
    )) as Array<{ id: string }>;
    return inserted.map((r) => r.id);
  }
}
