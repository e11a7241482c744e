import { KEEP_LATIN, SERBIAN_ACRONYMS, SPLIT_DIGRAPH_EXCEPTIONS, SPLIT_DIGRAPH_PREFIXES } from './transliteration-exceptions.js';

/**
 * Serbian digraphia: the same text in Latin and Cyrillic letters, either way.
 *
 * Latin → Cyrillic: the digraphs lj, nj, dž become one letter each (љ, њ, џ) except where a prefix
 * meets a root (nadživeti, injekcija, konjunkcija — SPLIT_DIGRAPH_PREFIXES). Left as written: words
 * with letters Serbian Latin does not use (q, w, x, y), words with a capital inside (ChatGPT),
 * all-capital abbreviations of up to four letters unless Serbian (PDF stays, VI → ВИ), URLs,
 * e-mail addresses, digits and the names of KEEP_LATIN plus those the caller protects.
 * Cyrillic → Latin is unambiguous (љ → lj, Љ → Lj, or LJ in a word in capitals); Latin words in
 * Cyrillic text stay as they are.
 */
export type SerbianScript = 'sr-Latn' | 'sr-Cyrl';

const SINGLE: Record<string, string> = {
  a: 'а', b: 'б', c: 'ц', č: 'ч', ć: 'ћ', d: 'д', đ: 'ђ', e: 'е', f: 'ф', g: 'г', h: 'х', i: 'и', j: 'ј', k: 'к',
  l: 'л', m: 'м', n: 'н', o: 'о', p: 'п', r: 'р', s: 'с', š: 'ш', t: 'т', u: 'у', v: 'в', z: 'з', ž: 'ж',
};
const DIGRAPHS: Record<string, string> = { lj: 'љ', nj: 'њ', dž: 'џ' };
const TO_LATIN: Record<string, string> = Object.fromEntries([
  ...Object.entries(SINGLE).map(([l, c]) => [c, l]),
  ...Object.entries(DIGRAPHS).map(([l, c]) => [c, l]),
]);
const SERBIAN_ACRONYM_SET = new Set(SERBIAN_ACRONYMS);

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Where, in a lower-case word, a nj or dž is two letters (-1: nowhere). */
function splitIndex(lower: string): number {
  if (SPLIT_DIGRAPH_EXCEPTIONS.some((e) => lower.startsWith(e))) return -1;
  const prefix = SPLIT_DIGRAPH_PREFIXES.find((p) => lower.startsWith(p));
  if (prefix === undefined) return -1;
  const nj = prefix.indexOf('nj');
  const dz = prefix.indexOf('dž');
  return nj >= 0 && (dz < 0 || nj < dz) ? nj : dz;
}

function isAllCaps(w: string): boolean {
  return w.length > 1 && w === w.toUpperCase() && w !== w.toLowerCase();
}

function keepsLatin(w: string): boolean {
  if (/[qwxy]/i.test(w)) return true;
  // A capital inside marks a brand (ChatGPT) — except Serbian e-government names: eUprava, eZdravlje.
  if (/\p{Ll}\p{Lu}/u.test(w) && !/^e\p{Lu}[a-zčćđšž]+$/u.test(w)) return true;
  // Letters of other alphabets (ä, é, ß…) keep a word Latin; a circumflex on a vowel is Serbian (kôd, sâm).
  if (/[^a-zčćđšž]/i.test(w.replace(/[ČĆĐŠŽ]/g, '').replace(/[âêîôûÂÊÎÔÛ]/g, 'a'))) return true;
  if (isAllCaps(w)) return !SERBIAN_ACRONYM_SET.has(w) && w.length <= 4;
  return false;
}

function latinWord(w: string): string {
  if (keepsLatin(w)) return w;
  const lower = w.toLowerCase();
  const splitAt = splitIndex(lower);
  const caps = isAllCaps(w);
  let out = '';
  for (let i = 0; i < w.length; i++) {
    const pair = lower.slice(i, i + 2);
    if (DIGRAPHS[pair] && i !== splitAt) {
      const cyr = DIGRAPHS[pair];
      out += w[i] !== lower[i] || caps ? cyr.toUpperCase() : cyr;
      i++;
      continue;
    }
    const accented = CIRCUMFLEXED.has(lower[i]);
    const base = accented ? lower[i].normalize('NFD')[0] : lower[i];
    const cyr = SINGLE[base];
    out += cyr ? (w[i] === lower[i] ? cyr : cyr.toUpperCase()) + (accented ? '\u0302' : '') : w[i];
  }
  return out;
}

