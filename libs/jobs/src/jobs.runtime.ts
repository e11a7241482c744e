import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig, HealthRegistry } from '@lms/platform';
import { BullMqDriver, HEARTBEAT_TTL_MS } from './bullmq.driver.js';
import { JOB_DRIVER } from './job-driver.js';
import type { JobDriver } from './job-driver.js';
import { describeError } from './job-executor.js';
import { JobHandlerRegistry } from './job-handler.registry.js';
import { JobMetrics } from './job-metrics.js';
import { OutboxRelay } from './outbox-relay.js';
import { OutboxRepository } from './outbox.repository.js';
import { Outbox, OutboxCommitSubscriber } from './outbox.service.js';

/** SIGTERM: running jobs get this long to finish before the process lets go of them (exit within 10 s). */
export const SHUTDOWN_GRACE_MS = 8_000;
const HEARTBEAT_EVERY_MS = 5_000;

/** What is still to do: unrelayed outbox rows and jobs waiting, running or waiting for a retry. */
export interface PendingWork {
  unrelayed: number;
  waiting: number;
  active: number;
  delayed: number;
}

/**
 * Decides what this process does with jobs and runs it:
 * - worker process (apps/worker), the API with JOBS_IN_API=true, or any process without
 *   REDIS_URL (in-process driver): checks the handlers, starts the workers, the schedules, the
 *   outbox relay and (BullMQ) the heartbeat;
 * - the API in production (REDIS_URL, JOBS_IN_API unset): only producers, for "run now", the
 *   dashboard and the metrics; the worker relays the outbox.
 */
@Injectable()
export class JobsRuntime implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  readonly instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private workerProcess = false;
  private started = false;
  private heartbeatTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(JobHandlerRegistry) private readonly registry: JobHandlerRegistry,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(OutboxRepository) private readonly outboxRows: OutboxRepository,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(JOB_DRIVER) readonly driver: JobDriver,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(JobMetrics) private readonly metrics: JobMetrics,
  ) {}

  /** Called by JobsWorkerModule: this process is a worker. */
  declareWorkerProcess(): void {
    this.workerProcess = true;
  }

  /** Whether this process runs job handlers (and the relay and schedules). */
  get runsWorkers(): boolean {
    return this.driver.kind === 'in-process' || this.workerProcess || this.config.jobsInApi;
  }

  onModuleInit(): void {
    this.dataSource.subscribers.push(new OutboxCommitSubscriber(this.outbox));
    // Duplicate or unknown handlers stop start-up in every process.
    this.registry.discover();
    if (this.config.redisUrl) {
      this.health.register({ name: 'redis', check: () => this.bullmq!.ping() });
    }
    if (this.config.mode === 'production') {
      // Reported everywhere, but only critical where this process runs the jobs itself: an API
      // replica keeps serving (events wait in the outbox) while no worker runs.
      this.health.register({ name: 'workers', check: () => this.checkWorkers(), critical: this.config.jobsInApi });
    }
    this.metrics.setSources(
      () => this.driver.counts(),
      () => this.outboxRows.backlog(),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.runsWorkers) {
      this.logger.log('jobs: this process only produces (the worker app relays the outbox and runs the jobs)');
      return;
    }
    const missing = this.registry.assertComplete();
    if (missing.length) this.logger.warn(`jobs without a handler in this process (they fail at once if they run): ${missing.join(', ')}`);
    await this.driver.startWorkers();
    try {
      await this.driver.startSchedules();
    } catch (e) {
      this.logger.warn(`job schedulers not registered yet (${describeError(e)}); retrying with the heartbeat`);
    }
    this.relay.start();
    this.started = true;
    if (this.bullmq) {
      await this.beat();
      this.heartbeatTimer = setInterval(() => void this.beat(), HEARTBEAT_EVERY_MS);
      this.heartbeatTimer.unref();
    }
    this.logger.log(`jobs: ${this.driver.kind} driver running (${this.workerProcess ? 'worker process' : 'in the API process'})`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    if (this.started) await this.relay.stop();
    await this.driver.stop(SHUTDOWN_GRACE_MS);
    if (this.started && this.bullmq) await this.bullmq.removeHeartbeat(this.instanceId).catch(() => undefined);
    this.started = false;
  }

  /** Relays all committed outbox rows now (tests, the safety-net schedule). */
  relayNow(): Promise<number> {
    return this.relay.relayNow();
  }

  async pending(): Promise<PendingWork> {
    const [backlog, counts] = await Promise.all([this.outboxRows.backlog(), this.driver.counts()]);
    const sum = (k: 'waiting' | 'active' | 'delayed'): number => counts.reduce((n, c) => n + c[k], 0);
    return { unrelayed: backlog.unrelayed, waiting: sum('waiting'), active: sum('active'), delayed: sum('delayed') };
  }

  private get bullmq(): BullMqDriver | null {
    return this.driver instanceof BullMqDriver ? this.driver : null;
  }

  private async beat(): Promise<void> {
    try {
      await this.bullmq!.heartbeat(this.instanceId);
      await this.bullmq!.ensureSchedules();
    } catch {
      // Redis is down: the readiness check says so; the next beat tries again.
    }
  }

  private async checkWorkers(): Promise<void> {
    if (!this.bullmq) {
      if (!this.started) throw new Error('the in-process job driver is not running');
      return;
    }
    const live = await this.bullmq.liveWorkers();
    if (live < 1) throw new Error(`no worker heartbeat in the last ${HEARTBEAT_TTL_MS / 1000} s: start one with npm run start:worker`);
  }
}
