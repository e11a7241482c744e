import { NotFoundError } from '@lms/platform';

/** A feed path that is not `<token>.ics`: answered like an unknown token. */
export class InvalidFeedPathError extends NotFoundError {
  constructor() {
    super('Calendar feed');
  }
}
