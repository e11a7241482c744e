import { createHash } from 'node:crypto';
import { emailIdentityObject, matchEmailIdentity } from './holder-identity.js';

describe('holder identity (salted e-mail hash, OB 3.0 IdentityObject)', () => {
  it('hashes the lower-cased address with the salt appended, as sha256$hex, without the address itself', () => {
    const id = emailIdentityObject('  Ana.Anic@Example.ORG ', 'c0ffee');
    const expected = createHash('sha256').update('ana.anic@example.orgc0ffee').digest('hex');
    expect(id).toEqual({ type: 'IdentityObject', identityType: 'emailAddress', hashed: true, identityHash: `sha256$${expected}`, salt: 'c0ffee' });
    expect(JSON.stringify(id).toLowerCase()).not.toContain('ana.anic');
  });

  it('draws a fresh random salt each time: two credentials of one person do not share a hash', () => {
    const one = emailIdentityObject('ana@example.org');
    const two = emailIdentityObject('ana@example.org');
    expect(one.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(one.salt).not.toBe(two.salt);
    expect(one.identityHash).not.toBe(two.identityHash);
  });

  it('matches the same address in any case, refuses another, and says when there is nothing to compare', () => {
    const name = { type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: 'Ana Anić' };
    const identifier = [name, emailIdentityObject('ana@example.org')];
    expect(matchEmailIdentity(identifier, 'ANA@example.org')).toBe('match');
    expect(matchEmailIdentity(identifier, 'ana@example.net')).toBe('mismatch');
    expect(matchEmailIdentity([name], 'ana@example.org')).toBe('unbound');
    expect(matchEmailIdentity(undefined, 'ana@example.org')).toBe('unbound');
    // Any one of several e-mail identities may match; a single object (not an array) counts too.
    expect(matchEmailIdentity([emailIdentityObject('old@example.org'), emailIdentityObject('ana@example.org')], 'ana@example.org')).toBe('match');
    expect(matchEmailIdentity(emailIdentityObject('ana@example.org'), 'ana@example.org')).toBe('match');
  });

  it('skips malformed or unhashed e-mail identifiers instead of throwing (a plain address is not proof)', () => {
    const good = emailIdentityObject('ana@example.org');
    for (const bad of [
      { ...good, identityHash: 'md5$0123' },
      { ...good, identityHash: 'sha256$zz' },
      { ...good, salt: 42 },
      { ...good, hashed: false, identityHash: 'ana@example.org' },
      'ana@example.org',
      null,
      42,
    ]) {
      expect(matchEmailIdentity([bad], 'ana@example.org')).toBe('unbound');
    }
    expect(matchEmailIdentity({ identityType: 'emailAddress' }, 'ana@example.org')).toBe('unbound');
  });

  it('accepts an unsalted hash (OB 3.0: no salt means the hash was not salted)', () => {
    const hash = createHash('sha256').update('ana@example.org').digest('hex');
    const unsalted = { type: 'IdentityObject', identityType: 'emailAddress', hashed: true, identityHash: `sha256$${hash.toUpperCase()}` };
    expect(matchEmailIdentity([unsalted], 'ana@example.org')).toBe('match');
    expect(matchEmailIdentity([unsalted], 'bob@example.org')).toBe('mismatch');
  });
});
