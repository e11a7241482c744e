/**
 * Base class for errors a domain raises on purpose. The exception filter maps them to
 * RFC 9457 problem documents; `code` is stable and machine-readable, `status` is the HTTP status.
 */
export class DomainError extends Error {
  /** Extra response headers (e.g. Retry-After on a 429); the exception filter sets them. */
  headers: Record<string, string> = {};

  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id?: string) {
    super('not_found', id ? `${what} ${id} was not found` : `${what} was not found`, 404);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'You may not do this') {
    super('forbidden', message, 403);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, extra: Record<string, unknown> = {}) {
    super(code, message, 409, extra);
  }
}

export interface FieldError {
  field: string;
  message: string;
  /**
   * The rule that failed (a class-validator constraint name such as `maxLength`, or ours) and its
   * arguments: the problem filter words the message in the caller's language from them
   * (problem-messages.ts). Never sent: the answer carries `field` and `message` only.
   */
  rule?: string;
  params?: Record<string, string | number>;
}

/** 400 with a field-by-field list, the same shape the validation pipe produces. */
export class ValidationError extends DomainError {
  constructor(
    readonly errors: FieldError[],
    message = 'The request is not valid',
  ) {
    super('validation_failed', message, 400, { errors });
  }
}
