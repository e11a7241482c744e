import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessScope, AuditLog, OrgUnit } from '@lms/identity';
import { ConflictError, fieldError, ForbiddenError, isAdmin, ValidationError } from '@lms/platform';
import type { FieldError } from '@lms/platform';
import { isCountryCode } from '@lms/identity';
import { Outbox } from '@lms/jobs';
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
import { adaptedFromOf, isVisibleTo } from './course-hub.js';
import type { AdaptedFrom } from './course-hub.js';
import { COURSE_VISIBILITIES } from './course.entity.js';
import type { CourseVisibility } from './course.entity.js';
import { allowsAdaptation, isLicenceId, LICENCE_IDS } from './licences.js';
import { mergeLessons } from './upstream-merge.js';
import type { MergeResult } from './upstream-merge.js';
import type { VersionDiff, VersionSnapshot } from './version-diff.js';
import type { CoursePackage } from './package/package.types.js';
import { CATALOG_MESSAGES as M } from './catalog.errors.js';

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

export interface CourseSharing {
  slug: string;
  visibility: CourseVisibility;
  institutions: string[];
  countries: string[];
  licence: string | null;
  attribution: string | null;
}

export interface SharingInput {
  visibility: unknown;
  institutions?: unknown;
  countries?: unknown;
  licence?: unknown;
  attribution?: unknown;
}

export interface UpstreamDiff {
  adaptedFrom: AdaptedFrom;
  /** The newest published upstream version. */
  latest: number;
  upToDate: boolean;
  diff: VersionDiff;
}

export interface UpstreamMerge {
  /** The adaptation's draft after the merge. */
  draft: VersionSummary;
  adaptedFrom: AdaptedFrom;
  taken: string[];
  removed: string[];
  conflicts: MergeResult<never>['conflicts'];
  /** Lessons whose text in one of the adaptation's languages came from its default language and waits for translation. */
  untranslated: Array<{ slug: string; language: string }>;
}

export class LicenceForbidsAdaptationError extends ConflictError {
  constructor(slug: string, licence: string | null) {
    super('licence_forbids_adaptation', licence ? M.licenceForbidsAdaptation({ slug, licence }) : M.licenceForbidsAdaptationUnstated({ slug }));
  }
}

export class CourseSlugTakenError extends ConflictError {
  constructor(slug: string) {
    super('course_exists', M.slugTaken({ slug }));
  }
}

export class NotAnAdaptationError extends ConflictError {
  constructor(slug: string) {
    super('not_an_adaptation', `${slug} is not an adaptation of another course`);
  }
}

