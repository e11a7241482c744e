/// <reference lib="dom" />
import type { Page } from 'puppeteer-core';
import { OrgUnit } from '@lms/identity';
import { aUser, startApi, TestApi } from '@lms/testing';
import { axe, launchBrowser, removeProfile } from '../support/browser.js';
import type { LaunchedBrowser } from '../support/browser.js';

const PASSWORD = 'directory-in-skopje-7';
const PHONE = { width: 360, height: 640, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
/** Screenshots land here when SCREENSHOTS_DIR is set (docs/screenshots is made that way). */
const SHOTS = process.env.SCREENSHOTS_DIR;

async function clickAndWait(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator(selector).click()]);
}

async function noViolations(page: Page, what: string): Promise<void> {
  const violations = await axe(page);
  expect({ what, violations }).toEqual({ what, violations: [] });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect({ what, overflow }).toEqual({ what, overflow: 0 });
}

describe('hub: the people directory page (Chromium, axe, phone, no JavaScript needed)', () => {
  let api: TestApi;
  let base: string;
  const browsers: LaunchedBrowser[] = [];

  beforeAll(async () => {
    api = await startApi();
    await api.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(api.app.getHttpServer().address() as { port: number }).port}`;
  }, 120_000);

  afterAll(async () => {
    for (const b of browsers) {
      await b.close();
      removeProfile(b.userDataDir);
    }
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
    await page.goto(`${base}/sign-in`, { waitUntil: 'load' });
    await page.locator('::-p-aria(E-mail address)').fill(person.email);
    await page.locator('::-p-aria(Password)').fill(PASSWORD);
    await clickAndWait(page, '::-p-aria(Sign in[role="button"])');

    await page.goto(`${base}/directory`, { waitUntil: 'load' });
    await noViolations(page, 'join form');
    const text = async () => page.evaluate(() => document.querySelector('main')?.textContent?.replace(/\s+/g, ' ') ?? '');
    expect(await text()).toContain('Join the directory');
    // Not a member yet: no list of people.
    expect(await page.evaluate(() => document.getElementById('people-title') === null)).toBe(true);

    // Without the box ticked: an error, nothing stored.
    await page.locator('::-p-aria(Expertise[role="textbox"])').fill('open data, procurement');
    await clickAndWait(page, '::-p-aria(Join the directory[role="button"])');
    expect(await text()).toContain('Tick the box to agree to be listed');
    await noViolations(page, 'join form with an error');
    const none = (await api.dataSource.query(`SELECT 1 FROM directory_profile WHERE user_id = $1`, [person.id])) as unknown[];
    expect(none).toHaveLength(0);

    await page.locator('::-p-aria(Languages)').fill('mk, en');
    await page.locator('::-p-aria([role="checkbox"])').click();
    await clickAndWait(page, '::-p-aria(Join the directory[role="button"])');
    expect(await text()).toContain('Your profile is saved.');
    expect(await text()).toContain('Elena Petrovska');
    expect(await text()).toContain('procurement');
    expect(await text()).not.toContain(person.email);
    await noViolations(page, 'member view');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/hub-directory-member-en.png`, fullPage: true });

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
    await noViolations(page, 'an incoming request');
    await clickAndWait(page, '::-p-aria(Accept Jovan Jovanović)');
    expect(await text()).toContain('You are in contact now');
    expect(await text()).toContain(other.email);
    await noViolations(page, 'an accepted request');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/hub-directory-contact-en.png`, fullPage: true });

    await clickAndWait(page, '::-p-aria(Leave the directory and delete my profile)');
    expect(await text()).toContain('You are no longer in the directory.');
    const gone = (await api.dataSource.query(`SELECT 1 FROM directory_profile WHERE user_id = $1`, [person.id])) as unknown[];
    expect(gone).toHaveLength(0);
  }, 90_000);
});
