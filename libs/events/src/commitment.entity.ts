import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '@lms/identity';
import { LiveEvent } from './event.entity.js';

export const COMMITMENT_STATUSES = ['open', 'kept', 'not_kept'] as const;
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];

/**
 * What a participant (or a group of participants) will do after a workshop: an action with a due
 * date, partners and the competency or UN Sustainable Development Goal it serves. Reminded at
 * `reminderMonths` after it was made; each reminder asks for a progress update.
 */
@Entity('event_commitment')
@Check('ck_event_commitment_status', `status IN ('open', 'kept', 'not_kept')`)
@Check('ck_event_commitment_sdg', `sdg IS NULL OR sdg BETWEEN 1 AND 17`)
@Index('idx_event_commitment_event', ['eventId'])
export class EventCommitment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  eventId!: string;

  @ManyToOne(() => LiveEvent, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'event_id' })
  event?: LiveEvent;

  @Column('uuid')
  createdBy!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'created_by' })
  creator?: User;

  @Column('text')
  action!: string;

  @Column('date')
  dueOn!: string;

  @Column('text', { array: true, default: '{}' })
  partners!: string[];

  @Column('text', { nullable: true })
  competencyCode!: string | null;

  @Column('int', { nullable: true })
  sdg!: number | null;

  @Column('int', { array: true })
  reminderMonths!: number[];

  @Column('text', { default: 'open' })
  status!: CommitmentStatus;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** The people who share a commitment (the author too). */
@Entity('event_commitment_member')
@Index('idx_event_commitment_member_user', ['userId'])
export class EventCommitmentMember {
  @PrimaryColumn('uuid')
  commitmentId!: string;

  @ManyToOne(() => EventCommitment, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'commitment_id' })
  commitment?: EventCommitment;

  @PrimaryColumn('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: User;
}

/** A progress update on a commitment. */
@Entity('event_commitment_update')
@Check('ck_event_commitment_update_status', `status IN ('open', 'kept', 'not_kept')`)
@Index('idx_event_commitment_update_commitment', ['commitmentId'])
export class EventCommitmentUpdate {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  commitmentId!: string;

  @ManyToOne(() => EventCommitment, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'commitment_id' })
  commitment?: EventCommitment;

  @Column('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('text')
  note!: string;

  @Column('text')
  status!: CommitmentStatus;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** One reminder per (commitment, member, months after): a sweep that runs twice reminds once. */
@Entity('event_commitment_reminder')
export class EventCommitmentReminder {
  @PrimaryColumn('uuid')
  commitmentId!: string;

  @ManyToOne(() => EventCommitment, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'commitment_id' })
  commitment?: EventCommitment;

  @PrimaryColumn('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @PrimaryColumn('int')
  months!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
