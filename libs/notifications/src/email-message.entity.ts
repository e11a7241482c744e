import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@lms/identity';
import { Notification } from './notification.entity.js';

export const EMAIL_STATES = ['queued', 'sending', 'retrying', 'sent', 'failed'] as const;
export type EmailState = (typeof EMAIL_STATES)[number];

/**
 * One e-mail and its delivery state. Created (rendered, in the recipient's locale) in the same
 * transaction as the notification it carries, with an outbox event that starts its send job.
 * The send job claims it (queued/retrying → sending), sends, and marks it sent; a failure goes
 * back to `retrying` (the job retries with backoff) or, after the last attempt, to `failed`
 * (listed at GET /admin/notifications/failed). Unique per (recipient, dedupe key).
 */
@Entity('email_message')
@Check('ck_email_message_state', `state IN ('queued', 'sending', 'retrying', 'sent', 'failed')`)
@Index('uq_email_message_dedupe', ['userId', 'dedupeKey'], { unique: true })
@Index('idx_email_message_failed', { synchronize: false })
@Index('idx_email_message_unsent', { synchronize: false })
@Index('idx_email_message_created', ['createdAt'])
export class EmailMessage {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('text')
  toAddress!: string;

  @Column('text')
  dedupeKey!: string;

  @Column('uuid', { nullable: true })
  notificationId!: string | null;

  @ManyToOne(() => Notification, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'notification_id' })
  notification?: Notification;

  @Column('text')
  locale!: string;

  @Column('text')
  subject!: string;

  @Column('text')
  textBody!: string;

  @Column('text')
  htmlBody!: string;

  /** An iCalendar (RFC 5545) invitation carried by the e-mail: its METHOD (REQUEST, CANCEL) and the file. */
  @Column('text', { nullable: true })
  calendarMethod!: string | null;

  @Column('text', { nullable: true })
  calendarIcs!: string | null;

  @Column('text', { default: 'queued' })
  state!: EmailState;

  @Column('int', { default: 0 })
  attempts!: number;

  @Column('text', { nullable: true })
  lastError!: string | null;

  @Column('timestamptz', { nullable: true })
  lastAttemptAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  sentAt!: Date | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt!: Date;
}
