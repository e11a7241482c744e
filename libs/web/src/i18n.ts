import { IntlMessageFormat } from 'intl-messageformat';
import { contentFallbacks, icuLatinToCyrillic, INTL_TAGS, negotiateUiLocale, parseAcceptLanguage, SHIPPED_UI_LOCALES, UI_LOCALES } from '@lms/i18n';
import type { UiLocale } from '@lms/i18n';
import type { LocalisedText, ProblemTranslator } from '@lms/platform';
import { en } from './messages/en.js';
import type { Catalog, MessageKey } from './messages/en.js';
import { mk } from './messages/mk.js';
import { srLatn } from './messages/sr-Latn.js';

function cyrillicCatalog(latin: Catalog): Catalog {
  // Names that stay in Latin letters (Open Badges…) are in libs/i18n's KEEP_LATIN.
  return Object.fromEntries(Object.entries(latin).map(([k, v]) => [k, icuLatinToCyrillic(v)])) as Catalog;
}

/** Every catalog; Serbian Cyrillic is generated from Serbian Latin, so the two never drift. */
export const CATALOGS: Record<UiLocale, Catalog> = { en, 'sr-Latn': srLatn, 'sr-Cyrl': cyrillicCatalog(srLatn), mk };

type Values = Record<string, string | number | Date>;

const compiled = new Map<string, IntlMessageFormat>();

/**
 * Intl formatters by (kind, locale, options, time zone): creating one costs 35–175 µs (measured on
 * the development machine under load), formatting with a kept one about 1 µs, and a page formats
 * dozens of dates and numbers. Bounded: emptied when it holds more than 2,000 (time zones vary per person).
 */
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.DisplayNames>();
function formatter<F extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.DisplayNames>(key: string, make: () => F): F {
  let f = formatters.get(key) as F | undefined;
  if (!f) {
    if (formatters.size >= 2_000) formatters.clear();
    f = make();
    formatters.set(key, f);
  }
  return f;
}

/** One request's language: ICU messages, dates in the person's time zone, numbers, byte sizes. */
export class Translator {
  readonly intlTag: string;
  readonly contentLanguages: string[];

  constructor(
    readonly locale: UiLocale,
    readonly timeZone: string = 'Europe/Belgrade',
  ) {
    this.intlTag = INTL_TAGS[locale];
    this.contentLanguages = contentFallbacks(locale);
  }

  t(key: MessageKey, values?: Values): string {
    const cacheKey = `${this.locale}\u0000${key}`;
    let format = compiled.get(cacheKey);
    if (!format) {
      format = new IntlMessageFormat(CATALOGS[this.locale][key], this.intlTag);
      compiled.set(cacheKey, format);
    }
    return String(format.format(values));
  }

  date(value: Date | string, withTime = false): string {
    const d = typeof value === 'string' ? new Date(value) : value;
    return formatter(`date\u0000${this.intlTag}\u0000${this.timeZone}\u0000${withTime}`, () =>
      new Intl.DateTimeFormat(this.intlTag, {
        dateStyle: 'long',
        ...(withTime ? { timeStyle: 'short' } : {}),
        timeZone: this.timeZone,
      }),
    ).format(d);
  }

  /** ISO date (YYYY-MM-DD) in the person's zone, for <time datetime>. */
  isoDate(value: Date | string): string {
    const d = typeof value === 'string' ? new Date(value) : value;
    return formatter(`iso\u0000${this.timeZone}`, () => new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: this.timeZone })).format(d);
  }

  number(value: number, options?: Intl.NumberFormatOptions): string {
    return formatter(`number\u0000${this.intlTag}\u0000${options ? JSON.stringify(options) : ''}`, () => new Intl.NumberFormat(this.intlTag, options)).format(value);
  }

  bytes(n: number): string {
    if (n < 1024) return this.number(n, { style: 'unit', unit: 'byte', unitDisplay: 'short' });
    if (n < 1024 * 1024) return this.number(n / 1024, { style: 'unit', unit: 'kilobyte', unitDisplay: 'short', maximumFractionDigits: 0 });
    return this.number(n / 1024 / 1024, { style: 'unit', unit: 'megabyte', unitDisplay: 'short', maximumFractionDigits: 1 });
  }

  /**
   * What a domain error (or one of its field errors) says, in this language: from the catalogs by
   * its key (`problem.<key>`), else its English text.
   */
  problem(e: { message: string; localised?: LocalisedText }): string {
    if (!e.localised || this.locale === 'en') return e.message;
    return wordProblem(this, e.localised.key, e.localised.args) ?? e.message;
  }

  /** The name of a language tag in the reader's language ("Serbian (Cyrillic)"). */
  languageName(tag: string): string {
    try {
      return formatter(`language\u0000${this.intlTag}`, () => new Intl.DisplayNames([this.intlTag], { type: 'language' })).of(tag) ?? tag;
    } catch {
      return tag;
    }
  }
}

/**
 * The locale of a request among the configured ones: the person's profile, then the language
 * cookie, then Accept-Language, each along its fallback chain (a profile
 * in `hr` reads Serbian Latin), then English.
 */
export function negotiateLocale(
  profile: string | null | undefined,
  cookie: string | undefined,
  acceptLanguage: string | undefined,
  configured: readonly string[] = SHIPPED_UI_LOCALES,
): UiLocale {
  return negotiateUiLocale([profile, cookie, ...parseAcceptLanguage(acceptLanguage)], configured);
}

export { UI_LOCALES };
export type { MessageKey };

/**
 * Words a domain message (a key of `defineMessages`, or `notFound.<noun>`) from the catalogs'
 * `problem.<key>`: the problem filter's translator, so problem+json answers in the caller's language.
 * Undefined when the catalogs have no such key or the arguments do not fit (the English stays).
 */
export const problemTranslator: ProblemTranslator = (locale, key, args) => wordProblem(new Translator(locale), key, args);

function wordProblem(t: Translator, key: string, args: Record<string, string | number>): string | undefined {
  const catalogKey = `problem.${key}`;
  if (!Object.hasOwn(en, catalogKey)) return undefined;
  try {
    return t.t(catalogKey as MessageKey, args);
  } catch {
    return undefined;
  }
}
