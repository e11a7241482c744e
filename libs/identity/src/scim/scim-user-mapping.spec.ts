import { ScimError } from './scim-protocol.js';
import { applyUserPatch, canonicalPath, ScimUserValues, userFromResource } from './scim-user-mapping.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const base: ScimUserValues = {
  email: 'ana@uprava.rs',
  displayName: 'Ana Petrović',
  externalId: null,
  active: true,
  employeeNumber: null,
  department: 'FIN',
  managerId: null,
  locale: 'en',
};
const patch = (...Operations: unknown[]): unknown => ({ schemas: [PATCH], Operations });

function scimTypeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof ScimError ? ((e.extra['scimType'] as string | undefined) ?? 'none') : 'not a ScimError';
  }
  return undefined;
}

describe('SCIM user mapping', () => {
  it('folds URN prefixes and case in attribute paths', () => {
    expect(canonicalPath(`${ENTERPRISE}:manager`)).toBe('enterprise.manager');
    expect(canonicalPath('urn:ietf:params:scim:schemas:core:2.0:User:userName')).toBe('username');
    expect(canonicalPath('emails[type eq "work"].value')).toBe('emails[type eq "work"].value');
  });

  it('reads a created user: e-mail lower-cased, name fallback, enterprise attributes, Entra booleans', () => {
    const v = userFromResource({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      userName: ' Ana@Uprava.RS ',
      active: 'False',
      name: { givenName: 'Ana', familyName: 'Petrović' },
      [ENTERPRISE]: { department: 'FIN', employeeNumber: '7', manager: { value: 'm-1' } },
      phoneNumbers: [{ value: '1' }],
    });
    expect(v).toEqual({ ...base, active: false, employeeNumber: '7', managerId: 'm-1', locale: null });
  });

  it('applies Entra ID patches: string booleans, path-less values with dotted keys, manager as a bare id, removes', () => {
    expect(applyUserPatch(base, patch({ op: 'Replace', path: 'active', value: 'False' })).active).toBe(false);
    expect(
      applyUserPatch(
        base,
        patch({ op: 'replace', value: { active: 'true', [`${ENTERPRISE}:department`]: 'IT', 'name.formatted': 'Ana P.' } }),
      ),
    ).toMatchObject({
      active: true,
      department: 'IT',
      displayName: 'Ana P.',
    });
    expect(applyUserPatch(base, patch({ op: 'Add', path: `${ENTERPRISE}:manager`, value: 'm-2' })).managerId).toBe('m-2');
    expect(applyUserPatch({ ...base, managerId: 'm-2' }, patch({ op: 'Remove', path: `${ENTERPRISE}:manager` })).managerId).toBeNull();
    expect(applyUserPatch(base, patch({ op: 'Add', path: 'emails[type eq "work"].value', value: 'other@uprava.rs' }))).toEqual(base);
    expect(applyUserPatch(base, patch({ op: 'replace', path: 'name.givenName', value: 'Anna' }))).toEqual(base); // one name part alone keeps displayName
  });

  it('refuses bad patches with the right scimType', () => {
    expect(scimTypeOf(() => applyUserPatch(base, patch({ op: 'replace', path: 'nickname2', value: 'x' })))).toBe('invalidPath');
    expect(scimTypeOf(() => applyUserPatch(base, patch({ op: 'replace', path: 'groups', value: [] })))).toBe('mutability');
    expect(scimTypeOf(() => applyUserPatch(base, patch({ op: 'remove' })))).toBe('noTarget');
    expect(scimTypeOf(() => applyUserPatch(base, patch({ op: 'copy', path: 'active', value: true })))).toBe('invalidSyntax');
    expect(scimTypeOf(() => applyUserPatch(base, patch({ op: 'replace', path: 'active', value: 1 })))).toBe('invalidValue');
    expect(scimTypeOf(() => applyUserPatch(base, { schemas: ['urn:x'], Operations: [] }))).toBe('invalidValue');
  });
});
