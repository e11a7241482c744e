import { parseAcceptLanguage as parseAccept, pickFromChains } from '@lms/i18n';
import type { LangMap } from './course-version.entity.js';

/** Language tags from an Accept-Language header, best first (q=0 dropped), canonical. */
export function parseAcceptLanguage(header: string | undefined): string[] {
  return parseAccept(header);
}

/**
 * The language to show a course in: the first preference the course has along that preference's
 * fallback chain (libs/i18n: `sr-RS` reads sr-Cyrl then sr-Latn, `hr` reads sr-Latn), then
 * English, else the course's default language.
 */
export function pickLanguage(preferences: Array<string | null | undefined>, languages: string[], defaultLanguage: string): string {
  return pickFromChains(preferences, languages, defaultLanguage);
}

/** Text of a language map in `lang`, falling back to the default language, then to any text. */
export function textIn(map: LangMap | null | undefined, lang: string, defaultLanguage: string): string {
  if (!map) return '';
  return map[lang] ?? map[defaultLanguage] ?? Object.values(map)[0] ?? '';
}
