/// <reference lib="dom" />
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { OrgUnit } from '@lms/identity';
import type { User } from '@lms/identity';
import { aUser, startApi, TestApi, uniq } from '@lms/testing';
import { clickAndWait, closeBrowsers, expectAccessible, launchBrowser, listenLocally, mainText, PHONE, screenshot, signIn } from '../support/browser.js';
import type { LaunchedBrowser } from '../support/browser.js';
import { drainJobs } from '../support/jobs.js';
import { aPublishedCourse } from '../support/learning-builders.js';

const PASSWORD = 'communities-of-practice-7';

describe('communities of practice pages (Chromium, phone, axe on every page, no JavaScript needed)', () => {
  let api: TestApi;
  let base: string;
  let browser: LaunchedBrowser;
  let asker: User;
  let helper: User;
  let moderator: User;
  let slug: string;
  let threadUrl: string;

  const audit = async (action: string, subjectId: string): Promise<number> =>
    ((await api.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = $1 AND subject_id = $2`, [action, subjectId])) as Array<{ n: number }>)[0].n;

  /**
   * A phone-sized page of a new browser context, signed in, in English, JavaScript on or off. With
   * JavaScript off only what needs no page script: plain clicks (`clickAndWait(…, 'page')`), typing.
   */
  async function person(user: User, javaScript: boolean): Promise<Page> {
    const context = await browser.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(PHONE);
    await page.setExtraHTTPHeaders({ 'Accept-Language': 'en' });
    if (javaScript) {
      await signIn(page, base, user.email, PASSWORD);
      return page;
    }
    // Off from the start, so no service worker is ever installed for this context.
    await page.setJavaScriptEnabled(false);
    await page.goto(`${base}/sign-in`, { waitUntil: 'load' });
    await page.type('#email', user.email);
    await page.type('#password', PASSWORD);
    await clickAndWait(page, '::-p-aria(Sign in[role="button"])', 'page');
    return page;
  }

  /**
   * axe needs script: on a page loaded with JavaScript off it is allowed for the check only (the
   * page's own script was never run, so no service worker either) and turned off again.
   */
  async function checkedWithoutScript(page: Page, label: string, shot?: string): Promise<void> {
    await page.setJavaScriptEnabled(true);
    await expectAccessible(page, label, shot);
    await page.setJavaScriptEnabled(false);
  }

  beforeAll(async () => {
    api = await startApi();
    base = await listenLocally(api);
    const root = await api.dataSource.getRepository(OrgUnit).findOneByOrFail({ code: 'ROOT' });
    asker = await aUser(api.dataSource, { orgUnit: root, password: PASSWORD, displayName: 'Elena Petrovska', locale: 'en' });
    helper = await aUser(api.dataSource, { orgUnit: root, password: PASSWORD, displayName: 'Jovan Jovanović', locale: 'en' });
    moderator = await aUser(api.dataSource, { orgUnit: root, password: PASSWORD, displayName: 'Marija Moderatorka', locale: 'en' });
    slug = uniq('open-data').toLowerCase();
    const [space] = (await api.dataSource.query(
      `INSERT INTO community_space (slug, title, description, audience) VALUES ($1, 'Open data in municipalities', 'Publishing and using open data', 'hub') RETURNING id`,
      [slug],
    )) as Array<{ id: string }>;
    await api.dataSource.query(`INSERT INTO community_moderator (space_id, user_id) VALUES ($1, $2)`, [space.id, moderator.id]);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await closeBrowsers(browser);
    await api?.close();
  });

  it('with JavaScript off: start a discussion (a refused form first), reply, accept the answer, report a post', async () => {
    const page = await person(asker, false);
    const text = (): Promise<string> => mainText(page);

    // The main navigation leads to the communities and to the directory.
    expect(await page.$$eval('nav.nav a', (as) => as.map((a) => a.getAttribute('href')))).toEqual(expect.arrayContaining(['/communities', '/directory']));
    await clickAndWait(page, '::-p-aria(Communities[role="link"])', 'page');
    expect(await text()).toContain('Open data in municipalities');
    expect(await page.$eval('nav.nav a[aria-current="page"]', (a) => a.getAttribute('href'))).toBe('/communities');
    await checkedWithoutScript(page, 'communities list', 'hub-communities-list-en');

    await clickAndWait(page, '::-p-aria(Open data in municipalities[role="link"])', 'page');
    expect(await text()).toContain('No discussions yet.');
    await checkedWithoutScript(page, 'a space without discussions');

    // Nothing typed: the form comes back with a message per field, nothing stored.
    await clickAndWait(page, '::-p-aria(Start the discussion[role="button"])', 'page');
    expect(await text()).toContain('Enter a title of up to 200 characters.');
    expect(await text()).toContain('Write the text (up to 20,000 characters).');
    expect(await page.title()).toMatch(/^There is a problem: /);
    await checkedWithoutScript(page, 'start form with errors');
    const none = (await api.dataSource.query(`SELECT 1 FROM community_thread WHERE author_id = $1`, [asker.id])) as unknown[];
    expect(none).toHaveLength(0);

    await page.type('::-p-aria(Title[role="textbox"])', 'Which portal do you publish on?');
    await page.type('::-p-aria(Your question[role="textbox"])', 'We publish **budget data** monthly. <script>alert(1)</script>');
    await clickAndWait(page, '::-p-aria(Start the discussion[role="button"])', 'page');
    expect(await text()).toContain('Your discussion is started.');
    expect(await page.$eval('main .prose strong', (e) => e.textContent)).toBe('budget data');
    expect(await page.$$eval('main script', (s) => s.length)).toBe(0);
    expect(await text()).toContain('<script>alert(1)</script>');
    threadUrl = page.url().split('?')[0];
    await checkedWithoutScript(page, 'a new discussion');

    // Jovan replies (a refused empty reply first).
    const other = await person(helper, false);
    await other.goto(threadUrl, { waitUntil: 'load' });
    await clickAndWait(other, '::-p-aria(Send the reply[role="button"])', 'page');
    expect(await mainText(other)).toContain('Write the text (up to 20,000 characters).');
    await checkedWithoutScript(other, 'reply form with an error');
    await other.type('::-p-aria(Your reply[role="textbox"])', 'We use the national portal. See [the guide](https://data.example.org/guide).');
    await clickAndWait(other, '::-p-aria(Send the reply[role="button"])', 'page');
    expect(await mainText(other)).toContain('Your reply is posted.');
    expect(await other.$eval('#main a[href="https://data.example.org/guide"]', (a) => a.textContent)).toBe('the guide');
    // Elena is told, with a link to the discussion.
    await drainJobs(api);
    const notices = (await api.dataSource.query(`SELECT link FROM notification WHERE user_id = $1 AND type = 'community_reply'`, [asker.id])) as Array<{ link: string }>;
    expect(notices).toHaveLength(1);
    expect(notices[0].link.endsWith(new URL(threadUrl).pathname)).toBe(true);
    // Only the thread's author marks the accepted answer.
    expect(await other.$$eval('form[action$="/accepted-answer"]', (f) => f.length)).toBe(0);
    await checkedWithoutScript(other, 'a discussion with a reply');

    // Elena accepts the reply and reports it.
    await page.goto(threadUrl, { waitUntil: 'load' });
    await clickAndWait(page, '::-p-aria(Mark reply 1 as the accepted answer[role="button"])', 'page');
    expect(await text()).toContain('The accepted answer is marked.');
    expect(await text()).toContain('Accepted answer');
    await checkedWithoutScript(page, 'an answered discussion', 'hub-communities-thread-en');
    await page.click('::-p-aria(Report reply 1)');
    await clickAndWait(page, '::-p-aria(Send the report on reply 1[role="button"])', 'page');
    expect(await text()).toContain('Say in up to 500 characters why the moderators should look at it.');
    await checkedWithoutScript(page, 'report form with an error');
    await page.type('::-p-aria(Why should the moderators look at reply 1?[role="textbox"])', 'The link goes to a page that asks for a password.');
    await clickAndWait(page, '::-p-aria(Send the report on reply 1[role="button"])', 'page');
    expect(await text()).toContain('Thank you. The moderators will look at the post.');
    const reports = (await api.dataSource.query(`SELECT reason FROM community_report WHERE reporter_id = $1`, [asker.id])) as Array<{ reason: string }>;
    expect(reports).toEqual([{ reason: 'The link goes to a page that asks for a password.' }]);
    // Reporting twice is said, not an error.
    await page.click('::-p-aria(Report reply 1)');
    await page.type('::-p-aria(Why should the moderators look at reply 1?[role="textbox"])', 'Again');
    await clickAndWait(page, '::-p-aria(Send the report on reply 1[role="button"])', 'page');
    expect(await text()).toContain('You have already reported this post.');
  }, 180_000);

  it('a moderator finds the report, hides the post and bans its author; the others no longer see it', async () => {
    const page = await person(moderator, true);
    const text = (): Promise<string> => mainText(page);
    await page.goto(`${base}/communities/${slug}`, { waitUntil: 'load' });
    expect(await text()).toContain('Open reports');
    expect(await text()).toContain('The link goes to a page that asks for a password.');
    await expectAccessible(page, 'a space with an open report');
    await clickAndWait(page, '::-p-aria(Open the post in its discussion[role="link"])');
    await page.locator('::-p-aria(Moderate reply 1)').click();
    await page.locator('::-p-aria(Reason for moderating reply 1 (optional, kept in the audit log)[role="textbox"])').fill('Link to a login page');
    await clickAndWait(page, '::-p-aria(Hide reply 1[role="button"])');
    expect(await text()).toContain('The post is hidden. Only moderators see it now.');
    expect(await text()).toContain('Hidden');
    expect(await text()).toContain('We use the national portal.');
    await expectAccessible(page, 'a discussion with a hidden post (moderator)');
    const [post] = (await api.dataSource.query(`SELECT id FROM community_post WHERE author_id = $1`, [helper.id])) as Array<{ id: string }>;
    expect(await audit('community.post_hidden', post.id)).toBe(1);

    // A form posted without the CSRF token is refused, whoever's session sends it.
    const forged = await page.evaluate(
      (url) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'reason=x', redirect: 'manual' }).then((r) => r.status),
      `${threadUrl}/posts/${post.id}/unhide`,
    );
    expect(forged).toBe(403);
    expect(await audit('community.post_shown', post.id)).toBe(0);

    await page.locator('::-p-aria(Moderate reply 1)').click();
    await clickAndWait(page, '::-p-aria(Ban Jovan Jovanović from this space[role="button"])');
    expect(await text()).toContain('The person may no longer write in this space.');
    expect(await page.$$eval('button', (bs) => bs.some((b) => b.textContent?.includes('Lift the ban on Jovan Jovanović')))).toBe(true);
    const bans = (await api.dataSource.query(`SELECT user_id FROM community_ban WHERE user_id = $1`, [helper.id])) as unknown[];
    expect(bans).toHaveLength(1);
    const [{ n: reportsOpen }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM community_report WHERE post_id = $1 AND resolved_at IS NULL`, [post.id])) as Array<{ n: number }>;
    expect(reportsOpen).toBe(0);

    // Elena: the hidden reply and its acceptance are gone.
    const asked = await person(asker, false);
    await asked.goto(threadUrl, { waitUntil: 'load' });
    expect(await mainText(asked)).not.toContain('We use the national portal.');
    expect(await mainText(asked)).not.toContain('Accepted answer');
    await checkedWithoutScript(asked, 'the discussion without the hidden post');

    // Jovan, banned: reads, but no forms to write or report.
    const banned = await person(helper, false);
    await banned.goto(threadUrl, { waitUntil: 'load' });
    expect(await mainText(banned)).toContain('You have been banned from this space');
    expect(await mainText(banned)).not.toContain('We use the national portal.');
    expect(await banned.$$eval('main form', (f) => f.length)).toBe(0);
    await checkedWithoutScript(banned, 'a discussion read by a banned person');
  }, 120_000);

  it('the main navigation with ten items stays usable on a 360 px phone, also in Macedonian', async () => {
    const page = await person(moderator, true);
    await api.dataSource.query(`INSERT INTO role_grant (user_id, role, scope_org_unit_id) SELECT $1, 'hr', id FROM org_unit WHERE code = 'ROOT'`, [moderator.id]);
    for (const lang of ['en', 'mk'] as const) {
      await page.setExtraHTTPHeaders({ 'Accept-Language': lang });
      await api.dataSource.query(`UPDATE app_user SET locale = $2 WHERE id = $1`, [moderator.id, lang]);
      await page.goto(`${base}/communities`, { waitUntil: 'load' });
      const nav = await page.$eval('nav.nav', (n) => {
        const links = [...n.querySelectorAll('a')].map((a) => a.getBoundingClientRect());
        return {
          count: links.length,
          height: n.getBoundingClientRect().height,
          inside: links.every((r) => r.left >= 0 && r.right <= document.documentElement.clientWidth),
          smallest: Math.min(...links.map((r) => r.height)),
        };
      });
      expect(nav.count).toBe(10);
      expect(nav.inside).toBe(true);
      // Targets at least 24 px high (WCAG 2.5.8), the whole menu under half of a 640 px screen.
      expect(nav.smallest).toBeGreaterThanOrEqual(24);
      expect(nav.height).toBeLessThan(320);
      await expectAccessible(page, `communities list (${lang})`);
      await screenshot(page, `hub-communities-nav-${lang}`, { fullPage: false });
    }
  }, 60_000);

  it('with JavaScript off: share a link in a space (a refused address first); the link is listed', async () => {
    // Someone new (Jovan was banned above).
    const root = await api.dataSource.getRepository(OrgUnit).findOneByOrFail({ code: 'ROOT' });
    const sharer = await aUser(api.dataSource, { orgUnit: root, password: PASSWORD, displayName: 'Sara Savić', locale: 'en' });
    const page = await person(sharer, false);
    await page.goto(`${base}/communities/${slug}`, { waitUntil: 'load' });
    const text = (): Promise<string> => mainText(page);
    expect(await text()).toContain('Resources');
    expect(await text()).toContain('PDF, ODT, DOCX, PNG or JPEG, at most 10 MB.');
    // The file form is a plain multipart form (no script needed).
    expect(await page.$eval('input[type="file"]', (i) => i.closest('form')?.getAttribute('enctype'))).toBe('multipart/form-data');
    // The two resource forms share labels, so their fields are found by their ids.
    await page.type('#link-title', 'National open data portal guide');
    await page.type('::-p-aria(Address[role="textbox"])', 'http://data.example.org/guide');
    await clickAndWait(page, '::-p-aria(Share the link[role="button"])', 'page');
    expect(await text()).toContain('Enter a web address that starts with https://');
    expect(await page.title()).toMatch(/^There is a problem: /);
    expect(await page.$eval('#link-title', (i) => (i as HTMLInputElement).value)).toBe('National open data portal guide');
    await checkedWithoutScript(page, 'link form with an error');
    const none = (await api.dataSource.query(`SELECT 1 FROM community_resource WHERE added_by = $1`, [sharer.id])) as unknown[];
    expect(none).toHaveLength(0);

    await page.$eval('#link-url', (i) => ((i as HTMLInputElement).value = ''));
    await page.type('#link-url', 'https://data.example.org/guide');
    await page.type('#link-note', 'Chapter 3 covers licences.');
    await clickAndWait(page, '::-p-aria(Share the link[role="button"])', 'page');
    expect(await text()).toContain('The resource is shared.');
    expect(await text()).toContain('Chapter 3 covers licences.');
    expect(await text()).toContain('Shared by Sara Savić');
    const link = await page.$eval('::-p-aria(National open data portal guide[role="link"])', (a) => ({ href: a.getAttribute('href'), rel: a.getAttribute('rel') }));
    expect(link).toEqual({ href: 'https://data.example.org/guide', rel: 'noopener noreferrer nofollow' });
    await checkedWithoutScript(page, 'a space with a shared link', 'hub-communities-resources-en');

    // A file through the plain multipart form: a text file is refused at the field, a PDF is shared.
    const dir = mkdtempSync(join(tmpdir(), 'community-files-'));
    writeFileSync(join(dir, 'notes.txt'), 'plain text, not a document');
    writeFileSync(join(dir, 'budget plan.pdf'), '%PDF-1.4\n% budget plan\n');
    await page.type('#file-title', 'Budget plan');
    const input = (await page.$('input#file-file')) as ElementHandle<HTMLInputElement> | null;
    await input!.uploadFile(join(dir, 'notes.txt'));
    await clickAndWait(page, '::-p-aria(Add the file[role="button"])', 'page');
    expect(await text()).toContain('Choose a PDF, ODT, DOCX, PNG or JPEG file of at most 10 MB.');
    await checkedWithoutScript(page, 'file form with an error');
    const again = (await page.$('input#file-file')) as ElementHandle<HTMLInputElement> | null;
    await again!.uploadFile(join(dir, 'budget plan.pdf'));
    await clickAndWait(page, '::-p-aria(Add the file[role="button"])', 'page');
    expect(await text()).toContain('The resource is shared.');
    expect(await text()).toContain('File budget plan.pdf, 1 KB');
    const href = await page.$eval('::-p-aria(Budget plan[role="link"])', (a) => a.getAttribute('href'));
    expect(href).toMatch(new RegExp(`^/communities/${slug}/resources/[0-9a-f-]{36}/file$`));
  }, 60_000);

  it('with JavaScript off: an enrolled learner opens the course’s discussion from the course page', async () => {
    const course = await aPublishedCourse(api.dataSource, { languages: ['en'] });
    await api.dataSource.query(
      `INSERT INTO enrolment (user_id, course_id, course_version_id, status, source, progress, started_at) VALUES ($1, $2, $3, 'in_progress', 'self', 0, now())`,
      [asker.id, course.courseId, course.versionId],
    );
    const page = await person(asker, false);
    await page.goto(`${base}/courses/${course.slug}`, { waitUntil: 'load' });
    await clickAndWait(page, '::-p-aria(Discussion[role="link"])', 'page');
    expect(new URL(page.url()).pathname).toMatch(/^\/communities\/course-[0-9a-f-]{36}$/);
    const text = await mainText(page);
    expect(text).toContain(`Course ${course.courseId.slice(0, 8)} v1`);
    expect(text).toContain('Course discussion: learners enrolled in the course and its authors');
    expect(text).toContain('No discussions yet.');
    await checkedWithoutScript(page, 'a course discussion');
    const spaces = (await api.dataSource.query(`SELECT count(*)::int AS n FROM community_space WHERE course_id = $1`, [course.courseId])) as Array<{ n: number }>;
    expect(spaces[0].n).toBe(1);
  }, 60_000);
});

