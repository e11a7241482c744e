import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '@lms/identity';
import { EventCommitment, type CommitmentStatus } from './commitment.entity.js';
import { LiveEvent } from './event.entity.js';

export const FOLLOWUP_MEMBER_STATUSES = ['invited', 'active'] as const;
export type FollowupMemberStatus = (typeof FOLLOWUP_MEMBER_STATUSES)[number];

/** Days before a milestone's due date on which every member is reminded (the smallest reached, each once). */
export const MILESTONE_REMINDER_DAYS = [7, 1] as const;

/**
 * A cross-country follow-up group (docs/hub.md, item 6): participants of one event, possibly of
 * several institutions and countries, who share a joint commitment (`action`, `status`). Made by a
 * participant, often from one of their commitments (`commitment_id`), or by an organiser. Only its
 * members and the event's organisers see it.
 */
@Entity('event_followup_group')
@Check('ck_event_followup_group_status', `status IN ('open', 'kept', 'not_kept')`)
@Index('idx_event_followup_group_event', ['eventId'])
@Index('uq_event_followup_group_commitment', ['commitmentId'], { unique: true, where: 'commitment_id IS NOT NULL' })
export class EventFollowupGroup {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  eventId!: string;

  @ManyToOne(() => LiveEvent, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'event_id' })
  event?: LiveEvent;

  @Column('uuid', { nullable: true })
  commitmentId!: string | null;

  @ManyToOne(() => EventCommitment, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'commitment_id' })
  commitment?: EventCommitment | null;

  @Column('uuid', { nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'created_by' })
  creator?: User | null;

  @Column('text')
  title!: string;

  /** The joint commitment. */
  @Column('text')
  action!: string;

  @Column('text', { default: 'open' })
  status!: CommitmentStatus;

  @Column('timestamptz', { nullable: true })
  keptAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** A member of a group: invited until they accept. */
@Entity('event_followup_member')
@Check('ck_event_followup_member_status', `status IN ('invited', 'active')`)
@Index('idx_event_followup_member_user', ['userId'])
export class EventFollowupMember {
  @PrimaryColumn('uuid')
  groupId!: string;

  @ManyToOne(() => EventFollowupGroup, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'group_id' })
  group?: EventFollowupGroup;

  @PrimaryColumn('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('text')
  status!: FollowupMemberStatus;

  @Column('uuid', { nullable: true })
  invitedBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'invited_by' })
  inviter?: User | null;

  @CreateDateColumn({ type: 'timestamptz' })
  invitedAt!: Date;

  @Column('timestamptz', { nullable: true })
  joinedAt!: Date | null;
}

/** A milestone of a group's joint commitment: done once a member marks it (who and when kept). */
@Entity('event_followup_milestone')
@Index('idx_event_followup_milestone_group', ['groupId', 'dueOn'])
export class EventFollowupMilestone {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  groupId!: string;

  @ManyToOne(() => EventFollowupGroup, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'group_id' })
  group?: EventFollowupGroup;

  @Column('text')
  title!: string;

  @Column('date')
  dueOn!: string;

  @Column('timestamptz', { nullable: true })
  doneAt!: Date | null;

  @Column('uuid', { nullable: true })
  doneBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'done_by' })
  doneByUser?: User | null;

  @Column('uuid', { nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'created_by' })
  creator?: User | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** A short progress post in a group's space. */
@Entity('event_followup_post')
@Index('idx_event_followup_post_group', ['groupId', 'createdAt'])
export class EventFollowupPost {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  groupId!: string;

  @ManyToOne(() => EventFollowupGroup, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'group_id' })
  group?: EventFollowupGroup;

  @Column('uuid', { nullable: true })
  userId!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'user_id' })
  user?: User | null;

  @Column('text')
  body!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** One reminder per (milestone, member, days before): a sweep that runs twice reminds once. */
@Entity('event_followup_reminder')
export class EventFollowupReminder {
  @PrimaryColumn('uuid')
  milestoneId!: string;

  @ManyToOne(() => EventFollowupMilestone, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'milestone_id' })
  milestone?: EventFollowupMilestone;

  @PrimaryColumn('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @PrimaryColumn('int')
  daysBefore!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
