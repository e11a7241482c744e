import {
  canonicalLocale,
  fallbackChain,
  fromAcceptLanguage,
  negotiateUiLocale,
  parseAcceptLanguage,
  parseFallbackConfig,
  pickFromChains,
  textInChain,
} from './locale.js';

describe('language tags', () => {
  it('canonicalises valid BCP 47 tags and rejects the rest', () => {
    expect(canonicalLocale('SR-latn-rs')).toBe('sr-Latn-RS');
    expect(canonicalLocale('mk')).toBe('mk');
    expect(canonicalLocale('sh')).toBe('sr-Latn');
    expect(canonicalLocale('de-DE-u-co-phonebk')).toBe('de-DE-u-co-phonebk');
    for (const bad of ['', '*', 'en_US', 'i-klingon', 'xx-yy-zz', 'a'.repeat(70), 'en; DROP', 42]) expect(canonicalLocale(bad)).toBeNull();
  });

  it('derives fallback chains from the tag', () => {
    expect(fallbackChain('sr-Cyrl-RS')).toEqual(['sr-Cyrl-RS', 'sr-Cyrl', 'sr', 'sr-Latn', 'en']);
    expect(fallbackChain('sr-RS')).toEqual(['sr-RS', 'sr', 'sr-Cyrl', 'sr-Latn', 'en']);
    expect(fallbackChain('sr-Latn')).toEqual(['sr-Latn', 'sr-Cyrl', 'en']);
    expect(fallbackChain('cnr')).toEqual(['sr-ME', 'sr-Latn', 'en']);
    expect(fallbackChain('hr')).toEqual(['hr', 'hr-Latn', 'sr-Latn', 'en']);
    expect(fallbackChain('bs')).toEqual(['bs', 'bs-Latn', 'sr-Latn', 'en']);
    expect(fallbackChain('mk')).toEqual(['mk', 'mk-Cyrl', 'en']);
    expect(fallbackChain('en-US')).toEqual(['en-US', 'en', 'en-Latn']);
    expect(fallbackChain('not a tag')).toEqual(['en']);
  });

  it('takes configured fallbacks before the built-in ones', () => {
    const table = parseFallbackConfig('sl=hr,sr-Latn; mk=sr-Cyrl');
    expect(table).toEqual({ sl: ['hr', 'sr-Latn'], mk: ['sr-Cyrl'] });
    expect(fallbackChain('sl', table)).toEqual(['sl', 'sl-Latn', 'hr', 'sr-Latn', 'en']);
    expect(fallbackChain('mk', table)).toEqual(['mk', 'mk-Cyrl', 'sr-Cyrl', 'en']);
    expect(() => parseFallbackConfig('sl=not_a_tag')).toThrow('not_a_tag');
  });

  it('picks a content language through the chains, English only after every preference', () => {
    const langs = ['en', 'sr-Latn', 'sr-Cyrl'];
    expect(pickFromChains([undefined, 'sr-Cyrl', 'en'], langs, 'en')).toBe('sr-Cyrl');
    expect(pickFromChains(['fr', 'sr-RS'], langs, 'en')).toBe('sr-Cyrl');
    expect(pickFromChains(['hr'], langs, 'en')).toBe('sr-Latn');
    expect(pickFromChains(['sr-Cyrl'], ['en', 'sr-Latn'], 'en')).toBe('sr-Latn');
    expect(pickFromChains(['mk'], langs, 'en')).toBe('en');
    expect(pickFromChains(['fr'], ['sr-Latn'], 'sr-Latn')).toBe('sr-Latn');
  });

  it('reads text maps through the chain', () => {
    expect(textInChain({ en: 'Hello', 'sr-Latn': 'Zdravo' }, 'sr-Cyrl-RS', 'en')).toBe('Zdravo');
    expect(textInChain({ en: 'Hello', mk: 'Здраво' }, 'mk', 'en')).toBe('Здраво');
    expect(textInChain({ 'sr-Latn': 'Zdravo' }, 'mk', 'sr-Latn')).toBe('Zdravo');
  });

  it('negotiates the UI locale among the configured ones', () => {
    expect(parseAcceptLanguage('en;q=0.5, sr-Cyrl, de;q=0, sr-Latn;q=0.8, *')).toEqual(['sr-Cyrl', 'sr-Latn', 'en']);
    expect(fromAcceptLanguage('sr-RS,sr;q=0.9')).toBe('sr-Cyrl');
    expect(fromAcceptLanguage('hr-HR')).toBe('sr-Latn');
    expect(fromAcceptLanguage('mk-MK,mk;q=0.9,en;q=0.5')).toBe('mk');
    expect(fromAcceptLanguage('mk', ['en', 'sr-Latn'])).toBeUndefined();
    expect(fromAcceptLanguage('de')).toBeUndefined();
    expect(negotiateUiLocale(['fr', undefined, 'sr-Latn'])).toBe('sr-Latn');
    expect(negotiateUiLocale(['sr-Cyrl'], ['en', 'sr-Latn'])).toBe('sr-Latn');
    expect(negotiateUiLocale(['de'])).toBe('en');
  });
});
