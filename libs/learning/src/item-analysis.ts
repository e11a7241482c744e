import type { QuizQuestion } from '@lms/catalog';
import type { QuizAnswer } from './quiz-attempt.entity.js';

/** Groups smaller than this are not reported (a person could be recognised). */
export const MIN_GROUP = 5;

export interface ItemStats {
  questionId: string;
  /** Attempts that answered the question. */
  answered: number;
  /** Share answered exactly right (0–1); null when suppressed. */
  facility: number | null;
  /**
   * Discrimination index: share right among the top 27% of attempts by total score minus the share
   * right among the bottom 27% (−1…1); null when suppressed or the groups are too small.
   */
  discrimination: number | null;
  /** The wrong choice picked most often (by attempts that got the question wrong), with its count; null when none or suppressed. */
  commonWrong: { choiceId: string; count: number } | null;
  suppressed: boolean;
}

function isRight(q: QuizQuestion, chosen: readonly string[]): boolean {
  const right = new Set(q.choices.filter((c) => c.correct).map((c) => c.id));
  const picked = new Set(chosen);
  return picked.size === right.size && [...picked].every((id) => right.has(id));
}

/**
 * Classical item analysis over a set of attempts (one per learner: the first), as Moodle's quiz
 * statistics report gives it: facility (share right), the discrimination index from the upper and
 * lower 27% groups by total score, and the most chosen wrong answer. Anything about fewer than
 * MIN_GROUP attempts is suppressed.
 */
export function itemAnalysis(questions: readonly QuizQuestion[], attempts: ReadonlyArray<{ score: number; answers: readonly QuizAnswer[] }>): ItemStats[] {
  const n = attempts.length;
  const ranked = [...attempts].sort((a, b) => b.score - a.score);
  const k = Math.floor(n * 0.27);
  const upper = ranked.slice(0, k);
  const lower = ranked.slice(n - k);
  const rightIn = (q: QuizQuestion, group: typeof attempts): number =>
    group.filter((a) => isRight(q, a.answers.find((x) => x.questionId === q.id)?.choiceIds ?? [])).length;
  return questions.map((q) => {
    const answered = attempts.filter((a) => a.answers.some((x) => x.questionId === q.id));
    if (answered.length < MIN_GROUP) return { questionId: q.id, answered: answered.length, facility: null, discrimination: null, commonWrong: null, suppressed: true };
    const right = rightIn(q, answered);
    const wrongCounts = new Map<string, number>();
    const correct = new Set(q.choices.filter((c) => c.correct).map((c) => c.id));
    for (const a of answered) {
      const chosen = a.answers.find((x) => x.questionId === q.id)?.choiceIds ?? [];
      if (isRight(q, chosen)) continue;
      for (const id of chosen) if (!correct.has(id)) wrongCounts.set(id, (wrongCounts.get(id) ?? 0) + 1);
    }
    const [top] = [...wrongCounts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const discrimination = k >= 1 && n >= MIN_GROUP ? rightIn(q, upper) / k - rightIn(q, lower) / k : null;
    return {
      questionId: q.id,
      answered: answered.length,
      facility: right / answered.length,
      discrimination: discrimination === null ? null : Math.round(discrimination * 100) / 100,
      commonWrong: top ? { choiceId: top[0], count: top[1] } : null,
      suppressed: false,
    };
  });
}

/** The median of a list of numbers (null for an empty list). */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
