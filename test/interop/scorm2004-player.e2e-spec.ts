/// <reference lib="dom" />
import type { Frame } from 'puppeteer-core';
import type { OrgUnit, User } from '@lms/identity';
import { CompletionFactRepository } from '@lms/reporting';
import { aUser, anOrgUnit, drainJobs, startApi, type TestApi, tokenFor } from '@lms/testing';
import { clickAndWait, closeBrowsers, expectAccessible, launchBrowser, listenLocally, phone, scoFrame, SCREENSHOTS_DIR, signIn, until, type LaunchedBrowser } from '../support/browser.js';
import { scorm2004Files } from './fixtures.js';
import { aPublishedPackageCourse, completeNativeParts, enrol } from './player-fixtures.js';

const PASSWORD = 'two-scos-flow-and-choice-5';
const PHONE = phone(360, 740);
/** Screenshots land in SCORM_SHOTS, else in SCREENSHOTS_DIR, when either is set (docs/screenshots is made that way). */
const SHOTS_DIR = process.env.SCORM_SHOTS ?? SCREENSHOTS_DIR;
const COURSE = 'open-data-play';

/**
 * The learner plays a generated two-SCO SCORM 2004 (4th edition) package in the lesson pages:
 * leaves part one half-way (the page is closed), resumes it from cmi.location and
 * cmi.suspend_data, moves on with the SCO's continue request (flow), comes back with its choice
 * request and with the package's table of contents, and the SCOs' completion, success and score
 * reach the enrolment, the certificate and the HR completion report.
 */
