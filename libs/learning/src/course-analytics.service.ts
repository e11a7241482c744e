import { Inject, Injectable } from '@nestjs/common';
import { LEARNING_MESSAGES as M } from './learning.errors.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CatalogReader } from '@lms/catalog';
import type { LangMap, QuizQuestion } from '@lms/catalog';
import { AccessScope } from '@lms/identity';
import { ForbiddenError, isAdmin, NotFoundError, Principal } from '@lms/platform';
import { itemAnalysis, median, MIN_GROUP } from './item-analysis.js';
import type { ItemStats } from './item-analysis.js';
import type { QuizAnswer } from './quiz-attempt.entity.js';

export interface CourseAnalytics {
  slug: string;
  version: number;
  title: LangMap;
  defaultLanguage: string;
  /** Enrolments in this version that are not withdrawn, and of them completed; null when under MIN_GROUP. */
  enrolled: number | null;
  completed: number | null;
  /** Per lesson: people who completed it and the median minutes it took them (from the previous step); null when under MIN_GROUP. */
  lessons: Array<{ slug: string; title: LangMap; completions: number | null; medianMinutes: number | null }>;
  /** Per question, first attempts only. */
  questions: Array<ItemStats & { text: LangMap; commonWrongText: LangMap | null }>;
  attempts: number;
}

/**
 * Course analytics for its authors (and admins): enrolments, completions, median time per lesson and
 * a classical item analysis of the quiz over first attempts, for the latest published version.
 * Nothing is shown about fewer than MIN_GROUP people.
 */
@Injectable()
export class CourseAnalyticsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CatalogReader) private readonly catalog: CatalogReader,
    @Inject(AccessScope) private readonly access: AccessScope,
  ) {}

  async forCourse(principal: Principal, slug: string): Promise<CourseAnalytics> {
    const found = await this.catalog.findPublishedBySlug(slug);
    if (!found) throw new NotFoundError('Published course', slug);
    if (!isAdmin(principal) && !(await this.access.canAuthorFor(principal, found.course.schoolOrgUnitId))) {
      throw new ForbiddenError(M.analyticsOnlyAuthors());
    }
    const v = found.version;
    const small = (n: number): number | null => (n < MIN_GROUP ? null : n);
    const [counts] = (await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE status <> 'withdrawn')::int AS enrolled, count(*) FILTER (WHERE status = 'completed')::int AS completed
         FROM enrolment WHERE course_version_id = $1`,
      [v.id],
    )) as Array<{ enrolled: number; completed: number }>;
    // Minutes per completed lesson: from the previous completion in the same enrolment (or its start).
    const steps = (await this.dataSource.query(
      `SELECT p.lesson_slug AS slug,
              extract(epoch FROM p.completed_at - COALESCE(lag(p.completed_at) OVER (PARTITION BY p.enrolment_id ORDER BY p.completed_at), e.started_at, e.enrolled_at)) / 60 AS minutes
         FROM lesson_progress p JOIN enrolment e ON e.id = p.enrolment_id
        WHERE e.course_version_id = $1`,
      [v.id],
    )) as Array<{ slug: string; minutes: number | string }>;
    const lessons = (await this.catalog.getVersionWithLessons(v.id))?.lessons ?? [];
    const quiz = await this.catalog.getQuizForGrading(v.id);
    const attempts = quiz
      ? ((await this.dataSource.query(
          `SELECT a.score, a.answers FROM quiz_attempt a JOIN enrolment e ON e.id = a.enrolment_id
            WHERE e.course_version_id = $1 AND a.attempt_no = 1`,
          [v.id],
        )) as Array<{ score: number; answers: QuizAnswer[] }>)
      : [];
    const questions: QuizQuestion[] = quiz?.questions ?? [];
    const stats = itemAnalysis(questions, attempts);
    return {
      slug,
      version: v.version,
      title: v.title,
      defaultLanguage: v.defaultLanguage,
      enrolled: small(counts.enrolled),
      completed: counts.enrolled < MIN_GROUP ? null : counts.completed,
      lessons: lessons.map((l) => {
        const mine = steps.filter((s) => s.slug === l.slug).map((s) => Math.max(0, Number(s.minutes)));
        const m = mine.length < MIN_GROUP ? null : median(mine);
        return { slug: l.slug, title: l.title, completions: small(mine.length), medianMinutes: m === null ? null : Math.round(m * 10) / 10 };
      }),
      questions: stats.map((s, i) => ({
        ...s,
        text: questions[i].text,
        commonWrongText: s.commonWrong ? (questions[i].choices.find((c) => c.id === s.commonWrong!.choiceId)?.text ?? null) : null,
      })),
      attempts: attempts.length,
    };
  }
}
