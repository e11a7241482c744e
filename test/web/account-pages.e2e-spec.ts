import { createHmac } from 'node:crypto';
import { anOrgUnit, aUser, startApi, TestApi, uniq } from '@lms/testing';
import { base32Decode, InvitationService, type OrgUnit } from '@lms/identity';
import { latestLink } from '../identity/account-fixtures.js';
import { browserAgent, formWithAction, hidden, signIn } from './web-support.js';

const PASSWORD = 'tiha-reka-nosi-7-oblaka';
const NEW_PASSWORD = 'jutarnja-kafa-na-tera5i';

function code(secretBase32: string, offsetSteps = 0): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + offsetSteps));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(msg).digest();
  return String((mac.readUInt32BE(mac[19] & 15) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

describe('account pages (no JavaScript): invitation, password reset, second sign-in step', () => {
  let api: TestApi;
  let unit: OrgUnit;
  beforeAll(async () => {
    api = await startApi({ env: { MFA_REQUIRED_ROLES: 'admin' } });
    unit = await anOrgUnit(api.dataSource);
  });
  afterAll(async () => {
    await api.close();
  });

  async function invited(locale: 'en' | 'sr-Latn' | 'sr-Cyrl' = 'en'): Promise<{ id: string; email: string; secret: string }> {
    const person = await aUser(api.dataSource, { orgUnit: unit, locale, displayName: 'Vesna Ilić' });
    const admin = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'admin' }] });
    await api.app.get(InvitationService).resend({ userId: admin.id, email: admin.email, orgUnitId: unit.id, grants: [{ role: 'admin', scopeOrgUnitId: null }] }, person.id);
    return { id: person.id, email: person.email, secret: await latestLink(api, person.id) };
  }

  it('the invitation page greets the person in their language, refuses a weak password in it, sets a good one and sends them to sign in', async () => {
    const p = await invited('sr-Latn');
    const agent = browserAgent(api);
    const page = await agent.get(`/invitations/${p.secret}`).expect(200);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('<html lang="sr-Latn">');
    expect(page.text).toContain('Dobro došli, Vesna Ilić.');
    expect(page.text).toContain('autocomplete="new-password"');
    expect(page.text).toContain('data-strength');
    const form = formWithAction(page.text, `/invitations/${p.secret}`);
    const weak = await agent.post(`/invitations/${p.secret}`).type('form').send({ _csrf: hidden(form, '_csrf'), password: 'lozinka' }).expect(400);
    expect(weak.text).toContain('Lozinka mora imati najmanje 12 znakova');
    const common = await agent.post(`/invitations/${p.secret}`).type('form').send({ _csrf: hidden(form, '_csrf'), password: 'passwordpassword' }).expect(400);
    expect(common.text).toContain('spiskovima čestih ili otkrivenih lozinki');
    const done = await agent.post(`/invitations/${p.secret}`).type('form').send({ _csrf: hidden(form, '_csrf'), password: NEW_PASSWORD }).expect(303);
    expect(done.headers.location).toBe('/sign-in?passwordSet=1');
    expect((await agent.get('/sign-in?passwordSet=1').expect(200)).text).toContain('Lozinka je sačuvana.');
    await signIn(agent, p.email, NEW_PASSWORD);
    // Used: the page says so, in the person's language, with a way to sign in.
    const used = await browserAgent(api).get(`/invitations/${p.secret}`).expect(410);
    expect(used.text).toContain('Ovaj link je već iskorišćen');
  });

  it('expired, replaced and forged invitation links say so clearly (Cyrillic for a Cyrillic reader); a post without the form token is refused', async () => {
    const p = await invited('sr-Cyrl');
    const replacedSecret = p.secret;
    const fresh = await invited('en');
    await api.dataSource.query(`UPDATE account_token SET expires_at = now() - interval '1 minute' WHERE user_id = $1`, [fresh.id]);
    const expired = await browserAgent(api).get(`/invitations/${fresh.secret}`).expect(410);
    expect(expired.text).toContain('This link has expired');
    expect(expired.text).toContain('contact your HR unit');
    const admin = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'admin' }] });
    await api.app.get(InvitationService).resend({ userId: admin.id, email: admin.email, orgUnitId: unit.id, grants: [{ role: 'admin', scopeOrgUnitId: null }] }, p.id);
    const replaced = await browserAgent(api).get(`/invitations/${replacedSecret}`).expect(410);
    expect(replaced.text).toContain('<html lang="sr-Cyrl">');
    expect(replaced.text).toContain('Послат је новији линк');
    const forged = await browserAgent(api).get(`/invitations/${'A'.repeat(43)}`).expect(400);
    expect(forged.text).toContain('This link does not work');
    await browserAgent(api).post(`/invitations/${fresh.secret}`).type('form').send({ password: NEW_PASSWORD }).expect(403);
  });

  it('forgot password: the sign-in page links to the request form, which answers alike for any address; the link sets a new password and ends other sessions', async () => {
    const person = await aUser(api.dataSource, { orgUnit: unit, password: PASSWORD });
    const other = browserAgent(api);
    await signIn(other, person.email, PASSWORD);
    await other.get('/').expect(200);
    const agent = browserAgent(api);
    expect((await agent.get('/sign-in').expect(200)).text).toContain('<a href="/password-reset">Forgot your password?</a>');
    const form = await agent.get('/password-reset').expect(200);
    const token = hidden(formWithAction(form.text, '/password-reset'), '_csrf');
    const known = await agent.post('/password-reset').type('form').send({ _csrf: token, email: person.email }).expect(200);
    const unknown = await agent.post('/password-reset').type('form').send({ _csrf: token, email: `${uniq('nobody')}@test.lms` }).expect(200);
    expect(known.text).toContain('Check your e-mail');
    expect(known.text.replace(person.email, 'X')).toBe(unknown.text.replace(/nobody[^@]*@test\.lms/, 'X'));
    await agent.post('/password-reset').type('form').send({ _csrf: token, email: '' }).expect(400);
    const secret = await latestLink(api, person.id);
    const page = await agent.get(`/password-reset/${secret}`).expect(200);
    expect(page.text).toContain('Choose a new password');
    const done = await agent
      .post(`/password-reset/${secret}`)
      .type('form')
      .send({ _csrf: hidden(formWithAction(page.text, `/password-reset/${secret}`), '_csrf'), password: NEW_PASSWORD })
      .expect(303);
    expect(done.headers.location).toBe('/sign-in?passwordChanged=1');
    // The other browser's session ended with the reset.
    const after = await other.get('/').expect(303);
    expect(after.headers.location).toMatch(/^\/sign-in/);
    await signIn(agent, person.email, NEW_PASSWORD);
    expect((await browserAgent(api).get(`/password-reset/${secret}`).expect(410)).text).toContain('This link has already been used');
    await api.dataSource.query(`UPDATE account_token SET used_at = NULL, expires_at = now() - interval '1 minute' WHERE user_id = $1`, [person.id]);
    expect((await browserAgent(api).get(`/password-reset/${secret}`).expect(410)).text).toContain('Ask for a new password-reset link');
  });

  it('an admin (MFA required) enrols at the first sign-in: QR code and key, a wrong code re-shows the same key, the right one shows ten recovery codes and signs in', async () => {
    const admin = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'admin' }], password: PASSWORD });
    const agent = browserAgent(api);
    const form = await agent.get('/sign-in').expect(200);
    const csrf = hidden(form.text, '_csrf');
    const enrol = await agent.post('/sign-in').type('form').send({ email: admin.email, password: PASSWORD, returnTo: '/', _csrf: csrf }).expect(200);
    expect(enrol.headers['set-cookie']?.toString() ?? '').not.toContain('lms_session=');
    expect(enrol.text).toContain('Set up two-step verification');
    expect(enrol.text).toContain('<svg');
    const key = /<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(enrol.text)![1].replace(/ /g, '');
    const enrolForm = formWithAction(enrol.text, '/sign-in/mfa/enrol');
    const mfaToken = hidden(enrolForm, 'mfaToken');
    const wrong = await agent.post('/sign-in/mfa/enrol').type('form').send({ _csrf: csrf, mfaToken, returnTo: '/', code: code(key, 5) }).expect(401);
    expect(wrong.text).toContain('The code is not correct');
    expect(wrong.text).toContain(key.replace(/(.{4})/g, '$1 ').trim());
    const done = await agent.post('/sign-in/mfa/enrol').type('form').send({ _csrf: csrf, mfaToken, returnTo: '/', code: code(key) }).expect(200);
    expect(done.text).toContain('Save your recovery codes');
    expect(done.text.match(/<li><code>[0-9a-z]{5}-[0-9a-z]{5}<\/code><\/li>/g)).toHaveLength(10);
    expect(done.headers['set-cookie']?.toString()).toContain('lms_session=');
    await agent.get('/').expect(200);

    // Next time: the second step.
    const again = browserAgent(api);
    const f2 = await again.get('/sign-in').expect(200);
    const csrf2 = hidden(f2.text, '_csrf');
    const step = await again.post('/sign-in').type('form').send({ email: admin.email, password: PASSWORD, returnTo: '/certificates', _csrf: csrf2 }).expect(200);
    expect(step.text).toContain('Two-step verification');
    expect(step.text).toContain('autocomplete="one-time-code"');
    const stepToken = hidden(formWithAction(step.text, '/sign-in/mfa'), 'mfaToken');
    await again.post('/sign-in/mfa').type('form').send({ _csrf: csrf2, mfaToken: stepToken, returnTo: '/certificates' }).expect(400);
    await again.post('/sign-in/mfa').type('form').send({ mfaToken: stepToken, returnTo: '/certificates', code: code(key, 1) }).expect(403);
    const expired = await again.post('/sign-in/mfa').type('form').send({ _csrf: csrf2, mfaToken: 'forged', returnTo: '/', code: code(key, 1) }).expect(401);
    expect(expired.text).toContain('The sign-in took too long');
    const ok = await again.post('/sign-in/mfa').type('form').send({ _csrf: csrf2, mfaToken: stepToken, returnTo: '/certificates', code: code(key, 1) }).expect(303);
    expect(ok.headers.location).toBe('/certificates');
    const replay = await browserAgent(api).post('/sign-in/mfa').set('cookie', `lms_form=${csrf2}`).type('form').send({ _csrf: csrf2, mfaToken: stepToken, returnTo: '/', code: code(key, 1) }).expect(400);
    expect(replay.text).toContain('This code was already used');
  });
});
