/// <reference lib="dom" />
import type { Page } from 'puppeteer-core';
import { aUser, anOrgUnit, drainJobs, startApi, TestApi, tokenFor } from '@lms/testing';
import type { OrgUnit, User } from '@lms/identity';
import { CATALOGS, en } from '@lms/web';
import { axe, clickAndWait, closeBrowsers, launchBrowser, listenLocally, PHONE, screenshot } from '../support/browser.js';
import type { LaunchedBrowser } from '../support/browser.js';

const PASSWORD = 'a-learner-in-skopje-and-nis-7';
type Locale = 'sr-Cyrl' | 'mk';
/** The school's name per language (ISSUER_NAMES); the Cyrillic one is generated from the Latin. */
const SCHOOL_NAMES = { en: 'School of Public Administration', 'sr-Latn': 'Škola javne uprave', mk: 'Школа за јавна администрација' };
const ISSUER_IN: Record<Locale, string> = { 'sr-Cyrl': 'Школа јавне управе', mk: SCHOOL_NAMES.mk };

/**
 * The English strings a page in `locale` must not show: every English message that the locale
 * translates differently, whole when it has no arguments, else its literal fragments of two words
 * or more. Identical strings (PDF, Open Badges) are not English leaks.
 */
function englishLeaks(locale: Locale): { whole: string[]; fragments: string[] } {
  const whole: string[] = [];
  const fragments: string[] = [];
  for (const [key, english] of Object.entries(en)) {
    if (CATALOGS[locale][key as keyof typeof en] === english) continue;
    if (!english.includes('{')) whole.push(english);
    else
      for (const piece of english.split(/\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}/))
        if (piece.trim().split(/\s+/).length >= 2 && piece.trim().length >= 8) fragments.push(piece.trim());
  }
  return { whole, fragments };
}

/** Visible text nodes of the page outside content shown in another language (elements with another lang). */
async function visibleTexts(page: Page, locale: string): Promise<string[]> {
  return page.evaluate((pageLang) => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = n.textContent?.trim() ?? '';
      if (!el || !text || el.closest('script, style, template, [hidden]')) continue;
      const lang = el.closest('[lang]')?.getAttribute('lang');
      if (lang && lang !== pageLang) continue;
      out.push(text);
    }
    for (const el of Array.from(document.querySelectorAll('[aria-label], [title], input[placeholder]'))) {
      const lang = el.closest('[lang]')?.getAttribute('lang');
      if (lang && lang !== pageLang) continue;
      for (const a of ['aria-label', 'title', 'placeholder']) if (el.getAttribute(a)) out.push(el.getAttribute(a)!.trim());
    }
    out.push(document.title);
    return out;
  }, locale);
}

async function expectLocalised(page: Page, locale: Locale, label: string): Promise<void> {
  expect({ page: label, lang: await page.$eval('html', (h) => h.lang) }).toEqual({ page: label, lang: locale });
  const { whole, fragments } = englishLeaks(locale);
  const texts = await visibleTexts(page, locale);
  const leaks = texts.filter((t) => whole.includes(t) || fragments.some((f) => t.includes(f)));
  expect({ page: label, leaks }).toEqual({ page: label, leaks: [] });
  const violations = await axe(page);
  expect({ page: label, violations }).toEqual({ page: label, violations: [] });
}

/** A small course in English and Macedonian, generated here (the real translation of ai-fundamentals arrives separately). */
function macedonianCourse(slug: string): Record<string, unknown> {
  return {
    course: {
      slug,
      school: 'SPA',
      defaultLanguage: 'en',
      languages: ['en', 'mk'],
      title: { en: 'Digital services basics', mk: 'Основи на дигиталните услуги' },
      summary: { en: 'A short course for the test.', mk: 'Краток курс за проверка на јазикот.' },
      audience: 'all-staff',
      level: 'foundation',
      estimatedMinutes: 10,
      framework: 'dacps',
      competencies: [{ code: 'DAT.2', level: 1 }],
      alignedWith: [],
      completion: { quiz: { passMark: 50, attemptsAllowed: 3 } },
    },
    lessons: [
      { slug: 'services', title: { en: 'Services', mk: 'Услуги' }, minutes: 5, body: { en: '## Services\n\nOnline services.', mk: '## Услуги\n\nУслуги преку интернет за граѓаните.' } },
      { slug: 'people', title: { en: 'People', mk: 'Луѓе' }, minutes: 5, body: { en: '## People\n\nUsers first.', mk: '## Луѓе\n\nПрво корисниците.' } },
    ],
    quiz: {
      questions: [
        {
          id: 'q1',
          type: 'single',
          text: { en: 'Who comes first?', mk: 'Кој е на прво место?' },
          choices: [
            { id: 'a', text: { en: 'The users', mk: 'Корисниците' }, correct: true },
            { id: 'b', text: { en: 'The forms', mk: 'Образците' } },
          ],
        },
      ],
    },
  };
}

