import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsLanguageTag } from '../../identity/dto/validators.js';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '@lms/platform';
import { APPROVAL_MODES, ATTENDANCE_STATUSES, COMMITMENT_STATUSES, REGISTRATION_STATUSES } from '@lms/events';
import type { ApprovalMode, AttendanceStatus, CommitmentStatus, RegistrationStatus } from '@lms/events';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export class SessionDto {
  @ApiProperty({ format: 'date-time', example: '2027-03-01T08:00:00Z' })
  @IsISO8601({ strict: true })
  startsAt!: string;

  @ApiProperty({ format: 'date-time', example: '2027-03-01T15:00:00Z' })
  @IsISO8601({ strict: true })
  endsAt!: string;

  @ApiProperty({ example: 'Europe/Belgrade', description: 'IANA time zone the session is held in' })
  @IsString()
  @MaxLength(64)
  timeZone!: string;

  @ApiPropertyOptional({ example: 'Palace of Serbia, hall 2' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  venueName?: string;

  @ApiPropertyOptional({ example: 'Bulevar Mihajla Pupina 2, Belgrade' })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  venueAddress?: string;

  @ApiPropertyOptional({ example: 'https://meet.example.org/abc' })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  @MaxLength(1000)
  onlineUrl?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  roomCapacity?: number;
}

export class UpdateSessionDto extends PartialType(SessionDto) {}

export class TrainerDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A trainer with an account (sees the list, marks attendance)' })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ description: 'An external trainer, by name' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  externalName?: string;
}

export class ApprovalDto {
  @ApiProperty({ enum: APPROVAL_MODES, description: 'none; all (every self-registration); units (people in these unit subtrees)' })
  @IsIn(APPROVAL_MODES)
  mode!: ApprovalMode;

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  orgUnitIds?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 60, default: 3, description: 'Escalate to HR after this many days without a decision' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  escalateAfterDays?: number;
}

export class AudienceDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'People in these unit subtrees' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  orgUnitIds?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  jobRoleCodes?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Codes of org units of kind country' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  countryCodes?: string[];
}

