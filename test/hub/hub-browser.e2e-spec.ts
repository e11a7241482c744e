/// <reference lib="dom" />
import { OrgUnit } from '@lms/identity';
import { aUser, anOrgUnit, startApi, TestApi, tokenFor, uniq } from '@lms/testing';
import { aCoursePackage } from '../security/world.js';
import { closeBrowsers, expectAccessible, launchBrowser, listenLocally, mainText, PHONE, signIn } from '../support/browser.js';
import type { LaunchedBrowser } from '../support/browser.js';
import { bearer, INSTITUTIONS } from './hub-fixtures.js';

const PASSWORD = 'adapted-in-podgorica-7';

describe('hub: the course page of an adaptation says where it comes from (Chromium, axe, phone)', () => {
  let api: TestApi;
  let base: string;
  let fork: string;
  let meSchool: OrgUnit;
  const browsers: LaunchedBrowser[] = [];

  beforeAll(async () => {
    api = await startApi();
    base = await listenLocally(api);
    const root = await api.dataSource.getRepository(OrgUnit).findOneByOrFail({ code: 'ROOT' });
    const admin = await aUser(api.dataSource, { orgUnit: root, roles: [{ role: 'admin' }] });
    const adminAuth = bearer(await tokenFor(api.config, admin));
    const rs = await api.http.post(INSTITUTIONS).set(adminAuth).send({ code: uniq('NAPA').toUpperCase(), country: 'RS', names: { en: 'National Academy of Public Administration', 'sr-Latn': 'Nacionalna akademija za javnu upravu' } }).expect(201);
    const me = await api.http.post(INSTITUTIONS).set(adminAuth).send({ code: uniq('UZK').toUpperCase(), country: 'ME', names: { en: 'Human Resources Administration', 'sr-Latn': 'Uprava za kadrove' } }).expect(201);
    const rsRoot = await api.dataSource.getRepository(OrgUnit).findOneByOrFail({ id: rs.body.rootOrgUnitId });
    const meRoot = await api.dataSource.getRepository(OrgUnit).findOneByOrFail({ id: me.body.rootOrgUnitId });
    const rsSchool = await anOrgUnit(api.dataSource, { parent: rsRoot, kind: 'school', code: uniq('RSS').toUpperCase() });
    meSchool = await anOrgUnit(api.dataSource, { parent: meRoot, kind: 'school', code: uniq('MES').toUpperCase() });
    const rsAuthor = bearer(await tokenFor(api.config, await aUser(api.dataSource, { orgUnit: rsSchool, roles: [{ role: 'author', scope: rsSchool }] })));
    const meAuthor = bearer(await tokenFor(api.config, await aUser(api.dataSource, { orgUnit: meSchool, roles: [{ role: 'author', scope: meSchool }] })));
    const upstream = uniq('nabavke').toLowerCase();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a package reshaped here
    const pkg = aCoursePackage(upstream, rsSchool.code) as Record<string, any>;
    pkg.course.languages = ['en', 'sr-Latn', 'mk'];
    pkg.course.title = { en: 'Public procurement basics', 'sr-Latn': 'Osnove javnih nabavki', mk: 'Основи на јавните набавки' };
    pkg.course.summary = { en: 'For civil servants.', 'sr-Latn': 'Za državne službenike.', mk: 'За државните службеници.' };
    pkg.lessons = [{ slug: 'one', title: { en: 'One', 'sr-Latn': 'Jedan', mk: 'Еден' }, minutes: 10, body: { en: '## One', 'sr-Latn': '## Jedan', mk: '## Еден' } }];
    await api.http.post('/api/v1/courses').set(rsAuthor).send(pkg).expect(201);
    await api.http.post(`/api/v1/courses/${upstream}/publish`).set(rsAuthor).send({}).expect(201);
    await api.http.put(`/api/v1/courses/${upstream}/sharing`).set(rsAuthor).send({ visibility: 'shared', countries: ['ME'], licence: 'CC-BY-4.0', attribution: 'NAPA, Beograd, 2026' }).expect(200);
    fork = uniq('nabavke-me').toLowerCase();
    await api.http.post(`/api/v1/courses/${upstream}/adaptations`).set(meAuthor).send({ slug: fork, school: meSchool.code }).expect(201);
    await api.http.post(`/api/v1/courses/${fork}/publish`).set(meAuthor).send({}).expect(201);
  }, 120_000);

  afterAll(async () => {
    await closeBrowsers(...browsers);
    await api?.close();
  });

  it.each([
    ['sr-Latn', 'Prilagođeno prema kursu „Osnove javnih nabavki“ koji je izradila ustanova Nacionalna akademija za javnu upravu', 'Autorstvo: NAPA, Beograd, 2026'],
    ['mk', 'Прилагодено според курсот „Основи на јавните набавки“ што го изработи National Academy of Public Administration', 'Авторство: NAPA, Beograd, 2026'],
    ['en', 'Adapted from “Public procurement basics” by National Academy of Public Administration', 'Attribution: NAPA, Beograd, 2026'],
  ] as const)('%s: the line "adapted from … by …" and the attribution, no axe violation, no sideways scrolling', async (locale, adapted, attribution) => {
    const learner = await aUser(api.dataSource, { orgUnit: meSchool, password: PASSWORD, locale });
    const launched = await launchBrowser();
    browsers.push(launched);
    const page = await launched.browser.newPage();
    await page.setViewport(PHONE);
    await page.setExtraHTTPHeaders({ 'Accept-Language': 'en' });
    await signIn(page, base, learner.email, PASSWORD);
    await page.goto(`${base}/courses/${fork}`, { waitUntil: 'load' });
    const main = await mainText(page);
    expect(main).toContain(adapted);
    expect(main).toContain(attribution);
    await expectAccessible(page, locale, `hub-adapted-course-${locale}`);
  }, 60_000);
});
