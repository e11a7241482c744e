import { IntlMessageFormat } from 'intl-messageformat';
import { CATALOGS, negotiateLocale, Translator } from './i18n.js';
import { en } from './messages/en.js';

type AstNode = { type: number; value?: unknown; options?: Record<string, { value: AstNode[] }>; children?: AstNode[] };

/**
 * A value for every argument of a message, from its parsed form (the English one, which every
 * translation must match): numbers for plural and number arguments, dates for date and time ones,
 * text otherwise — so a new message needs no edit here, and a translation that names an argument
 * the English does not have fails to format.
 */
function sampleValues(ast: AstNode[], values: Record<string, string | number | Date> = {}): Record<string, string | number | Date> {
  for (const node of ast) {
    // Types of @formatjs/icu-messageformat-parser: 1 argument, 2 number, 3 date, 4 time, 5 select, 6 plural, 8 tag.
    if (typeof node.value === 'string' && [1, 2, 3, 4, 5, 6].includes(node.type)) {
      values[node.value] = node.type === 2 || node.type === 6 ? 2 : node.type === 3 || node.type === 4 ? new Date('2026-12-07T10:00:00Z') : 'x';
    }
    for (const option of Object.values(node.options ?? {})) sampleValues(option.value, values);
    if (node.children) sampleValues(node.children, values);
  }
  return values;
}

describe('message catalogs', () => {
  it('every locale has every key, and every message compiles and formats', () => {
    const keys = Object.keys(en).sort();
    for (const [locale, catalog] of Object.entries(CATALOGS)) {
      expect(Object.keys(catalog).sort()).toEqual(keys);
      for (const [key, message] of Object.entries(catalog)) {
        expect(() => new IntlMessageFormat(message, locale).format(sampleValues(new IntlMessageFormat(en[key as keyof typeof en], 'en').getAst()))).not.toThrow();
        expect(typeof key).toBe('string');
      }
    }
  });

  it('Serbian plurals take their three forms, in both scripts', () => {
    const cyr = new Translator('sr-Cyrl');
    expect([1, 2, 5, 21, 22, 25, 11].map((count) => cyr.t('home.count', { count }))).toEqual([
      'Имате 1 курс.',
      'Имате 2 курса.',
      'Имате 5 курсева.',
      'Имате 21 курс.',
      'Имате 22 курса.',
      'Имате 25 курсева.',
      'Имате 11 курсева.',
    ]);
    const lat = new Translator('sr-Latn');
    expect(lat.t('home.count', { count: 3 })).toBe('Imate 3 kursa.');
    expect(new Translator('en').t('home.count', { count: 1 })).toBe('You have 1 course.');
  });

  it('Macedonian plurals: one for 1, 21 (not 11), other otherwise', () => {
    const mk = new Translator('mk');
    expect([1, 2, 11, 21].map((count) => mk.t('home.count', { count }))).toEqual(['Имате 1 курс.', 'Имате 2 курсеви.', 'Имате 11 курсеви.', 'Имате 21 курс.']);
    expect(mk.date(new Date('2026-03-09T12:00:00Z'))).toMatch(/^9 март 2026/);
  });

  it('the Cyrillic catalog is wholly Cyrillic apart from arguments, acronyms and protected names', () => {
    for (const message of Object.values(CATALOGS['sr-Cyrl'])) {
      const text = message
        .replace(/\{\s*\w+\s*(,\s*\w+\s*)?,?/g, '')
        .replace(/\b(one|few|other)\b|=0/g, '')
        // File formats, size units and the https:// scheme stay in Latin letters (the transliterator keeps them).
        .replace(/Open Badges|PDF|CSV|JWKS|JSON|QR|xAPI|LRS|SCIM|API|MB|KB|ODT|DOCX|PNG|JPEG|https:\/\//g, '');
      expect(text).not.toMatch(/[A-Za-zčćšžđČĆŠŽĐ]{2,}/);
    }
  });

  it('dates follow the person time zone and locale', () => {
    const at = new Date('2026-03-09T23:30:00Z');
    expect(new Translator('en', 'Europe/Belgrade').date(at)).toBe('10 March 2026');
    expect(new Translator('sr-Latn', 'Europe/Belgrade').date(at)).toMatch(/^10\. mart 2026/);
    expect(new Translator('sr-Cyrl', 'UTC').date(at)).toMatch(/^9\. март 2026/);
  });

  it('negotiates: profile, then cookie, then Accept-Language, then English', () => {
    expect(negotiateLocale('sr-Latn', 'en', 'sr')).toBe('sr-Latn');
    expect(negotiateLocale(undefined, 'sr-Cyrl', 'en')).toBe('sr-Cyrl');
    expect(negotiateLocale(undefined, undefined, 'de-DE,sr-Latn-RS;q=0.8,en;q=0.5')).toBe('sr-Latn');
    expect(negotiateLocale(undefined, undefined, 'sr-RS,sr;q=0.9')).toBe('sr-Cyrl');
    expect(negotiateLocale(undefined, undefined, 'hr-HR')).toBe('sr-Latn');
    expect(negotiateLocale(undefined, undefined, 'de')).toBe('en');
    expect(negotiateLocale(null, 'xx', undefined)).toBe('en');
    expect(negotiateLocale(undefined, undefined, 'mk-MK,mk;q=0.9')).toBe('mk');
    expect(negotiateLocale('mk', undefined, undefined, ['en', 'sr-Latn'])).toBe('en');
    expect(negotiateLocale('hr', undefined, 'en')).toBe('sr-Latn');
  });
});
