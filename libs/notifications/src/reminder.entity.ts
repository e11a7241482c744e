import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@lms/identity';
import { Enrolment } from '@lms/learning';
import { Notification } from './notification.entity.js';

/**
 * A reminder that fell due, recorded BEFORE anything is sent. Its identity is
 * (enrolment, kind, due date, recipient): the learner's own reminders have the learner as the
 * only recipient, so for them this is one reminder per (enrolment, kind, due date); an escalation
 * has one row per manager or HR officer it goes to. A sweep that runs twice inserts nothing the
 * second time (INSERT … ON CONFLICT DO NOTHING).
 *
 * `notificationId` is the digest the line was delivered in; NULL means "recorded, not yet in a
 * digest" (partial index), so a crash between recording and digesting loses nothing.
 */
@Entity('reminder')
@Index('uq_reminder', ['enrolmentId', 'kind', 'dueDate', 'recipientId'], { unique: true })
@Index('idx_reminder_pending', { synchronize: false })
@Index('idx_reminder_notification', ['notificationId'])
export class Reminder {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  enrolmentId!: string;

  @ManyToOne(() => Enrolment, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'enrolment_id' })
  enrolment?: Enrolment;

  /** For certificate-expiry reminders: the certificate (of that enrolment). */
  @Column('uuid', { nullable: true })
  certificateId!: string | null;

  /** e.g. due_soon:14, overdue:8, escalation_manager, escalation_hr, certificate_expiring:30. */
  @Column('text')
  kind!: string;

  /** The local due (or expiry) date in the learner's time zone the reminder is about. */
  @Column('date')
  dueDate!: string;

  @Column('uuid')
  recipientId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'recipient_id' })
  recipient?: User;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt!: Date;

  @Column('uuid', { nullable: true })
  notificationId!: string | null;

  @ManyToOne(() => Notification, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'notification_id' })
  notification?: Notification;
}
