import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The Basic password of an external LRS at rest: AES-256-GCM with a key derived by HKDF-SHA256 from
 * CREDENTIAL_KEY_SECRET and a random salt; the endpoint id is bound as associated data, so a
 * ciphertext cannot be moved to another endpoint's row. Format: `v1.<salt>.<iv>.<tag>.<ciphertext>`.
 */
const INFO = Buffer.from('lms/lrs-endpoint-password/v1');

function deriveKey(secret: string, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), salt, INFO, 32));
}

export function sealEndpointPassword(password: string, secret: string, endpointId: string): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(secret, salt), iv);
  cipher.setAAD(Buffer.from(endpointId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
  return ['v1', ...[salt, iv, cipher.getAuthTag(), ciphertext].map((p) => p.toString('base64url'))].join('.');
}

/** Throws (without the value) when the secret changed or the row was tampered with. */
export function openEndpointPassword(stored: string, secret: string, endpointId: string): string {
  const parts = stored.split('.');
  if (parts.length !== 5 || parts[0] !== 'v1') throw new Error(`LRS endpoint ${endpointId}: unknown password storage format`);
  const [salt, iv, tag, ciphertext] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
  try {
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(secret, salt), iv);
    decipher.setAAD(Buffer.from(endpointId, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new Error(`LRS endpoint ${endpointId}: the password cannot be decrypted with CREDENTIAL_KEY_SECRET (was the secret changed? set the password again)`);
  }
}
