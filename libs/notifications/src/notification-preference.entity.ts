import { Check, Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { User } from '@lms/identity';

export const DIGEST_MODES = ['daily', 'immediate'] as const;
export type DigestMode = (typeof DIGEST_MODES)[number];

/**
 * How a person wants to be told. No row = the defaults (e-mail on, daily digest).
 * In-app notifications cannot be switched off, so reminders for mandatory (assigned) training
 * always reach the person, even with e-mail off.
 */
@Entity('notification_preference')
@Check('ck_notification_preference_digest', `digest IN ('daily', 'immediate')`)
export class NotificationPreference {
  @PrimaryColumn('uuid')
  userId!: string;

  @OneToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('boolean', { default: true })
  email!: boolean;

  @Column('text', { default: 'daily' })
  digest!: DigestMode;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

export const DEFAULT_PREFERENCES: { email: boolean; digest: DigestMode } = { email: true, digest: 'daily' };
