import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplicationContext } from '@nestjs/common';
import { JobsRuntime, PendingWork } from '@lms/jobs';

/**
 * Waits until the job system is idle: every committed outbox event relayed, and no job waiting,
 * running or waiting for a retry (BullMQ queues, or the in-process driver) — twice in a row, so
 * jobs that write further events are waited for too. Relays right away instead of waiting for the
 * next wake-up. Throws, naming what is still pending, after `timeoutMs`.
 *
 *   await drainJobs(api);            // api = await startApi(...)
 *   await drainJobs(api, 30_000);
 */
export async function drainJobs(api: { app: INestApplicationContext }, timeoutMs = 15_000): Promise<void> {
  const runtime = api.app.get(JobsRuntime);
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  let last: PendingWork | undefined;
  for (;;) {
    await runtime.relayNow().catch(() => undefined);
    last = await runtime.pending().catch(() => undefined);
    const idle = !!last && last.unrelayed + last.waiting + last.active + last.delayed === 0;
    quiet = idle ? quiet + 1 : 0;
    if (quiet >= 2) return;
    if (Date.now() > deadline) {
      throw new Error(`drainJobs: the job system is still busy after ${timeoutMs} ms: ${last ? JSON.stringify(last) : 'the queues do not answer'}`);
    }
    await sleep(idle ? 20 : 50);
  }
}
