import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Holder binding (docs/credentials.md, docs/hub.md): an Open Badges 3.0 IdentityObject naming the
 * holder by a salted hash of their e-mail address. The IdentityHash format of OB 3.0 is
 * `algorithm$hex`, the hash taken over the identifier with the salt appended; the salt is given
 * next to it. The e-mail address itself never appears in the credential.
 */
export interface EmailIdentityObject {
  type: 'IdentityObject';
  identityType: 'emailAddress';
  hashed: true;
  identityHash: string;
  salt: string;
}

/** 16 random bytes per credential: the same person's credentials do not share a hash. */
const SALT_BYTES = 16;
const SHA256_HASH = /^sha256\$([0-9a-f]{64})$/i;

/** How e-mail addresses are compared: trimmed and lower-cased (as app_user stores them). */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function sha256Hex(email: string, salt: string): string {
  return createHash('sha256').update(normaliseEmail(email) + salt, 'utf8').digest('hex');
}

/** The holder's e-mail as an IdentityObject with a fresh random salt (or the given one). */
export function emailIdentityObject(email: string, salt: string = randomBytes(SALT_BYTES).toString('hex')): EmailIdentityObject {
  return { type: 'IdentityObject', identityType: 'emailAddress', hashed: true, identityHash: `sha256$${sha256Hex(email, salt)}`, salt };
}

/**
 * Whether a credential's `credentialSubject.identifier` names the given e-mail address:
 * `unbound` when it holds no usable e-mail IdentityObject (hashed with sha256), `match` when one
 * of them is the hash of the lower-cased address with its salt (compared in constant time),
 * `mismatch` otherwise. Anything malformed in the identifiers is skipped, never thrown.
 */
export function matchEmailIdentity(identifier: unknown, email: string): 'match' | 'mismatch' | 'unbound' {
  const entries = (Array.isArray(identifier) ? identifier : identifier === undefined || identifier === null ? [] : [identifier]).slice(0, 20);
  let bound = false;
  for (const entry of entries) {
    if (!entry || typeof entry !== 'object') continue;
    const e = entry as Record<string, unknown>;
    if (e.identityType !== 'emailAddress' || e.hashed !== true || typeof e.identityHash !== 'string') continue;
    const m = SHA256_HASH.exec(e.identityHash);
    const salt = typeof e.salt === 'string' ? e.salt : e.salt === undefined || e.salt === null ? '' : null;
    if (!m || salt === null || salt.length > 200) continue;
    bound = true;
    const expected = Buffer.from(m[1].toLowerCase(), 'hex');
    const actual = Buffer.from(sha256Hex(email, salt), 'hex');
    if (timingSafeEqual(expected, actual)) return 'match';
  }
  return bound ? 'mismatch' : 'unbound';
}
