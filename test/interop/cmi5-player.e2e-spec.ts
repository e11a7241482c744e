/// <reference lib="dom" />
import type { Page } from 'puppeteer-core';
import type { OrgUnit, User } from '@lms/identity';
import { CompletionFactRepository } from '@lms/reporting';
import { aUser, anOrgUnit, drainJobs, startApi, type TestApi, tokenFor } from '@lms/testing';
import { clickAndWait, closeBrowsers, expectAccessible, freePort, launchBrowser, phone, SCREENSHOTS_DIR, signIn, type LaunchedBrowser } from '../support/browser.js';
import { cmi5Files } from './fixtures.js';
import { aPublishedPackageCourse, completeNativeParts, enrol } from './player-fixtures.js';

const PASSWORD = 'a-cmi5-au-from-the-lesson-page-3';
const PHONE = phone(360, 740);
/** Screenshots land in SCORM_SHOTS, else in SCREENSHOTS_DIR, when either is set (docs/screenshots is made that way). */
const SHOTS_DIR = process.env.SCORM_SHOTS ?? SCREENSHOTS_DIR;
const COURSE = 'ethics-play';
const SESSION = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
const AU = 'https://lms.test/cmi5/aus/au1';

/**
 * The learner launches a generated cmi5 AU from the lesson page: the AU fetches its token, talks
 * to the built-in LRS, is left half-way (the page is closed), is launched again (a new session;
 * the first one gets the LMS's `abandoned` statement), resumes from its own state, completes and
 * passes, terminates and returns to the lesson page; moveOn (CompletedAndPassed) completes the
 * lesson, and the completion reaches the enrolment, the certificate and the HR report.
 */
