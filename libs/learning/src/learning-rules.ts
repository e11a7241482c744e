import { fieldError, type FieldError } from '@lms/platform';
import { LEARNING_MESSAGES as M } from './learning.errors.js';
import type { LangMap, QuizQuestion } from '@lms/catalog';
import type { QuizAnswer } from './quiz-attempt.entity.js';

/**
 * Pure rules of the learning domain (no I/O): progress, completion, quiz grading, answer checks,
 * due dates. Unit-tested in learning-rules.spec.ts.
 */

export interface LessonRef {
  id: string;
  required: boolean;
}

/** Share (0–100, rounded down) of the required lessons done; a course without required lessons is 100. */
export function progressOf(lessons: LessonRef[], doneLessonIds: Iterable<string>): number {
  const required = lessons.filter((l) => l.required);
  if (required.length === 0) return 100;
  const done = new Set(doneLessonIds);
  const count = required.filter((l) => done.has(l.id)).length;
  return Math.floor((100 * count) / required.length);
}

/** The completion rule: every required lesson done and, when the version has a quiz, a passing attempt. */
export function completionMet(lessons: LessonRef[], doneLessonIds: Iterable<string>, hasQuiz: boolean, quizPassed: boolean): boolean {
  return progressOf(lessons, doneLessonIds) === 100 && (!hasQuiz || quizPassed);
}

/**
 * Checks submitted answers against the quiz: every question id and choice id must exist, a question
 * may be answered once, a single-choice question takes exactly one choice. Returns field errors
 * (empty when the submission is well-formed). Unanswered questions are allowed (they score 0).
 */
export function checkAnswers(questions: QuizQuestion[], answers: QuizAnswer[]): FieldError[] {
  const errors: FieldError[] = [];
  const byId = new Map(questions.map((q) => [q.id, q]));
  const seen = new Set<string>();
  answers.forEach((a, i) => {
    const q = byId.get(a.questionId);
    if (!q) {
      errors.push(fieldError(`answers.${i}.questionId`, M.unknownQuestion({ id: a.questionId })));
      return;
    }
    if (seen.has(q.id)) errors.push(fieldError(`answers.${i}.questionId`, M.answeredTwice({ id: q.id })));
    seen.add(q.id);
    const choiceIds = new Set(q.choices.map((c) => c.id));
    const unknown = a.choiceIds.filter((c) => !choiceIds.has(c));
    if (unknown.length) errors.push(fieldError(`answers.${i}.choiceIds`, M.unknownChoices({ id: q.id, choices: unknown.join(', ') })));
    if (new Set(a.choiceIds).size !== a.choiceIds.length) errors.push(fieldError(`answers.${i}.choiceIds`, M.choiceTwice()));
    if (q.type === 'single' && a.choiceIds.length !== 1) errors.push(fieldError(`answers.${i}.choiceIds`, M.exactlyOneChoice({ id: q.id })));
    if (q.type === 'multiple' && a.choiceIds.length === 0) errors.push(fieldError(`answers.${i}.choiceIds`, M.atLeastOneChoice({ id: q.id })));
  });
  return errors;
}

/** A question is right when exactly its correct choices are chosen; the score is the share (0–100, rounded down) of questions right. */
export function gradeQuiz(questions: QuizQuestion[], answers: QuizAnswer[], passMark: number): { score: number; passed: boolean; correct: number } {
  if (questions.length === 0) return { score: 100, passed: true, correct: 0 };
  const given = new Map(answers.map((a) => [a.questionId, new Set(a.choiceIds)]));
  let correct = 0;
  for (const q of questions) {
    const chosen = given.get(q.id);
    if (!chosen) continue;
    const right = q.choices.filter((c) => c.correct === true).map((c) => c.id);
    if (right.length === chosen.size && right.every((id) => chosen.has(id))) correct += 1;
  }
  const score = Math.floor((100 * correct) / questions.length);
  return { score, passed: score >= passMark, correct };
}

/** After grading: right or wrong per question, with the explanation (never which choices were right). */
export function quizFeedback(questions: QuizQuestion[], answers: QuizAnswer[], lang: string, fallback: string): Array<{ questionId: string; correct: boolean; explanation: string | null }> {
  const given = new Map(answers.map((a) => [a.questionId, new Set(a.choiceIds)]));
  return questions.map((q) => {
    const chosen = given.get(q.id) ?? new Set<string>();
    const right = q.choices.filter((c) => c.correct === true).map((c) => c.id);
    const correct = right.length === chosen.size && right.every((id) => chosen.has(id));
    return { questionId: q.id, correct, explanation: q.explanation ? localized(q.explanation, lang, fallback) : null };
  });
}

/** The text in the wanted language, else the default language, else any. */
export function localized(map: LangMap | null | undefined, lang: string, fallback: string): string {
  if (!map) return '';
  return map[lang] ?? map[fallback] ?? Object.values(map)[0] ?? '';
}

/** The quiz as a learner sees it: no correct flags, no explanations, texts in one language. */
export function publicQuestions(questions: QuizQuestion[], lang: string, fallback: string) {
  return questions.map((q) => ({
    id: q.id,
    type: q.type,
    text: localized(q.text, lang, fallback),
    choices: q.choices.map((c) => ({ id: c.id, text: localized(c.text, lang, fallback) })),
  }));
}

/** Calendar months later, in UTC; the day is clamped to the end of a shorter month (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

/** YYYY-MM-DD (UTC) for reasons a person reads. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export interface DuePlan {
  dueAt: Date | null;
  dueReason: string;
}

/**
 * Where an assigned enrolment's due date comes from, in words:
 * "assigned by assignment <id> to unit X and below; due 30 days after joining on 2026-11-26".
 * `event` is what started the clock: the assignment itself, or the person joining the target later.
 */
export function planDue(
  assignment: { id: string; dueAt: Date | null; dueInDays: number | null },
  targetText: string,
  event: 'assignment' | 'joining',
  at: Date,
): DuePlan {
  const who = `assigned by assignment ${assignment.id} to ${targetText}`;
  if (assignment.dueAt) return { dueAt: assignment.dueAt, dueReason: `${who}; due on ${isoDay(assignment.dueAt)} (fixed date set by the assignment)` };
  if (assignment.dueInDays) {
    return {
      dueAt: addDays(at, assignment.dueInDays),
      dueReason: `${who}; due ${assignment.dueInDays} days after ${event} on ${isoDay(at)}`,
    };
  }
  return { dueAt: null, dueReason: `${who}; no due date` };
}

/** The renewal of a completed assigned enrolment: due `months` after the completion. */
export function planRenewal(assignmentId: string, cycle: number, months: number, completedAt: Date): DuePlan {
  const dueAt = addMonths(completedAt, months);
  return {
    dueAt,
    dueReason: `renewal (cycle ${cycle}) required by assignment ${assignmentId} every ${months} months; due ${months} months after completion on ${isoDay(completedAt)}`,
  };
}

/** "unit Tax office (TAX) and below", "job role clerk", "3 listed people", combined with "with". */
export function describeTarget(t: { userCount?: number; unit?: { name: string; code: string } | null; includeSubUnits?: boolean; jobRoleCode?: string | null }): string {
  const parts: string[] = [];
  if (t.userCount) parts.push(t.userCount === 1 ? '1 listed person' : `${t.userCount} listed people`);
  if (t.unit) parts.push(`unit ${t.unit.name} (${t.unit.code})${t.includeSubUnits ? ' and below' : ''}`);
  if (t.jobRoleCode) parts.push(`${t.unit ? 'with ' : ''}job role ${t.jobRoleCode}`);
  return parts.join(' ') || 'nobody';
}
