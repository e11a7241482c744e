import { DomainError } from '@lms/platform';

/** SCIM 2.0 (RFC 7643/7644) URNs this service speaks. */
export const SCIM = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

export const SCIM_CONTENT_TYPE = 'application/scim+json';
/** Where the SCIM endpoints live (no /api/v1 prefix: the paths are fixed by RFC 7644 practice). */
export const SCIM_BASE_PATH = '/scim/v2';
/** Largest page a list answers (a larger `count` is lowered to it, as RFC 7644 §3.4.2.4 allows). */
export const SCIM_MAX_COUNT = 200;
export const SCIM_DEFAULT_COUNT = 100;
/** Most operations one PATCH may carry. */
export const SCIM_MAX_OPERATIONS = 1000;

/** RFC 7644 §3.12 `scimType` values used here. */
export type ScimType =
  'invalidFilter' | 'tooMany' | 'uniqueness' | 'mutability' | 'invalidSyntax' | 'invalidPath' | 'noTarget' | 'invalidValue';

/**
 * A SCIM protocol error. It travels through the ordinary exception filter as a problem document
 * carrying `scimType`; under /scim/v2 the response hook rewrites it into a SCIM Error body.
 */
export class ScimError extends DomainError {
  constructor(status: number, detail: string, scimType?: ScimType) {
    super(scimType ? `scim_${scimType}` : 'scim_error', detail, status, scimType ? { scimType } : {});
  }

  static invalidValue(detail: string): ScimError {
    return new ScimError(400, detail, 'invalidValue');
  }
  static invalidSyntax(detail: string): ScimError {
    return new ScimError(400, detail, 'invalidSyntax');
  }
  static invalidPath(detail: string): ScimError {
    return new ScimError(400, detail, 'invalidPath');
  }
  static invalidFilter(detail: string): ScimError {
    return new ScimError(400, detail, 'invalidFilter');
  }
  static mutability(detail: string): ScimError {
    return new ScimError(400, detail, 'mutability');
  }
  static uniqueness(detail: string): ScimError {
    return new ScimError(409, detail, 'uniqueness');
  }
  static notFound(kind: 'User' | 'Group', id: string): ScimError {
    return new ScimError(404, `${kind} ${id} not found`);
  }
}

/** A SCIM Error body (RFC 7644 §3.12) from a problem document. */
export function scimErrorBody(status: number, detail: string | undefined, scimType?: unknown): Record<string, unknown> {
  return {
    schemas: [SCIM.error],
    status: String(status),
    ...(typeof scimType === 'string' ? { scimType } : {}),
    ...(detail ? { detail } : {}),
  };
}

export interface ListQuery {
  filter?: string;
  startIndex: number;
  count: number;
  excludedAttributes: Set<string>;
  attributes: Set<string>;
}

function intParam(name: string, raw: unknown, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (typeof raw !== 'string' || !/^-?\d{1,15}$/.test(raw.trim())) throw ScimError.invalidValue(`${name} must be an integer`);
  return Number(raw.trim());
}

function attrSet(raw: unknown, name: string): Set<string> {
  if (raw === undefined) return new Set();
  if (typeof raw !== 'string') throw ScimError.invalidValue(`${name} must be given once, as a comma-separated list`);
  return new Set(
    raw
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** Reads `filter`, `startIndex` (1-based; below 1 means 1) and `count` (0…SCIM_MAX_COUNT; negative means 0) from a query string. */
export function parseListQuery(query: Record<string, unknown>): ListQuery {
  const filter = query['filter'];
  if (filter !== undefined && typeof filter !== 'string') throw ScimError.invalidFilter('filter must be given once');
  const startIndex = Math.max(1, intParam('startIndex', query['startIndex'], 1));
  const count = Math.min(SCIM_MAX_COUNT, Math.max(0, intParam('count', query['count'], SCIM_DEFAULT_COUNT)));
  return {
    filter: filter?.trim() || undefined,
    startIndex,
    count,
    excludedAttributes: attrSet(query['excludedAttributes'], 'excludedAttributes'),
    attributes: attrSet(query['attributes'], 'attributes'),
  };
}

export function listResponse(resources: object[], total: number, startIndex: number): Record<string, unknown> {
  return { schemas: [SCIM.listResponse], totalResults: total, startIndex, itemsPerPage: resources.length, Resources: resources };
}

/** The body must be a JSON object naming `required` among its `schemas`, and no schema outside `allowed`. */
export function assertSchemas(body: unknown, required: string, allowed: readonly string[]): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw ScimError.invalidSyntax('The request body must be a JSON object');
  const obj = body as Record<string, unknown>;
  const schemas = obj['schemas'];
  if (!Array.isArray(schemas) || schemas.some((s) => typeof s !== 'string'))
    throw ScimError.invalidSyntax(`schemas must be an array of URNs including ${required}`);
  const known = new Set(allowed.map((s) => s.toLowerCase()));
  const unknown = (schemas as string[]).filter((s) => !known.has(s.toLowerCase()));
  if (unknown.length) throw ScimError.invalidValue(`Unsupported schema: ${unknown.slice(0, 3).join(', ')}`);
  if (!(schemas as string[]).some((s) => s.toLowerCase() === required.toLowerCase()))
    throw ScimError.invalidSyntax(`schemas must include ${required}`);
  return obj;
}

/** SCIM booleans, including Entra ID's strings "True" and "False". */
export function scimBoolean(value: unknown, attr: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  throw ScimError.invalidValue(`${attr} must be a boolean`);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** True when the text holds half of a UTF-16 surrogate pair (PostgreSQL cannot store it). */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** A string attribute (or null to clear when `nullable`), at most `max` characters. */
export function scimString(value: unknown, attr: string, max = 256): string {
  if (typeof value !== 'string') throw ScimError.invalidValue(`${attr} must be a string`);
  if (value.length > max) throw ScimError.invalidValue(`${attr} must be at most ${max} characters`);
  if (hasLoneSurrogate(value)) throw ScimError.invalidValue(`${attr} holds a lone UTF-16 surrogate`);
  return value;
}
