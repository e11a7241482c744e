import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption of issuer private keys at rest: AES-256-GCM with a key derived by HKDF-SHA256 from
 * CREDENTIAL_KEY_SECRET and a random per-key salt; the kid is bound as associated data so a
 * ciphertext cannot be moved to another key's row. Format: `v1.<salt>.<iv>.<tag>.<ciphertext>`.
 */
const INFO = Buffer.from('lms/credential-issuer-key/v1');

function deriveKey(secret: string, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), salt, INFO, 32));
}

export function encryptPrivateKey(plaintext: Buffer, secret: string, kid: string): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(secret, salt), iv);
  cipher.setAAD(Buffer.from(kid, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return ['v1', salt, iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

export class KeyDecryptionError extends Error {}

export function decryptPrivateKey(stored: string, secret: string, kid: string): Buffer {
  const parts = stored.split('.');
  if (parts.length !== 5 || parts[0] !== 'v1') throw new KeyDecryptionError(`issuer key ${kid}: unknown storage format`);
  const [salt, iv, tag, ciphertext] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
  try {
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(secret, salt), iv);
    decipher.setAAD(Buffer.from(kid, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new KeyDecryptionError(`issuer key ${kid} cannot be decrypted with CREDENTIAL_KEY_SECRET (was the secret changed? rotate the key to recover)`);
  }
}
