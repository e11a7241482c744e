import { aPublishedCourse, RIGHT_ANSWERS } from '../support/learning-builders.js';
import { anOrgUnit, aUser, drainJobs, startApi, TEST_ADMIN, TestApi, tokenFor } from '@lms/testing';
import type { OrgUnit, User } from '@lms/identity';
import { browserAgent, csrfOf, hidden, signIn } from './web-support.js';

const PASSWORD = 'learner-password-for-tests-42';

/**
 * The learner pages as a browser without JavaScript uses them: plain links and form posts, the
 * session cookie, CSRF tokens, safe returns after sign-in, the language switch, and the server
 * side of offline sync. (Real-browser journeys are in browser.e2e-spec.ts.)
 */
describe('web pages over HTTP (no JavaScript)', () => {
  let api: TestApi;
  let unit: OrgUnit;
  let learner: User;
  let course: Awaited<ReturnType<typeof aPublishedCourse>>;

  beforeAll(async () => {
    api = await startApi();
    unit = await anOrgUnit(api.dataSource);
    learner = await aUser(api.dataSource, { orgUnit: unit, password: PASSWORD, displayName: 'Ana Petrović', timeZone: 'Europe/Belgrade' });
    course = await aPublishedCourse(api.dataSource);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('an anonymous visit to a page goes to sign-in and, after signing in, back to that page', async () => {
    const agent = browserAgent(api);
    const first = await agent.get(`/courses/${course.slug}`).expect(303);
    expect(first.headers.location).toBe(`/sign-in?returnTo=${encodeURIComponent(`/courses/${course.slug}`)}`);
    const done = await signIn(agent, learner.email, PASSWORD, `/courses/${course.slug}`);
    expect(done.headers.location).toBe(`/courses/${course.slug}`);
    const cookie = String(done.headers['set-cookie']);
    expect(cookie).toMatch(/lms_session=[0-9a-f-]{36}\.[\w-]{43}; Path=\/; SameSite=Lax; HttpOnly/);
    const page = await agent.get(`/courses/${course.slug}`).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toMatch(/<button class="button" type="submit">Enrol<\/button>/);
  });

  it('returnTo only ever leads to a path on this site', async () => {
    for (const bad of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)', '/sign-in?returnTo=/x']) {
      const agent = browserAgent(api);
      const res = await signIn(agent, learner.email, PASSWORD, bad);
      expect(res.headers.location).toBe('/');
    }
  });

  it('a wrong password re-shows the form with the error summary linked to the field, status 401', async () => {
    const agent = browserAgent(api);
    const form = await agent.get('/sign-in').expect(200);
    const res = await agent.post('/sign-in').type('form').send({ email: learner.email, password: 'nope', returnTo: '/', _csrf: hidden(form.text, '_csrf') }).expect(401);
    expect(res.text).toContain('<div class="error-summary" role="alert"');
    expect(res.text).toContain('<a href="#email">The e-mail address or password is not correct.</a>');
    expect(res.text).toContain(`value="${learner.email}"`);
    const empty = await agent.post('/sign-in').type('form').send({ email: '', password: '', _csrf: hidden(form.text, '_csrf') }).expect(400);
    expect(empty.text).toContain('<a href="#password">Enter your password</a>');
  });

  it('forms need their CSRF token: sign-in without the form cookie, and a signed-in post without the token, are refused', async () => {
    const anonymous = browserAgent(api);
    await anonymous.post('/sign-in').type('form').send({ email: learner.email, password: PASSWORD, _csrf: 'forged-token-forged-token' }).expect(403);
    const agent = browserAgent(api);
    await signIn(agent, learner.email, PASSWORD);
    const refused = await agent.post(`/courses/${course.slug}/enrol`).type('form').send({}).expect(403);
    expect(refused.text).toContain('This form has expired or did not come from this site');
    // The API too: a cookie-authenticated JSON call needs the header.
    await agent.post('/api/v1/enrolments').set('accept', 'application/json').send({ courseSlug: course.slug }).expect(403);
    const page = await agent.get('/').expect(200);
    await agent.post('/api/v1/enrolments').set('x-csrf-token', csrfOf(page.text)).send({ courseSlug: course.slug }).expect(201);
  });

  it('studies a course with plain form posts: enrol, read, mark complete, answer the quiz (twice-posted form grades once)', async () => {
    const other = await aUser(api.dataSource, { orgUnit: unit, password: PASSWORD });
    const agent = browserAgent(api);
    await signIn(agent, other.email, PASSWORD);
    const coursePage = await agent.get(`/courses/${course.slug}`).expect(200);
    const enrolled = await agent.post(`/courses/${course.slug}/enrol`).type('form').send({ _csrf: csrfOf(coursePage.text) }).expect(303);
    expect(enrolled.headers.location).toBe(`/courses/${course.slug}?enrolled=1`);
    for (const [i, lesson] of course.lessons.entries()) {
      const page = await agent.get(`/courses/${course.slug}/lessons/${lesson.slug}`).expect(200);
      expect(page.text).toContain('<article class="prose"');
      const done = await agent.post(`/courses/${course.slug}/lessons/${lesson.slug}/complete`).type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
      const next = course.lessons[i + 1];
      expect(done.headers.location).toBe(next ? `/courses/${course.slug}/lessons/${next.slug}` : `/courses/${course.slug}/quiz`);
      const again = await agent.get(`/courses/${course.slug}/lessons/${lesson.slug}`).expect(200);
      expect(again.text).toContain('You have completed this lesson.');
    }
    const quiz = await agent.get(`/courses/${course.slug}/quiz`).expect(200);
    // Correct answers never reach the browser before submission.
    expect(quiz.text).not.toMatch(/correct|explanation/i);
    const missing = await agent.post(`/courses/${course.slug}/quiz`).type('form').send(`_csrf=${csrfOf(quiz.text)}&key=${hidden(quiz.text, 'key')}&q%3Aq1=b`).expect(400);
    expect(missing.text).toContain('<a href="#q-2">Answer question 2</a>');
    const form = `_csrf=${csrfOf(quiz.text)}&key=${hidden(quiz.text, 'key')}&q%3Aq1=b&q%3Aq2=a&q%3Aq2=c`;
    const result = await agent.post(`/courses/${course.slug}/quiz`).type('form').send(form).expect(200);
    expect(result.text).toContain('You passed with 100%.');
    // The browser posts the same form again (reload, double click): the same attempt, not a second one.
    await agent.post(`/courses/${course.slug}/quiz`).type('form').send(form).expect(200);
    const attempts = (await api.dataSource.query(`SELECT count(*)::int AS n FROM quiz_attempt a JOIN enrolment e ON e.id = a.enrolment_id WHERE e.user_id = $1`, [other.id])) as Array<{ n: number }>;
    expect(attempts[0].n).toBe(1);
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('<h2 id="completed">Completed</h2>');
  });

  it('switches language on any page: Serbian Cyrillic, the choice kept in the profile; Accept-Language and a cookie before sign-in', async () => {
    const person = await aUser(api.dataSource, { orgUnit: unit, password: PASSWORD });
    const agent = browserAgent(api);
    await signIn(agent, person.email, PASSWORD);
    const page = await agent.get('/courses').expect(200);
    const switched = await agent.post('/language').type('form').send({ _csrf: csrfOf(page.text), locale: 'sr-Cyrl', returnTo: '/courses?q=x' }).expect(303);
    expect(switched.headers.location).toBe('/courses?q=x');
    const cyr = await agent.get('/courses').expect(200);
    expect(cyr.text).toContain('<html lang="sr-Cyrl">');
    expect(cyr.text).toContain('Курсеви');
    const [row] = (await api.dataSource.query(`SELECT locale FROM app_user WHERE id = $1`, [person.id])) as Array<{ locale: string }>;
    expect(row.locale).toBe('sr-Cyrl');
    // An anonymous reader switches with a cookie; Accept-Language decides before that.
    const anon = browserAgent(api).set('accept-language', 'sr-RS,sr;q=0.9');
    const signInPage = await anon.get('/sign-in').expect(200);
    expect(signInPage.text).toContain('<html lang="sr-Cyrl">');
    await anon.post('/language').type('form').send({ _csrf: hidden(signInPage.text, '_csrf'), locale: 'sr-Latn', returnTo: '/sign-in' }).expect(303);
    expect((await anon.get('/sign-in').expect(200)).text).toContain('Prijavite se adresom e-pošte');
  });

  it('a Croatian profile reads Serbian Latin, sees its own language in settings and can save settings without changing it; the switcher offers the configured locales', async () => {
    const person = await aUser(api.dataSource, { orgUnit: unit, password: PASSWORD, locale: 'hr' });
    const agent = browserAgent(api);
    await signIn(agent, person.email, PASSWORD);
    const settings = await agent.get('/settings').expect(200);
    expect(settings.text).toContain('<html lang="sr-Latn">');
    expect(settings.text).toMatch(/<option value="hr" lang="hr" selected>[^<]+<\/option>/);
    for (const l of ['en', 'sr-Latn', 'sr-Cyrl', 'mk']) expect(settings.text).toContain(`<button type="submit" name="locale" value="${l}"`);
    await agent.post('/settings').type('form').send({ _csrf: csrfOf(settings.text), locale: 'hr', timeZone: 'Europe/Zagreb', digest: 'daily' }).expect(303);
    const [row] = (await api.dataSource.query(`SELECT locale, time_zone FROM app_user WHERE id = $1`, [person.id])) as Array<{ locale: string; time_zone: string }>;
    expect(row).toEqual({ locale: 'hr', time_zone: 'Europe/Zagreb' });
    // Another language outside the interface ones is refused (400), the own one was kept.
    expect((await agent.post('/settings').type('form').send({ _csrf: csrfOf(settings.text), locale: 'de', timeZone: 'Europe/Zagreb' })).status).toBe(400);
  });

  it('every link the notifications send opens its page, through sign-in and back', async () => {
    const hr = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'hr' }] });
    const assigned = await aUser(api.dataSource, { orgUnit: unit, password: PASSWORD });
    const auth = { Authorization: `Bearer ${await tokenFor(api.config, hr)}` };
    await api.http.post('/api/v1/assignments').set(auth).send({ courseSlug: course.slug, target: { userIds: [assigned.id] }, dueInDays: 3 }).expect(201);
    const learnerAuth = { Authorization: `Bearer ${await tokenFor(api.config, assigned)}` };
    await drainJobs(api);
    const [enrolment] = (await api.http.get('/api/v1/me/enrolments').set(learnerAuth).expect(200)).body.items as Array<{ id: string }>;
    for (const l of course.lessons) await api.http.post(`/api/v1/enrolments/${enrolment.id}/lessons/${l.slug}/complete`).set(learnerAuth).expect(200);
    await api.http.post(`/api/v1/enrolments/${enrolment.id}/quiz-attempts`).set(learnerAuth).send({ answers: RIGHT_ANSWERS }).expect(201);
    await drainJobs(api, 30_000);
    const adminToken = (await api.http.post('/api/v1/auth/login').send(TEST_ADMIN).expect(200)).body.accessToken as string;
    await api.http.post('/api/v1/admin/jobs/reminder-sweep/run').set({ Authorization: `Bearer ${adminToken}` }).expect(202);
    await drainJobs(api, 30_000);

    const rows = (await api.dataSource.query(
      `SELECT link AS text FROM notification WHERE user_id = $1 AND link IS NOT NULL
        UNION ALL SELECT text_body || ' ' || html_body FROM email_message WHERE user_id = $1`,
      [assigned.id],
    )) as Array<{ text: string }>;
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const links = new Set<string>();
    for (const r of rows) for (const m of r.text.matchAll(/http:\/\/lms\.test(\/[^\s"<>)]*)/g)) links.add(m[1]);
    const certificates = (await api.http.get('/api/v1/me/certificates').set(learnerAuth).expect(200)).body.items as Array<{ verificationUrl: string }>;
    for (const c of certificates) links.add(new URL(c.verificationUrl).pathname);
    expect([...links].some((l) => l.startsWith('/courses/'))).toBe(true);
    expect([...links].some((l) => l.startsWith('/verify/'))).toBe(true);
    for (const link of links) {
      if (link.startsWith('/verify/')) {
        const page = await browserAgent(api).get(link).expect(200);
        expect(page.text).toContain('This certificate is valid.');
        // The course result from the native quiz (issue #18).
        expect(page.text).toMatch(/<th scope="row">Result<\/th><td>100% · final quiz · Passed<\/td>/);
        continue;
      }
      const agent = browserAgent(api);
      const first = await agent.get(link).expect(303);
      expect(first.headers.location).toBe(`/sign-in?returnTo=${encodeURIComponent(link)}`);
      const back = await signIn(agent, assigned.email, PASSWORD, link);
      expect(back.headers.location).toBe(link);
      await agent.get(link).expect(200);
    }
  });

  it('sign-out ends the session, drops the cookie and tells the browser to clear offline copies', async () => {
    const agent = browserAgent(api);
    await signIn(agent, learner.email, PASSWORD);
    const page = await agent.get('/').expect(200);
    const out = await agent.post('/sign-out').type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
    expect(out.headers.location).toBe('/sign-in?signedOut=1');
    expect(out.headers['clear-site-data']).toBe('"cache", "storage"');
    expect(String(out.headers['set-cookie'])).toMatch(/lms_session=; Path=\/; SameSite=Lax; HttpOnly; Max-Age=0/);
    await agent.get('/').expect(303);
    const stolen = /lms_session=([^;]+)/.exec(String((await signIn(browserAgent(api), learner.email, PASSWORD)).headers['set-cookie']))![1];
    const other = browserAgent(api).set('cookie', `lms_session=${stolen}`);
    await other.get('/certificates').expect(200);
    await api.dataSource.query(`UPDATE app_user SET status = 'disabled' WHERE id = $1`, [learner.id]);
    await other.get('/certificates').expect(303);
    await api.dataSource.query(`UPDATE app_user SET status = 'active' WHERE id = $1`, [learner.id]);
  });

  it("pages show only the caller's own things: another person's certificate, notification or enrolment gives nothing", async () => {
    const owner = await aUser(api.dataSource, { orgUnit: unit, password: PASSWORD });
    const ownerAuth = { Authorization: `Bearer ${await tokenFor(api.config, owner)}` };
    const e = (await api.http.post('/api/v1/enrolments').set(ownerAuth).send({ courseSlug: course.slug }).expect(201)).body as { id: string };
    for (const l of course.lessons) await api.http.post(`/api/v1/enrolments/${e.id}/lessons/${l.slug}/complete`).set(ownerAuth).expect(200);
    await api.http.post(`/api/v1/enrolments/${e.id}/quiz-attempts`).set(ownerAuth).send({ answers: RIGHT_ANSWERS }).expect(201);
    await drainJobs(api, 30_000);
    const [cert] = (await api.http.get('/api/v1/me/certificates').set(ownerAuth).expect(200)).body.items as Array<{ id: string }>;
    const [note] = (await api.dataSource.query(`SELECT id FROM notification WHERE user_id = $1 AND read_at IS NULL LIMIT 1`, [owner.id])) as Array<{ id: string }>;

    const intruder = browserAgent(api);
    await signIn(intruder, learner.email, PASSWORD);
    for (const path of [`/certificates/${cert.id}/pdf`, `/certificates/${cert.id}/credential`]) {
      const res = await intruder.get(path);
      expect([403, 404]).toContain(res.status);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    }
    const page = await intruder.get('/notifications').expect(200);
    await intruder.post(`/notifications/${note.id}/read`).type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
    const [still] = (await api.dataSource.query(`SELECT read_at FROM notification WHERE id = $1`, [note.id])) as Array<{ read_at: Date | null }>;
    expect(still.read_at).toBeNull();
    // The sync endpoint refuses someone else's enrolment (covered above); the owner's PDF works for the owner.
    const own = browserAgent(api);
    await signIn(own, owner.email, PASSWORD);
    const pdf = await own.get(`/certificates/${cert.id}/pdf`).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toMatch(/^attachment; filename=/);
  });

  it('serves hashed assets immutable and compressed, pages with ETags, and a CSP without inline scripts', async () => {
    const agent = browserAgent(api);
    await signIn(agent, learner.email, PASSWORD);
    const page = await agent.get('/').set('accept-encoding', 'br').expect(200);
    expect(page.headers['content-encoding']).toBe('br');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(page.headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(page.text).not.toMatch(/<script(?![^>]*(type="module" src=|type="application\/json"))/);
    const again = await agent.get('/').set('if-none-match', page.headers.etag).expect(304);
    expect(again.text).toBe('');
    const css = /href="(\/assets\/app\.[0-9a-f]{12}\.css)"/.exec(page.text)![1];
    const js = /src="(\/assets\/app\.[0-9a-f]{12}\.js)"/.exec(page.text)![1];
    for (const asset of [css, js]) {
      const res = await agent.get(asset).set('accept-encoding', 'gzip, br').expect(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['content-encoding']).toBe('br');
    }
    await agent.get('/assets/app.000000000000.css').expect(404);
    const sw = await agent.get('/sw.js').expect(200);
    expect(sw.headers['content-type']).toMatch(/^text\/javascript/);
    expect(sw.text).toContain(css);
    const manifest = await agent.get('/manifest.webmanifest').expect(200);
    expect(JSON.parse(manifest.text)).toMatchObject({ start_url: '/', display: 'standalone' });
  });

  it('public pages: the open-data page and the verification form for an unknown code', async () => {
    const anon = browserAgent(api);
    const open = await anon.get('/open-data?by=gender').expect(200);
    expect(open.text).toContain('<h1>Open data: training completion</h1>');
    const missing = await anon.get('/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAA').expect(404);
    expect(missing.text).toContain('No certificate has this code.');
    const typed = await anon.get('/verify?code=https%3A%2F%2Flms.test%2Fverify%2Fabc_DEF-1').expect(303);
    expect(typed.headers.location).toBe('/verify/abc_DEF-1');
    await anon.get('/no-such-page').expect(404);
  });
});

describe('offline sync endpoint (POST /api/v1/me/sync)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('applies queued actions in order, once per key; the server grades the quiz and reports conflicts', async () => {
    const unit = await anOrgUnit(api.dataSource);
    const learner = await aUser(api.dataSource, { orgUnit: unit });
    const hr = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'hr' }] });
    const auth = { Authorization: `Bearer ${await tokenFor(api.config, learner)}` };
    const course = await aPublishedCourse(api.dataSource);
    const enrolment = (await api.http.post('/api/v1/enrolments').set(auth).send({ courseSlug: course.slug }).expect(201)).body as { id: string; version: number };
    const actions = [
      ...course.lessons.map((l, i) => ({ key: `lesson-key-${i}`, type: 'lesson.complete', enrolmentId: enrolment.id, version: 1, lessonSlug: l.slug })),
      { key: 'quiz-key-0001', type: 'quiz.submit', enrolmentId: enrolment.id, version: 1, answers: RIGHT_ANSWERS },
    ];
    const first = await api.http.post('/api/v1/me/sync').set(auth).send({ actions }).expect(200);
    expect(first.body.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect(first.body.results[3].quiz).toMatchObject({ score: 100, passed: true, attemptNo: 1 });
    expect(first.body.results[3].enrolment.status).toBe('completed');
    // The device lost the answer and sends the whole batch again: nothing changes.
    const replay = await api.http.post('/api/v1/me/sync').set(auth).send({ actions }).expect(200);
    expect(replay.body.results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(replay.body.results[3].quiz).toMatchObject({ score: 100, attemptNo: 1 });
    const [counts] = (await api.dataSource.query(
      `SELECT (SELECT count(*)::int FROM quiz_attempt WHERE enrolment_id = $1) AS attempts, (SELECT count(*)::int FROM lesson_progress WHERE enrolment_id = $1) AS lessons,
              (SELECT count(*)::int FROM outbox_event WHERE name = 'enrolment.completed' AND payload->>'enrolmentId' = $1::text) AS completions`,
      [enrolment.id],
    )) as Array<{ attempts: number; lessons: number; completions: number }>;
    expect(counts).toEqual({ attempts: 1, lessons: 3, completions: 1 });

    // Conflicts: another version, a withdrawn enrolment, someone else's enrolment.
    const second = await aPublishedCourse(api.dataSource);
    const e2 = (await api.http.post('/api/v1/enrolments').set(auth).send({ courseSlug: second.slug }).expect(201)).body as { id: string };
    const stale = await api.http.post('/api/v1/me/sync').set(auth).send({ actions: [{ key: 'stale-version-1', type: 'lesson.complete', enrolmentId: e2.id, version: 2, lessonSlug: 'l1' }] }).expect(200);
    expect(stale.body.results[0]).toMatchObject({ status: 'conflict', code: 'course_version_changed' });
    await api.http.post(`/api/v1/enrolments/${e2.id}/withdraw`).set({ Authorization: `Bearer ${await tokenFor(api.config, hr)}` }).expect(200);
    const withdrawn = await api.http.post('/api/v1/me/sync').set(auth).send({ actions: [{ key: 'withdrawn-key-1', type: 'lesson.complete', enrolmentId: e2.id, version: 1, lessonSlug: 'l1' }] }).expect(200);
    expect(withdrawn.body.results[0]).toMatchObject({ status: 'conflict' });
    expect(withdrawn.body.results[0].message).toMatch(/withdrawn/i);
    const stranger = await aUser(api.dataSource, { orgUnit: unit });
    const foreign = await api.http
      .post('/api/v1/me/sync')
      .set({ Authorization: `Bearer ${await tokenFor(api.config, stranger)}` })
      .send({ actions: [{ key: 'foreign-key-1', type: 'lesson.complete', enrolmentId: enrolment.id, version: 1, lessonSlug: 'l1' }] })
      .expect(200);
    expect(foreign.body.results[0]).toMatchObject({ status: 'rejected', code: 'enrolment_not_found' });
  });

  it('refuses malformed batches with a problem document naming the field', async () => {
    const unit = await anOrgUnit(api.dataSource);
    const auth = { Authorization: `Bearer ${await tokenFor(api.config, await aUser(api.dataSource, { orgUnit: unit }))}` };
    const bad = [
      { actions: [] },
      { actions: [{ key: 'short', type: 'lesson.complete', enrolmentId: '00000000-0000-4000-8000-000000000000', version: 1, lessonSlug: 'l1' }] },
      { actions: [{ key: 'valid-key-1', type: 'dance', enrolmentId: '00000000-0000-4000-8000-000000000000', version: 1 }] },
      { actions: [{ key: 'valid-key-1', type: 'quiz.submit', enrolmentId: 'nope', version: 1 }] },
      { actions: Array.from({ length: 51 }, (_, i) => ({ key: `k-${i}-xxxxxx`, type: 'lesson.complete', enrolmentId: '00000000-0000-4000-8000-000000000000', version: 1, lessonSlug: 'l1' })) },
    ];
    for (const body of bad) {
      const res = await api.http.post('/api/v1/me/sync').set(auth).send(body).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
  });
});

