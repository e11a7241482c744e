import { defineMessages, DomainError } from '@lms/platform';

/** What notifications say to people (worded from the interface catalogs, problems.*.ts). */
export const NOTIFICATION_MESSAGES = defineMessages('notifications', {
  notFound: 'Notification {id} was not found',
  failedEmailNotFound: 'No failed e-mail {id}',
});
const M = NOTIFICATION_MESSAGES;

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
    super('notification_not_found', M.notFound({ id }), 404);
  }
}

export class FailedEmailNotFoundError extends DomainError {
  constructor(id: string) {
    super('failed_email_not_found', M.failedEmailNotFound({ id }), 404);
  }
}
