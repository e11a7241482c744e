import { DomainError } from '@lms/platform';

/**
 * Why a federated sign-in was refused. `reason` is stable (pages pick their text by it, audit rows
 * record it); messages never echo what the provider sent.
 */
export type FederationFailure =
  | 'unknown_provider'
  | 'invalid_response'
  | 'state_mismatch'
  | 'replayed'
  | 'provider_unavailable'
  | 'email_missing'
  | 'email_unverified'
  | 'not_linked'
  | 'identity_conflict'
  | 'account_disabled';

const STATUS: Record<FederationFailure, number> = {
  unknown_provider: 404,
  invalid_response: 400,
  state_mismatch: 400,
  replayed: 400,
  provider_unavailable: 502,
  email_missing: 403,
  email_unverified: 403,
  not_linked: 403,
  identity_conflict: 409,
  account_disabled: 403,
};

const MESSAGE: Record<FederationFailure, string> = {
  unknown_provider: 'No identity provider is configured under this name',
  invalid_response: 'The identity provider’s answer could not be verified',
  state_mismatch: 'This sign-in was not started here or has expired: start it again',
  replayed: 'This sign-in answer was already used',
  provider_unavailable: 'The identity provider could not be reached',
  email_missing: 'The identity provider did not send an e-mail address',
  email_unverified: 'The identity provider has not verified this e-mail address, so it cannot be used to find your account',
  not_linked: 'No account here matches this identity, and accounts are not created automatically for this provider',
  identity_conflict: 'This identity conflicts with the account it would be linked to',
  account_disabled: 'This account is disabled',
};

export class FederatedSignInError extends DomainError {
  constructor(
    readonly reason: FederationFailure,
    /** For the log only (never shown): what exactly failed. */
    readonly detail?: string,
  ) {
    super(`federated_${reason}`, MESSAGE[reason], STATUS[reason], { reason });
  }
}
