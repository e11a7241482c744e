/// <reference lib="dom" />
import type { Page } from 'puppeteer-core';
import { anOrgUnit, aUser, startApi, TestApi } from '@lms/testing';
import { InvitationService, type OrgUnit } from '@lms/identity';
import { latestLink } from '../identity/account-fixtures.js';
import { clickAndWait, closeBrowsers, expectAccessible, fillSignIn, launchBrowser, listenLocally, PHONE, signIn } from '../support/browser.js';
import type { LaunchedBrowser } from '../support/browser.js';

const PASSWORD = 'tiha-reka-nosi-7-oblaka';

describe('account pages in a real browser: accessible, the strength meter enhances the invitation form', () => {
  let api: TestApi;
  let base: string;
  let unit: OrgUnit;
  let launched: LaunchedBrowser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    api = await startApi({ env: { MFA_REQUIRED_ROLES: 'admin' } });
    base = await listenLocally(api);
    unit = await anOrgUnit(api.dataSource);
    launched = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await closeBrowsers(launched);
    await api?.close();
  });

  async function phone(): Promise<Page> {
    const context = await launched.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(PHONE);
    page.on('pageerror', (e: unknown) => pageErrors.push(`${page.url()}: ${e instanceof Error ? e.message : String(e)}`));
    return page;
  }

  it('invitation: the meter follows the typing, the form sets the password, sign-in follows; every page passes axe', async () => {
    const person = await aUser(api.dataSource, { orgUnit: unit, displayName: 'Dragana Perić' });
    const admin = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'admin' }] });
    await api.app.get(InvitationService).resend({ userId: admin.id, email: admin.email, orgUnitId: unit.id, grants: [{ role: 'admin', scopeOrgUnitId: null }] }, person.id);
    const secret = await latestLink(api, person.id);
    const page = await phone();
    await page.goto(`${base}/invitations/${secret}`, { waitUntil: 'load' });
    await page.waitForSelector('meter');
    await expectAccessible(page, 'invitation');
    const field = page.locator('::-p-aria(New password)');
    await field.fill('short');
    expect(await page.$eval('meter', (m) => (m as HTMLMeterElement).value)).toBe(0);
    await field.fill('aaaaaaaaaaaa1');
    const weak = await page.$eval('meter', (m) => (m as HTMLMeterElement).value);
    await field.fill('zelena-šuma-Dunav-7-puta-noću');
    const strong = await page.$eval('meter', (m) => (m as HTMLMeterElement).value);
    expect(weak).toBeLessThan(strong);
    expect(strong).toBeGreaterThanOrEqual(3);
    expect(await page.$eval('meter + .hint', (e) => e.textContent)).toMatch(/^Password strength: (Good|Strong)$/);
    await clickAndWait(page, '::-p-aria(Save password[role="button"])');
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/sign-in?passwordSet=1');
    await fillSignIn(page, person.email, 'zelena-šuma-Dunav-7-puta-noću');
    expect(new URL(page.url()).pathname).toBe('/');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('the reset request page, a forged link and the MFA enrolment page pass axe', async () => {
    const page = await phone();
    await page.goto(`${base}/password-reset`, { waitUntil: 'load' });
    await expectAccessible(page, 'password-reset');
    await page.goto(`${base}/invitations/${'B'.repeat(43)}`, { waitUntil: 'load' });
    await expectAccessible(page, 'link-invalid');
    const admin = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'admin' }], password: PASSWORD });
    await signIn(page, base, admin.email, PASSWORD);
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('Set up two-step verification');
    await expectAccessible(page, 'mfa-enrol');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
