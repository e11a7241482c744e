/**
 * Language tags for people, courses and content: any valid BCP 47 tag, canonicalised by
 * `Intl.getCanonicalLocales` (so `SR-latn` is stored as `sr-Latn`, `sh` as `sr-Latn`, `cnr` as
 * `sr-ME`). The interface itself is written in a few locales (SHIPPED_UI_LOCALES); an instance
 * offers a configured subset (UI_LOCALES). Fallback chains say what else a reader reads, derived
 * from the tag's subtags (likely script and region from CLDR) plus a small table of neighbouring
 * languages, which an instance can extend (LOCALE_FALLBACKS).
 */

/** Locales the project ships interface text for (web, e-mail, certificates). */
export const SHIPPED_UI_LOCALES = ['en', 'sr-Latn', 'sr-Cyrl', 'mk'] as const;
export type UiLocale = (typeof SHIPPED_UI_LOCALES)[number];
/** The shipped set (an instance offers AppConfig.uiLocales, a subset). */
export const UI_LOCALES = SHIPPED_UI_LOCALES;
export const DEFAULT_UI_LOCALES: readonly UiLocale[] = SHIPPED_UI_LOCALES;

export function isUiLocale(value: unknown, configured: readonly string[] = SHIPPED_UI_LOCALES): value is UiLocale {
  return typeof value === 'string' && configured.includes(value) && (SHIPPED_UI_LOCALES as readonly string[]).includes(value);
}

/** Names of the locales in their own language (for a language switcher). */
export const LOCALE_NAMES: Record<UiLocale, string> = {
  en: 'English',
  'sr-Latn': 'Srpski (latinica)',
  'sr-Cyrl': 'Српски (ћирилица)',
  mk: 'Македонски',
};

/** Short names for a compact switcher: the two Serbian scripts named by their script, which also sounds different to a screen reader. */
export const LOCALE_SHORT_NAMES: Record<UiLocale, string> = { en: 'English', 'sr-Latn': 'Latinica', 'sr-Cyrl': 'Ћирилица', mk: 'Македонски' };

/** The tag Intl formats dates and numbers with. */
export const INTL_TAGS: Record<UiLocale, string> = { en: 'en-GB', 'sr-Latn': 'sr-Latn-RS', 'sr-Cyrl': 'sr-Cyrl-RS', mk: 'mk-MK' };

const MAX_TAG_LENGTH = 64;

/** The canonical form of a BCP 47 tag, or null when it is not one (`*`, `i-klingon`, `en_US`, over 64 characters). */
export function canonicalLocale(tag: unknown): string | null {
  if (typeof tag !== 'string' || tag.length === 0 || tag.length > MAX_TAG_LENGTH || !/^[A-Za-z0-9-]+$/.test(tag)) return null;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical ?? null;
  } catch {
    return null;
  }
}

/** Whether `tag` is a valid BCP 47 tag already in canonical form (what files and the database hold). */
export function isCanonicalLocale(tag: unknown): tag is string {
  return typeof tag === 'string' && canonicalLocale(tag) === tag;
}

/**
 * Neighbouring languages a reader also reads, before English. Keys are `lang-Script` or `lang`;
 * values are tried in order. Serbian readers read both scripts; Bosnian, Croatian and Montenegrin
 * readers read Serbian Latin; Macedonian goes straight to English (the spec of issue #19: a
 * Macedonian reader is better served by English than by Serbian).
 */
export const RELATED_LANGUAGES: Readonly<Record<string, readonly string[]>> = {
  'sr-Cyrl': ['sr-Latn'],
  'sr-Latn': ['sr-Cyrl'],
  'bs-Latn': ['sr-Latn'],
  'bs-Cyrl': ['sr-Cyrl', 'sr-Latn'],
  'hr-Latn': ['sr-Latn'],
  // `cnr` (Montenegrin) is canonicalised to sr-ME by Intl.
  'sr-ME': ['sr-Latn'],
  mk: [],
};

/** `LOCALE_FALLBACKS` text: `sl=hr,sr-Latn;mk=sr-Cyrl` (tag = tags, `;`-separated) → a table; throws on a bad tag. */
export function parseFallbackConfig(text: string | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!text?.trim()) return out;
  for (const entry of text.split(';')) {
    if (!entry.trim()) continue;
    const [from, to, ...rest] = entry.split('=');
    const key = canonicalLocale(from?.trim());
    if (!key || to === undefined || rest.length) throw new Error(`"${entry.trim()}" is not tag=tag,tag`);
    out[key] = to
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)
      .map((t) => {
        const c = canonicalLocale(t);
        if (!c) throw new Error(`"${t}" is not a BCP 47 language tag`);
        return c;
      });
  }
  return out;
}

let configuredFallbacks: Record<string, string[]> = {};

/** Set once at start-up from AppConfig.localeFallbacks (the apps do it); extends RELATED_LANGUAGES. */
export function configureLocaleFallbacks(table: Record<string, string[]>): void {
  configuredFallbacks = { ...table };
  chains.clear();
}

/** Chains under the configured table by tag: computed once (Intl.Locale is costly on every request's texts). */
const chains = new Map<string, readonly string[]>();
const MAX_CHAINS = 1_000;

function maximize(tag: string): Intl.Locale | null {
  try {
    return new Intl.Locale(tag).maximize();
  } catch {
    return null;
  }
}

