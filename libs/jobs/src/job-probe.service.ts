import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { JobContext, JobHandler, JobHandlerInstance } from './job-handler.js';
import { Outbox } from './outbox.service.js';

export interface ProbeOptions {
  /** The handler waits this long (ms, at most 60,000) before its effect: to watch a job in flight. */
  holdMs?: number;
  /** The handler fails its first N attempts (N ≥ the job's attempts: it ends in the failed list). */
  failAttempts?: number;
}

export interface ProbeStatus {
  id: string;
  holdMs: number;
  failAttempts: number;
  /** Handler runs started. */
  runs: number;
  /** Set once the effect happened (at most once, however often the job ran). */
  completedAt: string | null;
  jobId: string | null;
  createdAt: string;
}

/**
 * DIAGNOSTIC: probes of the job pipeline (outbox → relay → queue → worker → database). An operator
 * starts one to see the whole path work; the jobs backbone's tests use them to show retries,
 * failures and the once-only effect under crashes.
 */
@Injectable()
export class JobProbes {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {}

  /** Starts a probe in its own transaction; resolves with its id. */
  async start(options: ProbeOptions = {}): Promise<string> {
    return this.dataSource.transaction((manager) => this.create(manager, options));
  }

  /** Writes a probe and its 'jobs.probe' event in the caller's transaction (rolls back with it). */
  async create(manager: EntityManager, options: ProbeOptions = {}): Promise<string> {
    const [row] = (await manager.query(`INSERT INTO job_probe (hold_ms, fail_attempts) VALUES ($1, $2) RETURNING id`, [
      options.holdMs ?? 0,
      options.failAttempts ?? 0,
    ])) as Array<{ id: string }>;
    await this.outbox.add(manager, 'jobs.probe', { probeId: row.id });
    return row.id;
  }

  async status(id: string): Promise<ProbeStatus | null> {
    const [row] = (await this.dataSource.query(
      `SELECT p.id, p.hold_ms, p.fail_attempts, p.runs, p.created_at, e.created_at AS completed_at, e.job_id
         FROM job_probe p LEFT JOIN job_probe_effect e ON e.probe_id = p.id
        WHERE p.id = $1`,
      [id],
    )) as Array<{ id: string; hold_ms: number; fail_attempts: number; runs: number; created_at: Date; completed_at: Date | null; job_id: string | null }>;
    if (!row) return null;
    return {
      id: row.id,
      holdMs: row.hold_ms,
      failAttempts: row.fail_attempts,
      runs: row.runs,
      completedAt: row.completed_at ? row.completed_at.toISOString() : null,
      jobId: row.job_id,
      createdAt: row.created_at.toISOString(),
    };
  }
}

/** Handles 'jobs.probe': counts the run, waits or fails as asked, then records the effect once. */
@Injectable()
@JobHandler('jobs.probe')
export class JobProbeHandler implements JobHandlerInstance<'jobs.probe'> {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async handle(payload: { probeId: string }, context: JobContext): Promise<void> {
    const [probe] = (await this.dataSource.query(`UPDATE job_probe SET runs = runs + 1 WHERE id = $1 RETURNING hold_ms, fail_attempts`, [payload.probeId])) as [
      Array<{ hold_ms: number; fail_attempts: number }>,
      number,
    ];
    const row = probe?.[0];
    if (!row) return; // the probe was deleted: nothing to do
    if (row.hold_ms > 0) await sleep(row.hold_ms);
    if (context.attempt <= row.fail_attempts) {
      throw new Error(`probe ${payload.probeId} fails attempt ${context.attempt} as asked (it fails its first ${row.fail_attempts})`);
    }
    // The primary key on probe_id makes a second run (worker killed after this, Redis restarted) a no-op.
    await this.dataSource.query(`INSERT INTO job_probe_effect (probe_id, job_id, attempt) VALUES ($1, $2, $3) ON CONFLICT (probe_id) DO NOTHING`, [
      payload.probeId,
      context.id,
      context.attempt,
    ]);
  }
}
