import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CourseOffer } from './gap-ranking.js';

/**
 * The gap analysis as set-based SQL. One definition of a gap for a person, a unit, the list of
 * people short and the assign plan:
 * - `people`: the active people of the subtree (or the one person) who carry a job role;
 * - `req`: one row per person and competency their job role requires, with the required level;
 * - `held`: per person and competency with evidence, the held level (highest unexpired evidence)
 *   and the "safe" level (highest evidence still valid after the warning window), aggregated
 *   from the people's evidence only (hash aggregate; index on evidence(user_id, …) for small sets);
 * - a gap is `safe_level < required_level`; it is "expiring" when the held level still meets
 *   the requirement (the evidence lapses inside the window: plan the renewal).
 * Parameters: $1 = subtree path prefix (or user id), $2 = warning window in days.
 */
const PEOPLE_IN_SUBTREE = `
  SELECT u.id AS user_id, u.job_role_code
    FROM org_unit o JOIN app_user u ON u.org_unit_id = o.id
   WHERE o.path LIKE $1 || '%' AND u.status = 'active' AND u.job_role_code IS NOT NULL`;

const ONE_PERSON = `
  SELECT u.id AS user_id, u.job_role_code FROM app_user u WHERE u.id = $1::uuid AND u.job_role_code IS NOT NULL`;

function gapCtes(people: string, filter: { req?: string; evidence?: string } = {}): string {
  return `
  people AS NOT MATERIALIZED (${people}),
  req AS (
    SELECT p.user_id, r.framework_key, r.competency_code, r.level AS required_level
      FROM people p JOIN job_role_requirement r ON r.job_role_code = p.job_role_code
     ${filter.req ?? ''}
  ),
  held AS (
    SELECT e.user_id, e.framework_key, e.competency_code,
           max(e.level) FILTER (WHERE e.expires_at IS NULL OR e.expires_at > now()) AS held_level,
           max(e.level) FILTER (WHERE e.expires_at IS NULL OR e.expires_at > now() + make_interval(days => $2::int)) AS safe_level
      FROM people p JOIN competency_evidence e ON e.user_id = p.user_id
     ${filter.evidence ?? ''}
     GROUP BY e.user_id, e.framework_key, e.competency_code
  ),
  status AS (
    SELECT q.user_id, q.framework_key, q.competency_code, q.required_level,
           COALESCE(h.held_level, 0) AS held_level, COALESCE(h.safe_level, 0) AS safe_level
      FROM req q
      LEFT JOIN held h ON h.user_id = q.user_id AND h.framework_key = q.framework_key AND h.competency_code = q.competency_code
  )`;
}

/**
 * Per (competency, required level) for a subtree: people required, short (now or within the
 * window), expiring. The same rule as `status`, counted without a row per person and requirement
 * (which is what makes 50,000 people cheap): for each job-role requirement,
 *   required = people of the subtree with that role,
 *   met_safe = those with evidence at or above the level still valid after the window,
 *   met_now  = those with evidence at or above the level valid today,
 *   short = required − met_safe, expiring = met_now − met_safe,
 * then summed over the roles that require the same competency at the same level.
 */
export const UNIT_GAPS_SQL = `WITH
  people AS NOT MATERIALIZED (${PEOPLE_IN_SUBTREE}),
  roles AS (SELECT job_role_code, count(*) AS n FROM people GROUP BY job_role_code),
  met AS (
    SELECT r.job_role_code, r.framework_key, r.competency_code, r.level,
           count(DISTINCT e.user_id) FILTER (WHERE e.expires_at IS NULL OR e.expires_at > now() + make_interval(days => $2::int)) AS met_safe,
           count(DISTINCT e.user_id) AS met_now
      FROM people p
      JOIN competency_evidence e ON e.user_id = p.user_id
      JOIN job_role_requirement r ON r.job_role_code = p.job_role_code AND r.framework_key = e.framework_key AND r.competency_code = e.competency_code
     WHERE e.level >= r.level AND (e.expires_at IS NULL OR e.expires_at > now())
     GROUP BY r.job_role_code, r.framework_key, r.competency_code, r.level
  )
  SELECT r.framework_key AS "frameworkKey", r.competency_code AS code, r.level AS "requiredLevel",
         sum(ro.n)::int AS "peopleRequired",
         sum(ro.n - COALESCE(m.met_safe, 0))::int AS "peopleShort",
         sum(COALESCE(m.met_now, 0) - COALESCE(m.met_safe, 0))::int AS "peopleExpiring"
    FROM job_role_requirement r
    JOIN roles ro ON ro.job_role_code = r.job_role_code
    LEFT JOIN met m ON m.job_role_code = r.job_role_code AND m.framework_key = r.framework_key AND m.competency_code = r.competency_code AND m.level = r.level
   GROUP BY r.framework_key, r.competency_code, r.level
   ORDER BY r.framework_key, r.competency_code, r.level`;

