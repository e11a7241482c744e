/**
 * Text normalisation for catalog search, the same for what is indexed and what is asked:
 * lower case, Serbian Cyrillic transliterated to Latin, diacritics removed (č ć → c, š → s,
 * ž → z, đ → dj), so "Вештачка", "veštačka" and "vestacka" are the same word. Macedonian folds
 * the same way, its own letters as in its official romanisation without accents: ѓ (ѓ) → g,
 * ќ (ќ) → k, ѕ → dz, ѐ/ѝ → e/i, so "Ѓорѓи", "Ǵorǵi" and "gorgi" meet; ј, љ, њ, џ as in Serbian. PostgreSQL then
 * indexes `to_tsvector('simple', search_text)` (no stemming: prefix queries catch inflections).
 */
const CYRILLIC_TO_LATIN: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', ђ: 'đ', е: 'e', ж: 'ž', з: 'z', и: 'i', ј: 'j', к: 'k',
  л: 'l', љ: 'lj', м: 'm', н: 'n', њ: 'nj', о: 'o', п: 'p', р: 'r', с: 's', т: 't', ћ: 'ć', у: 'u',
  ф: 'f', х: 'h', ц: 'c', ч: 'č', џ: 'dž', ш: 'š',
  // Russian/Macedonian letters that turn up in names and quotes.
  // ѓ, ќ, ѐ, ѝ, й, ё decompose (NFD) into a base letter and a mark before this table is read.
  ы: 'y', э: 'e', ю: 'ju', я: 'ja', щ: 'šč', ъ: '', ь: '', ѕ: 'dz', і: 'i', є: 'je',
};

/** Lower case, Latin script, no diacritics; punctuation becomes a space. */
export function normaliseForSearch(text: string): string {
  const lower = text.toLowerCase().normalize('NFD');
  let latin = '';
  for (const ch of lower) latin += CYRILLIC_TO_LATIN[ch] ?? ch;
  return latin
    .replace(/đ/g, 'dj')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[æ]/g, 'ae')
    .replace(/[ø]/g, 'o')
    .replace(/[ł]/g, 'l')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

/** The words of a query after normalisation (letters and digits only, so safe inside a tsquery). */
export function searchTerms(query: string, maxTerms = 8): string[] {
  return normaliseForSearch(query)
    .split(' ')
    .filter((w) => /^[a-z0-9]+$/.test(w))
    .slice(0, maxTerms);
}

/** `to_tsquery('simple', …)` text: every word must match, each as a prefix ("vestack" finds "vestacka"). */
export function prefixTsQuery(query: string): string | null {
  const terms = searchTerms(query);
  return terms.length ? terms.map((t) => `${t}:*`).join(' & ') : null;
}
