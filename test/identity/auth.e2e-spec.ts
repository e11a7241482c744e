import { SignJWT } from 'jose';
import { aUser, startApi, TEST_ADMIN, TestApi, tokenFor } from '@lms/testing';
import { assertNoSecrets, bearer, PASSWORD, rootUnit } from './fixtures.js';

const LOGIN = '/api/v1/auth/login';
const REFRESH = '/api/v1/auth/refresh';
const LOGOUT = '/api/v1/auth/logout';
const ME = '/api/v1/me';

describe('authentication (login, refresh rotation, reuse detection, logout, token checks)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api.close();
  });

  async function person(password = PASSWORD): Promise<{ id: string; email: string }> {
    return aUser(api.dataSource, { orgUnit: await rootUnit(api.dataSource), roles: [{ role: 'learner', scope: null }], password });
  }

  it('signs in the first admin created from ADMIN_EMAIL/ADMIN_PASSWORD and returns a token pair', async () => {
    const res = await api.http.post(LOGIN).send({ email: TEST_ADMIN.email, password: TEST_ADMIN.password }).expect(200);
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: api.config.accessTokenTtlSeconds,
      tokenType: 'Bearer',
    });
    const me = await api.http.get(ME).set(bearer(res.body.accessToken)).expect(200);
    expect(me.body).toMatchObject({ email: TEST_ADMIN.email, roles: expect.arrayContaining([{ role: 'admin', scopeOrgUnitId: null }]) });
    assertNoSecrets(me.body, [TEST_ADMIN.password]);
  });

  it('issues an access token per the contract (HS256, iss lms, aud lms-api, typ access, sub, sid)', async () => {
    const p = await person();
    const res = await api.http.post(LOGIN).send({ email: p.email.toUpperCase(), password: PASSWORD }).expect(200);
    const [header, payload] = (res.body.accessToken as string)
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header.alg).toBe('HS256');
    expect(payload).toMatchObject({ iss: 'lms', aud: 'lms-api', typ: 'access', sub: p.id, sid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(payload.exp - payload.iat).toBe(api.config.accessTokenTtlSeconds);
    expect(res.body.refreshToken).toMatch(/^[\w-]{43}$/);
    const stored = (await api.dataSource.query(
      `SELECT token_hash FROM refresh_token t JOIN auth_session s ON s.id = t.family_id WHERE s.id = $1`,
      [payload.sid],
    )) as Array<{
      token_hash: string;
    }>;
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0].token_hash).not.toBe(res.body.refreshToken);
  });

  it('answers the same 401 for an unknown e-mail, a wrong password, no password yet and a disabled person', async () => {
    const p = await person();
    const noPassword = await aUser(api.dataSource, { orgUnit: await rootUnit(api.dataSource) });
    const disabled = await person();
    await api.dataSource.query(`UPDATE app_user SET status = 'disabled' WHERE id = $1`, [disabled.id]);
    const answers = await Promise.all([
      api.http.post(LOGIN).send({ email: 'nobody-here@test.lms', password: PASSWORD }),
      api.http.post(LOGIN).send({ email: p.email, password: 'wrong-password-123' }),
      api.http.post(LOGIN).send({ email: noPassword.email, password: PASSWORD }),
      api.http.post(LOGIN).send({ email: disabled.email, password: PASSWORD }),
    ]);
    for (const a of answers) {
      expect(a.status).toBe(401);
      expect(a.headers['content-type']).toContain('application/problem+json');
    }
    const bodies = answers.map((a) => JSON.stringify({ ...a.body, instance: undefined }));
    expect(new Set(bodies).size).toBe(1);
  });

  it('answers a malformed login body with 400 naming the fields (credentials only from the body)', async () => {
    const res = await api.http.post(LOGIN).send({ email: 42, extra: true }).expect(400);
    expect((res.body.errors as Array<{ field: string }>).map((e) => e.field).sort()).toEqual(['email', 'extra', 'password']);
    const p = await person();
    await api.http
      .post(`${LOGIN}?email=${encodeURIComponent(p.email)}&password=${PASSWORD}`)
      .send({})
      .expect(400);
  });

  it('rotates refresh tokens: each refresh gives a new pair and the old refresh token stops working', async () => {
    const p = await person();
    const first = (await api.http.post(LOGIN).send({ email: p.email, password: PASSWORD }).expect(200)).body;
    const second = (await api.http.post(REFRESH).send({ refreshToken: first.refreshToken }).expect(200)).body;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    await api.http.get(ME).set(bearer(second.accessToken)).expect(200);
    const third = (await api.http.post(REFRESH).send({ refreshToken: second.refreshToken }).expect(200)).body;
    await api.http.get(ME).set(bearer(third.accessToken)).expect(200);
  });

  it('detects reuse of a rotated refresh token and revokes the whole family (refresh and access tokens)', async () => {
    const p = await person();
    const first = (await api.http.post(LOGIN).send({ email: p.email, password: PASSWORD }).expect(200)).body;
    const second = (await api.http.post(REFRESH).send({ refreshToken: first.refreshToken }).expect(200)).body;
    const reuse = await api.http.post(REFRESH).send({ refreshToken: first.refreshToken }).expect(401);
    expect(reuse.body.code).toBe('invalid_refresh_token');
    // The legitimate holder's newer tokens are dead too.
    await api.http.post(REFRESH).send({ refreshToken: second.refreshToken }).expect(401);
    await api.http.get(ME).set(bearer(second.accessToken)).expect(401);
    const [session] = (await api.dataSource.query(`SELECT revoked_reason FROM auth_session WHERE user_id = $1`, [p.id])) as Array<{
      revoked_reason: string;
    }>;
    expect(session.revoked_reason).toBe('reuse');
    // Another session of the same person is untouched.
    const other = (await api.http.post(LOGIN).send({ email: p.email, password: PASSWORD }).expect(200)).body;
    await api.http.get(ME).set(bearer(other.accessToken)).expect(200);
  });

  it('refuses unknown and malformed refresh tokens with 401/400', async () => {
    await api.http
      .post(REFRESH)
      .send({ refreshToken: 'x'.repeat(43) })
      .expect(401);
    await api.http.post(REFRESH).send({}).expect(400);
    await api.http.post(REFRESH).send({ refreshToken: 12 }).expect(400);
  });

  it('logs out: the session’s refresh token and access tokens stop working, other sessions stay', async () => {
    const p = await person();
    const s1 = (await api.http.post(LOGIN).send({ email: p.email, password: PASSWORD }).expect(200)).body;
    const s2 = (await api.http.post(LOGIN).send({ email: p.email, password: PASSWORD }).expect(200)).body;
    await api.http.post(LOGOUT).set(bearer(s1.accessToken)).expect(204);
    await api.http.get(ME).set(bearer(s1.accessToken)).expect(401);
    await api.http.post(REFRESH).send({ refreshToken: s1.refreshToken }).expect(401);
    await api.http.get(ME).set(bearer(s2.accessToken)).expect(200);
    await api.http.post(LOGOUT).expect(401);
  });

  it('disabling a person ends all their sessions at once', async () => {
    const p = await person();
    const s = (await api.http.post(LOGIN).send({ email: p.email, password: PASSWORD }).expect(200)).body;
    const adminToken = (await api.http.post(LOGIN).send(TEST_ADMIN).expect(200)).body.accessToken as string;
    await api.http.patch(`/api/v1/users/${p.id}`).set(bearer(adminToken)).send({ status: 'disabled' }).expect(200);
    await api.http.get(ME).set(bearer(s.accessToken)).expect(401);
    await api.http.post(REFRESH).send({ refreshToken: s.refreshToken }).expect(401);
    const rows = (await api.dataSource.query(`SELECT revoked_reason FROM auth_session WHERE user_id = $1`, [p.id])) as Array<{
      revoked_reason: string;
    }>;
    expect(rows.map((r) => r.revoked_reason)).toEqual(['disabled']);
    await api.http.patch(`/api/v1/users/${p.id}`).set(bearer(adminToken)).send({ status: 'active' }).expect(200);
    await api.http.post(LOGIN).send({ email: p.email, password: PASSWORD }).expect(200);
  });

  it('refuses tampered, expired, alg:none, wrong-secret, wrong-audience and refresh-typed tokens with 401', async () => {
    const p = await person();
    const good = await tokenFor(api.config, p);
    await api.http.get(ME).set(bearer(good)).expect(200);
    const [h, payload, sig] = good.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const admin = (await api.dataSource.query(`SELECT user_id FROM role_grant WHERE role = 'admin' LIMIT 1`)) as Array<{ user_id: string }>;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: admin[0].user_id })).toString('base64url')}.${sig}`;
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    const noneWithSig = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.${sig}`;
    const expired = await tokenFor(api.config, p, -60);
    const key = new TextEncoder().encode(api.config.jwtSecret);
    const sign = (c: Record<string, unknown>, aud = 'lms-api', secret = key): Promise<string> =>
      new SignJWT(c)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(p.id)
        .setIssuer('lms')
        .setAudience(aud)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(secret);
    const wrongSecret = await sign(
      { typ: 'access', sid: 'x' },
      'lms-api',
      new TextEncoder().encode('another-secret-that-is-long-enough-000'),
    );
    const wrongAudience = await sign({ typ: 'access', sid: 'x' }, 'someone-else');
    const wrongType = await sign({ typ: 'refresh', sid: 'x' });
    const noSid = await sign({ typ: 'access' });
    for (const token of [tampered, none, noneWithSig, expired, wrongSecret, wrongAudience, wrongType, noSid, 'not-a-jwt']) {
      const res = await api.http.get(ME).set(bearer(token));
      expect(res.status).toBe(401);
    }
    await api.http.get(ME).expect(401);
    await api.http
      .get(ME)
      .set('Authorization', `Basic ${Buffer.from('a:b').toString('base64')}`)
      .expect(401);
  });

  it('a token accepted once (its verification remembered) is refused once it expires, and a tampered copy never passes', async () => {
    const p = await person();
    const shortLived = await tokenFor(api.config, p, 2);
    await api.http.get(ME).set(bearer(shortLived)).expect(200);
    await api.http.get(ME).set(bearer(shortLived)).expect(200);
    const [h, payload] = shortLived.split('.');
    await api.http.get(ME).set(bearer(`${h}.${payload}.${'A'.repeat(43)}`)).expect(401);
    await new Promise((r) => setTimeout(r, 2_200));
    await api.http.get(ME).set(bearer(shortLived)).expect(401);
  });

  it('changes the own password: the current one is checked, the rules apply, other sessions end', async () => {
    const p = await person();
    const s1 = (await api.http.post(LOGIN).send({ email: p.email, password: PASSWORD }).expect(200)).body;
    const s2 = (await api.http.post(LOGIN).send({ email: p.email, password: PASSWORD }).expect(200)).body;
    const wrong = await api.http
      .post('/api/v1/me/password')
      .set(bearer(s1.accessToken))
      .send({ currentPassword: 'not-my-password', newPassword: 'a-new-long-passphrase-42' })
      .expect(400);
    expect(wrong.body.errors[0].field).toBe('currentPassword');
    const weak = await api.http
      .post('/api/v1/me/password')
      .set(bearer(s1.accessToken))
      .send({ currentPassword: PASSWORD, newPassword: 'password1234' })
      .expect(400);
    expect(weak.body.errors[0]).toMatchObject({ field: 'newPassword', message: expect.stringMatching(/common/) });
    await api.http
      .post('/api/v1/me/password')
      .set(bearer(s1.accessToken))
      .send({ currentPassword: PASSWORD, newPassword: 'a-new-long-passphrase-42' })
      .expect(204);
    await api.http.get(ME).set(bearer(s1.accessToken)).expect(200);
    await api.http.get(ME).set(bearer(s2.accessToken)).expect(401);
    await api.http.post(LOGIN).send({ email: p.email, password: PASSWORD }).expect(401);
    await api.http.post(LOGIN).send({ email: p.email, password: 'a-new-long-passphrase-42' }).expect(200);
  });

  it('never returns a hash, a password or another token in the /me answer', async () => {
    const p = await person();
    const s = (await api.http.post(LOGIN).send({ email: p.email, password: PASSWORD }).expect(200)).body;
    const me = await api.http.get(ME).set(bearer(s.accessToken)).expect(200);
    expect(me.body).toMatchObject({
      id: p.id,
      email: p.email,
      displayName: expect.any(String),
      orgUnitId: expect.any(String),
      locale: 'en',
      roles: [{ role: 'learner', scopeOrgUnitId: null }],
    });
    assertNoSecrets(me.body, [PASSWORD, s.refreshToken, s.accessToken]);
  });
});
