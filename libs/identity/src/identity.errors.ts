import { ConflictError, DomainError, ValidationError } from '@lms/platform';

export class EmailTakenError extends ConflictError {
  constructor(email: string) {
    super('email_taken', `A person with the e-mail ${email} already exists`);
  }
}

export class OrgUnitCodeTakenError extends ConflictError {
  constructor(code: string) {
    super('org_unit_code_taken', `An org unit with the code ${code} already exists`);
  }
}

/** The same answer whether the e-mail exists, the password is wrong or the person is disabled. */
export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('invalid_credentials', 'The e-mail address or the password is not correct', 401);
  }
}

export class InvalidRefreshTokenError extends DomainError {
  constructor() {
    super('invalid_refresh_token', 'The refresh token is not valid, has expired or was revoked: sign in again', 401);
  }
}

/** 429 with Retry-After (seconds). */
export class LoginThrottledError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('too_many_login_attempts', `Too many sign-in attempts: try again in ${retryAfterSeconds} seconds`, 429, {
      retryAfter: retryAfterSeconds,
    });
    this.headers = { 'retry-after': String(retryAfterSeconds) };
  }
}

export class WeakPasswordError extends ValidationError {
  constructor(reason: string, field = 'password') {
    super([{ field, message: reason }], 'The password does not meet the password rules');
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor(limitBytes: number) {
    super('payload_too_large', `The request body is larger than the ${Math.round(limitBytes / 1024 / 1024)} MiB limit`, 413);
  }
}

/** HR named as manager someone outside its scope (who would then see the person in reports). */
export class ManagerOutOfScopeError extends DomainError {
  constructor() {
    super('manager_out_of_scope', 'managerId must name a person inside your scope', 403, { field: 'managerId' });
  }
}
