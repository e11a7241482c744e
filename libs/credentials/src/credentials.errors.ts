import { ConflictError, DomainError, NotFoundError } from '@lms/platform';

export class CertificateNotFoundError extends NotFoundError {
  constructor(id?: string) {
    super('Certificate', id);
  }
}

/** Unknown verification code: the same answer whatever the code looks like. */
export class VerificationCodeNotFoundError extends DomainError {
  constructor() {
    super('certificate_not_found', 'No certificate has this verification code', 404);
  }
}

export class CertificateAlreadyRevokedError extends ConflictError {
  constructor(id: string) {
    super('certificate_already_revoked', `Certificate ${id} is already revoked`);
  }
}

export class StatusListNotFoundError extends NotFoundError {
  constructor(list: number) {
    super('Status list', String(list));
  }
}

export class IssuerNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('Credential issuer', id);
  }
}

export class VerificationThrottledError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('too_many_verifications', `Too many verification requests from this address; try again in ${retryAfterSeconds} s`, 429, {
      retryAfterSeconds,
    });
    this.headers = { 'Retry-After': String(retryAfterSeconds) };
  }
}

/** The holder's personal data was erased: the PDF and the stored credential are gone (verification still answers). */
export class CertificateHolderErasedError extends DomainError {
  constructor(id: string) {
    super('certificate_holder_erased', `The holder of certificate ${id} had their personal data erased; its PDF and credential are no longer kept`, 410);
  }
}
