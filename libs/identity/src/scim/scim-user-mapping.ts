import { nameProblem, normalizeName } from '@lms/platform';
import { DISPLAY_NAME_MAX_LENGTH, isValidEmail, normalizeEmail } from '../user-fields.js';
import { canonicalLocale } from '@lms/i18n';
import { type Locale } from '../user.entity.js';
import { assertSchemas, SCIM, SCIM_MAX_OPERATIONS, ScimError, scimBoolean, scimString } from './scim-protocol.js';

/** What a SCIM User says about a person, in this module's terms. */
export interface ScimUserValues {
  /** userName: the person's e-mail address, lower-cased. */
  email: string;
  displayName: string;
  externalId: string | null;
  active: boolean;
  employeeNumber: string | null;
  /** The enterprise `department`: an org unit code or name (per client); null → the client's default unit. */
  department: string | null;
  managerId: string | null;
  locale: Locale | null;
}

const ENTERPRISE = SCIM.enterprise.toLowerCase();
const CORE = `${SCIM.user.toLowerCase()}:`;
const EXTERNAL_ID_MAX = 255;

/** Core and enterprise attributes a client may send that this service accepts and does not keep. */
const IGNORED = new Set([
  'emails',
  'title',
  'nickname',
  'profileurl',
  'usertype',
  'timezone',
  'locale',
  'phonenumbers',
  'addresses',
  'ims',
  'photos',
  'entitlements',
  'roles',
  'x509certificates',
  'password',
  'name.middlename',
  'name.honorificprefix',
  'name.honorificsuffix',
  'enterprise.costcenter',
  'enterprise.organization',
  'enterprise.division',
  'enterprise.manager.displayname',
]);
const READ_ONLY = new Set(['id', 'groups', 'meta']);

function email(value: unknown): string {
  const e = normalizeEmail(scimString(value, 'userName', 320));
  if (!isValidEmail(e)) throw ScimError.invalidValue('userName must be an e-mail address');
  return e;
}

function displayName(value: unknown, attr = 'displayName'): string {
  const name = normalizeName(scimString(value, attr, 1000));
  const problem = name ? nameProblem(name, DISPLAY_NAME_MAX_LENGTH) : 'must not be empty';
  if (problem) throw ScimError.invalidValue(`${attr} ${problem}`);
  return name;
}

function optionalText(value: unknown, attr: string, max: number): string | null {
  if (value === null) return null;
  const s = scimString(value, attr, max).trim();
  return s === '' ? null : s;
}

function managerValue(value: unknown): string | null {
  if (value === null || value === '') return null;
  // Entra ID sends the manager's id as a bare string; RFC 7643 as {"value": id}.
  const id = typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)['value'] : value;
  if (id === null || id === undefined || id === '') return null;
  return scimString(id, 'manager.value', 64);
}

function locale(value: unknown): Locale | null {
  if (value === null) return null;
  // Any valid BCP 47 tag (Entra sends e.g. en-US or sr-Latn-RS), stored canonical; the fallback chains
  // of @lms/i18n pick the interface and content language from it. An invalid tag is ignored.
  const s = scimString(value, 'preferredLanguage', 35);
  return canonicalLocale(s.replace(/_/g, '-'));
}

/** Canonical attribute path: lower case, URN prefixes folded (core removed, enterprise → `enterprise.`). */
export function canonicalPath(path: string): string {
  let p = path.trim().toLowerCase();
  if (p.startsWith(`${ENTERPRISE}:`)) p = `enterprise.${p.slice(ENTERPRISE.length + 1)}`;
  else if (p === ENTERPRISE) p = 'enterprise';
  else if (p.startsWith(CORE)) p = p.slice(CORE.length);
  return p.replace(/\s+/g, ' ');
}

/** Name parts seen in one request, used for displayName only when no displayName is given. */
interface NameParts {
  formatted?: string;
  givenName?: string;
  familyName?: string;
}

function nameFallback(parts: NameParts): string | undefined {
  if (parts.formatted) return parts.formatted;
  if (parts.givenName && parts.familyName) return `${parts.givenName} ${parts.familyName}`;
  return undefined;
}

/**
 * Applies one attribute (canonical path) to `v`. `value === undefined` means remove.
 * Unknown attributes are 400 invalidPath; read-only ones 400 mutability.
 */
function setAttribute(v: ScimUserValues, names: NameParts, path: string, value: unknown): void {
  const remove = value === undefined;
  const need = (attr: string): void => {
    if (remove) throw ScimError.invalidValue(`${attr} is required and cannot be removed`);
  };
  if (READ_ONLY.has(path) || path.startsWith('meta.') || path.startsWith('groups')) throw ScimError.mutability(`${path} is read-only`);
  if (
    IGNORED.has(path) ||
    path.startsWith('emails[') ||
    path.startsWith('emails.') ||
    path.startsWith('phonenumbers[') ||
    path.startsWith('addresses[')
  )
    return;
  switch (path) {
    case 'username':
      need('userName');
      v.email = email(value);
      return;
    case 'displayname':
      need('displayName');
      v.displayName = displayName(value);
      return;
    case 'externalid':
      v.externalId = remove ? null : optionalText(value, 'externalId', EXTERNAL_ID_MAX);
      return;
    case 'active':
      need('active');
      v.active = scimBoolean(value, 'active');
      return;
    case 'preferredlanguage':
      v.locale = remove ? null : locale(value);
      return;
    case 'name':
      if (remove) return;
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw ScimError.invalidValue('name must be an object');
      for (const [k, sub] of Object.entries(value as Record<string, unknown>)) setAttribute(v, names, `name.${k.toLowerCase()}`, sub);
      return;
    case 'name.formatted':
    case 'name.givenname':
    case 'name.familyname': {
      if (remove || value === null) return;
      const text = displayName(value, path);
      if (path === 'name.formatted') names.formatted = text;
      else if (path === 'name.givenname') names.givenName = text;
      else names.familyName = text;
      return;
    }
    case 'enterprise':
      if (remove) {
        v.employeeNumber = null;
        v.department = null;
        v.managerId = null;
        return;
      }
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw ScimError.invalidValue(`${SCIM.enterprise} must be an object`);
      for (const [k, sub] of Object.entries(value as Record<string, unknown>)) setAttribute(v, names, `enterprise.${k.toLowerCase()}`, sub);
      return;
    case 'enterprise.employeenumber':
      v.employeeNumber = remove ? null : optionalText(value, 'employeeNumber', 64);
      return;
    case 'enterprise.department':
      v.department = remove ? null : optionalText(value, 'department', 200);
      return;
    case 'enterprise.manager':
    case 'enterprise.manager.value':
      v.managerId = remove ? null : managerValue(value);
      return;
    default:
      throw ScimError.invalidPath(`The attribute ${path.slice(0, 200)} is not supported`);
  }
}

