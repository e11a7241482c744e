import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrgUnit, User } from '@lms/identity';
import { Course } from '@lms/catalog';

/** Who an assignment targets. Either listed people, or a unit (optionally with its subtree) and/or a job role. */
export interface AssignmentTarget {
  userIds?: string[];
  orgUnitId?: string;
  includeSubUnits?: boolean;
  jobRoleCode?: string;
}

/**
 * HR (or an admin) assigned a course to people. Targets that name a unit or a job role are
 * "standing": people who later join that unit (or subtree) or take that role receive the course too.
 * The due date is fixed (`dueAt`) or relative (`dueInDays` after the person was assigned).
 */
@Entity('assignment')
@Check('ck_assignment_target', `target_user_ids IS NOT NULL OR target_org_unit_id IS NOT NULL OR target_job_role_code IS NOT NULL`)
@Check('ck_assignment_due', `due_at IS NULL OR due_in_days IS NULL`)
@Check('ck_assignment_due_in_days', `due_in_days IS NULL OR due_in_days BETWEEN 1 AND 3650`)
@Check('ck_assignment_renew', `renew_every_months IS NULL OR renew_every_months BETWEEN 1 AND 120`)
@Index('idx_assignment_course', ['courseId'])
@Index('idx_assignment_standing_unit', { synchronize: false })
@Index('idx_assignment_standing_role', { synchronize: false })
export class Assignment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  courseId!: string;

  @ManyToOne(() => Course, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'course_id' })
  course?: Course;

  /** Listed people (a one-off target, never standing). */
  @Column('uuid', { array: true, nullable: true })
  targetUserIds!: string[] | null;

  @Column('uuid', { nullable: true })
  targetOrgUnitId!: string | null;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'target_org_unit_id' })
  targetOrgUnit?: OrgUnit;

  @Column('boolean', { default: false })
  includeSubUnits!: boolean;

  @Column('text', { nullable: true })
  targetJobRoleCode!: string | null;

  @Column('timestamptz', { nullable: true })
  dueAt!: Date | null;

  @Column('int', { nullable: true })
  dueInDays!: number | null;

  @Column('int', { nullable: true })
  renewEveryMonths!: number | null;

  /** True for unit and job-role targets: the assignment follows people who join later. */
  @Column('boolean')
  standing!: boolean;

  @Column('uuid', { nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by' })
  creator?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

export function assignmentTarget(a: Pick<Assignment, 'targetUserIds' | 'targetOrgUnitId' | 'includeSubUnits' | 'targetJobRoleCode'>): AssignmentTarget {
  const t: AssignmentTarget = {};
  if (a.targetUserIds) t.userIds = a.targetUserIds;
  if (a.targetOrgUnitId) {
    t.orgUnitId = a.targetOrgUnitId;
    t.includeSubUnits = a.includeSubUnits;
  }
  if (a.targetJobRoleCode) t.jobRoleCode = a.targetJobRoleCode;
  return t;
}
