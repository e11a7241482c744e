/**
 * CSV as RFC 4180 says: fields separated by commas, records ended by CRLF, a field that holds a
 * comma, a double quote, CR or LF is enclosed in double quotes and its quotes are doubled.
 * Files start with a UTF-8 byte-order mark so that Excel opens Cyrillic (and any non-Latin text)
 * as UTF-8 instead of the local ANSI code page.
 *
 * Text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) is
 * prefixed with an apostrophe (OWASP "CSV injection"): names typed by people must never become
 * formulas in an HR officer's spreadsheet. Numbers are written as numbers and never prefixed.
 */
export const CSV_BOM = '\uFEFF';
export const CSV_EOL = '\r\n';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

export type CsvValue = string | number | boolean | Date | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = value instanceof Date ? value.toISOString() : value;
  if (!(value instanceof Date) && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRecord(values: readonly CsvValue[]): string {
  return values.map(csvField).join(',') + CSV_EOL;
}

/** A CSV column: its header and how to read it from a row. */
export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvValue;
}

/** The whole document as chunks: BOM + header first, then one chunk per batch of rows. */
export async function* csvChunks<T>(columns: readonly CsvColumn<T>[], batches: AsyncIterable<readonly T[]>): AsyncGenerator<string> {
  yield CSV_BOM + csvRecord(columns.map((c) => c.header));
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    let chunk = '';
    for (const row of batch) chunk += csvRecord(columns.map((c) => c.value(row)));
    yield chunk;
  }
}

/** A safe file name for content-disposition: ASCII letters, digits, dot, dash and underscore. */
export function csvFileName(base: string, at: Date = new Date()): string {
  const stem = base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'report';
  return `${stem}-${at.toISOString().slice(0, 10)}.csv`;
}
