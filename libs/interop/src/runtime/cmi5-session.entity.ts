import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One cmi5 launch of an AU: the registration (the enrolment), the actor, and the one-time fetch
 * token (its hash) that the AU exchanges once for LRS credentials valid for this session only.
 */
@Entity('cmi5_session')
@Index('uq_cmi5_session_fetch', ['fetchTokenHash'], { unique: true })
@Index('idx_cmi5_session_enrolment', ['enrolmentId', 'activityId'])
export class Cmi5Session {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  enrolmentId!: string;

  @Column('uuid')
  activityId!: string;

  @Column('uuid')
  userId!: string;

  @Column('text')
  actorKey!: string;

  @Column('text')
  fetchTokenHash!: string;

  /** SHA-256 of the LRS secret handed out by the fetch URL (null until fetched). */
  @Column('text', { nullable: true })
  secretHash!: string | null;

  @Column('timestamptz', { nullable: true })
  fetchedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz')
  expiresAt!: Date;
}
