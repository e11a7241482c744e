import { createHash, randomBytes } from 'node:crypto';
import { OutboxRelay } from '../../libs/jobs/src/outbox-relay.js';
import { AccountEmails } from '@lms/notifications';
import { aUser, startApi, TestApi, uniq } from '@lms/testing';
import { accountMails, latestLink } from './account-fixtures.js';
import { bearer, OrgFixture, orgFixture, PASSWORD } from './fixtures.js';

const USERS = '/api/v1/users';
const ACCEPT = '/api/v1/auth/invitations/accept';
const RESET = '/api/v1/auth/password-reset';
const CONFIRM = '/api/v1/auth/password-reset/confirm';
const LOGIN = '/api/v1/auth/login';
const NEW_PASSWORD = 'lipa-cveta-kraj-reke-42';

/** Each test speaks from its own client IP (TRUST_PROXY), so per-IP throttles do not leak between tests. */
const fromIp = (): string => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

describe('invitations and password reset: single-use links by e-mail', () => {
  let api: TestApi;
  let f: OrgFixture;
  beforeAll(async () => {
    api = await startApi({ env: { TRUST_PROXY: 'true' } });
    f = await orgFixture(api);
  });
  afterAll(async () => {
    await api.close();
  });

  const invite = (token: string, orgUnitId: string, extra: Record<string, unknown> = {}) =>
    api.http
      .post(USERS)
      .set(bearer(token))
      .send({ email: `${uniq('invitee')}@test.lms`, displayName: 'Invited Person', orgUnitId, sendInvitation: true, ...extra });

  const audit = async (subjectId: string): Promise<string[]> =>
    ((await api.dataSource.query(`SELECT action FROM audit_event WHERE subject_id = $1 ORDER BY at, action`, [subjectId])) as Array<{ action: string }>).map(
      (r) => r.action,
    );

  it('creating a person with sendInvitation e-mails a link valid 7 days; only its SHA-256 is stored and the stored e-mail holds a placeholder', async () => {
    const res = await invite(f.token.admin, f.a.id).expect(201);
    const days = (new Date(res.body.invitation.expiresAt as string).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    const [mail] = await accountMails(api, res.body.id as string);
    expect(mail).toMatchObject({ state: 'sent', subject: 'You are invited to the learning platform', paths: ['invitations'] });
    const secret = mail.secrets[0];
    expect(mail.textBody).not.toContain(secret);
    expect(mail.htmlBody).not.toContain(secret);
    expect(mail.textBody).toMatch(/\{\{account-link:[0-9a-f-]{36}\}\}/);
    const tokens = (await api.dataSource.query(`SELECT * FROM account_token WHERE user_id = $1`, [res.body.id])) as Array<Record<string, unknown>>;
    expect(tokens).toHaveLength(1);
    expect(tokens[0].token_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(tokens)).not.toContain(secret);
    const outbox = (await api.dataSource.query(`SELECT payload::text AS p FROM outbox_event WHERE name = 'account.link-issued'`)) as Array<{ p: string }>;
    expect(outbox.map((o) => o.p).join()).not.toContain(secret);
    expect(await audit(res.body.id as string)).toEqual(['user.created', 'user.invited']);
  });

  it('accepting sets the first password under the password rules; the link then says it was used; forged and malformed links are 400', async () => {
    const res = await invite(f.token.hrA, f.a1.id).expect(201);
    const userId = res.body.id as string;
    const secret = await latestLink(api, userId);
    const short = await api.http.post(ACCEPT).send({ token: secret, password: 'too-short-1' }).expect(400);
    expect(short.body.errors).toEqual([{ field: 'password', message: expect.stringMatching(/at least 12/) }]);
    const common = await api.http.post(ACCEPT).send({ token: secret, password: 'passwordpassword' }).expect(400);
    expect(common.body.errors[0].message).toMatch(/too common/);
    await api.http.post(ACCEPT).send({ token: secret, password: NEW_PASSWORD }).expect(204);
    await api.http.post(LOGIN).send({ email: res.body.email, password: NEW_PASSWORD }).expect(200);
    const again = await api.http.post(ACCEPT).send({ token: secret, password: `${NEW_PASSWORD}-x` }).expect(410);
    expect(again.body).toMatchObject({ code: 'link_used' });
    expect((await api.http.post(ACCEPT).send({ token: randomBytes(32).toString('base64url'), password: NEW_PASSWORD }).expect(400)).body.code).toBe('link_invalid');
    expect((await api.http.post(ACCEPT).send({ token: 'short', password: NEW_PASSWORD }).expect(400)).body.code).toBe('link_invalid');
    // A reset link is not an invitation link and the other way round.
    expect((await api.http.post(CONFIRM).send({ token: secret, password: NEW_PASSWORD }).expect(400)).body.code).toBe('link_invalid');
    await api.http.post(ACCEPT).send({ token: secret }).expect(400);
    await api.http.post(ACCEPT).send({ token: secret, password: NEW_PASSWORD, extra: 1 }).expect(400);
    expect(await audit(userId)).toEqual(['user.created', 'user.invited', 'user.invitation_accepted']);
  });

  it('two submissions of the same link at the same moment: one sets the password, the other is told the link was used', async () => {
    const res = await invite(f.token.admin, f.a.id).expect(201);
    const secret = await latestLink(api, res.body.id as string);
    const answers = await Promise.all(['first', 'second'].map((w) => api.http.post(ACCEPT).send({ token: secret, password: `${NEW_PASSWORD}-${w}` })));
    expect(answers.map((a) => a.status).sort()).toEqual([204, 410]);
    const winner = answers[0].status === 204 ? 'first' : 'second';
    await api.http.post(LOGIN).send({ email: res.body.email, password: `${NEW_PASSWORD}-${winner}` }).expect(200);
  });

  it('an expired invitation says so (410 link_expired); the lifetime comes from INVITATION_TTL_DAYS', async () => {
    const res = await invite(f.token.admin, f.b.id).expect(201);
    const secret = await latestLink(api, res.body.id as string);
    await api.dataSource.query(`UPDATE account_token SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [res.body.id]);
    expect((await api.http.post(ACCEPT).send({ token: secret, password: NEW_PASSWORD }).expect(410)).body.code).toBe('link_expired');
    expect(api.config.invitationTtlDays).toBe(7);
  });

  it('resend (admin, HR in scope) replaces the earlier link; HR out of scope, a learner and anonymous callers cannot', async () => {
    const res = await invite(f.token.hrA, f.a.id, { locale: 'sr-Cyrl' }).expect(201);
    const userId = res.body.id as string;
    const first = await latestLink(api, userId);
    const path = `${USERS}/${userId}/invitations`;
    await api.http.post(path).set(bearer(f.token.hrB)).expect(403);
    await api.http.post(path).set(bearer(f.token.learnerA)).expect(403);
    await api.http.post(path).set(bearer(f.token.learnerB)).expect(403);
    await api.http.post(path).expect(401);
    const resent = await api.http.post(path).set(bearer(f.token.hrA)).expect(201);
    expect(resent.body).toEqual({ userId, expiresAt: expect.any(String) });
    const second = await latestLink(api, userId);
    await api.http.post(path).set(bearer(f.token.admin)).expect(201);
    const latest = await latestLink(api, userId);
    const mails = await accountMails(api, userId);
    expect(mails.map((m) => [m.state, m.subject])).toEqual(Array(3).fill(['sent', 'Позивница за платформу за учење']));
    expect(new Set([first, second, latest]).size).toBe(3);
    expect((await api.http.post(ACCEPT).send({ token: first, password: NEW_PASSWORD }).expect(410)).body.code).toBe('link_replaced');
    expect((await api.http.post(ACCEPT).send({ token: second, password: NEW_PASSWORD }).expect(410)).body.code).toBe('link_replaced');
    await api.http.post(ACCEPT).send({ token: latest, password: NEW_PASSWORD }).expect(204);
    // Now the person has a password: nothing to resend.
    expect((await api.http.post(path).set(bearer(f.token.admin)).expect(409)).body.code).toBe('invitation_not_needed');
    await api.http.post(`${USERS}/00000000-0000-4000-8000-000000000000/invitations`).set(bearer(f.token.admin)).expect(404);
    await api.http.post(`${USERS}/not-a-uuid/invitations`).set(bearer(f.token.admin)).expect(400);
  });

  it('HR cannot resend to a person it could not change (an admin in its unit); a disabled person gets no invitation', async () => {
    const adminInA = await aUser(api.dataSource, { orgUnit: f.a, roles: [{ role: 'admin' }] });
    await api.http.post(`${USERS}/${adminInA.id}/invitations`).set(bearer(f.token.hrA)).expect(403);
    const disabled = await aUser(api.dataSource, { orgUnit: f.a, roles: [{ role: 'learner', scope: null }] });
    await api.dataSource.query(`UPDATE app_user SET status = 'disabled' WHERE id = $1`, [disabled.id]);
    expect((await api.http.post(`${USERS}/${disabled.id}/invitations`).set(bearer(f.token.hrA)).expect(409)).body.code).toBe('invitation_not_needed');
  });

  it('sendInvitation together with a password is a 400; HR cannot invite into a unit outside its scope', async () => {
    const both = await invite(f.token.admin, f.a.id, { password: PASSWORD }).expect(400);
    expect(both.body.errors[0].field).toBe('sendInvitation');
    await invite(f.token.hrA, f.b.id).expect(403);
    await invite(f.token.admin, f.a.id, { sendInvitation: 'yes' }).expect(400);
  });

  it('an import with ?invite=true invites the people it creates (not the ones it updates)', async () => {
    const existing = await aUser(api.dataSource, { orgUnit: f.a });
    const newEmails = [`${uniq('imp')}@test.lms`, `${uniq('imp')}@test.lms`];
    const csv = ['email,displayName,orgUnitCode', ...newEmails.map((e) => `${e},Imported Person,${f.a.code}`), `${existing.email},Existing Person,${f.a.code}`].join('\n');
    const res = await api.http.post(`${USERS}/import?invite=true`).set(bearer(f.token.hrA)).set('content-type', 'text/csv').send(csv).expect(200);
    expect(res.body).toMatchObject({ created: 2, updated: 1, invited: 2, errors: [] });
    const ids = (await api.dataSource.query(`SELECT id FROM app_user WHERE email = ANY($1)`, [newEmails])) as Array<{ id: string }>;
    for (const { id } of ids) expect((await accountMails(api, id)).map((m) => m.state)).toEqual(['sent']);
    expect(await accountMails(api, existing.id)).toEqual([]);
    const plain = await api.http
      .post(`${USERS}/import`)
      .set(bearer(f.token.admin))
      .set('content-type', 'text/csv')
      .send(`email,displayName,orgUnitCode\n${uniq('imp')}@test.lms,Not Invited,${f.a.code}\n`)
      .expect(200);
    expect(plain.body.invited).toBeUndefined();
    await api.http.post(`${USERS}/import?invite=maybe`).set(bearer(f.token.admin)).set('content-type', 'text/csv').send('email,displayName,orgUnitCode\n').expect(400);
  });

  it('password reset answers the same 202 for known and unknown addresses and e-mails a link valid 30 minutes only to the known one', async () => {
    const person = await aUser(api.dataSource, { orgUnit: f.a, password: PASSWORD, locale: 'sr-Latn' });
    const ip = fromIp();
    const known = await api.http.post(RESET).set('x-forwarded-for', ip).send({ email: person.email.toUpperCase() }).expect(202);
    const unknown = await api.http.post(RESET).set('x-forwarded-for', ip).send({ email: `${uniq('nobody')}@test.lms` }).expect(202);
    expect(known.body).toEqual(unknown.body);
    const [mail] = await accountMails(api, person.id);
    expect(mail).toMatchObject({ state: 'sent', subject: 'Promena zaboravljene lozinke', paths: ['password-reset'] });
    const [row] = (await api.dataSource.query(`SELECT extract(epoch FROM expires_at - created_at)::int AS ttl FROM account_token WHERE user_id = $1`, [person.id])) as Array<{ ttl: number }>;
    expect(row.ttl).toBe(30 * 60);
    const anonymousAudit = (await api.dataSource.query(`SELECT actor_id FROM audit_event WHERE subject_id = $1 AND action = 'user.password_reset_requested'`, [person.id])) as Array<{ actor_id: string | null }>;
    expect(anonymousAudit).toEqual([{ actor_id: null }]);
  });

  it('confirming a reset sets the password and revokes every session and refresh token of the person; the link works once', async () => {
    const person = await aUser(api.dataSource, { orgUnit: f.a, password: PASSWORD });
    const session = (await api.http.post(LOGIN).send({ email: person.email, password: PASSWORD }).expect(200)).body as { accessToken: string; refreshToken: string };
    await api.http.get('/api/v1/me').set(bearer(session.accessToken)).expect(200);
    await api.http.post(RESET).set('x-forwarded-for', fromIp()).send({ email: person.email }).expect(202);
    const secret = await latestLink(api, person.id);
    expect((await api.http.post(CONFIRM).send({ token: secret, password: person.email }).expect(400)).body.errors[0].field).toBe('password');
    await api.http.post(CONFIRM).send({ token: secret, password: NEW_PASSWORD }).expect(204);
    await api.http.get('/api/v1/me').set(bearer(session.accessToken)).expect(401);
    await api.http.post('/api/v1/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
    await api.http.post(LOGIN).send({ email: person.email, password: PASSWORD }).expect(401);
    await api.http.post(LOGIN).send({ email: person.email, password: NEW_PASSWORD }).expect(200);
    expect((await api.http.post(CONFIRM).send({ token: secret, password: `${NEW_PASSWORD}-2` }).expect(410)).body.code).toBe('link_used');
    expect(await audit(person.id)).toEqual(['user.password_reset_requested', 'user.password_reset']);
  });

  it('a second reset request replaces the first link; an expired reset link is 410; a disabled person gets no e-mail', async () => {
    const person = await aUser(api.dataSource, { orgUnit: f.a, password: PASSWORD });
    const ip = fromIp();
    await api.http.post(RESET).set('x-forwarded-for', ip).send({ email: person.email }).expect(202);
    const first = await latestLink(api, person.id);
    await api.http.post(RESET).set('x-forwarded-for', ip).send({ email: person.email }).expect(202);
    const second = await latestLink(api, person.id);
    expect((await api.http.post(CONFIRM).send({ token: first, password: NEW_PASSWORD }).expect(410)).body.code).toBe('link_replaced');
    await api.dataSource.query(`UPDATE account_token SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL`, [person.id]);
    expect((await api.http.post(CONFIRM).send({ token: second, password: NEW_PASSWORD }).expect(410)).body.code).toBe('link_expired');
    const disabled = await aUser(api.dataSource, { orgUnit: f.a, password: PASSWORD });
    await api.dataSource.query(`UPDATE app_user SET status = 'disabled' WHERE id = $1`, [disabled.id]);
    await api.http.post(RESET).set('x-forwarded-for', ip).send({ email: disabled.email }).expect(202);
    expect(await accountMails(api, disabled.id)).toEqual([]);
  });

  /** Runs `body` with the outbox relay held, so no job starts until it returns. */
  async function withRelayHeld(body: () => Promise<void>): Promise<void> {
    const relay = api.app.get(OutboxRelay);
    await relay.stop();
    try {
      await body();
    } finally {
      relay.start();
    }
  }

  it('a reset link replaced before its e-mail was queued gets no e-mail; only the newer link is sent', async () => {
    const person = await aUser(api.dataSource, { orgUnit: f.a, password: PASSWORD });
    const ip = fromIp();
    await withRelayHeld(async () => {
      await api.http.post(RESET).set('x-forwarded-for', ip).send({ email: person.email }).expect(202);
      await api.http.post(RESET).set('x-forwarded-for', ip).send({ email: person.email }).expect(202);
    });
    const mails = await accountMails(api, person.id);
    expect(mails.map((m) => m.state)).toEqual(['sent']);
    const [current] = (await api.dataSource.query(`SELECT id FROM account_token WHERE user_id = $1 AND revoked_at IS NULL`, [person.id])) as Array<{ id: string }>;
    expect(createHash('sha256').update(mails[0].secrets[0]).digest('hex')).toBe(
      ((await api.dataSource.query(`SELECT token_hash FROM account_token WHERE id = $1`, [current.id])) as Array<{ token_hash: string }>)[0].token_hash,
    );
  });

  it('a reset link replaced after its e-mail was queued but before delivery is not sent (the e-mail is marked failed, never delivered)', async () => {
    const person = await aUser(api.dataSource, { orgUnit: f.a, password: PASSWORD });
    const ip = fromIp();
    await withRelayHeld(async () => {
      await api.http.post(RESET).set('x-forwarded-for', ip).send({ email: person.email }).expect(202);
      // The 'notifications.account-link' job of the first link runs: its e-mail is queued, not yet delivered.
      const [first] = (await api.dataSource.query(`SELECT id FROM account_token WHERE user_id = $1`, [person.id])) as Array<{ id: string }>;
      await expect(api.app.get(AccountEmails).linkIssued(first.id)).resolves.toBe(true);
      await api.http.post(RESET).set('x-forwarded-for', ip).send({ email: person.email }).expect(202);
    });
    const mails = await accountMails(api, person.id);
    expect(mails.map((m) => m.state)).toEqual(['failed', 'sent']);
    expect(mails[1].secrets).toHaveLength(1);
    expect(mails[0].delivered).toBe('');
  });

  it('throttles reset requests: 3 per address per 15 minutes, 20 per IP, then 429 with Retry-After; bad bodies are 400', async () => {
    const person = await aUser(api.dataSource, { orgUnit: f.a, password: PASSWORD });
    for (let i = 0; i < 3; i++) await api.http.post(RESET).set('x-forwarded-for', fromIp()).send({ email: person.email }).expect(202);
    const over = await api.http.post(RESET).set('x-forwarded-for', fromIp()).send({ email: person.email }).expect(429);
    expect(over.body.code).toBe('too_many_reset_requests');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    const ip = fromIp();
    for (let i = 0; i < 20; i++) await api.http.post(RESET).set('x-forwarded-for', ip).send({ email: `${uniq('spray')}@test.lms` }).expect(202);
    const ipOver = await api.http.post(RESET).set('x-forwarded-for', ip).send({ email: `${uniq('spray')}@test.lms` }).expect(429);
    expect(ipOver.headers['retry-after']).toBeDefined();
    for (const body of [{}, { email: 42 }, { email: 'no-at-sign' }, { email: 'a@b.c', extra: true }, { email: `${'x'.repeat(260)}@t.lms` }])
      expect((await api.http.post(RESET).set('x-forwarded-for', fromIp()).send(body)).status).toBe(400);
  });
});
