import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@lms/platform';
import { JobHandler, JobHandlerInstance } from './job-handler.js';
import { OutboxRepository } from './outbox.repository.js';

/** Rows deleted per statement: each batch is its own short transaction. */
export const OUTBOX_PRUNE_BATCH = 5_000;

/**
 * 'jobs.outbox-prune' (daily): relayed outbox rows are history once their jobs are in the queue
 * (BullMQ keeps its own record); delete those older than OUTBOX_RETENTION_DAYS, a batch at a time,
 * so the table stays the size of the recent past. Unrelayed rows are never touched.
 */
@Injectable()
@JobHandler('jobs.outbox-prune')
export class OutboxPruneHandler implements JobHandlerInstance<'jobs.outbox-prune'> {
  private readonly logger = new Logger('OutboxPrune');

  constructor(
    @Inject(OutboxRepository) private readonly outboxRows: OutboxRepository,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async handle(): Promise<void> {
    const deleted = await this.prune();
    if (deleted) this.logger.log(`deleted ${deleted} outbox event(s) relayed more than ${this.config.outboxRetentionDays} day(s) ago`);
  }

  /** Returns how many rows were deleted (0 when run again). */
  async prune(batch = OUTBOX_PRUNE_BATCH): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.outboxRows.deleteRelayedBatch(this.config.outboxRetentionDays, batch);
      total += n;
      if (n < batch) return total;
    }
  }
}
