import type { EntityManager } from 'typeorm';

export const XAPI_PASSED = 'http://adlnet.gov/expapi/verbs/passed';
export const XAPI_FAILED = 'http://adlnet.gov/expapi/verbs/failed';

export interface PackageResult {
  /** 0–100, rounded; null when no activity reported a score. */
  score: number | null;
  passed: boolean | null;
}

/** One packaged activity's latest outcome. */
export interface ActivityOutcome {
  success: 'passed' | 'failed' | 'unknown';
  /** score.scaled, -1..1 (SCORM 2004) or 0..1; null when not reported. */
  scaled: number | null;
}

/**
 * The rule that turns packaged activities' outcomes into the enrolment's result (docs/interop.md):
 * the score is the mean of the scaled scores of the activities that reported one (each activity's
 * latest), as a percentage (below 0 counts as 0); passed is false when any activity failed, true
 * when any passed and none failed, otherwise unknown (null).
 */
export function combineOutcomes(outcomes: readonly ActivityOutcome[]): PackageResult {
  const scores = outcomes.map((o) => o.scaled).filter((s): s is number => s !== null && Number.isFinite(s));
  const score = scores.length ? Math.round((100 * scores.reduce((sum, s) => sum + Math.max(0, Math.min(1, s)), 0)) / scores.length) : null;
  const passed = outcomes.some((o) => o.success === 'failed') ? false : outcomes.some((o) => o.success === 'passed') ? true : null;
  return { score, passed };
}

/**
 * The latest outcome of every packaged activity of an enrolment: SCORM SCOs from their stored
 * run-time data, cmi5 AUs from the last (not voided) `passed` or `failed` statement of the
 * enrolment's registration by the actor of one of the enrolment's cmi5 sessions.
 */
export async function packageOutcomes(db: Pick<EntityManager, 'query'>, enrolmentId: string, courseId: string): Promise<ActivityOutcome[]> {
  const scorm = (await db.query(
    `SELECT r.success_status, r.score_scaled FROM scorm_runtime r
       JOIN package_activity a ON a.id = r.activity_id AND a.course_id = $2
      WHERE r.enrolment_id = $1`,
    [enrolmentId, courseId],
  )) as Array<{ success_status: string | null; score_scaled: number | null }>;
  const outcomes: ActivityOutcome[] = scorm.map((r) => ({
    success: r.success_status === 'passed' || r.success_status === 'failed' ? r.success_status : 'unknown',
    scaled: r.score_scaled,
  }));
  {
    const cmi5 = (await db.query(
      `SELECT DISTINCT ON (s.activity_id) s.verb_id, s.statement->'result'->'score'->'scaled' AS scaled
         FROM xapi_statement s
         JOIN package_activity a ON a.identifier = s.activity_id AND a.course_id = $2
         JOIN content_package p ON p.id = a.package_id AND p.standard = 'cmi5'
        WHERE s.registration = $1 AND NOT s.voided AND s.verb_id = ANY($3::text[]) AND s.agent_keys && ARRAY(SELECT DISTINCT actor_key FROM cmi5_session WHERE enrolment_id = $1)
        ORDER BY s.activity_id, s.seq DESC`,
      [enrolmentId, courseId, [XAPI_PASSED, XAPI_FAILED]],
    )) as Array<{ verb_id: string; scaled: unknown }>;
    for (const r of cmi5)
      outcomes.push({ success: r.verb_id === XAPI_PASSED ? 'passed' : 'failed', scaled: typeof r.scaled === 'number' ? r.scaled : null });
  }
  return outcomes;
}
