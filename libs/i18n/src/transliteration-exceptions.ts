/**
 * The exceptions of Serbian transliteration (docs/languages.md). Small on purpose: add a word here
 * when `npm run courses -- generate` renders it wrongly, and add it to transliterate.spec.ts.
 */

/**
 * Names, brands and standards written in Latin letters in Serbian Cyrillic text too. Matched as
 * whole words, case-sensitively. Words with q, w, x or y, words with a capital inside
 * (ChatGPT, GitHub) and all-capital abbreviations of up to four letters are kept anyway.
 */
export const KEEP_LATIN: readonly string[] = [
  'Open Badges',
  'EU AI Act',
  'AI Act',
  'Council of Europe',
  'Common Alerting Protocol',
  'Copernicus',
  'Tab',
  'Enter',
  'Creative Commons',
  'Markdown',
  'Google',
  'Microsoft',
  'Excel',
  'Copilot',
  'Gemini',
  'Claude',
  'Moodle',
  'Linux',
  'Python',
  'Signal',
  'Zoom',
  'UNESCO',
  'OECD',
  'DigComp',
  'GovTech',
  'USSD',
  'WCAG',
  'GDPR',
  'POUR',
  'Wi-Fi',
  'business email compromise',
  'CEO fraud',
  'Sentinel',
  'Landsat',
  'GHG Protocol',
  'cell broadcast',
  'CC BY',
  'CO2e',
  'CO2',
  'Early Warnings for All',
  'International Open Data Charter',
  'Open Data Charter',
  'in situ',
  'ex ante',
  'ex post',
  'de facto',
  'iGOT Karmayogi',
  'data.gov.rs',
  'Eurostat',
];

/**
 * Serbian abbreviations that are written in Cyrillic in Cyrillic text (ВИ, ЕУ, ЈМБГ), though in
 * capitals; every other all-capital word of up to four letters is taken as foreign (AI, PDF, CSV, IT).
 */
export const SERBIAN_ACRONYMS: readonly string[] = ['VI', 'EU', 'JMBG', 'PDV', 'SAD', 'RS', 'UN', 'MUP', 'JLS', 'RZS', 'RGZ', 'NBS', 'PIB', 'APR', 'IT', 'IKT', 'RHMZ', 'NAJU', 'NSZ'];

/**
 * Word beginnings (lower case) where n+j or d+ž are two letters, a prefix meeting a root:
 * nad-živeti, pod-župan, od-živeti, pred-žetveni, van-jezički, in-jekcija, kon-junkcija.
 * The split is at the first nj / dž of the beginning.
 */
export const SPLIT_DIGRAPH_PREFIXES: readonly string[] = [
  'nadž',
  'podž',
  'predž',
  'odž',
  'injek',
  'injun',
  'konjun',
  'konjug',
  'vanjez',
  'vanjug',
  'tanjug',
  'panjel',
  'panjevr',
];

/** Words that start like a split prefix but are one letter after all (odžak, odžačar → оџак). */
export const SPLIT_DIGRAPH_EXCEPTIONS: readonly string[] = ['odžak', 'odžač'];
