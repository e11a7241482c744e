import { localisedName } from '@lms/i18n';
import type { IssuerNames } from '@lms/platform';

/** The institution whose tree the school tops, when the school is an institution's root unit (docs/hub.md). */
export interface IssuingInstitution {
  names: Record<string, string>;
  issuerName: string | null;
}

/**
 * The school's name as the issuer of a certificate in `locale` (the holder's), first found of:
 *  1. ISSUER_NAMES for the school's code (else `*`), the instance operator's setting;
 *  2. when the school is an institution (the root of its own tree): the institution's issuer name
 *     when it set one (the exact words its certificates carry), else its name in the reader's language;
 *  3. the org unit's own name.
 * Names are looked up along the reader's fallback chain, Serbian Cyrillic generated from the Latin
 * when only Latin is given. Issuing stores the result on the certificate, so its PDF, verification
 * page and signed credential all say the same.
 */
export function issuerNameFor(
  names: IssuerNames,
  school: { code: string; name: string; institution?: IssuingInstitution | null },
  locale: string | null | undefined,
): string {
  const configured = localisedName(names[school.code] ?? names['*'], locale);
  if (configured) return configured;
  const institution = school.institution;
  if (institution?.issuerName) return institution.issuerName;
  return (institution && localisedName(institution.names, locale)) ?? school.name;
}