describe('the learner journey in Serbian Cyrillic and Macedonian shows no English interface text (Chromium, axe)', () => {
  let api: TestApi;
  let unit: OrgUnit;
  let base: string;
  let mkCourse = 'ai-fundamentals';
  const browsers: LaunchedBrowser[] = [];

  beforeAll(async () => {
    api = await startApi({ env: { IMPORT_COURSES_ON_START: 'true', UI_LOCALES: 'en,sr-Latn,sr-Cyrl,mk', ISSUER_NAMES: JSON.stringify({ SPA: SCHOOL_NAMES }) } });
    base = await listenLocally(api);
    unit = await anOrgUnit(api.dataSource, { name: 'Општина Охрид' });
    // ai-fundamentals in Macedonian when its translation is in courses/, else a small fixture course.
    const [row] = (await api.dataSource.query(
      `SELECT 'mk' = ANY(v.languages) AS has FROM course_version v JOIN course c ON c.id = v.course_id WHERE c.slug = 'ai-fundamentals' AND v.status = 'published' ORDER BY v.version DESC LIMIT 1`,
    )) as Array<{ has: boolean }>;
    if (!row?.has) {
      mkCourse = 'digital-services-mk';
      const admin = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'admin', scope: null }] });
      const auth = { Authorization: `Bearer ${await tokenFor(api.config, admin)}` };
      await api.http.post('/api/v1/courses').set(auth).send(macedonianCourse(mkCourse)).expect(201);
      await api.http.post(`/api/v1/courses/${mkCourse}/publish`).set(auth).expect(201);
    }
  }, 120_000);

  afterAll(async () => {
    await closeBrowsers(...browsers);
    await api?.close();
  });

  async function rightAnswers(slug: string): Promise<Map<string, string[]>> {
    const [row] = (await api.dataSource.query(
      `SELECT v.quiz FROM course_version v JOIN course c ON c.id = v.course_id WHERE c.slug = $1 AND v.status = 'published' ORDER BY v.version DESC LIMIT 1`,
      [slug],
    )) as Array<{ quiz: { questions: Array<{ id: string; choices: Array<{ id: string; correct?: boolean }> }> } }>;
    return new Map(row.quiz.questions.map((q) => [q.id, q.choices.filter((c) => c.correct).map((c) => c.id)]));
  }

  async function lessonsOf(slug: string): Promise<string[]> {
    const rows = (await api.dataSource.query(
      `SELECT l.slug FROM lesson l JOIN course_version v ON v.id = l.course_version_id JOIN course c ON c.id = v.course_id
        WHERE c.slug = $1 AND v.status = 'published' AND v.version = (SELECT max(version) FROM course_version WHERE course_id = c.id AND status = 'published') ORDER BY l.position`,
      [slug],
    )) as Array<{ slug: string }>;
    return rows.map((r) => r.slug);
  }

  it('the English-leak detector finds English on an English page (so its silence elsewhere means something)', async () => {
    const launched = await launchBrowser();
    browsers.push(launched);
    const page = await launched.browser.newPage();
    await page.setExtraHTTPHeaders({ 'Accept-Language': 'en' });
    await page.goto(`${base}/sign-in`);
    const { whole, fragments } = englishLeaks('mk');
    const texts = await visibleTexts(page, 'en');
    const leaks = texts.filter((t) => whole.includes(t) || fragments.some((f) => t.includes(f)));
    expect(leaks).toEqual(expect.arrayContaining(['Sign in', 'E-mail address', 'Password', 'Skip to main content']));
  }, 60_000);

  it.each([
    ['sr-Cyrl', 'ai-fundamentals', 'sr-RS,sr;q=0.9'],
    ['mk', '', 'mk-MK,mk;q=0.9'],
  ] as Array<[Locale, string, string]>)(
    '%s: sign-in, My learning, catalog, course, lessons, quiz, certificate, notifications, settings, verification',
    async (locale, courseArg, acceptLanguage) => {
      const course = courseArg || mkCourse;
      const user: User = await aUser(api.dataSource, { orgUnit: unit, password: PASSWORD, locale, displayName: locale === 'mk' ? 'Ана Стојановска' : 'Ана Петровић' });
      const launched = await launchBrowser();
      browsers.push(launched);
      const page = await launched.browser.newPage();
      await page.setViewport(PHONE);
      await page.setExtraHTTPHeaders({ 'Accept-Language': acceptLanguage });

      await page.goto(`${base}/sign-in`);
      await expectLocalised(page, locale, `${locale} sign-in`);
      await page.type('input[name="email"]', user.email);
      await page.type('input[name="password"]', PASSWORD);
      await clickAndWait(page, 'main form button[type="submit"]', 'page');
      await page.goto(`${base}/`);
      await expectLocalised(page, locale, `${locale} home`);
      await page.goto(`${base}/courses`);
      await expectLocalised(page, locale, `${locale} catalog`);

      await page.goto(`${base}/courses/${course}`);
      await clickAndWait(page, `form[action="/courses/${course}/enrol"] button`, 'page');
      await expectLocalised(page, locale, `${locale} course`);
      // The school offering the course is named in the page's language too (ISSUER_NAMES).
      expect(await page.$eval('main', (m) => m.textContent ?? '')).toContain(ISSUER_IN[locale]);
      const lessons = await lessonsOf(course);
      for (const [i, slug] of lessons.entries()) {
        await page.goto(`${base}/courses/${course}/lessons/${slug}`);
        if (i === 0) await expectLocalised(page, locale, `${locale} lesson`);
        await clickAndWait(page, 'form[data-offline="lesson.complete"] button', 'page');
      }
      await page.goto(`${base}/courses/${course}/quiz`);
      await expectLocalised(page, locale, `${locale} quiz`);
      for (const [question, choices] of await rightAnswers(course)) for (const choice of choices) await page.click(`input[data-question="${question}"][value="${choice}"]`);
      await clickAndWait(page, 'form[data-offline] button[type="submit"]', 'page');
      await expectLocalised(page, locale, `${locale} quiz result`);

      await drainJobs(api, 30_000);
      for (const path of ['/certificates', '/notifications', '/settings', '/competencies']) {
        await page.goto(`${base}${path}`);
        await expectLocalised(page, locale, `${locale} ${path}`);
      }
      await page.goto(`${base}/certificates`);
      const verify = await page.$eval('input[id^="share-"]', (i) => (i as HTMLInputElement).value);
      await page.goto(`${base}${new URL(verify).pathname}`);
      await expectLocalised(page, locale, `${locale} verification`);
      // The issuer is named in the certificate's language (ISSUER_NAMES; the Cyrillic generated from the Latin).
      expect(await page.$eval('main', (m) => m.textContent ?? '')).toContain(ISSUER_IN[locale]);
      // The settings page lists the configured interface languages.
      await page.goto(`${base}/settings`);
      expect(await page.$$eval('#locale option', (o) => o.map((x) => (x as HTMLOptionElement).value))).toEqual(['en', 'sr-Latn', 'sr-Cyrl', 'mk']);
    },
    180_000,
  );

  it('mk: the console (home, HR overview, people, reports) shows no English interface text', async () => {
    const hr: User = await aUser(api.dataSource, { orgUnit: unit, password: PASSWORD, locale: 'mk', displayName: 'Марија Трајковска', roles: [{ role: 'hr', scope: unit }] });
    const launched = await launchBrowser();
    browsers.push(launched);
    const page = await launched.browser.newPage();
    await page.setViewport(PHONE);
    await page.setExtraHTTPHeaders({ 'Accept-Language': 'mk-MK,mk;q=0.9' });
    await page.goto(`${base}/sign-in`);
    await page.type('input[name="email"]', hr.email);
    await page.type('input[name="password"]', PASSWORD);
    await clickAndWait(page, 'main form button[type="submit"]', 'page');
    for (const path of ['/console', '/console/hr', '/console/hr/people', '/console/hr/reports', '/console/hr/assign']) {
      await page.goto(`${base}${path}`);
      await expectLocalised(page, 'mk', `mk ${path}`);
    }
    await screenshot(page, 'console-mk-phone'); // only when SCREENSHOTS_DIR is set
  }, 120_000);
});
