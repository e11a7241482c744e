import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { JobName } from './job-catalogue.js';
import type { JobRun } from './job-run.entity.js';

/** Runs kept per scheduled job (about a day of the busiest hourly job, a month and a half of the daily ones). */
export const JOB_RUNS_KEPT = 50;

export interface JobRunRecord {
  jobId: string;
  name: JobName;
  attempt: number;
  startedAt: Date;
  durationMs: number;
  outcome: JobRun['outcome'];
}

/** The recent runs of the scheduled jobs, for the administrators' jobs page. */
@Injectable()
export class JobRunRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Records a run and prunes the job's runs beyond the newest JOB_RUNS_KEPT, in one statement. */
  async record(r: JobRunRecord): Promise<void> {
    await this.dataSource.query(
      `WITH added AS (
         INSERT INTO job_run (job_id, name, attempt, started_at, duration_ms, outcome) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
       )
       DELETE FROM job_run WHERE name = $2 AND id IN (
         SELECT id FROM job_run WHERE name = $2 ORDER BY started_at DESC, id OFFSET $7
       )`,
      [r.jobId, r.name, r.attempt, r.startedAt, Math.max(0, Math.round(r.durationMs)), r.outcome, JOB_RUNS_KEPT - 1],
    );
  }

  /** The newest `perJob` runs of each named job, newest first. */
  async latest(names: readonly string[], perJob: number): Promise<JobRun[]> {
    if (!names.length) return [];
    const rows = (await this.dataSource.query(
      `SELECT r.id, r.job_id AS "jobId", r.name, r.attempt, r.started_at AS "startedAt", r.duration_ms AS "durationMs", r.outcome
         FROM unnest($1::text[]) AS n(name)
         CROSS JOIN LATERAL (SELECT * FROM job_run j WHERE j.name = n.name ORDER BY j.started_at DESC, j.id LIMIT $2) r
        ORDER BY r.name, r.started_at DESC`,
      [names, perJob],
    )) as JobRun[];
    return rows;
  }
}
