import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { anOrgUnit, aUser, TestApi, tokenFor } from '@lms/testing';

export interface ProbeView {
  id: string;
  runs: number;
  completedAt: string | null;
  jobId: string | null;
}

/** An admin and a learner with access tokens. */
export async function people(api: TestApi): Promise<{ admin: string; learner: string }> {
  const unit = await anOrgUnit(api.dataSource);
  const admin = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'admin' }] });
  const learner = await aUser(api.dataSource, { orgUnit: unit });
  return { admin: await tokenFor(api.config, admin), learner: await tokenFor(api.config, learner) };
}

export async function startProbe(api: TestApi, admin: string, body: { holdMs?: number; failAttempts?: number } = {}): Promise<string> {
  const res = await api.http.post('/api/v1/admin/jobs/probes').set('authorization', `Bearer ${admin}`).send(body).expect(202);
  return (res.body as { probeId: string }).probeId;
}

export async function probe(api: TestApi, admin: string, id: string): Promise<ProbeView> {
  const res = await api.http.get(`/api/v1/admin/jobs/probes/${id}`).set('authorization', `Bearer ${admin}`).expect(200);
  return res.body as ProbeView;
}

export async function outboxRowOf(ds: DataSource, probeId: string): Promise<{ id: string; relayed_at: Date | null } | undefined> {
  const rows = (await ds.query(`SELECT id, relayed_at FROM outbox_event WHERE name = 'jobs.probe' AND payload->>'probeId' = $1`, [probeId])) as Array<{
    id: string;
    relayed_at: Date | null;
  }>;
  return rows[0];
}

/** Polls `read` until `done` holds (bounded); returns the last value. */
export async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
    await sleep(100);
    last = await read();
  }
  return last;
}