describe('SCORM 2004 two-SCO package in the learner pages (browser)', () => {
  let api: TestApi;
  let base: string;
  let launched: LaunchedBrowser;
  let unit: OrgUnit;
  let learner: User;
  let hr: User;
  let parts: Array<{ identifier: string; lessonSlug: string }>;
  let enrolmentId: string;
  let learnerAuth: string;

  beforeAll(async () => {
    api = await startApi();
    base = await listenLocally(api);
    unit = await anOrgUnit(api.dataSource);
    learner = await aUser(api.dataSource, { orgUnit: unit, password: PASSWORD });
    hr = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'hr', scope: unit }] });
    const imported = await aPublishedPackageCourse(api, COURSE, scorm2004Files('4th'));
    expect(imported).toMatchObject({ standard: 'scorm2004', edition: '4th' });
    parts = imported.activities;
    expect(parts.map((p) => p.identifier)).toEqual(['part1', 'part2']);
    learnerAuth = `Bearer ${await tokenFor(api.config, learner)}`;
    enrolmentId = await enrol(api, learnerAuth, COURSE);
    // The native parts of the course are done through the API; the packaged ones are played below.
    await completeNativeParts(api, learnerAuth, enrolmentId);
    launched = await launchBrowser();
  });
  afterAll(async () => {
    await closeBrowsers(launched);
    await api?.close();
  });

  const lessonUrl = (i: number): string => `${base}/courses/${COURSE}/lessons/${parts[i].lessonSlug}`;

  const statusOf = (frame: Frame): Promise<string | null | undefined> => frame.evaluate(() => document.getElementById('status')?.textContent);

  const stored = async (i: number): Promise<{ sequence: number; cmi: Record<string, unknown>; completion_status: string | null; success_status: string | null; score_scaled: number | null } | undefined> =>
    (
      (await api.dataSource.query(
        `SELECT r.sequence, r.cmi, r.completion_status, r.success_status, r.score_scaled FROM scorm_runtime r JOIN package_activity a ON a.id = r.activity_id
          WHERE r.enrolment_id = $1 AND a.lesson_slug = $2`,
        [enrolmentId, parts[i].lessonSlug],
      )) as Array<{ sequence: number; cmi: Record<string, unknown>; completion_status: string | null; success_status: string | null; score_scaled: number | null }>
    )[0];

  const doneLessons = async (): Promise<string[]> =>
    ((await api.dataSource.query(`SELECT lesson_slug FROM lesson_progress WHERE enrolment_id = $1 ORDER BY lesson_slug`, [enrolmentId])) as Array<{ lesson_slug: string }>).map((r) => r.lesson_slug);

  it('resumes part one after the page is closed, flows to part two, comes back by choice, and the completion reaches certificate and report', async () => {
    let page = await launched.browser.newPage();
    await page.setViewport(PHONE);
    await signIn(page, base, learner.email, PASSWORD);

    // Part one, first visit: the table of contents lists both SCOs, the current one marked.
    await page.goto(lessonUrl(0), { waitUntil: 'load' });
    const toc = await page.evaluate(() =>
      Array.from(document.querySelectorAll('[data-package-toc] a')).map((a) => ({ text: a.textContent, item: (a as HTMLElement).dataset.item, current: a.getAttribute('aria-current') })),
    );
    expect(toc).toEqual([
      { text: 'Finding data', item: 'part1', current: 'page' },
      { text: 'Publishing data', item: 'part2', current: null },
    ]);
    let frame = await scoFrame(page);
    expect(await statusOf(frame)).toBe('started');
    const first = await until(() => stored(0), (s) => (s?.sequence ?? 0) >= 1);
    expect(first).toMatchObject({ sequence: 1, completion_status: 'incomplete', cmi: { location: 'page-1', suspend_data: 'visited=1', completion_status: 'incomplete' } });
    await expectAccessible(page, 'SCORM 2004 part one', { name: 'scorm2004-part-one', dir: SHOTS_DIR });

    // The learner closes the page half-way and comes back later in a new one.
    await page.close();
    page = await launched.browser.newPage();
    await page.setViewport(PHONE);
    await page.goto(lessonUrl(0), { waitUntil: 'load' });
    frame = await scoFrame(page);
    expect(await statusOf(frame)).toBe('resumed visited=1 at page-1');

    // "Finish and continue" in the SCO: it terminates with a continue request and the player moves to part two (flow).
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), frame.locator('::-p-aria(Finish and continue[role="button"])').click()]);
    expect(page.url()).toBe(lessonUrl(1));
    expect(await stored(0)).toMatchObject({ completion_status: 'completed', success_status: 'passed', score_scaled: 0.9 });
    frame = await scoFrame(page);
    expect(await statusOf(frame)).toBe('completed');
    const done = await until(doneLessons, (rows) => rows.length === 3);
    expect(done).toEqual(['intro', ...parts.map((p) => p.lessonSlug)].sort());
    expect(await stored(1)).toMatchObject({ completion_status: 'completed', success_status: 'passed', score_scaled: 0.8 });
    await expectAccessible(page, 'SCORM 2004 part two', { name: 'scorm2004-part-two', dir: SHOTS_DIR });

    // "Back to part one" in the SCO: a choice request for item part1.
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), frame.locator('::-p-aria(Back to part one[role="button"])').click()]);
    expect(page.url()).toBe(lessonUrl(0));
    expect(await page.evaluate(() => document.body.textContent)).toContain('You have completed this lesson.');
    expect(await page.evaluate(() => document.querySelectorAll('[data-package-toc] .tag.ok').length)).toBe(2);
    // The pager is the flow navigation of the page itself, the table of contents its choice navigation.
    await clickAndWait(page, '.pager a[rel="next"]');
    expect(page.url()).toBe(lessonUrl(1));
    await clickAndWait(page, '[data-package-toc] a[data-item="part1"]');
    expect(page.url()).toBe(lessonUrl(0));
    await page.close();

    // The enrolment is completed, the certificate issued, the HR report counts it.
    const scorm = await api.http.get(`/api/v1/enrolments/${enrolmentId}/scorm/${(await api.dataSource.query(`SELECT id FROM package_activity WHERE lesson_slug = $1`, [parts[0].lessonSlug]))[0].id}`).set('authorization', learnerAuth).expect(200);
    expect(scorm.body).toMatchObject({ version: '2004', lessonCompleted: true, outcome: { completionStatus: 'completed', successStatus: 'passed', scoreScaled: 0.9 } });
    const enrolment = await api.http.get(`/api/v1/enrolments/${enrolmentId}`).set('authorization', learnerAuth).expect(200);
    expect(enrolment.body).toMatchObject({ status: 'completed', progress: 100 });
    await drainJobs(api, 20_000);
    const certificates = await api.http.get('/api/v1/me/certificates').set('authorization', learnerAuth).expect(200);
    expect((certificates.body.items as Array<{ courseSlug: string }>).map((c) => c.courseSlug)).toEqual([COURSE]);
    await api.app.get(CompletionFactRepository).rebuild({ wait: true });
    const report = await api.http.get(`/api/v1/reports/completion?courseSlug=${COURSE}&orgUnitId=${unit.id}`).set('authorization', `Bearer ${await tokenFor(api.config, hr)}`).expect(200);
    const row = (report.body.items as Array<{ orgUnitId: string; completed: number }>).find((r) => r.orgUnitId === unit.id);
    expect(row).toMatchObject({ completed: 1 });
  });
});
