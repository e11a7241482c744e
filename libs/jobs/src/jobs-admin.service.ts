import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DomainError, NotFoundError, Page } from '@lms/platform';
import { BullMqDriver } from './bullmq.driver.js';
import { JobName, JobPayloads, SCHEDULES } from './job-catalogue.js';
import { JOB_DRIVER } from './job-driver.js';
import type { JobDriver } from './job-driver.js';
import { describeError } from './job-executor.js';
import { FailedJob } from './failed-job.entity.js';
import { FailedJobRepository } from './failed-job.repository.js';
import type { JobRun } from './job-run.entity.js';
import { JobRunRepository } from './job-run.repository.js';

export class JobsUnavailableError extends DomainError {
  constructor(reason: string) {
    super('jobs_unavailable', `The job queues do not answer right now (${reason}); try again shortly`, 503);
  }
}

/**
 * The scheduled job a name stands for: the job name itself ('notifications.reminder-sweep') or
 * its part after the domain ('reminder-sweep') when that is unambiguous.
 */
export function resolveScheduledJob(name: string): JobName | undefined {
  const scheduled = SCHEDULES.map((s) => s.job);
  if ((scheduled as string[]).includes(name)) return name as JobName;
  const matches = scheduled.filter((j) => j.slice(j.indexOf('.') + 1) === name);
  return matches.length === 1 ? matches[0] : undefined;
}

/** Operations on the job system for administrators. */
@Injectable()
export class JobsAdmin {
  constructor(
    @Inject(JOB_DRIVER) private readonly driver: JobDriver,
    @Inject(FailedJobRepository) private readonly failedJobs: FailedJobRepository,
    @Inject(JobRunRepository) private readonly runs: JobRunRepository,
  ) {}

  /** The newest runs of every scheduled job (time, duration, outcome), newest first. */
  async lastRuns(perJob = 5): Promise<Map<JobName, JobRun[]>> {
    const rows = await this.runs.latest(SCHEDULES.map((s) => s.job), perJob);
    const out = new Map<JobName, JobRun[]>(SCHEDULES.map((s) => [s.job, []]));
    for (const r of rows) out.get(r.name as JobName)?.push(r);
    return out;
  }

  /** Runs a scheduled job now, outside its schedule. Unknown name → 404. */
  async runScheduled(name: string): Promise<{ jobId: string; job: JobName }> {
    const job = resolveScheduledJob(name);
    if (!job) throw new NotFoundError('Scheduled job', name);
    try {
      const jobId = await this.driver.runNow(job, { runAt: new Date().toISOString() } as JobPayloads[JobName]);
      return { jobId, job };
    } catch (e) {
      throw new JobsUnavailableError(describeError(e));
    }
  }

  failed(query: { page: number; limit: number; name?: string }): Promise<Page<FailedJob>> {
    return this.failedJobs.page(query);
  }

  /** The BullMQ queues for the dashboard; null in embedded mode (no Redis). */
  dashboardQueues(): Queue[] | null {
    return this.driver instanceof BullMqDriver ? this.driver.allQueues() : null;
  }
}
