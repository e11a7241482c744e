/**
 * Serbian Latin → Cyrillic, for text the project writes once in Latin (UI messages). Digraphs
 * lj, nj, dž become one letter each, except in the words where they are two sounds (nadživeti,
 * injekcija, konjunkcija…). Left as written: words with letters Serbian Latin does not use
 * (q, w, x, y), acronyms in capitals (PDF, CSV), URLs and e-mail addresses, digits, and names
 * the caller protects (brands, standards).
 */
const SINGLE: Record<string, string> = {
  a: 'а', b: 'б', c: 'ц', č: 'ч', ć: 'ћ', d: 'д', đ: 'ђ', e: 'е', f: 'ф', g: 'г', h: 'х', i: 'и', j: 'ј', k: 'к',
  l: 'л', m: 'м', n: 'н', o: 'о', p: 'п', r: 'р', s: 'с', š: 'ш', t: 'т', u: 'у', v: 'в', z: 'з', ž: 'ж',
};
const DIGRAPHS: Record<string, string> = { lj: 'љ', nj: 'њ', dž: 'џ' };

/** Word starts where n+j or d+ž are two letters (prefix + root), lower case. */
const SPLIT_PREFIXES = ['nadž', 'podž', 'odž', 'injekc', 'konjunk', 'konjug', 'vanjezi', 'tanjug'];

function word(w: string): string {
  if (/[qwxy]/i.test(w) || (w.length > 1 && w.length <= 4 && w === w.toUpperCase() && /[A-Z]/.test(w))) return w;
  const lower = w.toLowerCase();
  const prefix = SPLIT_PREFIXES.find((p) => lower.startsWith(p));
  const splitAt = prefix === undefined ? -1 : prefix.includes('nj') ? prefix.indexOf('nj') : prefix.indexOf('dž');
  let out = '';
  for (let i = 0; i < w.length; i++) {
    const pair = lower.slice(i, i + 2);
    if (DIGRAPHS[pair] && i !== splitAt) {
      const cyr = DIGRAPHS[pair];
      out += w[i] !== lower[i] ? cyr.toUpperCase() : cyr;
      i++;
      continue;
    }
    const cyr = SINGLE[lower[i]];
    out += cyr ? (w[i] === lower[i] ? cyr : cyr.toUpperCase()) : w[i];
  }
  return out;
}

/** Transliterates plain text (no markup syntax). */
export function latinToCyrillic(text: string, protectedTerms: readonly string[] = []): string {
  const pattern = new RegExp(
    [
      ...protectedTerms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
      'https?://\\S+',
      '[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+',
    ].join('|'),
    'g',
  );
  let out = '';
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    out += text.slice(last, m.index).replace(/\p{L}+/gu, word) + m[0];
    last = m.index + m[0].length;
  }
  return out + text.slice(last).replace(/\p{L}+/gu, word);
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