describe('own settings (PATCH /api/v1/me)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('changes only the caller\'s language and time zone, audited; bad values are a 400 naming the field; other fields are refused', async () => {
    const unit = await anOrgUnit(api.dataSource);
    const me = await aUser(api.dataSource, { orgUnit: unit });
    const auth = { Authorization: `Bearer ${await tokenFor(api.config, me)}` };
    const res = await api.http.patch('/api/v1/me').set(auth).send({ locale: 'sr-Cyrl', timeZone: 'Europe/Skopje' }).expect(200);
    expect(res.body).toMatchObject({ id: me.id, locale: 'sr-Cyrl', timeZone: 'Europe/Skopje' });
    const [audit] = (await api.dataSource.query(`SELECT actor_id, after FROM audit_event WHERE action = 'user.settings_changed' AND subject_id = $1`, [me.id])) as Array<{ actor_id: string; after: unknown }>;
    expect(audit).toEqual({ actor_id: me.id, after: { locale: 'sr-Cyrl', timeZone: 'Europe/Skopje' } });
    // Any BCP 47 tag, stored canonical (issue #19): a Croatian profile reads the interface in Serbian Latin.
    const hr = await api.http.patch('/api/v1/me').set(auth).send({ locale: 'HR-hr' }).expect(200);
    expect(hr.body.locale).toBe('hr-HR');
    for (const [body, field] of [[{ timeZone: 'Mars/Olympus' }, 'timeZone'], [{ locale: 'en_US' }, 'locale'], [{ locale: 'i-klingon' }, 'locale'], [{ locale: 42 }, 'locale'], [{ orgUnitId: unit.id }, 'orgUnitId']] as const) {
      const bad = await api.http.patch('/api/v1/me').set(auth).send(body).expect(400);
      expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.stringify(bad.body.errors)).toContain(field);
    }
    await api.http.patch('/api/v1/me').send({ locale: 'en' }).expect(401);
  });
});
