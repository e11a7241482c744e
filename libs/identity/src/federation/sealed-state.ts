import { hkdfSync } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';

/**
 * Short-lived state of a sign-in in progress (OIDC state, nonce, PKCE verifier, where to go next),
 * kept in the browser as an encrypted and authenticated cookie (JWE, dir + A256GCM) rather than in
 * server memory, so any replica can finish a sign-in another one started. The key is derived from
 * JWT_SECRET for this purpose only; the browser can neither read nor alter the content.
 */
export class SealedState<T extends Record<string, string>> {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly purpose: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = new Uint8Array(hkdfSync('sha256', secret, 'lms federated sign-in', purpose, 32));
  }

  async seal(value: T): Promise<string> {
    return new EncryptJWT({ ...value })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setAudience(this.purpose)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + this.ttlSeconds)
      .encrypt(this.key);
  }

  /** The sealed value, or null when absent, tampered with, sealed for another purpose or expired. */
  async open(sealed: string | undefined, fields: Array<keyof T & string>): Promise<T | null> {
    if (!sealed || sealed.length > 4096) return null;
    try {
      const { payload } = await jwtDecrypt(sealed, this.key, {
        audience: this.purpose,
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
      });
      const out: Record<string, string> = {};
      for (const f of fields) {
        if (typeof payload[f] !== 'string') return null;
        out[f] = payload[f];
      }
      return out as T;
    } catch {
      return null;
    }
  }
}