/**
 * What a reader of `tag` reads, best first, ending in English: the tag itself, its shorter forms,
 * its likely script (`sr-RS` → `sr-Cyrl`), configured and related languages, then `en`.
 * `sr-Cyrl-RS` → sr-Cyrl-RS, sr-Cyrl, sr, sr-Latn, en; `hr` → hr, sr-Latn, en; `mk` → mk, en.
 * An invalid tag gives just `en`.
 */
export function fallbackChain(tag: string | null | undefined, extra: Record<string, readonly string[]> = configuredFallbacks): string[] {
  if (extra !== configuredFallbacks || typeof tag !== 'string') return computeChain(tag, extra);
  let chain = chains.get(tag);
  if (!chain) {
    chain = computeChain(tag, extra);
    if (chains.size >= MAX_CHAINS) chains.clear();
    chains.set(tag, chain);
  }
  return [...chain];
}

function computeChain(tag: string | null | undefined, extra: Record<string, readonly string[]>): string[] {
  const canonical = canonicalLocale(tag);
  if (!canonical) return ['en'];
  const chain: string[] = [];
  const add = (t: string | null | undefined): void => {
    if (t && !chain.includes(t)) chain.push(t);
  };
  const locale = new Intl.Locale(canonical);
  const max = maximize(canonical);
  const lang = locale.language;
  const script = locale.script ?? max?.script;
  // The tag and its truncations (drop extensions, variants, region).
  add(canonical);
  const base = locale.baseName;
  const parts = base.split('-');
  for (let n = parts.length - 1; n >= 1; n--) {
    const shorter = parts.slice(0, n).join('-');
    // `sr` alone means Cyrillic: only a Cyrillic reader falls back to the bare tag.
    if (n === 1 && script && maximize(shorter)?.script !== script) continue;
    add(shorter);
  }
  if (script) {
    add(`${lang}-${script}`);
    if (maximize(lang)?.script === script) add(lang);
  }
  const keys = [canonical, base, script ? `${lang}-${script}` : undefined, lang].filter((k): k is string => !!k);
  // Configured chains win over the built-in table; `cnr` is canonicalised to sr-ME, so keep the old key too.
  for (const key of keys) for (const t of extra[key] ?? []) add(t);
  const related = keys.map((k) => RELATED_LANGUAGES[k]).find((r) => r !== undefined) ?? [];
  for (const t of related) add(t);
  add('en');
  return chain;
}

/** The content languages a UI locale reads, best first (the web's and e-mails' fallback). */
export function contentFallbacks(locale: string): string[] {
  return fallbackChain(locale);
}

/**
 * The first language of `available` that a reader with these preferences reads: every
 * preference's chain without the final English first (so a profile in an unoffered language
 * does not hide an Accept-Language that is offered), then English, then `otherwise`.
 */
export function pickFromChains(preferences: ReadonlyArray<string | null | undefined>, available: readonly string[], otherwise: string): string {
  const byLower = new Map(available.map((a) => [a.toLowerCase(), a]));
  for (const pref of preferences) {
    if (!pref) continue;
    const chain = fallbackChain(pref);
    const own = canonicalLocale(pref)?.startsWith('en') ? chain : chain.slice(0, -1);
    for (const t of own) {
      const hit = byLower.get(t.toLowerCase());
      if (hit) return hit;
    }
  }
  return byLower.get('en') ?? otherwise;
}

/** The text of a language map for a reader of `locale` (its chain), else the default language, else any. */
export function textInChain(map: Readonly<Record<string, string>> | null | undefined, locale: string | null | undefined, defaultLanguage?: string): string {
  if (!map) return '';
  for (const t of fallbackChain(locale)) if (typeof map[t] === 'string') return map[t];
  if (defaultLanguage && typeof map[defaultLanguage] === 'string') return map[defaultLanguage];
  return Object.values(map)[0] ?? '';
}

/** Language ranges of an Accept-Language header (RFC 9110), best first; `*`, q=0 and junk dropped. */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((x) => x.tag && x.tag !== '*' && Number.isFinite(x.q) && x.q > 0 && canonicalLocale(x.tag) !== null)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((x) => canonicalLocale(x.tag) as string);
}

/** The UI locale for a list of preferences (profile, cookie, Accept-Language…) among the configured ones. */
export function negotiateUiLocale(preferences: ReadonlyArray<string | null | undefined>, configured: readonly string[] = SHIPPED_UI_LOCALES): UiLocale {
  const offered = configured.filter((l): l is UiLocale => isUiLocale(l));
  return pickFromChains(preferences, offered, 'en') as UiLocale;
}

/** Accept-Language → UI locale: `sr` and `sr-RS` read as Cyrillic, `sr-Latn-*`, `hr`, `bs`, `cnr` as Latin. */
export function fromAcceptLanguage(header: string | undefined, configured: readonly string[] = SHIPPED_UI_LOCALES): UiLocale | undefined {
  const prefs = parseAcceptLanguage(header);
  if (!prefs.length) return undefined;
  const offered = configured.filter((l): l is UiLocale => isUiLocale(l));
  const byLower = new Map(offered.map((a) => [a.toLowerCase(), a]));
  for (const pref of prefs) {
    const chain = fallbackChain(pref);
    const own = pref.startsWith('en') ? chain : chain.slice(0, -1);
    for (const t of own) {
      const hit = byLower.get(t.toLowerCase());
      if (hit) return hit;
    }
  }
  return undefined;
}

/** The shipped UI locale whose texts (e-mail, certificates) serve a person of `locale`. */
export function uiLocaleFor(locale: string | null | undefined, configured: readonly string[] = SHIPPED_UI_LOCALES): UiLocale {
  return negotiateUiLocale([locale], configured);
}
