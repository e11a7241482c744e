import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsRegistry } from '@lms/platform';
import type { QueueCounts } from './job-driver.js';

type CountsSource = () => Promise<QueueCounts[]>;
type BacklogSource = () => Promise<{ unrelayed: number; oldestAgeSeconds: number }>;

const STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;

/** Prometheus metrics of the job system, in the process's MetricsRegistry. */
@Injectable()
export class JobMetrics {
  readonly processing: Histogram<'queue' | 'job' | 'status'>;
  readonly relayed: Counter;
  private countsSource: CountsSource | null = null;
  private backlogSource: BacklogSource | null = null;
  private cached: { at: number; value: Promise<QueueCounts[] | null> } | null = null;

  constructor(@Inject(MetricsRegistry) metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.processing = new Histogram({
      name: 'lms_job_processing_seconds',
      help: 'Time a job handler took, by queue, job and outcome (completed, failed)',
      labelNames: ['queue', 'job', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.relayed = new Counter({ name: 'lms_outbox_relayed_total', help: 'Outbox events relayed to the job queues by this process', registers });
    const readCounts = (): Promise<QueueCounts[] | null> => this.counts();
    const readBacklog = async (): Promise<{ unrelayed: number; oldestAgeSeconds: number } | null> =>
      this.backlogSource ? withTimeout(this.backlogSource(), 1_000).catch(() => null) : null;
    // One gauge per state, labelled by queue: waiting, active, delayed, completed, failed.
    for (const state of STATES) {
      new Gauge({
        name: `lms_job_queue_${state}`,
        help: `Jobs ${state} per queue${state === 'completed' || state === 'failed' ? ' (BullMQ: retained jobs; in-process: since start)' : ''}`,
        labelNames: ['queue'],
        registers,
        async collect() {
          for (const c of (await readCounts()) ?? []) this.set({ queue: c.queue }, c[state]);
        },
      });
    }
    new Gauge({
      name: 'lms_outbox_unrelayed',
      help: 'Outbox events committed but not yet relayed to the job queues',
      registers,
      async collect() {
        const b = await readBacklog();
        if (b) this.set(b.unrelayed);
      },
    });
    new Gauge({
      name: 'lms_outbox_oldest_unrelayed_seconds',
      help: 'Age of the oldest unrelayed outbox event (0 when none): alert when it grows',
      registers,
      async collect() {
        const b = await readBacklog();
        if (b) this.set(b.oldestAgeSeconds);
      },
    });
  }

  /** The driver's counts feed the queue gauges (cached for a second: one scrape reads them once). */
  setSources(counts: CountsSource, backlog: BacklogSource): void {
    this.countsSource = counts;
    this.backlogSource = backlog;
  }

  private async counts(): Promise<QueueCounts[] | null> {
    if (!this.countsSource) return null;
    const now = Date.now();
    if (!this.cached || now - this.cached.at > 1_000) {
      const source = this.countsSource;
      // Unreachable Redis: keep the last values rather than report zeros.
      this.cached = { at: now, value: withTimeout(source(), 1_000).catch(() => null) };
    }
    return this.cached.value;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);
}
