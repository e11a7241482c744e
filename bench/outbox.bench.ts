// Benchmark: N events through the whole job pipeline — committed to the outbox in transactions of
// 100 (Outbox.add), relayed (LISTEN/NOTIFY wake-up, SKIP LOCKED claims of 500), queued on BullMQ,
// run by the worker's handler — next to bare BullMQ add (addBulk of 100) + Worker process of the
// same jobs with the same handler and concurrency, measured in the same run. Prints both and the ratio.
// Uses its own scratch database and Redis prefix and removes both afterwards.
// Run: `npm run bench -- outbox` or `node dist/bench/outbox.bench.js` after `npm run build`.
// Env: BENCH_DATABASE_URL (admin connection, default postgres://postgres@127.0.0.1:5432/postgres),
// BENCH_REDIS_URL (default redis://127.0.0.1:6379), BENCH_JOBS (default 5000), BENCH_CONCURRENCY (default 10).
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { JOB_POLICIES, JobProbeHandler, Outbox } from '@lms/jobs';
import { WorkerModule } from '../apps/worker/src/worker.module.js';
import { benchConfig, createScratchDatabase } from './support.js';

const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const JOBS = Number(process.env.BENCH_JOBS ?? 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const CHUNK = 100;

async function effects(ds: DataSource): Promise<number> {
  const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM job_probe_effect`)) as Array<{ n: number }>;
  return n;
}

async function untilEffects(ds: DataSource, target: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await effects(ds)) < target) {
    if (Date.now() > deadline) throw new Error(`only ${await effects(ds)} of ${target} effects after ${timeoutMs} ms`);
    await sleep(25);
  }
}

async function main(): Promise<void> {
  const prefix = `lmsbench-${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'lms-bench-'));
  // Not migrated here: the worker app runs the migrations when it starts.
  const db = await createScratchDatabase('outbox');
  const config = benchConfig(db.url, {
    DATABASE_POOL_SIZE: '20',
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    WORKER_CONCURRENCY: String(CONCURRENCY),
    LOG_LEVEL: 'error',
    DATA_DIR: dataDir,
  });

  const bareQueue = new Queue('bench-bare', { connection: { url: redisUrl }, prefix });
  let bareWorker: Worker | undefined;
  let app: INestApplicationContext | undefined;
  try {
    // The real worker app: every domain's handlers discovered, BullMQ workers, relay, LISTEN.
    app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: ['error'] });
    const ds = app.get(DataSource);
    const outbox = app.get(Outbox);
    const handler = app.get(JobProbeHandler);
    await ds.query(`INSERT INTO job_probe (hold_ms, fail_attempts) SELECT 0, 0 FROM generate_series(1, $1)`, [4 * JOBS]);
    const ids = ((await ds.query(`SELECT id FROM job_probe ORDER BY id`)) as Array<{ id: string }>).map((r) => r.id);
    const batches = [0, 1, 2, 3].map((k) => ids.slice(k * JOBS, (k + 1) * JOBS));
    const policy = JOB_POLICIES['jobs.probe'];
    const opts = { attempts: policy.attempts, backoff: { type: 'exponential', delay: policy.backoffMs }, removeOnComplete: { count: policy.removeOnComplete }, removeOnFail: { count: policy.removeOnFail } };

    // Baseline: bare BullMQ add + process, same handler, same concurrency.
    bareWorker = new Worker(
      'bench-bare',
      async (job: Job) => handler.handle(job.data as { probeId: string }, { id: job.id!, attempt: job.attemptsMade + 1 }),
      { connection: { url: redisUrl }, prefix, concurrency: CONCURRENCY },
    );
    await bareWorker.waitUntilReady();
    const runBare = async (probeIds: string[]): Promise<{ total: number; produced: number }> => {
      const target = (await effects(ds)) + probeIds.length;
      const t0 = performance.now();
      for (let i = 0; i < probeIds.length; i += CHUNK) {
        await bareQueue.addBulk(probeIds.slice(i, i + CHUNK).map((probeId) => ({ name: 'jobs.probe', data: { probeId }, opts: { ...opts, jobId: `bare.${probeId}` } })));
      }
      const produced = performance.now() - t0;
      await untilEffects(ds, target, 300_000);
      return { total: performance.now() - t0, produced };
    };
    // The pipeline: events committed in transactions of 100, then relay → BullMQ → worker → handler.
    const runPipeline = async (probeIds: string[]): Promise<{ total: number; produced: number }> => {
      const target = (await effects(ds)) + probeIds.length;
      const t0 = performance.now();
      for (let i = 0; i < probeIds.length; i += CHUNK) {
        await ds.transaction(async (manager) => {
          for (const probeId of probeIds.slice(i, i + CHUNK)) await outbox.add(manager, 'jobs.probe', { probeId });
        });
      }
      const produced = performance.now() - t0;
      await untilEffects(ds, target, 300_000);
      return { total: performance.now() - t0, produced };
    };
    // Two rounds in alternating order (bare, pipeline, pipeline, bare); best of each.
    const bare = [await runBare(batches[0])];
    const pipeline = [await runPipeline(batches[1]), await runPipeline(batches[2])];
    bare.push(await runBare(batches[3]));
    const [{ unrelayed }] = (await ds.query(`SELECT count(*)::int AS unrelayed FROM outbox_event WHERE relayed_at IS NULL`)) as Array<{ unrelayed: number }>;
    const [{ runs }] = (await ds.query(`SELECT sum(runs)::int AS runs FROM job_probe`)) as Array<{ runs: number }>;
    if (unrelayed !== 0 || runs !== 4 * JOBS) throw new Error(`expected every event relayed and each job run once: ${unrelayed} unrelayed, ${runs} runs`);

    const best = (xs: Array<{ total: number; produced: number }>): { total: number; produced: number } => xs.reduce((a, b) => (b.total < a.total ? b : a));
    const b = best(bare);
    const p = best(pipeline);
    const rate = (ms: number): string => `${Math.round((JOBS / ms) * 1000).toLocaleString('en')} jobs/s`;
    const fmt = (ms: number): string => `${Math.round(ms).toLocaleString('en')} ms`;
    console.log(
      `outbox.bench: ${JOBS.toLocaleString('en')} events outbox → relay → BullMQ → handler ${fmt(p.total)} (${rate(p.total)}; events committed in ${fmt(p.produced)}) ` +
        `vs bare BullMQ add+process of the same jobs ${fmt(b.total)} (${rate(b.total)}; added in ${fmt(b.produced)}), ` +
        `concurrency ${CONCURRENCY}, best of 2 (runs ${pipeline.map((x) => fmt(x.total)).join(', ')} vs ${bare.map((x) => fmt(x.total)).join(', ')}): ` +
        `ratio ${(p.total / b.total).toFixed(2)}×`,
    );
  } finally {
    await bareWorker?.close().catch(() => undefined);
    await bareQueue.close().catch(() => undefined);
    await app?.close();
    // Remove this run's Redis keys and database.
    const redis = new Redis(redisUrl);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error('outbox.bench failed:', e);
    process.exit(1);
  },
);
