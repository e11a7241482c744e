/// <reference lib="dom" />
import type { User } from '@lms/identity';
import { aUser, anOrgUnit, startApi, type TestApi, tokenFor } from '@lms/testing';
import { closeBrowsers, launchBrowser, listenLocally, scoFrame, signIn, until, type LaunchedBrowser } from '../support/browser.js';
import { scorm12Files } from './fixtures.js';
import { aPublishedPackageCourse, enrol } from './player-fixtures.js';

const PASSWORD = 'a-learner-plays-a-package-4';

/** The learner plays a generated SCORM 1.2 package in the lesson page, leaves, comes back, resumes and completes it. */
describe('SCORM player in the learner pages (browser)', () => {
  let api: TestApi;
  let base: string;
  let launched: LaunchedBrowser;
  let learner: User;
  let lessonSlug: string;
  let enrolmentId: string;

  beforeAll(async () => {
    api = await startApi();
    base = await listenLocally(api);
    learner = await aUser(api.dataSource, { orgUnit: await anOrgUnit(api.dataSource), password: PASSWORD });
    lessonSlug = (await aPublishedPackageCourse(api, 'records-play', scorm12Files())).activities[0].lessonSlug;
    enrolmentId = await enrol(api, `Bearer ${await tokenFor(api.config, learner)}`, 'records-play');
    launched = await launchBrowser();
  });
  afterAll(async () => {
    await closeBrowsers(launched);
    await api?.close();
  });

  const stored = async (): Promise<{ sequence: number; cmi: Record<string, unknown> } | undefined> =>
    ((await api.dataSource.query(`SELECT sequence, cmi FROM scorm_runtime WHERE enrolment_id = $1`, [enrolmentId])) as Array<{ sequence: number; cmi: Record<string, unknown> }>)[0];

  it('plays, is interrupted by a reload, resumes from suspend_data and location, and completes the lesson', async () => {
    const page = await launched.browser.newPage();
    await signIn(page, base, learner.email, PASSWORD);
    const lessonUrl = `${base}/courses/records-play/lessons/${lessonSlug}`;
    await page.goto(lessonUrl, { waitUntil: 'load' });
    const cspOfPage = await page.evaluate(() => document.querySelector('[data-scorm-player] iframe')?.getAttribute('sandbox'));
    expect(cspOfPage).toBe('allow-scripts allow-same-origin allow-forms allow-popups');
    let frame = await scoFrame(page);
    expect(await frame.evaluate(() => document.getElementById('status')?.textContent)).toBe('started');
    const first = await until(stored, (s) => (s?.sequence ?? 0) >= 1);
    expect(first).toMatchObject({ sequence: 1, cmi: { suspend_data: 'visited=1', core: { lesson_location: 'page-1', lesson_status: 'incomplete' } } });

    // The learner leaves in the middle and comes back.
    await page.reload({ waitUntil: 'load' });
    frame = await scoFrame(page);
    expect(await frame.evaluate(() => document.getElementById('status')?.textContent)).toBe('resumed visited=1 at page-1');
    const done = await until(
      async () => (await api.dataSource.query(`SELECT count(*)::int AS n FROM lesson_progress WHERE enrolment_id = $1 AND lesson_slug = $2`, [enrolmentId, lessonSlug])) as Array<{ n: number }>,
      (rows) => rows[0].n === 1,
    );
    expect(done[0].n).toBe(1);
    const last = await until(stored, (s) => (s?.sequence ?? 0) >= 3);
    expect(last).toMatchObject({ cmi: { core: { lesson_status: 'passed', score: { raw: '90' } } } });
    await page.reload({ waitUntil: 'load' });
    expect(await page.evaluate(() => document.body.textContent)).toContain('You have completed this lesson.');
    await page.close();
  });
});