const ATTRIBUTION_MAX = 500;
const SHARE_LIST_MAX = 100;

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
    @Inject(Outbox) private readonly outbox: Outbox,
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
    const school = await this.schoolFor(principal, pkg.school);
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
    if (pkg.slug !== slug) throw new ValidationError([fieldError('course.slug', M.slugOfUrl({ slug }))]);
    const school = await this.schoolFor(principal, pkg.school);
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
    const school = await this.schoolFor(principal, pkg.school);
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
    return this.packageOf(course, draft);
  }

  /**
   * Federation (docs/hub.md): a peer's public course package becomes a NEW course of the caller's
   * school — private, its draft the package (validated like any upload), licence and attribution
   * from the peer's feed — for adaptation. Refused when the licence allows no derivative (409
   * licence_forbids_adaptation) or the slug is taken here (409 course_exists). Audited.
   */
  async importPackage(
    principal: Principal,
    input: { slug: string; school: string },
    body: unknown,
    origin: { peerUrl: string; slug: string; version: number; licence: string | null; attribution: string },
  ): Promise<VersionSummary> {
    if (!allowsAdaptation(origin.licence)) throw new LicenceForbidsAdaptationError(`${origin.peerUrl} ${origin.slug}`, origin.licence);
    const raw = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const rawCourse = raw.course && typeof raw.course === 'object' && !Array.isArray(raw.course) ? (raw.course as Record<string, unknown>) : {};
    const pkg = this.validate({ ...raw, course: { ...rawCourse, slug: input.slug, school: input.school } });
    const school = await this.schoolFor(principal, pkg.school, 'school');
    const summary = await this.dataSource.transaction(async (manager) => {
      if (await this.versions.findCourseBySlugForUpdate(manager, pkg.slug)) throw new CourseSlugTakenError(pkg.slug);
      const course = await this.versions.insertCourse(manager, pkg.slug, school.id);
      const attribution = origin.attribution.slice(0, ATTRIBUTION_MAX);
      await manager.getRepository(Course).update({ id: course.id }, { visibility: 'private', licence: isLicenceId(origin.licence) ? origin.licence : null, attribution });
      const draft = await this.versions.insertDraft(manager, course.id, this.newVersion(pkg, principal));
      await this.audit.record(
        { actor: principal, action: 'course.imported_from_peer', subjectType: 'course', subjectId: pkg.slug, after: { peer: origin.peerUrl, slug: origin.slug, version: origin.version, licence: origin.licence } },
        manager,
      );
      return this.summary(manager, course, draft);
    });
    this.cache.published();
    return summary;
  }

  /**
   * Federation (docs/hub.md): a published version of a PUBLIC course as the JSON package that makes
   * it, for anyone. Any other course or version is 404, the same whatever the reason.
   */
  async publicPackage(slug: string, version: number): Promise<{ course: Record<string, unknown>; lessons: unknown[]; quiz: unknown }> {
    const course = isSlug(slug) ? await this.dataSource.getRepository(Course).findOneBy({ slug }) : null;
    const v =
      course && course.visibility === 'public' && Number.isInteger(version) && version >= 1
        ? await this.dataSource.getRepository(CourseVersion).findOneBy({ courseId: course.id, version, status: 'published' })
        : null;
    if (!course || !v) throw new CourseNotFoundError(`${slug} version ${version}`);
    return this.packageOf(course, v);
  }

  /** A version (draft or published) as the JSON package that makes it. */
  private async packageOf(course: Course, draft: CourseVersion): Promise<{ course: Record<string, unknown>; lessons: Array<{ slug: string; title: Record<string, string>; minutes: number; required: boolean; body: Record<string, string> }>; quiz: unknown }> {
    const slug = course.slug;
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
      // Adaptations of this course are told (notifications: their authors get a notice with the diff link).
      await this.outbox.add(manager, 'course.published', { courseId: course.id, version: published.version });
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

  /** Who may see the course besides its own institution, and under which licence. Authors of the course and admins. */
  async sharing(principal: Principal, slug: string): Promise<CourseSharing> {
    const course = await this.courseOrFail(slug);
    await this.assertAuthor(principal, course);
    return this.sharingOf(course);
  }

  async setSharing(principal: Principal, slug: string, input: SharingInput): Promise<CourseSharing> {
    const course = await this.courseOrFail(slug);
    await this.assertAuthor(principal, course);
    const errors: FieldError[] = [];
    const visibility = input.visibility as CourseVisibility;
    if (!(COURSE_VISIBILITIES as readonly unknown[]).includes(input.visibility)) errors.push({ field: 'visibility', message: `must be one of ${COURSE_VISIBILITIES.join(', ')}`, rule: 'isIn', params: { values: COURSE_VISIBILITIES.join(', ') } });
    const list = (field: string, value: unknown, ok: (v: unknown) => boolean, what: string): string[] => {
      if (value === undefined || value === null) return [];
      if (!Array.isArray(value) || value.length > SHARE_LIST_MAX) {
        errors.push({ field, message: `must be a list of at most ${SHARE_LIST_MAX} ${what}` });
        return [];
      }
      const bad = value.findIndex((v) => !ok(v));
      if (bad >= 0) errors.push({ field: `${field}[${bad}]`, message: `must be ${what}` });
      return [...new Set(value as string[])];
    };
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const institutions = list('institutions', input.institutions, (v) => typeof v === 'string' && uuid.test(v), 'institution ids').map((id) => id.toLowerCase());
    const countries = list('countries', input.countries, isCountryCode, 'ISO 3166-1 alpha-2 country codes in capitals (RS, ME, MK…)');
    if (visibility !== 'shared' && (institutions.length || countries.length)) errors.push(fieldError('visibility', M.sharedOnly()));
    if (visibility === 'shared' && !institutions.length && !countries.length && !errors.length) errors.push(fieldError('institutions', M.shareWithSomeone()));
    if (institutions.length) {
      const found = (await this.dataSource.query(`SELECT id FROM institution WHERE id = ANY($1::uuid[])`, [institutions])) as Array<{ id: string }>;
      const known = new Set(found.map((r) => r.id));
      const missing = institutions.findIndex((id) => !known.has(id));
      if (missing >= 0) errors.push(fieldError(`institutions[${missing}]`, M.noInstitution({ id: institutions[missing]! })));
    }
    if (input.licence !== undefined && input.licence !== null && !isLicenceId(input.licence)) errors.push({ field: 'licence', message: `must be one of the SPDX ids ${LICENCE_IDS.join(', ')}`, rule: 'isIn', params: { values: LICENCE_IDS.join(', ') } });
    if (input.attribution !== undefined && input.attribution !== null) {
      if (typeof input.attribution !== 'string' || input.attribution.trim() === '' || input.attribution.length > ATTRIBUTION_MAX || /[^\P{Cc}\n]/u.test(input.attribution)) {
        errors.push(fieldError('attribution', M.attributionLength({ max: ATTRIBUTION_MAX })));
      }
    }
    if (errors.length) throw new ValidationError(errors, M.sharingInvalid());
    const before = this.sharingOf(course);
    const changes: Partial<Course> = { visibility, sharedInstitutionIds: institutions, sharedCountries: countries };
    if (input.licence !== undefined) changes.licence = input.licence as string | null;
    if (input.attribution !== undefined) changes.attribution = input.attribution === null ? null : (input.attribution as string).trim();
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(Course).update({ id: course.id }, changes);
      await this.audit.record({ actor: principal, action: 'course.sharing_changed', subjectType: 'course', subjectId: slug, before, after: changes }, manager);
    });
    this.cache.published();
    return this.sharingOf(await this.dataSource.getRepository(Course).findOneByOrFail({ id: course.id }));
  }

  /**
   * Adapt (fork) a course another institution shared or made public: a new course of the caller's
   * school, private to begin with, whose draft is a copy of upstream's latest published version and
   * which records its upstream (course and version). Refused when the licence allows no derivative.
   */
  async adapt(principal: Principal, upstreamSlug: string, input: { slug: unknown; school: unknown }): Promise<VersionSummary & { adaptedFrom: AdaptedFrom }> {
    const upstream = await this.courseOrFail(upstreamSlug);
    const errors: FieldError[] = [];
    if (typeof input.slug !== 'string' || !isSlug(input.slug)) errors.push(fieldError('slug', M.slugFormat()));
    if (typeof input.school !== 'string' || input.school.length === 0 || input.school.length > 64) errors.push(fieldError('school', M.schoolCode()));
    if (errors.length) throw new ValidationError(errors, 'The adaptation is not valid');
    const slug = input.slug as string;
    const school = await this.schoolFor(principal, input.school as string, 'school');
    // Whoever cannot see the upstream (another institution's private course) learns nothing of it.
    if (!(await isVisibleTo(this.dataSource.manager, upstream.id, school.id))) throw new CourseNotFoundError(upstreamSlug);
    const sameInstitution = (await this.rootOf(upstream.schoolOrgUnitId)) === (await this.rootOf(school.id));
    if (!sameInstitution && !allowsAdaptation(upstream.licence)) throw new LicenceForbidsAdaptationError(upstreamSlug, upstream.licence);
    const latest = await this.versions.latestPublished(this.dataSource.manager, upstream.id);
    if (!latest) throw new CourseNotFoundError(upstreamSlug);
    const source = await this.packageOf(upstream, latest);
    const pkg = this.validate({ ...source, course: { ...source.course, slug, school: school.code } });
    const summary = await this.dataSource.transaction(async (manager) => {
      if (await this.versions.findCourseBySlugForUpdate(manager, slug)) throw new CourseSlugTakenError(slug);
      const course = await this.versions.insertCourse(manager, slug, school.id);
      await manager.getRepository(Course).update(
        { id: course.id },
        { visibility: 'private', licence: upstream.licence, attribution: upstream.attribution, upstreamCourseId: upstream.id, upstreamVersion: latest.version },
      );
      const draft = await this.versions.insertDraft(manager, course.id, this.newVersion(pkg, principal));
      await this.audit.record(
        { actor: principal, action: 'course.adapted', subjectType: 'course', subjectId: slug, after: { upstream: upstream.slug, upstreamVersion: latest.version, school: school.code } },
        manager,
      );
      return this.summary(manager, course, draft);
    });
    const adaptedFrom = (await adaptedFromOf(this.dataSource.manager, { upstreamCourseId: upstream.id, upstreamVersion: latest.version }, pkg.defaultLanguage))!;
    return { ...summary, adaptedFrom };
  }

  /** What upstream changed since the version the adaptation is based on (the version diff of upstream). */
  async upstreamDiff(principal: Principal, slug: string): Promise<UpstreamDiff> {
    const { course, upstream, adaptedFrom, latest } = await this.upstreamOf(principal, slug);
    const diff = diffVersions(await this.snapshot(upstream, adaptedFrom.version), await this.snapshot(upstream, latest));
    return { adaptedFrom, latest, upToDate: latest <= (course.upstreamVersion ?? 0), diff };
  }

  /**
   * Merge upstream's newer version into the adaptation's draft (made from its latest version when
   * there is none): three-way, per lesson and language (upstream-merge.ts); the adaptation is then
   * based on that upstream version. Conflicts keep the adaptation's text and are listed.
   */
  async mergeUpstream(principal: Principal, slug: string, version?: number): Promise<UpstreamMerge> {
    const { course, upstream, adaptedFrom, latest } = await this.upstreamOf(principal, slug);
    const target = version ?? latest;
    if (!Number.isInteger(target) || target <= adaptedFrom.version || target > latest) {
      throw new ValidationError([fieldError('version', M.upstreamVersion({ version: adaptedFrom.version, latest }))]);
    }
    const theirs = await this.dataSource.getRepository(CourseVersion).findOneBy({ courseId: upstream.id, version: target, status: 'published' });
    const base = await this.dataSource.getRepository(CourseVersion).findOneBy({ courseId: upstream.id, version: adaptedFrom.version });
    if (!theirs || !base) throw new CourseNotFoundError(`${upstream.slug} version ${target}`);
    const ours = (await this.versions.findDraft(this.dataSource.manager, course.id)) ?? (await this.versions.latestPublished(this.dataSource.manager, course.id));
    if (!ours) throw new NoDraftError(slug);
    const [b, o, t] = [await this.packageOf(upstream, base), await this.packageOf(course, ours), await this.packageOf(upstream, theirs)];
    const merged = mergeLessons(b.lessons, o.lessons, t.lessons);
    // Text upstream brought in a language only it has: the adaptation's other languages get the text of
    // its default language, to be translated (listed in the answer), so the draft stays complete.
    const languages = (o.course.languages as string[] | undefined) ?? [];
    const defaultLanguage = o.course.defaultLanguage as string;
    const untranslated: Array<{ slug: string; language: string }> = [];
    for (const lesson of merged.lessons) {
      for (const lang of languages) {
        if (lesson.body[lang] !== undefined && lesson.title[lang] !== undefined) continue;
        lesson.body = { ...lesson.body, [lang]: lesson.body[lang] ?? lesson.body[defaultLanguage] ?? Object.values(lesson.body)[0] ?? '' };
        lesson.title = { ...lesson.title, [lang]: lesson.title[lang] ?? lesson.title[defaultLanguage] ?? Object.values(lesson.title)[0] ?? '' };
        untranslated.push({ slug: lesson.slug, language: lang });
      }
    }
    const pkg = this.validate({ ...o, course: { ...o.course, lessons: merged.lessons.map((l) => l.slug) }, lessons: merged.lessons });
    const draft = await this.dataSource.transaction(async (manager) => {
      const locked = (await this.versions.findCourseBySlugForUpdate(manager, slug))!;
      const current = await this.versions.findDraft(manager, locked.id);
      const saved = current ? await this.versions.replaceDraft(manager, current, this.newVersion(pkg, principal)) : await this.versions.insertDraft(manager, locked.id, this.newVersion(pkg, principal));
      await manager.getRepository(Course).update({ id: locked.id }, { upstreamVersion: target });
      await this.audit.record(
        { actor: principal, action: 'course.upstream_merged', subjectType: 'course', subjectId: slug, before: { upstreamVersion: adaptedFrom.version }, after: { upstreamVersion: target, taken: merged.taken, removed: merged.removed, conflicts: merged.conflicts.length } },
        manager,
      );
      return this.summary(manager, locked, saved);
    });
    const after = (await adaptedFromOf(this.dataSource.manager, { upstreamCourseId: upstream.id, upstreamVersion: target }, pkg.defaultLanguage))!;
    return { draft, adaptedFrom: after, taken: merged.taken, removed: merged.removed, conflicts: merged.conflicts, untranslated };
  }

  private async upstreamOf(principal: Principal, slug: string): Promise<{ course: Course; upstream: Course; adaptedFrom: AdaptedFrom; latest: number }> {
    const course = await this.courseOrFail(slug);
    await this.assertAuthor(principal, course);
    if (!course.upstreamCourseId || course.upstreamVersion === null) throw new NotAnAdaptationError(slug);
    const upstream = await this.dataSource.getRepository(Course).findOneBy({ id: course.upstreamCourseId });
    // Upstream gone, or no longer shared with this institution: nothing to compare with.
    if (!upstream || !(await isVisibleTo(this.dataSource.manager, upstream.id, course.schoolOrgUnitId))) throw new CourseNotFoundError(`upstream of ${slug}`);
    const latest = await this.versions.latestPublished(this.dataSource.manager, upstream.id);
    const adaptedFrom = await adaptedFromOf(this.dataSource.manager, course, 'en');
    if (!latest || !adaptedFrom) throw new CourseNotFoundError(`upstream of ${slug}`);
    return { course, upstream, adaptedFrom, latest: latest.version };
  }

  private async snapshot(course: Course, version: number): Promise<VersionSnapshot> {
    const v = await this.dataSource.getRepository(CourseVersion).findOneBy({ courseId: course.id, version });
    if (!v) throw new CourseNotFoundError(`${course.slug} version ${version}`);
    const lessons = await this.dataSource.getRepository(Lesson).find({ where: { courseVersionId: v.id }, order: { position: 'ASC' } });
    return { version, title: v.title, languages: v.languages, lessons: lessons.map((l) => ({ slug: l.slug, title: l.title, body: l.body })), quiz: v.quiz };
  }

  private sharingOf(course: Course): CourseSharing {
    return { slug: course.slug, visibility: course.visibility, institutions: course.sharedInstitutionIds, countries: course.sharedCountries, licence: course.licence, attribution: course.attribution };
  }

  private async rootOf(orgUnitId: string): Promise<string> {
    const [r] = (await this.dataSource.query(`SELECT split_part(path, '/', 2) AS root FROM org_unit WHERE id = $1`, [orgUnitId])) as Array<{ root: string }>;
    return r?.root ?? '';
  }

  private async courseOrFail(slug: string): Promise<Course> {
    const course = isSlug(slug) ? await this.dataSource.getRepository(Course).findOneBy({ slug }) : null;
    if (!course) throw new CourseNotFoundError(slug);
    return course;
  }

  private validate(body: unknown): CoursePackage {
    const { package: pkg, problems } = validateCoursePackageJson(body, this.frameworks.list());
    if (!pkg) throw new ValidationError(problems.map((p) => ({ field: p.field, message: p.message })), 'The course package is not valid');
    return pkg;
  }

  /** The package's school: an org unit of kind school that the caller may author for. */
  private async schoolFor(principal: Principal, code: string, field = 'course.school'): Promise<OrgUnit> {
    const unit = await this.dataSource.getRepository(OrgUnit).findOneBy({ code });
    if (!unit) throw new ValidationError([fieldError(field, M.noSchoolCode({ code }))]);
    if (unit.kind !== 'school') throw new ValidationError([fieldError(field, M.notASchool({ code, kind: unit.kind }))]);
    if (!(await this.access.canAuthorFor(principal, unit.id))) throw new ForbiddenError(M.notAuthorFor({ code }));
    return unit;
  }

  private async assertAuthor(principal: Principal, course: Course): Promise<void> {
    if (!(await this.access.canAuthorFor(principal, course.schoolOrgUnitId))) throw new ForbiddenError(M.notAuthorOf({ slug: course.slug }));
  }

  private assertSameSchool(course: Course, school: OrgUnit): void {
    if (course.schoolOrgUnitId !== school.id) {
      throw new ValidationError([fieldError('course.school', M.ownerFixed({ slug: course.slug }))]);
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
