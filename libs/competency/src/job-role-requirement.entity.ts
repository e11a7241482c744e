import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { JobRole } from './job-role.entity.js';

/** A job role requires a competency (of a framework) at least at `level`. */
@Entity('job_role_requirement')
@Check('ck_job_role_requirement_level', `level >= 1`)
@Index('idx_job_role_requirement_competency', ['frameworkKey', 'competencyCode'])
export class JobRoleRequirement {
  @PrimaryColumn('text')
  jobRoleCode!: string;

  @ManyToOne(() => JobRole, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'job_role_code' })
  jobRole?: JobRole;

  @PrimaryColumn('text')
  frameworkKey!: string;

  @PrimaryColumn('text')
  competencyCode!: string;

  @Column('int')
  level!: number;
}
