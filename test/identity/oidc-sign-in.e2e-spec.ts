import request from 'supertest';
import { anOrgUnit, aUser, startApi, TEST_ADMIN, TestApi, uniq } from '@lms/testing';
import type { OrgUnit } from '@lms/identity';
import { browserAgent } from '../web/web-support.js';
import type { Agent } from '../web/web-support.js';
import { signInAtProvider, startOidcProvider } from './federation-support.js';
import type { TestIdp } from './federation-support.js';

const JIT_UNIT = 'SSO-NEWCOMERS';

function setCookies(res: request.Response): string[] {
  const v = res.headers['set-cookie'] as unknown;
  return Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : [];
}

function sessionCookieOf(res: request.Response): string | undefined {
  return setCookies(res).find((c) => /^lms_session=[0-9a-f-]{36}\./.test(c));
}

/**
 * OpenID Connect sign-in against a real provider (oidc-provider on a loopback port, started here):
 * the code flow with PKCE end to end, the checks that refuse a bad answer, and the linking rules.
 */
describe('OpenID Connect sign-in', () => {
  let idp: TestIdp;
  let api: TestApi;
  let unit: OrgUnit;
  let jitUnit: OrgUnit;

  beforeAll(async () => {
    idp = await startOidcProvider(['http://lms.test/auth/oidc/corp/callback', 'http://lms.test/auth/oidc/strict/callback']);
    const common = {
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      scopes: 'openid email profile hr',
      externalIdClaim: 'employee_id',
    };
    api = await startApi({
      env: {
        OIDC_PROVIDERS: JSON.stringify([
          { key: 'corp', name: 'Corporate ID', ...common, createUsers: true, orgUnitCode: JIT_UNIT },
          { key: 'strict', name: 'Strict ID', ...common },
          // Nothing listens on port 9 of the loopback: a provider that is down.
          { key: 'down', name: 'Offline ID', ...common, issuer: 'http://127.0.0.1:9' },
        ]),
      },
    });
    unit = await anOrgUnit(api.dataSource);
    jitUnit = await anOrgUnit(api.dataSource, { code: JIT_UNIT });
  });
  afterAll(async () => {
    await api?.close();
    await idp?.close();
  });
  afterEach(() => {
    idp.tamper = 'none';
  });

  /** The whole journey: the app's login redirect, the provider's pages, the app's callback. */
  async function journey(agent: Agent, key: string, login: string, returnTo?: string) {
    const start = await agent.get(`/auth/oidc/${key}/login${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`).expect(302);
    const stateCookie = setCookies(start)
      .find((c) => c.startsWith('lms_oidc='))!
      .split(';')[0];
    const callback = await signInAtProvider(idp, String(start.headers.location), login);
    const done = await agent.get(callback.pathname + callback.search);
    return { start, stateCookie, callback, done };
  }

  async function auditActions(subjectId: string): Promise<string[]> {
    const rows = (await api.dataSource.query(`SELECT action FROM audit_event WHERE subject_id = $1 ORDER BY at`, [subjectId])) as Array<{
      action: string;
    }>;
    return rows.map((r) => r.action);
  }

  it('the sign-in page offers one button per configured provider, keeping returnTo', async () => {
    const page = await browserAgent(api).get('/sign-in?returnTo=%2Fcourses').expect(200);
    expect(page.text).toContain(
      '<a class="button secondary" href="/auth/oidc/corp/login?returnTo=%2Fcourses">Sign in with Corporate ID</a>',
    );
    expect(page.text).toContain('href="/auth/oidc/strict/login?returnTo=%2Fcourses">Sign in with Strict ID</a>');
    const serbian = await browserAgent(api).set('accept-language', 'sr-Cyrl').get('/sign-in').expect(200);
    expect(serbian.text).toContain('Пријава путем: Corporate ID');
  });

  it('signs a known person in: PKCE and nonce on the way out, the same session cookie as a password sign-in, linked for next time', async () => {
    const person = await aUser(api.dataSource, { orgUnit: unit, email: `${uniq('ana')}@uprava.test`, displayName: 'Ana Federated' });
    idp.accounts.set('sub-ana', { email: person.email, email_verified: true, name: 'Ana Federated' });
    const agent = browserAgent(api);
    const { start, stateCookie, done } = await journey(agent, 'corp', 'sub-ana', '/courses');
    const authorize = new URL(String(start.headers.location));
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('redirect_uri')).toBe('http://lms.test/auth/oidc/corp/callback');
    // The state cookie holds nothing readable (encrypted), lives ten minutes, only under /auth/oidc/.
    expect(setCookies(start).find((c) => c.startsWith('lms_oidc='))).toMatch(
      /^lms_oidc=[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+; Path=\/auth\/oidc\/; SameSite=Lax; HttpOnly; Max-Age=600$/,
    );
    expect(stateCookie).not.toContain(authorize.searchParams.get('state')!);

    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/courses');
    expect(sessionCookieOf(done)).toMatch(/^lms_session=[0-9a-f-]{36}\.[\w-]{43}; Path=\/; SameSite=Lax; HttpOnly; Max-Age=\d+$/);
    expect(setCookies(done).some((c) => /^lms_oidc=; .*Max-Age=0/.test(c))).toBe(true);
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('<h1>My learning</h1>');
    expect(home.text).toContain('Ana Federated');

    const links = (await api.dataSource.query(`SELECT provider_key, issuer, subject FROM federated_identity WHERE user_id = $1`, [
      person.id,
    ])) as unknown[];
    expect(links).toEqual([{ provider_key: 'corp', issuer: idp.issuer, subject: 'sub-ana' }]);
    expect(await auditActions(person.id)).toContain('auth.federated_sign_in');

    // Next time the (issuer, subject) link decides, even when the provider's e-mail has changed.
    idp.accounts.set('sub-ana', { email: 'renamed@elsewhere.test', email_verified: false });
    const again = await journey(browserAgent(api), 'corp', 'sub-ana');
    expect(again.done.status).toBe(303);
    expect(again.done.headers.location).toBe('/');
    expect(sessionCookieOf(again.done)).toBeDefined();
  });

  it('API clients keep their bearer tokens: password sign-in for the API still works next to federation', async () => {
    const login = await api.http.post('/api/v1/auth/login').send(TEST_ADMIN).expect(200);
    await api.http
      .get('/api/v1/me')
      .set('authorization', `Bearer ${(login.body as { accessToken: string }).accessToken}`)
      .expect(200);
  });

  it('refuses a callback whose state does not match the one this browser started (and one with no sign-in started at all)', async () => {
    idp.accounts.set('sub-state', { email: `${uniq('st')}@uprava.test`, email_verified: true });
    const agent = browserAgent(api);
    const start = await agent.get('/auth/oidc/corp/login').expect(302);
    const callback = await signInAtProvider(idp, String(start.headers.location), 'sub-state');
    callback.searchParams.set('state', 'forged-state-value');
    const res = await agent.get(callback.pathname + callback.search).expect(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('This sign-in was not started here or took too long. Start it again.');
    expect(sessionCookieOf(res)).toBeUndefined();
    const stranger = await browserAgent(api).get('/auth/oidc/corp/callback?code=abc&state=xyz').expect(400);
    expect(sessionCookieOf(stranger)).toBeUndefined();
  });

  it('refuses a replayed authorization code', async () => {
    const person = await aUser(api.dataSource, { orgUnit: unit });
    idp.accounts.set('sub-replay', { email: person.email, email_verified: true });
    const { stateCookie, callback, done } = await journey(browserAgent(api), 'corp', 'sub-replay');
    expect(done.status).toBe(303);
    // The same answer again, even with the state cookie an attacker copied: the code was used.
    const replay = await request(api.app.getHttpServer())
      .get(callback.pathname + callback.search)
      .set('cookie', stateCookie)
      .expect(400);
    expect(replay.text).toContain('could not be verified');
    expect(sessionCookieOf(replay)).toBeUndefined();
  });

  it('refuses an answer from the wrong issuer: a forged iss response parameter, and an ID token issued by someone else', async () => {
    const person = await aUser(api.dataSource, { orgUnit: unit });
    idp.accounts.set('sub-iss', { email: person.email, email_verified: true });
    const agent = browserAgent(api);
    const start = await agent.get('/auth/oidc/corp/login').expect(302);
    const callback = await signInAtProvider(idp, String(start.headers.location), 'sub-iss');
    expect(callback.searchParams.get('iss')).toBe(idp.issuer);
    callback.searchParams.set('iss', 'http://127.0.0.1:9/another-issuer');
    const forgedParam = await agent.get(callback.pathname + callback.search).expect(400);
    expect(sessionCookieOf(forgedParam)).toBeUndefined();

    idp.tamper = 'foreign-issuer';
    const { done } = await journey(browserAgent(api), 'corp', 'sub-iss');
    expect(done.status).toBe(400);
    expect(sessionCookieOf(done)).toBeUndefined();
    const links = (await api.dataSource.query(`SELECT 1 FROM federated_identity WHERE user_id = $1`, [person.id])) as unknown[];
    expect(links).toHaveLength(0);
  });

  it('refuses an expired ID token', async () => {
    const person = await aUser(api.dataSource, { orgUnit: unit });
    idp.accounts.set('sub-expired', { email: person.email, email_verified: true });
    idp.tamper = 'expired-id-token';
    const { done } = await journey(browserAgent(api), 'corp', 'sub-expired');
    expect(done.status).toBe(400);
    expect(sessionCookieOf(done)).toBeUndefined();
    const refused = (await api.dataSource.query(
      `SELECT after->>'reason' AS reason FROM audit_event WHERE action = 'auth.federated_sign_in_refused' AND subject_id = 'corp' ORDER BY at DESC LIMIT 1`,
    )) as Array<{ reason: string }>;
    expect(refused).toEqual([{ reason: 'invalid_response' }]);
  });

  it('refuses an ID token meant for another client (audience) or carrying another sign-in’s nonce', async () => {
    const person = await aUser(api.dataSource, { orgUnit: unit });
    idp.accounts.set('sub-aud', { email: person.email, email_verified: true });
    for (const tamper of ['foreign-audience', 'wrong-nonce'] as const) {
      idp.tamper = tamper;
      const { done } = await journey(browserAgent(api), 'corp', 'sub-aud');
      expect({ tamper, status: done.status, session: sessionCookieOf(done) }).toEqual({ tamper, status: 400, session: undefined });
    }
  });

  it('never links an existing account through an e-mail the provider calls unverified (nor creates one)', async () => {
    const person = await aUser(api.dataSource, { orgUnit: unit });
    idp.accounts.set('sub-unverified', { email: person.email, email_verified: false, name: 'Impostor' });
    const { done } = await journey(browserAgent(api), 'corp', 'sub-unverified');
    expect(done.status).toBe(403);
    expect(done.text).toContain('has not confirmed your e-mail address');
    expect(sessionCookieOf(done)).toBeUndefined();
    const links = (await api.dataSource.query(`SELECT 1 FROM federated_identity WHERE subject = 'sub-unverified'`)) as unknown[];
    expect(links).toHaveLength(0);
  });

  it('links by the HR external id before the e-mail address', async () => {
    const person = await aUser(api.dataSource, { orgUnit: unit });
    const employeeId = uniq('E');
    await api.dataSource.query(`UPDATE app_user SET external_id = $2 WHERE id = $1`, [person.id, employeeId]);
    // The provider knows the person under another address (and does not vouch for it).
    idp.accounts.set('sub-hr', { email: 'private@mail.test', email_verified: false, employee_id: employeeId });
    const { done } = await journey(browserAgent(api), 'strict', 'sub-hr');
    expect(done.status).toBe(303);
    const [link] = (await api.dataSource.query(`SELECT user_id FROM federated_identity WHERE subject = 'sub-hr'`)) as Array<{
      user_id: string;
    }>;
    expect(link.user_id).toBe(person.id);
    const [entry] = (await api.dataSource.query(
      `SELECT after FROM audit_event WHERE action = 'auth.federated_sign_in' AND subject_id = $1`,
      [person.id],
    )) as Array<{
      after: { linkedBy: string };
    }>;
    expect(entry.after.linkedBy).toBe('external_id');
  });

  it('creates an unknown person just in time in the configured unit, as a learner with the HR id', async () => {
    const email = `${uniq('new')}@uprava.test`;
    const employeeId = uniq('E');
    idp.accounts.set('sub-new', { email, email_verified: true, name: 'Nova Osoba', employee_id: employeeId });
    const agent = browserAgent(api);
    const { done } = await journey(agent, 'corp', 'sub-new');
    expect(done.status).toBe(303);
    const [created] = (await api.dataSource.query(
      `SELECT u.id, u.display_name, u.org_unit_id, u.external_id, u.status, array_agg(g.role) AS roles
         FROM app_user u JOIN role_grant g ON g.user_id = u.id WHERE u.email = $1 GROUP BY u.id`,
      [email],
    )) as Array<{ id: string; display_name: string; org_unit_id: string; external_id: string; status: string; roles: string[] }>;
    expect(created).toMatchObject({
      display_name: 'Nova Osoba',
      org_unit_id: jitUnit.id,
      external_id: employeeId,
      status: 'active',
      roles: ['learner'],
    });
    expect((await auditActions(created.id)).sort()).toEqual(['auth.federated_sign_in', 'user.created']);
    const placed = (await api.dataSource.query(`SELECT 1 FROM outbox_event WHERE name = 'user.placed' AND payload->>'userId' = $1`, [
      created.id,
    ])) as unknown[];
    expect(placed).toHaveLength(1);
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('Nova Osoba');
  });

  it('refuses an unknown person when the provider does not create people', async () => {
    const email = `${uniq('stranger')}@uprava.test`;
    idp.accounts.set('sub-stranger', { email, email_verified: true });
    const { done } = await journey(browserAgent(api), 'strict', 'sub-stranger');
    expect(done.status).toBe(403);
    expect(done.text).toContain('There is no account here for you yet.');
    const rows = (await api.dataSource.query(`SELECT 1 FROM app_user WHERE email = $1`, [email])) as unknown[];
    expect(rows).toHaveLength(0);
  });

  it('a disabled person cannot sign in, even once linked', async () => {
    const person = await aUser(api.dataSource, { orgUnit: unit });
    idp.accounts.set('sub-disabled', { email: person.email, email_verified: true });
    expect((await journey(browserAgent(api), 'corp', 'sub-disabled')).done.status).toBe(303);
    await api.dataSource.query(`UPDATE app_user SET status = 'disabled' WHERE id = $1`, [person.id]);
    const { done } = await journey(browserAgent(api), 'corp', 'sub-disabled');
    expect(done.status).toBe(403);
    expect(done.text).toContain('Your account is disabled.');
    expect(sessionCookieOf(done)).toBeUndefined();
  });

  it('a provider that cannot be reached ends on a page saying so (502), and the next attempt tries again', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await browserAgent(api).get('/auth/oidc/down/login');
      expect(res.status).toBe(502);
      expect(res.text).toContain('cannot be reached right now');
      expect(setCookies(res).some((c) => c.startsWith('lms_oidc='))).toBe(false);
    }
  });

  it('bad input gets a 4xx page, never a 500: unknown or malformed provider, missing parameters, a tampered state cookie', async () => {
    const http = browserAgent(api);
    for (const path of [
      '/auth/oidc/nobody/login',
      '/auth/oidc/nobody/callback?code=x&state=y',
      '/auth/oidc/BAD%20KEY/login',
      `/auth/oidc/${'x'.repeat(40)}/login`,
    ])
      expect((await http.get(path)).status).toBe(404);
    expect((await http.get('/auth/oidc/corp/callback')).status).toBe(400);
    expect((await http.get('/auth/oidc/corp/callback?state=a&state=b&code=c')).status).toBe(400);
    expect((await http.get('/auth/oidc/corp/callback?error=access_denied&state=x')).status).toBe(400);
    const start = await browserAgent(api).get('/auth/oidc/corp/login').expect(302);
    const state = new URL(String(start.headers.location)).searchParams.get('state')!;
    const cookie = setCookies(start)
      .find((c) => c.startsWith('lms_oidc='))!
      .split(';')[0];
    const tampered = `${cookie.slice(0, -4)}AAAA`;
    const res = await request(api.app.getHttpServer()).get(`/auth/oidc/corp/callback?code=c&state=${state}`).set('cookie', tampered);
    expect(res.status).toBe(400);
    // The same state cookie used for another provider is refused too.
    const other = await request(api.app.getHttpServer()).get(`/auth/oidc/strict/callback?code=c&state=${state}`).set('cookie', cookie);
    expect(other.status).toBe(400);
  });
});
