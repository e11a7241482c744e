import { commonPasswords, hashPassword, passwordProblem, verifyPassword } from './password.js';

describe('password rules', () => {
  it('ships a common-password list of several thousand entries', () => {
    expect(commonPasswords().size).toBeGreaterThan(3000);
    expect(commonPasswords().has('password1234')).toBe(true);
  });

  it('refuses short, common, repeated and e-mail passwords (case ignored)', () => {
    expect(passwordProblem('short-pw')).toMatch(/at least 12/);
    expect(passwordProblem('Password1234')).toMatch(/too common/);
    expect(passwordProblem('QWERTYUIOP123')).toMatch(/too common/);
    expect(passwordProblem('lozinka12345')).toMatch(/too common/);
    expect(passwordProblem('zzzzzzzzzzzzzz')).toMatch(/./);
    expect(passwordProblem('Ana.Petrovic@uprava.gov.rs', 'ana.petrovic@uprava.gov.rs')).toMatch(/e-mail/);
    expect(passwordProblem('x'.repeat(300))).toMatch(/at most/);
  });

  it('accepts a long uncommon passphrase', () => {
    expect(passwordProblem('tiha-reka-nosi-7-oblaka', 'ana@uprava.gov.rs')).toBeNull();
  });

  it('hashes with argon2id at the OWASP parameters and verifies', async () => {
    const hash = await hashPassword('tiha-reka-nosi-7-oblaka');
    expect(hash).toMatch(/^\$argon2id\$v=19\$/);
    expect(hash.split('$')[3].split(',').sort()).toEqual(['m=19456', 'p=1', 't=2']);
    await expect(verifyPassword(hash, 'tiha-reka-nosi-7-oblaka')).resolves.toBe(true);
    await expect(verifyPassword(hash, 'wrong-password-here')).resolves.toBe(false);
    await expect(verifyPassword('not-a-hash', 'anything-at-all')).resolves.toBe(false);
  });
});
