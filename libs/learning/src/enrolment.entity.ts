import { Check, Column, JoinColumn, ManyToOne, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '@lms/identity';
import { Course, CourseVersion } from '@lms/catalog';

export const ENROLMENT_STATUSES = ['enrolled', 'in_progress', 'completed', 'withdrawn'] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];
export type EnrolmentSource = 'self' | 'assignment';

/**
 * A person's enrolment in a course, pinned to the version it started on.
 * One active (enrolled or in progress) enrolment per person and course: a partial unique index.
 * `overdue` is derived: dueAt has passed and the enrolment is not completed or withdrawn.
 */
@Entity('enrolment')
@Check('ck_enrolment_status', `status IN ('enrolled', 'in_progress', 'completed', 'withdrawn')`)
@Check('ck_enrolment_progress', `progress BETWEEN 0 AND 100`)
@Check('ck_enrolment_package_score', `package_score BETWEEN 0 AND 100`)
@Index('uq_enrolment_active', { synchronize: false })
// Partial (status = 'completed'), created by migration EnrolmentCompletedIndex: bulk assignment's set difference.
@Index('idx_enrolment_completed', { synchronize: false })
@Index('idx_enrolment_user', ['userId'])
@Index('idx_enrolment_course', ['courseId'])
@Index('idx_enrolment_due', ['dueAt'])
@Index('idx_enrolment_assignment', ['assignmentId'])
export class Enrolment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('uuid')
  courseId!: string;

  @ManyToOne(() => Course, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'course_id' })
  course?: Course;

  @Column('uuid')
  courseVersionId!: string;

  @ManyToOne(() => CourseVersion, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'course_version_id' })
  courseVersion?: CourseVersion;

  @Column('text', { default: 'enrolled' })
  status!: EnrolmentStatus;

  @Column('text')
  source!: EnrolmentSource;

  @Column('uuid', { nullable: true })
  assignmentId!: string | null;

  /** Why this due date: e.g. "fixed by assignment", "14 days from assignment on 2026-11-26". */
  @Column('text', { nullable: true })
  dueReason!: string | null;

  @Column('timestamptz', { nullable: true })
  dueAt!: Date | null;

  /** Share (0–100) of required lessons done. */
  @Column('int', { default: 0 })
  progress!: number;

  /**
   * The result of the course's packaged activities (SCORM SCOs, cmi5 AUs), 0–100: the mean of each
   * scored activity's latest score.scaled (docs/interop.md). Null: no packaged activity reported a score.
   */
  @Column('int', { nullable: true })
  packageScore!: number | null;

  /** Passed/failed as the packaged activities reported it: false when any failed, true when any passed and none failed. */
  @Column('boolean', { nullable: true })
  packagePassed!: boolean | null;

  /** 1 for the first enrolment; renewals count up. */
  @Column('int', { default: 1 })
  cycle!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  enrolledAt!: Date;

  @Column('timestamptz', { nullable: true })
  startedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  completedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  withdrawnAt!: Date | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
