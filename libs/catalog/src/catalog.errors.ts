import { ConflictError, defineMessages, DomainError, ForbiddenError, NotFoundError } from '@lms/platform';

/** What the catalog says to people (worded from the interface catalogs, problems.*.ts). */
export const CATALOG_MESSAGES = defineMessages('catalog', {
  lessonNotFound: 'Lesson {lessonSlug} of course {courseSlug} was not found',
  notEnrolled: 'Enrol in {slug} to read its lessons',
  draftExists: 'Course {slug} already has a draft: change it with PUT /api/v1/courses/{slug}/draft, or publish it',
  noDraft: 'Course {slug} has no draft to publish',
  draftUnchanged: 'The draft of {slug} is the same as published version {version}: nothing to publish',
  importFailed: 'Import failed, nothing was imported: {count} problem(s)',
  licenceForbidsAdaptation: 'The licence of {slug} ({licence}) does not allow adaptations by another institution',
  licenceForbidsAdaptationUnstated: 'The licence of {slug} (not stated: all rights reserved) does not allow adaptations by another institution',
  slugTaken: 'A course with the slug {slug} already exists',
  slugOfUrl: 'must be {slug}, the course of this URL',
  sharedOnly: 'institutions and countries are chosen only with visibility shared',
  shareWithSomeone: 'choose at least one institution or country to share with',
  noInstitution: 'no institution has the id {id}',
  attributionLength: 'must be a text of 1-{max} characters',
  slugFormat: 'must be a course slug (lower-case letters, digits and hyphens)',
  schoolCode: 'must be the code of a school you author for',
  upstreamVersion: 'must be a published upstream version after {version} (the newest is {latest})',
  noSchoolCode: 'no org unit has the code "{code}"',
  notASchool: '{code} is a {kind}, not a school',
  notAuthorFor: 'You are not an author for {code}',
  notAuthorOf: 'You are not an author of the school that owns {slug}',
  ownerFixed: "{slug} belongs to another school; its owner can't be changed through the API",
  sharingInvalid: 'The sharing settings are not valid',
  versionNumber: 'must be a version number from 1',
  sourceLanguage: '{lang} is the source language of {slug}',
  sendXliff: 'send the XLIFF 2.0 file as application/xliff+xml',
  xliffInvalid: 'The XLIFF file is not valid',
  xliffOtherCourse: 'is a file of {other}, not of {slug}',
  xliffNoVersion: '{slug} has no version {version}',
  xliffSourceLanguage: 'must be {lang}, the source language of {slug}',
});
const M = CATALOG_MESSAGES;
import type { PackageProblem } from './package/package.types.js';

export class CourseNotFoundError extends NotFoundError {
  constructor(slug: string) {
    super('Course', slug);
  }
}

export class LessonNotFoundError extends NotFoundError {
  constructor(courseSlug: string, lessonSlug: string) {
    super(M.lessonNotFound({ lessonSlug, courseSlug }));
  }
}

export class NotEnrolledError extends ForbiddenError {
  constructor(slug: string) {
    super(M.notEnrolled({ slug }));
  }
}

export class DraftExistsError extends ConflictError {
  constructor(slug: string) {
    super('draft_exists', M.draftExists({ slug }));
  }
}

export class NoDraftError extends ConflictError {
  constructor(slug: string) {
    super('no_draft', M.noDraft({ slug }));
  }
}

export class DraftUnchangedError extends ConflictError {
  constructor(slug: string, version: number) {
    super('draft_unchanged', M.draftUnchanged({ slug, version }), { version });
  }
}

/** An import that could not be done; nothing was written. `problems` name the package and the reason. */
export class CatalogImportError extends DomainError {
  constructor(readonly problems: PackageProblem[]) {
    super('catalog_import_failed', M.importFailed({ count: problems.length }), 422, { errors: problems });
  }
}
