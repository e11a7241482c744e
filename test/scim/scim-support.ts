import type { OrgUnit, User } from '@lms/identity';
import type { TestApi } from '@lms/testing';
import { tokenFor } from '@lms/testing';

export const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const SCIM_ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const SCIM_PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** Creates a SCIM client through the admin API and returns its id and token. */
export async function aScimClient(
  api: TestApi,
  admin: User,
  scope: OrgUnit,
  opts: { defaultOrgUnit?: OrgUnit; departmentMatch?: 'code' | 'name'; name?: string } = {},
): Promise<{ id: string; token: string }> {
  const res = await api.http
    .post('/api/v1/admin/scim-clients')
    .set('authorization', `Bearer ${await tokenFor(api.config, admin)}`)
    .send({
      name: opts.name ?? 'Entra ID',
      scopeOrgUnitId: scope.id,
      ...(opts.defaultOrgUnit ? { defaultOrgUnitId: opts.defaultOrgUnit.id } : {}),
      ...(opts.departmentMatch ? { departmentMatch: opts.departmentMatch } : {}),
    });
  if (res.status !== 201) throw new Error(`creating a SCIM client: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id as string, token: res.body.token as string };
}

/** A user resource as Microsoft Entra ID's provisioning service sends it on create. */
export function entraUser(opts: {
  email: string;
  externalId: string;
  displayName: string;
  department?: string;
  employeeNumber?: string;
  given?: string;
  family?: string;
}): Record<string, unknown> {
  return {
    schemas: [SCIM_USER, SCIM_ENTERPRISE],
    externalId: opts.externalId,
    userName: opts.email,
    active: true,
    displayName: opts.displayName,
    emails: [{ primary: true, type: 'work', value: opts.email }],
    name: { formatted: opts.displayName, familyName: opts.family ?? 'Family', givenName: opts.given ?? 'Given' },
    [SCIM_ENTERPRISE]: {
      ...(opts.department ? { department: opts.department } : {}),
      ...(opts.employeeNumber ? { employeeNumber: opts.employeeNumber } : {}),
    },
  };
}

export function patchOp(...operations: Array<Record<string, unknown>>): Record<string, unknown> {
  return { schemas: [SCIM_PATCH], Operations: operations };
}

/** Asserts a SCIM Error answer (RFC 7644 §3.12) with the given status and scimType. */
export function expectScimError(
  res: { status: number; headers: Record<string, string>; body: Record<string, unknown> },
  status: number,
  scimType?: string,
): void {
  expect({ status: res.status, type: res.headers['content-type'], schemas: res.body['schemas'], bodyStatus: res.body['status'] }).toEqual({
    status,
    type: 'application/scim+json; charset=utf-8',
    schemas: [SCIM_ERROR],
    bodyStatus: String(status),
  });
  if (scimType) expect(res.body['scimType']).toBe(scimType);
  expect(typeof res.body['detail']).toBe('string');
}
