import { ConflictError, DomainError, ValidationError } from '@lms/platform';
import { ACCOUNT_MESSAGES as M } from './account.errors.js';

export class EmailTakenError extends ConflictError {
  constructor(email: string) {
    super('email_taken', M.emailTaken({ email }));
  }
}

export class OrgUnitCodeTakenError extends ConflictError {
  constructor(code: string) {
    super('org_unit_code_taken', M.orgUnitCodeTaken({ code }));
  }
}

/** The same answer whether the e-mail exists, the password is wrong or the person is disabled. */
export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('invalid_credentials', M.invalidCredentials(), 401);
  }
}

export class InvalidRefreshTokenError extends DomainError {
  constructor() {
    super('invalid_refresh_token', M.invalidRefreshToken(), 401);
  }
}

/** 429 with Retry-After (seconds). */
export class LoginThrottledError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('too_many_login_attempts', M.loginThrottled({ seconds: retryAfterSeconds }), 429, {
      retryAfter: retryAfterSeconds,
    });
    this.headers = { 'retry-after': String(retryAfterSeconds) };
  }
}

export class WeakPasswordError extends ValidationError {
  constructor(reason: string, field = 'password') {
    super([{ field, message: reason }], M.weakPassword());
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
    super('manager_out_of_scope', M.managerOutOfScope(), 403, { field: 'managerId' });
  }
}
