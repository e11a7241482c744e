import { Inject, Injectable, Logger } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig, faultPoint } from '@lms/platform';
import { EVENT_SUBSCRIPTIONS, eventJobId, JobName, JobPayloads } from './job-catalogue.js';
import { JOB_DRIVER } from './job-driver.js';
import type { JobDriver, JobRequest } from './job-driver.js';
import { describeError } from './job-executor.js';
import { JobMetrics } from './job-metrics.js';
import { ClaimedOutboxRow, OutboxRepository } from './outbox.repository.js';
import { Outbox } from './outbox.service.js';

/** Rows claimed per transaction. */
export const RELAY_BATCH = 500;
/** In-process driver: outbox rows whose jobs may be held in memory at once (back-pressure). */
export const IN_PROCESS_MAX_IN_FLIGHT = 2_000;
/** Polling safety net: LISTEN/NOTIFY and the in-process nudge normally wake the relay at once. */
export const RELAY_POLL_MS = { embedded: 1_000, production: 5_000 } as const;

export function jobsForEvent(row: ClaimedOutboxRow): JobRequest[] {
  const jobs = (EVENT_SUBSCRIPTIONS as Record<string, JobName[] | undefined>)[row.name] ?? [];
  return jobs.map((name) => ({
    id: eventJobId(row.id, name),
    name,
    payload: row.payload as JobPayloads[JobName],
    outboxId: row.id,
    ...(row.request_id ? { requestId: row.request_id } : {}),
  }));
}

/**
 * Moves committed outbox rows to the job driver: one job per subscribed handler, job id
 * `<outboxId>.<jobName>`, then stamps `relayed_at` (BullMQ) — all in one short transaction that
 * claims the rows with FOR UPDATE SKIP LOCKED, so several relays share the work. If the driver
 * cannot take the jobs (Redis down), the transaction rolls back and the rows wait for the next try.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger('OutboxRelay');
  private chain: Promise<unknown> = Promise.resolve();
  private kickQueued = false;
  private started = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private listener: pg.Client | null = null;
  private listenRetry: NodeJS.Timeout | null = null;
  private failing = false;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxRepository) private readonly outboxRows: OutboxRepository,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(JOB_DRIVER) private readonly driver: JobDriver,
    @Inject(JobMetrics) private readonly metrics: JobMetrics,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Wake-ups: the in-process nudge after commit, LISTEN lms_outbox (PostgreSQL), and polling. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.unsubscribe = this.outbox.onEvent(() => this.kick());
    const every = this.config.isEmbedded ? RELAY_POLL_MS.embedded : RELAY_POLL_MS.production;
    this.pollTimer = setInterval(() => this.kick(), every);
    this.pollTimer.unref();
    if (this.config.databaseUrl) this.listen();
    this.kick();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.unsubscribe?.();
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.listenRetry) clearTimeout(this.listenRetry);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    await this.chain;
  }

  /** Ask for a relay run soon; many kicks while one run is queued collapse into it. */
  kick(): void {
    if (!this.started || this.kickQueued) return;
    this.kickQueued = true;
    this.relayNow(() => (this.kickQueued = false)).catch(() => undefined);
  }

  /**
   * Relays everything committed so far (runs one at a time in this process); resolves with the
   * number of rows handed over. Rejects when the driver cannot take them (Redis down).
   */
  relayNow(onStart?: () => void): Promise<number> {
    const run = this.chain.then(async () => {
      onStart?.();
      try {
        let total = 0;
        // A full batch means more may wait; a partial one means the outbox is drained for now.
        for (let n = RELAY_BATCH; n >= RELAY_BATCH; ) {
          n = await this.relayBatch();
          total += n;
        }
        if (this.failing) this.logger.log('relay resumed: the job queues take events again');
        this.failing = false;
        return total;
      } catch (e) {
        if (!this.failing) this.logger.warn(`relay paused, events wait in the outbox until the job queues answer: ${describeError(e)}`);
        this.failing = true;
        throw e;
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** One transaction: claim up to RELAY_BATCH rows, enqueue their jobs, stamp them. */
  async relayBatch(): Promise<number> {
    const inFlight = this.driver.durable ? [] : this.driver.outboxIdsInFlight();
    const limit = this.driver.durable ? RELAY_BATCH : Math.min(RELAY_BATCH, IN_PROCESS_MAX_IN_FLIGHT - inFlight.length);
    if (limit <= 0) return 0;
    const relayed = await this.dataSource.transaction(async (manager) => {
      const rows = await this.outboxRows.claim(manager, limit, inFlight);
      if (!rows.length) return 0;
      const jobs: JobRequest[] = [];
      const stampNow: string[] = [];
      for (const row of rows) {
        const forRow = jobsForEvent(row);
        if (!forRow.length && !(row.name in EVENT_SUBSCRIPTIONS)) this.logger.warn(`outbox event ${row.id} has unknown name '${row.name}': nothing to run`);
        jobs.push(...forRow);
        // The in-process driver stamps a row when its jobs are done; rows without jobs are done now.
        if (this.driver.durable || !forRow.length) stampNow.push(row.id);
      }
      if (jobs.length) await this.driver.enqueue(jobs);
      // Tests only (FAULT_INJECT): a crash here leaves jobs in the queue and the rows unstamped; the
      // next relay hands them over again and the job ids make that a no-op.
      if (jobs.length) faultPoint(this.config, 'relay-after-enqueue');
      await this.outboxRows.markRelayed(stampNow, manager);
      return rows.length;
    });
    if (relayed) this.metrics.relayed.inc(relayed);
    return relayed;
  }

  /** LISTEN on a dedicated connection (not from the pool); reconnects when it drops. */
  private listen(): void {
    const client = new pg.Client({ connectionString: this.config.databaseUrl, application_name: 'lms-outbox-listener' });
    this.listener = client;
    const retry = (why: string): void => {
      if (this.listener !== client || !this.started) return;
      this.listener = null;
      this.logger.warn(`outbox LISTEN connection lost (${why}); polling covers the gap, reconnecting`);
      client.end().catch(() => undefined);
      this.listenRetry = setTimeout(() => this.started && this.listen(), 2_000);
      this.listenRetry.unref();
    };
    client.on('notification', () => this.kick());
    client.on('error', (e: Error) => retry(e.message));
    client.on('end', () => retry('connection ended'));
    client
      .connect()
      .then(() => client.query('LISTEN lms_outbox'))
      .then(() => this.kick())
      .catch((e: unknown) => retry(describeError(e)));
  }
}

