import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessScope, AuditLog, OrgUnit } from '@lms/identity';
import { ForbiddenError, isAdmin, ValidationError } from '@lms/platform';
import type { Principal } from '@lms/platform';
import { CourseNotFoundError, DraftExistsError, DraftUnchangedError, NoDraftError } from './catalog.errors.js';
import { Course } from './course.entity.js';
import { CourseVersion } from './course-version.entity.js';
import { CatalogCache } from './catalog-cache.service.js';
import { CourseVersionRepository } from './course-version.repository.js';
import { FrameworkSource } from './framework-source.js';
import { Lesson } from './lesson.entity.js';
import { contentHash, searchTextOf } from './package/package-digest.js';
import { validateCoursePackageJson } from './package/package-validator.js';
import { isSlug } from './package/package.schemas.js';
import { diffVersions } from './version-diff.js';
import type { VersionDiff, VersionSnapshot } from './version-diff.js';
import type { CoursePackage } from './package/package.types.js';

export interface AuthoredCourse {
  slug: string;
  school: string;
  /** The newest version's title in every language it has. */
  title: Record<string, string>;
  defaultLanguage: string;
  /** Newest first. */
  versions: Array<{ version: number; status: 'draft' | 'published'; languages: string[]; publishedAt: Date | null; lessonCount: number }>;
}

export interface VersionSummary {
  slug: string;
  version: number;
  status: 'draft' | 'published';
  contentHash: string;
  publishedAt: Date | null;
  lessonCount: number;
}

/**
 * The authoring API: a package as JSON becomes a draft (validated by the same validator as the
 * files, same problems by field), the draft can be replaced, and publishing it makes the next
 * immutable version. Only authors of the owning school and admins may do any of this.
 */
