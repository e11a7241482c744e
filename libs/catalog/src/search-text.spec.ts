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

  it('finds the same word in Cyrillic, Latin with and without diacritics', () => {
    const want = 'cirilica';
    for (const q of ['ћирилица', 'ćirilica', 'cirilica', 'ĆIRILICA']) expect(normaliseForSearch(q)).toBe(want);
  });

  it('folds Macedonian letters as its romanisation without accents', () => {
    expect(normaliseForSearch('Ѓорѓи ќе ѕвезда џеб љубов њива јас')).toBe('gorgi ke dzvezda dzeb ljubov njiva jas');
    expect(normaliseForSearch('Ǵorǵi ḱe dzvezda')).toBe('gorgi ke dzvezda');
    expect(normaliseForSearch('сѐ што ѝ треба')).toBe('se sto i treba');
    expect(normaliseForSearch('Вештачка интелигенција во јавната администрација')).toBe('vestacka inteligencija vo javnata administracija');
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
