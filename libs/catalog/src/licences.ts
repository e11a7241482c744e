/**
 * The licences a course may carry, as SPDX ids: the Creative Commons 4.0 family, CC0, and
 * LicenseRef-Proprietary (all rights reserved; SPDX's form for a licence it does not list).
 * `adaptable`: whether another institution may make an adaptation (a derivative work).
 */
export const LICENCES = {
  'CC0-1.0': { adaptable: true },
  'CC-BY-4.0': { adaptable: true },
  'CC-BY-SA-4.0': { adaptable: true },
  'CC-BY-NC-4.0': { adaptable: true },
  'CC-BY-NC-SA-4.0': { adaptable: true },
  'CC-BY-ND-4.0': { adaptable: false },
  'CC-BY-NC-ND-4.0': { adaptable: false },
  'LicenseRef-Proprietary': { adaptable: false },
} as const satisfies Record<string, { adaptable: boolean }>;

export type LicenceId = keyof typeof LICENCES;
export const LICENCE_IDS = Object.keys(LICENCES) as LicenceId[];

export function isLicenceId(value: unknown): value is LicenceId {
  return typeof value === 'string' && Object.hasOwn(LICENCES, value);
}

/** A course without a stated licence is all rights reserved: not adaptable by others. */
export function allowsAdaptation(licence: string | null): boolean {
  return licence !== null && isLicenceId(licence) && LICENCES[licence].adaptable;
}
