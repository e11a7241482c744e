import { Inject, Injectable } from '@nestjs/common';
import { LEARNING_MESSAGES as M } from './learning.errors.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { ConflictError, NotFoundError, Principal, ValidationError } from '@lms/platform';
import { CatalogReader } from '@lms/catalog';
import { CompletionService } from './completion.service.js';
import { EnrolmentRepository, EnrolmentView } from './enrolment.repository.js';
import { EnrolmentCompletedError, EnrolmentWithdrawnError, NoQuizError, NotYourEnrolmentError, QuizAlreadyPassedError, QuizAttemptsExhaustedError } from './learning.errors.js';
import { checkAnswers, gradeQuiz, publicQuestions, quizFeedback } from './learning-rules.js';
import type { QuizAnswer } from './quiz-attempt.entity.js';

export interface LearnerQuiz {
  enrolmentId: string;
  courseSlug: string;
  version: number;
  language: string;
  passMark: number;
  attemptsAllowed: number;
  attemptsUsed: number;
  attemptsLeft: number;
  passed: boolean;
  /** Without correct answers or explanations. */
  questions: Array<{ id: string; type: 'single' | 'multiple'; text: string; choices: Array<{ id: string; text: string }> }>;
}

export interface QuizAttemptResult {
  attemptNo: number;
  /** True when this submission's idempotency key had already been graded: the earlier result, unchanged. */
  replayed?: boolean;
  score: number;
  passed: boolean;
  passMark: number;
  attemptsLeft: number;
  enrolment: EnrolmentView;
  /** Per question: answered right or not, and the explanation, in the quiz's language. */
  feedback: Array<{ questionId: string; correct: boolean; explanation: string | null }>;
}

export interface SubmitOptions {
  /** Idempotency key of a submission replayed from a device (offline sync): graded once. */
  clientKey?: string;
  /** Language of the feedback. */
  lang?: string;
}

