import { textInChain } from '@lms/i18n';

/** A row that carries a course's title map, its default language and the reader's locale. */
export interface TitleSource {
  locale: string;
  courseSlug: string;
  courseTitles?: Record<string, string> | null;
  defaultLanguage?: string;
}

/**
 * The course title in each reader's language along their fallback chain (libs/i18n: sr-Cyrl reads
 * sr-Latn before English, hr reads sr-Latn, mk reads en), else the default language, else the slug.
 */
export function withCourseTitle<T extends TitleSource>(rows: T[]): Array<Omit<T, 'courseTitles' | 'defaultLanguage'> & { courseTitle: string }> {
  return rows.map(({ courseTitles, defaultLanguage, ...rest }) => ({
    ...rest,
    courseTitle: textInChain(courseTitles ?? null, rest.locale, defaultLanguage) || rest.courseSlug,
  }));
}
