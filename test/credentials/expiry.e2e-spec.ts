import { CertificateExpirySweepHandler, IssueCertificateHandler } from '@lms/credentials';
import { OrgUnit } from '@lms/identity';
import { aCompletedEnrolment, anOrgUnit, aUser, eventCount, startApi, TestApi } from './support.js';

const DAY = 86_400_000;

/** The daily expiry sweep marks certificates expiring within 30 days once each and announces them once. */
describe('certificate expiry sweep (credentials)', () => {
  let api: TestApi;
  let unit: OrgUnit;

  /** A certificate whose expiry is `daysLeft` days from now (validity 1 month, completion moved back). */
  const certificateExpiringIn = async (daysLeft: number | null): Promise<{ id: string; code: string }> => {
    const user = await aUser(api.dataSource, { orgUnit: unit });
    const validityMonths = daysLeft === null ? null : 12;
    const completedAt = new Date(Date.now());
    if (daysLeft !== null) {
      completedAt.setUTCMonth(completedAt.getUTCMonth() - 12);
      completedAt.setTime(completedAt.getTime() + daysLeft * DAY);
    }
    const e = await aCompletedEnrolment(api.dataSource, { user, validityMonths, completedAt });
    await api.app.get(IssueCertificateHandler).handle({ enrolmentId: e.enrolmentId }, { id: e.enrolmentId, attempt: 1 });
    const [row] = (await api.dataSource.query(`SELECT id, verification_code AS code FROM certificate WHERE enrolment_id = $1`, [e.enrolmentId])) as Array<{
      id: string;
      code: string;
    }>;
    return row;
  };

  beforeAll(async () => {
    api = await startApi();
    unit = await anOrgUnit(api.dataSource);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('marks only unrevoked certificates expiring within 30 days, once, with one certificate.expiring event each', async () => {
    const soon = await certificateExpiringIn(10);
    const alsoSoon = await certificateExpiringIn(29);
    const later = await certificateExpiringIn(60);
    const never = await certificateExpiringIn(null);
    const past = await certificateExpiringIn(-5);
    const revoked = await certificateExpiringIn(5);
    await api.dataSource.query(`UPDATE certificate SET revoked_at = now(), revocation_reason = 'test' WHERE id = $1`, [revoked.id]);

    const sweep = api.app.get(CertificateExpirySweepHandler);
    await expect(sweep.sweep()).resolves.toBe(2);
    await expect(sweep.sweep()).resolves.toBe(0);
    await sweep.handle();

    const marked = (await api.dataSource.query(`SELECT id FROM certificate WHERE expiry_notified_at IS NOT NULL ORDER BY expires_at`)) as Array<{ id: string }>;
    expect(marked.map((r) => r.id)).toEqual([soon.id, alsoSoon.id]);
    for (const c of [soon, alsoSoon]) await expect(eventCount(api.dataSource, 'certificate.expiring', { certificateId: c.id })).resolves.toBe(1);
    for (const c of [later, never, past, revoked]) await expect(eventCount(api.dataSource, 'certificate.expiring', { certificateId: c.id })).resolves.toBe(0);

    // Expired certificates verify as expired; the others as valid (expiry is derived, not stored).
    await expect(api.http.get(`/api/v1/verify/${past.code}`).expect(200)).resolves.toMatchObject({ body: { status: 'expired' } });
    await expect(api.http.get(`/api/v1/verify/${soon.code}`).expect(200)).resolves.toMatchObject({ body: { status: 'valid' } });
    await expect(api.http.get(`/api/v1/verify/${never.code}`).expect(200)).resolves.toMatchObject({ body: { status: 'valid', expiresAt: null } });
  });

  it('two sweeps running at once still mark each certificate once', async () => {
    const many = await Promise.all(Array.from({ length: 6 }, () => certificateExpiringIn(3)));
    const sweep = api.app.get(CertificateExpirySweepHandler);
    const [a, b] = await Promise.all([sweep.sweep(), sweep.sweep()]);
    expect(a + b).toBe(6);
    for (const c of many) await expect(eventCount(api.dataSource, 'certificate.expiring', { certificateId: c.id })).resolves.toBe(1);
  });
});
