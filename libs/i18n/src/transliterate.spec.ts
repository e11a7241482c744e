import { cyrillicToLatin, icuLatinToCyrillic, latinToCyrillic, transliterateMarkdown } from './transliterate.js';

/**
 * The hard cases of Serbian digraphia: digraphs that are one letter, pairs that are two (a prefix
 * meeting a root), capitals, abbreviations. Every pair must convert both ways.
 */
const HARD_CASES: Array<[string, string]> = [
  ['ljubav', 'љубав'],
  ['njiva', 'њива'],
  ['džep', 'џеп'],
  ['Džon', 'Џон'],
  ['Ljubljana', 'Љубљана'],
  ['Njegoš', 'Његош'],
  ['Džordž', 'Џорџ'],
  ['LJUBAV', 'ЉУБАВ'],
  ['injekcija', 'инјекција'],
  ['Injekcija', 'Инјекција'],
  ['konjunkcija', 'конјункција'],
  ['konjugacija', 'конјугација'],
  ['vanjezički', 'ванјезички'],
  ['nadživeti', 'надживети'],
  ['nadživljavati', 'надживљавати'],
  ['podžupan', 'поджупан'],
  ['podžanr', 'поджанр'],
  ['predžetveni', 'преджетвени'],
  ['odžaliti', 'оджалити'],
  ['odžak', 'оџак'],
  ['budžet', 'буџет'],
  ['svedočanstvo', 'сведочанство'],
  ['Učenje u javnoj službi', 'Учење у јавној служби'],
  ['Đurđevdan ćevapi', 'Ђурђевдан ћевапи'],
  ['pravo na zaštitu podataka o ličnosti', 'право на заштиту података о личности'],
  ['VI u EU i JMBG', 'ВИ у ЕУ и ЈМБГ'],
];

describe('Serbian Latin ↔ Cyrillic', () => {
  it.each(HARD_CASES)('%s → %s and back', (latin, cyrillic) => {
    expect(latinToCyrillic(latin)).toBe(cyrillic);
    expect(cyrillicToLatin(cyrillic)).toBe(latin);
  });

  it('leaves acronyms, foreign words, URLs, e-mail addresses, digits and protected names alone', () => {
    expect(latinToCyrillic('Preuzmi PDF ili CSV')).toBe('Преузми PDF или CSV');
    expect(latinToCyrillic('veza https://lms.example.org/verify/abc i adresa ana@uprava.gov.rs')).toBe(
      'веза https://lms.example.org/verify/abc и адреса ana@uprava.gov.rs',
    );
    expect(latinToCyrillic('sertifikat (Open Badges 3.0) i wiki')).toBe('сертификат (Open Badges 3.0) и wiki');
    expect(latinToCyrillic('ChatGPT, GitHub, UNESCO i Moodle', ['Moodle'])).toBe('ChatGPT, GitHub, UNESCO и Moodle');
    expect(latinToCyrillic('Müller i Zoë')).toBe('Müller и Zoë');
    expect(cyrillicToLatin('Преузми PDF у ChatGPT-у, Open Badges 3.0')).toBe('Preuzmi PDF u ChatGPT-u, Open Badges 3.0');
  });

  it('keeps the Serbian length mark, Serbian acronyms in Cyrillic, and protected foreign terms whole', () => {
    expect(latinToCyrillic('kôd')).toBe('ко\u0302д');
    expect(cyrillicToLatin(latinToCyrillic('Prevod propisa u kôd'))).toBe('Prevod propisa u kôd');
    expect(latinToCyrillic('IT služba i IKT')).toBe('ИТ служба и ИКТ');
    expect(latinToCyrillic('Kancelarija za IT i eUpravu; ChatGPT')).toBe('Канцеларија за ИТ и еУправу; ChatGPT');
    expect(latinToCyrillic('javne Wi-Fi mreže')).toBe('јавне Wi-Fi мреже');
    expect(latinToCyrillic('prevara (business email compromise, CEO fraud)')).toBe('превара (business email compromise, CEO fraud)');
  });

  it('converts only the prose of Markdown', () => {
    const md = [
      '---',
      'title: "Džep i njiva"',
      'minutes: 20',
      'required: true',
      '---',
      '## Ljubav prema `kodu` i <abbr title="x">HTML</abbr>',
      '',
      'Vidi [ovu stranicu](https://example.org/džep "naslov") i [drugu][ref], <https://x.rs/nj>, &nbsp; kraj.',
      '',
      '```js',
      'const džep = "njiva";',
      '```',
      '',
      '[ref]: https://example.org/ljubav',
    ].join('\n');
    const cyr = transliterateMarkdown(md, 'sr-Cyrl');
    expect(cyr).toBe(
      [
        '---',
        'title: "Џеп и њива"',
        'minutes: 20',
        'required: true',
        '---',
        '## Љубав према `kodu` и <abbr title="x">HTML</abbr>',
        '',
        'Види [ову страницу](https://example.org/džep "наслов") и [другу][ref], <https://x.rs/nj>, &nbsp; крај.',
        '',
        '```js',
        'const džep = "njiva";',
        '```',
        '',
        '[ref]: https://example.org/ljubav',
      ].join('\n'),
    );
    expect(transliterateMarkdown(cyr, 'sr-Latn')).toBe(md);
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
