/// <reference lib="dom" />
import type { Page } from 'puppeteer-core';
import { aUser, anOrgUnit, drainJobs, startApi, TestApi, tokenFor } from '@lms/testing';
import type { OrgUnit, User } from '@lms/identity';
import { clickAndWait, closeBrowsers, expectAccessible, fillSignIn, freePort, launchBrowser, Link, PHONE } from '../support/browser.js';
import type { LaunchedBrowser } from '../support/browser.js';
import { readPdf } from '../credentials/support.js';

const PASSWORD = 'a-learner-on-a-cheap-phone-7';
const COURSE = 'ai-fundamentals';
/** Every page checked is photographed under its label, the viewport only (when SCREENSHOTS_DIR is set). */
const SHOT = { fullPage: false };

interface Context {
  api: TestApi;
  link: Link;
  base: string;
}

async function boot(): Promise<Context> {
  const linkPort = await freePort();
  const base = `http://127.0.0.1:${linkPort}`;
  // The real starter catalog (ai-fundamentals is in en, sr-Latn and sr-Cyrl), imported as on a first start.
  const api = await startApi({ env: { PUBLIC_URL: base, IMPORT_COURSES_ON_START: 'true' } });
  await api.app.listen(0, '127.0.0.1');
  const appPort = (api.app.getHttpServer().address() as { port: number }).port;
  const link = new Link(appPort);
  await link.start(linkPort);
  return { api, link, base };
}

/** The right answers of a course's quiz, read from the database (the browser never sees them). */
async function rightAnswers(api: TestApi, slug: string): Promise<Map<string, string[]>> {
  const [row] = (await api.dataSource.query(
    `SELECT v.quiz FROM course_version v JOIN course c ON c.id = v.course_id WHERE c.slug = $1 AND v.status = 'published' ORDER BY v.version DESC LIMIT 1`,
    [slug],
  )) as Array<{ quiz: { questions: Array<{ id: string; choices: Array<{ id: string; correct?: boolean }> }> } }>;
  return new Map(row.quiz.questions.map((q) => [q.id, q.choices.filter((c) => c.correct).map((c) => c.id)]));
}

async function answerQuiz(page: Page, answers: Map<string, string[]>): Promise<void> {
  for (const [question, choices] of answers) {
    for (const choice of choices) await page.click(`input[data-question="${question}"][value="${choice}"]`);
  }
}

async function counts(api: TestApi, userId: string): Promise<{ lessons: number; attempts: number; completions: number; status: string }> {
  const [row] = (await api.dataSource.query(
    `SELECT (SELECT count(*)::int FROM lesson_progress p WHERE p.enrolment_id = e.id) AS lessons,
            (SELECT count(*)::int FROM quiz_attempt a WHERE a.enrolment_id = e.id) AS attempts,
            (SELECT count(*)::int FROM outbox_event o WHERE o.name = 'enrolment.completed' AND o.payload->>'enrolmentId' = e.id::text) AS completions,
            e.status
       FROM enrolment e JOIN course c ON c.id = e.course_id WHERE e.user_id = $1 AND c.slug = $2`,
    [userId, COURSE],
  )) as Array<{ lessons: number; attempts: number; completions: number; status: string }>;
  return row;
}

async function lessonsOf(api: TestApi): Promise<string[]> {
  const rows = (await api.dataSource.query(
    `SELECT l.slug FROM lesson l JOIN course_version v ON v.id = l.course_version_id JOIN course c ON c.id = v.course_id
      WHERE c.slug = $1 AND v.status = 'published' ORDER BY l.position`,
    [COURSE],
  )) as Array<{ slug: string }>;
  return rows.map((r) => r.slug);
}

/** Goes offline the way a phone does: the link drops (server unreachable) and the browser knows it. */
async function goOffline(page: Page, link: Link): Promise<void> {
  link.down();
  await page.setOfflineMode(true);
}
async function goOnline(page: Page, link: Link): Promise<void> {
  link.up();
  await page.setOfflineMode(false);
}

