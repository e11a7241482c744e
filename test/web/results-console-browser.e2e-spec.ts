/// <reference lib="dom" />
import type { Page } from 'puppeteer-core';
import type { OrgUnit, User } from '@lms/identity';
import { aUser, anOrgUnit, startApi, TestApi } from '@lms/testing';
import { aCompletedEnrolment } from '../credentials/support.js';
import { clickAndWait, closeBrowsers, expectAccessible, launchBrowser, listenLocally, mainText, phone, signIn } from '../support/browser.js';
import type { LaunchedBrowser } from '../support/browser.js';

const PASSWORD = 'results-in-a-real-browser-3';
const PHONE = phone(360, 720);

/** axe runs in the page: JavaScript on for the check only, then off again (the page is tested without it). */
async function accessible(page: Page, label: string): Promise<void> {
  await page.setJavaScriptEnabled(true);
  await expectAccessible(page, label);
  await page.setJavaScriptEnabled(false);
}

/** Picks the option with this visible text in the select with this accessible name (works with JavaScript off). */
async function choose(page: Page, label: string, optionText: string): Promise<void> {
  const select = await page.$(`::-p-aria(${label}[role="combobox"])`);
  if (!select) throw new Error(`no select named ${label}`);
  const value = await select.$$eval('option', (options, text) => options.find((o) => o.textContent?.trim() === text)?.value, optionText);
  if (value === undefined) throw new Error(`no option ${optionText} in ${label}`);
  await select.evaluate((el, v) => ((el as HTMLSelectElement).value = v), value);
}

describe('results per person in the HR console (Chromium, phone, JavaScript off): filters, scores, CSV', () => {
  let api: TestApi;
  let base: string;
  let ministry: OrgUnit;
  let dept: OrgUnit;
  let hr: User;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    api = await startApi();
    base = await listenLocally(api);
    ministry = await anOrgUnit(api.dataSource, { name: 'Ministarstvo pravde' });
    dept = await anOrgUnit(api.dataSource, { parent: ministry, name: 'Sektor za pravosuđe' });
    const office = await anOrgUnit(api.dataSource, { parent: ministry, name: 'Kabinet' });
    const outside = await anOrgUnit(api.dataSource, { name: 'Drugi organ' });
    hr = await aUser(api.dataSource, { orgUnit: ministry, password: PASSWORD, displayName: 'Vesna Kadrovska', roles: [{ role: 'hr', scope: ministry }] });
    const ana = await aUser(api.dataSource, { orgUnit: dept, displayName: 'Ana Anić' });
    const boris = await aUser(api.dataSource, { orgUnit: office, displayName: 'Boris Borić' });
    const stranger = await aUser(api.dataSource, { orgUnit: outside, displayName: 'Ceca Spolja' });
    // Ana completed with a packaged score and a passed native quiz; Boris is half-way; a person outside HR's scope also completed.
    const done = await aCompletedEnrolment(api.dataSource, { user: ana, completedAt: new Date('2026-03-14T10:00:00Z') });
    await api.dataSource.query(`UPDATE enrolment SET package_score = 87, package_passed = true WHERE id = $1`, [done.enrolmentId]);
    await api.dataSource.query(
      `INSERT INTO quiz_attempt (enrolment_id, attempt_no, attempts_allowed, answers, score, passed, client_key) VALUES ($1, 1, 3, '{}', 92, true, 'results-browser-1')`,
      [done.enrolmentId],
    );
    await aCompletedEnrolment(api.dataSource, { user: boris, status: 'in_progress' });
    await aCompletedEnrolment(api.dataSource, { user: stranger });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await closeBrowsers(browser);
    await api?.close();
  });

  it('HR opens the results from the reports page, filters by unit and status, sees the scores, and downloads the same rows as CSV', async () => {
    const context = await browser.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(PHONE);
    await signIn(page, base, hr.email, PASSWORD);
    await page.setJavaScriptEnabled(false);
    await page.goto(`${base}/console/hr/reports`, { waitUntil: 'load' });
    const open = 'main a[href^="/console/hr/reports/results"]';
    await expect(page.$eval(open, (a) => (a as HTMLElement).textContent)).resolves.toBe('Open: Results per person');
    await clickAndWait(page, open, 'page');
    await expect(page.$eval('h1', (h) => h.textContent)).resolves.toBe('Results per person');
    await accessible(page, 'results report');
    const everyone = await mainText(page);
    expect(everyone).toContain('2 results.');
    expect(everyone).toContain('Ana Anić');
    expect(everyone).toContain('Boris Borić');
    expect(everyone).not.toContain('Ceca Spolja');

    await choose(page, 'Unit', 'Sektor za pravosuđe');
    await choose(page, 'Status', 'Completed');
    await clickAndWait(page, '::-p-aria(Filter[role="button"])', 'page');
    const url = new URL(page.url());
    expect(url.pathname).toBe('/console/hr/reports/results');
    expect(url.searchParams.get('unit')).toBe(dept.id);
    expect(url.searchParams.get('status')).toBe('completed');
    await accessible(page, 'results report filtered');
    const filtered = await mainText(page);
    expect(filtered).toContain('1 result.');
    expect(filtered).not.toContain('Boris Borić');
    const row = await page.$eval('::-p-aria(Results per person[role="table"]) tbody tr', (tr) =>
      [...tr.querySelectorAll('th, td')].map((c) => (c as HTMLElement).innerText.replace(/\s+/g, ' ').trim()),
    );
    expect(row[0]).toBe('Ana Anić Sektor za pravosuđe');
    expect(row[2]).toBe('Completed');
    expect(row[3]).toBe('100%');
    expect(row[4]).toBe('14 March 2026');
    expect(row[5]).toBe('87% passed');
    expect(row[6]).toBe('92% passed');

    // The CSV link carries the same filters; over HTTP with the session cookie it is the same one row, as CSV.
    const href = await page.$eval('::-p-aria(Download CSV[role="link"])', (a) => (a as HTMLAnchorElement).getAttribute('href'));
    const csvUrl = new URL(href ?? '', base);
    expect(csvUrl.pathname).toBe('/api/v1/reports/results');
    expect(Object.fromEntries(csvUrl.searchParams)).toEqual({ format: 'csv', orgUnitId: dept.id, status: 'completed' });
    const cookies = await page.cookies();
    const res = await fetch(csvUrl, { headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="?results-report/);
    const lines = (await res.text()).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('Ana Anić');
    expect(lines[1]).toContain(',87,');
    expect(lines[1]).toContain(',92,');

    // In Serbian Cyrillic the course is named in the reader's script, as the version has it.
    await api.dataSource.query(`UPDATE app_user SET locale = 'sr-Cyrl' WHERE id = $1`, [hr.id]);
    await page.reload({ waitUntil: 'load' });
    const cyrillic = await page.$eval('main table tbody tr', (tr) => (tr.querySelectorAll('td')[0] as HTMLElement).innerText.trim());
    expect(cyrillic).toBe('Вештачка интелигенција у јавној управи');
    await context.close();
  }, 90_000);

  it('an unknown course in the address is the 404 page, not an error', async () => {
    const context = await browser.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(PHONE);
    await signIn(page, base, hr.email, PASSWORD);
    await page.setJavaScriptEnabled(false);
    const res = await page.goto(`${base}/console/hr/reports/results?course=no-such-course`, { waitUntil: 'load' });
    expect(res?.status()).toBe(404);
    await context.close();
  }, 90_000);
});
