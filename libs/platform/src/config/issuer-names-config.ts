import { canonicalLocale } from '@lms/i18n';

/** School code (or `*` for every school) → language tag → the school's name as an issuer in that language. */
export type IssuerNames = Readonly<Record<string, Readonly<Record<string, string>>>>;

const MAX_NAME_LENGTH = 200;

/**
 * ISSUER_NAMES: how a school is named on certificates, the verification page and Open Badges
 * credentials, per language. JSON: `{"SPA": {"en": "School of Public Administration",
 * "sr-Latn": "Škola javne uprave", "mk": "Школа за јавна администрација"}, "*": {...}}` — keys are
 * org-unit codes of schools, `*` applies to every school not listed; a plain string instead of a
 * map is the name in every language. Serbian Cyrillic may be left out: it is generated from the
 * Latin (and back). Unset or a language not given: the org unit's name. Throws an Error naming
 * what is wrong (the caller wraps it in a ConfigError).
 */
export function parseIssuerNames(text: string | undefined): IssuerNames {
  if (text === undefined || !text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('must be a JSON object: {"<school code>": {"<language tag>": "<name>", …}, …}');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('must be a JSON object keyed by school code (or "*")');
  const out: Record<string, Record<string, string>> = {};
  for (const [code, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!code.trim() || code.length > 50) throw new Error(`has a school code "${code}" that is empty or longer than 50 characters`);
    const names: Record<string, string> = {};
    const entries: Array<[string, unknown]> = typeof value === 'string' ? [['*', value]] : value && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [];
    if (!entries.length) throw new Error(`"${code}" must be a name or an object of language tag → name`);
    for (const [tag, name] of entries) {
      const key = tag === '*' ? '*' : canonicalLocale(tag);
      if (!key) throw new Error(`"${code}" has "${tag}", which is not a BCP 47 language tag`);
      if (typeof name !== 'string' || !name.trim() || name.trim().length > MAX_NAME_LENGTH)
        throw new Error(`"${code}" → "${tag}" must be a name of 1 to ${MAX_NAME_LENGTH} characters`);
      names[key] = name.trim();
    }
    out[code] = names;
  }
  return out;
}
