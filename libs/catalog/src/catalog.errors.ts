import { ConflictError, DomainError, ForbiddenError, NotFoundError } from '@lms/platform';
import type { PackageProblem } from './package/package.types.js';

export class CourseNotFoundError extends NotFoundError {
  constructor(slug: string) {
    super('Course', slug);
  }
}

export class LessonNotFoundError extends NotFoundError {
  constructor(courseSlug: string, lessonSlug: string) {
    super(`Lesson ${lessonSlug} of course`, courseSlug);
  }
}

export class NotEnrolledError extends ForbiddenError {
  constructor(slug: string) {
    super(`Enrol in ${slug} to read its lessons`);
  }
}

export class DraftExistsError extends ConflictError {
  constructor(slug: string) {
    super('draft_exists', `Course ${slug} already has a draft: change it with PUT /api/v1/courses/${slug}/draft, or publish it`);
  }
}

export class NoDraftError extends ConflictError {
  constructor(slug: string) {
    super('no_draft', `Course ${slug} has no draft to publish`);
  }
}

export class DraftUnchangedError extends ConflictError {
  constructor(slug: string, version: number) {
    super('draft_unchanged', `The draft of ${slug} is the same as published version ${version}: nothing to publish`, { version });
  }
}

/** An import that could not be done; nothing was written. `problems` name the package and the reason. */
export class CatalogImportError extends DomainError {
  constructor(readonly problems: PackageProblem[]) {
    super('catalog_import_failed', `Import failed, nothing was imported: ${problems.length} problem(s)`, 422, { errors: problems });
  }
}
