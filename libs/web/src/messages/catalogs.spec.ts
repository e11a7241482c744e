import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { INTL_TAGS, SHIPPED_UI_LOCALES } from '@lms/i18n';
import { CATALOGS } from '../i18n.js';
import { en } from './en.js';
import { mk } from './mk.js';

/** Every plural/selectordinal element of a parsed message, with the options it gives. */
function plurals(elements: MessageFormatElement[], out: Array<{ ordinal: boolean; options: string[] }> = []): Array<{ ordinal: boolean; options: string[] }> {
  for (const el of elements) {
    if (el.type === TYPE.plural) {
      out.push({ ordinal: el.pluralType === 'ordinal', options: Object.keys(el.options) });
      for (const o of Object.values(el.options)) plurals(o.value, out);
    } else if (el.type === TYPE.select) {
      for (const o of Object.values(el.options)) plurals(o.value, out);
    } else if (el.type === TYPE.tag) {
      plurals(el.children, out);
    }
  }
  return out;
}

/** The CI check of the UI catalogs: every key in every shipped locale, ICU that parses, plural forms of CLDR. */
describe('shipped UI catalogs', () => {
  const keys = Object.keys(en).sort();

  it.each(SHIPPED_UI_LOCALES.map((l) => [l]))('%s has every key of the English catalog and no other', (locale) => {
    expect(Object.keys(CATALOGS[locale]).sort()).toEqual(keys);
    for (const [key, message] of Object.entries(CATALOGS[locale])) expect({ key, empty: message.trim() === '' }).toEqual({ key, empty: false });
  });

  it.each(SHIPPED_UI_LOCALES.map((l) => [l]))('%s: every plural gives exactly the CLDR categories of the language, and other', (locale) => {
    const cardinal = new Intl.PluralRules(INTL_TAGS[locale]).resolvedOptions().pluralCategories as string[];
    const ordinal = new Intl.PluralRules(INTL_TAGS[locale], { type: 'ordinal' }).resolvedOptions().pluralCategories as string[];
    const problems: string[] = [];
    for (const [key, message] of Object.entries(CATALOGS[locale])) {
      for (const p of plurals(parse(message))) {
        const categories = p.ordinal ? ordinal : cardinal;
        const given = p.options.filter((o) => !o.startsWith('='));
        const unknown = given.filter((o) => !categories.includes(o));
        const missing = categories.filter((c) => !given.includes(c));
        if (unknown.length || missing.length) problems.push(`${key}: unknown ${unknown.join(',') || '-'}, missing ${missing.join(',') || '-'}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the same arguments in every locale as in English', () => {
    const args = (message: string): string[] => {
      const names = new Set<string>();
      const walk = (els: MessageFormatElement[]): void => {
        for (const el of els) {
          if ('value' in el && typeof el.value === 'string' && el.type !== TYPE.literal) names.add(el.value);
          if (el.type === TYPE.plural || el.type === TYPE.select) for (const o of Object.values(el.options)) walk(o.value);
          if (el.type === TYPE.tag) walk(el.children);
        }
      };
      walk(parse(message));
      return [...names].sort();
    };
    const problems: string[] = [];
    for (const locale of SHIPPED_UI_LOCALES)
      for (const key of keys) {
        const want = args(en[key as keyof typeof en]);
        const got = args(CATALOGS[locale][key as keyof typeof en]);
        if (want.join() !== got.join()) problems.push(`${locale} ${key}: ${got.join()} instead of ${want.join()}`);
      }
    expect(problems).toEqual([]);
  });
  /**
   * Macedonian is written by hand, so a key copied from English (a fallback, a forgotten string)
   * would pass the key check above. Every Macedonian message must differ from the English one and
   * contain Cyrillic text, except the few that are names, acronyms or pure formats in every language.
   */
  it('mk is translated: no message is the English one, and every message reads in Cyrillic', () => {
    const sameInEveryLanguage = new Set(['console.import.csv', 'console.gaps.band', 'console.analytics.chartItem']);
    const cyrillic = /\p{Script=Cyrillic}/u;
    const problems: string[] = [];
    for (const key of keys) {
      if (sameInEveryLanguage.has(key)) continue;
      const value = mk[key as keyof typeof mk];
      if (value === en[key as keyof typeof en]) problems.push(`${key}: the English text`);
      else if (!cyrillic.test(value)) problems.push(`${key}: no Cyrillic text`);
    }
    expect(problems).toEqual([]);
  });
});
