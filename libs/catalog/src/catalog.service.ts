import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessScope } from '@lms/identity';
import { Outbox } from '@lms/jobs';
import { isAdmin, pageOf } from '@lms/platform';
import type { Page, Principal } from '@lms/platform';
import { CatalogCache } from './catalog-cache.service.js';
import { CourseNotFoundError, LessonNotFoundError, NotEnrolledError } from './catalog.errors.js';
import { Course } from './course.entity.js';
import { CourseVersion } from './course-version.entity.js';
import { Lesson } from './lesson.entity.js';
import { parseAcceptLanguage, pickLanguage, textIn } from './language.js';
import { renderLessonHtml } from './lesson-renderer.js';
import { isSlug } from './package/package.schemas.js';
import { prefixTsQuery } from './search-text.js';
import { adaptedFromOf, institutionOfSchool, isVisibleTo, viewerOf, visibleSql } from './course-hub.js';
import type { AdaptedFrom, InstitutionRef } from './course-hub.js';
import type { CourseVisibility } from './course.entity.js';

export interface CatalogQuery {
  q?: string;
  competency?: string;
  language?: string;
  level?: string;
  page: number;
  limit: number;
}

/** How the caller asks for a language: `?lang=`, their profile locale, Accept-Language. */
export interface LanguageRequest {
  lang?: string;
  acceptLanguage?: string;
}

export interface CourseListItem {
  slug: string;
  version: number;
  title: string;
  summary: string;
  language: string;
  languages: string[];
  defaultLanguage: string;
  audience: string;
  level: string;
  estimatedMinutes: number;
  framework: string;
  competencies: Array<{ code: string; level: number }>;
}

export interface CourseDetail extends CourseListItem {
  status: 'draft' | 'published';
  alignedWith: string[];
  certificateValidityMonths: number | null;
  school: { code: string; name: string };
  publishedAt: Date | null;
  lessons: Array<{ slug: string; position: number; title: string; minutes: number; required: boolean }>;
  quiz: { questionCount: number; passMark: number; attemptsAllowed: number } | null;
  /** The institution whose tree holds the school (null when the tree is no institution). */
  institution: InstitutionRef | null;
  visibility: CourseVisibility;
  /** SPDX id, or null when not stated (all rights reserved). */
  licence: string | null;
  attribution: string | null;
  /** For an adaptation: the upstream course, the version it is based on and its institution ("adapted from … by …"). */
  adaptedFrom: AdaptedFrom | null;
}

export interface LessonContent {
  courseSlug: string;
  version: number;
  slug: string;
  position: number;
  title: string;
  minutes: number;
  required: boolean;
  language: string;
  languages: string[];
  markdown: string;
  html: string;
  previous: { slug: string; title: string } | null;
  next: { slug: string; title: string } | null;
}

interface ListRow {
  slug: string;
  version: number;
  title: Record<string, string>;
  summary: Record<string, string>;
  default_language: string;
  languages: string[];
  audience: string;
  level: string;
  estimated_minutes: number;
  framework_key: string;
  competencies: Array<{ code: string; level: number }>;
}

const LATEST_PUBLISHED = `v.status = 'published' AND NOT EXISTS (
  SELECT 1 FROM course_version n WHERE n.course_id = v.course_id AND n.status = 'published' AND n.version > v.version)`;

/**
 * The catalog as learners, HR and authors read it: published courses only (drafts only for their
 * authors), full-text search, lesson content in the caller's language, rendered safely.
 */
/** How many recorded lesson views a process remembers before it starts over (a reload after that costs one conflicting INSERT). */
const VIEWS_REMEMBERED = 50_000;

