import { IntlMessageFormat } from 'intl-messageformat';
import { CATALOGS, negotiateLocale, Translator } from './i18n.js';
import { en } from './messages/en.js';

describe('message catalogs', () => {
  it('every locale has every key, and every message compiles and formats', () => {
    const keys = Object.keys(en).sort();
    for (const [locale, catalog] of Object.entries(CATALOGS)) {
      expect(Object.keys(catalog).sort()).toEqual(keys);
      for (const [key, message] of Object.entries(catalog)) {
        expect(() => new IntlMessageFormat(message, locale).format({ count: 2, n: 1, minutes: 5, name: 'x', date: 'd', percent: 1, seconds: 3, min: 5, page: 1, pages: 2, passMark: 70, score: 80, level: 2, position: 1, version: 1, questionCount: 3, title: 't', course: 'c', wanted: 'w', shown: 's', school: 's', role: 'r', serial: 's', ref: 'r', message: 'm', size: '1 kB', dimension: 'd', kind: 'k', max: 256, email: 'e' , area: 'a', label: 'l', rate: '50%', overdue: 2, completed: 1, enrolled: 2, unit: 'u', from: 0, to: 19, meeting: 1, required: 2, people: 2, created: 2, noCourse: 1, sent: 2, skipped: 1, days: 3, person: 'p', example: 'e', type: 't', job: 'j', direct: 1, expiring: 1, manager: 'm', optional: 'o', language: 'l', slug: 's', lesson: 'l', available: 2, capacity: 20, partners: 'p', zone: 'UTC', booked: 1, waitlisted: 1, pending: 1, mean: 4.2, institution: 'i', text: 't', list: 'l'})).not.toThrow();
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
        .replace(/Open Badges|PDF|CSV|JWKS|JSON|QR|xAPI|LRS|API/g, '');
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
