import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import argon2 from 'argon2';

/** OWASP password-storage parameters for argon2id: 19 MiB memory, 2 passes, 1 lane. */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
export const PASSWORD_MIN_LENGTH = 12;
/** Longer inputs are refused before hashing (argon2 would accept them, but there is no use). */
export const PASSWORD_MAX_LENGTH = 256;

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

/** Verifies without ever throwing on a malformed stored hash. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

export function needsRehash(hash: string): boolean {
  try {
    return argon2.needsRehash(hash, ARGON2_OPTIONS);
  } catch {
    return true;
  }
}

let dummyHash: Promise<string> | undefined;
/** A hash of a random password, verified when the e-mail is unknown so both paths cost the same. */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
  return dummyHash;
}

let common: Set<string> | undefined;
/**
 * The shipped list (libs/identity/src/common-passwords.txt, copied next to the compiled module by
 * the build). Looked up beside this module first, then in the source tree (tests, dev builds).
 */
export function commonPasswords(): Set<string> {
  if (common) return common;
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'common-passwords.txt')];
  for (let dir = here, i = 0; i < 6; i++, dir = dirname(dir)) candidates.push(join(dir, 'libs', 'identity', 'src', 'common-passwords.txt'));
  const file = candidates.find((f) => existsSync(f));
  if (!file) throw new Error('common-passwords.txt is missing from the build (expected beside password.js)');
  common = new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  );
  return common;
}

export type PasswordProblem = 'too_short' | 'too_long' | 'too_common' | 'repeated' | 'is_email';

/**
 * Password rules (OWASP ASVS 5.0, V6.2): at least 12 characters, at most 256, no composition rules;
 * not on the shipped list of common and breached passwords (case ignored), not one character
 * repeated, not the e-mail address or its local part. The reason as a code (pages translate it),
 * or null when fine.
 */
export function passwordProblemCode(password: string, email?: string): PasswordProblem | null {
  if (password.length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (password.length > PASSWORD_MAX_LENGTH) return 'too_long';
  const lower = password.trim().toLowerCase();
  if (commonPasswords().has(lower)) return 'too_common';
  if (/^(.)\1+$/.test(lower)) return 'repeated';
  if (email) {
    const e = email.trim().toLowerCase();
    if (lower === e || lower === e.split('@')[0]) return 'is_email';
  }
  return null;
}

const PROBLEM_TEXT: Record<PasswordProblem, string> = {
  too_short: `password must be at least ${PASSWORD_MIN_LENGTH} characters long`,
  too_long: `password must be at most ${PASSWORD_MAX_LENGTH} characters long`,
  too_common: 'password is too common: choose one that is not on lists of frequently used passwords',
  repeated: 'password must not be one character repeated',
  is_email: 'password must not be your e-mail address',
};

/** The same rules as passwordProblemCode, as an English sentence for API answers. */
export function passwordProblem(password: string, email?: string): string | null {
  const code = passwordProblemCode(password, email);
  return code ? PROBLEM_TEXT[code] : null;
}
