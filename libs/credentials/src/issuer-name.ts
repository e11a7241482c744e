import { localisedName } from '@lms/i18n';
import type { IssuerNames } from '@lms/platform';

/**
 * The school's name as the issuer of a certificate in `locale` (the holder's): ISSUER_NAMES for
 * the school's code (else `*`) along the reader's fallback chain, Serbian Cyrillic generated from
 * the Latin when only Latin is given; otherwise the org unit's own name. Issuing stores the result
 * on the certificate, so its PDF, verification page and signed credential all say the same.
 */
export function issuerNameFor(names: IssuerNames, school: { code: string; name: string }, locale: string | null | undefined): string {
  return localisedName(names[school.code] ?? names['*'], locale) ?? school.name;
}