/** The quiz of the pinned course version: shown without answers, graded on the server, attempts limited. */
@Injectable()
export class QuizService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(EnrolmentRepository) private readonly enrolments: EnrolmentRepository,
    @Inject(CatalogReader) private readonly catalog: CatalogReader,
    @Inject(CompletionService) private readonly completion: CompletionService,
  ) {}

  /** In `lang` when given and present, else the learner's language, else the course's default language. */
  async getQuiz(principal: Principal, enrolmentId: string, lang?: string): Promise<LearnerQuiz> {
    const view = await this.ownEnrolment(principal, enrolmentId);
    const quiz = await this.catalog.getQuizForGrading(view.courseVersionId);
    if (!quiz) throw new NoQuizError(view.courseSlug);
    const content = await this.catalog.getVersionWithLessons(view.courseVersionId);
    const fallback = content?.version.defaultLanguage ?? 'en';
    const languages = content?.version.languages ?? [fallback];
    const userLocale = await this.enrolments.userLocale(view.userId);
    const language = [lang, userLocale].find((l): l is string => !!l && languages.includes(l)) ?? fallback;
    const attempts = await this.enrolments.attemptsSummary(this.dataSource.manager, enrolmentId);
    return {
      enrolmentId,
      courseSlug: view.courseSlug,
      version: view.version,
      language,
      passMark: quiz.passMark,
      attemptsAllowed: quiz.attemptsAllowed,
      attemptsUsed: attempts.used,
      attemptsLeft: Math.max(0, quiz.attemptsAllowed - attempts.used),
      passed: attempts.passed,
      questions: publicQuestions(quiz.questions, language, fallback),
    };
  }

  async submit(principal: Principal, enrolmentId: string, answers: QuizAnswer[], options: SubmitOptions = {}): Promise<QuizAttemptResult> {
    const view = await this.ownEnrolment(principal, enrolmentId);
    const quiz = await this.catalog.getQuizForGrading(view.courseVersionId);
    if (!quiz) throw new NoQuizError(view.courseSlug);
    const content = await this.catalog.getVersionWithLessons(view.courseVersionId);
    if (!content) throw new NotFoundError('Course version', view.courseVersionId);
    const fallback = content.version.defaultLanguage;
    const lang = [options.lang, await this.enrolments.userLocale(view.userId)].find((l): l is string => !!l && content.version.languages.includes(l)) ?? fallback;
    if (options.clientKey) {
      const earlier = await this.enrolments.findAttemptByClientKey(enrolmentId, options.clientKey);
      if (earlier) return this.replayResult(earlier, quiz, enrolmentId, lang, fallback);
    }
    if (view.status === 'withdrawn') throw new EnrolmentWithdrawnError(enrolmentId);
    if (view.status === 'completed') throw new EnrolmentCompletedError(enrolmentId);
    const before = await this.enrolments.attemptsSummary(this.dataSource.manager, enrolmentId);
    if (before.passed) throw new QuizAlreadyPassedError();
    if (before.used >= quiz.attemptsAllowed) throw new QuizAttemptsExhaustedError(quiz.attemptsAllowed);
    const errors = checkAnswers(quiz.questions, answers);
    if (errors.length) throw new ValidationError(errors, M.answersDoNotFit());
    const grade = gradeQuiz(quiz.questions, answers, quiz.passMark);

    let attemptNo = 0;
    let replay: Awaited<ReturnType<EnrolmentRepository['findAttemptByClientKey']>> = null;
    try {
      await this.dataSource.transaction(async (manager) => {
        const locked = await this.enrolments.lock(manager, enrolmentId);
        if (!locked) throw new NotFoundError('Enrolment', enrolmentId);
        // A replay that raced the first delivery: under the lock, the first one is visible now.
        if (options.clientKey) replay = await this.enrolments.findAttemptByClientKey(enrolmentId, options.clientKey, manager);
        if (replay) return;
        if (locked.status === 'withdrawn') throw new EnrolmentWithdrawnError(enrolmentId);
        if (locked.status === 'completed') throw new EnrolmentCompletedError(enrolmentId);
        const now = await this.enrolments.attemptsSummary(manager, enrolmentId);
        if (now.passed) throw new QuizAlreadyPassedError();
        if (now.used >= quiz.attemptsAllowed) throw new QuizAttemptsExhaustedError(quiz.attemptsAllowed);
        attemptNo = now.used + 1;
        await this.enrolments.insertAttempt(manager, {
          enrolmentId,
          attemptNo,
          attemptsAllowed: quiz.attemptsAllowed,
          answers: answers.map((a) => ({ questionId: a.questionId, choiceIds: a.choiceIds })),
          score: grade.score,
          passed: grade.passed,
          clientKey: options.clientKey ?? null,
        });
        await this.completion.apply(manager, locked, content.lessons, true);
      });
    } catch (e) {
      // The constraints are the last line: a racing attempt with the same number, or one past the limit.
      const code = e instanceof QueryFailedError ? (e.driverError as { code?: string; constraint?: string } | undefined)?.code : undefined;
      const constraint = e instanceof QueryFailedError ? (e.driverError as { constraint?: string } | undefined)?.constraint : undefined;
      if (code === '23505' && constraint === 'uq_quiz_attempt_client_key' && options.clientKey) {
        // The same submission replayed concurrently: the one that committed is the answer.
        const earlier = await this.enrolments.findAttemptByClientKey(enrolmentId, options.clientKey);
        if (earlier) return this.replayResult(earlier, quiz, enrolmentId, lang, fallback);
      }
      if (code === '23514') throw new QuizAttemptsExhaustedError(quiz.attemptsAllowed);
      if (code === '23505') throw new ConflictError('quiz_attempt_race', M.attemptRace());
      throw e;
    }
    if (replay) return this.replayResult(replay, quiz, enrolmentId, lang, fallback);
    const enrolment = await this.enrolments.view(enrolmentId);
    if (!enrolment) throw new NotFoundError('Enrolment', enrolmentId);
    return {
      attemptNo,
      score: grade.score,
      passed: grade.passed,
      passMark: quiz.passMark,
      attemptsLeft: Math.max(0, quiz.attemptsAllowed - attemptNo),
      enrolment,
      feedback: quizFeedback(quiz.questions, answers, lang, fallback),
    };
  }

  private async replayResult(
    earlier: { attemptNo: number; score: number; passed: boolean; answers: QuizAnswer[] },
    quiz: { questions: Parameters<typeof quizFeedback>[0]; passMark: number; attemptsAllowed: number },
    enrolmentId: string,
    lang: string,
    fallback: string,
  ): Promise<QuizAttemptResult> {
    const enrolment = await this.enrolments.view(enrolmentId);
    if (!enrolment) throw new NotFoundError('Enrolment', enrolmentId);
    return {
      attemptNo: earlier.attemptNo,
      replayed: true,
      score: earlier.score,
      passed: earlier.passed,
      passMark: quiz.passMark,
      attemptsLeft: Math.max(0, quiz.attemptsAllowed - earlier.attemptNo),
      enrolment,
      feedback: quizFeedback(quiz.questions, earlier.answers, lang, fallback),
    };
  }

  private async ownEnrolment(principal: Principal, enrolmentId: string): Promise<EnrolmentView> {
    const view = await this.enrolments.view(enrolmentId);
    if (!view) throw new NotFoundError('Enrolment', enrolmentId);
    if (view.userId !== principal.userId) throw new NotYourEnrolmentError();
    return view;
  }
}
