import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { OrgUnit, User } from '@lms/identity';
import { Course } from '@lms/catalog';

export const APPROVAL_MODES = ['none', 'all', 'units'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];
export const EVENT_STATUSES = ['scheduled', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** Who may register: people in these unit subtrees, with these job roles, in these countries (org units of kind country, by code). Empty = everyone. */
export interface EventAudience {
  orgUnitIds?: string[];
  jobRoleCodes?: string[];
  countryCodes?: string[];
}

/**
 * A workshop, webinar or classroom day: a live activity of a course (`courseId` + `lessonSlug`, the
 * lesson of the course package that stands for the live part) or stand-alone. Owned by an org unit
 * (a school, or an HR unit), which decides who may edit it. `capacity` seats are shared by every
 * session (people register for the whole event); the database serialises seat allocation with a
 * row lock on this row.
 */
@Entity('live_event')
@Check('ck_live_event_capacity', `capacity > 0`)
@Check('ck_live_event_approval_mode', `approval_mode IN ('none', 'all', 'units')`)
@Check('ck_live_event_status', `status IN ('scheduled', 'cancelled')`)
@Check('ck_live_event_rule', `attendance_rule_percent BETWEEN 1 AND 100`)
@Check('ck_live_event_course_lesson', `(course_id IS NULL) = (lesson_slug IS NULL)`)
@Index('idx_live_event_owner', ['ownerOrgUnitId'])
@Index('idx_live_event_course', ['courseId'])
export class LiveEvent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  title!: string;

  @Column('text', { default: '' })
  description!: string;

  @Column('text', { default: 'en' })
  language!: string;

  @Column('uuid')
  ownerOrgUnitId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'owner_org_unit_id' })
  ownerOrgUnit?: OrgUnit;

  @Column('uuid', { nullable: true })
  courseId!: string | null;

  @ManyToOne(() => Course, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'course_id' })
  course?: Course;

  @Column('text', { nullable: true })
  lessonSlug!: string | null;

  @Column('int')
  capacity!: number;

  @Column('timestamptz', { nullable: true })
  registrationOpensAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  registrationClosesAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  cancellationDeadline!: Date | null;

  @Column('text', { default: 'none' })
  approvalMode!: ApprovalMode;

  @Column('uuid', { array: true, default: '{}' })
  approvalOrgUnitIds!: string[];

  @Column('int', { default: 3 })
  approvalEscalateAfterDays!: number;

  @Column('jsonb', { default: {} })
  audience!: EventAudience;

  @Column('int', { default: 80 })
  attendanceRulePercent!: number;

  /** Hours a person promoted from the waitlist has to confirm the seat. */
  @Column('int', { default: 48 })
  confirmHours!: number;

  @Column('int', { array: true, default: '{7,1}' })
  reminderOffsetsDays!: number[];

  @Column('int', { array: true, default: '{1,3,6}' })
  commitmentReminderMonths!: number[];

  @Column('text', { default: 'scheduled' })
  status!: EventStatus;

  @Column('uuid', { nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by' })
  creator?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** One sitting of an event: start and end (UTC) with the IANA time zone it is held in, a venue and/or an online link. */
@Entity('event_session')
@Check('ck_event_session_times', `ends_at > starts_at`)
@Check('ck_event_session_status', `status IN ('scheduled', 'cancelled')`)
@Check('ck_event_session_place', `venue_address IS NOT NULL OR online_url IS NOT NULL`)
@Index('idx_event_session_event', ['eventId', 'startsAt'])
@Index('idx_event_session_starts', ['startsAt'])
export class EventSession {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  eventId!: string;

  @ManyToOne(() => LiveEvent, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'event_id' })
  event?: LiveEvent;

  @Column('timestamptz')
  startsAt!: Date;

  @Column('timestamptz')
  endsAt!: Date;

  @Column('text')
  timeZone!: string;

  @Column('text', { nullable: true })
  venueName!: string | null;

  @Column('text', { nullable: true })
  venueAddress!: string | null;

  @Column('text', { nullable: true })
  onlineUrl!: string | null;

  /** Room capacity; the event's capacity may not exceed the smallest room. */
  @Column('int', { nullable: true })
  roomCapacity!: number | null;

  @Column('text', { default: 'scheduled' })
  status!: EventStatus;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** A trainer: a person with an account (sees the list, marks attendance) or an external name. */
@Entity('event_trainer')
@Check('ck_event_trainer_who', `user_id IS NOT NULL OR external_name IS NOT NULL`)
@Index('idx_event_trainer_event', ['eventId'])
@Index('idx_event_trainer_user', ['userId'])
export class EventTrainer {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  eventId!: string;

  @ManyToOne(() => LiveEvent, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'event_id' })
  event?: LiveEvent;

  @Column('uuid', { nullable: true })
  userId!: string | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('text', { nullable: true })
  externalName!: string | null;
}
