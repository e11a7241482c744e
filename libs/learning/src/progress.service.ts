import { Inject, Injectable } from '@nestjs/common';
import { LEARNING_MESSAGES as M } from './learning.errors.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError, Principal } from '@lms/platform';
import { CatalogReader } from '@lms/catalog';
import { CompletionService } from './completion.service.js';
import { EnrolmentRepository, EnrolmentView } from './enrolment.repository.js';
import { EnrolmentWithdrawnError, NotYourEnrolmentError } from './learning.errors.js';

/** Lesson completion by the learner: idempotent, recomputes progress, completes the enrolment when the rule is met. */
@Injectable()
export class ProgressService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(EnrolmentRepository) private readonly enrolments: EnrolmentRepository,
    @Inject(CatalogReader) private readonly catalog: CatalogReader,
    @Inject(CompletionService) private readonly completion: CompletionService,
  ) {}

  /**
   * The result of the course's packaged activities (SCORM SCOs, cmi5 AUs), as the interop runtime
   * computed it from what they stored (docs/interop.md: the mean of each scored activity's latest
   * score.scaled, failed when any failed, passed when any passed and none failed). Writing the same
   * result again changes nothing, so a retried commit is harmless. The caller's own enrolment only;
   * a withdrawn enrolment keeps what it had. `score` is 0–100.
   */
  async recordPackageResult(principal: Principal, enrolmentId: string, result: { score: number | null; passed: boolean | null }): Promise<void> {
    const view = await this.enrolments.view(enrolmentId);
    if (!view) throw new NotFoundError('Enrolment', enrolmentId);
    if (view.userId !== principal.userId) throw new NotYourEnrolmentError();
    const score = result.score === null ? null : Math.min(100, Math.max(0, Math.round(result.score)));
    await this.dataSource.query(
      `UPDATE enrolment SET package_score = $2, package_passed = $3
        WHERE id = $1 AND status <> 'withdrawn' AND (package_score IS DISTINCT FROM $2 OR package_passed IS DISTINCT FROM $3)`,
      [enrolmentId, score, result.passed],
    );
  }

  async completeLesson(principal: Principal, enrolmentId: string, lessonSlug: string): Promise<EnrolmentView> {
    const view = await this.enrolments.view(enrolmentId);
    if (!view) throw new NotFoundError('Enrolment', enrolmentId);
    if (view.userId !== principal.userId) throw new NotYourEnrolmentError();
    if (view.status === 'withdrawn') throw new EnrolmentWithdrawnError(enrolmentId);
    // The pinned version is immutable: read it before the transaction (one connection is enough in embedded mode).
    const content = await this.catalog.getVersionWithLessons(view.courseVersionId);
    const lesson = content?.lessons.find((l) => l.slug === lessonSlug);
    if (!content || !lesson) throw new NotFoundError(M.lessonNotFound({ lessonSlug, courseSlug: view.courseSlug, version: view.version }));
    const hasQuiz = (content.version.quiz?.questions.length ?? 0) > 0;

    await this.dataSource.transaction(async (manager) => {
      const locked = await this.enrolments.lock(manager, enrolmentId);
      if (!locked) throw new NotFoundError('Enrolment', enrolmentId);
      if (locked.status === 'withdrawn') throw new EnrolmentWithdrawnError(enrolmentId);
      const { recorded, doneLessonIds } = await this.enrolments.recordLesson(manager, enrolmentId, lesson.id, lesson.slug);
      // A lesson already done changes nothing: progress and completion were settled when it was recorded
      // (the pinned version's lessons are immutable; a passed quiz applies the rule itself).
      if (recorded) await this.completion.apply(manager, locked, content.lessons, hasQuiz, doneLessonIds);
    });
    const after = await this.enrolments.view(enrolmentId);
    if (!after) throw new NotFoundError('Enrolment', enrolmentId);
    return after;
  }

  /**
   * A live activity of a course (a workshop session series in libs/events) was attended: the person's
   * lesson `lessonSlug` — the lesson that stands for the live part — is done. Enrols the person in the
   * latest published version when they are not enrolled, then records the lesson and applies the same
   * completion rule (and the same `enrolment.completed` outbox event) as a learner's own lesson
   * completion. Idempotent: a second call records nothing and completes nothing again. Returns null
   * when the person's enrolment was withdrawn or the pinned version has no such lesson.
   */
  async completeLiveLesson(userId: string, courseSlug: string, lessonSlug: string): Promise<EnrolmentView | null> {
    const found = await this.catalog.findPublishedBySlug(courseSlug);
    if (!found) throw new NotFoundError('Published course', courseSlug);
    let enrolmentId = await this.enrolments.findCurrent(userId, found.course.id);
    enrolmentId ??= (await this.enrolments.insertSelf(userId, found.course.id, found.version.id)) ?? (await this.enrolments.findCurrent(userId, found.course.id));
    if (!enrolmentId) return null;
    const view = await this.enrolments.view(enrolmentId);
    if (!view || view.status === 'withdrawn') return null;
    if (view.status === 'completed') return view;
    const content = await this.catalog.getVersionWithLessons(view.courseVersionId);
    const lesson = content?.lessons.find((l) => l.slug === lessonSlug);
    if (!content || !lesson) return null;
    const hasQuiz = (content.version.quiz?.questions.length ?? 0) > 0;
    await this.dataSource.transaction(async (manager) => {
      const locked = await this.enrolments.lock(manager, view.id);
      if (!locked || locked.status === 'withdrawn') return;
      await this.enrolments.recordLesson(manager, view.id, lesson.id, lesson.slug);
      await this.completion.apply(manager, locked, content.lessons, hasQuiz);
    });
    return this.enrolments.view(view.id);
  }
}