export interface UnitGapRow {
  frameworkKey: string;
  code: string;
  requiredLevel: number;
  peopleRequired: number;
  peopleShort: number;
  peopleExpiring: number;
}

export const PERSON_GAPS_SQL = `WITH ${gapCtes(ONE_PERSON)}
  SELECT s.framework_key AS "frameworkKey", s.competency_code AS code, s.required_level AS "requiredLevel",
         s.held_level AS "heldLevel", s.safe_level AS "safeLevel",
         CASE WHEN s.safe_level < s.required_level AND s.held_level >= s.required_level THEN
           (SELECT max(e.expires_at) FROM competency_evidence e
             WHERE e.user_id = s.user_id AND e.framework_key = s.framework_key AND e.competency_code = s.competency_code
               AND e.level >= s.required_level AND e.expires_at > now())
         END AS "expiresAt"
    FROM status s ORDER BY s.framework_key, s.competency_code`;

export interface PersonGapRow {
  frameworkKey: string;
  code: string;
  requiredLevel: number;
  heldLevel: number;
  safeLevel: number;
  expiresAt: Date | null;
}

export const SHORT_PEOPLE_SQL = `WITH ${gapCtes(PEOPLE_IN_SUBTREE, {
  req: `WHERE r.competency_code = $3 AND ($4::text IS NULL OR r.framework_key = $4)`,
  evidence: `WHERE e.competency_code = $3 AND ($4::text IS NULL OR e.framework_key = $4)`,
})}
  SELECT s.user_id AS "userId", u.display_name AS "displayName", u.email, u.org_unit_id AS "orgUnitId", u.job_role_code AS "jobRoleCode",
         s.framework_key AS "frameworkKey", s.competency_code AS code, s.required_level AS "requiredLevel", s.held_level AS "heldLevel",
         (s.held_level >= s.required_level) AS expiring,
         count(*) OVER ()::int AS total
    FROM status s JOIN app_user u ON u.id = s.user_id
   WHERE s.safe_level < s.required_level
   ORDER BY u.display_name, u.id
  OFFSET $5 LIMIT $6`;

export interface ShortPersonRow {
  userId: string;
  displayName: string;
  email: string;
  orgUnitId: string;
  jobRoleCode: string;
  frameworkKey: string;
  code: string;
  requiredLevel: number;
  heldLevel: number;
  expiring: boolean;
}

/** The latest published version of every course, one row per competency it awards. */
const OFFERS = `
  SELECT c.id AS course_id, c.slug, v.title, v.estimated_minutes, v.framework_key, x.code, x.level
    FROM course c
    JOIN LATERAL (SELECT v.* FROM course_version v WHERE v.course_id = c.id AND v.status = 'published' ORDER BY v.version DESC LIMIT 1) v ON true
   CROSS JOIN LATERAL jsonb_to_recordset(v.competencies) AS x(code text, level int)`;

const OFFERS_SQL = `SELECT o.slug, o.title, o.estimated_minutes AS "estimatedMinutes", o.framework_key AS "frameworkKey", o.code, o.level
  FROM (${OFFERS}) o WHERE o.code = ANY($1::text[])`;

