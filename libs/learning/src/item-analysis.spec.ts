import type { QuizQuestion } from '@lms/catalog';
import { itemAnalysis, median, MIN_GROUP } from './item-analysis.js';

const q = (id: string, right: string[], type: 'single' | 'multiple' = 'single'): QuizQuestion => ({
  id,
  type,
  text: { en: id },
  choices: ['a', 'b', 'c', 'd'].map((c) => ({ id: c, text: { en: c }, correct: right.includes(c) })),
});

describe('item analysis (facility, discrimination, most chosen wrong answer)', () => {
  const questions = [q('easy', ['a']), q('hard', ['b']), q('multi', ['a', 'c'], 'multiple')];
  // Ten learners; scores decide the 27% groups (2 upper, 2 lower).
  const attempt = (score: number, easy: string[], hard: string[], multi: string[]) => ({
    score,
    answers: [
      { questionId: 'easy', choiceIds: easy },
      { questionId: 'hard', choiceIds: hard },
      { questionId: 'multi', choiceIds: multi },
    ],
  });
  const attempts = [
    attempt(100, ['a'], ['b'], ['a', 'c']),
    attempt(90, ['a'], ['b'], ['a', 'c']),
    attempt(80, ['a'], ['c'], ['a', 'c']),
    attempt(70, ['a'], ['c'], ['a']),
    attempt(60, ['a'], ['c'], ['a', 'c']),
    attempt(50, ['a'], ['d'], ['a', 'b']),
    attempt(40, ['a'], ['c'], ['a', 'c']),
    attempt(30, ['b'], ['c'], ['c']),
    attempt(20, ['a'], ['c'], ['b']),
    attempt(10, ['b'], ['d'], ['a', 'b', 'c']),
  ];

  it('computes the share right, D = upper 27% right minus lower 27% right, and the most chosen wrong choice', () => {
    const [easy, hard, multi] = itemAnalysis(questions, attempts);
    expect(easy).toEqual({ questionId: 'easy', answered: 10, facility: 0.8, discrimination: 0.5, commonWrong: { choiceId: 'b', count: 2 }, suppressed: false });
    expect(hard).toEqual({ questionId: 'hard', answered: 10, facility: 0.2, discrimination: 1, commonWrong: { choiceId: 'c', count: 6 }, suppressed: false });
    // multi: exact set needed; wrong picks: b (3 times: 50, 20, 10).
    expect(multi).toMatchObject({ facility: 0.5, discrimination: 1, commonWrong: { choiceId: 'b', count: 3 } });
  });

  it(`suppresses a question answered by fewer than ${MIN_GROUP} people`, () => {
    const [easy] = itemAnalysis(questions, attempts.slice(0, MIN_GROUP - 1));
    expect(easy).toEqual({ questionId: 'easy', answered: 4, facility: null, discrimination: null, commonWrong: null, suppressed: true });
    expect(itemAnalysis(questions, attempts.slice(0, MIN_GROUP))[0].suppressed).toBe(false);
  });

  it('median of odd and even lists, null when empty', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
