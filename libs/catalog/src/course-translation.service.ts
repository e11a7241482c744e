import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { canonicalLocale } from '@lms/i18n';
import { AccessScope, OrgUnit } from '@lms/identity';
import { AppConfig, fieldError, ForbiddenError, ValidationError } from '@lms/platform';
import type { Principal } from '@lms/platform';
import { CourseNotFoundError, DraftExistsError } from './catalog.errors.js';
import { Course } from './course.entity.js';
import { CourseVersion, type TranslationRecord } from './course-version.entity.js';
import { CourseVersionRepository } from './course-version.repository.js';
import { FrameworkSource } from './framework-source.js';
import { Lesson } from './lesson.entity.js';
import { contentHash, searchTextOf } from './package/package-digest.js';
import { validateCoursePackageJson } from './package/package-validator.js';
import { isSlug } from './package/package.schemas.js';
import { courseUnits, type CourseTexts, exportXliff, parseXliff, segmentHashes, translatedTexts, withLanguage, XliffProblem } from './xliff.js';
import { CATALOG_MESSAGES as M } from './catalog.errors.js';

export type LanguageStatus = 'source' | 'complete' | 'outdated' | 'missing';

export interface CourseLanguages {
  slug: string;
  /** The version the status is about: the draft when there is one, else the latest published. */
  version: number;
  status: 'draft' | 'published';
  sourceLanguage: string;
  languages: Array<{ language: string; status: LanguageStatus; translatedFromVersion?: number; outdatedUnits?: string[] }>;
}

export interface TranslationImport {
  slug: string;
  version: number;
  status: 'draft';
  language: string;
  lessonCount: number;
}

/** A bad XLIFF file as a 400 naming the element. */
function xliffError(e: XliffProblem): ValidationError {
  return new ValidationError([{ field: e.element, message: e.problem }], 'The XLIFF file is not valid');
}

/**
 * Translation through XLIFF 2.0 (docs/languages.md): export a version's text for a target
 * language, import the translated file as a new draft with that language, and the status of every
 * language. Only authors of the owning school and admins.
 */