@Injectable()
export class CatalogService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AccessScope) private readonly access: AccessScope,
    @Inject(CatalogCache) private readonly cache: CatalogCache,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {}

  async list(principal: Principal, query: CatalogQuery, language: LanguageRequest): Promise<Page<CourseListItem>> {
    const where: string[] = [LATEST_PUBLISHED];
    const params: unknown[] = [];
    const param = (v: unknown): string => {
      params.push(v);
      return `$${params.length}`;
    };
    // Only courses visible to the caller's institution: its own, public ones, and those shared with it or its country.
    const viewer = await viewerOf(this.dataSource.manager, principal.orgUnitId);
    where.push(visibleSql('c', param(viewer.rootId), param(viewer.institutionId), param(viewer.country)));
    let rank = '';
    if (query.q !== undefined && query.q.trim() !== '') {
      const tsq = prefixTsQuery(query.q);
      if (!tsq) return pageOf([], 0, query);
      const p = param(tsq);
      where.push(`to_tsvector('simple', v.search_text) @@ to_tsquery('simple', ${p})`);
      rank = `ts_rank(to_tsvector('simple', v.search_text), to_tsquery('simple', ${p})) DESC, `;
    }
    if (query.language) where.push(`${param(query.language)} = ANY(v.languages)`);
    if (query.level) where.push(`v.level = ${param(query.level)}`);
    if (query.competency) {
      const p = param(query.competency);
      where.push(`EXISTS (SELECT 1 FROM jsonb_array_elements(v.competencies) x WHERE x->>'code' = ${p} OR starts_with(x->>'code', ${p} || '.'))`);
    }
    const from = `FROM course_version v JOIN course c ON c.id = v.course_id WHERE ${where.join(' AND ')}`;
    const listSql = `SELECT c.slug, v.version, v.title, v.summary, v.default_language, v.languages, v.audience, v.level, v.estimated_minutes, v.framework_key, v.competencies
         ${from} ORDER BY ${rank}c.slug LIMIT ${param(query.limit)} OFFSET ${param((query.page - 1) * query.limit)}`;
    // The same list for everyone (published courses only; language is applied below): reused briefly.
    const { total, rows } = await this.cache.recentValue(`list:${JSON.stringify(params)}:${listSql.length}:${where.join('|')}`, async () => {
      const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total ${from}`, params.slice(0, -2))) as Array<{ total: number }>;
      const rows = (await this.dataSource.query(listSql, params)) as ListRow[];
      return { total, rows };
    });
    const prefs = await this.preferences(principal, { ...language, lang: language.lang ?? query.language });
    return pageOf(
      rows.map((r) => {
        const lang = pickLanguage(prefs, r.languages, r.default_language);
        return {
          slug: r.slug,
          version: r.version,
          title: textIn(r.title, lang, r.default_language),
          summary: textIn(r.summary, lang, r.default_language),
          language: lang,
          languages: r.languages,
          defaultLanguage: r.default_language,
          audience: r.audience,
          level: r.level,
          estimatedMinutes: r.estimated_minutes,
          framework: r.framework_key,
          competencies: r.competencies,
        };
      }),
      total,
      query,
    );
  }

  /** The latest published version, or `version` (a draft only for authors of the owning school and admins). */
  async detail(principal: Principal, slug: string, opts: LanguageRequest & { version?: number }): Promise<CourseDetail> {
    const course = await this.courseOrFail(slug);
    // Another institution's private course does not exist for the caller (unless they author it, or are enrolled in it).
    if (!(await this.mayRead(principal, course))) throw new CourseNotFoundError(slug);
    const version = await this.visibleVersion(principal, course, opts.version);
    const lessons = await this.lessonsOf(version);
    const school = await this.cache.recentValue(`school:${course.schoolOrgUnitId}`, async () =>
      (await this.dataSource.query(`SELECT code, name FROM org_unit WHERE id = $1`, [course.schoolOrgUnitId])) as Array<{ code: string; name: string }>,
    );
    const lang = pickLanguage(await this.preferences(principal, opts), version.languages, version.defaultLanguage);
    const t = (m: Record<string, string>): string => textIn(m, lang, version.defaultLanguage);
    const rule = version.completion?.quiz;
    return {
      slug: course.slug,
      version: version.version,
      status: version.status,
      title: t(version.title),
      summary: t(version.summary),
      language: lang,
      languages: version.languages,
      defaultLanguage: version.defaultLanguage,
      audience: version.audience,
      level: version.level,
      estimatedMinutes: version.estimatedMinutes,
      framework: version.frameworkKey,
      competencies: version.competencies,
      alignedWith: version.alignedWith,
      certificateValidityMonths: version.certificateValidityMonths,
      school: school[0] ?? { code: '', name: '' },
      publishedAt: version.publishedAt,
      lessons: lessons.map((l) => ({ slug: l.slug, position: l.position, title: t(l.title), minutes: l.minutes, required: l.required })),
      // Never the questions or answers here: only what a learner needs to know before starting.
      quiz: version.quiz?.questions?.length
        ? { questionCount: version.quiz.questions.length, passMark: rule?.passMark ?? 100, attemptsAllowed: rule?.attemptsAllowed ?? 1 }
        : null,
      institution: await institutionOfSchool(this.dataSource.manager, course.schoolOrgUnitId, lang),
      visibility: course.visibility,
      licence: course.licence,
      attribution: course.attribution,
      adaptedFrom: await adaptedFromOf(this.dataSource.manager, course, lang),
    };
  }

  /**
   * Who the caller is for the course's discussion space (docs/hub.md, communities): the course page's
   * own check (CourseNotFoundError when the course is not visible to them), then whether they author
   * it (or are an admin) and whether they are enrolled (not withdrawn); with the course's title.
   */
  async discussionAccess(principal: Principal, slug: string): Promise<{ courseId: string; slug: string; title: string; author: boolean; enrolled: boolean }> {
    const course = await this.courseOrFail(slug);
    if (!(await this.mayRead(principal, course))) throw new CourseNotFoundError(slug);
    const author = await this.canAuthor(principal, course);
    const enrolled = (await this.dataSource.query(`SELECT 1 FROM enrolment WHERE user_id = $1 AND course_id = $2 AND status <> 'withdrawn' LIMIT 1`, [
      principal.userId,
      course.id,
    ])) as unknown[];
    const latest = await this.latestPublished(course);
    const title = latest ? textIn(latest.title, latest.defaultLanguage, latest.defaultLanguage) : course.slug;
    return { courseId: course.id, slug: course.slug, title, author, enrolled: enrolled.length > 0 };
  }

  /** Visible to the caller's institution, or the caller is an admin, an author of the course or enrolled in it. */
  private async mayRead(principal: Principal, course: Course): Promise<boolean> {
    if (isAdmin(principal) || (await isVisibleTo(this.dataSource.manager, course.id, principal.orgUnitId))) return true;
    if (await this.canAuthor(principal, course)) return true;
    const enrolled = (await this.dataSource.query(`SELECT 1 FROM enrolment WHERE user_id = $1 AND course_id = $2 LIMIT 1`, [principal.userId, course.id])) as unknown[];
    return enrolled.length > 0;
  }

  /**
   * A lesson's Markdown and sanitised HTML for: an enrolled learner (the version their enrolment
   * pinned), an author of the owning school or an admin (`version` or the latest published), or HR
   * whose scope holds someone enrolled in the course.
   */
  async lesson(principal: Principal, slug: string, lessonSlug: string, opts: LanguageRequest & { version?: number }): Promise<LessonContent> {
    const course = await this.courseOrFail(slug);
    const { version, enrolmentId } = await this.lessonVersion(principal, course, opts.version);
    const lessons = await this.lessonsOf(version);
    const i = isSlug(lessonSlug) ? lessons.findIndex((l) => l.slug === lessonSlug) : -1;
    if (i < 0) throw new LessonNotFoundError(slug, lessonSlug);
    const lesson = lessons[i];
    // The learner's own read of a published lesson (not an author's or HR's preview) is a view (docs/xapi.md).
    if (enrolmentId && version.status === 'published') await this.recordView(enrolmentId, lesson.id);
    const lang = pickLanguage(await this.preferences(principal, opts), version.languages, version.defaultLanguage);
    const markdown = textIn(lesson.body, lang, version.defaultLanguage);
    const neighbour = (l: Lesson | undefined): { slug: string; title: string } | null =>
      l ? { slug: l.slug, title: textIn(l.title, lang, version.defaultLanguage) } : null;
    return {
      courseSlug: course.slug,
      version: version.version,
      slug: lesson.slug,
      position: lesson.position,
      title: textIn(lesson.title, lang, version.defaultLanguage),
      minutes: lesson.minutes,
      required: lesson.required,
      language: lesson.body[lang] !== undefined ? lang : version.defaultLanguage,
      languages: version.languages,
      markdown,
      html:
        version.status === 'published'
          ? await this.cache.immutableValue(`html:${version.id}:${lesson.slug}:${lang}`, () => renderLessonHtml(markdown))
          : renderLessonHtml(markdown),
      previous: neighbour(lessons[i - 1]),
      next: neighbour(lessons[i + 1]),
    };
  }

  /** A version's lessons in order; a published version's are read once (they never change). */
  private async lessonsOf(version: CourseVersion): Promise<Lesson[]> {
    const load = (): Promise<Lesson[]> => this.dataSource.getRepository(Lesson).find({ where: { courseVersionId: version.id }, order: { position: 'ASC' } });
    return version.status === 'published' ? this.cache.immutableValue(`lessons:${version.id}`, load) : load();
  }

  private async courseOrFail(slug: string): Promise<Course> {
    // A string that is not a slug names no course (and never reaches SQL: think of NUL bytes).
    if (!isSlug(slug)) throw new CourseNotFoundError(slug);
    const course = await this.cache.recentValue(`course:${slug}`, () => this.dataSource.getRepository(Course).findOneBy({ slug }));
    if (!course) throw new CourseNotFoundError(slug);
    return course;
  }

  private async canAuthor(principal: Principal, course: Course): Promise<boolean> {
    return isAdmin(principal) || (await this.access.canAuthorFor(principal, course.schoolOrgUnitId));
  }

  /** A published version is kept by (course, number): a number once published stays that version. */
  private async versionByNumber(course: Course, version: number): Promise<CourseVersion | null> {
    const key = `vnum:${course.id}:${version}`;
    const kept = this.cache.peekImmutable<CourseVersion>(key);
    if (kept) return kept;
    const found = await this.dataSource.getRepository(CourseVersion).findOneBy({ courseId: course.id, version });
    if (found?.status === 'published') await this.cache.immutableValue(key, () => found);
    return found;
  }

  private async latestPublished(course: Course): Promise<CourseVersion | null> {
    return this.cache.recentValue(`latest:${course.id}`, () => this.latestPublishedUncached(course));
  }

  private async latestPublishedUncached(course: Course): Promise<CourseVersion | null> {
    return this.dataSource.getRepository(CourseVersion).findOne({ where: { courseId: course.id, status: 'published' }, order: { version: 'DESC' } });
  }

  /** Published versions are visible to every signed-in user; drafts only to the course's authors. */
  private async visibleVersion(principal: Principal, course: Course, version?: number): Promise<CourseVersion> {
    const found = version === undefined ? await this.latestPublished(course) : await this.versionByNumber(course, version);
    if (found && (found.status === 'published' || (await this.canAuthor(principal, course)))) return found;
    throw version === undefined ? new CourseNotFoundError(course.slug) : new CourseNotFoundError(`${course.slug} version ${version}`);
  }

  /**
   * Records that the learner opened a lesson of their enrolment today (UTC): the first time a day
   * inserts a lesson_view row and its 'lesson.viewed' event in one statement; later reads that day
   * conflict and write nothing. Reads this process already recorded today skip the database.
   */
  private async recordView(enrolmentId: string, lessonId: string): Promise<void> {
    const day = new Date().toISOString().slice(0, 10);
    const key = `${enrolmentId}:${lessonId}:${day}`;
    if (this.viewedToday.has(key)) return;
    await this.outbox.addForInserted(
      this.dataSource.manager,
      'lesson.viewed',
      `INSERT INTO lesson_view (enrolment_id, lesson_id, day) VALUES ($1, $2, $3::date) ON CONFLICT DO NOTHING
       RETURNING jsonb_build_object('enrolmentId', enrolment_id, 'lessonId', lesson_id, 'day', to_char(day, 'YYYY-MM-DD')) AS payload`,
      [enrolmentId, lessonId, day],
    );
    if (this.viewedToday.size >= VIEWS_REMEMBERED) this.viewedToday.clear();
    this.viewedToday.add(key);
  }

  /** Views recorded by this process (enrolment:lesson:day), so a reload costs no write; bounded by VIEWS_REMEMBERED. */
  private readonly viewedToday = new Set<string>();

  private async lessonVersion(principal: Principal, course: Course, version?: number): Promise<{ version: CourseVersion; enrolmentId: string | null }> {
    if (await this.canAuthor(principal, course)) return { version: await this.visibleVersion(principal, course, version), enrolmentId: null };
    const pinned = (await this.dataSource.query(
      `SELECT id, course_version_id FROM enrolment WHERE user_id = $1 AND course_id = $2 AND status <> 'withdrawn' ORDER BY enrolled_at DESC LIMIT 1`,
      [principal.userId, course.id],
    )) as Array<{ id: string; course_version_id: string }>;
    if (pinned.length) {
      // A learner reads the version they enrolled on, whatever was published since.
      const id = pinned[0].course_version_id;
      const load = (): Promise<CourseVersion> => this.dataSource.getRepository(CourseVersion).findOneByOrFail({ id });
      let v = await this.cache.immutableValue(`version:${id}`, load);
      // Only a published version may be kept: a pinned draft (authors' previews) is read each time.
      if (v.status !== 'published') v = await load();
      if (version !== undefined && version !== v.version) throw new NotEnrolledError(`${course.slug} version ${version}`);
      return { version: v, enrolmentId: pinned[0].id };
    }
    if (await this.hrOfAnEnrolledLearner(principal, course)) return { version: await this.visibleVersion(principal, course, version), enrolmentId: null };
    throw new NotEnrolledError(course.slug);
  }

  private async hrOfAnEnrolledLearner(principal: Principal, course: Course): Promise<boolean> {
    const prefixes = await this.access.scopePaths(principal, 'hr');
    if (!prefixes.length) return false;
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM enrolment e JOIN app_user u ON u.id = e.user_id JOIN org_unit o ON o.id = u.org_unit_id
        WHERE e.course_id = $1 AND EXISTS (SELECT 1 FROM unnest($2::text[]) p WHERE o.path LIKE p || '%') LIMIT 1`,
      [course.id, prefixes],
    )) as unknown[];
    return rows.length > 0;
  }

  /** `?lang=`, then the caller's profile locale (resolved with the caller by the guard), then Accept-Language. */
  private async preferences(principal: Principal, language: LanguageRequest): Promise<string[]> {
    const locale =
      principal.locale !== undefined
        ? principal.locale
        : ((await this.dataSource.query(`SELECT locale FROM app_user WHERE id = $1`, [principal.userId])) as Array<{ locale: string }>)[0]?.locale;
    return [language.lang, locale, ...parseAcceptLanguage(language.acceptLanguage)].filter((x): x is string => !!x);
  }
}
