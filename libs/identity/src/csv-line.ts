/** Longest line the import accepts (a person is a few hundred bytes). */
export const CSV_MAX_LINE_LENGTH = 64 * 1024;

/**
 * Splits one CSV line (RFC 4180 fields: comma-separated, optionally double-quoted, "" for a quote
 * inside quotes) into raw fields, or returns why it cannot. Quoted fields cannot span lines, so
 * a bad line never swallows the ones after it and every error names its own line.
 */
export function parseCsvLine(line: string): string[] | { error: string } {
  if (line.length > CSV_MAX_LINE_LENGTH) return { error: `the line is longer than ${CSV_MAX_LINE_LENGTH} characters` };
  const fields: string[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    let k = i;
    while (k < n && (line[k] === ' ' || line[k] === '\t')) k++;
    if (line[k] === '"') {
      let value = '';
      i = k + 1;
      for (;;) {
        if (i >= n) return { error: 'a quoted field is not closed (quoted fields cannot span lines)' };
        const c = line[i];
        if (c === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += c;
        i++;
      }
      while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
      fields.push(value);
      if (i >= n) return fields;
      if (line[i] !== ',') return { error: `unexpected "${line[i]}" after a closing quote (column ${i + 1})` };
      i++;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma === -1 ? n : comma;
      const raw = line.slice(i, end);
      const quote = raw.indexOf('"');
      if (quote !== -1)
        return { error: `a quote inside an unquoted field (column ${i + quote + 1}): quote the whole field and double the quotes inside` };
      fields.push(raw);
      if (comma === -1) return fields;
      i = comma + 1;
    }
  }
}
