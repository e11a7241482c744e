import { DomainError, type FieldError } from '@lms/platform';

/** A request the LRS refuses as malformed (xAPI: 400 Bad Request). */
export class XapiBadRequestError extends DomainError {
  constructor(message: string, errors: FieldError[] = []) {
    super('xapi_bad_request', message, 400, errors.length ? { errors } : {});
  }
}

/** A statement id already stored with different content (xAPI: 409). */
export class StatementConflictError extends DomainError {
  constructor(id: string) {
    super('xapi_statement_conflict', `Statement ${id} is already stored with different content`, 409, { statementId: id });
  }
}

/** A document changed since the client read it, or exists when the client said it must not (412). */
export class PreconditionFailedError extends DomainError {
  constructor(message: string) {
    super('xapi_precondition_failed', message, 412);
  }
}

/** A PUT on an existing profile document without If-Match or If-None-Match (xAPI: 409). */
export class ConcurrencyHeaderRequiredError extends DomainError {
  constructor() {
    super('xapi_concurrency_header_required', 'The document exists: send If-Match with its ETag (or If-None-Match: *) to change it', 409);
  }
}

export class XapiNotFoundError extends DomainError {
  constructor(what: string) {
    super('xapi_not_found', `${what} was not found`, 404);
  }
}

/** Missing or wrong Basic credentials for the LRS. */
export class LrsUnauthorizedError extends DomainError {
  constructor() {
    super('lrs_unauthorized', 'The LRS needs the Basic credentials of an LRS client', 401);
    this.headers = { 'WWW-Authenticate': 'Basic realm="xAPI"' };
  }
}

export class LrsScopeError extends DomainError {
  constructor(scope: string) {
    super('lrs_scope_missing', `This LRS client lacks the scope ${scope}`, 403, { scope });
  }
}

/** X-Experience-API-Version missing or not a 1.0.x version. */
export class XapiVersionError extends DomainError {
  constructor(given: string | undefined) {
    super('xapi_version_unsupported', given ? `X-Experience-API-Version ${given} is not supported (1.0.0 to 1.0.3 are)` : 'The X-Experience-API-Version header is required', 400);
  }
}
