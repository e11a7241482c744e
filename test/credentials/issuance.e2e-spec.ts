import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, DataSourceOptions } from 'typeorm';
import { CertificateIssuer, IssueCertificateHandler } from '@lms/credentials';
import { OrgUnit, User } from '@lms/identity';
import { Outbox } from '@lms/jobs';
import { drainJobs } from '@lms/testing';
import { aCompletedEnrolment, anOrgUnit, aUser, certificatesOf, eventCount, startApi, TestApi } from './support.js';

/**
 * Exactly one certificate per completed enrolment, however often and however badly the job runs:
 * duplicated deliveries (also concurrent), a worker killed in the middle of the transaction, a
 * job redelivered after it had committed. The database's unique index decides, not memory.
 */
describe('certificate issuance (credentials)', () => {
  let api: TestApi;
  let ds: DataSource;
  let unit: OrgUnit;
  let handler: IssueCertificateHandler;
  const ctx = (id: string) => ({ id, attempt: 1 });
  const learner = async (): Promise<User> => aUser(ds, { orgUnit: unit, locale: 'sr-Latn', displayName: 'Ana Ćirić' });

  beforeAll(async () => {
    api = await startApi();
    ds = api.dataSource;
    unit = await anOrgUnit(ds);
    handler = api.app.get(IssueCertificateHandler);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('a job delivered five times at once issues one certificate and one certificate.issued event', async () => {
    const e = await aCompletedEnrolment(ds, { user: await learner() });
    await Promise.all(Array.from({ length: 5 }, (_, i) => handler.handle({ enrolmentId: e.enrolmentId }, ctx(`dup-${i}`))));
    const certs = await certificatesOf(ds, e.enrolmentId);
    expect(certs).toHaveLength(1);
    await expect(eventCount(ds, 'certificate.issued', { certificateId: certs[0].id })).resolves.toBe(1);
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM certificate_document WHERE certificate_id = $1`, [certs[0].id])) as Array<{ n: number }>;
    expect(n).toBe(1);
  });

  it('a job redelivered after it committed (worker killed before the ack) changes nothing', async () => {
    const e = await aCompletedEnrolment(ds, { user: await learner() });
    await handler.handle({ enrolmentId: e.enrolmentId }, ctx('first'));
    const [first] = await certificatesOf(ds, e.enrolmentId);
    await handler.handle({ enrolmentId: e.enrolmentId }, { id: 'first', attempt: 2 });
    const again = await certificatesOf(ds, e.enrolmentId);
    expect(again).toEqual([first]);
    await expect(eventCount(ds, 'certificate.issued', { certificateId: first.id })).resolves.toBe(1);
  });

  it('a worker killed inside the issuing transaction leaves nothing behind, and the retried job issues exactly one', async () => {
    const e = await aCompletedEnrolment(ds, { user: await learner() });
    const issuer = api.app.get(CertificateIssuer);
    const prepared = await issuer.prepare(e.enrolmentId);
    if ('outcome' in prepared) throw new Error(`unexpected ${prepared.outcome}`);

    // The "worker" (its own connection, as another process would have) opens the transaction and
    // writes the certificate, its PDF and the event...
    const worker = await new DataSource({ ...ds.options, extra: { max: 1 } } as DataSourceOptions).initialize();
    try {
      const runner = worker.createQueryRunner();
      await runner.connect();
      const [{ pid }] = (await runner.query(`SELECT pg_backend_pid() AS pid`)) as Array<{ pid: number }>;
      await runner.startTransaction();
      await expect(issuer.record(runner.manager, prepared)).resolves.toBe(true);
      // ...and dies before COMMIT: its connection goes away and PostgreSQL rolls the transaction back.
      await ds.query(`SELECT pg_terminate_backend($1)`, [pid]);
      await expect(runner.commitTransaction()).rejects.toThrow();
    } finally {
      await worker.destroy().catch(() => undefined);
    }

    await expect(certificatesOf(ds, e.enrolmentId)).resolves.toEqual([]);
    await expect(eventCount(ds, 'certificate.issued', { certificateId: prepared.facts.certificateId })).resolves.toBe(0);

    // BullMQ redelivers the stalled job: one certificate, one event.
    await handler.handle({ enrolmentId: e.enrolmentId }, { id: 'killed', attempt: 2 });
    const certs = await certificatesOf(ds, e.enrolmentId);
    expect(certs).toHaveLength(1);
    await expect(eventCount(ds, 'certificate.issued', { certificateId: certs[0].id })).resolves.toBe(1);
  });

  it('a duplicate racing a transaction still in flight waits for it and then does nothing', async () => {
    const e = await aCompletedEnrolment(ds, { user: await learner() });
    const issuer = api.app.get(CertificateIssuer);
    const a = await issuer.prepare(e.enrolmentId);
    const b = await issuer.prepare(e.enrolmentId);
    if ('outcome' in a || 'outcome' in b) throw new Error('both should be prepared before either commits');
    const runner = ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await expect(issuer.record(runner.manager, a)).resolves.toBe(true);
      // The second writer blocks on the unique index until the first commits, then inserts nothing.
      const second = ds.transaction((m) => issuer.record(m, b));
      await sleep(300);
      const [{ waiting }] = (await ds.query(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      )) as Array<{ waiting: number }>;
      expect(waiting).toBe(1);
      await runner.commitTransaction();
      await expect(second).resolves.toBe(false);
    } finally {
      await runner.release();
    }
    const certs = await certificatesOf(ds, e.enrolmentId);
    expect(certs.map((c) => c.id)).toEqual([a.facts.certificateId]);
    await expect(eventCount(ds, 'certificate.issued', { certificateId: b.facts.certificateId })).resolves.toBe(0);
  });

  it('issues nothing for an enrolment that is not completed or does not exist, without failing the job', async () => {
    const e = await aCompletedEnrolment(ds, { user: await learner(), status: 'in_progress' });
    await expect(handler.handle({ enrolmentId: e.enrolmentId }, ctx('not-done'))).resolves.toBeUndefined();
    await expect(certificatesOf(ds, e.enrolmentId)).resolves.toEqual([]);
    await expect(handler.handle({ enrolmentId: '00000000-0000-4000-8000-000000000000' }, ctx('ghost'))).resolves.toBeUndefined();
  });

  it('snapshots holder and course, and numbers serials uniquely', async () => {
    const person = await learner();
    const e1 = await aCompletedEnrolment(ds, { user: person, competencies: [{ code: 'X-1', level: 3 }] });
    const e2 = await aCompletedEnrolment(ds, { user: person });
    await Promise.all([handler.handle({ enrolmentId: e1.enrolmentId }, ctx('s1')), handler.handle({ enrolmentId: e2.enrolmentId }, ctx('s2'))]);
    const rows = (await ds.query(
      `SELECT serial, holder_name, holder_locale, course_slug, competencies, school_name, status_list, status_index FROM certificate WHERE enrolment_id = ANY($1) ORDER BY serial`,
      [[e1.enrolmentId, e2.enrolmentId]],
    )) as Array<{ serial: string; holder_name: string; holder_locale: string; course_slug: string; competencies: unknown; school_name: string; status_index: number }>;
    expect(rows).toHaveLength(2);
    expect(rows[0].serial).not.toBe(rows[1].serial);
    expect(rows[0].status_index).not.toBe(rows[1].status_index);
    expect(rows.find((r) => r.course_slug === e1.slug)).toMatchObject({ holder_name: 'Ana Ćirić', holder_locale: 'sr-Latn', competencies: [{ code: 'X-1', level: 3 }], school_name: e1.school.name });
    // Renaming the person later does not change the issued certificate.
    await ds.query(`UPDATE app_user SET display_name = 'Someone Else' WHERE id = $1`, [person.id]);
    const [after] = (await ds.query(`SELECT holder_name FROM certificate WHERE enrolment_id = $1`, [e1.enrolmentId])) as Array<{ holder_name: string }>;
    expect(after.holder_name).toBe('Ana Ćirić');
  });

  it('issues through the outbox: an enrolment.completed event leads to the certificate within seconds', async () => {
    const e = await aCompletedEnrolment(ds, { user: await learner() });
    const outbox = api.app.get(Outbox);
    await ds.transaction((m) => outbox.add(m, 'enrolment.completed', { enrolmentId: e.enrolmentId }));
    const started = Date.now();
    await drainJobs(api, 20_000);
    expect(Date.now() - started).toBeLessThan(20_000);
    const certs = await certificatesOf(ds, e.enrolmentId);
    expect(certs).toHaveLength(1);
    await expect(eventCount(ds, 'certificate.issued', { certificateId: certs[0].id })).resolves.toBe(1);
  });
});
