import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@lms/identity';
import { Enrolment } from '@lms/learning';

export const EVIDENCE_SOURCES = ['course', 'manual', 'recognition'] as const;
export type EvidenceSource = (typeof EVIDENCE_SOURCES)[number];

/**
 * Evidence that a person holds a competency at a level: from a completed enrolment (one row per
 * enrolment and competency, so handling the same completion twice adds nothing) or recorded by
 * HR / an admin (recognition of prior learning, with a note), or from a trusted peer instance's
 * credential the person had recognised (`recognition`, docs/hub.md). `expiresAt` null = never expires.
 */
@Entity('competency_evidence')
@Check('ck_competency_evidence_source', `source IN ('course', 'manual', 'recognition')`)
@Check('ck_competency_evidence_level', `level >= 1`)
@Check('ck_competency_evidence_enrolment', `(source = 'course') = (enrolment_id IS NOT NULL)`)
@Index('uq_competency_evidence_enrolment', ['enrolmentId', 'competencyCode'], { unique: true })
@Index('idx_competency_evidence_user', ['userId', 'frameworkKey', 'competencyCode', 'level'])
export class CompetencyEvidence {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('text')
  competencyCode!: string;

  @Column('text')
  frameworkKey!: string;

  /** The framework version in force when the evidence was recorded (null if none was imported). */
  @Column('int', { nullable: true })
  frameworkVersion!: number | null;

  @Column('int')
  level!: number;

  @Column('text')
  source!: EvidenceSource;

  @Column('uuid', { nullable: true })
  enrolmentId!: string | null;

  @ManyToOne(() => Enrolment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'enrolment_id' })
  enrolment?: Enrolment;

  @Column('text', { nullable: true })
  courseSlug!: string | null;

  @Column('text', { nullable: true })
  note!: string | null;

  @Column('uuid', { nullable: true })
  recordedBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'recorded_by' })
  recorder?: User;

  @Column('timestamptz')
  awardedAt!: Date;

  @Column('timestamptz', { nullable: true })
  expiresAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
