import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Course } from './course.entity.js';
import { CourseVersion, CourseVersionStatus, type TranslationRecord } from './course-version.entity.js';
import { Lesson } from './lesson.entity.js';
import type { CoursePackage } from './package/package.types.js';

/** A version to write: the package plus what was computed from it. */
export interface NewVersion {
  pkg: CoursePackage;
  contentHash: string;
  searchText: string;
  createdBy: string | null;
}

/**
 * Writes of courses, versions and lessons. Every method takes the EntityManager of the caller's
 * transaction: imports and authoring are units of work that span several of these calls.
 */
@Injectable()
export class CourseVersionRepository {
  async findCourseBySlugForUpdate(manager: EntityManager, slug: string): Promise<Course | null> {
    return manager.getRepository(Course).createQueryBuilder('c').setLock('pessimistic_write').where('c.slug = :slug', { slug }).getOne();
  }

  async insertCourse(manager: EntityManager, slug: string, schoolOrgUnitId: string): Promise<Course> {
    const course = manager.getRepository(Course).create({ slug, schoolOrgUnitId });
    return manager.getRepository(Course).save(course);
  }

  async moveCourse(manager: EntityManager, courseId: string, schoolOrgUnitId: string): Promise<void> {
    await manager.getRepository(Course).update({ id: courseId }, { schoolOrgUnitId });
  }

  async latestPublished(manager: EntityManager, courseId: string): Promise<CourseVersion | null> {
    return manager.getRepository(CourseVersion).findOne({ where: { courseId, status: 'published' }, order: { version: 'DESC' } });
  }

  async findDraft(manager: EntityManager, courseId: string): Promise<CourseVersion | null> {
    return manager.getRepository(CourseVersion).findOne({ where: { courseId, status: 'draft' } });
  }

  private async maxVersion(manager: EntityManager, courseId: string, status?: CourseVersionStatus): Promise<number> {
    const rows = (await manager.query(
      `SELECT COALESCE(MAX(version), 0)::int AS max FROM course_version WHERE course_id = $1 AND ($2::text IS NULL OR status = $2)`,
      [courseId, status ?? null],
    )) as Array<{ max: number }>;
    return rows[0].max;
  }

  /**
   * Inserts a new PUBLISHED version (number = highest published + 1) with its lessons. A draft that
   * holds that number moves up by one, so drafts always come after the published versions.
   */
  async insertPublished(manager: EntityManager, courseId: string, v: NewVersion): Promise<CourseVersion> {
    const version = (await this.maxVersion(manager, courseId, 'published')) + 1;
    await manager.query(`UPDATE course_version SET version = version + 1 WHERE course_id = $1 AND status = 'draft' AND version = $2`, [courseId, version]);
    return this.insertVersion(manager, courseId, version, 'published', v);
  }

  /** Inserts the draft of a course (number = highest version + 1). */
  async insertDraft(manager: EntityManager, courseId: string, v: NewVersion): Promise<CourseVersion> {
    const version = (await this.maxVersion(manager, courseId)) + 1;
    return this.insertVersion(manager, courseId, version, 'draft', v);
  }

  /** Replaces the content of a draft (its lessons are deleted and written again). */
  async replaceDraft(manager: EntityManager, draft: CourseVersion, v: NewVersion): Promise<CourseVersion> {
    await manager.getRepository(Lesson).delete({ courseVersionId: draft.id });
    await manager.getRepository(CourseVersion).update({ id: draft.id }, { ...this.columns(v), createdBy: v.createdBy ?? draft.createdBy });
    await this.insertLessons(manager, draft.id, v.pkg);
    return manager.getRepository(CourseVersion).findOneByOrFail({ id: draft.id });
  }

  /** Records how the languages of a draft were translated (XLIFF imports); published versions are immutable. */
  async setTranslations(manager: EntityManager, draftId: string, translations: Record<string, TranslationRecord>): Promise<void> {
    await manager.query(`UPDATE course_version SET translations = $2::jsonb WHERE id = $1 AND status = 'draft'`, [draftId, JSON.stringify(translations)]);
  }

  /** Publishes the draft as the next published version; from then on the trigger keeps it immutable. */
  async publishDraft(manager: EntityManager, draft: CourseVersion): Promise<CourseVersion> {
    const version = (await this.maxVersion(manager, draft.courseId, 'published')) + 1;
    await manager.query(`UPDATE course_version SET status = 'published', version = $2, published_at = now() WHERE id = $1 AND status = 'draft'`, [draft.id, version]);
    return manager.getRepository(CourseVersion).findOneByOrFail({ id: draft.id });
  }

  private columns(v: NewVersion): Partial<CourseVersion> {
    const p = v.pkg;
    return {
      contentHash: v.contentHash,
      defaultLanguage: p.defaultLanguage,
      languages: p.languages,
      title: p.title,
      summary: p.summary,
      audience: p.audience,
      level: p.level,
      estimatedMinutes: p.estimatedMinutes,
      frameworkKey: p.framework,
      competencies: p.competencies,
      alignedWith: p.alignedWith,
      completion: p.completion,
      certificateValidityMonths: p.certificateValidityMonths,
      quiz: p.quiz,
      searchText: v.searchText,
    };
  }

  private async insertVersion(manager: EntityManager, courseId: string, version: number, status: CourseVersionStatus, v: NewVersion): Promise<CourseVersion> {
    const repo = manager.getRepository(CourseVersion);
    const row = repo.create({
      ...this.columns(v),
      courseId,
      version,
      status,
      createdBy: v.createdBy,
      publishedAt: status === 'published' ? new Date() : null,
    });
    const saved = await repo.save(row);
    await this.insertLessons(manager, saved.id, v.pkg);
    return saved;
  }

  /** All lessons of a version in one INSERT. */
  private async insertLessons(manager: EntityManager, courseVersionId: string, pkg: CoursePackage): Promise<void> {
    if (!pkg.lessons.length) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(Lesson)
      .values(
        pkg.lessons.map((l) => ({
          courseVersionId,
          slug: l.slug,
          position: l.position,
          required: l.required,
          minutes: l.minutes,
          title: l.title,
          body: l.body,
        })),
      )
      .execute();
  }
}
