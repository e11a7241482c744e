/// <reference lib="dom" />
import type { User } from '@lms/identity';
import { anOrgUnit, aUser, startApi, TestApi, tokenFor, uniq } from '@lms/testing';
import { clickAndWait, closeBrowsers, expectAccessible, launchBrowser, listenLocally, mainText, PHONE, signIn } from '../support/browser.js';
import type { LaunchedBrowser } from '../support/browser.js';
import { threeSessions } from '../events/events-fixtures.js';

const PASSWORD = 'follow-up-across-borders-3';

/**
 * The follow-up group space (docs/hub.md, item 6) in Chromium on a phone: a participant of a Serbian
 * ministry starts a group from her commitment on the event page, invites a participant from
 * Montenegro, adds a milestone (an empty one is refused with an error summary), and the invitee
 * accepts and marks it done — the forms with JavaScript off. axe on every state.
 */
describe('hub: the follow-up group page (Chromium, axe, phone, no JavaScript needed)', () => {
  let api: TestApi;
  let base: string;
  const browsers: LaunchedBrowser[] = [];

  beforeAll(async () => {
    api = await startApi();
    base = await listenLocally(api);
  }, 120_000);

  afterAll(async () => {
    await closeBrowsers(...browsers);
    await api?.close();
  });

  async function institution(country: string, name: string) {
    const root = await anOrgUnit(api.dataSource, { kind: 'institution', code: uniq(`FB${country}`).toUpperCase(), name });
    await api.dataSource.query(`INSERT INTO institution (root_org_unit_id, country, names) VALUES ($1, $2, $3::jsonb)`, [root.id, country, JSON.stringify({ en: name })]);
    return root;
  }

  it('starts a group from a commitment, invites across the border, adds and marks a milestone', async () => {
    const rs = await institution('RS', 'Ministry of Public Administration');
    const me = await institution('ME', 'Human Resources Authority');
    const organiser = await aUser(api.dataSource, { orgUnit: rs, roles: [{ role: 'hr', scope: rs }] });
    const ana: User = await aUser(api.dataSource, { orgUnit: rs, password: PASSWORD, displayName: 'Ana Marković', locale: 'en' });
    const marko: User = await aUser(api.dataSource, { orgUnit: me, password: PASSWORD, displayName: 'Marko Vuković', locale: 'en' });
    const bearer = async (u: User) => `Bearer ${await tokenFor(api.config, u, 3600)}`;
    const ev = await api.http
      .post('/api/v1/events')
      .set('authorization', await bearer(organiser))
      .send({ title: 'Regional workshop on e-services', ownerOrgUnitId: rs.id, capacity: 10, sessions: threeSessions(new Date(), 10).slice(0, 1) })
      .expect(201);
    const eventId = ev.body.id as string;
    for (const u of [ana, marko]) await api.http.post(`/api/v1/events/${eventId}/registrations`).set('authorization', await bearer(u)).send({}).expect(201);
    await api.http
      .post(`/api/v1/events/${eventId}/commitments`)
      .set('authorization', await bearer(ana))
      .send({ action: 'Publish one shared e-service checklist', dueOn: '2027-09-30' })
      .expect(201);

    const launched = await launchBrowser();
    browsers.push(launched);
    const ctxA = await launched.browser.createBrowserContext();
    const page = await ctxA.newPage();
    await page.setViewport(PHONE);
    await page.setExtraHTTPHeaders({ 'Accept-Language': 'en' });
    await signIn(page, base, ana.email, PASSWORD);
    await page.goto(`${base}/events/${eventId}`, { waitUntil: 'load' });
    await expectAccessible(page, 'event page with a commitment');

    await page.setJavaScriptEnabled(false);
    await page.reload({ waitUntil: 'load' });
    await page.click('details summary::-p-text(start a follow-up group)');
    await page.type('::-p-aria(Name of the group)', 'E-services across the border');
    await clickAndWait(page, '::-p-aria(Start the group[role="button"])', 'page');
    expect(page.url()).toMatch(/\/follow-up\/[0-9a-f-]{36}\?done=created$/);
    const groupPath = new URL(page.url()).pathname;
    let text = await mainText(page);
    expect(text).toContain('The group is started.');
    expect(text).toContain('Publish one shared e-service checklist');
    expect(text).toContain('Ana Marković – Ministry of Public Administration (RS)');

    // Invite the participant from Montenegro.
    await page.click('::-p-aria(Marko Vuković[role="checkbox"])');
    await clickAndWait(page, '::-p-aria(Send the invitations[role="button"])', 'page');
    text = await mainText(page);
    expect(text).toContain('The invitations are sent.');
    expect(text).toContain('Marko Vuković – Human Resources Authority (ME) Invited');

    // An empty milestone is refused with an error summary; then a real one.
    await clickAndWait(page, '::-p-aria(Add the milestone[role="button"])', 'page');
    text = await mainText(page);
    expect(text).toContain('Enter the milestone.');
    expect(text).toContain('Enter the due date as a valid date.');
    await page.setJavaScriptEnabled(true);
    await expectAccessible(page, 'milestone form with errors');
    await page.setJavaScriptEnabled(false);
    await page.type('::-p-aria(Milestone[role="textbox"])', 'Checklist drafted');
    await page.$eval('#dueOn', (el) => ((el as HTMLInputElement).value = '2027-06-30'));
    await clickAndWait(page, '::-p-aria(Add the milestone[role="button"])', 'page');
    text = await mainText(page);
    expect(text).toContain('The milestone is added.');
    expect(text).toContain('Checklist drafted');
    expect(text).toContain('Not done yet');
    await page.type('::-p-aria(Your update)', 'First draft shared with Podgorica.');
    await clickAndWait(page, '::-p-aria(Post the update[role="button"])', 'page');
    await expect(mainText(page)).resolves.toContain('First draft shared with Podgorica.');
    await page.setJavaScriptEnabled(true);
    await page.reload({ waitUntil: 'load' });
    await expectAccessible(page, 'group space of a member');
    await ctxA.close();

    // Marko accepts and marks the milestone done.
    const ctxM = await launched.browser.createBrowserContext();
    const mp = await ctxM.newPage();
    await mp.setViewport(PHONE);
    await mp.setExtraHTTPHeaders({ 'Accept-Language': 'en' });
    await signIn(mp, base, marko.email, PASSWORD);
    await mp.goto(`${base}/events`, { waitUntil: 'load' });
    await expect(mainText(mp)).resolves.toContain('My follow-up groups');
    await clickAndWait(mp, '::-p-aria(E-services across the border)', 'page');
    expect(new URL(mp.url()).pathname).toBe(groupPath);
    await expect(mainText(mp)).resolves.toContain('You are invited');
    await expectAccessible(mp, 'group space of an invitee');
    await mp.setJavaScriptEnabled(false);
    await clickAndWait(mp, '::-p-aria(Accept the invitation[role="button"])', 'page');
    await expect(mainText(mp)).resolves.toContain('Welcome to the group.');
    await clickAndWait(mp, '::-p-aria(Mark “Checklist drafted” as done[role="button"])', 'page');
    text = await mainText(mp);
    expect(text).toContain('The milestone is updated.');
    expect(text).toMatch(/Done marked by Marko Vuković on/);
    // Every milestone done: the joint commitment is kept.
    expect(text).toContain('Kept');
    await mp.setJavaScriptEnabled(true);
    await mp.reload({ waitUntil: 'load' });
    await expectAccessible(mp, 'a milestone done');
    await ctxM.close();

    // Someone who is not in the group does not learn it exists.
    const outsider = await aUser(api.dataSource, { orgUnit: me, password: PASSWORD, displayName: 'Outsider' });
    const ctxO = await launched.browser.createBrowserContext();
    const op = await ctxO.newPage();
    await op.setViewport(PHONE);
    await signIn(op, base, outsider.email, PASSWORD);
    const res = await op.goto(`${base}${groupPath}`, { waitUntil: 'load' });
    expect(res?.status()).toBe(404);
    await ctxO.close();
  });
});
