import { Inject, Injectable, Logger } from '@nestjs/common';
import { JobContext, JobHandler, JobHandlerInstance, JobPayloads } from '@lms/jobs';
import { ProgressService } from '@lms/learning';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CalendarService } from './calendar.service.js';
import { EventNotices } from './event-notices.service.js';
import { RegistrationService } from './registration.service.js';

/** The iCalendar invitation of a changed registration (dedupe per job: a job that runs twice sends once). */
@Injectable()
@JobHandler('events.registration-invitation')
export class RegistrationInvitationHandler implements JobHandlerInstance<'events.registration-invitation'> {
  constructor(@Inject(CalendarService) private readonly calendar: CalendarService) {}
  async handle({ registrationId }: JobPayloads['events.registration-invitation'], context: JobContext): Promise<void> {
    await this.calendar.registrationChanged(registrationId, context.id);
  }
}

@Injectable()
@JobHandler('events.registration-notice')
export class RegistrationNoticeHandler implements JobHandlerInstance<'events.registration-notice'> {
  constructor(@Inject(EventNotices) private readonly notices: EventNotices) {}
  async handle({ registrationId }: JobPayloads['events.registration-notice']): Promise<void> {
    await this.notices.registrationChanged(registrationId);
  }
}

@Injectable()
@JobHandler('events.sessions-invitation')
export class SessionsInvitationHandler implements JobHandlerInstance<'events.sessions-invitation'> {
  constructor(@Inject(CalendarService) private readonly calendar: CalendarService) {}
  async handle({ eventId }: JobPayloads['events.sessions-invitation'], context: JobContext): Promise<void> {
    await this.calendar.sessionsChanged(eventId, context.id);
  }
}

/**
 * The attendance rule was met. For a course-linked event, the live lesson of the course is done —
 * through learning's own door (ProgressService.completeLiveLesson), so course completion, the
 * certificate and competency evidence follow the same outbox path as any completion, once.
 * A stand-alone event's record is the registration's completed_at (nothing more to do here).
 */
@Injectable()
@JobHandler('events.complete-activity')
export class CompleteActivityHandler implements JobHandlerInstance<'events.complete-activity'> {
  private readonly logger = new Logger('CompleteActivityHandler');
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ProgressService) private readonly progress: ProgressService,
  ) {}
  async handle({ registrationId }: JobPayloads['events.complete-activity']): Promise<void> {
    const rows = (await this.dataSource.query(
      `SELECT r.user_id AS "userId", c.slug AS "courseSlug", e.lesson_slug AS "lessonSlug"
         FROM event_registration r JOIN live_event e ON e.id = r.event_id LEFT JOIN course c ON c.id = e.course_id
        WHERE r.id = $1 AND r.completed_at IS NOT NULL`,
      [registrationId],
    )) as Array<{ userId: string; courseSlug: string | null; lessonSlug: string | null }>;
    const r = rows[0];
    if (!r?.courseSlug || !r.lessonSlug) return;
    const enrolment = await this.progress.completeLiveLesson(r.userId, r.courseSlug, r.lessonSlug);
    if (!enrolment) this.logger.warn({ registrationId }, 'live lesson not recorded: enrolment withdrawn or lesson missing from the pinned version');
  }
}

@Injectable()
@JobHandler('events.offer-expiry-sweep')
export class OfferExpirySweepHandler implements JobHandlerInstance<'events.offer-expiry-sweep'> {
  constructor(@Inject(RegistrationService) private readonly registrations: RegistrationService) {}
  async handle(): Promise<void> {
    await this.registrations.expireOffers();
  }
}

@Injectable()
@JobHandler('events.approval-escalation')
export class ApprovalEscalationHandler implements JobHandlerInstance<'events.approval-escalation'> {
  constructor(@Inject(RegistrationService) private readonly registrations: RegistrationService) {}
  async handle(): Promise<void> {
    await this.registrations.escalate();
  }
}

@Injectable()
@JobHandler('events.session-reminder-sweep')
export class EventReminderSweepHandler implements JobHandlerInstance<'events.session-reminder-sweep'> {
  constructor(@Inject(EventNotices) private readonly notices: EventNotices) {}
  async handle(): Promise<void> {
    await this.notices.sweep();
  }
}

@Injectable()
@JobHandler('events.commitment-reminder-sweep')
export class CommitmentReminderSweepHandler implements JobHandlerInstance<'events.commitment-reminder-sweep'> {
  constructor(@Inject(EventNotices) private readonly notices: EventNotices) {}
  async handle(): Promise<void> {
    await this.notices.commitmentSweep();
    // Follow-up group milestones (docs/hub.md, item 6) are reminded by the same daily sweep.
    await this.notices.milestoneSweep();
  }
}
