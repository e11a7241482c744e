import { Inject, Injectable } from '@nestjs/common';
import { JobHandler, type JobHandlerInstance, type JobPayloads } from '@lms/jobs';
import { AccountEmails } from './account-emails.service.js';
import { EventNotifier } from './event-notifier.service.js';
import { ReminderSweep } from './reminder-sweep.service.js';

@Injectable()
@JobHandler('notifications.assignment-created')
export class AssignmentCreatedHandler implements JobHandlerInstance<'notifications.assignment-created'> {
  constructor(@Inject(EventNotifier) private readonly notifier: EventNotifier) {}
  async handle(payload: JobPayloads['notifications.assignment-created']): Promise<void> {
    await this.notifier.assignmentCreated(payload.assignmentId);
  }
}

@Injectable()
@JobHandler('notifications.certificate-issued')
export class CertificateIssuedHandler implements JobHandlerInstance<'notifications.certificate-issued'> {
  constructor(@Inject(EventNotifier) private readonly notifier: EventNotifier) {}
  async handle(payload: JobPayloads['notifications.certificate-issued']): Promise<void> {
    await this.notifier.certificateIssued(payload.certificateId);
  }
}

@Injectable()
@JobHandler('notifications.certificate-revoked')
export class CertificateRevokedHandler implements JobHandlerInstance<'notifications.certificate-revoked'> {
  constructor(@Inject(EventNotifier) private readonly notifier: EventNotifier) {}
  async handle(payload: JobPayloads['notifications.certificate-revoked']): Promise<void> {
    await this.notifier.certificateRevoked(payload.certificateId);
  }
}

@Injectable()
@JobHandler('notifications.enrolment-completed')
export class EnrolmentCompletedHandler implements JobHandlerInstance<'notifications.enrolment-completed'> {
  constructor(@Inject(EventNotifier) private readonly notifier: EventNotifier) {}
  async handle(payload: JobPayloads['notifications.enrolment-completed']): Promise<void> {
    await this.notifier.enrolmentCompleted(payload.enrolmentId);
  }
}

/** The credentials expiry sweep found a certificate about to expire: a line for the holder's next digest. */
@Injectable()
@JobHandler('notifications.certificate-expiring')
export class CertificateExpiringHandler implements JobHandlerInstance<'notifications.certificate-expiring'> {
  constructor(@Inject(ReminderSweep) private readonly sweep: ReminderSweep) {}
  async handle(payload: JobPayloads['notifications.certificate-expiring']): Promise<void> {
    await this.sweep.certificateExpiring(payload.certificateId);
  }
}

/** Identity issued an invitation or password-reset link: e-mail it to the person. */
@Injectable()
@JobHandler('notifications.account-link')
export class AccountLinkHandler implements JobHandlerInstance<'notifications.account-link'> {
  constructor(@Inject(AccountEmails) private readonly emails: AccountEmails) {}
  async handle(payload: JobPayloads['notifications.account-link']): Promise<void> {
    await this.emails.linkIssued(payload.tokenId);
  }
}

/** A course was published: notices to the authors of its adaptations (docs/hub.md). */
@Injectable()
@JobHandler('notifications.upstream-published')
export class UpstreamPublishedHandler implements JobHandlerInstance<'notifications.upstream-published'> {
  constructor(@Inject(EventNotifier) private readonly notifier: EventNotifier) {}
  async handle(payload: JobPayloads['notifications.upstream-published']): Promise<void> {
    await this.notifier.upstreamPublished(payload.courseId, payload.version);
  }
}

/** A reply in a community thread: notices to the thread's other participants (docs/hub.md). */
@Injectable()
@JobHandler('notifications.community-reply')
export class CommunityReplyHandler implements JobHandlerInstance<'notifications.community-reply'> {
  constructor(@Inject(EventNotifier) private readonly notifier: EventNotifier) {}
  async handle(payload: JobPayloads['notifications.community-reply']): Promise<void> {
    await this.notifier.communityReply(payload.postId);
  }
}
