import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig, RequestContext } from '@lms/platform';
import { JobName, JOB_POLICIES, jobPolicy, SCHEDULES } from './job-catalogue.js';
import type { JobRequest } from './job-driver.js';
import { JobHandlerRegistry, REQUIRE_EVERY_HANDLER } from './job-handler.registry.js';
import { FailedJobRepository } from './failed-job.repository.js';
import { JobMetrics } from './job-metrics.js';
import { JobRunRepository } from './job-run.repository.js';

const SCHEDULED = new Set<string>(SCHEDULES.map((s) => s.job));

/** A job whose handler does not exist in this process: failed at once, never retried. */
export class NoHandlerError extends Error {
  override readonly name = 'NoHandlerError';
  constructor(job: JobName) {
    super(
      `No handler is registered for job '${job}' in this process` +
        (REQUIRE_EVERY_HANDLER ? '' : ' (the start-up handler check is relaxed until every handler exists: see REQUIRE_EVERY_HANDLER)'),
    );
  }
}

/** Exponential backoff as BullMQ computes it: base × 2^(attempt − 1) after the attempt that failed. */
export function backoffDelay(baseMs: number, failedAttempt: number): number {
  return Math.round(2 ** (failedAttempt - 1) * baseMs);
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Runs a job's handler (both drivers), measures it, and records final failures. */
@Injectable()
export class JobExecutor {
  private readonly logger = new Logger('Jobs');

  constructor(
    @Inject(JobHandlerRegistry) private readonly registry: JobHandlerRegistry,
    @Inject(JobMetrics) private readonly metrics: JobMetrics,
    @Inject(FailedJobRepository) private readonly failedJobs: FailedJobRepository,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(JobRunRepository) private readonly runs: JobRunRepository,
  ) {}

  /** Runs the handler once; throws what it throws (NoHandlerError when there is none). */
  async execute(job: JobRequest, attempt: number): Promise<void> {
    // Log lines written while the job runs (here and in its handler) carry its id and the causing request's id.
    return RequestContext.run({ requestId: job.requestId ?? null, jobId: job.id }, () => this.executeInContext(job, attempt));
  }

  private async executeInContext(job: JobRequest, attempt: number): Promise<void> {
    const handler = this.registry.get(job.name);
    if (!handler) throw new NoHandlerError(job.name);
    const labels = { queue: JOB_POLICIES[job.name].queue, job: job.name };
    const stop = this.metrics.processing.startTimer(labels);
    const startedAt = new Date();
    const started = performance.now();
    try {
      await handler.handle(job.payload as never, { id: job.id, attempt });
      stop({ status: 'completed' });
      this.logger.log(`job ${job.name} ${job.id} done in ${Math.round(performance.now() - started)} ms (attempt ${attempt})`);
      await this.recordRun(job, attempt, startedAt, performance.now() - started, 'completed');
    } catch (error) {
      stop({ status: 'failed' });
      await this.recordRun(job, attempt, startedAt, performance.now() - started, 'failed');
      const attempts = jobPolicy(job.name, this.config.jobPolicyOverrides).attempts;
      this.logger.warn(`job ${job.name} ${job.id} failed attempt ${attempt} of ${attempts}: ${describeError(error)}`);
      throw error;
    }
  }

  /** A scheduled job's run, for the jobs page; never fails the job itself. */
  private async recordRun(job: JobRequest, attempt: number, startedAt: Date, durationMs: number, outcome: 'completed' | 'failed'): Promise<void> {
    if (!SCHEDULED.has(job.name)) return;
    try {
      await this.runs.record({ jobId: job.id, name: job.name, attempt, startedAt, durationMs, outcome });
    } catch (e) {
      this.logger.warn(`could not record the run of job ${job.name} ${job.id}: ${describeError(e)}`);
    }
  }

  /** The job failed its last attempt: keep it in the failed-job list (and the log), never swallow it. */
  async recordFailure(job: JobRequest, error: unknown, attempts: number): Promise<void> {
    return RequestContext.run({ requestId: job.requestId ?? null, jobId: job.id }, () => this.recordFailureInContext(job, error, attempts));
  }

  private async recordFailureInContext(job: JobRequest, error: unknown, attempts: number): Promise<void> {
    this.logger.error(`job ${job.name} ${job.id} failed for good after ${attempts} attempt(s): ${describeError(error)}`, error instanceof Error ? error.stack : undefined);
    try {
      await this.failedJobs.record({ jobId: job.id, name: job.name, queue: JOB_POLICIES[job.name]?.queue ?? 'unknown', payload: job.payload, error: describeError(error), attempts });
    } catch (e) {
      this.logger.error(`could not record failed job ${job.id} in failed_job: ${describeError(e)}`);
    }
  }
}
