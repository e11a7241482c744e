import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@lms/identity';
import { AccountEmails } from './account-emails.service.js';
import { Clock } from './clock.js';
import { EmailMessage } from './email-message.entity.js';
import { EmailMessageRepository } from './email-message.repository.js';
import { EmailSender } from './email-sender.service.js';
import { EventNotifier } from './event-notifier.service.js';
import {
  AccountLinkHandler,
  UpstreamPublishedHandler,
  CommunityReplyHandler,
  AssignmentCreatedHandler,
  CertificateExpiringHandler,
  CertificateIssuedHandler,
  CertificateRevokedHandler,
  EnrolmentCompletedHandler,
} from './event-notifications.processor.js';
import { MailTransport } from './mail-transport.js';
import { NotificationPreference } from './notification-preference.entity.js';
import { NotificationPreferences } from './notification-preferences.service.js';
import { Notification } from './notification.entity.js';
import { NotificationRepository } from './notification.repository.js';
import { REMINDER_POLICY } from './notifications.tokens.js';
import { DEFAULT_REMINDER_POLICY } from './reminder-policy.js';
import { ReminderSweepHandler } from './reminder-sweep.processor.js';
import { ReminderSweep } from './reminder-sweep.service.js';
import { Reminder } from './reminder.entity.js';
import { ReminderRepository } from './reminder.repository.js';
import { SendEmailHandler } from './send-email.processor.js';

const services = [Clock, MailTransport, ReminderRepository, NotificationRepository, EmailMessageRepository, EmailSender, ReminderSweep, EventNotifier, NotificationPreferences, AccountEmails];
const handlers = [ReminderSweepHandler, SendEmailHandler, AssignmentCreatedHandler, CertificateIssuedHandler, CertificateExpiringHandler, CertificateRevokedHandler, EnrolmentCompletedHandler, AccountLinkHandler, UpstreamPublishedHandler, CommunityReplyHandler];

/**
 * Reminders, digests, in-app notifications and e-mail. The job handlers here are discovered by
 * the jobs module (BullMQ workers in production, in-process in embedded mode). The reminder
 * policy is the REMINDER_POLICY provider: DEFAULT_REMINDER_POLICY, or another validated one from
 * resolvePolicy({...}) (e.g. `overrideProvider(REMINDER_POLICY)`).
 */
@Module({
  imports: [TypeOrmModule.forFeature([Notification, Reminder, EmailMessage, NotificationPreference]), IdentityModule],
  providers: [...services, ...handlers, { provide: REMINDER_POLICY, useValue: DEFAULT_REMINDER_POLICY }],
  exports: [...services, REMINDER_POLICY],
})
export class NotificationsModule {}
