import { parseCsvLine } from './csv-line.js';

describe('parseCsvLine', () => {
  it('splits plain and quoted fields, with commas and doubled quotes inside quotes', () => {
    expect(parseCsvLine('a,b,c')).toEqual(['a', 'b', 'c']);
    expect(parseCsvLine('a,"Marković, Jovan","say ""hi"""')).toEqual(['a', 'Marković, Jovan', 'say "hi"']);
    expect(parseCsvLine('a,,')).toEqual(['a', '', '']);
    expect(parseCsvLine('"x",')).toEqual(['x', '']);
    expect(parseCsvLine('')).toEqual(['']);
    expect(parseCsvLine('a, "b" ,c')).toEqual(['a', 'b', 'c']);
    expect(parseCsvLine('Ћирилица,ž')).toEqual(['Ћирилица', 'ž']);
  });

  it('explains malformed lines instead of guessing', () => {
    expect(parseCsvLine('a,"open')).toEqual({ error: expect.stringMatching(/not closed/) });
    expect(parseCsvLine('a,"bad "quote,c')).toEqual({ error: expect.stringMatching(/after a closing quote/) });
    expect(parseCsvLine('a,b"c,d')).toEqual({ error: expect.stringMatching(/quote inside an unquoted field \(column 4\)/) });
    expect(parseCsvLine('x'.repeat(70_000))).toEqual({ error: expect.stringMatching(/longer/) });
  });
});
