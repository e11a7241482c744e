import { randomBytes } from 'node:crypto';
import { decryptPrivateKey, encryptPrivateKey, KeyDecryptionError } from './key-crypto.js';

describe('issuer key encryption at rest', () => {
  const secret = randomBytes(32).toString('hex');
  const key = randomBytes(48);

  it('round-trips and never stores the plaintext', async () => {
    const stored = encryptPrivateKey(key, secret, 'kid-1');
    expect(stored.startsWith('v1.')).toBe(true);
    expect(stored).not.toContain(key.toString('base64url'));
    expect(decryptPrivateKey(stored, secret, 'kid-1').equals(key)).toBe(true);
  });

  it('uses a fresh salt and IV each time', async () => {
    expect(encryptPrivateKey(key, secret, 'kid-1')).not.toBe(encryptPrivateKey(key, secret, 'kid-1'));
  });

  it('refuses another secret, another kid (associated data) and tampering', async () => {
    const stored = encryptPrivateKey(key, secret, 'kid-1');
    expect(() => decryptPrivateKey(stored, 'another secret of enough length......', 'kid-1')).toThrow(KeyDecryptionError);
    expect(() => decryptPrivateKey(stored, secret, 'kid-2')).toThrow(KeyDecryptionError);
    const parts = stored.split('.');
    const ct = Buffer.from(parts[4], 'base64url');
    ct[0] ^= 1;
    parts[4] = ct.toString('base64url');
    expect(() => decryptPrivateKey(parts.join('.'), secret, 'kid-1')).toThrow(KeyDecryptionError);
    expect(() => decryptPrivateKey('v0.x', secret, 'kid-1')).toThrow(KeyDecryptionError);
  });
});
