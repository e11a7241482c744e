import type { JobName, JobPayloads, QueueName } from './job-catalogue.js';

/** A job as the drivers carry it: the catalogue guarantees that `payload` fits `name`. */
export interface JobRequest<J extends JobName = JobName> {
  /** Unique per job: enqueuing an id a second time is ignored. */
  id: string;
  name: J;
  payload: JobPayloads[J];
  /** The outbox row the job came from (event jobs only). */
  outboxId?: string;
  /** X-Request-Id of the HTTP request that caused the job (from its outbox row): its log lines carry it. */
  requestId?: string;
}

export interface QueueCounts {
  queue: QueueName;
  waiting: number;
  active: number;
  /** Waiting for a retry (backoff) or a delay; scheduler placeholders are not counted. */
  delayed: number;
  /** BullMQ: retained completed jobs (bounded by removeOnComplete); in-process: completed since start. */
  completed: number;
  /** BullMQ: retained failed jobs (bounded by removeOnFail); in-process: failed since start. */
  failed: number;
}

/**
 * The port behind which the jobs run: BullMQ on Redis (production) or in-process (embedded).
 * The relay and the admin operations talk only to this; domain code talks only to the Outbox.
 */
export interface JobDriver {
  readonly kind: 'bullmq' | 'in-process';
  /**
   * True when the driver keeps relayed jobs durably (BullMQ): the relay stamps the outbox rows as
   * soon as enqueue resolves. False (in-process): jobs live in memory, so the driver stamps each
   * outbox row itself once all its jobs have finished; a crash before that re-runs them, never loses them.
   */
  readonly durable: boolean;
  /** Queue jobs; ids already queued (or recently finished, in-process) are ignored. */
  enqueue(jobs: JobRequest[]): Promise<void>;
  /** Outbox rows whose jobs this driver still holds in memory (the relay must not claim them again). */
  outboxIdsInFlight(): string[];
  /** Start processing jobs (workers). */
  startWorkers(): Promise<void>;
  /** Register the recurring jobs (SCHEDULES) idempotently. */
  startSchedules(): Promise<void>;
  /** Queue one run of a job now (admin "run now"); resolves with its job id. */
  runNow<J extends JobName>(name: J, payload: JobPayloads[J]): Promise<string>;
  /** Counts per queue, for metrics and for waiting until the queues are idle. */
  counts(): Promise<QueueCounts[]>;
  /** Stop taking jobs, let running ones finish for up to `graceMs`, then release connections. */
  stop(graceMs: number): Promise<void>;
}

export const JOB_DRIVER = Symbol('JOB_DRIVER');
