/// <reference lib="dom" />
import { createServer } from 'node:net';
import { IssuerKeys } from '@lms/credentials';
import { OrgUnit } from '@lms/identity';
import type { User } from '@lms/identity';
import { aUser, anOrgUnit, startApi, TestApi, tokenFor, uniq } from '@lms/testing';
import { aCoursePackage } from '../security/world.js';
import { clickAndWait, closeBrowsers, expectAccessible, launchBrowser, listenLocally, mainText, PHONE } from '../support/browser.js';
import type { LaunchedBrowser } from '../support/browser.js';
import type { Page } from 'puppeteer-core';
import { bearer, INSTITUTIONS } from '../hub/hub-fixtures.js';

const PASSWORD = 'hub-console-on-a-phone-5';
const PEER_URL = 'https://lms.example.me';
const PEER_THUMBPRINT = 'Q'.repeat(43);

/** With JavaScript off no page script runs (puppeteer's locators need one): plain typing and clicking, found by accessible name. */
function aria(label: string): string {
  // A name with parentheses or a colon is quoted, so the selector's own parentheses stay unambiguous.
  return /[():]/.test(label) && !label.includes('[') ? `::-p-aria(${JSON.stringify(label)})` : `::-p-aria(${label})`;
}

async function fill(page: Page, label: string, text: string): Promise<void> {
  const field = await page.$(aria(label));
  expect({ label, found: field !== null }).toEqual({ label, found: true });
  await field!.evaluate((el) => {
    (el as HTMLInputElement).value = '';
  });
  if (text) await field!.type(text);
}

/**
 * axe runs as a script: switched on for the check only, over the page as it loaded without
 * JavaScript (the page's own script did not run), then off again for the next form.
 */
async function accessible(page: Page, label: string, shot?: string): Promise<void> {
  await page.setJavaScriptEnabled(true);
  await expectAccessible(page, label, shot);
  await page.setJavaScriptEnabled(false);
}

async function press(page: Page, label: string): Promise<void> {
  await clickAndWait(page, aria(label), 'page');
}

/**
 * The hub's console pages (docs/hub.md, "Console pages"), on a phone, with JavaScript off: the
 * instance admin adds and changes an institution and reads the trusted peers; an author of one
 * institution shares a course with it under a licence; an author of the other adapts it, is told
 * when the original publishes a new version, reads the diff and merges it. Every page axe-clean.
 */
