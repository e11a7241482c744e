import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A job that failed its last attempt (either driver). One row per job id: a job run again by an
 * operator and failing again updates its row. Listed at GET /api/v1/admin/jobs/failed.
 */
@Entity('failed_job')
@Index('uq_failed_job_job_id', ['jobId'], { unique: true })
@Index('idx_failed_job_failed_at', ['failedAt'])
export class FailedJob {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  jobId!: string;

  @Column('text')
  name!: string;

  @Column('text')
  queue!: string;

  @Column('jsonb')
  payload!: Record<string, unknown>;

  @Column('text')
  error!: string;

  /** Attempts made, the last one included. */
  @Column('int')
  attempts!: number;

  @Column('timestamptz', { default: () => 'now()' })
  failedAt!: Date;
}
