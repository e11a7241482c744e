import { normaliseForSearch, prefixTsQuery, searchTerms } from './search-text.js';

describe('normaliseForSearch', () => {
  it('transliterates Serbian Cyrillic and strips diacritics so both scripts meet', () => {
    expect(normaliseForSearch('Вештачка интелигенција')).toBe('vestacka inteligencija');
    expect(normaliseForSearch('Veštačka INTELIGENCIJA')).toBe('vestacka inteligencija');
    expect(normaliseForSearch('vestacka')).toBe('vestacka');
  });

  it('maps the Serbian digraph letters and đ/ђ to plain Latin', () => {
    expect(normaliseForSearch('Љубав њива џеп Ђурђевдан')).toBe('ljubav njiva dzep djurdjevdan');
    expect(normaliseForSearch('čćšžđ ČĆŠŽĐ')).toBe('ccszdj ccszdj');
    expect(normaliseForSearch('Džamija žena')).toBe('dzamija zena');
  });

  it('turns punctuation into single spaces', () => {
    expect(normaliseForSearch('  „Zaštita“ — podataka!\n(GDPR) ')).toBe('zastita podataka gdpr');
  });
});

describe('prefixTsQuery', () => {
  it('builds an AND of prefix terms from a normalised query', () => {
    expect(prefixTsQuery('Заштита подат')).toBe('zastita:* & podat:*');
    expect(searchTerms("a'); DROP TABLE x; --")).toEqual(['a', 'drop', 'table', 'x']);
  });

  it('returns null when nothing searchable is left', () => {
    expect(prefixTsQuery(' !!! — ')).toBeNull();
  });
});
