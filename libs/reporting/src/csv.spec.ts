import { CSV_BOM, csvChunks, csvField, csvFileName, csvRecord } from './csv.js';

async function* batches<T>(...list: T[][]): AsyncGenerator<T[]> {
  for (const b of list) yield b;
}

describe('csv (RFC 4180)', () => {
  it('quotes commas, quotes and line breaks and doubles inner quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Smith, John')).toBe('"Smith, John"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rlf')).toBe('"cr\rlf"');
  });

  it('keeps Cyrillic as is and writes numbers, empty values and dates plainly', () => {
    expect(csvField('Министарство финансија')).toBe('Министарство финансија');
    expect(csvField(42)).toBe('42');
    expect(csvField(0.125)).toBe('0.125');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(new Date('2026-03-01T10:00:00Z'))).toBe('2026-03-01T10:00:00.000Z');
  });

  it('defuses text that a spreadsheet would run as a formula, but not negative numbers', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('+381 11')).toBe("'+381 11");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-3)).toBe('-3');
  });

  it('ends records with CRLF and starts the document with a BOM and the header', async () => {
    expect(csvRecord(['a', 'b,c', 1])).toBe('a,"b,c",1\r\n');
    let out = '';
    for await (const chunk of csvChunks(
      [
        { header: 'name', value: (r: { n: string; v: number }) => r.n },
        { header: 'value', value: (r: { n: string; v: number }) => r.v },
      ],
      batches([{ n: 'Јован, "Јова"', v: 1 }], [], [{ n: 'x', v: 2 }]),
    ))
      out += chunk;
    expect(out).toBe(`${CSV_BOM}name,value\r\n"Јован, ""Јова""",1\r\nx,2\r\n`);
    expect(out.charCodeAt(0)).toBe(0xfeff);
  });

  it('makes a safe attachment file name', () => {
    expect(csvFileName('completion report/Ћ', new Date('2026-01-02T00:00:00Z'))).toBe('completion-report-2026-01-02.csv');
  });
});
