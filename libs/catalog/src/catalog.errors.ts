import { ConflictError, defineMessages, DomainError, ForbiddenError, NotFoundError } from '@lms/platform';

/** What the catalog says to people (worded from the interface catalogs, problems.*.ts). */
export const CATALOG_MESSAGES = defineMessages('catalog', {
  lessonNotFound: 'Lesson {lessonSlug} of course {courseSlug} was not found',
  notEnrolled: 'Enrol in {slug} to read its lessons',
  draftExists: 'Course {slug} already has a draft: change it with PUT /api/v1/courses/{slug}/draft, or publish it',
  noDraft: 'Course {slug} has no draft to publish',
  draftUnchanged: 'The draft of {slug} is the same as published version {version}: nothing to publish',
  importFailed: 'Import failed, nothing was imported: {count} problem(s)',
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
