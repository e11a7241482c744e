import { DomainError } from '@lms/platform';

/** The caller has no HR grant (or its units are gone): nothing to report on. */
export class NoReportScopeError extends DomainError {
  constructor() {
    super('no_report_scope', 'You have no org unit to report on', 403);
  }
}
