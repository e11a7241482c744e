import { icuLatinToCyrillic, latinToCyrillic } from './transliterate.js';

describe('Serbian Latin → Cyrillic', () => {
  it.each([
    ['ljubav', 'љубав'],
    ['njegov', 'његов'],
    ['džep', 'џеп'],
    ['Ljubljana', 'Љубљана'],
    ['Njegoš', 'Његош'],
    ['Džordž', 'Џорџ'],
    ['injekcija', 'инјекција'],
    ['konjunkcija', 'конјункција'],
    ['nadživeti', 'надживети'],
    ['Učenje u javnoj službi', 'Учење у јавној служби'],
    ['Đurđevdan ćevapi', 'Ђурђевдан ћевапи'],
  ])('%s → %s', (latin, cyrillic) => {
    expect(latinToCyrillic(latin)).toBe(cyrillic);
  });

  it('leaves acronyms, foreign words, URLs, e-mail addresses, digits and protected names alone', () => {
    expect(latinToCyrillic('Preuzmi PDF ili CSV')).toBe('Преузми PDF или CSV');
    expect(latinToCyrillic('veza https://lms.example.org/verify/abc i adresa ana@uprava.gov.rs')).toBe(
      'веза https://lms.example.org/verify/abc и адреса ana@uprava.gov.rs',
    );
    expect(latinToCyrillic('sertifikat (Open Badges 3.0) i wiki', ['Open Badges'])).toBe('сертификат (Open Badges 3.0) и wiki');
  });

  it('converts only the literal text of ICU messages', () => {
    expect(icuLatinToCyrillic('Imate {count, plural, one {# kurs} few {# kursa} other {# kurseva}}.')).toBe(
      'Имате {count, plural, one {# курс} few {# курса} other {# курсева}}.',
    );
    expect(icuLatinToCyrillic('Rok: {date}')).toBe('Рок: {date}');
    expect(icuLatinToCyrillic('Završeno {percent, number}%')).toBe('Завршено {percent, number}%');
    expect(icuLatinToCyrillic('{count, plural, =0 {Nema kurseva.} one {# kurs} other {# kurseva}}')).toBe(
      '{count, plural, =0 {Нема курсева.} one {# курс} other {# курсева}}',
    );
  });
});
