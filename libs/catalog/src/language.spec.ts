import { parseAcceptLanguage, pickLanguage, textIn } from './language.js';

describe('language choice', () => {
  it('parses Accept-Language by quality', () => {
    expect(parseAcceptLanguage('en;q=0.5, sr-Cyrl, de;q=0, sr-Latn;q=0.8')).toEqual(['sr-Cyrl', 'sr-Latn', 'en']);
    expect(parseAcceptLanguage(undefined)).toEqual([]);
    expect(parseAcceptLanguage('*, <script>')).toEqual([]);
  });

  it('picks the first preferred language the course has along its fallback chain, then English, then the default', () => {
    const langs = ['en', 'sr-Latn', 'sr-Cyrl'];
    expect(pickLanguage([undefined, 'sr-Cyrl', 'en'], langs, 'en')).toBe('sr-Cyrl');
    expect(pickLanguage(['fr', 'sr-RS'], langs, 'en')).toBe('sr-Cyrl');
    expect(pickLanguage(['hr'], langs, 'en')).toBe('sr-Latn');
    expect(pickLanguage(['sr-Cyrl-RS'], ['en', 'sr-Latn'], 'en')).toBe('sr-Latn');
    expect(pickLanguage(['mk'], ['sr-Latn', 'mk'], 'sr-Latn')).toBe('mk');
    expect(pickLanguage(['mk'], ['sr-Latn', 'sr-Cyrl'], 'sr-Latn')).toBe('sr-Latn');
    expect(pickLanguage(['sr-Cyrl'], ['en'], 'en')).toBe('en');
    expect(pickLanguage(['SR-LATN'], langs, 'en')).toBe('sr-Latn');
  });

  it('falls back to the default language text', () => {
    expect(textIn({ en: 'Hello', 'sr-Latn': 'Zdravo' }, 'sr-Cyrl', 'en')).toBe('Hello');
    expect(textIn({ en: 'Hello', 'sr-Latn': 'Zdravo' }, 'sr-Latn', 'en')).toBe('Zdravo');
  });
});