/**
 * The plan behind POST /org-units/:id/gaps/assign, in one statement. Per person and gap:
 * - a gap is already being closed when the person has an active enrolment whose pinned version
 *   awards the competency at the required level (skipped: this is what makes a second run a no-op);
 * - candidate courses close the gap and are not courses the person already took (an active or
 *   completed enrolment: assigning them again would enrol nobody);
 * - the pick is the candidate closing most of THIS person's open gaps, then the shortest, then by slug.
 * Only hash joins and aggregates over the CTEs (no anti-join against a CTE, whose row estimate
 * can be far off and turn into a nested loop).
 */
export const ASSIGN_PLAN_SQL = `WITH ${gapCtes(PEOPLE_IN_SUBTREE)},
  gaps AS (SELECT user_id, framework_key, competency_code, required_level FROM status WHERE safe_level < required_level),
  active AS (
    SELECT en.user_id, v.framework_key, x.code, max(x.level) AS level
      FROM people p
      JOIN enrolment en ON en.user_id = p.user_id AND en.status IN ('enrolled', 'in_progress')
      JOIN course_version v ON v.id = en.course_version_id
     CROSS JOIN LATERAL jsonb_to_recordset(v.competencies) AS x(code text, level int)
     GROUP BY en.user_id, v.framework_key, x.code
  ),
  gap_state AS (
    SELECT g.*, COALESCE(a.level >= g.required_level, false) AS in_progress
      FROM gaps g LEFT JOIN active a ON a.user_id = g.user_id AND a.framework_key = g.framework_key AND a.code = g.competency_code
  ),
  offers AS (${OFFERS}),
  taken AS (
    SELECT DISTINCT en.user_id, en.course_id
      FROM people p JOIN enrolment en ON en.user_id = p.user_id AND en.status IN ('enrolled', 'in_progress', 'completed')
  ),
  closing AS (
    SELECT g.user_id, g.framework_key, g.competency_code, o.slug, o.estimated_minutes, (t.user_id IS NOT NULL) AS taken
      FROM gap_state g
      JOIN offers o ON o.framework_key = g.framework_key AND o.code = g.competency_code AND o.level >= g.required_level
      LEFT JOIN taken t ON t.user_id = g.user_id AND t.course_id = o.course_id
     WHERE NOT g.in_progress
  ),
  closable AS (
    SELECT user_id, framework_key, competency_code, bool_or(NOT taken) AS assignable FROM closing GROUP BY user_id, framework_key, competency_code
  ),
  cand AS (SELECT * FROM closing WHERE NOT taken),
  score AS (SELECT user_id, slug, count(*) AS closes FROM cand GROUP BY user_id, slug),
  pick AS (
    SELECT DISTINCT ON (c.user_id, c.framework_key, c.competency_code) c.user_id, c.framework_key, c.competency_code, c.slug
      FROM cand c JOIN score s ON s.user_id = c.user_id AND s.slug = c.slug
     ORDER BY c.user_id, c.framework_key, c.competency_code, s.closes DESC, c.estimated_minutes, c.slug
  ),
  per_course AS (
    SELECT slug, array_agg(DISTINCT user_id) AS user_ids, array_agg(DISTINCT competency_code ORDER BY competency_code) AS codes, count(*)::int AS gaps
      FROM pick GROUP BY slug
  ),
  totals AS (
    SELECT count(*)::int AS gaps, count(DISTINCT user_id)::int AS people,
           count(*) FILTER (WHERE in_progress)::int AS in_progress, count(*) FILTER (WHERE NOT in_progress)::int AS open
      FROM gap_state
  ),
  closable_totals AS (SELECT count(*)::int AS closable, count(*) FILTER (WHERE NOT assignable)::int AS taken FROM closable)
  SELECT t.gaps, t.people, t.in_progress AS "inProgress", t.open - c.closable AS "noCourse", c.taken AS "alreadyTaken",
         COALESCE((SELECT json_agg(json_build_object('courseSlug', slug, 'userIds', user_ids, 'competencies', codes, 'gaps', gaps) ORDER BY slug) FROM per_course), '[]'::json) AS plan
    FROM totals t, closable_totals c`;

export interface AssignPlan {
  gaps: number;
  people: number;
  inProgress: number;
  noCourse: number;
  alreadyTaken: number;
  plan: Array<{ courseSlug: string; userIds: string[]; competencies: string[]; gaps: number }>;
}

