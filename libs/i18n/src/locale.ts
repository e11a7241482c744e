/** The locales the interface is written in, and how a request picks one. */
export const UI_LOCALES = ['en', 'sr-Latn', 'sr-Cyrl'] as const;
export type UiLocale = (typeof UI_LOCALES)[number];

export function isUiLocale(value: unknown): value is UiLocale {
  return typeof value === 'string' && (UI_LOCALES as readonly string[]).includes(value);
}

/** Names of the locales in their own language (for a language switcher). */
export const LOCALE_NAMES: Record<UiLocale, string> = { en: 'English', 'sr-Latn': 'Srpski (latinica)', 'sr-Cyrl': 'Српски (ћирилица)' };

/** Short names for a compact switcher: the two Serbian scripts named by their script, which also sounds different to a screen reader. */
export const LOCALE_SHORT_NAMES: Record<UiLocale, string> = { en: 'English', 'sr-Latn': 'Latinica', 'sr-Cyrl': 'Ћирилица' };

/** The tag Intl formats dates and numbers with. */
export const INTL_TAGS: Record<UiLocale, string> = { en: 'en-GB', 'sr-Latn': 'sr-Latn-RS', 'sr-Cyrl': 'sr-Cyrl-RS' };

/** Content language fallbacks: a Cyrillic reader also reads Latin before English. */
export function contentFallbacks(locale: UiLocale): string[] {
  if (locale === 'sr-Cyrl') return ['sr-Cyrl', 'sr-Latn', 'en'];
  if (locale === 'sr-Latn') return ['sr-Latn', 'sr-Cyrl', 'en'];
  return ['en'];
}

/** Accept-Language (RFC 9110) → UI locale: `sr` and `sr-RS` read as Cyrillic, `sr-Latn-*` and `hr`/`bs`/`cnr` as Latin. */
export function fromAcceptLanguage(header: string | undefined): UiLocale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((x) => x.tag && Number.isFinite(x.q) && x.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag.startsWith('sr-latn') || ['hr', 'bs', 'cnr', 'sh'].some((p) => tag === p || tag.startsWith(`${p}-`))) return 'sr-Latn';
    if (tag === 'sr' || tag.startsWith('sr-')) return 'sr-Cyrl';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return undefined;
}
