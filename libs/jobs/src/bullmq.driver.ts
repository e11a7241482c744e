import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Job, JobsOptions, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { validRequestId } from '@lms/platform';
import { JobName, JobPayloads, JOB_POLICIES, jobPolicy, QueueName, QUEUES, SCHEDULES } from './job-catalogue.js';
import type { JobDriver, JobRequest, QueueCounts } from './job-driver.js';
import { describeError, JobExecutor, NoHandlerError } from './job-executor.js';

export interface BullMqDriverOptions {
  redisUrl: string;
  /** BullMQ key prefix (REDIS_PREFIX): several deployments or test runs can share one Redis. */
  prefix: string;
  /** Jobs processed at once per queue by this process (WORKER_CONCURRENCY). */
  concurrency: number;
  /** Attempts and backoff of named jobs changed by configuration (AppConfig.jobPolicyOverrides). */
  policyOverrides?: Readonly<Record<string, { attempts?: number; backoffMs?: number } | undefined>>;
}

/** A job's lock lasts this long and is renewed at half of it; a dead worker's job is retried after it expires. */
export const WORKER_LOCK_MS = 20_000;
/** How often each worker looks for jobs whose worker died (stalled jobs). */
export const STALLED_CHECK_MS = 10_000;
/**
 * Times a job may lose its lock (stall) and still be retried; the next stall fails it. 2, not 1:
 * a worker whose event loop is held up (certificate PDFs render synchronously, five at a time; a
 * long GC pause; an overloaded host) can miss a renewal without having died, and such a job should
 * not be failed after one such miss plus one real crash. Measured in
 * test/jobs/lock-renewal.e2e-spec.ts (docs/jobs.md): rendering alone delays renewals by far less.
 */
export const MAX_STALLED_COUNT = 2;

/** The lock and stall settings of every queue's Worker (with this process's concurrency). */
export function workerPolicy(concurrency: number): { concurrency: number; lockDuration: number; stalledInterval: number; maxStalledCount: number } {
  return { concurrency, lockDuration: WORKER_LOCK_MS, stalledInterval: STALLED_CHECK_MS, maxStalledCount: MAX_STALLED_COUNT };
}
/** A relay gives up waiting for Redis after this long (the outbox rows stay for the next try). */
export const ENQUEUE_TIMEOUT_MS = 10_000;
/** A worker process counts as alive when its heartbeat is younger than this. */
export const HEARTBEAT_TTL_MS = 15_000;

/** Reconnect quickly and forever: Redis coming back should be noticed within two seconds. */
const retryStrategy = (times: number): number => Math.min(250 * times, 2_000);

