import { nameProblem, normalizeName } from './names.js';

describe('names', () => {
  it('normalises to NFC and trims', () => {
    expect(normalizeName('  Petrovic\u0301  ')).toBe('Petrović');
    expect(normalizeName('Ана')).toBe('Ана');
  });

  it('accepts ordinary names in Latin, Cyrillic and other scripts', () => {
    for (const n of ['Ana Petrović', 'Ђорђе Јовановић', "D'Arcy O'Neil-Smith", 'محمد', '李小龍', 'Zoë 👩‍💻']) expect([n, nameProblem(n, 200)]).toEqual([n, undefined]);
  });

  it('refuses control and bidi characters and lone surrogates', () => {
    expect(nameProblem('Ana\u202Eciv', 200)).toMatch(/bidirectional/);
    expect(nameProblem('Ana\u2066x\u2069', 200)).toMatch(/bidirectional/);
    expect(nameProblem('Ana\u200F', 200)).toMatch(/bidirectional/);
    expect(nameProblem('Ana\u0000', 200)).toMatch(/control/);
    expect(nameProblem('Ana\nB', 200)).toMatch(/control/);
    expect(nameProblem('Ana\u0085', 200)).toMatch(/control/);
    expect(nameProblem('Ana\uD800', 200)).toMatch(/surrogate/);
    expect(nameProblem('\uDC00Ana', 200)).toMatch(/surrogate/);
    expect(nameProblem('', 200)).toMatch(/empty/);
    expect(nameProblem('x'.repeat(201), 200)).toMatch(/at most 200/);
  });
});
