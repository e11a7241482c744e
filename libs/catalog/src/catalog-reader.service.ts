import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CatalogCache } from './catalog-cache.service.js';
import { Course } from './course.entity.js';
import { CourseVersion, QuizQuestion } from './course-version.entity.js';
import { Lesson } from './lesson.entity.js';
import { isVisibleTo } from './course-hub.js';

/** A course with the version asked for (the latest published one, for findPublishedBySlug). */
export interface CourseWithVersion {
  course: Course;
  version: CourseVersion;
}

/** One version of a course with its lessons, ordered by position. */
export interface CourseVersionWithLessons extends CourseWithVersion {
  lessons: Lesson[];
}

/** The quiz of one version WITH its correct answers: for grading on the server only, never for a client. */
export interface QuizForGrading {
  courseVersionId: string;
  passMark: number;
  attemptsAllowed: number;
  questions: QuizQuestion[];
}

/**
 * What other domains (learning, competency, reporting) read from the catalog. Stable API:
 * the method names and shapes here are a contract; add methods, do not rename them.
 */
@Injectable()
export class CatalogReader {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CatalogCache) private readonly cache: CatalogCache,
  ) {}

  /** The course with this slug and its latest PUBLISHED version; null when unknown or never published. */
  async findPublishedBySlug(slug: string): Promise<CourseWithVersion | null> {
    const course = await this.dataSource.getRepository(Course).findOneBy({ slug });
    if (!course) return null;
    const version = await this.latestPublishedVersion(course.id);
    return version ? { course, version } : null;
  }

  /** Whether a person of this org unit may see the course: their institution's own, public, or shared with it or its country. */
  async isVisibleToOrgUnit(courseId: string, orgUnitId: string): Promise<boolean> {
    return isVisibleTo(this.dataSource.manager, courseId, orgUnitId);
  }

  /** The highest published version of a course; null when none is published. */
  async latestPublishedVersion(courseId: string): Promise<CourseVersion | null> {
    return this.dataSource
      .getRepository(CourseVersion)
      .findOne({ where: { courseId, status: 'published' }, order: { version: 'DESC' } });
  }

  /** A version (draft or published) with its course and lessons in order; null when unknown. */
  /**
   * A published version and its lessons are read once per process (they never change: see
   * CatalogCache); a draft is read each time. The course row is reused for CATALOG_CACHE_SECONDS.
   * Callers must not modify what they get.
   */
  async getVersionWithLessons(versionId: string): Promise<CourseVersionWithLessons | null> {
    const cached = this.cache.peekImmutable<{ version: CourseVersion; lessons: Lesson[] }>(`vwl:${versionId}`);
    const version = cached?.version ?? (await this.dataSource.getRepository(CourseVersion).findOneBy({ id: versionId }));
    if (!version) return null;
    let lessons = cached?.lessons;
    const course = this.cache.recentValue(`course-id:${version.courseId}`, () => this.dataSource.getRepository(Course).findOneByOrFail({ id: version.courseId }));
    if (!lessons) {
      lessons = await this.dataSource.getRepository(Lesson).find({ where: { courseVersionId: versionId }, order: { position: 'ASC' } });
      if (version.status === 'published') await this.cache.immutableValue(`vwl:${versionId}`, () => ({ version, lessons: lessons! }));
    }
    return { course: await course, version, lessons };
  }

  /**
   * The quiz of a version with the correct answers and the completion rule (pass mark in percent,
   * attempts allowed). Null when the version is unknown or has no quiz.
   */
  async getQuizForGrading(versionId: string): Promise<QuizForGrading | null> {
    const version = await this.dataSource.getRepository(CourseVersion).findOneBy({ id: versionId });
    if (!version?.quiz || version.quiz.questions.length === 0) return null;
    return {
      courseVersionId: version.id,
      passMark: version.completion?.quiz?.passMark ?? 100,
      attemptsAllowed: version.completion?.quiz?.attemptsAllowed ?? 1,
      questions: version.quiz.questions,
    };
  }
}
