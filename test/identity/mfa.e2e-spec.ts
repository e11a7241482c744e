import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { aUser, startApi, TestApi } from '@lms/testing';
import { base32Decode, type User } from '@lms/identity';
import { bearer, OrgFixture, orgFixture, PASSWORD } from './fixtures.js';

const LOGIN = '/api/v1/auth/login';
const MFA = '/api/v1/auth/mfa';
const ME_MFA = '/api/v1/me/mfa';

/** RFC 6238 written again here (independent of the code under test): 6 digits of HMAC-SHA-1 over the 30-second step. */
function code(secretBase32: string, offsetSteps = 0): string {
  const step = Math.floor(Date.now() / 1000 / 30) + offsetSteps;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(msg).digest();
  const o = mac[19] & 15;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

describe('second factor (TOTP): enrolment, sign-in step, recovery codes, replay, throttling, reset — MFA_REQUIRED_ROLES=admin', () => {
  let api: TestApi;
  let f: OrgFixture;
  beforeAll(async () => {
    // The shared test config switches the requirement off; this suite turns it on, as in production.
    api = await startApi({ env: { MFA_REQUIRED_ROLES: 'admin', TRUST_PROXY: 'true' } });
    f = await orgFixture(api);
  });
  afterAll(async () => {
    await api.close();
  });

  const login = (u: { email: string }, password = PASSWORD) => api.http.post(LOGIN).set('x-forwarded-for', `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`).send({ email: u.email, password });

  /** A learner with TOTP set up through the API; returns the secret and the recovery codes. */
  async function enrolled(): Promise<{ user: User; secret: string; recoveryCodes: string[]; token: string }> {
    const user = await aUser(api.dataSource, { orgUnit: f.a, roles: [{ role: 'learner', scope: null }], password: PASSWORD });
    const { accessToken } = (await login(user).expect(200)).body as { accessToken: string };
    const start = await api.http.post(`${ME_MFA}/totp`).set(bearer(accessToken)).expect(201);
    const verified = await api.http.post(`${ME_MFA}/totp/verify`).set(bearer(accessToken)).send({ code: code(start.body.secret as string) }).expect(200);
    return { user, secret: start.body.secret as string, recoveryCodes: verified.body.recoveryCodes as string[], token: accessToken };
  }

  it('a person sets up an authenticator: secret and otpauth URI, a wrong code is refused, a right one gives ten recovery codes; the secret is stored encrypted, the codes hashed', async () => {
    const user = await aUser(api.dataSource, { orgUnit: f.a, roles: [{ role: 'learner', scope: null }], password: PASSWORD });
    const { accessToken } = (await login(user).expect(200)).body as { accessToken: string };
    await api.http.post(`${ME_MFA}/totp/verify`).set(bearer(accessToken)).send({ code: '123456' }).expect(409);
    const start = await api.http.post(`${ME_MFA}/totp`).set(bearer(accessToken)).expect(201);
    const secret = start.body.secret as string;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(start.body.otpauthUri).toMatch(new RegExp(`^otpauth://totp/lms\\.test:${encodeURIComponent(user.email).replace(/\./g, '\\.')}\\?`));
    expect(new URL(start.body.otpauthUri as string).searchParams.get('secret')).toBe(secret);
    const wrong = await api.http.post(`${ME_MFA}/totp/verify`).set(bearer(accessToken)).send({ code: code(secret, 5) }).expect(400);
    expect(wrong.body.code).toBe('mfa_code_invalid');
    const ok = await api.http.post(`${ME_MFA}/totp/verify`).set(bearer(accessToken)).send({ code: code(secret) }).expect(200);
    const codes = ok.body.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    codes.forEach((c) => expect(c).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/));
    const stored = JSON.stringify(await api.dataSource.query(`SELECT t.*, c.code_hash FROM mfa_totp t JOIN mfa_recovery_code c USING (user_id) WHERE user_id = $1`, [user.id]));
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(Buffer.from(base32Decode(secret)).toString('base64url'));
    for (const c of codes) expect(stored).not.toContain(c.replace('-', ''));
    expect((await api.http.get(ME_MFA).set(bearer(accessToken)).expect(200)).body).toMatchObject({ totp: true, recoveryCodesLeft: 10, required: false });
    expect((await api.http.post(`${ME_MFA}/totp`).set(bearer(accessToken)).expect(409)).body.code).toBe('mfa_already_enrolled');
    const actions = (await api.dataSource.query(`SELECT action, actor_id FROM audit_event WHERE subject_id = $1`, [user.id])) as Array<{ action: string; actor_id: string }>;
    expect(actions).toEqual([{ action: 'user.mfa_enrolled', actor_id: user.id }]);
  });

  it('sign-in with a second factor: the password answers {mfaRequired, mfaToken}, the code gives the tokens; a replayed or older code is refused', async () => {
    const { user, secret } = await enrolled();
    const first = await login(user).expect(200);
    expect(first.body).toEqual({ mfaRequired: true, mfaToken: expect.any(String), methods: ['totp', 'recovery_code'] });
    const mfaToken = first.body.mfaToken as string;
    // The step token is no access token.
    await api.http.get('/api/v1/me').set(bearer(mfaToken)).expect(401);
    expect((await api.http.post(MFA).send({ mfaToken, code: code(secret, 3) }).expect(401)).body.code).toBe('mfa_code_invalid');
    // Enrolment used the current step; the next step's code (clock drift allows one) is new.
    const next = code(secret, 1);
    const tokens = await api.http.post(MFA).send({ mfaToken, code: next }).expect(200);
    expect(tokens.body).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String), tokenType: 'Bearer' });
    await api.http.get('/api/v1/me').set(bearer(tokens.body.accessToken as string)).expect(200);
    expect((await api.http.post(MFA).send({ mfaToken, code: next }).expect(401)).body.code).toBe('mfa_code_reused');
    expect((await api.http.post(MFA).send({ mfaToken, code: code(secret) }).expect(401)).body.code).toBe('mfa_code_reused');
  });

  it('a recovery code works once; both or neither factor is a 400; forged, foreign and wrong-step tokens are 401', async () => {
    const { user, recoveryCodes } = await enrolled();
    const { mfaToken } = (await login(user).expect(200)).body as { mfaToken: string };
    await api.http.post(MFA).send({ mfaToken, recoveryCode: recoveryCodes[0].toUpperCase().replace('-', ' ') }).expect(200);
    expect((await api.http.post(MFA).send({ mfaToken, recoveryCode: recoveryCodes[0] }).expect(401)).body.code).toBe('mfa_code_invalid');
    await api.http.post(MFA).send({ mfaToken, code: '123456', recoveryCode: recoveryCodes[1] }).expect(400);
    await api.http.post(MFA).send({ mfaToken }).expect(400);
    await api.http.post(MFA).send({ mfaToken, code: 123456 }).expect(400);
    const forged = await new SignJWT({ typ: 'mfa', purpose: 'verify' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setAudience('lms-mfa')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(api.config.jwtSecret));
    expect((await api.http.post(MFA).send({ mfaToken: forged, recoveryCode: recoveryCodes[1] }).expect(401)).body.code).toBe('mfa_token_invalid');
    const { accessToken } = (await api.http.post(MFA).send({ mfaToken, recoveryCode: recoveryCodes[1] }).expect(200)).body as { accessToken: string };
    await api.http.post(MFA).send({ mfaToken: accessToken, recoveryCode: recoveryCodes[2] }).expect(401);
    await api.http.post(MFA).send({ mfaToken: 'not.a.token', recoveryCode: recoveryCodes[2] }).expect(401);
    await api.http.post('/api/v1/auth/mfa/enrol').send({ mfaToken }).expect(401);
    expect((await api.http.get(ME_MFA).set(bearer(accessToken)).expect(200)).body.recoveryCodesLeft).toBe(8);
  });

  it('five wrong codes in 15 minutes lock the second step: 429 with Retry-After, even for the right code', async () => {
    const { user, secret } = await enrolled();
    const { mfaToken } = (await login(user).expect(200)).body as { mfaToken: string };
    for (let i = 0; i < 5; i++) await api.http.post(MFA).send({ mfaToken, code: code(secret, 7 + i) }).expect(401);
    const locked = await api.http.post(MFA).send({ mfaToken, code: code(secret, 1) }).expect(429);
    expect(locked.body.code).toBe('too_many_mfa_attempts');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
  });

  it('a role that requires MFA (admin) and has none must enrol at sign-in before getting a session; it cannot switch MFA off', async () => {
    const admin = await aUser(api.dataSource, { orgUnit: f.root, roles: [{ role: 'admin' }], password: PASSWORD });
    const first = await login(admin).expect(200);
    expect(first.body).toEqual({ mfaEnrolmentRequired: true, mfaToken: expect.any(String) });
    expect(first.body.accessToken).toBeUndefined();
    const mfaToken = first.body.mfaToken as string;
    // An enrolment token is not a second-step token.
    expect((await api.http.post(MFA).send({ mfaToken, code: '000000' }).expect(401)).body.code).toBe('mfa_token_invalid');
    const start = await api.http.post('/api/v1/auth/mfa/enrol').send({ mfaToken }).expect(200);
    const secret = start.body.secret as string;
    expect((await api.http.post('/api/v1/auth/mfa/enrol/verify').send({ mfaToken, code: code(secret, 4) }).expect(400)).body.code).toBe('mfa_code_invalid');
    const done = await api.http.post('/api/v1/auth/mfa/enrol/verify').send({ mfaToken, code: code(secret) }).expect(200);
    expect(done.body).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String), recoveryCodes: expect.any(Array) });
    const token = done.body.accessToken as string;
    expect((await api.http.get(ME_MFA).set(bearer(token)).expect(200)).body).toMatchObject({ totp: true, required: true });
    expect((await api.http.delete(`${ME_MFA}/totp`).set(bearer(token)).send({ code: code(secret, 1) }).expect(409)).body.code).toBe('mfa_required');
    // From now on the admin signs in with the second step.
    expect((await login(admin).expect(200)).body.mfaRequired).toBe(true);
    await api.http.post('/api/v1/auth/mfa/enrol').send({ mfaToken }).expect(409);
  });

  it('a person turns MFA off with a code (audited); without or with a wrong code it stays on', async () => {
    const { user, secret, token } = await enrolled();
    await api.http.delete(`${ME_MFA}/totp`).set(bearer(token)).send({}).expect(400);
    expect((await api.http.delete(`${ME_MFA}/totp`).set(bearer(token)).send({ code: code(secret, 6) }).expect(400)).body.code).toBe('mfa_code_invalid');
    await api.http.delete(`${ME_MFA}/totp`).set(bearer(token)).send({ code: code(secret, 1) }).expect(204);
    expect((await api.http.get(ME_MFA).set(bearer(token)).expect(200)).body).toMatchObject({ totp: false, recoveryCodesLeft: 0 });
    expect((await login(user).expect(200)).body.accessToken).toEqual(expect.any(String));
    const actions = (await api.dataSource.query(`SELECT action FROM audit_event WHERE subject_id = $1 ORDER BY at`, [user.id])) as Array<{ action: string }>;
    expect(actions.map((a) => a.action)).toEqual(['user.mfa_enrolled', 'user.mfa_disabled']);
    expect((await api.http.delete(`${ME_MFA}/totp`).set(bearer(token)).send({ code: code(secret, 1) }).expect(409)).body.code).toBe('mfa_not_enrolled');
  });

  it('DELETE /users/:id/mfa: admin and HR in scope reset it (audited); HR out of scope, HR for an admin, a learner and anonymous callers cannot', async () => {
    const a = await enrolled();
    const path = `/api/v1/users/${a.user.id}/mfa`;
    await api.http.delete(path).expect(401);
    await api.http.delete(path).set(bearer(f.token.learnerA)).expect(403);
    await api.http.delete(path).set(bearer(a.token)).expect(403);
    await api.http.delete(path).set(bearer(f.token.hrB)).expect(403);
    await api.http.delete(path).set(bearer(f.token.hrA)).expect(204);
    expect((await api.http.delete(path).set(bearer(f.token.admin)).expect(409)).body.code).toBe('mfa_not_enrolled');
    expect((await login(a.user).expect(200)).body.accessToken).toEqual(expect.any(String));
    const b = await enrolled();
    await api.http.delete(`/api/v1/users/${b.user.id}/mfa`).set(bearer(f.token.admin)).expect(204);
    const audit = (await api.dataSource.query(`SELECT action, actor_id FROM audit_event WHERE action = 'user.mfa_reset' AND subject_id = ANY($1) ORDER BY at`, [[a.user.id, b.user.id]])) as Array<{ action: string; actor_id: string }>;
    expect(audit.map((x) => x.actor_id)).toEqual([f.hrA.id, f.admin.id]);
    const adminInA = await aUser(api.dataSource, { orgUnit: f.a, roles: [{ role: 'admin' }], password: PASSWORD });
    await api.http.delete(`/api/v1/users/${adminInA.id}/mfa`).set(bearer(f.token.hrA)).expect(403);
    await api.http.delete('/api/v1/users/00000000-0000-4000-8000-000000000000/mfa').set(bearer(f.token.admin)).expect(404);
    await api.http.delete('/api/v1/users/nope/mfa').set(bearer(f.token.admin)).expect(400);
  });

  it('an administrator cannot reset their own second factor through the admin route (only with a code)', async () => {
    const admin = await aUser(api.dataSource, { orgUnit: f.root, roles: [{ role: 'admin' }], password: PASSWORD });
    const { mfaToken } = (await login(admin).expect(200)).body as { mfaToken: string };
    const { secret } = (await api.http.post('/api/v1/auth/mfa/enrol').send({ mfaToken }).expect(200)).body as { secret: string };
    const { accessToken } = (await api.http.post('/api/v1/auth/mfa/enrol/verify').send({ mfaToken, code: code(secret) }).expect(200)).body as { accessToken: string };
    expect((await api.http.delete(`/api/v1/users/${admin.id}/mfa`).set(bearer(accessToken)).expect(409)).body.code).toBe('mfa_reset_self');
    await api.http.delete(`/api/v1/users/${admin.id}/mfa`).set(bearer(f.token.admin)).expect(204);
  });

  it('two requests with the same code at the same moment: exactly one gets a session', async () => {
    const { user, secret } = await enrolled();
    const { mfaToken } = (await login(user).expect(200)).body as { mfaToken: string };
    const next = code(secret, 1);
    const answers = await Promise.all([1, 2, 3].map(() => api.http.post(MFA).send({ mfaToken, code: next })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401]);
    expect(answers.filter((a) => a.status === 401).every((a) => a.body.code === 'mfa_code_reused')).toBe(true);
  });
});
