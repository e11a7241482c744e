import { IssueCertificateHandler, VERIFY_LIMIT_PER_MINUTE } from '@lms/credentials';
import { aCompletedEnrolment, anOrgUnit, aUser, startApi, TestApi } from './support.js';

/** The public verification endpoint is throttled per client address, counted in PostgreSQL (shared by every replica). */
describe('verification throttling (credentials)', () => {
  let api: TestApi;
  let code: string;

  beforeAll(async () => {
    api = await startApi();
    const user = await aUser(api.dataSource, { orgUnit: await anOrgUnit(api.dataSource) });
    const e = await aCompletedEnrolment(api.dataSource, { user });
    await api.app.get(IssueCertificateHandler).handle({ enrolmentId: e.enrolmentId }, { id: 't', attempt: 1 });
    [{ code }] = (await api.dataSource.query(`SELECT verification_code AS code FROM certificate WHERE enrolment_id = $1`, [e.enrolmentId])) as Array<{
      code: string;
    }>;
    await api.dataSource.query(`DELETE FROM credential_verification_hit`);
  });

  afterAll(async () => {
    await api?.close();
  });

  it(`answers 429 with Retry-After after ${VERIFY_LIMIT_PER_MINUTE} requests a minute, unknown codes counting too`, async () => {
    for (let i = 0; i < VERIFY_LIMIT_PER_MINUTE; i++) {
      await api.http.get(i % 2 ? `/api/v1/verify/${code}` : '/api/v1/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAA').expect(i % 2 ? 200 : 404);
    }
    const res = await api.http.get(`/api/v1/verify/${code}`).expect(429);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(res.body).toMatchObject({ status: 429 });
  });

  it('keeps the count in the database under an HMAC of the address, and a new window starts afresh', async () => {
    const rows = (await api.dataSource.query(`SELECT client_key, hits FROM credential_verification_hit`)) as Array<{ client_key: string; hits: number }>;
    expect(rows).toHaveLength(1);
    expect(rows[0].hits).toBeGreaterThan(VERIFY_LIMIT_PER_MINUTE);
    expect(rows[0].client_key).not.toMatch(/127\.0\.0\.1|::1/);
    // The next minute: move the window back as time would.
    await api.dataSource.query(`UPDATE credential_verification_hit SET window_start = window_start - interval '1 minute'`);
    await api.http.get(`/api/v1/verify/${code}`).expect(200);
  });

  it('does not throttle the other public credential routes', async () => {
    for (let i = 0; i < 3; i++) await api.http.get('/.well-known/jwks.json').expect(200);
    await api.http.get('/api/v1/credentials/status/1').expect(200);
  });
});
