import { parseEqFilter } from './scim-filter.js';
import { ScimError } from './scim-protocol.js';

const USERS = ['username', 'externalid', 'id', 'active'];

function scimTypeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof ScimError ? (e.extra['scimType'] as string) : 'not a ScimError';
  }
  return undefined;
}

describe('parseEqFilter', () => {
  it('reads eq comparisons joined by and, with attribute names in any case and JSON string escapes', () => {
    expect(parseEqFilter('userName eq "ana@uprava.rs"', USERS)).toEqual([{ attribute: 'username', value: 'ana@uprava.rs' }]);
    expect(parseEqFilter('externalId EQ "a \\"b\\" and c" and active eq true', USERS)).toEqual([
      { attribute: 'externalid', value: 'a "b" and c' },
      { attribute: 'active', value: true },
    ]);
    expect(parseEqFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"', USERS)).toEqual([
      { attribute: 'username', value: 'x' },
    ]);
    expect(parseEqFilter('id eq "g" and members[value eq "u-1"]', ['id', 'members.value'])).toEqual([
      { attribute: 'id', value: 'g' },
      { attribute: 'members.value', value: 'u-1' },
    ]);
  });

  it('refuses everything else with invalidFilter', () => {
    for (const f of [
      'userName co "a"',
      'userName eq',
      'userName eq "a" or id eq "b"',
      'not (userName eq "a")',
      'title eq "x"',
      'members[value eq "x"]',
      'userName eq "\uD800"',
      'x'.repeat(2000),
    ]) {
      expect(scimTypeOf(() => parseEqFilter(f, USERS))).toBe('invalidFilter');
    }
  });
});
