import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@lms/identity';
import { LearningModule } from '@lms/learning';
import { NotificationsModule } from '@lms/notifications';
import { AttendanceService } from './attendance.service.js';
import { CalendarService } from './calendar.service.js';
import { CommitmentService } from './commitment.service.js';
import { EventCommitment, EventCommitmentMember, EventCommitmentReminder, EventCommitmentUpdate } from './commitment.entity.js';
import { EventFollowupGroup, EventFollowupMember, EventFollowupMilestone, EventFollowupPost, EventFollowupReminder } from './followup-group.entity.js';
import { FollowupGroupService } from './followup-group.service.js';
import { EvaluationService } from './evaluation.service.js';
import { EventEvaluationResponse, EventEvaluationSubmission, EventQuestionnaire } from './evaluation.entity.js';
import { EventAccess } from './event-access.service.js';
import { EventNotices } from './event-notices.service.js';
import { EventReportService } from './event-report.service.js';
import { EventSession, EventTrainer, LiveEvent } from './event.entity.js';
import { EventRepository } from './event.repository.js';
import { EventService } from './event.service.js';
import {
  ApprovalEscalationHandler,
  CommitmentReminderSweepHandler,
  CompleteActivityHandler,
  EventReminderSweepHandler,
  OfferExpirySweepHandler,
  RegistrationInvitationHandler,
  RegistrationNoticeHandler,
  SessionsInvitationHandler,
} from './events.processors.js';
import { CalendarFeedToken, EventAttendance, EventCalendarEntry, EventRegistration, EventReminder } from './registration.entity.js';
import { RegistrationService } from './registration.service.js';

export const EVENTS_ENTITIES = [
  LiveEvent,
  EventSession,
  EventTrainer,
  EventRegistration,
  EventAttendance,
  EventCalendarEntry,
  CalendarFeedToken,
  EventReminder,
  EventQuestionnaire,
  EventEvaluationSubmission,
  EventEvaluationResponse,
  EventCommitment,
  EventCommitmentMember,
  EventCommitmentUpdate,
  EventCommitmentReminder,
  EventFollowupGroup,
  EventFollowupMember,
  EventFollowupMilestone,
  EventFollowupPost,
  EventFollowupReminder,
];

const services = [EventRepository, EventAccess, EventService, RegistrationService, AttendanceService, CalendarService, EventNotices, EvaluationService, CommitmentService, FollowupGroupService, EventReportService];
const handlers = [
  RegistrationInvitationHandler,
  RegistrationNoticeHandler,
  SessionsInvitationHandler,
  CompleteActivityHandler,
  OfferExpirySweepHandler,
  ApprovalEscalationHandler,
  EventReminderSweepHandler,
  CommitmentReminderSweepHandler,
];

/**
 * Workshops and live sessions: events, sessions, registration with waitlist and approval,
 * attendance, calendar invitations and feed, reminders, evaluation, follow-up commitments, reports.
 * Its job handlers are discovered by the jobs module; both apps import this module.
 */
@Module({
  imports: [TypeOrmModule.forFeature(EVENTS_ENTITIES), IdentityModule, LearningModule, NotificationsModule],
  providers: [...services, ...handlers],
  exports: [...services],
})
export class EventsModule {}
