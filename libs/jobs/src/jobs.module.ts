import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@lms/platform';
import { BullMqDriver } from './bullmq.driver.js';
import { FailedJob } from './failed-job.entity.js';
import { FailedJobRepository } from './failed-job.repository.js';
import { JobRun } from './job-run.entity.js';
import { JobRunRepository } from './job-run.repository.js';
import { InProcessDriver } from './in-process.driver.js';
import { JOB_DRIVER } from './job-driver.js';
import { JobExecutor } from './job-executor.js';
import { JobHandlerRegistry } from './job-handler.registry.js';
import { JobMetrics } from './job-metrics.js';
import { JobProbe, JobProbeEffect } from './job-probe.entity.js';
import { JobProbeHandler, JobProbes } from './job-probe.service.js';
import { JobsAdmin } from './jobs-admin.service.js';
import { JobsRuntime } from './jobs.runtime.js';
import { OutboxEvent } from './outbox-event.entity.js';
import { OutboxRelay } from './outbox-relay.js';
import { OutboxRelayHandler } from './outbox-relay.handler.js';
import { OutboxPruneHandler } from './outbox-prune.handler.js';
import { OutboxRepository } from './outbox.repository.js';
import { Outbox } from './outbox.service.js';

/**
 * The outbox, the relay and the job drivers (BullMQ on Redis, or in-process in embedded mode).
 * Global: every domain injects Outbox; handlers are discovered wherever they are provided.
 * What the process runs is decided by JobsRuntime (import JobsWorkerModule in a worker app).
 */
@Global()
@Module({
  imports: [DiscoveryModule, TypeOrmModule.forFeature([OutboxEvent, FailedJob, JobRun, JobProbe, JobProbeEffect])],
  providers: [
    Outbox,
    OutboxRepository,
    FailedJobRepository,
    JobRunRepository,
    JobHandlerRegistry,
    JobMetrics,
    JobExecutor,
    {
      provide: JOB_DRIVER,
      inject: [AppConfig, JobExecutor, OutboxRepository],
      useFactory: (config: AppConfig, executor: JobExecutor, outboxRows: OutboxRepository) =>
        config.redisUrl
          ? new BullMqDriver({ redisUrl: config.redisUrl, prefix: config.redisPrefix, concurrency: config.workerConcurrency, policyOverrides: config.jobPolicyOverrides }, executor)
          : new InProcessDriver(executor, outboxRows, config.workerConcurrency, config.jobPolicyOverrides),
    },
    OutboxRelay,
    OutboxRelayHandler,
    OutboxPruneHandler,
    JobProbes,
    JobProbeHandler,
    JobsRuntime,
    JobsAdmin,
  ],
  exports: [Outbox, JobsRuntime, JobsAdmin, JobProbes],
})
export class JobsModule {}

@Injectable()
class WorkerProcessMarker {
  constructor(@Inject(JobsRuntime) runtime: JobsRuntime) {
    runtime.declareWorkerProcess();
  }
}

/** Import next to JobsModule in a worker app: this process runs the workers, relay and schedules. */
@Module({ providers: [WorkerProcessMarker] })
export class JobsWorkerModule {}
