import type { LangMap } from './course-version.entity.js';

/** Language tags from an Accept-Language header, best first (q=0 dropped). */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q[1]) : 1, i };
    })
    .filter((x) => x.tag && x.tag !== '*' && /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(x.tag) && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((x) => x.tag);
}

/**
 * The language to show a course in: the first preference the course has (exact tag, then the same
 * base language, so `sr` or `sr-RS` finds `sr-Latn`), else the course's default language.
 */
export function pickLanguage(preferences: Array<string | null | undefined>, languages: string[], defaultLanguage: string): string {
  const lower = languages.map((l) => l.toLowerCase());
  for (const pref of preferences) {
    if (!pref) continue;
    const i = lower.indexOf(pref.toLowerCase());
    if (i >= 0) return languages[i];
  }
  for (const pref of preferences) {
    if (!pref) continue;
    const base = pref.toLowerCase().split('-')[0];
    const i = lower.findIndex((l) => l.split('-')[0] === base);
    if (i >= 0) return languages[i];
  }
  return defaultLanguage;
}

/** Text of a language map in `lang`, falling back to the default language, then to any text. */
export function textIn(map: LangMap | null | undefined, lang: string, defaultLanguage: string): string {
  if (!map) return '';
  return map[lang] ?? map[defaultLanguage] ?? Object.values(map)[0] ?? '';
}
