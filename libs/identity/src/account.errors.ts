import { ConflictError, defineMessages, DomainError } from '@lms/platform';

/** What sign-in, invitations, resets and second factors say to people (worded from the interface catalogs, problems.*.ts). */
export const ACCOUNT_MESSAGES = defineMessages('account', {
  linkInvalid: 'This link is not valid: check that it was copied whole',
  linkUsed: 'This link has already been used',
  linkExpired: 'This link has expired: ask for a new one',
  linkReplaced: 'A newer link was sent: use the one in the latest e-mail',
  invitationPasswordSet: 'This person has set a password already: they can sign in, or reset a forgotten password',
  invitationDisabled: 'This person is disabled: enable them before inviting them',
  resetThrottled: 'Too many password-reset requests: try again in {seconds} seconds',
  mfaThrottled: 'Too many wrong codes: try again in {seconds} seconds',
  mfaCodeInvalid: 'The code is not correct',
  mfaCodeReused: 'This code was already used: wait for your app to show the next one',
  mfaTokenInvalid: 'The sign-in step has expired or is not valid: sign in again',
  mfaAlreadyEnrolled: 'An authenticator app is already set up: turn it off first to set up another',
  mfaNotEnrolled: 'No authenticator app is set up',
  mfaNotStarted: 'Start the set-up first (POST /me/mfa/totp), then confirm it with a code',
  mfaRequired: 'Your role requires a second factor, so it cannot be turned off; an administrator can reset it',
  mfaResetSelf: 'Turn off your own second factor with a code (DELETE /me/mfa/totp); another administrator can reset it',
  emailTaken: 'A person with the e-mail {email} already exists',
  orgUnitCodeTaken: 'An org unit with the code {code} already exists',
  invalidCredentials: 'The e-mail address or the password is not correct',
  invalidRefreshToken: 'The refresh token is not valid, has expired or was revoked: sign in again',
  loginThrottled: 'Too many sign-in attempts: try again in {seconds} seconds',
  weakPassword: 'The password does not meet the password rules',
  managerOutOfScope: 'managerId must name a person inside your scope',
  passwordOrInvitation: 'send either password or sendInvitation: the invitation lets the person choose their password',
  cannotDisableSelf: 'You cannot disable yourself',
  cannotDropOwnAdmin: 'You cannot remove your own admin role',
  ownManager: 'a person cannot be their own manager',
  roleNeedsScope: 'the role {role} needs a scope org unit',
  noOrgUnitId: 'no org unit has the id {id}',
  topLevelOnlyAdmin: 'Only an admin may create a top-level org unit',
  makeTopLevelOnlyAdmin: 'Only an admin may make an org unit a top-level unit',
  institutionRoot: 'This org unit is the root of an institution and stays top-level',
  belowItself: 'an org unit cannot be moved below itself or one of its own sub-units',
  unitOutOfScope: 'This org unit is outside your scope',
  personOutOfScope: 'This person is outside your scope',
  hrGrantsOnly: 'HR may grant only the roles learner and hr (not {role})',
  hrGrantsInScope: 'HR may grant the role hr only over units in its own scope',
  rolesBeyondAuthority: 'This person holds roles beyond your authority: only an admin may change them',
  institutionExists: 'The org unit {id} is already the root of an institution',
  institutionHasPeople: 'The institution still has {count} people: move or remove them first',
  institutionHasCourses: 'The institution still has {count} courses: move or remove them first',
  institutionHasKeys: 'The institution still has {count} certificate signing keys: move or remove them first',
  institutionInvalid: 'The institution is not valid',
  namesObject: 'must be an object of names by language tag',
  namesOne: 'must name the institution in at least one language',
  notALanguageTag: '"{tag}" is not a BCP 47 language tag such as en, sr-Latn or mk',
  nameLength: 'must be a name of 1-{max} characters without control characters',
  httpsUrlLength: 'must be an https URL of at most {max} characters',
  httpsNoCredentials: 'must be an https URL without credentials',
  httpsUrl: 'must be an https URL',
  institutionCode: 'code may hold only letters, digits, ".", "_" and "-" (1-64 characters)',
  countryCode: 'must be an ISO 3166-1 alpha-2 country code in capitals, such as RS, ME or MK',
  rootTopLevel: 'must be a top-level org unit: an institution is the top of its own tree',
  rootCode: 'must be {code}, the code of the root unit',
  codeOrRecovery: 'send either code (6 digits from the app) or recoveryCode',
});
const M = ACCOUNT_MESSAGES;

export type AccountLinkState = 'invalid' | 'used' | 'expired' | 'replaced';

/**
 * An invitation or password-reset link that cannot be used: unknown or forged (400), already used
 * (410), expired (410) or replaced by a newer link (410). The page says which, in the person's language.
 */
export class AccountLinkError extends DomainError {
  /** `locale`: the language of the person the link was for, when known (pages answer in it). */
  constructor(
    readonly state: AccountLinkState,
    readonly locale?: string,
  ) {
    const text = { invalid: M.linkInvalid(), used: M.linkUsed(), expired: M.linkExpired(), replaced: M.linkReplaced() };
    super(`link_${state}`, text[state], state === 'invalid' ? 400 : 410, { field: 'token' });
  }
}

/** Resending an invitation to someone who has set a password already (or is disabled). */
export class InvitationNotNeededError extends ConflictError {
  constructor(reason: 'password_set' | 'disabled') {
    super(
      'invitation_not_needed',
      reason === 'password_set'
        ? M.invitationPasswordSet()
        : M.invitationDisabled(),
    );
  }
}

/** 429 with Retry-After for password-reset requests (per address and per IP). */
export class PasswordResetThrottledError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('too_many_reset_requests', M.resetThrottled({ seconds: retryAfterSeconds }), 429, {
      retryAfter: retryAfterSeconds,
    });
    this.headers = { 'retry-after': String(retryAfterSeconds) };
  }
}

/** 429 with Retry-After for second-factor codes (per person). */
export class MfaThrottledError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('too_many_mfa_attempts', M.mfaThrottled({ seconds: retryAfterSeconds }), 429, { retryAfter: retryAfterSeconds });
    this.headers = { 'retry-after': String(retryAfterSeconds) };
  }
}

/** A wrong, malformed or replayed authenticator code or recovery code. */
export class MfaCodeError extends DomainError {
  constructor(reason: 'invalid' | 'reused', status = 400) {
    super(
      reason === 'invalid' ? 'mfa_code_invalid' : 'mfa_code_reused',
      reason === 'invalid'
        ? M.mfaCodeInvalid()
        : M.mfaCodeReused(),
      status,
      { field: 'code' },
    );
  }
}

/** The short-lived token between the password step and the second step is missing, forged, expired or for another step. */
export class MfaTokenError extends DomainError {
  constructor() {
    super('mfa_token_invalid', M.mfaTokenInvalid(), 401, { field: 'mfaToken' });
  }
}

export class MfaStateError extends ConflictError {
  constructor(code: 'mfa_already_enrolled' | 'mfa_not_enrolled' | 'mfa_enrolment_not_started' | 'mfa_required' | 'mfa_reset_self') {
    const text = {
      mfa_already_enrolled: M.mfaAlreadyEnrolled(),
      mfa_not_enrolled: M.mfaNotEnrolled(),
      mfa_enrolment_not_started: M.mfaNotStarted(),
      mfa_required: M.mfaRequired(),
      mfa_reset_self: M.mfaResetSelf(),
    };
    super(code, text[code]);
  }
}
