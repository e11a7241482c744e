import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '@lms/identity';
import { EventSession, LiveEvent } from './event.entity.js';

export const REGISTRATION_STATUSES = ['pending_approval', 'booked', 'waitlisted', 'offered', 'cancelled', 'declined', 'expired'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];
/** Statuses of a live registration (at most one per person and event: partial unique index). */
export const ACTIVE_STATUSES: RegistrationStatus[] = ['pending_approval', 'booked', 'waitlisted', 'offered'];
/** Statuses that hold a seat. */
export const SEAT_STATUSES: RegistrationStatus[] = ['booked', 'offered'];

/**
 * A person's place at an event. `booked` and `offered` (promoted from the waitlist, waiting for the
 * person to confirm before `offerExpiresAt`) hold a seat; `waitlisted` waits in `waitlistedAt` order;
 * `pending_approval` waits for the line manager (it holds no seat: a seat is allocated on approval).
 * `completedAt` is set once, when the attendance rule is met.
 */
@Entity('event_registration')
@Check('ck_event_registration_status', `status IN ('pending_approval', 'booked', 'waitlisted', 'offered', 'cancelled', 'declined', 'expired')`)
@Index('uq_event_registration_active', { synchronize: false })
@Index('idx_event_registration_event', ['eventId', 'status'])
@Index('idx_event_registration_user', ['userId'])
@Index('idx_event_registration_approver', ['approverId'])
export class EventRegistration {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  eventId!: string;

  @ManyToOne(() => LiveEvent, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'event_id' })
  event?: LiveEvent;

  @Column('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('text')
  status!: RegistrationStatus;

  /** Who registered the person (themself, HR, an organiser). */
  @Column('uuid', { nullable: true })
  registeredBy!: string | null;

  @Column('timestamptz', { nullable: true })
  waitlistedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  offeredAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  offerExpiresAt!: Date | null;

  /** The manager asked to approve (the person's line manager when the request was made). */
  @Column('uuid', { nullable: true })
  approverId!: string | null;

  @Column('timestamptz', { nullable: true })
  approvalRequestedAt!: Date | null;

  /** When the request was escalated to HR (no decision after the event's escalation days). */
  @Column('timestamptz', { nullable: true })
  escalatedAt!: Date | null;

  @Column('uuid', { nullable: true })
  decidedBy!: string | null;

  @Column('timestamptz', { nullable: true })
  decidedAt!: Date | null;

  @Column('text', { nullable: true })
  decisionReason!: string | null;

  @Column('uuid', { nullable: true })
  cancelledBy!: string | null;

  @Column('timestamptz', { nullable: true })
  cancelledAt!: Date | null;

  @Column('text', { nullable: true })
  cancelReason!: string | null;

  @Column('timestamptz', { nullable: true })
  completedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

export const ATTENDANCE_STATUSES = ['present', 'partial', 'absent'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** Attendance of one registration at one session: marked from the list or by scanning the person's QR code. */
@Entity('event_attendance')
@Check('ck_event_attendance_status', `status IN ('present', 'partial', 'absent')`)
@Check('ck_event_attendance_via', `via IN ('list', 'qr')`)
@Index('idx_event_attendance_registration', ['registrationId'])
export class EventAttendance {
  @PrimaryColumn('uuid')
  sessionId!: string;

  @ManyToOne(() => EventSession, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'session_id' })
  session?: EventSession;

  @PrimaryColumn('uuid')
  registrationId!: string;

  @ManyToOne(() => EventRegistration, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'registration_id' })
  registration?: EventRegistration;

  @Column('text')
  status!: AttendanceStatus;

  @Column('text', { default: 'list' })
  via!: 'list' | 'qr';

  @Column('uuid', { nullable: true })
  markedBy!: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  markedAt!: Date;
}

/**
 * The calendar entry of one session in one person's calendar: UID `<sessionId>.<userId>@<host>` is
 * stable, `sequence` grows with every invitation or cancellation sent, so mail clients update the
 * same entry (RFC 5546).
 */
@Entity('event_calendar_entry')
export class EventCalendarEntry {
  @PrimaryColumn('uuid')
  sessionId!: string;

  @ManyToOne(() => EventSession, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'session_id' })
  session?: EventSession;

  @PrimaryColumn('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('int', { default: 0 })
  sequence!: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** A person's subscribable calendar feed: only the SHA-256 of the secret token is stored; rotating replaces it. */
@Entity('calendar_feed_token')
export class CalendarFeedToken {
  @PrimaryColumn('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Index('uq_calendar_feed_token_hash', { unique: true })
  @Column('text')
  tokenHash!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * A reminder about a session (or an event), recorded before it is sent: one per (session, recipient,
 * kind) — `before:7`, `trainer:1`, `evaluation` — so a sweep that runs twice sends once.
 */
@Entity('event_reminder')
@Index('uq_event_reminder', ['sessionId', 'recipientId', 'kind'], { unique: true })
export class EventReminder {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  sessionId!: string;

  @ManyToOne(() => EventSession, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'session_id' })
  session?: EventSession;

  @Column('uuid')
  recipientId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'recipient_id' })
  recipient?: User;

  @Column('text')
  kind!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
