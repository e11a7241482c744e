import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Outbox } from '@lms/jobs';
import { EnrolmentRepository, LockedEnrolment } from './enrolment.repository.js';
import { completionMet, LessonRef, planRenewal, progressOf } from './learning-rules.js';

/**
 * Applies the completion rule inside the caller's transaction (which holds the enrolment's row lock):
 * recomputes progress and, when every required lesson is done and (if there is a quiz) a passing
 * attempt exists, completes the enrolment, writes `enrolment.completed` to the outbox and, for an
 * assignment with `renewEveryMonths`, creates the next cycle — all in that one transaction.
 */
@Injectable()
export class CompletionService {
  constructor(
    @Inject(EnrolmentRepository) private readonly enrolments: EnrolmentRepository,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {}

  async apply(manager: EntityManager, enrolment: LockedEnrolment, lessons: LessonRef[], hasQuiz: boolean, doneLessonIds?: string[]): Promise<{ completed: boolean }> {
    if (enrolment.status !== 'enrolled' && enrolment.status !== 'in_progress') return { completed: false };
    // The caller may already hold the done lessons (read in the same transaction, under the row lock).
    const done = doneLessonIds ?? (await this.enrolments.doneLessons(manager, enrolment.id)).map((d) => d.lessonId);
    const quizPassed = hasQuiz ? (await this.enrolments.attemptsSummary(manager, enrolment.id)).passed : false;
    if (!completionMet(lessons, done, hasQuiz, quizPassed)) {
      await this.enrolments.setProgress(manager, enrolment.id, progressOf(lessons, done));
      return { completed: false };
    }
    // Conditional update: among racing requests exactly one gets the row and writes the event.
    const completed = await this.enrolments.markCompleted(manager, enrolment.id);
    if (!completed) return { completed: false };
    await this.outbox.add(manager, 'enrolment.completed', { enrolmentId: enrolment.id });
    await this.renew(manager, enrolment, completed.completedAt);
    return { completed: true };
  }

  /** Renewal at completion time: the next cycle exists at once, due `renewEveryMonths` after this completion. */
  private async renew(manager: EntityManager, enrolment: LockedEnrolment, completedAt: Date): Promise<void> {
    if (!enrolment.assignmentId) return;
    const rows = (await manager.query(`SELECT renew_every_months FROM assignment WHERE id = $1`, [enrolment.assignmentId])) as Array<{
      renew_every_months: number | null;
    }>;
    const months = rows[0]?.renew_every_months;
    if (!months) return;
    const versionId = (await this.enrolments.latestPublishedVersionId(manager, enrolment.courseId)) ?? enrolment.courseVersionId;
    await this.enrolments.insertRenewal(manager, enrolment, versionId, planRenewal(enrolment.assignmentId, enrolment.cycle + 1, months, completedAt));
  }
}
