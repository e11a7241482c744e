import { Inject, Injectable } from '@nestjs/common';
import { LEARNING_MESSAGES as M } from './learning.errors.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ForbiddenError, NotFoundError, Page, pageOf, Principal } from '@lms/platform';
import { AccessScope } from '@lms/identity';
import { CatalogReader } from '@lms/catalog';
import { AssignmentService } from './assignment.service.js';
import type { AssignmentTarget } from './assignment.entity.js';
import { EnrolmentListFilter, EnrolmentRepository, EnrolmentView } from './enrolment.repository.js';
import { EnrolmentCompletedError } from './learning.errors.js';
import { isoDay, localized } from './learning-rules.js';

/** "Why am I enrolled": who put the person here, by which rule, and where the due date comes from. */
export interface EnrolmentWhy {
  source: 'self' | 'assignment';
  assignmentId: string | null;
  assignment: {
    id: string;
    courseSlug: string;
    target: AssignmentTarget;
    targetDescription: string;
    dueAt: Date | null;
    dueInDays: number | null;
    renewEveryMonths: number | null;
    standing: boolean;
    createdBy: string | null;
    createdAt: Date;
  } | null;
  dueReason: string | null;
  /** One sentence for people. */
  summary: string;
}

export interface EnrolmentDetails extends EnrolmentView {
  why: EnrolmentWhy;
  lessons: Array<{ slug: string; title: string; minutes: number; required: boolean; done: boolean; completedAt: Date | null }>;
  quiz: { questionCount: number; passMark: number; attemptsAllowed: number; attemptsUsed: number; attemptsLeft: number; passed: boolean; bestScore: number | null } | null;
}

