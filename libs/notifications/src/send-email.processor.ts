import { Inject, Injectable } from '@nestjs/common';
import { type JobContext, JobHandler, type JobHandlerInstance, type JobPayloads } from '@lms/jobs';
import { EmailSender } from './email-sender.service.js';

/** One e-mail per job; a failed attempt throws, so the queue retries it with backoff. */
@Injectable()
@JobHandler('notifications.send-email')
export class SendEmailHandler implements JobHandlerInstance<'notifications.send-email'> {
  constructor(@Inject(EmailSender) private readonly sender: EmailSender) {}

  async handle(payload: JobPayloads['notifications.send-email'], context: JobContext): Promise<void> {
    await this.sender.send(payload.messageId, context.attempt);
  }
}
