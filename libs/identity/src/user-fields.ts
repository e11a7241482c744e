import { isEmail } from 'class-validator';

/** Codes of org units and job roles: letters, digits, dot, dash, underscore; 1–64 characters. */
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const EMAIL_MAX_LENGTH = 254;
export const DISPLAY_NAME_MAX_LENGTH = 200;

/** E-mail addresses are stored trimmed and lower-cased: unique regardless of case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function isValidEmail(email: string): boolean {
  return email.length <= EMAIL_MAX_LENGTH && isEmail(email);
}

let zones: Set<string> | undefined;
/** An IANA time-zone name the runtime knows (canonical names and their aliases, e.g. UTC, Europe/Belgrade). */
export function isValidTimeZone(tz: unknown): boolean {
  if (typeof tz !== 'string' || tz.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(tz)) return false;
  zones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (zones.has(tz) || tz === 'UTC') return true;
  try {
    // Aliases (Europe/Kiev, US/Eastern, Etc/GMT+1) are not in the canonical list but are valid.
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
