import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { definedMessages, DomainError, ForbiddenError, notFoundKey, NotFoundError, toProblem, ValidationError } from '@lms/platform';
// The domains define their messages when their modules load: import every one that has some.
import { AccountLinkError } from '@lms/identity';
import { EventCancelledError } from '@lms/events';
import { EnrolmentCompletedError } from '@lms/learning';
import { NoDraftError } from '@lms/catalog';
import { VerificationCodeNotFoundError } from '@lms/credentials';
import { BannedFromSpaceError } from '@lms/hub';
import { SelfAwardError } from '@lms/competency';
import { AlreadyErasedError } from '@lms/privacy';
import { NotificationNotFoundError } from '@lms/notifications';
import { CATALOGS, problemTranslator, Translator } from '../i18n.js';
import { en } from './en.js';

const ROOT = join(process.cwd());

/** Every non-test TypeScript file under libs/ and apps/. */
function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'dist') sources(path, out);
    } else if (name.endsWith('.ts') && !name.endsWith('.spec.ts')) out.push(path);
  }
  return out;
}

/**
 * The nouns NotFoundError is thrown with (`new NotFoundError('Event', id)`, or `super('Course', slug)`
 * in a subclass): each needs `notFound.<noun>` (with an id) or `notFound.<noun>.any` (without).
 */
function notFoundNouns(): Array<{ noun: string; withId: boolean; file: string }> {
  const found: Array<{ noun: string; withId: boolean; file: string }> = [];
  for (const file of [...sources(join(ROOT, 'libs')), ...sources(join(ROOT, 'apps'))]) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/new NotFoundError\('([^']+)'(\s*,[^)]*)?\)/g)) found.push({ noun: m[1]!, withId: Boolean(m[2]), file });
    for (const cls of text.matchAll(/extends NotFoundError \{[\s\S]*?\n\}/g))
      for (const m of cls[0].matchAll(/super\('([^']+)'(\s*,[^)]*)?\)/g)) found.push({ noun: m[1]!, withId: Boolean(m[2]), file });
  }
  return found;
}

describe('domain error messages in the catalogs', () => {
  const defined = definedMessages();

  it('the domains define messages (the registry is filled by the imports above)', () => {
    expect(defined.size).toBeGreaterThan(90);
    for (const prefix of ['events.', 'learning.', 'catalog.', 'account.', 'credentials.', 'hub.', 'competency.', 'privacy.', 'notifications.', 'platform.'])
      expect({ prefix, some: [...defined.keys()].some((k) => k.startsWith(prefix)) }).toEqual({ prefix, some: true });
  });

  it('every defined key is in en, sr-Latn, sr-Cyrl and mk, and the English is the domain’s own wording', () => {
    const problems: string[] = [];
    for (const [key, english] of defined) {
      const catalogKey = `problem.${key}`;
      for (const [locale, catalog] of Object.entries(CATALOGS)) if (!(catalogKey in catalog)) problems.push(`${locale} lacks ${catalogKey}`);
      const inCatalog = (en as Record<string, string>)[catalogKey];
      if (inCatalog !== undefined && inCatalog !== english) problems.push(`${catalogKey}: en.ts says "${inCatalog}", the code "${english}"`);
    }
    expect(problems).toEqual([]);
  });

  it('every noun NotFoundError is thrown with has its message, with the English of the code', () => {
    const nouns = notFoundNouns();
    expect(nouns.length).toBeGreaterThan(40);
    const problems: string[] = [];
    for (const { noun, withId, file } of nouns) {
      const key = `problem.${notFoundKey(noun)}${withId ? '' : '.any'}`;
      const english = withId ? `${noun} {id} was not found` : `${noun} was not found`;
      const have = (en as Record<string, string>)[key];
      if (have !== english) problems.push(`${file.slice(ROOT.length + 1)}: ${key} should be "${english}", is ${have === undefined ? 'missing' : `"${have}"`}`);
    }
    expect(problems).toEqual([]);
  });

  it('the catalogs hold no problem message that no domain defines or throws', () => {
    const used = new Set([...defined.keys()].map((k) => `problem.${k}`));
    for (const { noun } of notFoundNouns()) used.add(`problem.${notFoundKey(noun)}`).add(`problem.${notFoundKey(noun)}.any`);
    const orphans = Object.keys(en).filter((k) => k.startsWith('problem.') && !used.has(k));
    expect(orphans).toEqual([]);
  });

  it('the English of a thrown error is the English catalog formatted with its arguments', () => {
    const thrown: DomainError[] = [
      new EventCancelledError('e-1'),
      new EnrolmentCompletedError('n-1'),
      new NoDraftError('ai-basics'),
      new AccountLinkError('replaced'),
      new VerificationCodeNotFoundError(),
      new BannedFromSpaceError(),
      new SelfAwardError(),
      new AlreadyErasedError('p-1'),
      new NotificationNotFoundError('n-2'),
      new ForbiddenError(),
      new NotFoundError('Published course', 'ai-basics'),
      new NotFoundError('Enrolment'),
    ];
    const t = new Translator('en');
    for (const e of thrown) {
      expect(e.localised).toBeDefined();
      expect(t.t(`problem.${e.localised!.key}` as keyof typeof en, e.localised!.args)).toBe(e.message);
    }
  });

  it('the problem filter words a domain error in the caller’s language, and keeps English without a translator', () => {
    const error = new NotFoundError('Published course', 'ai-basics');
    expect(toProblem(error, '/x', 'mk', problemTranslator).problem.detail).toBe('Објавениот курс ai-basics не е пронајден');
    expect(toProblem(error, '/x', 'sr-Cyrl', problemTranslator).problem.detail).toBe('Објављени курс ai-basics није пронађен');
    expect(toProblem(error, '/x', 'sr-Latn', problemTranslator).problem.detail).toBe('Objavljeni kurs ai-basics nije pronađen');
    expect(toProblem(error, '/x', undefined, problemTranslator).problem.detail).toBe('Published course ai-basics was not found');
    expect(toProblem(error, '/x', 'mk').problem.detail).toBe('Published course ai-basics was not found');
    // An error thrown with plain English (no key) stays English in every language.
    expect(toProblem(new DomainError('x', 'Plain English'), '/x', 'mk', problemTranslator).problem.detail).toBe('Plain English');
  });

  it('field messages with a key are worded too; the rest keep the platform’s rule wording', () => {
    const answers = new ValidationError([{ field: 'answers.0.questionId', message: 'unknown question id "q9"', localised: { key: 'learning.unknownQuestion', args: { id: 'q9' }, text: 'unknown question id "q9"' } }]);
    const mk = toProblem(answers, '/x', 'mk', problemTranslator).problem;
    expect(mk.errors).toEqual([{ field: 'answers.0.questionId', message: 'непознат идентификатор на прашање „q9“' }]);
    const en = toProblem(answers, '/x', undefined, problemTranslator).problem;
    expect(en.errors).toEqual([{ field: 'answers.0.questionId', message: 'unknown question id "q9"' }]);
  });

  it('a page words a domain error by its key (Translator.problem)', () => {
    const e = new AccountLinkError('expired');
    expect(new Translator('mk').problem(e)).toBe('Оваа врска е истечена: побарајте нова');
    expect(new Translator('sr-Cyrl').problem(e)).toBe('Ова веза је истекла: затражите нову');
    expect(new Translator('en').problem(e)).toBe('This link has expired: ask for a new one');
    expect(new Translator('mk').problem(new Error('plain'))).toBe('plain');
  });
});
