/// <reference lib="dom" />
import { anOrgUnit, aUser, startApi, TestApi } from '@lms/testing';
import { axe, freePort, launchBrowser, removeProfile } from '../support/browser.js';
import type { LaunchedBrowser } from '../support/browser.js';
import { startOidcProvider } from '../identity/federation-support.js';
import type { TestIdp } from '../identity/federation-support.js';

/**
 * A real browser (Chromium) signs in through an OpenID Connect provider: the button on the sign-in
 * page (accessible at 320 px), the provider's own login page, and back to My learning with the web
 * session cookie.
 */
describe('federated sign-in in a browser', () => {
  let idp: TestIdp;
  let api: TestApi;
  let base: string;
  let launched: LaunchedBrowser | undefined;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    idp = await startOidcProvider([`${base}/auth/oidc/corp/callback`]);
    api = await startApi({
      env: {
        PUBLIC_URL: base,
        OIDC_PROVIDERS: JSON.stringify([
          { key: 'corp', name: 'Corporate ID', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret },
        ]),
      },
    });
    await api.app.listen(port, '127.0.0.1');
  }, 120_000);

  afterAll(async () => {
    if (launched) {
      await launched.close();
      removeProfile(launched.userDataDir);
    }
    await api?.close();
    await idp?.close();
  });

  it('sign-in page with a provider button: no axe violation at 320 px; the button leads through the provider to My learning', async () => {
    const unit = await anOrgUnit(api.dataSource);
    const person = await aUser(api.dataSource, { orgUnit: unit, displayName: 'Vesna Browser' });
    idp.accounts.set('sub-browser', { email: person.email, email_verified: true });
    launched = await launchBrowser();
    const page = await launched.browser.newPage();
    await page.setViewport({ width: 320, height: 640, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
    await page.goto(`${base}/sign-in`);
    expect(await axe(page)).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);

    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('::-p-aria(Sign in with Corporate ID)').click()]);
    expect(page.url().startsWith(idp.issuer)).toBe(true);
    await page.locator('input[name="login"]').fill('sub-browser');
    await page.locator('input[name="password"]').fill('any');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('button[type="submit"]')]);
    expect(page.url()).toBe(`${base}/`);
    const heading = await page.$eval('h1', (h) => h.textContent);
    expect(heading).toBe('My learning');
    expect(await page.content()).toContain('Vesna Browser');
    const cookies = await page.cookies(base);
    expect(cookies.find((c) => c.name === 'lms_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  }, 120_000);
});