describe('cmi5 AU launched from the learner pages (browser)', () => {
  let api: TestApi;
  let base: string;
  let launched: LaunchedBrowser;
  let unit: OrgUnit;
  let learner: User;
  let hr: User;
  let lessonSlug: string;
  let enrolmentId: string;
  let learnerAuth: string;

  beforeAll(async () => {
    // The AU reaches the LRS at PUBLIC_URL, so the server answers where PUBLIC_URL says.
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = await startApi({ env: { PUBLIC_URL: base } });
    await api.app.listen(port, '127.0.0.1');
    unit = await anOrgUnit(api.dataSource);
    learner = await aUser(api.dataSource, { orgUnit: unit, password: PASSWORD });
    hr = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'hr', scope: unit }] });
    lessonSlug = (await aPublishedPackageCourse(api, COURSE, cmi5Files())).activities[0].lessonSlug;
    learnerAuth = `Bearer ${await tokenFor(api.config, learner)}`;
    enrolmentId = await enrol(api, learnerAuth, COURSE);
    // The native parts of the course are done through the API; the AU is played below.
    await completeNativeParts(api, learnerAuth, enrolmentId);
    launched = await launchBrowser();
  });
  afterAll(async () => {
    await closeBrowsers(launched);
    await api?.close();
  });

  const lessonUrl = (): string => `${base}/courses/${COURSE}/lessons/${lessonSlug}`;

  const auStatus = async (page: Page): Promise<string> => {
    await page.waitForFunction(() => {
      const status = document.getElementById('status')?.textContent;
      return !!status && status !== 'loading';
    });
    return page.evaluate(() => document.getElementById('status')?.textContent ?? '');
  };

  const sessions = async (): Promise<Array<{ id: string; fetched: boolean }>> =>
    (await api.dataSource.query(`SELECT id, fetched_at IS NOT NULL AS fetched FROM cmi5_session WHERE enrolment_id = $1 ORDER BY created_at, id`, [enrolmentId])) as Array<{ id: string; fetched: boolean }>;

  const verbsOf = async (sessionId: string): Promise<string[]> =>
    ((await api.dataSource.query(
      `SELECT verb_id FROM xapi_statement WHERE registration = $1 AND activity_id = $2 AND statement->'context'->'extensions'->>'${SESSION}' = $3 ORDER BY seq`,
      [enrolmentId, AU, sessionId],
    )) as Array<{ verb_id: string }>).map((r) => r.verb_id.split('/').pop()!);

  it('launches, is left half-way, is launched again (abandoned + new session), resumes, completes by moveOn, and reaches certificate and report', async () => {
    let page = await launched.browser.newPage();
    await page.setViewport(PHONE);
    await signIn(page, base, learner.email, PASSWORD);

    await page.goto(lessonUrl(), { waitUntil: 'load' });
    await expectAccessible(page, 'cmi5 lesson', { name: 'cmi5-lesson', dir: SHOTS_DIR });
    await clickAndWait(page, '::-p-aria(Start the lesson[role="button"])');
    const launch = new URL(page.url());
    expect(launch.pathname).toMatch(/^\/content\/[0-9a-f-]{36}\/au1\/index\.html$/);
    expect(Object.fromEntries(launch.searchParams)).toMatchObject({ endpoint: `${base}/xapi/`, registration: enrolmentId, activityId: AU });
    expect(JSON.parse(launch.searchParams.get('actor')!)).toEqual({ objectType: 'Agent', account: { homePage: base, name: learner.id } });
    expect(await auStatus(page)).toBe('started');
    const [first] = await sessions();
    expect(first.fetched).toBe(true);
    expect(await verbsOf(first.id)).toEqual(['initialized']);

    // The learner closes the AU half-way and launches it again later from the lesson page.
    await page.close();
    page = await launched.browser.newPage();
    await page.setViewport(PHONE);
    await page.goto(lessonUrl(), { waitUntil: 'load' });
    await clickAndWait(page, '::-p-aria(Continue the lesson[role="button"])');
    expect(await auStatus(page)).toBe('resumed at page-2');
    const all = await sessions();
    expect(all).toHaveLength(2);
    const second = all.find((s) => s.id !== first.id)!;
    expect(await verbsOf(first.id)).toEqual(['initialized', 'abandoned']);
    expect(await verbsOf(second.id)).toEqual(['initialized']);

    // Finishing: completed, passed, terminated, and back to the lesson page (returnURL), which shows the lesson completed.
    await clickAndWait(page, '::-p-aria(Finish the lesson[role="button"])');
    expect(page.url()).toBe(lessonUrl());
    expect(await page.evaluate(() => document.body.textContent)).toContain('You have completed this lesson.');
    expect(await page.evaluate(() => document.querySelector('form[action$="/launch"] button')?.textContent)).toBe('Open the lesson again');
    expect(await verbsOf(second.id)).toEqual(['initialized', 'completed', 'passed', 'terminated']);
    await expectAccessible(page, 'cmi5 lesson completed', { name: 'cmi5-lesson-completed', dir: SHOTS_DIR });
    await page.close();

    const enrolment = await api.http.get(`/api/v1/enrolments/${enrolmentId}`).set('authorization', learnerAuth).expect(200);
    expect(enrolment.body).toMatchObject({ status: 'completed', progress: 100 });
    // A launch after the terminated session abandons nothing.
    const again = await api.http.post(`/api/v1/enrolments/${enrolmentId}/cmi5/${(await api.dataSource.query(`SELECT id FROM package_activity WHERE lesson_slug = $1`, [lessonSlug]))[0].id}/launch`).set('authorization', learnerAuth).expect(201);
    expect(again.body.abandoned).toEqual([]);
    await drainJobs(api, 20_000);
    const certificates = await api.http.get('/api/v1/me/certificates').set('authorization', learnerAuth).expect(200);
    expect((certificates.body.items as Array<{ courseSlug: string }>).map((c) => c.courseSlug)).toEqual([COURSE]);
    await api.app.get(CompletionFactRepository).rebuild({ wait: true });
    const report = await api.http.get(`/api/v1/reports/completion?courseSlug=${COURSE}&orgUnitId=${unit.id}`).set('authorization', `Bearer ${await tokenFor(api.config, hr)}`).expect(200);
    expect((report.body.items as Array<{ orgUnitId: string; completed: number }>).find((r) => r.orgUnitId === unit.id)).toMatchObject({ completed: 1 });
  });
});
