import { OUTBOX_PRUNE_BATCH, OutboxPruneHandler } from '@lms/jobs';
import { drainJobs, startApi, TestApi } from '@lms/testing';
import { people } from './jobs-fixtures.js';

/** Rows by kind: relayed long ago (to delete), relayed recently, and never relayed (however old). */
async function seed(api: TestApi, counts: { old: number; recent: number; unrelayed: number }): Promise<void> {
  const insert = (n: number, created: string, relayed: string | null): Promise<unknown> =>
    api.dataSource.query(
      `INSERT INTO outbox_event (name, payload, created_at, relayed_at)
       SELECT 'jobs.retention-test', jsonb_build_object('i', g), ${created}, ${relayed ?? 'NULL'} FROM generate_series(1, $1) g`,
      [n],
    );
  const days = api.config.outboxRetentionDays;
  await insert(counts.old, `now() - make_interval(days => ${days + 2})`, `now() - make_interval(days => ${days + 1})`);
  await insert(counts.recent, `now() - make_interval(days => ${days + 2})`, `now() - make_interval(days => ${days - 1}, hours => 23)`);
  await insert(counts.unrelayed, `now() - make_interval(days => ${days + 30})`, null);
}

async function left(api: TestApi): Promise<{ old: number; recent: number; unrelayed: number }> {
  const [row] = (await api.dataSource.query(
    `SELECT count(*) FILTER (WHERE relayed_at < now() - make_interval(days => $1::int))::int AS old,
            count(*) FILTER (WHERE relayed_at >= now() - make_interval(days => $1::int))::int AS recent,
            count(*) FILTER (WHERE relayed_at IS NULL)::int AS unrelayed
       FROM outbox_event WHERE name = 'jobs.retention-test'`,
    [api.config.outboxRetentionDays],
  )) as Array<{ old: number; recent: number; unrelayed: number }>;
  return row;
}

describe('outbox retention (jobs.outbox-prune)', () => {
  let api: TestApi;

  // A producer-only API (the worker would relay): nothing stamps the unrelayed rows behind the test's back.
  beforeAll(async () => {
    api = await startApi({ env: { OUTBOX_RETENTION_DAYS: '3', JOBS_IN_API: 'false' } });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('reads the retention from OUTBOX_RETENTION_DAYS', () => {
    expect(api.config.outboxRetentionDays).toBe(3);
  });

  it('deletes relayed rows older than the retention in batches, and keeps recent and unrelayed rows', async () => {
    // More than two full batches, so the loop has to come back for the rest.
    await seed(api, { old: 2 * OUTBOX_PRUNE_BATCH + 7, recent: 5, unrelayed: 4 });
    expect(await left(api)).toEqual({ old: 2 * OUTBOX_PRUNE_BATCH + 7, recent: 5, unrelayed: 4 });
    const handler = api.app.get(OutboxPruneHandler);
    await expect(handler.prune()).resolves.toBe(2 * OUTBOX_PRUNE_BATCH + 7);
    expect(await left(api)).toEqual({ old: 0, recent: 5, unrelayed: 4 });
    // Again: nothing more to delete.
    await expect(handler.prune()).resolves.toBe(0);
    await api.dataSource.query(`DELETE FROM outbox_event WHERE name = 'jobs.retention-test'`);
  });

  it('a small batch size takes several statements for the same result', async () => {
    await seed(api, { old: 25, recent: 2, unrelayed: 1 });
    await expect(api.app.get(OutboxPruneHandler).prune(10)).resolves.toBe(25);
    expect(await left(api)).toEqual({ old: 0, recent: 2, unrelayed: 1 });
    await api.dataSource.query(`DELETE FROM outbox_event WHERE name = 'jobs.retention-test'`);
  });

});

describe('the scheduled job jobs.outbox-prune', () => {
  let api: TestApi;
  let admin: string;

  beforeAll(async () => {
    api = await startApi({ env: { OUTBOX_RETENTION_DAYS: '3' } });
    ({ admin } = await people(api));
  });
  afterAll(async () => {
    await api?.close();
  });

  it('runs through the queue (run now through the admin API) and deletes the old relayed rows', async () => {
    await seed(api, { old: 12, recent: 3, unrelayed: 0 });
    const res = await api.http.post('/api/v1/admin/jobs/outbox-prune/run').set('authorization', `Bearer ${admin}`).expect(202);
    expect(res.body).toMatchObject({ job: 'jobs.outbox-prune' });
    await drainJobs(api);
    expect(await left(api)).toEqual({ old: 0, recent: 3, unrelayed: 0 });
  });
});