@Injectable()
export class CourseAuthoringService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AccessScope) private readonly access: AccessScope,
    @Inject(CourseVersionRepository) private readonly versions: CourseVersionRepository,
    @Inject(FrameworkSource) private readonly frameworks: FrameworkSource,
    @Inject(CatalogCache) private readonly cache: CatalogCache,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  /** The courses the caller may author (admin: every course), each with every version's status and languages. */
  async listOwn(principal: Principal): Promise<AuthoredCourse[]> {
    const rows = (await this.dataSource.query(
      `SELECT c.slug, c.school_org_unit_id AS "schoolId", o.name AS "schoolName", v.version, v.status, v.languages, v.default_language AS "defaultLanguage",
              v.title, v.published_at AS "publishedAt", (SELECT count(*)::int FROM lesson l WHERE l.course_version_id = v.id) AS "lessonCount"
         FROM course c JOIN org_unit o ON o.id = c.school_org_unit_id JOIN course_version v ON v.course_id = c.id
        ORDER BY c.slug, v.version DESC`,
    )) as Array<{ slug: string; schoolId: string; schoolName: string; version: number; status: 'draft' | 'published'; languages: string[]; defaultLanguage: string; title: Record<string, string>; publishedAt: Date | null; lessonCount: number }>;
    const allowed = new Map<string, boolean>();
    const out = new Map<string, AuthoredCourse>();
    for (const r of rows) {
      if (!allowed.has(r.schoolId)) allowed.set(r.schoolId, isAdmin(principal) || (await this.access.canAuthorFor(principal, r.schoolId)));
      if (!allowed.get(r.schoolId)) continue;
      const c = out.get(r.slug) ?? { slug: r.slug, school: r.schoolName, title: r.title, defaultLanguage: r.defaultLanguage, versions: [] };
      c.versions.push({ version: r.version, status: r.status, languages: r.languages, publishedAt: r.publishedAt, lessonCount: r.lessonCount });
      out.set(r.slug, c);
    }
    return [...out.values()];
  }

  /** What changed between two versions (drafts included) of a course the caller may author. */
  async diff(principal: Principal, slug: string, from: number, to: number): Promise<VersionDiff> {
    const course = isSlug(slug) ? await this.dataSource.getRepository(Course).findOneBy({ slug }) : null;
    if (!course) throw new CourseNotFoundError(slug);
    await this.assertAuthor(principal, course);
    const snapshot = async (version: number): Promise<VersionSnapshot> => {
      const v = await this.dataSource.getRepository(CourseVersion).findOneBy({ courseId: course.id, version });
      if (!v) throw new CourseNotFoundError(`${slug} version ${version}`);
      const lessons = await this.dataSource.getRepository(Lesson).find({ where: { courseVersionId: v.id }, order: { position: 'ASC' } });
      return { version, title: v.title, languages: v.languages, lessons: lessons.map((l) => ({ slug: l.slug, title: l.title, body: l.body })), quiz: v.quiz };
    };
    return diffVersions(await snapshot(from), await snapshot(to));
  }

  /** POST /courses: a new course, or a new draft of an existing course that has none. */
  async createDraft(principal: Principal, body: unknown): Promise<VersionSummary> {
    const pkg = this.validate(body);
    const school = await this.schoolFor(principal, pkg);
    return this.dataSource.transaction(async (manager) => {
      let course = await this.versions.findCourseBySlugForUpdate(manager, pkg.slug);
      if (course) {
        await this.assertAuthor(principal, course);
        this.assertSameSchool(course, school);
        if (await this.versions.findDraft(manager, course.id)) throw new DraftExistsError(pkg.slug);
      } else {
        course = await this.versions.insertCourse(manager, pkg.slug, school.id);
      }
      const draft = await this.versions.insertDraft(manager, course.id, this.newVersion(pkg, principal));
      return this.summary(manager, course, draft);
    });
  }

  /** PUT /courses/:slug/draft: replaces the draft (or creates it when there is none). */
  async putDraft(principal: Principal, slug: string, body: unknown): Promise<VersionSummary> {
    const existing = isSlug(slug) ? await this.dataSource.getRepository(Course).findOneBy({ slug }) : null;
    if (!existing) throw new CourseNotFoundError(slug);
    await this.assertAuthor(principal, existing);
    const pkg = this.validate(body);
    if (pkg.slug !== slug) throw new ValidationError([{ field: 'course.slug', message: `must be ${slug}, the course of this URL` }]);
    const school = await this.schoolFor(principal, pkg);
    this.assertSameSchool(existing, school);
    return this.dataSource.transaction(async (manager) => {
      const course = (await this.versions.findCourseBySlugForUpdate(manager, slug))!;
      const draft = await this.versions.findDraft(manager, course.id);
      const saved = draft
        ? await this.versions.replaceDraft(manager, draft, this.newVersion(pkg, principal))
        : await this.versions.insertDraft(manager, course.id, this.newVersion(pkg, principal));
      return this.summary(manager, course, saved);
    });
  }

  /**
   * A validated package (an uploaded course folder) becomes the course's draft: the course is
   * created when new, its draft replaced when it has one. The same author and school rules as
   * PUT /courses/:slug/draft. `dryRun`: only those checks, nothing written.
   */
  async saveDraftFromPackage(principal: Principal, pkg: CoursePackage, dryRun = false): Promise<VersionSummary | null> {
    const school = await this.schoolFor(principal, pkg);
    const existing = await this.dataSource.getRepository(Course).findOneBy({ slug: pkg.slug });
    if (existing) {
      await this.assertAuthor(principal, existing);
      this.assertSameSchool(existing, school);
    }
    if (dryRun) return null;
    return this.dataSource.transaction(async (manager) => {
      const course = (await this.versions.findCourseBySlugForUpdate(manager, pkg.slug)) ?? (await this.versions.insertCourse(manager, pkg.slug, school.id));
      if (course.schoolOrgUnitId !== school.id) this.assertSameSchool(course, school);
      const draft = await this.versions.findDraft(manager, course.id);
      const saved = draft
        ? await this.versions.replaceDraft(manager, draft, this.newVersion(pkg, principal))
        : await this.versions.insertDraft(manager, course.id, this.newVersion(pkg, principal));
      return this.summary(manager, course, saved);
    });
  }

  /** GET /courses/:slug/draft: the draft as the same JSON package that created it. */
  async getDraft(principal: Principal, slug: string): Promise<{ course: Record<string, unknown>; lessons: unknown[]; quiz: unknown }> {
    const course = isSlug(slug) ? await this.dataSource.getRepository(Course).findOneBy({ slug }) : null;
    if (!course) throw new CourseNotFoundError(slug);
    await this.assertAuthor(principal, course);
    const draft = await this.versions.findDraft(this.dataSource.manager, course.id);
    if (!draft) throw new CourseNotFoundError(`${slug} draft`);
    const lessons = await this.dataSource.getRepository(Lesson).find({ where: { courseVersionId: draft.id }, order: { position: 'ASC' } });
    const school = await this.dataSource.getRepository(OrgUnit).findOneByOrFail({ id: course.schoolOrgUnitId });
    return {
      course: {
        slug,
        school: school.code,
        defaultLanguage: draft.defaultLanguage,
        languages: draft.languages,
        title: draft.title,
        summary: draft.summary,
        audience: draft.audience,
        level: draft.level,
        estimatedMinutes: draft.estimatedMinutes,
        framework: draft.frameworkKey,
        competencies: draft.competencies,
        alignedWith: draft.alignedWith,
        lessons: lessons.map((l) => l.slug),
        completion: draft.completion,
        ...(draft.certificateValidityMonths ? { certificate: { validityMonths: draft.certificateValidityMonths } } : {}),
      },
      lessons: lessons.map((l) => ({ slug: l.slug, title: l.title, minutes: l.minutes, required: l.required, body: l.body })),
      quiz: draft.quiz,
    };
  }

  /** POST /courses/:slug/publish: the draft becomes the next published, immutable version. */
  async publish(principal: Principal, slug: string, changeSummary?: string): Promise<VersionSummary> {
    const existing = isSlug(slug) ? await this.dataSource.getRepository(Course).findOneBy({ slug }) : null;
    if (!existing) throw new CourseNotFoundError(slug);
    await this.assertAuthor(principal, existing);
    // Dropped when written and again once committed, so no read in between keeps the old latest version.
    const summary = await this.dataSource.transaction(async (manager) => {
      const course = (await this.versions.findCourseBySlugForUpdate(manager, slug))!;
      const draft = await this.versions.findDraft(manager, course.id);
      if (!draft) throw new NoDraftError(slug);
      const latest = await this.versions.latestPublished(manager, course.id);
      if (latest && latest.contentHash === draft.contentHash) throw new DraftUnchangedError(slug, latest.version);
      const published = await this.versions.publishDraft(manager, draft);
      if (changeSummary) {
        await this.audit.record(
          { actor: principal, action: 'course.published', subjectType: 'course', subjectId: slug, after: { version: published.version, changeSummary } },
          manager,
        );
      }
      this.cache.published();
      return this.summary(manager, course, published);
    });
    this.cache.published();
    return summary;
  }

  private validate(body: unknown): CoursePackage {
    const { package: pkg, problems } = validateCoursePackageJson(body, this.frameworks.list());
    if (!pkg) throw new ValidationError(problems.map((p) => ({ field: p.field, message: p.message })), 'The course package is not valid');
    return pkg;
  }

  /** The package's school: an org unit of kind school that the caller may author for. */
  private async schoolFor(principal: Principal, pkg: CoursePackage): Promise<OrgUnit> {
    const unit = await this.dataSource.getRepository(OrgUnit).findOneBy({ code: pkg.school });
    if (!unit) throw new ValidationError([{ field: 'course.school', message: `no org unit has the code "${pkg.school}"` }]);
    if (unit.kind !== 'school') throw new ValidationError([{ field: 'course.school', message: `${pkg.school} is a ${unit.kind}, not a school` }]);
    if (!(await this.access.canAuthorFor(principal, unit.id))) throw new ForbiddenError(`You are not an author for ${pkg.school}`);
    return unit;
  }

  private async assertAuthor(principal: Principal, course: Course): Promise<void> {
    if (!(await this.access.canAuthorFor(principal, course.schoolOrgUnitId))) throw new ForbiddenError(`You are not an author of the school that owns ${course.slug}`);
  }

  private assertSameSchool(course: Course, school: OrgUnit): void {
    if (course.schoolOrgUnitId !== school.id) {
      throw new ValidationError([{ field: 'course.school', message: `${course.slug} belongs to another school; its owner can't be changed through the API` }]);
    }
  }

  private newVersion(pkg: CoursePackage, principal: Principal): { pkg: CoursePackage; contentHash: string; searchText: string; createdBy: string } {
    return { pkg, contentHash: contentHash(pkg), searchText: searchTextOf(pkg, this.frameworks.get(pkg.framework)), createdBy: principal.userId };
  }

  private async summary(manager: EntityManager, course: Course, v: CourseVersion): Promise<VersionSummary> {
    const lessonCount = await manager.getRepository(Lesson).countBy({ courseVersionId: v.id });
    return { slug: course.slug, version: v.version, status: v.status, contentHash: v.contentHash, publishedAt: v.publishedAt, lessonCount };
  }
}
