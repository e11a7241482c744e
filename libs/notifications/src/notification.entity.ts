import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@lms/identity';

export const NOTIFICATION_TYPES = [
  'reminder_digest',
  'assigned',
  'certificate_issued',
  'certificate_revoked',
  'enrolment_completed',
  'reminder_now',
  // libs/events
  'event_registration',
  'event_approval_request',
  'event_waitlist_offer',
  'event_session_reminder',
  'event_trainer_list',
  'event_evaluation',
  'event_commitment_reminder',
  // a milestone of a cross-country follow-up group is due (docs/hub.md, item 6)
  'event_followup_milestone',
  // the regional hub (docs/hub.md): an adaptation's upstream published a new version
  'upstream_published',
  // a reply in a community thread the person took part in
  'community_reply',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/**
 * An in-app notification, rendered in the recipient's locale when it was created. One per
 * (recipient, dedupe key): `digest:<local date>` for the daily reminder digest,
 * `<event>:<subject id>` for event notifications, so a job or sweep that runs twice inserts once.
 *
 * `emailPending`: the person reads e-mail as a daily digest, so this notification waits to be
 * included in the next morning's digest e-mail (partial index on the pending ones).
 */
@Entity('notification')
@Index('uq_notification_dedupe', ['userId', 'dedupeKey'], { unique: true })
@Index('idx_notification_inbox', ['userId', 'createdAt'])
@Index('idx_notification_created', ['createdAt'])
@Index('idx_notification_email_pending', { synchronize: false })
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('text')
  type!: NotificationType;

  @Column('text')
  dedupeKey!: string;

  @Column('text')
  locale!: string;

  @Column('text')
  title!: string;

  /** Plain text. */
  @Column('text')
  body!: string;

  /** Where the notification leads (a course page), if anywhere. */
  @Column('text', { nullable: true })
  link!: string | null;

  /** Structured content (digest lines, ids) for clients that render it themselves. */
  @Column('jsonb')
  data!: Record<string, unknown>;

  @Column('boolean', { default: false })
  emailPending!: boolean;

  @Column('timestamptz', { nullable: true })
  readAt!: Date | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt!: Date;
}
