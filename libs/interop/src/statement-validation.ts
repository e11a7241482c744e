import type { FieldError } from '@lms/platform';

type Validate = (data: unknown) => Array<{ name?: string; path?: string[]; typeName?: string; keys?: string[] }>;

/**
 * @learninglocker/xapi-validation pulls in the whole of lodash: imported when the LRS first
 * receives statements (`loadStatementValidator`), not at start-up.
 */
let validateXapi: Validate | null = null;

export async function loadStatementValidator(): Promise<void> {
  if (validateXapi) return;
  const mod = (await import('@learninglocker/xapi-validation')) as { default: unknown };
  // The package is CommonJS with an ES-style default export: under Node's ESM loader the default import is the exports object.
  const d = mod.default as Validate | { default: Validate };
  validateXapi = typeof d === 'function' ? d : d.default;
}

export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided';
export const SUPPORTED_VERSION = /^1\.0(\.[0-3])?$/;

const MESSAGES: Record<string, string> = {
  RequiredWarning: 'is required',
  RestrictedKeysWarning: 'has properties that xAPI does not allow here',
  VoidWarning: 'a voiding statement must have a StatementRef object',
  IfiCountWarning: 'must have exactly one inverse functional identifier (mbox, mbox_sha1sum, openid or account)',
  NoIfiWarning: 'must have an inverse functional identifier',
  NoMembersWarning: 'an anonymous Group needs members',
  MembersTypeWarning: 'members must be Agents',
  ObjectTypeWarning: 'has an objectType not allowed here',
  SubStatementWarning: 'a SubStatement must not contain id, stored, version, authority or another SubStatement',
  ContextPropWarning: 'revision and platform are only allowed when the object is an Activity',
  RawLessThanMinWarning: 'score.raw is below score.min',
  RawMoreThanMaxWarning: 'score.raw is above score.max',
  MinMoreThanMaxWarning: 'score.min is above score.max',
  RestrictedValueWarning: 'has a value xAPI does not allow',
  InvalidComponentsWarning: 'interaction components are not allowed for this interaction type',
  MissingInteractionTypeWarning: 'interaction components need an interactionType',
  SignedContentTypeWarning: 'a signature attachment must have contentType application/octet-stream',
  MembersLengthWarning: 'has too many members',
};

/**
 * Validates one statement against xAPI 1.0.3 (the maintained @learninglocker/xapi-validation
 * rules, plus the LRS's own: supported version, a voiding statement's target). Returns the
 * problems by path (`statements[2].actor.mbox`), empty when valid.
 */
export function statementProblems(statement: unknown, prefix = 'statement'): FieldError[] {
  if (!statement || typeof statement !== 'object' || Array.isArray(statement)) return [{ field: prefix, message: 'must be a JSON object' }];
  if (!validateXapi) throw new Error('statementProblems: await loadStatementValidator() first');
  const problems: FieldError[] = validateXapi(statement).map((w) => {
    const path = (w.path ?? []).slice(1).join('.');
    const name = w.name ?? 'Warning';
    const message = name === 'TypeWarning' ? `must be ${w.typeName ?? 'of another type'}` : name === 'RestrictedKeysWarning' && w.keys ? `has properties that xAPI does not allow here (${w.keys.join(', ')})` : (MESSAGES[name] ?? 'is not valid xAPI');
    return { field: path ? `${prefix}.${path}` : prefix, message };
  });
  const s = statement as Record<string, unknown>;
  if (s.version !== undefined && (typeof s.version !== 'string' || !SUPPORTED_VERSION.test(s.version))) problems.push({ field: `${prefix}.version`, message: 'must be 1.0.0 to 1.0.3' });
  return problems;
}