class EventFieldsDto {
  @ApiProperty({ example: 'Regional workshop: AI in public services' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  title!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string;

  @ApiPropertyOptional({ default: 'en', example: 'mk', description: 'Any BCP 47 language tag (docs/languages.md), stored canonical: SR-latn is saved as sr-Latn' })
  @IsOptional()
  @IsLanguageTag()
  language?: string;

  @ApiProperty({ minimum: 1, maximum: 100000 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  capacity!: number;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  registrationOpensAt?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  registrationClosesAt?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'After it, only HR or the organiser can cancel a registration' })
  @IsOptional()
  @IsISO8601({ strict: true })
  cancellationDeadline?: string;

  @ApiPropertyOptional({ type: ApprovalDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ApprovalDto)
  approval?: ApprovalDto;

  @ApiPropertyOptional({ type: AudienceDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AudienceDto)
  audience?: AudienceDto;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 80, description: 'Share of sessions attended (present 1, partial ½) that completes the activity' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  attendanceRulePercent?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 720, default: 48, description: 'Hours a person promoted from the waitlist has to confirm' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(720)
  confirmHours?: number;

  @ApiPropertyOptional({ type: [Number], default: [7, 1], description: 'Reminders this many days before each session' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(60, { each: true })
  reminderOffsetsDays?: number[];

  @ApiPropertyOptional({ type: [Number], default: [1, 3, 6], description: 'Commitment reminders this many months after they are made' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(6)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(36, { each: true })
  commitmentReminderMonths?: number[];

  @ApiPropertyOptional({ type: [TrainerDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => TrainerDto)
  trainers?: TrainerDto[];
}

export class CreateEventDto extends EventFieldsDto {
  @ApiProperty({ format: 'uuid', description: 'The owning unit (a school, or an HR unit): decides who may edit' })
  @IsUUID()
  ownerOrgUnitId!: string;

  @ApiPropertyOptional({ example: 'ai-fundamentals', description: 'A course-linked event: the course …' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(SLUG, { message: 'courseSlug must be a course slug' })
  courseSlug?: string;

  @ApiPropertyOptional({ example: 'workshop', description: '… and the lesson of its package that stands for the live part' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(SLUG, { message: 'lessonSlug must be a lesson slug' })
  lessonSlug?: string;

  @ApiProperty({ type: [SessionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => SessionDto)
  sessions!: SessionDto[];
}

export class UpdateEventDto extends PartialType(EventFieldsDto) {}

export class EventListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'true: the events the caller organises (past ones too)' })
  @IsOptional()
  @IsIn(['true', 'false'])
  organised?: 'true' | 'false';
}

export class ReasonDto {
  @ApiProperty({ maxLength: 1000 })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason!: string;
}

export class OptionalReasonDto {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class RegisterDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Someone else (HR in scope, an organiser); omit to register yourself' })
  @IsOptional()
  @IsUUID()
  userId?: string;
}

export class RegistrationListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REGISTRATION_STATUSES })
  @IsOptional()
  @IsIn(REGISTRATION_STATUSES)
  status?: RegistrationStatus;
}

export class MarkDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  registrationId!: string;

  @ApiProperty({ enum: ATTENDANCE_STATUSES })
  @IsIn(ATTENDANCE_STATUSES)
  status!: AttendanceStatus;
}

export class MarkAttendanceDto {
  @ApiProperty({ type: [MarkDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => MarkDto)
  marks!: MarkDto[];
}

export class CheckInDto {
  @ApiProperty({ description: 'The code from the participant’s QR code' })
  @IsString()
  @MaxLength(200)
  token!: string;
}

export class ChoiceDto {
  @ApiProperty({ example: 'right' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,40}$/)
  id!: string;

  @ApiProperty({ example: { en: 'About right', 'sr-Latn': 'Taman' } })
  @IsObject()
  text!: Record<string, string>;
}

export class QuestionDto {
  @ApiProperty({ example: 'q1' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,40}$/)
  id!: string;

  @ApiProperty({ enum: ['scale', 'choice', 'text'] })
  @IsIn(['scale', 'choice', 'text'])
  type!: 'scale' | 'choice' | 'text';

  @ApiProperty({ example: { en: 'How useful was it?', 'sr-Latn': 'Koliko je bilo korisno?' } })
  @IsObject()
  text!: Record<string, string>;

  @ApiPropertyOptional({ minimum: 2, maximum: 10 })
  @IsOptional()
  @IsInt()
  @Min(2)
  @Max(10)
  max?: number;

  @ApiPropertyOptional({ type: [ChoiceDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ChoiceDto)
  choices?: ChoiceDto[];
}

export class QuestionnaireDto {
  @ApiProperty({ default: true })
  @IsBoolean()
  anonymous!: boolean;

  @ApiProperty({ type: [QuestionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => QuestionDto)
  questions!: QuestionDto[];
}

export class AnswersDto {
  @ApiProperty({ example: { q1: 5, q2: 'b', q3: 'Great' } })
  @IsObject()
  answers!: Record<string, number | string>;
}

export class CommitmentDto {
  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  action!: string;

  @ApiProperty({ format: 'date', example: '2027-09-30' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dueOn must be a date (YYYY-MM-DD)' })
  dueOn!: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  partners?: string[];

  @ApiPropertyOptional({ example: 'LIT.1' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  competencyCode?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 17, description: 'UN Sustainable Development Goal' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(17)
  sdg?: number;

  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(6)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(36, { each: true })
  reminderMonths?: number[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Other participants who share the commitment' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  memberIds?: string[];
}

export class CommitmentUpdateDto {
  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  note!: string;

  @ApiProperty({ enum: COMMITMENT_STATUSES })
  @IsIn(COMMITMENT_STATUSES)
  status!: CommitmentStatus;
}

export class ReportQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
