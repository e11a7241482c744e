import { DomainError } from '@lms/platform';

/** A send attempt failed in a way worth retrying (the job runs again with backoff). */
export class EmailDeliveryError extends Error {
  constructor(
    readonly messageId: string,
    readonly attempt: number,
    cause: string,
  ) {
    super(`e-mail ${messageId}: attempt ${attempt} failed: ${cause}`);
    this.name = 'EmailDeliveryError';
  }
}

export class NotificationNotFoundError extends DomainError {
  constructor(id: string) {
    super('notification_not_found', `Notification ${id} was not found`, 404);
  }
}

export class FailedEmailNotFoundError extends DomainError {
  constructor(id: string) {
    super('failed_email_not_found', `No failed e-mail ${id}`, 404);
  }
}
