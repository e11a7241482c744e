import { canonicalLocale, fallbackChain } from './locale.js';
import { cyrillicToLatin, latinToCyrillic } from './transliterate.js';

function scriptOf(tag: string): string | undefined {
  try {
    return new Intl.Locale(tag).maximize().script;
  } catch {
    return undefined;
  }
}

/**
 * A name given per language (an issuer, a school) for a reader of `locale`: the reader's fallback
 * chain, with Serbian text written in the reader's script — a Cyrillic reader given only the
 * Serbian Latin name gets it transliterated, and back. `*` in the map is the name in any language.
 * Undefined when the map has nothing for this reader (the caller keeps its default).
 */
export function localisedName(names: Readonly<Record<string, string>> | undefined, locale: string | null | undefined): string | undefined {
  if (!names) return undefined;
  const reader = canonicalLocale(locale);
  const readerScript = reader ? scriptOf(reader) : undefined;
  for (const tag of fallbackChain(locale)) {
    const name = names[tag];
    if (typeof name !== 'string') continue;
    if (new Intl.Locale(tag).language !== 'sr') return name;
    const sourceScript = scriptOf(tag);
    if (readerScript === 'Cyrl' && sourceScript === 'Latn') return latinToCyrillic(name);
    if (readerScript === 'Latn' && sourceScript === 'Cyrl') return cyrillicToLatin(name);
    return name;
  }
  return names['*'];
}
