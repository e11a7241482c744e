/** What a SCO's CMI data says about the lesson, in SCORM 2004 terms. */
export interface CmiOutcome {
  completionStatus: 'completed' | 'incomplete' | 'not attempted' | 'unknown';
  successStatus: 'passed' | 'failed' | 'unknown';
  scoreScaled: number | null;
  /** The lesson counts as done. */
  done: boolean;
}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

function num(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

/**
 * Maps CMI to an outcome. SCORM 1.2: `cmi.core.lesson_status` (passed/completed/failed/incomplete/
 * browsed/not attempted) and `cmi.core.score.raw` against min/max (default 0-100); with a
 * mastery score, the score decides passed/failed as the SCORM 1.2 RTE says. SCORM 2004:
 * `cmi.completion_status`, `cmi.success_status`, `cmi.score.scaled`. Done = completed and not
 * failed, or passed.
 */
export function cmiOutcome(version: '1.2' | '2004', cmi: Obj, masteryScore: number | null): CmiOutcome {
  if (version === '1.2') {
    const core = obj(cmi.core);
    const status = typeof core.lesson_status === 'string' ? core.lesson_status : '';
    const score = obj(core.score);
    const raw = num(score.raw);
    const min = num(score.min) ?? 0;
    const max = num(score.max) ?? 100;
    const scaled = raw !== null && max > min ? Math.max(0, Math.min(1, (raw - min) / (max - min))) : null;
    let success: CmiOutcome['successStatus'] = status === 'passed' ? 'passed' : status === 'failed' ? 'failed' : 'unknown';
    if (masteryScore !== null && scaled !== null && ['passed', 'failed', 'completed'].includes(status)) success = scaled >= masteryScore ? 'passed' : 'failed';
    const completion: CmiOutcome['completionStatus'] = ['passed', 'completed', 'failed'].includes(status) ? 'completed' : status === 'incomplete' || status === 'browsed' ? 'incomplete' : status === 'not attempted' ? 'not attempted' : 'unknown';
    return { completionStatus: completion, successStatus: success, scoreScaled: scaled, done: success === 'passed' || (completion === 'completed' && success !== 'failed') };
  }
  const completionRaw = typeof cmi.completion_status === 'string' ? cmi.completion_status : 'unknown';
  const successRaw = typeof cmi.success_status === 'string' ? cmi.success_status : 'unknown';
  const scaledRaw = num(obj(cmi.score).scaled);
  const scaled = scaledRaw !== null && scaledRaw >= -1 && scaledRaw <= 1 ? scaledRaw : null;
  let success: CmiOutcome['successStatus'] = successRaw === 'passed' || successRaw === 'failed' ? successRaw : 'unknown';
  if (success === 'unknown' && masteryScore !== null && scaled !== null) success = scaled >= masteryScore ? 'passed' : 'failed';
  const completion: CmiOutcome['completionStatus'] = ['completed', 'incomplete', 'not attempted'].includes(completionRaw) ? (completionRaw as CmiOutcome['completionStatus']) : 'unknown';
  return { completionStatus: completion, successStatus: success, scoreScaled: scaled, done: success === 'passed' || (completion === 'completed' && success !== 'failed') };
}

/** CMI as stored: the learner's name and id are the server's, never kept from a commit. */
export function storableCmi(cmi: Obj): Obj {
  const copy = JSON.parse(JSON.stringify(cmi)) as Obj;
  delete copy.learner_name;
  delete copy.learner_id;
  const core = obj(copy.core);
  delete core.student_name;
  delete core.student_id;
  return copy;
}
