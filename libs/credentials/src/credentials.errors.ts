import { ConflictError, defineMessages, DomainError, NotFoundError } from '@lms/platform';

/** What certificates and their verification say to people (worded from the interface catalogs, problems.*.ts). */
export const CREDENTIAL_MESSAGES = defineMessages('credentials', {
  unknownCode: 'No certificate has this verification code',
  alreadyRevoked: 'Certificate {id} is already revoked',
  verifyThrottled: 'Too many verification requests from this address; try again in {seconds} s',
  holderErased: 'The holder of certificate {id} had their personal data erased; its PDF and credential are no longer kept',
});
const M = CREDENTIAL_MESSAGES;

export class CertificateNotFoundError extends NotFoundError {
  constructor(id?: string) {
    super('Certificate', id);
  }
}

/** Unknown verification code: the same answer whatever the code looks like. */
export class VerificationCodeNotFoundError extends DomainError {
  constructor() {
    super('certificate_not_found', M.unknownCode(), 404);
  }
}

export class CertificateAlreadyRevokedError extends ConflictError {
  constructor(id: string) {
    super('certificate_already_revoked', M.alreadyRevoked({ id }));
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
    super('too_many_verifications', M.verifyThrottled({ seconds: retryAfterSeconds }), 429, {
      retryAfterSeconds,
    });
    this.headers = { 'Retry-After': String(retryAfterSeconds) };
  }
}

/** The holder's personal data was erased: the PDF and the stored credential are gone (verification still answers). */
export class CertificateHolderErasedError extends DomainError {
  constructor(id: string) {
    super('certificate_holder_erased', M.holderErased({ id }), 410);
  }
}