export function jobOptions(name: JobName, overrides?: BullMqDriverOptions['policyOverrides']): JobsOptions {
  const p = jobPolicy(name, overrides);
  return {
    attempts: p.attempts,
    backoff: { type: 'exponential', delay: p.backoffMs },
    removeOnComplete: { count: p.removeOnComplete },
    removeOnFail: { count: p.removeOnFail },
  };
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Production driver: one BullMQ queue per QueueName (REDIS_PREFIX as BullMQ `prefix`), one Worker
 * per queue with WORKER_CONCURRENCY, retry and retention per job from JOB_POLICIES, recurring jobs
 * as job schedulers (upsert: N replicas keep one scheduler each), final failures recorded.
 */
export class BullMqDriver implements JobDriver {
  readonly kind = 'bullmq' as const;
  readonly durable = true;
  private readonly logger = new Logger('Jobs');
  /** Shared by the queues (producers) and the heartbeat: fails fast while Redis is down. */
  readonly redis: Redis;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];
  private lastWorkerError = 0;

  constructor(
    private readonly options: BullMqDriverOptions,
    private readonly executor: JobExecutor,
  ) {
    this.redis = new Redis(options.redisUrl, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectTimeout: 3_000,
      retryStrategy,
      connectionName: `${options.prefix}:jobs`,
    });
    this.redis.on('error', (e: Error) => this.throttledWarn(`Redis: ${e.message}`));
  }

  private get schedulesKey(): string {
    return `${this.options.prefix}:jobs:schedules`;
  }
  private get heartbeatKey(): string {
    return `${this.options.prefix}:jobs:workers`;
  }

  queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.redis, prefix: this.options.prefix });
      q.on('error', (e: Error) => this.throttledWarn(`queue ${name}: ${e.message}`));
      this.queues.set(name, q);
    }
    return q;
  }

  /** Every queue (created on first use): for the dashboard. */
  allQueues(): Queue[] {
    return QUEUES.map((q) => this.queue(q));
  }

  async enqueue(jobs: JobRequest[]): Promise<void> {
    const byQueue = new Map<QueueName, JobRequest[]>();
    for (const j of jobs) {
      const q = JOB_POLICIES[j.name].queue;
      byQueue.set(q, [...(byQueue.get(q) ?? []), j]);
    }
    await withTimeout(
      Promise.all(
        [...byQueue].map(([q, list]) =>
          this.queue(q).addBulk(list.map((j) => ({ name: j.name, data: withRequestId(j), opts: { ...jobOptions(j.name, this.options.policyOverrides), jobId: j.id } }))),
        ),
      ),
      ENQUEUE_TIMEOUT_MS,
      'adding jobs to Redis',
    );
  }

  outboxIdsInFlight(): string[] {
    return [];
  }

  async startWorkers(): Promise<void> {
    for (const name of QUEUES) {
      const worker = new Worker(name, (job: Job) => this.process(job), {
        connection: { url: this.options.redisUrl, retryStrategy, connectionName: `${this.options.prefix}:worker:${name}` },
        prefix: this.options.prefix,
        ...workerPolicy(this.options.concurrency),
      });
      worker.on('error', (e: Error) => this.throttledWarn(`worker ${name}: ${e.message}`));
      worker.on('stalled', (jobId: string) => void this.checkStalled(name, jobId));
      this.workers.push(worker);
    }
  }

  private async process(job: Job): Promise<void> {
    const request = fromBullJob(job);
    const attempt = job.attemptsMade + 1;
    try {
      await this.executor.execute(request, attempt);
    } catch (error) {
      const noHandler = error instanceof NoHandlerError;
      // The last attempt: record it while the job is still active, so "queues idle" implies "recorded".
      if (noHandler || attempt >= (job.opts.attempts ?? 1)) await this.executor.recordFailure(request, error, attempt);
      if (noHandler) throw new UnrecoverableError(error.message);
      throw error;
    }
  }

  private async recordFailure(job: Job, error: Error): Promise<void> {
    await this.executor.recordFailure(fromBullJob(job), error, job.attemptsMade);
  }

  /** A job that stalled more often than allowed is failed by BullMQ without a 'failed' event here. */
  private async checkStalled(queue: QueueName, jobId: string): Promise<void> {
    try {
      const job = await this.queue(queue).getJob(jobId);
      if (job && (await job.getState()) === 'failed') {
        await this.recordFailure(job, new Error(job.failedReason || 'the job stalled more often than allowed (its worker died)'));
      }
    } catch (e) {
      this.throttledWarn(`checking stalled job ${jobId}: ${describeError(e)}`);
    }
  }

  /** Upserts every job scheduler: idempotent, so N worker replicas keep exactly one each. */
  async startSchedules(): Promise<void> {
    for (const s of SCHEDULES) {
      const queue = this.queue(JOB_POLICIES[s.job].queue);
      await withTimeout(
        queue.upsertJobScheduler(s.job, s.every ? { every: s.every } : { pattern: s.pattern!, tz: 'UTC' }, { name: s.job, data: {}, opts: jobOptions(s.job, this.options.policyOverrides) }),
        ENQUEUE_TIMEOUT_MS,
        `upserting the ${s.job} scheduler`,
      );
    }
    await this.redis.set(this.schedulesKey, new Date().toISOString());
  }

  /** Redis lost its data (restarted without persistence): put the schedulers back. */
  async ensureSchedules(): Promise<void> {
    if (!(await this.redis.exists(this.schedulesKey))) {
      this.logger.warn('job schedulers missing in Redis (was it restarted empty?): upserting them again');
      await this.startSchedules();
    }
  }

  async runNow<J extends JobName>(name: J, payload: JobPayloads[J]): Promise<string> {
    const id = `run.${name}.${randomUUID()}`;
    await withTimeout(this.queue(JOB_POLICIES[name].queue).add(name, payload, { ...jobOptions(name, this.options.policyOverrides), jobId: id }), 5_000, 'adding a job to Redis');
    return id;
  }

  async counts(): Promise<QueueCounts[]> {
    return Promise.all(
      QUEUES.map(async (queue) => {
        const q = this.queue(queue);
        const c = await q.getJobCounts('wait', 'prioritized', 'waiting-children', 'active', 'delayed', 'completed', 'failed');
        // Every job scheduler keeps its next run as a delayed job: those are not work waiting.
        let delayed = c.delayed ?? 0;
        if (delayed > 0 && delayed <= 200) delayed = (await q.getDelayed(0, -1)).filter((j) => !j.repeatJobKey).length;
        else if (delayed > 200) delayed -= SCHEDULES.filter((s) => JOB_POLICIES[s.job].queue === queue).length;
        return {
          queue,
          waiting: (c.wait ?? 0) + (c.prioritized ?? 0) + (c['waiting-children'] ?? 0),
          active: c.active ?? 0,
          delayed,
          completed: c.completed ?? 0,
          failed: c.failed ?? 0,
        };
      }),
    );
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  /** Worker heartbeat: one sorted set, score = Redis server time, so host clocks do not matter. */
  async heartbeat(instanceId: string): Promise<void> {
    const now = await this.redisTime();
    await this.redis.multi().zadd(this.heartbeatKey, now, instanceId).zremrangebyscore(this.heartbeatKey, '-inf', now - 4 * HEARTBEAT_TTL_MS).exec();
  }

  async removeHeartbeat(instanceId: string): Promise<void> {
    await this.redis.zrem(this.heartbeatKey, instanceId);
  }

  /** Worker processes with a heartbeat younger than HEARTBEAT_TTL_MS. */
  async liveWorkers(): Promise<number> {
    const now = await this.redisTime();
    return this.redis.zcount(this.heartbeatKey, now - HEARTBEAT_TTL_MS, '+inf');
  }

  private async redisTime(): Promise<number> {
    const [seconds, micros] = await this.redis.time();
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  }

  async stop(graceMs: number): Promise<void> {
    // Stop taking jobs and let running ones finish; past the grace period, close anyway: those jobs
    // keep their lock until it expires and are then retried by another worker (stalled-job check).
    const closing = Promise.all(this.workers.map((w) => w.close()));
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      closing.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (!finished) {
      this.logger.warn(`jobs still running after ${graceMs} ms: leaving them to be retried`);
      await Promise.all(this.workers.map((w) => w.close(true).catch(() => undefined)));
    }
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    this.redis.disconnect();
  }

  private throttledWarn(message: string): void {
    const now = Date.now();
    if (now - this.lastWorkerError < 10_000) return;
    this.lastWorkerError = now;
    this.logger.warn(message);
  }
}

/** Job data key carrying the causing request's id next to the payload (removed before the handler sees the payload). */
export const REQUEST_ID_KEY = '__requestId';

function withRequestId(j: JobRequest): unknown {
  return j.requestId ? { ...(j.payload as object), [REQUEST_ID_KEY]: j.requestId } : j.payload;
}

function fromBullJob(job: Job): JobRequest {
  const { [REQUEST_ID_KEY]: requestId, ...payload } = (job.data ?? {}) as Record<string, unknown>;
  return {
    id: job.id!,
    name: job.name as JobName,
    payload: payload as JobPayloads[JobName],
    ...(validRequestId(requestId) ? { requestId: requestId as string } : {}),
  };
}
