import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One attempt of a scheduled job (its schedule or "run now"): when it started, how long it took
 * and whether it completed. The last JOB_RUNS_KEPT per job are kept (older ones are pruned when a
 * run is recorded); the error of a job that failed for good is in failed_job. No personal data.
 */
@Entity('job_run')
@Index('idx_job_run_name_started', ['name', 'startedAt'])
export class JobRun {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  jobId!: string;

  @Column('text')
  name!: string;

  @Column('int')
  attempt!: number;

  @Column('timestamptz')
  startedAt!: Date;

  @Column('int')
  durationMs!: number;

  /** completed | failed */
  @Column('text')
  outcome!: 'completed' | 'failed';
}
