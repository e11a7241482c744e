import { localisedName } from './localised-name.js';

describe('localisedName', () => {
  const names = { en: 'School of Public Administration', 'sr-Latn': 'Škola za javnu upravu i digitalizaciju', mk: 'Школа за јавна администрација' };

  it('follows the reader fallback chain, writing Serbian in the reader script', () => {
    expect(localisedName(names, 'sr-Cyrl')).toBe('Школа за јавну управу и дигитализацију');
    expect(localisedName(names, 'sr-RS')).toBe('Школа за јавну управу и дигитализацију');
    expect(localisedName(names, 'sr-Latn-RS')).toBe('Škola za javnu upravu i digitalizaciju');
    expect(localisedName(names, 'bs-Cyrl')).toBe('Школа за јавну управу и дигитализацију');
    expect(localisedName(names, 'mk')).toBe('Школа за јавна администрација');
    expect(localisedName(names, 'de')).toBe('School of Public Administration');
    expect(localisedName({ 'sr-Cyrl': 'Школа' }, 'sr-Latn')).toBe('Škola');
  });

  it('falls back to "*", else undefined (the caller keeps its own default)', () => {
    expect(localisedName({ mk: 'Школа', '*': 'Academy' }, 'de')).toBe('Academy');
    expect(localisedName({ mk: 'Школа' }, 'de')).toBeUndefined();
    expect(localisedName(undefined, 'mk')).toBeUndefined();
  });
});
