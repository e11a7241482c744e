import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { APPROVAL_MODES, ATTENDANCE_STATUSES, COMMITMENT_STATUSES, EVENT_STATUSES, REGISTRATION_STATUSES } from '@lms/events';

/** OpenAPI shapes of the events answers (the services return these fields). */

export class SessionResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ format: 'date-time' }) endsAt!: string;
  @ApiProperty({ example: 'Europe/Belgrade' }) timeZone!: string;
  @ApiPropertyOptional({ nullable: true }) venueName!: string | null;
  @ApiPropertyOptional({ nullable: true }) venueAddress!: string | null;
  @ApiPropertyOptional({ nullable: true }) onlineUrl!: string | null;
  @ApiPropertyOptional({ nullable: true }) roomCapacity!: number | null;
  @ApiProperty({ enum: EVENT_STATUSES }) status!: string;
}

export class TrainerResponse {
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) userId!: string | null;
  @ApiProperty() name!: string;
}

export class SeatsResponse {
  @ApiProperty() capacity!: number;
  @ApiProperty({ description: 'booked + offered' }) held!: number;
  @ApiProperty() available!: number;
  @ApiProperty() waitlisted!: number;
  @ApiProperty() pendingApproval!: number;
}

export class ApprovalResponse {
  @ApiProperty({ enum: APPROVAL_MODES }) mode!: string;
  @ApiProperty({ type: [String], format: 'uuid' }) orgUnitIds!: string[];
  @ApiProperty() escalateAfterDays!: number;
}

export class EventResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty() language!: string;
  @ApiProperty({ format: 'uuid' }) ownerOrgUnitId!: string;
  @ApiPropertyOptional({ nullable: true }) courseSlug!: string | null;
  @ApiPropertyOptional({ nullable: true }) lessonSlug!: string | null;
  @ApiProperty() capacity!: number;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) registrationOpensAt!: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) registrationClosesAt!: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) cancellationDeadline!: string | null;
  @ApiProperty({ type: ApprovalResponse }) approval!: ApprovalResponse;
  @ApiProperty({ description: '{orgUnitIds?, jobRoleCodes?, countryCodes?}; empty = everyone' }) audience!: Record<string, unknown>;
  @ApiProperty() attendanceRulePercent!: number;
  @ApiProperty() confirmHours!: number;
  @ApiProperty({ type: [Number] }) reminderOffsetsDays!: number[];
  @ApiProperty({ type: [Number] }) commitmentReminderMonths!: number[];
  @ApiProperty({ enum: EVENT_STATUSES }) status!: string;
  @ApiProperty({ type: [SessionResponse] }) sessions!: SessionResponse[];
  @ApiProperty({ type: [TrainerResponse] }) trainers!: TrainerResponse[];
  @ApiProperty({ type: SeatsResponse }) seats!: SeatsResponse;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class EventPageResponse {
  @ApiProperty({ type: [EventResponse] }) items!: EventResponse[];
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() total!: number;
}

export class RegistrationResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() eventTitle!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ format: 'uuid' }) orgUnitId!: string;
  @ApiProperty({ enum: REGISTRATION_STATUSES }) status!: string;
  @ApiPropertyOptional({ nullable: true, description: '1-based place on the waiting list' }) waitlistPosition!: number | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, description: 'Confirm an offered seat before this' }) offerExpiresAt!: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) approverId!: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) escalatedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) cancelReason!: string | null;
  @ApiPropertyOptional({ nullable: true }) decisionReason!: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, description: 'When the attendance rule was met' }) completedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class RegistrationPageResponse {
  @ApiProperty({ type: [RegistrationResponse] }) items!: RegistrationResponse[];
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() total!: number;
}

export class AttendanceRowResponse {
  @ApiProperty({ format: 'uuid' }) registrationId!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ format: 'uuid' }) orgUnitId!: string;
  @ApiPropertyOptional({ enum: ATTENDANCE_STATUSES, nullable: true }) status!: string | null;
  @ApiPropertyOptional({ enum: ['list', 'qr'], nullable: true }) via!: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) markedAt!: string | null;
}

export class AttendanceListResponse {
  @ApiProperty({ type: [AttendanceRowResponse] }) items!: AttendanceRowResponse[];
}

export class FeedResponse {
  @ApiProperty({ example: 'https://lms.example.org/calendar/Xy…Z.ics', description: 'Shown once; subscribe to it in a calendar app' }) url!: string;
  @ApiProperty() token!: string;
}

export class CommitmentResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ format: 'uuid' }) createdBy!: string;
  @ApiProperty() action!: string;
  @ApiProperty({ format: 'date' }) dueOn!: string;
  @ApiProperty({ type: [String] }) partners!: string[];
  @ApiPropertyOptional({ nullable: true }) competencyCode!: string | null;
  @ApiPropertyOptional({ nullable: true, minimum: 1, maximum: 17 }) sdg!: number | null;
  @ApiProperty({ type: [Number] }) reminderMonths!: number[];
  @ApiProperty({ enum: COMMITMENT_STATUSES }) status!: string;
  @ApiProperty({ type: [String], format: 'uuid' }) members!: string[];
  @ApiProperty({ description: '[{userId, note, status, createdAt}]' }) updates!: unknown[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CommitmentPageResponse {
  @ApiProperty({ type: [CommitmentResponse] }) items!: CommitmentResponse[];
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() total!: number;
}

export class EvaluationResultsResponse {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() anonymous!: boolean;
  @ApiProperty() respondents!: number;
  @ApiProperty({ description: 'Fewer than minRespondents answered: nothing but the count is shown' }) suppressed!: boolean;
  @ApiProperty({ example: 5 }) minRespondents!: number;
  @ApiProperty({ description: '[{id, type, text, answered, mean?, distribution?, texts?}]' }) questions!: unknown[];
}