/**
 * Session settings for the gap statements, applied with SET LOCAL inside their own transaction:
 * no JIT (compiling the plan costs more than it saves on these sub-second statements), and
 * enough work_mem (×hash_mem_multiplier) to hash a large subtree's evidence without spilling.
 */
/**
 * Advisory lock key of POST /org-units/:id/gaps/assign: one gap assignment at a time in the whole
 * organisation (subtrees overlap, and the action is rare), held until its transaction ends.
 */
export const GAP_ASSIGN_LOCK = 'competency.gaps.assign';

export const GAP_QUERY_SETTINGS = [`SET LOCAL jit = off`, `SET LOCAL work_mem = '16MB'`];

/** Gap queries. Indexes used: org_unit path prefix, app_user(org_unit_id), job_role_requirement PK, evidence (user, framework, code, level). */
@Injectable()
export class GapRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs one of the gap statements with GAP_QUERY_SETTINGS. */
  private async run<T>(sql: string, params: unknown[]): Promise<T> {
    return this.dataSource.transaction(async (m) => {
      for (const setting of GAP_QUERY_SETTINGS) await m.query(setting);
      return (await m.query(sql, params)) as T;
    });
  }

  async unitGaps(unitPath: string, warnDays: number): Promise<UnitGapRow[]> {
    return this.run<UnitGapRow[]>(UNIT_GAPS_SQL, [unitPath, warnDays]);
  }

  async personGaps(userId: string, warnDays: number): Promise<PersonGapRow[]> {
    return (await this.dataSource.query(PERSON_GAPS_SQL, [userId, warnDays])) as PersonGapRow[];
  }

  async shortPeople(
    unitPath: string,
    warnDays: number,
    code: string,
    frameworkKey: string | null,
    offset: number,
    limit: number,
  ): Promise<{ rows: ShortPersonRow[]; total: number }> {
    const rows = await this.run<Array<ShortPersonRow & { total: number }>>(SHORT_PEOPLE_SQL, [unitPath, warnDays, code, frameworkKey, offset, limit]);
    let total = rows[0]?.total;
    if (total === undefined) {
      // Past the last page: count without the page window.
      const [c] = await this.run<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM (${SHORT_PEOPLE_SQL.replace(/OFFSET \$5 LIMIT \$6$/, '')}) x`, [
        unitPath,
        warnDays,
        code,
        frameworkKey,
      ]);
      total = c.n;
    }
    return { rows: rows.map(({ total: _t, ...r }) => r), total };
  }

  /** Active people of the subtree: all of them, and those with a job role. */
  async headcount(unitPath: string): Promise<{ people: number; withJobRole: number }> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS people, count(u.job_role_code)::int AS "withJobRole"
         FROM org_unit o JOIN app_user u ON u.org_unit_id = o.id
        WHERE o.path LIKE $1 || '%' AND u.status = 'active'`,
      [unitPath],
    )) as Array<{ people: number; withJobRole: number }>;
    return row;
  }

  async offersFor(codes: string[]): Promise<CourseOffer[]> {
    if (codes.length === 0) return [];
    return (await this.dataSource.query(OFFERS_SQL, [codes])) as CourseOffer[];
  }

  /**
   * The assign plan, computed inside the caller's transaction (GAP_QUERY_SETTINGS apply to the rest
   * of it, harmlessly) after taking the gap-assign lock: a second request for the same (or an
   * overlapping) subtree waits for the first to commit and then plans against its enrolments, so
   * it assigns nothing twice.
   */
  async lockAndPlanAssign(manager: EntityManager, unitPath: string, warnDays: number): Promise<AssignPlan> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [GAP_ASSIGN_LOCK]);
    for (const setting of GAP_QUERY_SETTINGS) await manager.query(setting);
    const [row] = (await manager.query(ASSIGN_PLAN_SQL, [unitPath, warnDays])) as AssignPlan[];
    return row;
  }

  async findUnitPath(orgUnitId: string): Promise<string | null> {
    const rows = (await this.dataSource.query(`SELECT path FROM org_unit WHERE id = $1`, [orgUnitId])) as Array<{ path: string }>;
    return rows[0]?.path ?? null;
  }
}
