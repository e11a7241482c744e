import type { QuizQuestion } from '@lms/catalog';
import { addMonths, checkAnswers, completionMet, describeTarget, gradeQuiz, localized, planDue, planRenewal, progressOf, publicQuestions } from './learning-rules.js';

const lessons = [
  { id: 'a', required: true },
  { id: 'b', required: true },
  { id: 'c', required: false },
  { id: 'd', required: true },
];

const questions: QuizQuestion[] = [
  { id: 'q1', type: 'single', text: { en: 'One', sr: 'Jedan' }, choices: [{ id: 'x', text: { en: 'X' }, correct: true }, { id: 'y', text: { en: 'Y' } }], explanation: { en: 'why' } },
  { id: 'q2', type: 'multiple', text: { en: 'Two' }, choices: [{ id: 'x', text: { en: 'X' }, correct: true }, { id: 'y', text: { en: 'Y' }, correct: true }, { id: 'z', text: { en: 'Z' } }] },
  { id: 'q3', type: 'single', text: { en: 'Three' }, choices: [{ id: 'x', text: { en: 'X' } }, { id: 'y', text: { en: 'Y' }, correct: true }] },
];

describe('learning rules', () => {
  it('progress is the share of required lessons done, rounded down; optional lessons do not count', () => {
    expect(progressOf(lessons, [])).toBe(0);
    expect(progressOf(lessons, ['a'])).toBe(33);
    expect(progressOf(lessons, ['a', 'c'])).toBe(33);
    expect(progressOf(lessons, ['a', 'b'])).toBe(66);
    expect(progressOf(lessons, ['a', 'b', 'd'])).toBe(100);
    expect(progressOf([{ id: 'o', required: false }], [])).toBe(100);
  });

  it('completion needs every required lesson and, with a quiz, a passing attempt', () => {
    expect(completionMet(lessons, ['a', 'b', 'd'], false, false)).toBe(true);
    expect(completionMet(lessons, ['a', 'b', 'd'], true, false)).toBe(false);
    expect(completionMet(lessons, ['a', 'b', 'd'], true, true)).toBe(true);
    expect(completionMet(lessons, ['a', 'b'], true, true)).toBe(false);
  });

  it('grades: a question is right only with exactly its correct choices; score rounded down; pass at the mark', () => {
    expect(gradeQuiz(questions, [{ questionId: 'q1', choiceIds: ['x'] }, { questionId: 'q2', choiceIds: ['y', 'x'] }, { questionId: 'q3', choiceIds: ['y'] }], 100)).toEqual({ score: 100, passed: true, correct: 3 });
    expect(gradeQuiz(questions, [{ questionId: 'q1', choiceIds: ['x'] }, { questionId: 'q2', choiceIds: ['x'] }], 66)).toEqual({ score: 33, passed: false, correct: 1 });
    expect(gradeQuiz(questions, [{ questionId: 'q1', choiceIds: ['x'] }, { questionId: 'q2', choiceIds: ['x', 'y', 'z'] }, { questionId: 'q3', choiceIds: ['y'] }], 66)).toEqual({ score: 66, passed: true, correct: 2 });
    expect(gradeQuiz(questions, [], 1)).toEqual({ score: 0, passed: false, correct: 0 });
  });

  it('checks answers: unknown questions and choices, duplicates, one choice for single-choice questions', () => {
    expect(checkAnswers(questions, [{ questionId: 'q1', choiceIds: ['x'] }])).toEqual([]);
    expect(checkAnswers(questions, [{ questionId: 'nope', choiceIds: ['x'] }])).toMatchObject([
      { field: 'answers.0.questionId', message: 'unknown question id "nope"', localised: { key: 'learning.unknownQuestion', args: { id: 'nope' } } },
    ]);
    expect(checkAnswers(questions, [{ questionId: 'q2', choiceIds: ['x', 'w'] }]).map(({ field, message }) => ({ field, message }))).toEqual([
      { field: 'answers.0.choiceIds', message: 'unknown choice id(s) for question "q2": w' },
    ]);
    expect(checkAnswers(questions, [{ questionId: 'q1', choiceIds: ['x', 'y'] }]).map((e) => e.field)).toEqual(['answers.0.choiceIds']);
    expect(checkAnswers(questions, [{ questionId: 'q2', choiceIds: [] }]).map((e) => e.field)).toEqual(['answers.0.choiceIds']);
    expect(checkAnswers(questions, [{ questionId: 'q2', choiceIds: ['x', 'x'] }]).map((e) => e.field)).toEqual(['answers.0.choiceIds']);
    expect(checkAnswers(questions, [{ questionId: 'q3', choiceIds: ['y'] }, { questionId: 'q3', choiceIds: ['y'] }]).map((e) => e.field)).toEqual(['answers.1.questionId']);
  });

  it('shows questions without correct flags or explanations, in the language asked with fallback', () => {
    const shown = publicQuestions(questions, 'sr', 'en');
    expect(shown[0]).toEqual({ id: 'q1', type: 'single', text: 'Jedan', choices: [{ id: 'x', text: 'X' }, { id: 'y', text: 'Y' }] });
    expect(JSON.stringify(shown)).not.toMatch(/correct|explanation|why/);
    expect(localized({ fr: 'Bonjour' }, 'de', 'en')).toBe('Bonjour');
    expect(localized(null, 'en', 'en')).toBe('');
  });

  it('adds calendar months in UTC, clamping to the end of shorter months', () => {
    expect(addMonths(new Date('2026-01-31T10:00:00Z'), 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addMonths(new Date('2028-01-31T10:00:00Z'), 1).toISOString()).toBe('2028-02-29T10:00:00.000Z');
    expect(addMonths(new Date('2026-11-26T18:00:00Z'), 12).toISOString()).toBe('2027-11-26T18:00:00.000Z');
    expect(addMonths(new Date('2026-12-15T00:00:00Z'), 14).toISOString()).toBe('2028-02-15T00:00:00.000Z');
  });

  it('explains due dates: fixed, relative to the assignment or to joining, none; renewals', () => {
    const at = new Date('2026-11-26T12:00:00Z');
    const target = describeTarget({ unit: { name: 'Tax', code: 'TAX' }, includeSubUnits: true });
    expect(target).toBe('unit Tax (TAX) and below');
    expect(planDue({ id: 'A', dueAt: null, dueInDays: 30 }, target, 'joining', at)).toEqual({
      dueAt: new Date('2026-12-26T12:00:00Z'),
      dueReason: 'assigned by assignment A to unit Tax (TAX) and below; due 30 days after joining on 2026-11-26',
    });
    expect(planDue({ id: 'A', dueAt: new Date('2027-01-10T00:00:00Z'), dueInDays: null }, 'job role clerk', 'assignment', at).dueReason).toBe(
      'assigned by assignment A to job role clerk; due on 2027-01-10 (fixed date set by the assignment)',
    );
    expect(planDue({ id: 'A', dueAt: null, dueInDays: null }, '3 listed people', 'assignment', at)).toEqual({ dueAt: null, dueReason: 'assigned by assignment A to 3 listed people; no due date' });
    expect(describeTarget({ unit: { name: 'Tax', code: 'TAX' }, jobRoleCode: 'clerk' })).toBe('unit Tax (TAX) with job role clerk');
    expect(describeTarget({ userCount: 1 })).toBe('1 listed person');
    expect(planRenewal('A', 2, 12, at)).toEqual({
      dueAt: new Date('2027-11-26T12:00:00Z'),
      dueReason: 'renewal (cycle 2) required by assignment A every 12 months; due 12 months after completion on 2026-11-26',
    });
  });
});
