import { ConflictError, DomainError } from '@lms/platform';

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
    const text: Record<AccountLinkState, string> = {
      invalid: 'This link is not valid: check that it was copied whole',
      used: 'This link has already been used',
      expired: 'This link has expired: ask for a new one',
      replaced: 'A newer link was sent: use the one in the latest e-mail',
    };
    super(`link_${state}`, text[state], state === 'invalid' ? 400 : 410, { field: 'token' });
  }
}

/** Resending an invitation to someone who has set a password already (or is disabled). */
export class InvitationNotNeededError extends ConflictError {
  constructor(reason: 'password_set' | 'disabled') {
    super(
      'invitation_not_needed',
      reason === 'password_set'
        ? 'This person has set a password already: they can sign in, or reset a forgotten password'
        : 'This person is disabled: enable them before inviting them',
    );
  }
}

/** 429 with Retry-After for password-reset requests (per address and per IP). */
export class PasswordResetThrottledError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('too_many_reset_requests', `Too many password-reset requests: try again in ${retryAfterSeconds} seconds`, 429, {
      retryAfter: retryAfterSeconds,
    });
    this.headers = { 'retry-after': String(retryAfterSeconds) };
  }
}

/** 429 with Retry-After for second-factor codes (per person). */
export class MfaThrottledError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('too_many_mfa_attempts', `Too many wrong codes: try again in ${retryAfterSeconds} seconds`, 429, { retryAfter: retryAfterSeconds });
    this.headers = { 'retry-after': String(retryAfterSeconds) };
  }
}

/** A wrong, malformed or replayed authenticator code or recovery code. */
export class MfaCodeError extends DomainError {
  constructor(reason: 'invalid' | 'reused', status = 400) {
    super(
      reason === 'invalid' ? 'mfa_code_invalid' : 'mfa_code_reused',
      reason === 'invalid'
        ? 'The code is not correct'
        : 'This code was already used: wait for your app to show the next one',
      status,
      { field: 'code' },
    );
  }
}

/** The short-lived token between the password step and the second step is missing, forged, expired or for another step. */
export class MfaTokenError extends DomainError {
  constructor() {
    super('mfa_token_invalid', 'The sign-in step has expired or is not valid: sign in again', 401, { field: 'mfaToken' });
  }
}

export class MfaStateError extends ConflictError {
  constructor(code: 'mfa_already_enrolled' | 'mfa_not_enrolled' | 'mfa_enrolment_not_started' | 'mfa_required' | 'mfa_reset_self') {
    const text = {
      mfa_already_enrolled: 'An authenticator app is already set up: turn it off first to set up another',
      mfa_not_enrolled: 'No authenticator app is set up',
      mfa_enrolment_not_started: 'Start the set-up first (POST /me/mfa/totp), then confirm it with a code',
      mfa_required: 'Your role requires a second factor, so it cannot be turned off; an administrator can reset it',
      mfa_reset_self: 'Turn off your own second factor with a code (DELETE /me/mfa/totp); another administrator can reset it',
    };
    super(code, text[code]);
  }
}
