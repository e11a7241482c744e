import { SetMetadata } from '@nestjs/common';
import type { JobName, JobPayloads } from './job-catalogue.js';

export const JOB_HANDLER_KEY = 'lms:job-handler';

export interface JobContext {
  /** The job id (`<outboxId>.<jobName>` for event jobs, see eventJobId; generated for scheduled runs). */
  id: string;
  /** 1 on the first attempt. */
  attempt: number;
}

/**
 * A job handler: a provider class decorated with @JobHandler('<job name>') that implements
 * handle(payload). The jobs module discovers handlers at start-up and fails when a job has no
 * handler or two. Handlers must be idempotent (a database constraint, not memory): a job may run twice.
 */
export interface JobHandlerInstance<J extends JobName> {
  handle(payload: JobPayloads[J], context: JobContext): Promise<void>;
}

export const JobHandler = (job: JobName): ClassDecorator => SetMetadata(JOB_HANDLER_KEY, job);
