import { Outbox } from '@lms/jobs';
import { drainJobs, startApi, TestApi } from '@lms/testing';

async function newProbes(api: TestApi, n: number): Promise<string[]> {
  const rows = (await api.dataSource.query(`INSERT INTO job_probe (hold_ms) SELECT 0 FROM generate_series(1, $1) RETURNING id`, [n])) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}

async function effects(api: TestApi, ids: string[]): Promise<number> {
  const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM job_probe_effect WHERE probe_id = ANY($1::uuid[])`, [ids])) as Array<{ n: number }>;
  return n;
}

async function outboxRows(api: TestApi, ids: string[]): Promise<number> {
  const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM outbox_event WHERE name = 'jobs.probe' AND payload->>'probeId' = ANY($1::text[])`, [
    ids,
  ])) as Array<{ n: number }>;
  return n;
}

/** Outbox.addMany, the bulk door used by the CSV import and the sweeps, on both drivers. */
describe.each([
  { driver: 'BullMQ', withoutRedis: false },
  { driver: 'in-process', withoutRedis: true },
])('Outbox.addMany on the $driver driver', ({ withoutRedis }) => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi({ withoutRedis });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('writes one event per payload in the caller transaction; each starts its job once', async () => {
    const ids = await newProbes(api, 1_200);
    const written = await api.dataSource.transaction((manager) =>
      api.app.get(Outbox).addMany(
        manager,
        'jobs.probe',
        ids.map((probeId) => ({ probeId })),
      ),
    );
    expect(written).toHaveLength(1_200);
    expect(new Set(written).size).toBe(1_200);
    await drainJobs(api, 30_000);
    expect(await outboxRows(api, ids)).toBe(1_200);
    expect(await effects(api, ids)).toBe(1_200);
  });

  it('rolls back with the transaction: no event, no job', async () => {
    const ids = await newProbes(api, 3);
    await expect(
      api.dataSource.transaction(async (manager) => {
        await api.app.get(Outbox).addMany(
          manager,
          'jobs.probe',
          ids.map((probeId) => ({ probeId })),
        );
        throw new Error('the domain change failed');
      }),
    ).rejects.toThrow('the domain change failed');
    await drainJobs(api);
    expect(await outboxRows(api, ids)).toBe(0);
    expect(await effects(api, ids)).toBe(0);
  });

  it('writes nothing for no payloads', async () => {
    await expect(api.dataSource.transaction((manager) => api.app.get(Outbox).addMany(manager, 'jobs.probe', []))).resolves.toEqual([]);
  });
});