/** Self-enrolment, reading enrolments (owner, HR in scope, admin) and withdrawal by HR. */
@Injectable()
export class EnrolmentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(EnrolmentRepository) private readonly enrolments: EnrolmentRepository,
    @Inject(AccessScope) private readonly scope: AccessScope,
    @Inject(CatalogReader) private readonly catalog: CatalogReader,
    @Inject(AssignmentService) private readonly assignmentService: AssignmentService,
  ) {}

  /**
   * Enrols the caller in the latest published version of a course. Enrolling again returns the
   * existing enrolment (`created: false`): the active one, or the completed one. Only after a
   * withdrawal does enrolling again create a new enrolment.
   */
  async enrolSelf(principal: Principal, courseSlug: string): Promise<{ enrolment: EnrolmentView; created: boolean }> {
    const found = await this.catalog.findPublishedBySlug(courseSlug);
    if (!found) throw new NotFoundError('Published course', courseSlug);
    const existing = await this.enrolments.findCurrent(principal.userId, found.course.id);
    if (existing) return { enrolment: await this.mustView(existing), created: false };
    // Another institution's course that is not shared with the person's institution does not exist for them (docs/hub.md).
    if (!(await this.catalog.isVisibleToOrgUnit(found.course.id, principal.orgUnitId))) throw new NotFoundError('Published course', courseSlug);
    const id = await this.enrolments.insertSelf(principal.userId, found.course.id, found.version.id);
    if (id) return { enrolment: await this.mustView(id), created: true };
    // Lost a race with a concurrent enrolment (ours or an assignment): return the winner.
    const winner = await this.enrolments.findCurrent(principal.userId, found.course.id);
    if (!winner) throw new NotFoundError('Enrolment');
    return { enrolment: await this.mustView(winner), created: false };
  }

  async listMine(principal: Principal, query: { status?: EnrolmentListFilter; page: number; limit: number }): Promise<Page<EnrolmentView>> {
    const { items, total } = await this.enrolments.listForUser(principal.userId, query.status, { offset: (query.page - 1) * query.limit, limit: query.limit });
    return pageOf(items, total, query);
  }

  /** The enrolment with its lessons, quiz state and "why am I enrolled". Owner, HR in scope, admin. */
  /** The caller's own enrolment in a course (active, else the latest completed), with its lessons and quiz state; null when none. */
  async mineForCourse(principal: Principal, courseSlug: string): Promise<EnrolmentDetails | null> {
    const view = await this.enrolments.findLatestForCourse(principal.userId, courseSlug);
    // The caller's own enrolment, just read: no need to read it again and check the scope.
    return view ? this.details(principal, view) : null;
  }

  async get(principal: Principal, id: string): Promise<EnrolmentDetails> {
    return this.details(principal, await this.visible(principal, id));
  }

  private async details(principal: Principal, view: EnrolmentView): Promise<EnrolmentDetails> {
    const id = view.id;
    const own = view.userId === principal.userId && principal.locale !== undefined;
    const [content, done, attempts, assignment, locale] = await Promise.all([
      this.catalog.getVersionWithLessons(view.courseVersionId),
      this.enrolments.doneLessons(this.dataSource.manager, id),
      this.enrolments.attemptsSummary(this.dataSource.manager, id),
      view.assignmentId ? this.assignmentService.describe(view.assignmentId) : Promise.resolve(null),
      own ? principal.locale! : this.enrolments.userLocale(view.userId),
    ]);
    const doneAt = new Map(done.map((d) => [d.lessonId, d.completedAt]));
    const fallback = content?.version.defaultLanguage ?? 'en';
    const quiz = content?.version.quiz?.questions.length ? content.version : null;
    const quizRule = quiz ? (quiz.completion?.quiz ?? { passMark: 100, attemptsAllowed: 1 }) : null;
    return {
      ...view,
      why: {
        source: view.source,
        assignmentId: view.assignmentId,
        assignment: assignment
          ? {
              id: assignment.id,
              courseSlug: assignment.courseSlug,
              target: assignment.target,
              targetDescription: assignment.targetDescription,
              dueAt: assignment.dueAt,
              dueInDays: assignment.dueInDays,
              renewEveryMonths: assignment.renewEveryMonths,
              standing: assignment.standing,
              createdBy: assignment.createdBy,
              createdAt: assignment.createdAt,
            }
          : null,
        dueReason: view.dueReason,
        summary: view.source === 'self' ? `You enrolled yourself on ${isoDay(view.enrolledAt)}; there is no due date.` : `${capitalise(view.dueReason ?? 'assigned')}.`,
      },
      lessons: (content?.lessons ?? []).map((l) => ({
        slug: l.slug,
        title: localized(l.title, locale, fallback),
        minutes: l.minutes,
        required: l.required,
        done: doneAt.has(l.id),
        completedAt: doneAt.get(l.id) ?? null,
      })),
      quiz:
        quiz && quizRule
          ? {
              questionCount: quiz.quiz?.questions.length ?? 0,
              passMark: quizRule.passMark,
              attemptsAllowed: quizRule.attemptsAllowed,
              attemptsUsed: attempts.used,
              attemptsLeft: Math.max(0, quizRule.attemptsAllowed - attempts.used),
              passed: attempts.passed,
              bestScore: attempts.bestScore,
            }
          : null,
    };
  }

  /** HR in scope or admin: an active enrolment is withdrawn; withdrawing twice is a no-op; a completed one can't be. */
  async withdraw(principal: Principal, id: string): Promise<EnrolmentView> {
    const view = await this.enrolments.view(id);
    if (!view) throw new NotFoundError('Enrolment', id);
    if (!(await this.scope.canManageUser(principal, view.userId))) throw new ForbiddenError(M.personOutOfScope());
    if (view.status === 'withdrawn') return view;
    if (view.status === 'completed') throw new EnrolmentCompletedError(id);
    const changed = await this.dataSource.transaction((m) => this.enrolments.markWithdrawn(m, id));
    const after = await this.mustView(id);
    if (!changed && after.status === 'completed') throw new EnrolmentCompletedError(id);
    return after;
  }

  /** The enrolment when the caller may see it: 404 when unknown, 403 when not theirs and not in their scope. */
  async visible(principal: Principal, id: string): Promise<EnrolmentView> {
    const view = await this.enrolments.view(id);
    if (!view) throw new NotFoundError('Enrolment', id);
    if (!(await this.scope.canSeeUser(principal, view.userId))) throw new ForbiddenError(M.enrolmentOutOfScope());
    return view;
  }

  private async mustView(id: string): Promise<EnrolmentView> {
    const v = await this.enrolments.view(id);
    if (!v) throw new NotFoundError('Enrolment', id);
    return v;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
