import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { getNextMillis } from 'bullmq';
import { JobName, JobPayloads, JOB_POLICIES, jobPolicy, QueueName, QUEUES, SCHEDULES } from './job-catalogue.js';
import type { JobDriver, JobRequest, QueueCounts } from './job-driver.js';
import { backoffDelay, describeError, JobExecutor, NoHandlerError } from './job-executor.js';
import type { OutboxRepository } from './outbox.repository.js';

interface Entry {
  job: JobRequest;
  queue: QueueName;
  /** The attempt this entry will run next (1 first). */
  attempt: number;
  timer?: NodeJS.Timeout;
}

/** Remembers the last `capacity` finished job ids, so relaying the same rows again enqueues nothing. */
class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity: number) {}
  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
  }
  has(id: string): boolean {
    return this.ids.has(id);
  }
}

const TIMER_MAX_MS = 2 ** 31 - 1;

/**
 * Embedded mode (no REDIS_URL): the same handlers run in this process, with the same policy as on
 * BullMQ (attempts, exponential backoff, `concurrency` per queue) and the schedules on timers.
 * Jobs live in memory, so an outbox row is stamped relayed only when all its jobs have finished
 * (completed or recorded as failed): a crash or a stop before that leaves the row to be relayed
 * again at the next start, and the idempotent handlers make the repeat harmless.
 */
export class InProcessDriver implements JobDriver {
  readonly kind = 'in-process' as const;
  readonly durable = false;
  private readonly logger = new Logger('Jobs');
  private readonly ready = new Map<QueueName, Entry[]>(QUEUES.map((q) => [q, []]));
  private readonly delayed = new Set<Entry>();
  private readonly active = new Map<QueueName, number>(QUEUES.map((q) => [q, 0]));
  private readonly completed = new Map<QueueName, number>(QUEUES.map((q) => [q, 0]));
  private readonly failed = new Map<QueueName, number>(QUEUES.map((q) => [q, 0]));
  private readonly pendingIds = new Set<string>();
  private readonly recent = new RecentIds(50_000);
  /** Outbox id → jobs of that row not finished yet. */
  private readonly outboxJobs = new Map<string, number>();
  /** Outbox rows whose jobs are all done, waiting to be stamped. */
  private readonly toStamp = new Set<string>();
  private stampTimer: NodeJS.Timeout | null = null;
  private stamping: Promise<void> | null = null;
  private readonly scheduleTimers = new Set<NodeJS.Timeout>();
  private running = false;
  private stopping = false;
  private readonly idleWaiters = new Set<() => void>();

  constructor(
    private readonly executor: JobExecutor,
    private readonly outbox: OutboxRepository,
    private readonly concurrency: number,
    private readonly policyOverrides?: Readonly<Record<string, { attempts?: number; backoffMs?: number } | undefined>>,
  ) {}

  async enqueue(jobs: JobRequest[]): Promise<void> {
    if (this.stopping) throw new Error('the in-process job driver is stopping');
    const alreadyDone = new Set<string>();
    for (const job of jobs) {
      if (this.pendingIds.has(job.id)) continue; // queued or running: its row is stamped when it ends
      if (this.recent.has(job.id)) {
        // Relayed again after it finished (a lost stamp): nothing to run, the row only needs its stamp.
        if (job.outboxId) alreadyDone.add(job.outboxId);
        continue;
      }
      this.pendingIds.add(job.id);
      if (job.outboxId) this.outboxJobs.set(job.outboxId, (this.outboxJobs.get(job.outboxId) ?? 0) + 1);
      const queue = JOB_POLICIES[job.name].queue;
      this.ready.get(queue)!.push({ job, queue, attempt: 1 });
    }
    for (const outboxId of alreadyDone) if (!this.outboxJobs.has(outboxId)) this.settled(outboxId);
    for (const q of QUEUES) this.pump(q);
  }

  outboxIdsInFlight(): string[] {
    return [...this.outboxJobs.keys(), ...this.toStamp];
  }

  async startWorkers(): Promise<void> {
    this.running = true;
    for (const q of QUEUES) this.pump(q);
  }

  async startSchedules(): Promise<void> {
    for (const s of SCHEDULES) this.scheduleNext(s.job, { every: s.every, pattern: s.pattern });
  }

  async runNow<J extends JobName>(name: J, payload: JobPayloads[J]): Promise<string> {
    const id = `run.${name}.${randomUUID()}`;
    await this.enqueue([{ id, name, payload }]);
    return id;
  }

