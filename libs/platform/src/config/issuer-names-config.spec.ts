import { loadConfig } from './app-config.js';
import { parseIssuerNames } from './issuer-names-config.js';

describe('ISSUER_NAMES', () => {
  it('reads names per school code and language (tags canonicalised), a plain string as the name in every language', () => {
    expect(parseIssuerNames(undefined)).toEqual({});
    expect(parseIssuerNames('{"SPA": {"EN": "School", "sr-latn": "Škola"}, "*": "Akademija"}')).toEqual({
      SPA: { en: 'School', 'sr-Latn': 'Škola' },
      '*': { '*': 'Akademija' },
    });
  });

  it.each([
    ['not json', 'must be a JSON object'],
    ['["SPA"]', 'keyed by school code'],
    ['{"SPA": 3}', '"SPA" must be a name'],
    ['{"SPA": {"not a tag!": "x"}}', 'not a BCP 47 language tag'],
    ['{"SPA": {"en": ""}}', 'must be a name of 1 to 200 characters'],
  ])('refuses %s at start-up, naming the variable', (value, message) => {
    const secrets = { JWT_SECRET: 'j'.repeat(40), CREDENTIAL_KEY_SECRET: 'c'.repeat(40) };
    expect(() => loadConfig({ ...secrets, ISSUER_NAMES: value })).toThrow(/^Invalid configuration: ISSUER_NAMES /);
    expect(() => parseIssuerNames(value)).toThrow(message);
  });
});