async function download(page: Page): Promise<void> {
  await page.waitForSelector('[data-download]:not([hidden])');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await page.click('[data-download]');
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-status]')?.textContent ?? ''), { timeout: 30_000 });
}

describe('the learner web app in a real browser (Chromium, phone-sized)', () => {
  let ctx: Context;
  let unit: OrgUnit;
  let hrToken: string;
  const browsers: LaunchedBrowser[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ctx = await boot();
    unit = await anOrgUnit(ctx.api.dataSource, { name: 'Opština Kladovo' });
    const hr = await aUser(ctx.api.dataSource, { orgUnit: unit, roles: [{ role: 'hr' }] });
    hrToken = await tokenFor(ctx.api.config, hr);
  }, 120_000);

  beforeEach(() => ctx.link.up());

  afterAll(async () => {
    await closeBrowsers(...browsers);
    await ctx?.link.close();
    await ctx?.api.close();
  });

  async function assignedLearner(name: string): Promise<{ user: User; emailLink: string }> {
    const user = await aUser(ctx.api.dataSource, { orgUnit: unit, password: PASSWORD, displayName: name, timeZone: 'Europe/Belgrade' });
    // E-mail as things happen (the default is one morning digest), so the assignment's e-mail is there now.
    await ctx.api.http
      .put('/api/v1/me/notification-preferences')
      .set({ Authorization: `Bearer ${await tokenFor(ctx.api.config, user)}` })
      .send({ email: true, digest: 'immediate' })
      .expect(200);
    await ctx.api.http.post('/api/v1/assignments').set({ Authorization: `Bearer ${hrToken}` }).send({ courseSlug: COURSE, target: { userIds: [user.id] }, dueInDays: 14 }).expect(201);
    await drainJobs(ctx.api, 30_000);
    const [mail] = (await ctx.api.dataSource.query(`SELECT text_body FROM email_message WHERE user_id = $1`, [user.id])) as Array<{ text_body: string }>;
    const emailLink = /(http:\/\/127\.0\.0\.1:\d+\/courses\/[\w-]+)/.exec(mail.text_body)![1];
    return { user, emailLink };
  }

  async function newPhone(userDataDir?: string): Promise<{ launched: LaunchedBrowser; page: Page }> {
    const launched = await launchBrowser(userDataDir);
    browsers.push(launched);
    const page = await launched.browser.newPage();
    await page.setViewport(PHONE);
    page.on('pageerror', (e: unknown) => pageErrors.push(`${page.url()}: ${e instanceof Error ? e.message : String(e)}`));
    return { launched, page };
  }

  it('e-mail link → sign in → Cyrillic → lessons, offline half-way → back online → quiz → certificate → its QR opens the verification page', async () => {
    const { user, emailLink } = await assignedLearner('Јелена Јовановић');
    const { page } = await newPhone();
    const cspViolations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });

    await page.goto(emailLink);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await expectAccessible(page, 'sign-in', SHOT);
    await fillSignIn(page, user.email, PASSWORD);
    expect(page.url()).toBe(emailLink);
    await expectAccessible(page, 'course', SHOT);

    await clickAndWait(page, '::-p-aria(Ћирилица[role="button"])');
    expect(await page.$eval('html', (h) => h.lang)).toBe('sr-Cyrl');
    expect(await page.$eval('h1', (h) => h.textContent)).toMatch(/[А-Яа-яЂЈЉЊЋЏђјљњћџ]/);
    await expectAccessible(page, 'course-cyrillic', SHOT);

    await download(page);
    expect(await page.$eval('[data-status]', (e) => e.textContent)).toMatch(/^Преузето: \d+/);

    const lessons = await lessonsOf(ctx.api);
    await clickAndWait(page, `a[href$="/lessons/${lessons[0]}"]`);
    await expectAccessible(page, 'lesson-cyrillic', SHOT);
    await clickAndWait(page, '::-p-aria(Означи као завршено)');
    expect(page.url()).toContain(`/lessons/${lessons[1]}`);
    expect((await counts(ctx.api, user.id)).lessons).toBe(1);

    // The link drops half-way: the downloaded lessons still open, completions wait on the device.
    await goOffline(page, ctx.link);
    for (const [i, slug] of lessons.slice(1).entries()) {
      if (i > 0) await clickAndWait(page, `a[rel="next"]`);
      expect(page.url()).toContain(`/lessons/${slug}`);
      await page.click('form[data-offline="lesson.complete"] button');
      await page.waitForSelector('.notice.ok[role="status"]');
    }
    await expectAccessible(page, 'lesson-offline', SHOT);
    expect(await page.$eval('#net', (e) => e.textContent)).toMatch(/\S/);
    expect((await counts(ctx.api, user.id)).lessons).toBe(1);

    // Back online: the queue is sent, the server applies it once.
    await goOnline(page, ctx.link);
    await page.waitForFunction(() => /послат/i.test(document.getElementById('net')?.textContent ?? ''), { timeout: 20_000 });
    expect((await counts(ctx.api, user.id)).lessons).toBe(lessons.length);

    await page.goto(`${ctx.base}/courses/${COURSE}/quiz`);
    await expectAccessible(page, 'quiz-cyrillic', SHOT);
    await answerQuiz(page, await rightAnswers(ctx.api, COURSE));
    await clickAndWait(page, 'form[data-offline] button[type="submit"]');
    expect(await page.$eval('main [role="status"] strong', (e) => e.textContent)).toMatch(/Положили сте/);
    await expectAccessible(page, 'quiz-result', SHOT);
    expect(await counts(ctx.api, user.id)).toEqual({ lessons: lessons.length, attempts: 1, completions: 1, status: 'completed' });

    await drainJobs(ctx.api, 30_000);
    await page.goto(`${ctx.base}/certificates`);
    await expectAccessible(page, 'certificates', SHOT);
    const pdfHref = await page.$eval('a[href$="/pdf"]', (a) => (a as HTMLAnchorElement).href);
    const bytes = await page.evaluate(async (href) => Array.from(new Uint8Array(await (await fetch(href)).arrayBuffer())), pdfHref);
    const pdf = await readPdf(Buffer.from(bytes));
    expect(pdf.text).toContain('Јелена Јовановић');
    expect(pdf.qr).toMatch(new RegExp(`^${ctx.base}/verify/[\\w-]{27}$`));

    // The QR code opens the public verification page (in a browser that is not signed in).
    const { page: stranger } = await newPhone();
    await stranger.goto(pdf.qr!);
    expect(await stranger.$eval('main [role="status"]', (e) => e.textContent)).toContain('This certificate is valid.');
    expect(await stranger.$eval('main', (e) => e.textContent)).toContain('Јелена Јовановић');
    await expectAccessible(stranger, 'verify', SHOT);
    await stranger.goto(`${ctx.base}/open-data`);
    await expectAccessible(stranger, 'open-data', SHOT);
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('the browser killed in the middle of a sync: after a restart nothing is lost and nothing is doubled', async () => {
    const { user, emailLink } = await assignedLearner('Marko Marković');
    const { launched, page } = await newPhone();
    await page.goto(emailLink);
    await fillSignIn(page, user.email, PASSWORD);
    await download(page);
    const lessons = await lessonsOf(ctx.api);

    await goOffline(page, ctx.link);
    for (const slug of lessons) {
      await page.goto(`${ctx.base}/courses/${COURSE}/lessons/${slug}`);
      await page.click('form[data-offline="lesson.complete"] button');
      await page.waitForSelector('.notice.ok[role="status"]');
    }
    await page.goto(`${ctx.base}/courses/${COURSE}/quiz`);
    await answerQuiz(page, await rightAnswers(ctx.api, COURSE));
    await page.click('form[data-offline] button[type="submit"]');
    await page.waitForSelector('.notice.ok[role="status"]');
    expect(await counts(ctx.api, user.id)).toMatchObject({ lessons: 0, attempts: 0 });

    // The connection returns, the sync reaches the server, and every answer to the device is lost;
    // the browser is killed once the server has applied the batch.
    ctx.link.state = 'answers-lost';
    await page.setOfflineMode(false);
    const deadline = Date.now() + 20_000;
    while ((await counts(ctx.api, user.id)).attempts === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await counts(ctx.api, user.id)).toEqual({ lessons: lessons.length, attempts: 1, completions: 1, status: 'completed' });
    launched.browser.process()?.kill('SIGKILL');
    ctx.link.up();

    // The same phone starts again: its queue is still there and is replayed; the server changes nothing.
    const again = await newPhone(launched.userDataDir);
    await again.page.goto(`${ctx.base}/`);
    // A cookie written just before the kill may not have reached the profile: then the person signs in again.
    if (new URL(again.page.url()).pathname === '/sign-in') {
      await fillSignIn(again.page, user.email, PASSWORD);
    }
    await again.page.waitForFunction(() => /were sent/.test(document.getElementById('net')?.textContent ?? ''), { timeout: 20_000 });
    const pending = await again.page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const r = indexedDB.open('lms-offline', 1);
          r.onsuccess = () => {
            const q = r.result.transaction('queue', 'readonly').objectStore('queue').count();
            q.onsuccess = () => resolve(q.result);
          };
        }),
    );
    expect(pending).toBe(0);
    expect(await counts(ctx.api, user.id)).toEqual({ lessons: lessons.length, attempts: 1, completions: 1, status: 'completed' });
  }, 180_000);

  it('every other page at 320 px: no axe violation, no sideways scrolling, a skip link and a visible keyboard focus', async () => {
    const { user, emailLink } = await assignedLearner('Ana Kovačević');
    const { page } = await newPhone();
    await page.setViewport({ ...PHONE, width: 320 });
    await page.goto(emailLink);
    // Keyboard only: the e-mail field, the password, Enter.
    await page.focus('#email');
    await page.keyboard.type(user.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(page.url()).toBe(emailLink);
    for (const [label, path] of [
      ['home', '/'],
      ['catalog', '/courses'],
      ['catalog-search', '/courses?q=podaci&language=sr-Latn'],
      ['competencies', '/competencies'],
      ['notifications', '/notifications'],
      ['settings', '/settings'],
      ['sign-out', '/sign-out'],
      ['verify-form', '/verify'],
      ['offline', '/offline'],
      ['not-found', '/courses/no-such-course'],
    ]) {
      await page.goto(`${ctx.base}${path}`);
      await expectAccessible(page, label, SHOT);
      // The first Tab reaches the skip link, which moves focus to the main content.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle + getComputedStyle(document.activeElement!).backgroundColor);
      expect(outline).not.toBe('nonergba(0, 0, 0, 0)');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        const mainHasControls = !!document.querySelector('main a, main button, main input, main select, main [tabindex="0"]');
        return { inMain: !!el.closest('main') || !mainHasControls, visible: style.outlineStyle !== 'none' || style.boxShadow !== 'none' };
      });
      expect({ label, ...focused }).toEqual({ label, inMain: true, visible: true });
    }
    // Settings by keyboard: choose Serbian Latin, save, see the confirmation in Serbian.
    await page.goto(`${ctx.base}/settings`);
    await page.select('#locale', 'sr-Latn');
    await page.select('#timeZone', 'Europe/Sarajevo');
    await clickAndWait(page, '::-p-aria(Save settings)');
    expect(await page.$eval('main [role="status"]', (e) => e.textContent)).toContain('Podešavanja su sačuvana.');
    await expectAccessible(page, 'settings-saved', SHOT);
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('works with JavaScript off: sign in, read, mark lessons complete and pass the quiz with plain forms', async () => {
    const { user, emailLink } = await assignedLearner('Petar Petrović');
    const launched = await launchBrowser(undefined, false);
    browsers.push(launched);
    const page = await launched.browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.setViewport(PHONE);
    // No page script runs, so only what needs no JavaScript in the page: typing, clicking, reading the HTML.
    const submit = async (selector: string): Promise<void> => {
      await Promise.all([page.waitForNavigation(), page.click(selector)]);
    };
    await page.goto(emailLink);
    await page.type('#email', user.email);
    await page.type('#password', PASSWORD);
    await submit('::-p-aria(Sign in[role="button"])');
    expect(page.url()).toBe(emailLink);
    const lessons = await lessonsOf(ctx.api);
    await page.goto(`${ctx.base}/courses/${COURSE}/lessons/${lessons[0]}`);
    for (const slug of lessons) {
      expect(page.url()).toContain(`/lessons/${slug}`);
      await submit('::-p-aria(Mark as complete)');
    }
    expect(page.url()).toBe(`${ctx.base}/courses/${COURSE}/quiz`);
    await answerQuiz(page, await rightAnswers(ctx.api, COURSE));
    await submit('::-p-aria(Submit answers)');
    expect(await page.content()).toMatch(/<strong>You passed with \d+%\.<\/strong>/);
    expect(await counts(ctx.api, user.id)).toEqual({ lessons: lessons.length, attempts: 1, completions: 1, status: 'completed' });
  }, 180_000);

  it('weak-link budgets: My learning on a first visit ≤ 100 KB in all and ≤ 30 KB of JavaScript; a lesson ≤ 50 KB', async () => {
    const { user, emailLink } = await assignedLearner('Milica Nikolić');
    const { page } = await newPhone();
    await page.goto(emailLink);
    await fillSignIn(page, user.email, PASSWORD);
    const cdp = await page.createCDPSession();
    const cold = async (path: string): Promise<{ bytes: number }> => {
      await cdp.send('Network.clearBrowserCache');
      await cdp.send('Storage.clearDataForOrigin', { origin: ctx.base, storageTypes: 'cache_storage,service_workers' });
      ctx.link.bytesDown = 0;
      await page.goto(`${ctx.base}${path}`, { waitUntil: 'networkidle0' });
      const sw = await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
      expect(sw).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      return { bytes: ctx.link.bytesDown };
    };
    const home = await cold('/');
    const lessons = await lessonsOf(ctx.api);
    const lesson = await cold(`/courses/${COURSE}/lessons/${lessons[1]}`);
    // The page's scripts: the module it loads and the service worker, counted uncompressed (stricter than the budget).
    const html = await page.content();
    const jsBytes = await Promise.all(
      [/src="(\/assets\/app\.\w+\.js)"/.exec(html)![1], '/sw.js'].map(async (url) => {
        const res = await ctx.api.http.get(url).set('accept-encoding', 'br').buffer(true).parse((r, done) => {
          let n = 0;
          r.on('data', (c: Buffer) => (n += c.length)).on('end', () => done(null, n));
        });
        return res.body as number;
      }),
    );
    const js = jsBytes.reduce((a, b) => a + b, 0);
    console.log(`page weight (on the wire, cold cache, service worker installed): My learning ${home.bytes} B (JavaScript ${js} B uncompressed); lesson ${lesson.bytes} B`);
    expect(home.bytes).toBeLessThanOrEqual(100 * 1024);
    expect(js).toBeGreaterThan(1000);
    expect(js).toBeLessThanOrEqual(30 * 1024);
    expect(lesson.bytes).toBeLessThanOrEqual(50 * 1024);
  }, 120_000);
});