function finishName(v: ScimUserValues, names: NameParts, displayNameGiven: boolean): void {
  if (displayNameGiven) return;
  const fallback = nameFallback(names);
  if (fallback) v.displayName = displayName(fallback);
}

/** A full User resource (POST, PUT) as values. Unknown top-level attributes outside the schemas are refused. */
export function userFromResource(body: unknown): ScimUserValues {
  const obj = assertSchemas(body, SCIM.user, [SCIM.user, SCIM.enterprise]);
  if (obj['userName'] === undefined) throw ScimError.invalidValue('userName is required');
  const v: ScimUserValues = {
    email: '',
    displayName: '',
    externalId: null,
    active: true,
    employeeNumber: null,
    department: null,
    managerId: null,
    locale: null,
  };
  const names: NameParts = {};
  let displayNameGiven = false;
  for (const [key, value] of Object.entries(obj)) {
    const path = canonicalPath(key);
    if (path === 'schemas' || path === 'id' || path === 'meta' || path === 'groups') continue; // read-only: ignored on input (RFC 7643 §7)
    if (value === null) continue;
    if (path === 'displayname') displayNameGiven = true;
    setAttribute(v, names, path, value);
  }
  finishName(v, names, displayNameGiven);
  if (!v.displayName) v.displayName = displayName(v.email.split('@')[0], 'userName');
  return v;
}

interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

function operations(body: unknown): PatchOperation[] {
  const obj = assertSchemas(body, SCIM.patchOp, [SCIM.patchOp]);
  const ops = obj['Operations'] ?? obj['operations'];
  if (!Array.isArray(ops) || ops.length === 0) throw ScimError.invalidSyntax('Operations must be a non-empty array');
  if (ops.length > SCIM_MAX_OPERATIONS) throw ScimError.invalidValue(`at most ${SCIM_MAX_OPERATIONS} operations per request`);
  return ops.map((raw: unknown, i) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw ScimError.invalidSyntax(`Operations[${i}] must be an object`);
    const o = raw as Record<string, unknown>;
    const op = typeof o['op'] === 'string' ? o['op'].toLowerCase() : undefined;
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      throw ScimError.invalidSyntax(`Operations[${i}].op must be add, replace or remove`);
    if (o['path'] !== undefined && (typeof o['path'] !== 'string' || o['path'].length > 500))
      throw ScimError.invalidPath(`Operations[${i}].path must be a string`);
    return { op, path: o['path'] as string | undefined, value: o['value'] };
  });
}

/** PatchOp operations for a Group (path and value kept as sent). */
export function patchOperations(body: unknown): PatchOperation[] {
  return operations(body);
}

/**
 * Applies a PatchOp (RFC 7644 §3.5.2) to a person's current values: add/replace/remove, with or
 * without `path`, including what Entra ID sends (`"active": "False"`, op names in any case,
 * `emails[type eq "work"].value`, `urn:…:enterprise:2.0:User:manager` with a bare id, dotted keys
 * in a path-less value).
 */
export function applyUserPatch(current: ScimUserValues, body: unknown): ScimUserValues {
  const v: ScimUserValues = { ...current };
  const names: NameParts = {};
  let displayNameGiven = false;
  for (const o of operations(body)) {
    if (o.path === undefined || o.path.trim() === '') {
      if (o.op === 'remove') throw new ScimError(400, 'A remove operation needs a path', 'noTarget');
      if (!o.value || typeof o.value !== 'object' || Array.isArray(o.value))
        throw ScimError.invalidValue('an operation without path needs an object value');
      for (const [key, value] of Object.entries(o.value as Record<string, unknown>)) {
        const path = canonicalPath(key);
        if (path === 'schemas') continue;
        if (path === 'displayname') displayNameGiven = true;
        setAttribute(v, names, path, value === null ? undefined : value);
      }
      continue;
    }
    const path = canonicalPath(o.path);
    if (o.op === 'remove') {
      setAttribute(v, names, path, undefined);
      continue;
    }
    if (o.value === undefined) throw ScimError.invalidValue(`Operation on ${o.path.slice(0, 200)} needs a value`);
    if (path === 'displayname') displayNameGiven = true;
    // A single-element array holding an object with `value` is how some clients send a scalar.
    let value: unknown = o.value;
    if (Array.isArray(value) && value.length === 1 && path !== 'emails') {
      const only = value[0] as unknown;
      value =
        only && typeof only === 'object' && 'value' in (only as object) && path !== 'enterprise.manager'
          ? (only as { value: unknown }).value
          : only;
    }
    setAttribute(v, names, path, value === null ? undefined : value);
  }
  finishName(v, names, displayNameGiven);
  return v;
}