@Injectable()
export class CourseTranslationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AccessScope) private readonly access: AccessScope,
    @Inject(CourseVersionRepository) private readonly versions: CourseVersionRepository,
    @Inject(FrameworkSource) private readonly frameworks: FrameworkSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** GET /courses/:slug/versions/:version/xliff?target=: the version's text to translate. */
  async export(principal: Principal, slug: string, version: number, target: string): Promise<{ filename: string; xml: string }> {
    const course = await this.authoredCourse(principal, slug);
    if (!Number.isInteger(version) || version < 1 || version > 1_000_000) throw new ValidationError([fieldError('version', M.versionNumber())]);
    const lang = canonicalLocale(target);
    if (!lang) throw new ValidationError([{ field: 'target', message: 'must be a BCP 47 language tag such as mk or sr-Latn', rule: 'isLanguageTag' }]);
    const v = await this.dataSource.getRepository(CourseVersion).findOneBy({ courseId: course.id, version });
    if (!v) throw new CourseNotFoundError(`${slug} version ${version}`);
    if (lang === v.defaultLanguage) throw new ValidationError([fieldError('target', M.sourceLanguage({ lang, slug }))]);
    const texts = await this.textsOf(slug, v);
    return { filename: `${slug}-v${v.version}-${lang}.xlf`, xml: exportXliff(texts, v.defaultLanguage, lang) };
  }

  /** POST /courses/:slug/xliff: a translated file becomes a draft with that language. */
  async import(principal: Principal, slug: string, xml: unknown): Promise<TranslationImport> {
    const course = await this.authoredCourse(principal, slug);
    if (typeof xml !== 'string' || !xml.trim()) throw new ValidationError([fieldError('body', M.sendXliff())]);
    let parsed;
    try {
      parsed = parseXliff(xml);
    } catch (e) {
      if (e instanceof XliffProblem) throw xliffError(e);
      throw e;
    }
    if (parsed.slug !== slug) throw new ValidationError([fieldError('/xliff/file/@original', M.xliffOtherCourse({ other: parsed.slug, slug }))], M.xliffInvalid());
    const base = await this.dataSource.getRepository(CourseVersion).findOneBy({ courseId: course.id, version: parsed.version });
    if (!base) throw new ValidationError([fieldError('/xliff/file/@original', M.xliffNoVersion({ slug, version: parsed.version }))], M.xliffInvalid());
    if (parsed.source !== base.defaultLanguage) {
      throw new ValidationError([fieldError('/xliff/@srcLang', M.xliffSourceLanguage({ lang: base.defaultLanguage, slug }))], M.xliffInvalid());
    }
    const texts = await this.textsOf(slug, base);
    let translated: CourseTexts;
    try {
      translated = withLanguage(texts, parsed.target, translatedTexts(texts, parsed));
    } catch (e) {
      if (e instanceof XliffProblem) throw xliffError(e);
      throw e;
    }
    const body = await this.packageBody(course, base, translated, parsed.target);
    const { package: pkg, problems } = validateCoursePackageJson(body, this.frameworks.list());
    if (!pkg) throw new ValidationError(problems.map((p) => ({ field: p.field, message: p.message })), 'The translated course is not valid');
    const record: TranslationRecord = {
      source: parsed.source,
      fromVersion: base.version,
      hashes: segmentHashes(courseUnits(texts, parsed.source)),
      importedAt: new Date().toISOString(),
    };
    return this.dataSource.transaction(async (manager) => {
      const locked = (await this.versions.findCourseBySlugForUpdate(manager, slug))!;
      const draft = await this.versions.findDraft(manager, locked.id);
      if (draft && draft.id !== base.id) throw new DraftExistsError(slug);
      const next = { pkg, contentHash: contentHash(pkg), searchText: searchTextOf(pkg, this.frameworks.get(pkg.framework)), createdBy: principal.userId };
      const saved = draft ? await this.versions.replaceDraft(manager, draft, next) : await this.versions.insertDraft(manager, locked.id, next);
      await this.versions.setTranslations(manager, saved.id, { ...base.translations, [parsed.target]: record });
      return { slug, version: saved.version, status: 'draft', language: parsed.target, lessonCount: pkg.lessons.length };
    });
  }

  /** GET /courses/:slug/languages: each language of the current version, the configured UI locales and every earlier language. */
  async languages(principal: Principal, slug: string): Promise<CourseLanguages> {
    const course = await this.authoredCourse(principal, slug);
    const all = await this.dataSource.getRepository(CourseVersion).find({ where: { courseId: course.id }, order: { version: 'DESC' } });
    const current = all.find((v) => v.status === 'draft') ?? all.find((v) => v.status === 'published');
    if (!current) throw new CourseNotFoundError(slug);
    const texts = await this.textsOf(slug, current);
    const hashes = segmentHashes(courseUnits(texts, current.defaultLanguage));
    const wanted = [...new Set([...current.languages, ...this.config.uiLocales, ...all.flatMap((v) => v.languages)])];
    const languages = wanted.map((language): CourseLanguages['languages'][number] => {
      if (language === current.defaultLanguage) return { language, status: 'source' };
      if (!current.languages.includes(language)) return { language, status: 'missing' };
      // The newest record of how this language was translated, in this version or an earlier one.
      const record = all.filter((v) => v.version <= current.version || v.id === current.id).map((v) => v.translations?.[language]).find(Boolean);
      if (!record || record.source !== current.defaultLanguage) return { language, status: 'complete' };
      const outdated = [...new Set(Object.keys(hashes).filter((k) => record.hashes[k] !== hashes[k]).map((k) => k.split('#')[0]))];
      return outdated.length
        ? { language, status: 'outdated', translatedFromVersion: record.fromVersion, outdatedUnits: outdated }
        : { language, status: 'complete', translatedFromVersion: record.fromVersion };
    });
    return { slug, version: current.version, status: current.status, sourceLanguage: current.defaultLanguage, languages };
  }

  private async authoredCourse(principal: Principal, slug: string): Promise<Course> {
    const course = isSlug(slug) ? await this.dataSource.getRepository(Course).findOneBy({ slug }) : null;
    if (!course) throw new CourseNotFoundError(slug);
    if (!(await this.access.canAuthorFor(principal, course.schoolOrgUnitId))) throw new ForbiddenError(M.notAuthorOf({ slug }));
    return course;
  }

  private async textsOf(slug: string, v: CourseVersion): Promise<CourseTexts> {
    const lessons = await this.dataSource.getRepository(Lesson).find({ where: { courseVersionId: v.id }, order: { position: 'ASC' } });
    return {
      slug,
      version: v.version,
      title: v.title,
      summary: v.summary,
      lessons: lessons.map((l) => ({ slug: l.slug, title: l.title, body: l.body })),
      quiz: v.quiz,
    };
  }

  /** The JSON package (as PUT /draft takes it) of `base` with the translated texts and the new language. */
  private async packageBody(course: Course, base: CourseVersion, texts: CourseTexts, language: string): Promise<unknown> {
    const school = await this.dataSource.getRepository(OrgUnit).findOneByOrFail({ id: course.schoolOrgUnitId });
    const lessons = await this.dataSource.getRepository(Lesson).find({ where: { courseVersionId: base.id }, order: { position: 'ASC' } });
    return {
      course: {
        slug: course.slug,
        school: school.code,
        defaultLanguage: base.defaultLanguage,
        languages: base.languages.includes(language) ? base.languages : [...base.languages, language],
        title: texts.title,
        summary: texts.summary,
        audience: base.audience,
        level: base.level,
        estimatedMinutes: base.estimatedMinutes,
        framework: base.frameworkKey,
        competencies: base.competencies,
        alignedWith: base.alignedWith,
        lessons: lessons.map((l) => l.slug),
        completion: base.completion,
        ...(base.certificateValidityMonths ? { certificate: { validityMonths: base.certificateValidityMonths } } : {}),
      },
      lessons: lessons.map((l, i) => ({ slug: l.slug, title: texts.lessons[i].title, minutes: l.minutes, required: l.required, body: texts.lessons[i].body })),
      quiz: texts.quiz,
    };
  }
}
