import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Page, pageOf } from '@lms/platform';
import type { JobName } from './job-catalogue.js';
import { FailedJob } from './failed-job.entity.js';

export interface FailedJobRecord {
  jobId: string;
  name: JobName;
  queue: string;
  payload: unknown;
  error: string;
  attempts: number;
}

/** The failed-job list: jobs that failed their last attempt, newest first. */
@Injectable()
export class FailedJobRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async record(f: FailedJobRecord): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO failed_job (job_id, name, queue, payload, error, attempts)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (job_id) DO UPDATE
         SET error = EXCLUDED.error, attempts = EXCLUDED.attempts, failed_at = now()`,
      [f.jobId, f.name, f.queue, JSON.stringify(f.payload ?? {}), f.error.slice(0, 4000), f.attempts],
    );
  }

  async page(query: { page: number; limit: number; name?: string }): Promise<Page<FailedJob>> {
    const [items, total] = await this.dataSource.getRepository(FailedJob).findAndCount({
      where: query.name ? { name: query.name } : {},
      order: { failedAt: 'DESC', id: 'ASC' },
      skip: (query.page - 1) * query.limit,
      take: query.limit,
    });
    return pageOf(items, total, query);
  }
}
