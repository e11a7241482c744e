/// <reference lib="dom" />
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle } from 'puppeteer-core';
import { IssueCertificateHandler } from '@lms/credentials';
import type { OrgUnit, User } from '@lms/identity';
import { aUser, anOrgUnit, startApi, TestApi, tokenFor } from '@lms/testing';
import { aCompetencyCourse, importDacps } from '../competency/competency-fixtures.js';
import { aCompletedEnrolment } from '../credentials/support.js';
import { aPublishedCourse } from '../support/learning-builders.js';
import { courseFolder, zipOf } from '../support/course-package.js';
import { drainJobs } from '../support/jobs.js';
import { clickAndWait, closeBrowsers, DESKTOP, expectAccessible, launchBrowser, listenLocally, mainText, phone, signIn } from '../support/browser.js';
import type { LaunchedBrowser } from '../support/browser.js';

const PASSWORD = 'console-in-a-real-browser-7';
const PHONE = phone(320, 640);

describe('the console in a real browser (Chromium): HR and admin journeys, axe on every page', () => {
  let api: TestApi;
  let base: string;
  let ministry: OrgUnit;
  let dept: OrgUnit;
  let hr: User;
  let admin: User;
  let learner: User;
  let courseTitle: string;
  let browser: LaunchedBrowser;
  let boss: User;

  beforeAll(async () => {
    api = await startApi();
    base = await listenLocally(api);
    ministry = await anOrgUnit(api.dataSource, { name: 'Ministarstvo državne uprave' });
    dept = await anOrgUnit(api.dataSource, { parent: ministry, name: 'Sektor za ljudske resurse' });
    const office = await anOrgUnit(api.dataSource, { parent: ministry, name: 'Kabinet ministra' });
    hr = await aUser(api.dataSource, {
      orgUnit: ministry,
      password: PASSWORD,
      displayName: 'Vesna HR',
      roles: [{ role: 'hr', scope: ministry }],
    });
    admin = await aUser(api.dataSource, {
      orgUnit: ministry,
      password: PASSWORD,
      displayName: 'Admin Adminović',
      roles: [{ role: 'admin' }],
    });
    boss = await aUser(api.dataSource, { orgUnit: dept, password: PASSWORD, displayName: 'Dragana Rukovodilac' });
    learner = await aUser(api.dataSource, { orgUnit: dept, password: PASSWORD, displayName: 'Milica Petrović', manager: boss });
    for (let i = 0; i < 4; i++) await aUser(api.dataSource, { orgUnit: i % 2 ? dept : office, displayName: `Službenik ${i + 1}` });
    const course = await aPublishedCourse(api.dataSource);
    const [{ title }] = (await api.dataSource.query(`SELECT title ->> default_language AS title FROM course_version WHERE course_id = $1`, [
      course.courseId,
    ])) as Array<{ title: string }>;
    courseTitle = title;
    // An earlier assignment to the department, now overdue for the learner.
    await api.http
      .post('/api/v1/assignments')
      .set({ Authorization: `Bearer ${await tokenFor(api.config, hr)}` })
      .send({ courseSlug: course.slug, target: { orgUnitId: dept.id, includeSubUnits: true }, dueInDays: 7 })
      .expect(201);
    await api.dataSource.query(`UPDATE enrolment SET due_at = now() - interval '9 days' WHERE user_id = $1`, [learner.id]);
    // A job role that requires a competency nobody holds yet, and a published course that closes the gap.
    await importDacps(api);
    await api.http
      .put('/api/v1/job-roles/hr-officer')
      .set({ Authorization: `Bearer ${await tokenFor(api.config, admin)}` })
      .send({ title: 'HR officer', requirements: [{ competencyCode: 'LIT.1', level: 2 }] })
      .expect(201);
    for (let i = 0; i < 3; i++) await aUser(api.dataSource, { orgUnit: dept, jobRoleCode: 'hr-officer', displayName: `Referent ${i + 1}` });
    await aCompetencyCourse(api.dataSource, { slug: 'ai-literacy-for-hr', competencies: [{ code: 'LIT.1', level: 2 }], minutes: 40 });
    // A certificate for the admin to revoke.
    const built = await aCompletedEnrolment(api.dataSource, { user: learner });
    await api.app.get(IssueCertificateHandler).handle({ enrolmentId: built.enrolmentId }, { id: 'console-browser', attempt: 1 });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await closeBrowsers(browser);
    await api?.close();
  });

  it('a learner who types a console address gets the accessible 403 page', async () => {
    const context = await browser.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(PHONE);
    await signIn(page, base, learner.email, PASSWORD);
    expect(await page.$('a[href="/console"]')).toBeNull();
    const res = await page.goto(`${base}/console/hr/people`, { waitUntil: 'load' });
    expect(res?.status()).toBe(403);
    await expect(mainText(page)).resolves.toContain('You do not have access to this page.');
    await expectAccessible(page, 'console 403');
    await context.close();
  }, 60_000);

  it('HR at phone width: overview, assign after the preview, overdue with remind now by keyboard, gap heat map closed in one action, people', async () => {
    const context = await browser.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(PHONE);
    await signIn(page, base, hr.email, PASSWORD);
    await clickAndWait(page, 'nav.nav a[href="/console"]');
    await expectAccessible(page, 'console home');

    // Import 200 people from CSV: the check reports the 3 bad lines by number and writes nothing; then the good lines go in.
    await clickAndWait(page, '.console-nav a[href="/console/hr/people"]');
    await clickAndWait(page, 'a[href="/console/hr/people/import"]');
    await expectAccessible(page, 'import');
    const lines = ['email,displayName,orgUnitCode'];
    for (let i = 1; i <= 200; i++) lines.push(`sluzbenik${i}@mdu.gov.rs,Službenik Uvezeni ${i},${i % 2 ? dept.code : ministry.code}`);
    lines.splice(51, 0, `bez-at-znaka.mdu.gov.rs,Loša Adresa,${dept.code}`);
    lines.splice(102, 0, `nepoznata@mdu.gov.rs,Nepoznata Jedinica,NO-SUCH-UNIT`);
    lines.splice(153, 0, `sluzbenik7@mdu.gov.rs,Dupli Red,${dept.code}`);
    await page.$eval('#csv', (el, value) => ((el as HTMLTextAreaElement).value = value), lines.join('\n'));
    await clickAndWait(page, 'button[value="check"]');
    const checked = await mainText(page);
    expect(checked).toContain('200 people would be added.');
    expect(checked).toContain('3 lines are rejected.');
    await expect(page.$$eval('#rejected-caption ~ tbody th', (n) => n.map((x) => Number(x.textContent)))).resolves.toEqual([52, 103, 154]);
    const imported = async (): Promise<number> =>
      (
        (await api.dataSource.query(`SELECT count(*)::int AS n FROM app_user WHERE email LIKE 'sluzbenik%@mdu.gov.rs'`)) as Array<{
          n: number;
        }>
      )[0].n;
    await expect(imported()).resolves.toBe(0);
    await expectAccessible(page, 'import check', 'console-import-check');
    await clickAndWait(page, 'button[value="apply"]');
    await expect(mainText(page)).resolves.toContain('200 people were added.');
    await expect(imported()).resolves.toBe(200);

    await clickAndWait(page, '.console-nav a[href="/console/hr"]');
    await expect(page.$eval('svg[role="img"] title', (n) => n.textContent)).resolves.toBe(
      'Completion rate by unit below Ministarstvo državne uprave',
    );
    await expect(page.$$eval('#units-caption ~ tbody tr', (rows) => rows.length)).resolves.toBeGreaterThan(0);
    await expectAccessible(page, 'overview', 'console-overview');
    await clickAndWait(page, 'table a[href*="/console/hr?unit="]');
    await expect(mainText(page)).resolves.toContain('Sektor za ljudske resurse');

    // Assign: a course to the ministry and every unit below it, after the preview.
    await clickAndWait(page, '.console-nav a[href="/console/hr/assign"]');
    await expectAccessible(page, 'assign');
    await page.select('#courseSlug', 'ai-literacy-for-hr');
    await page.select('#orgUnitId', ministry.id);
    await clickAndWait(page, 'button[value="preview"]');
    const preview = await mainText(page);
    expect(preview).toContain('211 people match.');
    expect(preview).toContain('211 people will be enrolled.');
    await expectAccessible(page, 'assign preview', 'console-assign-preview');
    await clickAndWait(page, 'button[value="confirm"]');
    await expect(mainText(page)).resolves.toContain('The assignment was saved; 211 people were enrolled.');
    await expectAccessible(page, 'assignment');

    // Overdue: select the person and remind now with the keyboard only.
    await clickAndWait(page, '.console-nav a[href="/console/hr/overdue"]');
    await expect(mainText(page)).resolves.toContain('Milica Petrović');
    await expectAccessible(page, 'overdue', 'console-overdue');
    await page.focus('input[name="enrolmentIds"]');
    await page.keyboard.press('Space');
    await expect(page.$eval('input[name="enrolmentIds"]', (n) => (n as HTMLInputElement).checked)).resolves.toBe(true);
    await page.focus('form[action="/console/hr/overdue/remind"] button[type="submit"]');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    await expect(mainText(page)).resolves.toContain('1 reminder was sent.');

    // Gaps: the heat map prints numbers; one action assigns what closes them.
    await clickAndWait(page, '.console-nav a[href="/console/hr/gaps"]');
    await expect(page.$$eval('table.heat td.heat-0', (cells) => cells.map((c) => c.textContent))).resolves.toContain('0%0 of 3');
    await expectAccessible(page, 'gaps', 'console-gaps');
    await clickAndWait(page, 'form[action="/console/hr/gaps/assign"] button');
    await expect(mainText(page)).resolves.toMatch(/3 people had gaps\. (No new enrolment was needed|\d+ enrolments? (was|were) created)/);

    await clickAndWait(page, '.console-nav a[href="/console/hr/people"]');
    await page.locator('#q').fill('Milica');
    await clickAndWait(page, 'form.search button[type="submit"]');
    await expectAccessible(page, 'people');
    await clickAndWait(page, 'table a[href^="/console/hr/people/"]');
    await expect(mainText(page)).resolves.toContain(courseTitle);
    await expectAccessible(page, 'person');
    await clickAndWait(page, '.console-nav a[href="/console/hr/reports"]');
    await expectAccessible(page, 'reports');
    await context.close();
  }, 120_000);

  it('admin at desktop width: revokes a certificate with a reason and finds it in the audit log; switches to the HR pages without signing out', async () => {
    const context = await browser.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(DESKTOP);
    await signIn(page, base, admin.email, PASSWORD);
    await page.goto(`${base}/console`, { waitUntil: 'load' });
    await expect(page.$$eval('.console-area', (n) => n.map((x) => x.textContent))).resolves.toEqual([
      'HR',
      'Course author',
      'Administration',
    ]);
    await page.goto(`${base}/console/hr`, { waitUntil: 'load' });
    await expectAccessible(page, 'overview desktop', 'console-overview-desktop');
    await page.goto(`${base}/console/hr/people/${learner.id}`, { waitUntil: 'load' });
    await clickAndWait(page, 'a[href^="/console/admin/certificates/"]');
    await clickAndWait(page, 'button.warning');
    await expect(mainText(page)).resolves.toContain('Enter the reason (at least 3 characters)');
    await expectAccessible(page, 'revoke error');
    await page.locator('#reason').fill('Issued to the wrong person');
    await clickAndWait(page, 'button.warning');
    await expect(mainText(page)).resolves.toContain('The certificate was revoked.');
    await expectAccessible(page, 'person after revoke');
    await clickAndWait(page, '.console-nav a[href="/console/admin/audit"]');
    await page.locator('#action').fill('certificate.revoked');
    await clickAndWait(page, 'form.filters button[type="submit"]');
    const audit = await mainText(page);
    expect(audit).toContain('1 entry');
    expect(audit).toContain('Issued to the wrong person');
    await expectAccessible(page, 'audit desktop', 'console-audit-desktop');
    await clickAndWait(page, '.console-nav a[href="/console/admin/units"]');
    await expectAccessible(page, 'units desktop');
    await clickAndWait(page, `.tree a[href="/console/admin/units/${dept.id}"]`);
    await expectAccessible(page, 'unit edit');
    await clickAndWait(page, '.console-nav a[href="/console/admin/jobs"]');
    await expectAccessible(page, 'jobs desktop');
    await clickAndWait(page, 'form[action="/console/admin/jobs/certificates.expiry-sweep/run"] button');
    await drainJobs(api);
    await page.goto(`${base}/console/admin/jobs`, { waitUntil: 'load' });
    await expect(page.$$eval('#runs-caption ~ tbody tr', (rows) => rows.map((r) => [r.children[0].textContent, r.children[3].textContent]))).resolves.toContainEqual([
      'certificates.expiry-sweep',
      'Completed',
    ]);
    await expectAccessible(page, 'jobs with their last runs', 'console-jobs-desktop');
    await page.setViewport(PHONE);
    await page.goto(`${base}/console/admin/audit?action=certificate.revoked`, { waitUntil: 'load' });
    await expectAccessible(page, 'audit phone', 'console-audit');
    await clickAndWait(page, '.console-nav a[href="/console/admin/units"]');
    await expectAccessible(page, 'units phone', 'console-units');
    await context.close();
  }, 120_000);

  it('a line manager (no HR role) sees My team at phone width and nudges one person', async () => {
    const context = await browser.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(PHONE);
    await signIn(page, base, boss.email, PASSWORD);
    await clickAndWait(page, 'nav.nav a[href="/console"]');
    await expect(page.$$eval('.console-area', (n) => n.map((x) => x.textContent))).resolves.toEqual(['Line manager']);
    await clickAndWait(page, '.console-nav a[href="/console/team"]');
    await expect(mainText(page)).resolves.toContain('Milica Petrović');
    await expectAccessible(page, 'team', 'console-team');
    await clickAndWait(page, 'form[action="/console/team/nudge"] button');
    await expect(mainText(page)).resolves.toMatch(/reminders? (was|were) sent|No reminder was sent/);
    await expectAccessible(page, 'team after nudge');
    const res = await page.goto(`${base}/console/hr`, { waitUntil: 'load' });
    expect(res?.status()).toBe(403);
    await context.close();
  }, 60_000);

  it('an author uploads a broken package (problems by file, line and field), fixes it, previews it in Cyrillic and publishes it', async () => {
    const school = await anOrgUnit(api.dataSource, { kind: 'school', name: 'Nacionalna akademija' });
    const author = await aUser(api.dataSource, { orgUnit: school, password: PASSWORD, roles: [{ role: 'author', scope: school }] });
    const slug = 'open-data-at-work';
    const dir = mkdtempSync(join(tmpdir(), 'lms-upload-'));
    const broken = join(dir, 'open-data-broken.zip');
    const fixed = join(dir, 'open-data.zip');
    writeFileSync(broken, zipOf(courseFolder(slug, school.code, { broken: true })));
    writeFileSync(fixed, zipOf(courseFolder(slug, school.code)));
    const context = await browser.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(PHONE);
    await signIn(page, base, author.email, PASSWORD);
    await page.goto(`${base}/console/author`, { waitUntil: 'load' });
    await expectAccessible(page, 'my courses (none yet)');
    const upload = async (file: string): Promise<void> => {
      const input = await page.$('input[type="file"]#package');
      await (input as ElementHandle<HTMLInputElement>).uploadFile(file);
      await clickAndWait(page, '::-p-aria(Check and upload[role="button"])');
    };
    await upload(broken);
    await expect(mainText(page)).resolves.toContain('The package has 3 problems: nothing was saved.');
    await expect(page.$$eval('#problems-caption ~ tbody tr', (rows) => rows.map((r) => [...r.children].slice(0, 3).map((c) => c.textContent)))).resolves.toEqual([
      [`courses/${slug}/course.yaml`, '14:8', 'level'],
      [`courses/${slug}/lessons/sr-Cyrl/02-publishing.md`, '3:10', 'minutes'],
      [`courses/${slug}/quiz.yaml`, '11:5', 'questions[1].choices'],
    ]);
    await expectAccessible(page, 'upload refused', 'console-author-upload-errors');
    await upload(fixed);
    await expect(mainText(page)).resolves.toContain(`saved as draft version 1 of ${slug}`);
    await expectAccessible(page, 'my courses with the uploaded draft', 'console-author');
    await clickAndWait(page, `a[href="/console/author/courses/${slug}/preview?lang=sr-Cyrl"]`);
    await expect(page.$eval('article.prose', (n) => [n.getAttribute('lang'), n.querySelector('h1')?.textContent])).resolves.toEqual(['sr-Cyrl', 'Зашто отворени подаци']);
    await expectAccessible(page, 'preview cyrillic', 'console-author-preview');
    await clickAndWait(page, 'a[rel="next"]');
    await expect(page.$eval('article.prose h1', (n) => n.textContent)).resolves.toBe('Објављивање');
    await clickAndWait(page, `a[href="/console/author/courses/${slug}/preview?lang=en&lesson=publishing"]`);
    await expectAccessible(page, 'preview english with a table');
    await page.goto(`${base}/console/author`, { waitUntil: 'load' });
    await page.locator(`#summary-${slug}`).fill('First version: why and how to publish open data');
    await clickAndWait(page, `form[action="/console/author/courses/${slug}/publish"] button`);
    await expect(mainText(page)).resolves.toContain('Version 1 was published.');
    await expectAccessible(page, 'my courses after publishing');
    await clickAndWait(page, `a[href="/console/author/courses/${slug}/analytics"]`);
    await expect(mainText(page)).resolves.toContain('Figures about fewer than 5 people are not shown.');
    await expectAccessible(page, 'course analytics');
    // A second upload with a rewritten lesson: a new draft, and the difference between the versions.
    const v2 = courseFolder(slug, school.code);
    v2[`courses/${slug}/lessons/en/01-why-open-data.md`] = v2[`courses/${slug}/lessons/en/01-why-open-data.md`].replace('People build services on public data.', 'Others build better services on public data.');
    writeFileSync(fixed, zipOf(v2));
    await page.goto(`${base}/console/author`, { waitUntil: 'load' });
    await upload(fixed);
    await expect(mainText(page)).resolves.toContain(`saved as draft version 2 of ${slug}`);
    await clickAndWait(page, `a[href="/console/author/courses/${slug}/diff?from=1&to=2"]`);
    await expect(mainText(page)).resolves.toContain('+ Others build better services on public data.');
    await expectAccessible(page, 'version diff', 'console-author-diff');
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }, 90_000);
});