/** Vowels with a circumflex (the Serbian length mark: kôd, sâm): base letter + U+0302 in Cyrillic. */
const CIRCUMFLEXED = new Set(['â', 'ê', 'î', 'ô', 'û']);

function cyrillicWord(w: string): string {
  if (!/[\u0400-\u04FF]/.test(w)) return w;
  const caps = isAllCaps(w);
  let out = '';
  for (let i = 0; i < w.length; i++) {
    const ch = w[i];
    const lower = ch.toLowerCase();
    const lat = TO_LATIN[lower];
    if (lat === undefined) {
      out += ch;
      continue;
    }
    if (ch === lower) out += lat;
    else if (caps) out += lat.toUpperCase();
    else out += lat[0].toUpperCase() + lat.slice(1);
  }
  return out;
}

/**
 * The spans left as written: protected names (longest first, whole words only), URLs and e-mail
 * addresses. The names share one pair of word-boundary assertions around their alternation — one
 * lookaround per name made the first conversions of a process take seconds (V8 interprets a new
 * regular expression before compiling it, and the start-up catalog conversion ran on that path).
 */
function protectedPattern(extra: readonly string[]): RegExp {
  const terms = [...new Set([...extra, ...KEEP_LATIN])].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(
    [`(?<![\\p{L}\\p{N}])(?:${terms.join('|')})(?![\\p{L}\\p{N}])`, '(?:https?|ftp)://[^\\s<>()\\]]+', 'www\\.[^\\s<>()\\]]+', '[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+'].join('|'),
    'gu',
  );
}

const patternCache = new Map<string, RegExp>();
function cachedPattern(extra: readonly string[]): RegExp {
  const key = extra.join('\u0000');
  let p = patternCache.get(key);
  if (!p) {
    p = protectedPattern(extra);
    patternCache.set(key, p);
  }
  p.lastIndex = 0;
  return p;
}

function convertPlain(text: string, wordFn: (w: string) => string, protectedTerms: readonly string[]): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(cachedPattern(protectedTerms))) {
    out += text.slice(last, m.index).replace(/\p{L}+/gu, wordFn) + m[0];
    last = m.index + m[0].length;
  }
  return out + text.slice(last).replace(/\p{L}+/gu, wordFn);
}

/** Serbian Latin → Cyrillic, plain text (no markup syntax). */
export function latinToCyrillic(text: string, protectedTerms: readonly string[] = []): string {
  return convertPlain(text, latinWord, protectedTerms);
}

/** Serbian Cyrillic → Latin, plain text. */
export function cyrillicToLatin(text: string, protectedTerms: readonly string[] = []): string {
  return convertPlain(text, cyrillicWord, protectedTerms).normalize('NFC');
}

/** Plain text into the other Serbian script. */
export function transliterate(text: string, to: SerbianScript, protectedTerms: readonly string[] = []): string {
  return to === 'sr-Cyrl' ? latinToCyrillic(text, protectedTerms) : cyrillicToLatin(text, protectedTerms);
}

/** The other script of a Serbian tag, or null for any other tag. */
export function otherSerbianScript(tag: string): SerbianScript | null {
  return tag === 'sr-Latn' ? 'sr-Cyrl' : tag === 'sr-Cyrl' ? 'sr-Latn' : null;
}

/**
 * Inline Markdown spans that are not prose: code spans, HTML comments and tags, autolinks, link
 * destinations and reference labels, heading ids, entities. Everything else is transliterated.
 */
const MARKDOWN_INLINE = new RegExp(
  [
    '(`+)[\\s\\S]*?\\1', // code span
    '<!--[\\s\\S]*?-->', // HTML comment
    '<[A-Za-z][A-Za-z0-9+.-]*:[^\\s<>]*>', // autolink
    '<\\/?[A-Za-z][^<>]*>', // HTML tag
    '\\]\\(\\s*(?:<[^>]*>|[^\\s)]*)', // link destination
    '\\]\\[[^\\]]*\\]', // reference link label
    '^ {0,3}\\[[^\\]]+\\]:.*$', // reference definition
    '\\{#[\\w-]+\\}', // heading id
    '&#?[A-Za-z0-9]+;', // entity
  ].join('|'),
  'gm',
);