  async counts(): Promise<QueueCounts[]> {
    const delayedBy = new Map<QueueName, number>();
    for (const e of this.delayed) delayedBy.set(e.queue, (delayedBy.get(e.queue) ?? 0) + 1);
    return QUEUES.map((queue) => ({
      queue,
      waiting: this.ready.get(queue)!.length,
      active: this.active.get(queue)!,
      delayed: delayedBy.get(queue) ?? 0,
      completed: this.completed.get(queue)!,
      failed: this.failed.get(queue)!,
    }));
  }

  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.running = false;
    for (const t of this.scheduleTimers) clearTimeout(t);
    this.scheduleTimers.clear();
    // Jobs not started (or waiting for a retry) are dropped: their outbox rows stay unstamped and
    // are relayed again at the next start.
    for (const e of this.delayed) clearTimeout(e.timer);
    this.delayed.clear();
    for (const q of QUEUES) this.ready.set(q, []);
    const deadline = Date.now() + graceMs;
    while (this.activeTotal() > 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        this.idleWaiters.add(resolve);
        setTimeout(resolve, Math.max(1, deadline - Date.now())).unref();
      });
    }
    if (this.stampTimer) clearTimeout(this.stampTimer);
    await this.flushStamps();
  }

  private activeTotal(): number {
    let n = 0;
    for (const v of this.active.values()) n += v;
    return n;
  }

  private scheduleNext(job: JobName, repeat: { every?: number; pattern?: string }): void {
    if (this.stopping) return;
    const now = Date.now();
    const next = getNextMillis(now, { ...repeat, tz: 'UTC' }) ?? now + 60_000;
    const timer = setTimeout(
      () => {
        this.scheduleTimers.delete(timer);
        if (Date.now() + 5 < next) return this.scheduleNext(job, repeat); // a long wait was capped
        this.enqueue([{ id: `sched.${job}.${next}`, name: job, payload: { runAt: new Date(next).toISOString() } as JobPayloads[JobName] }]).catch(
          (e: unknown) => this.logger.warn(`scheduled ${job} not queued: ${describeError(e)}`),
        );
        this.scheduleNext(job, repeat);
      },
      Math.min(Math.max(0, next - now), TIMER_MAX_MS),
    );
    timer.unref();
    this.scheduleTimers.add(timer);
  }

  private pump(queue: QueueName): void {
    if (!this.running) return;
    const ready = this.ready.get(queue)!;
    while (ready.length && this.active.get(queue)! < this.concurrency) {
      const entry = ready.shift()!;
      this.active.set(queue, this.active.get(queue)! + 1);
      void this.run(entry);
    }
  }

  private async run(entry: Entry): Promise<void> {
    const policy = jobPolicy(entry.job.name, this.policyOverrides);
    try {
      await this.executor.execute(entry.job, entry.attempt);
      this.completed.set(entry.queue, this.completed.get(entry.queue)! + 1);
      this.finish(entry);
    } catch (error) {
      if (!(error instanceof NoHandlerError) && entry.attempt < policy.attempts) {
        if (!this.stopping) this.retryLater(entry, backoffDelay(policy.backoffMs, entry.attempt));
      } else {
        await this.executor.recordFailure(entry.job, error, entry.attempt);
        this.failed.set(entry.queue, this.failed.get(entry.queue)! + 1);
        this.finish(entry);
      }
    } finally {
      this.active.set(entry.queue, this.active.get(entry.queue)! - 1);
      if (this.activeTotal() === 0) {
        for (const wake of [...this.idleWaiters]) {
          this.idleWaiters.delete(wake);
          wake();
        }
      }
      this.pump(entry.queue);
    }
  }

  private retryLater(entry: Entry, delayMs: number): void {
    entry.attempt += 1;
    this.delayed.add(entry);
    entry.timer = setTimeout(() => {
      this.delayed.delete(entry);
      if (this.stopping) return;
      this.ready.get(entry.queue)!.push(entry);
      this.pump(entry.queue);
    }, delayMs);
    entry.timer.unref();
  }

  private finish(entry: Entry): void {
    this.pendingIds.delete(entry.job.id);
    this.recent.add(entry.job.id);
    const outboxId = entry.job.outboxId;
    if (!outboxId) return;
    const left = (this.outboxJobs.get(outboxId) ?? 1) - 1;
    if (left > 0) {
      this.outboxJobs.set(outboxId, left);
      return;
    }
    this.outboxJobs.delete(outboxId);
    this.settled(outboxId);
  }

  /** All jobs of an outbox row have finished: stamp it (batched). */
  private settled(outboxId: string): void {
    this.toStamp.add(outboxId);
    this.stampTimer ??= setTimeout(() => {
      this.stampTimer = null;
      void this.flushStamps();
    }, 10);
  }

  /** Stamps finished outbox rows in one statement; on a database error they are kept and tried again. */
  private async flushStamps(): Promise<void> {
    while (this.stamping) await this.stamping;
    if (!this.toStamp.size) return;
    const ids = [...this.toStamp];
    this.stamping = this.outbox
      .markRelayed(ids)
      .then(() => ids.forEach((id) => this.toStamp.delete(id)))
      .catch((e: unknown) => {
        this.logger.warn(`could not stamp ${ids.length} outbox row(s) as relayed, will retry: ${describeError(e)}`);
        if (!this.stopping) {
          this.stampTimer ??= setTimeout(() => {
            this.stampTimer = null;
            void this.flushStamps();
          }, 1_000);
        }
      })
      .finally(() => {
        this.stamping = null;
      });
    await this.stamping;
  }
}
