import { hasLoneSurrogate, ScimError } from './scim-protocol.js';

/** One `attribute eq value` comparison; `attribute` lower-cased, with the core schema URN removed. */
export interface EqTerm {
  attribute: string;
  value: string | boolean;
}

const MAX_FILTER_LENGTH = 1024;
const CORE_PREFIXES = ['urn:ietf:params:scim:schemas:core:2.0:user:', 'urn:ietf:params:scim:schemas:core:2.0:group:'];

/** Splits on the keyword `and` outside quoted strings and brackets. */
function splitAnd(filter: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (depth === 0 && /\s/.test(c) && /^\s+and\s+/i.test(filter.slice(i))) {
      const m = /^\s+and\s+/i.exec(filter.slice(i))!;
      parts.push(filter.slice(start, i));
      i += m[0].length - 1;
      start = i + 1;
    }
  }
  parts.push(filter.slice(start));
  return parts.map((p) => p.trim());
}

function unquote(raw: string): string {
  try {
    return JSON.parse(raw) as string;
  } catch {
    throw ScimError.invalidFilter('a quoted value in the filter is not a valid JSON string');
  }
}

const TERM = /^([A-Za-z][\w.:-]*?)\s+eq\s+("(?:[^"\\]|\\.)*"|true|false)$/i;
const MEMBER_TERM = /^members\[\s*value\s+eq\s+("(?:[^"\\]|\\.)*")\s*\]$/i;

/**
 * Parses the subset of RFC 7644 §3.4.2.2 filters that provisioning clients send: comparisons
 * `attribute eq "value"` joined by `and` (and, for groups, `members[value eq "…"]`). `allowed`
 * lists the attributes that may be compared (lower case). Anything else is 400 `invalidFilter`.
 */
export function parseEqFilter(filter: string, allowed: readonly string[]): EqTerm[] {
  if (filter.length > MAX_FILTER_LENGTH) throw ScimError.invalidFilter(`the filter is longer than ${MAX_FILTER_LENGTH} characters`);
  if (hasLoneSurrogate(filter)) throw ScimError.invalidFilter('the filter holds a lone UTF-16 surrogate');
  const terms: EqTerm[] = [];
  for (const part of splitAnd(filter)) {
    const member = MEMBER_TERM.exec(part);
    if (member) {
      if (!allowed.includes('members.value')) throw ScimError.invalidFilter('members cannot be filtered here');
      terms.push({ attribute: 'members.value', value: unquote(member[1]) });
      continue;
    }
    const m = TERM.exec(part);
    if (!m)
      throw ScimError.invalidFilter(`unsupported filter "${part.slice(0, 100)}": only attribute eq "value" (joined by and) is supported`);
    let attribute = m[1].toLowerCase();
    for (const p of CORE_PREFIXES) if (attribute.startsWith(p)) attribute = attribute.slice(p.length);
    if (!allowed.includes(attribute))
      throw ScimError.invalidFilter(`filtering on ${m[1]} is not supported (supported: ${allowed.join(', ')})`);
    const raw = m[2];
    terms.push({ attribute, value: raw.startsWith('"') ? unquote(raw) : raw.toLowerCase() === 'true' });
  }
  if (terms.length === 0) throw ScimError.invalidFilter('the filter is empty');
  return terms;
}