function markdownProse(text: string, to: SerbianScript, protectedTerms: readonly string[]): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(MARKDOWN_INLINE)) {
    out += transliterate(text.slice(last, m.index), to, protectedTerms) + m[0];
    last = m.index + m[0].length;
  }
  return out + transliterate(text.slice(last), to, protectedTerms);
}

/** Front matter keys whose string values are prose; every other value (numbers, booleans, ids) is kept. */
const FRONT_MATTER_TEXT_KEYS = new Set(['title', 'description', 'summary']);

function frontMatter(block: string, to: SerbianScript, protectedTerms: readonly string[]): string {
  return block
    .split('\n')
    .map((line) => {
      const m = /^(\s*[A-Za-z][\w-]*\s*:\s*)(.*)$/.exec(line);
      if (!m) return line;
      const key = m[1].trim().replace(/:$/, '').trim();
      if (!FRONT_MATTER_TEXT_KEYS.has(key)) return line;
      return m[1] + markdownProse(m[2], to, protectedTerms);
    })
    .join('\n');
}

/**
 * A Markdown document (a lesson file, with or without YAML front matter) in the other Serbian
 * script: prose is transliterated; front matter keys and non-text values, fenced code blocks,
 * code spans, URLs, link targets, HTML and entities are kept byte for byte.
 */
export function transliterateMarkdown(markdown: string, to: SerbianScript, protectedTerms: readonly string[] = []): string {
  let body = markdown;
  let head = '';
  const fm = /^---\r?\n([\s\S]*?)\r?\n---(\r?\n|$)/.exec(markdown);
  if (fm) {
    head = `---\n${frontMatter(fm[1], to, protectedTerms)}\n---${fm[2]}`;
    body = markdown.slice(fm[0].length);
  }
  const lines = body.split('\n');
  const out: string[] = [];
  let fence: string | null = null;
  let prose: string[] = [];
  const flush = (): void => {
    if (prose.length) out.push(markdownProse(prose.join('\n'), to, protectedTerms));
    prose = [];
  };
  for (const line of lines) {
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence !== null) {
      out.push(line);
      if (open && open[1][0] === fence[0] && open[1].length >= fence.length && line.trim() === open[1]) fence = null;
      continue;
    }
    if (open) {
      flush();
      fence = open[1];
      out.push(line);
      continue;
    }
    prose.push(line);
  }
  flush();
  return head + out.join('\n');
}

/**
 * Transliterates an ICU MessageFormat message: literal text (also inside plural and select
 * branches) is converted; argument names, types, styles and selectors are kept.
 */
export function icuLatinToCyrillic(message: string, protectedTerms: readonly string[] = []): string {
  let i = 0;
  const literal = (stopAtBrace: boolean): string => {
    let start = i;
    let out = '';
    while (i < message.length) {
      const c = message[i];
      if (c === '{') {
        out += latinToCyrillic(message.slice(start, i), protectedTerms) + argument();
        start = i;
        continue;
      }
      if (c === '}' && stopAtBrace) break;
      i++;
    }
    return out + latinToCyrillic(message.slice(start, i), protectedTerms);
  };
  const argument = (): string => {
    // at '{': name [, type [, style | branches]] '}'
    const open = i;
    i++;
    let depth = 0;
    let header = '';
    while (i < message.length && !(depth === 0 && message[i] === '}')) {
      if (message[i] === '{') break;
      header += message[i];
      i++;
    }
    const parts = header.split(',').map((p) => p.trim());
    const type = parts[1];
    if (message[i] === '}' || !(type === 'plural' || type === 'select' || type === 'selectordinal')) {
      // A simple argument (or one with a style): copy it to its closing brace.
      while (i < message.length && !(depth === 0 && message[i] === '}')) {
        if (message[i] === '{') depth++;
        if (message[i] === '}') depth--;
        i++;
      }
      i++;
      return message.slice(open, i);
    }
    let out = `{${header}`;
    while (i < message.length && message[i] !== '}') {
      if (message[i] === '{') {
        i++;
        out += `{${literal(true)}}`;
        i++;
      } else {
        out += message[i];
        i++;
      }
    }
    i++;
    return `${out}}`;
  };
  return literal(false);
}