describe('console: institutions, federation peers, sharing and adapting courses (Chromium, axe, phone, no JavaScript)', () => {
  let api: TestApi;
  let base: string;
  let browser: LaunchedBrowser;
  let admin: User;
  let rsAuthor: User;
  let rsAuthorToken: string;
  let meRootCode: string;
  let meSchool: OrgUnit;
  let rsSchool: OrgUnit;
  let upstream: string;
  let pkg: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a package reshaped here
  const fork = uniq('nabavke-me').toLowerCase();

  beforeAll(async () => {
    api = await startApi({ env: { FEDERATION_PEERS: JSON.stringify([{ url: PEER_URL, keyThumbprint: PEER_THUMBPRINT }]) } });
    base = await listenLocally(api);
    const root = await api.dataSource.getRepository(OrgUnit).findOneByOrFail({ code: 'ROOT' });
    admin = await aUser(api.dataSource, { orgUnit: root, password: PASSWORD, roles: [{ role: 'admin' }] });
    const adminAuth = bearer(await tokenFor(api.config, admin));
    const rs = await api.http
      .post(INSTITUTIONS)
      .set(adminAuth)
      .send({ code: uniq('NAPA').toUpperCase(), country: 'RS', names: { en: 'National Academy of Public Administration', 'sr-Latn': 'Nacionalna akademija za javnu upravu' } })
      .expect(201);
    const rsRoot = await api.dataSource.getRepository(OrgUnit).findOneByOrFail({ id: rs.body.rootOrgUnitId });
    rsSchool = await anOrgUnit(api.dataSource, { parent: rsRoot, kind: 'school', code: uniq('RSS').toUpperCase() });
    rsAuthor = await aUser(api.dataSource, { orgUnit: rsSchool, password: PASSWORD, roles: [{ role: 'author', scope: rsSchool }] });
    rsAuthorToken = await tokenFor(api.config, rsAuthor);
    upstream = uniq('nabavke').toLowerCase();
    pkg = aCoursePackage(upstream, rsSchool.code);
    pkg.course.title = { en: 'Public procurement basics' };
    pkg.lessons = [{ slug: 'one', title: { en: 'The law' }, minutes: 10, body: { en: '## The law\n\nArticle 1 applies.' } }];
    await api.http.post('/api/v1/courses').set(bearer(rsAuthorToken)).send(pkg).expect(201);
    await api.http.post(`/api/v1/courses/${upstream}/publish`).set(bearer(rsAuthorToken)).send({}).expect(201);
    meRootCode = uniq('UZK').toUpperCase();
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await closeBrowsers(browser);
    await api?.close();
  });

  async function phonePage(email: string) {
    const context = await browser.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(PHONE);
    await page.setJavaScriptEnabled(false);
    await page.setExtraHTTPHeaders({ 'Accept-Language': 'en' });
    await page.goto(`${base}/sign-in`, { waitUntil: 'load' });
    await fill(page, 'E-mail address', email);
    await fill(page, 'Password', PASSWORD);
    await press(page, 'Sign in[role="button"]');
    return { context, page };
  }

  it('the instance admin adds an institution (a bad country first), changes it, and reads the trusted peers', async () => {
    const { context, page } = await phonePage(admin.email);
    await page.goto(`${base}/console`, { waitUntil: 'load' });
    await press(page, 'Institutions[role="link"]');
    expect(page.url()).toBe(`${base}/console/admin/institutions`);
    expect(await mainText(page)).toContain('Institutions of the hub');
    await accessible(page, 'institutions list', 'console-hub-institutions');

    await fill(page, 'Code[role="textbox"]', meRootCode);
    await fill(page, 'Name in English', 'Human Resources Administration');
    await fill(page, 'Name in Македонски', 'Управа за човечки ресурси');
    await fill(page, 'Country[role="textbox"]', 'XX');
    const refused = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('::-p-aria(Add the institution)')]);
    expect(refused[0]?.status()).toBe(400);
    const error = await mainText(page);
    expect(error).toContain('Enter a two-letter country code that exists, in capitals');
    expect(await page.title()).toMatch(/^There is a problem: /);
    // What was typed is kept.
    expect(await page.$eval('#code', (el) => (el as HTMLInputElement).value)).toBe(meRootCode);
    await accessible(page, 'institution form with an error', 'console-hub-institution-error');

    await fill(page, 'Country[role="textbox"]', 'ME');
    await press(page, 'Add the institution');
    expect(page.url()).toBe(`${base}/console/admin/institutions?saved=1`);
    expect(await mainText(page)).toContain('The institution was saved.');
    const [row] = (await api.dataSource.query(`SELECT i.id, i.country, i.names FROM institution i JOIN org_unit o ON o.id = i.root_org_unit_id WHERE o.code = $1`, [meRootCode])) as Array<{
      id: string;
      country: string;
      names: Record<string, string>;
    }>;
    expect(row).toMatchObject({ country: 'ME', names: { en: 'Human Resources Administration', mk: 'Управа за човечки ресурси' } });

    await press(page, 'Human Resources Administration[role="link"]');
    expect(page.url()).toBe(`${base}/console/admin/institutions/${row.id}`);
    await accessible(page, 'institution edit', 'console-hub-institution-edit');
    await fill(page, 'Certificates are issued under (optional)', 'Uprava za kadrove Crne Gore');
    await fill(page, 'Logo address (optional)', 'http://insecure.example/logo.png');
    await press(page, 'Save the institution');
    expect(await mainText(page)).toContain('Enter an image address beginning with https://, or leave it empty');
    await accessible(page, 'institution edit with an error');
    await fill(page, 'Logo address (optional)', '');
    await press(page, 'Save the institution');
    expect(page.url()).toBe(`${base}/console/admin/institutions?saved=1`);
    const [after] = (await api.dataSource.query(`SELECT issuer_name FROM institution WHERE id = $1`, [row.id])) as Array<{ issuer_name: string }>;
    expect(after.issuer_name).toBe('Uprava za kadrove Crne Gore');
    const audit = (await api.dataSource.query(`SELECT action FROM audit_event WHERE subject_id = $1 ORDER BY at, action`, [row.id])) as Array<{ action: string }>;
    expect(audit.map((a) => a.action)).toEqual(['institution.created', 'institution.updated']);

    await press(page, 'Federation[role="link"]');
    expect(page.url()).toBe(`${base}/console/admin/federation`);
    const peers = await mainText(page);
    expect(peers).toContain(PEER_URL);
    expect(peers).toContain(PEER_THUMBPRINT);
    expect(peers).toContain('1 trusted instance');
    await accessible(page, 'federation peers', 'console-hub-federation');
    // The configured peer does not exist: its catalog cannot be read, and the page says so (502, not an error page).
    const unread = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(aria(`Read its catalog ${PEER_URL}`))]);
    expect(unread[0]?.status()).toBe(502);
    expect(page.url()).toBe(`${base}/console/admin/federation/catalog?url=${encodeURIComponent(PEER_URL)}`);
    expect(await mainText(page)).toContain('The catalog of this instance could not be read now. Try again later.');
    await accessible(page, 'peer catalog unavailable');
    await context.close();

    // The Montenegrin institution's school and author, for the next steps.
    const meRoot = await api.dataSource.getRepository(OrgUnit).findOneByOrFail({ code: meRootCode });
    meSchool = await anOrgUnit(api.dataSource, { parent: meRoot, kind: 'school', code: uniq('MES').toUpperCase() });
  }, 120_000);

  it('an author shares a course with the new institution under a licence (nobody chosen first)', async () => {
    const { context, page } = await phonePage(rsAuthor.email);
    await page.goto(`${base}/console/author`, { waitUntil: 'load' });
    await press(page, 'Sharing and licence : Public procurement basics');
    expect(page.url()).toBe(`${base}/console/author/courses/${upstream}/sharing`);
    await accessible(page, 'sharing form', 'console-hub-sharing');

    await page.click('::-p-aria(My institution and the institutions or countries chosen below)');
    const refused = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('::-p-aria(Save the sharing settings)')]);
    expect(refused[0]?.status()).toBe(400);
    expect(await mainText(page)).toContain('Choose at least one institution or country to share with');
    await accessible(page, 'sharing form with an error');

    await page.click(aria('Human Resources Administration (ME)'));
    await page.select('::-p-aria(Licence)', 'CC-BY-4.0');
    await fill(page, 'Attribution (optional)', 'NAPA, Beograd, 2026');
    await press(page, 'Save the sharing settings');
    expect(page.url()).toBe(`${base}/console/author/courses/${upstream}/sharing?saved=1`);
    expect(await mainText(page)).toContain('The sharing settings were saved.');
    await accessible(page, 'sharing saved');
    const sharing = await api.http.get(`/api/v1/courses/${upstream}/sharing`).set(bearer(rsAuthorToken)).expect(200);
    const [me] = (await api.dataSource.query(`SELECT i.id FROM institution i JOIN org_unit o ON o.id = i.root_org_unit_id WHERE o.code = $1`, [meRootCode])) as Array<{ id: string }>;
    expect(sharing.body).toEqual({ slug: upstream, visibility: 'shared', institutions: [me.id], countries: [], licence: 'CC-BY-4.0', attribution: 'NAPA, Beograd, 2026' });
    await context.close();
  }, 120_000);

  it('an author of the other institution adapts it, is told of a newer original, reads the diff and merges it', async () => {
    const meAuthor = await aUser(api.dataSource, { orgUnit: meSchool, password: PASSWORD, roles: [{ role: 'author', scope: meSchool }] });
    const { context, page } = await phonePage(meAuthor.email);
    await page.goto(`${base}/console`, { waitUntil: 'load' });
    await press(page, 'Courses to adapt[role="link"]');
    expect(page.url()).toBe(`${base}/console/author/shared`);
    expect(await mainText(page)).toContain('Public procurement basics');
    await accessible(page, 'courses to adapt', 'console-hub-shared');
    await press(page, 'Adapt this course : Public procurement basics');
    expect(page.url()).toBe(`${base}/console/author/courses/${upstream}/adapt`);
    expect(await mainText(page)).toContain('Made by National Academy of Public Administration (RS)');
    await accessible(page, 'adapt form', 'console-hub-adapt');

    await fill(page, 'Address name of the new course', 'Not a slug!');
    await fill(page, 'Code of your school', meSchool.code);
    await press(page, 'Adapt the course');
    expect(await mainText(page)).toContain('Enter lower-case letters, digits and dashes (at most 100)');
    await accessible(page, 'adapt form with an error');
    await fill(page, 'Address name of the new course', fork);
    await press(page, 'Adapt the course');
    expect(page.url()).toBe(`${base}/console/author/courses/${fork}/sharing?adapted=1`);
    const made = await mainText(page);
    expect(made).toContain('The adaptation was made as a private draft.');
    expect(made).toContain('Adapted from “Public procurement basics” by National Academy of Public Administration, version 1.');
    expect(made).toContain('Your adaptation is based on the newest version of the original.');
    expect(await page.$eval('#visibility-private', (el) => (el as HTMLInputElement).checked)).toBe(true);
    await accessible(page, 'adaptation sharing', 'console-hub-adapted');

    // The original publishes version 2: a changed lesson and a new one.
    pkg.lessons = [
      { slug: 'one', title: { en: 'The law' }, minutes: 10, body: { en: '## The law\n\nArticle 1 applies.\n\nArticle 2 is new.' } },
      { slug: 'appeals', title: { en: 'Appeals' }, minutes: 5, body: { en: '## Appeals' } },
    ];
    pkg.course.lessons = ['one', 'appeals'];
    await api.http.put(`/api/v1/courses/${upstream}/draft`).set(bearer(rsAuthorToken)).send(pkg).expect(200);
    await api.http.post(`/api/v1/courses/${upstream}/publish`).set(bearer(rsAuthorToken)).send({}).expect(201);

    await page.goto(`${base}/console/author/courses/${fork}/sharing`, { waitUntil: 'load' });
    expect(await mainText(page)).toContain('A newer version of the original exists: version 2.');
    await press(page, 'See the changes and merge them');
    expect(page.url()).toBe(`${base}/console/author/courses/${fork}/upstream`);
    const diff = await mainText(page);
    expect(diff).toContain('What the original changed from version 1 to 2');
    expect(diff).toContain('Article 2 is new.');
    expect(diff).toContain('appeals');
    await accessible(page, 'upstream diff', 'console-hub-upstream');
    await press(page, 'Merge version 2 into my draft');
    expect(page.url()).toMatch(new RegExp(`^${base}/console/author/courses/${fork}/upstream\\?merged=2&taken=\\d+&conflicts=0$`));
    const merged = await mainText(page);
    expect(merged).toContain('Version 2 of the original was merged into your draft. No conflicts.');
    expect(merged).toContain('Your adaptation is based on the newest version of the original.');
    await accessible(page, 'upstream merged');
    const draft = await api.http.get(`/api/v1/courses/${fork}/draft`).set(bearer(await tokenFor(api.config, meAuthor))).expect(200);
    expect((draft.body.lessons as Array<{ slug: string; body: Record<string, string> }>).map((l) => [l.slug, l.body.en])).toEqual([
      ['one', '## The law\n\nArticle 1 applies.\n\nArticle 2 is new.'],
      ['appeals', '## Appeals'],
    ]);
    await context.close();
  }, 180_000);
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Two instances on loopback ports: A publishes a public course; B trusts A (its key pinned by
 * thumbprint) and B's admin imports the course from A's catalog through the console, JavaScript off.
 */
