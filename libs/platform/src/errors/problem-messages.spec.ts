import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { INTL_TAGS } from '@lms/i18n';
import { problemCatalog, problemLocale, problemMessage, type ProblemLocale } from './problem-messages.js';
import { toProblem } from './problem.filter.js';
import { ValidationError } from './domain-error.js';

const LOCALES: ProblemLocale[] = ['sr-Latn', 'sr-Cyrl', 'mk'];

function pluralOptions(elements: MessageFormatElement[], out: string[][] = []): string[][] {
  for (const el of elements) if (el.type === TYPE.plural) out.push(Object.keys(el.options).filter((o) => !o.startsWith('=')));
  return out;
}

describe('problem+json messages in the caller language', () => {
  it.each(LOCALES.map((l) => [l]))('%s: the same keys as Serbian Latin, ICU that parses, the CLDR plural categories of the language', (locale) => {
    expect(Object.keys(problemCatalog(locale)).sort()).toEqual(Object.keys(problemCatalog('sr-Latn')).sort());
    const categories = (new Intl.PluralRules(INTL_TAGS[locale]).resolvedOptions().pluralCategories as string[]).sort();
    for (const [key, source] of Object.entries(problemCatalog(locale))) {
      for (const options of pluralOptions(parse(source))) expect({ key, options: options.sort() }).toEqual({ key, options: categories });
      const message = problemMessage(locale, key, { field: 'f', min: 1, max: 5, values: 'a, b', errorId: 'e', id: 'i' });
      expect({ key, ok: typeof message === 'string' && message.length > 0 }).toEqual({ key, ok: true });
    }
  });

  it('plural forms follow the number (Serbian one/few/other, Macedonian one/other)', () => {
    expect(problemMessage('sr-Latn', 'field.maxLength', { field: 'email', max: 254 })).toBe('Polje email može imati najviše 254 znaka');
    expect(problemMessage('sr-Latn', 'field.maxLength', { field: 'email', max: 200 })).toBe('Polje email može imati najviše 200 znakova');
    expect(problemMessage('sr-Latn', 'field.maxLength', { field: 'email', max: 21 })).toBe('Polje email može imati najviše 21 znak');
    expect(problemMessage('sr-Cyrl', 'field.maxLength', { field: 'email', max: 254 })).toBe('Поље email може имати највише 254 знака');
    expect(problemMessage('mk', 'field.maxLength', { field: 'email', max: 21 })).toBe('Полето email може да има најмногу 21 знак');
    expect(problemMessage('mk', 'field.maxLength', { field: 'email', max: 11 })).toBe('Полето email може да има најмногу 11 знаци');
    // Values and names stay as written in the generated Cyrillic.
    expect(problemMessage('sr-Cyrl', 'field.isBoolean', { field: 'dryRun' })).toBe('Поље dryRun мора бити true или false');
    expect(problemMessage('sr-Cyrl', 'field.isLanguageTag', { field: 'locale' })).toContain('en, sr-Latn, sr-Cyrl или mk');
  });

  it('Accept-Language first, then the person\u2019s profile; English is undefined', () => {
    expect(problemLocale('mk-MK,mk;q=0.9', 'sr-Latn')).toBe('mk');
    expect(problemLocale('sr-RS', undefined)).toBe('sr-Cyrl');
    expect(problemLocale(undefined, 'mk')).toBe('mk');
    expect(problemLocale('de', 'hr')).toBe('sr-Latn');
    expect(problemLocale('en', 'mk')).toBeUndefined();
    expect(problemLocale(undefined, undefined)).toBeUndefined();
  });

  it('toProblem words detail and field messages by rule, never sends the rule, and keeps English without a locale', () => {
    const error = new ValidationError([
      { field: 'limit', message: 'limit must not be greater than 100', rule: 'max', params: { max: 100 } },
      { field: 'odd', message: 'odd is odd', rule: 'someRuleWithoutMessage' },
      { field: 'school', message: 'no org unit has the code "X"' },
    ]);
    expect(toProblem(error).problem).toMatchObject({
      detail: 'The request is not valid',
      errors: [
        { field: 'limit', message: 'limit must not be greater than 100' },
        { field: 'odd', message: 'odd is odd' },
        { field: 'school', message: 'no org unit has the code "X"' },
      ],
    });
    const mk = toProblem(error, '/x', 'mk').problem;
    expect(mk.detail).toBe('Барањето не е исправно');
    expect(mk.errors).toEqual([
      { field: 'limit', message: 'Полето limit не смее да биде поголемо од 100' },
      { field: 'odd', message: 'Полето odd не е исправно' },
      // A domain's own message (no rule) stays as the domain wrote it.
      { field: 'school', message: 'no org unit has the code "X"' },
    ]);
  });
});
