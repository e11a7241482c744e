/// <reference lib="dom" />
import { OrgUnit } from '@lms/identity';
import { aUser, startApi, TestApi } from '@lms/testing';
import { clickAndWait, closeBrowsers, expectAccessible, launchBrowser, listenLocally, mainText, PHONE, screenshot, signIn } from '../support/browser.js';
import type { LaunchedBrowser } from '../support/browser.js';

const PASSWORD = 'directory-in-skopje-7';

describe('hub: the people directory page (Chromium, axe, phone, no JavaScript needed)', () => {
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

  it('joins only with the box ticked, lists the member, and leaving deletes the profile at once', async () => {
    const root = await api.dataSource.getRepository(OrgUnit).findOneByOrFail({ code: 'ROOT' });
    const person = await aUser(api.dataSource, { orgUnit: root, password: PASSWORD, displayName: 'Elena Petrovska', locale: 'en' });
    const launched = await launchBrowser();
    browsers.push(launched);
    const page = await launched.browser.newPage();
    await page.setViewport(PHONE);
    await page.setExtraHTTPHeaders({ 'Accept-Language': 'en' });
    await signIn(page, base, person.email, PASSWORD);

    await page.goto(`${base}/directory`, { waitUntil: 'load' });
    await expectAccessible(page, 'join form');
    const text = (): Promise<string> => mainText(page);
    expect(await text()).toContain('Join the directory');
    // Not a member yet: no list of people.
    expect(await page.evaluate(() => document.getElementById('people-title') === null)).toBe(true);

    // Without the box ticked: an error, nothing stored.
    await page.locator('::-p-aria(Expertise[role="textbox"])').fill('open data, procurement');
    await clickAndWait(page, '::-p-aria(Join the directory[role="button"])');
    expect(await text()).toContain('Tick the box to agree to be listed');
    await expectAccessible(page, 'join form with an error');
    const none = (await api.dataSource.query(`SELECT 1 FROM directory_profile WHERE user_id = $1`, [person.id])) as unknown[];
    expect(none).toHaveLength(0);

    await page.locator('::-p-aria(Languages)').fill('mk, en');
    await page.locator('::-p-aria([role="checkbox"])').click();
    await clickAndWait(page, '::-p-aria(Join the directory[role="button"])');
    expect(await text()).toContain('Your profile is saved.');
    expect(await text()).toContain('Elena Petrovska');
    expect(await text()).toContain('procurement');
    expect(await text()).not.toContain(person.email);
    await expectAccessible(page, 'member view');
    await screenshot(page, 'hub-directory-member-en');

    // Another member asks for contact; Elena sees the request without any address, accepts, and
    // only then sees the e-mail address.
    const other = await aUser(api.dataSource, { orgUnit: root, displayName: 'Jovan Jovanović' });
    await api.dataSource.query(
      `INSERT INTO directory_profile (user_id, display_name, consent_version, consented_at) VALUES ($1, 'Jovan Jovanović', '2026-12-1', now())`,
      [other.id],
    );
    await api.dataSource.query(
      `INSERT INTO directory_contact_request (from_user_id, to_user_id, message) VALUES ($1, $2, 'Open data in Skopje?')`,
      [other.id, person.id],
    );
    await page.reload({ waitUntil: 'load' });
    expect(await text()).toContain('Jovan Jovanović would like to be in contact.');
    expect(await text()).not.toContain(other.email);
    await expectAccessible(page, 'an incoming request');
    await clickAndWait(page, '::-p-aria(Accept Jovan Jovanović)');
    expect(await text()).toContain('You are in contact now');
    expect(await text()).toContain(other.email);
    await expectAccessible(page, 'an accepted request');
    await screenshot(page, 'hub-directory-contact-en');

    await clickAndWait(page, '::-p-aria(Leave the directory and delete my profile)');
    expect(await text()).toContain('You are no longer in the directory.');
    const gone = (await api.dataSource.query(`SELECT 1 FROM directory_profile WHERE user_id = $1`, [person.id])) as unknown[];
    expect(gone).toHaveLength(0);
  }, 90_000);
});