describe('console: importing a course from a trusted peer’s catalog (Chromium, axe, phone, no JavaScript)', () => {
  let a: TestApi;
  let b: TestApi;
  let urlA: string;
  let baseB: string;
  let browser: LaunchedBrowser;
  let adminB: User;
  let schoolB: OrgUnit;
  const slugA = uniq('open-data').toLowerCase();

  beforeAll(async () => {
    const port = await freePort();
    urlA = `http://127.0.0.1:${port}`;
    a = await startApi({ env: { PUBLIC_URL: urlA } });
    await a.app.listen(port, '127.0.0.1');
    const kidA = (await a.app.get(IssuerKeys).jwks()).keys[0].kid;
    const schoolA = await anOrgUnit(a.dataSource, { kind: 'school', code: uniq('SCA').toUpperCase() });
    const tokenA = await tokenFor(a.config, await aUser(a.dataSource, { orgUnit: schoolA, roles: [{ role: 'author', scope: schoolA }] }));
    const pkg = aCoursePackage(slugA, schoolA.code) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a package reshaped here
    pkg.course.title = { en: 'Open data basics' };
    await a.http.post('/api/v1/courses').set(bearer(tokenA)).send(pkg).expect(201);
    await a.http.post(`/api/v1/courses/${slugA}/publish`).set(bearer(tokenA)).send({}).expect(201);
    await a.http.put(`/api/v1/courses/${slugA}/sharing`).set(bearer(tokenA)).send({ visibility: 'public', licence: 'CC-BY-4.0' }).expect(200);

    b = await startApi({ env: { FEDERATION_PEERS: JSON.stringify([{ url: urlA, keyThumbprint: kidA }]) } });
    baseB = await listenLocally(b);
    const root = await b.dataSource.getRepository(OrgUnit).findOneByOrFail({ code: 'ROOT' });
    schoolB = await anOrgUnit(b.dataSource, { parent: root, kind: 'school', code: uniq('SCB').toUpperCase() });
    adminB = await aUser(b.dataSource, { orgUnit: root, password: PASSWORD, roles: [{ role: 'admin' }] });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await closeBrowsers(browser);
    await b?.close();
    await a?.close();
  });

  it('the admin reads the peer’s verified catalog, is told a school is needed, then imports the course as a private draft', async () => {
    const context = await browser.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(PHONE);
    await page.setJavaScriptEnabled(false);
    await page.setExtraHTTPHeaders({ 'Accept-Language': 'en' });
    await page.goto(`${baseB}/sign-in`, { waitUntil: 'load' });
    await fill(page, 'E-mail address', adminB.email);
    await fill(page, 'Password', PASSWORD);
    await press(page, 'Sign in[role="button"]');
    await page.goto(`${baseB}/console/admin/federation`, { waitUntil: 'load' });
    await press(page, `Read its catalog ${urlA}`);
    expect(page.url()).toBe(`${baseB}/console/admin/federation/catalog?url=${encodeURIComponent(urlA)}`);
    const catalog = await mainText(page);
    expect(catalog).toContain('Open data basics');
    expect(catalog).toContain('Licence: CC-BY-4.0');
    await accessible(page, 'peer catalog', 'console-hub-peer-catalog');

    const refused = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(aria('Import the course Open data basics'))]);
    expect(refused[0]?.status()).toBe(400);
    expect(await mainText(page)).toContain('Enter the code of a school here');
    await accessible(page, 'peer catalog with an error');

    await fill(page, 'Code of the school it goes to', schoolB.code);
    await fill(page, 'Address name here (optional)', 'open-data-imported');
    await press(page, 'Import the course Open data basics');
    expect(page.url()).toBe(`${baseB}/console/admin/federation/catalog?url=${encodeURIComponent(urlA)}&imported=open-data-imported`);
    expect(await mainText(page)).toContain('The course was imported as the private draft open-data-imported.');
    await accessible(page, 'peer course imported');
    const [course] = (await b.dataSource.query(
      `SELECT c.visibility, c.licence, v.status, v.title FROM course c JOIN course_version v ON v.course_id = c.id WHERE c.slug = 'open-data-imported'`,
    )) as Array<{ visibility: string; licence: string; status: string; title: Record<string, string> }>;
    expect(course).toEqual({ visibility: 'private', licence: 'CC-BY-4.0', status: 'draft', title: { en: 'Open data basics' } });
    await context.close();
  }, 120_000);
});
