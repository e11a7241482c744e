import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@lms/platform';
import type { Principal } from '@lms/platform';
import { EnrolmentRepository } from './enrolment.repository.js';
import type { EnrolmentView } from './enrolment.repository.js';
import { NotYourEnrolmentError } from './learning.errors.js';
import { ProgressService } from './progress.service.js';
import type { QuizAttemptResult } from './quiz.service.js';
import { QuizService } from './quiz.service.js';
import type { QuizAnswer } from './quiz-attempt.entity.js';

/** Most actions one sync call takes (a device sends its queue in batches of this size). */
export const SYNC_BATCH_MAX = 50;

export type SyncAction =
  | { key: string; type: 'lesson.complete'; enrolmentId: string; version: number; lessonSlug: string; at?: string }
  | { key: string; type: 'quiz.submit'; enrolmentId: string; version: number; answers: QuizAnswer[]; at?: string };

export interface SyncResult {
  key: string;
  /**
   * applied: done now; duplicate: this key was already applied (nothing changed); conflict: the
   * server state moved on (enrolment withdrawn, course re-versioned, quiz passed or out of
   * attempts) and the action was not applied; rejected: the action itself is not valid.
   */
  status: 'applied' | 'duplicate' | 'conflict' | 'rejected';
  code?: string;
  message?: string;
  enrolment?: Pick<EnrolmentView, 'id' | 'courseSlug' | 'version' | 'status' | 'progress'>;
  quiz?: Pick<QuizAttemptResult, 'attemptNo' | 'score' | 'passed' | 'passMark' | 'attemptsLeft' | 'feedback'>;
}

/**
 * Replays what a learner did offline, in order. The server stays the judge: quiz answers are graded
 * here, withdrawals and new versions win over the device. Each action is idempotent by its key:
 * lesson completion is idempotent by nature (one progress row per lesson), a quiz submission is
 * stored with its key (unique per enrolment), so a batch replayed after a lost answer changes nothing.
 */
@Injectable()
export class OfflineSyncService {
  constructor(
    @Inject(EnrolmentRepository) private readonly enrolments: EnrolmentRepository,
    @Inject(ProgressService) private readonly progress: ProgressService,
    @Inject(QuizService) private readonly quizzes: QuizService,
  ) {}

  async apply(principal: Principal, actions: SyncAction[], lang?: string): Promise<SyncResult[]> {
    const results: SyncResult[] = [];
    for (const action of actions) results.push(await this.applyOne(principal, action, lang));
    return results;
  }

  private async applyOne(principal: Principal, action: SyncAction, lang?: string): Promise<SyncResult> {
    const view = await this.enrolments.view(action.enrolmentId);
    if (!view || view.userId !== principal.userId) {
      return { key: action.key, status: 'rejected', code: 'enrolment_not_found', message: new NotYourEnrolmentError().message };
    }
    const summary = (e: EnrolmentView): SyncResult['enrolment'] => ({ id: e.id, courseSlug: e.courseSlug, version: e.version, status: e.status, progress: e.progress });
    if (view.version !== action.version) {
      return {
        key: action.key,
        status: 'conflict',
        code: 'course_version_changed',
        message: `Your enrolment now follows version ${view.version} of the course; this was done on version ${action.version}. Open the course again.`,
        enrolment: summary(view),
      };
    }
    try {
      if (action.type === 'lesson.complete') {
        const done = await this.enrolments.hasCompletedLesson(view.id, action.lessonSlug);
        if (done) return { key: action.key, status: 'duplicate', enrolment: summary(view) };
        const after = await this.progress.completeLesson(principal, view.id, action.lessonSlug);
        return { key: action.key, status: 'applied', enrolment: summary(after) };
      }
      const r = await this.quizzes.submit(principal, view.id, action.answers, { clientKey: action.key, lang });
      return {
        key: action.key,
        status: r.replayed ? 'duplicate' : 'applied',
        enrolment: summary(r.enrolment),
        quiz: { attemptNo: r.attemptNo, score: r.score, passed: r.passed, passMark: r.passMark, attemptsLeft: r.attemptsLeft, feedback: r.feedback },
      };
    } catch (e) {
      if (e instanceof DomainError && e.status < 500) {
        return { key: action.key, status: e.status === 409 ? 'conflict' : 'rejected', code: e.code, message: e.message, enrolment: summary(view) };
      }
      throw e;
    }
  }
}
