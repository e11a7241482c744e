import { IssueCertificateHandler } from '@lms/credentials';
import { JobRunRepository } from '@lms/jobs';
import type { OrgUnit, User } from '@lms/identity';
import { anOrgUnit, aUser, startApi, TestApi, tokenFor } from '@lms/testing';
import { aCompetencyCourse, importDacps } from '../competency/competency-fixtures.js';
import { aCompletedEnrolment } from '../credentials/support.js';
import { aPublishedCourse } from '../support/learning-builders.js';
import { walkRoutes } from '../identity/route-walk.js';
import { drainJobs } from '../support/jobs.js';
import { Agent, browserAgent, csrfOf, signIn } from './web-support.js';

const PASSWORD = 'console-password-for-tests-42';
const NIL = '00000000-0000-4000-8000-000000000000';

/**
 * The console (HR and admin pages) over HTTP without JavaScript: who may open which page (a
 * learner never, HR of another unit sees nothing of ours), CSRF on every form, and the HR and
 * admin journeys with plain form posts.
 */
describe('console pages over HTTP (no JavaScript)', () => {
  let api: TestApi;
  let ministry: OrgUnit;
  let dept: OrgUnit;
  let elsewhere: OrgUnit;
  let hr: User;
  let hrElsewhere: User;
  let learner: User;
  let admin: User;
  let course: Awaited<ReturnType<typeof aPublishedCourse>>;
  let overdueEnrolmentId: string;
  let assignmentId: string;
  let consoleGets: string[];
  let consolePosts: string[];

  async function agentFor(user: User): Promise<Agent> {
    const agent = browserAgent(api);
    await signIn(agent, user.email, PASSWORD);
    return agent;
  }

  beforeAll(async () => {
    api = await startApi();
    ministry = await anOrgUnit(api.dataSource, { name: 'Ministarstvo finansija' });
    dept = await anOrgUnit(api.dataSource, { parent: ministry, name: 'Poreska uprava' });
    elsewhere = await anOrgUnit(api.dataSource, { name: 'Ministarstvo zdravlja' });
    hr = await aUser(api.dataSource, { orgUnit: ministry, password: PASSWORD, roles: [{ role: 'hr', scope: ministry }] });
    hrElsewhere = await aUser(api.dataSource, { orgUnit: elsewhere, password: PASSWORD, roles: [{ role: 'hr', scope: elsewhere }] });
    learner = await aUser(api.dataSource, { orgUnit: dept, password: PASSWORD, displayName: 'Jelena Overdue' });
    admin = await aUser(api.dataSource, { orgUnit: ministry, password: PASSWORD, roles: [{ role: 'admin' }] });
    course = await aPublishedCourse(api.dataSource);
    const res = await api.http
      .post('/api/v1/assignments')
      .set({ Authorization: `Bearer ${await tokenFor(api.config, hr)}` })
      .send({ courseSlug: course.slug, target: { orgUnitId: ministry.id, includeSubUnits: true }, dueInDays: 10 })
      .expect(201);
    assignmentId = res.body.id;
    await api.dataSource.query(`UPDATE enrolment SET due_at = now() - interval '12 days' WHERE user_id = $1`, [learner.id]);
    const [row] = (await api.dataSource.query(`SELECT id FROM enrolment WHERE user_id = $1`, [learner.id])) as Array<{ id: string }>;
    overdueEnrolmentId = row.id;
    const routes = walkRoutes(api.app).filter((r) => r.neutral && r.path.startsWith('/console'));
    const concrete = (p: string): string => p.replace(/:name/g, 'reminder-sweep').replace(/:slug/g, 'no-such-course').replace(/:[A-Za-z]+/g, NIL);
    consoleGets = routes.filter((r) => r.method === 'GET').map((r) => concrete(r.path));
    consolePosts = routes.filter((r) => r.method === 'POST').map((r) => concrete(r.path));
  });
  afterAll(async () => {
    await api?.close();
  });

  it('lists the console routes (so the checks below cover every one of them)', () => {
    expect(consoleGets).toEqual(expect.arrayContaining(['/console', '/console/hr', '/console/hr/assign', '/console/hr/overdue', '/console/hr/gaps', '/console/hr/people', '/console/admin/audit']));
    expect(consolePosts).toEqual(
      expect.arrayContaining(['/console/hr/assign', '/console/hr/overdue/remind', '/console/hr/gaps/assign', `/console/admin/certificates/${NIL}/revoke`, '/console/admin/units', `/console/admin/units/${NIL}`]),
    );
  });

  it('a learner gets the 403 page on every console route and no console link in the navigation', async () => {
    const agent = await agentFor(learner);
    const home = await agent.get('/').expect(200);
    expect(home.text).not.toContain('href="/console"');
    const csrf = csrfOf(home.text);
    for (const url of consoleGets) {
      const res = await agent.get(url);
      expect({ url, status: res.status }).toEqual({ url, status: 403 });
      expect(res.text).toContain('You do not have access to this page.');
    }
    for (const url of consolePosts) {
      const res = await agent.post(url).type('form').send({ _csrf: csrf, enrolmentIds: overdueEnrolmentId, unit: ministry.id, userId: hr.id, reason: 'x' });
      expect({ url, status: res.status }).toEqual({ url, status: 403 });
    }
  });

  it('every console form needs the CSRF token', async () => {
    const agent = await agentFor(admin);
    for (const url of consolePosts) {
      const res = await agent.post(url).type('form').send({ enrolmentIds: overdueEnrolmentId, unit: ministry.id, reason: 'forged' });
      expect({ url, status: res.status }).toEqual({ url, status: 403 });
      expect(res.text).toContain('This form has expired or did not come from this site');
    }
  });

  it('HR of another unit sees nothing of ours: 403 on our units, people and assignments; our overdue people are not in its lists; reminding ours sends nothing', async () => {
    const agent = await agentFor(hrElsewhere);
    const home = await agent.get('/console').expect(200);
    expect(home.text).toContain('href="/console/hr"');
    expect(home.text).not.toContain('href="/console/admin/audit"');
    for (const url of [
      `/console/hr?unit=${ministry.id}`,
      `/console/hr/gaps?unit=${dept.id}`,
      `/console/hr/overdue?unit=${ministry.id}`,
      `/console/hr/people?unit=${ministry.id}`,
      `/console/hr/people/${learner.id}`,
      `/console/hr/assignments/${assignmentId}`,
      '/console/admin/audit',
      '/console/admin/units',
      '/console/admin/jobs',
    ]) {
      const res = await agent.get(url);
      expect({ url, status: res.status }).toEqual({ url, status: 403 });
    }
    for (const url of ['/console/hr/overdue', '/console/hr/people?q=Jelena', '/console/hr', '/console/hr/assign']) {
      const res = await agent.get(url).expect(200);
      expect(res.text).not.toContain('Jelena Overdue');
      expect(res.text).not.toContain('Ministarstvo finansija');
    }
    const csv = await agent.get(`/api/v1/reports/overdue?format=csv&orgUnitId=${ministry.id}`);
    expect(csv.status).toBe(403);
    const page = await agent.get('/console/hr/overdue').expect(200);
    const remind = await agent.post('/console/hr/overdue/remind').type('form').send({ _csrf: csrfOf(page.text), enrolmentIds: overdueEnrolmentId }).expect(303);
    expect(remind.headers.location).toContain('sent=0');
    const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM notification WHERE user_id = $1 AND type = 'reminder_now'`, [learner.id])) as Array<{ n: number }>;
    expect(n).toBe(0);
    const preview = await agent
      .post('/console/hr/assign')
      .type('form')
      .send({ _csrf: csrfOf(page.text), action: 'preview', courseSlug: course.slug, targetKind: 'unit', orgUnitId: ministry.id, includeSubUnits: 'on', dueKind: 'relative', dueInDays: '30' });
    expect(preview.status).toBe(403);
  });

  it('HR: the overview has an accessible chart and its table, and drills down from the unit to its sub-units and people', async () => {
    const agent = await agentFor(hr);
    const res = await agent.get('/console/hr').expect(200);
    expect(res.text).toMatch(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* viewBox="[^"]+" role="img" aria-labelledby="chart-units-title chart-units-desc"><title id="chart-units-title">Completion rate by unit below Ministarstvo finansija<\/title><desc id="chart-units-desc">Poreska uprava: 0% completed, 1 overdue/);
    expect(res.text).toContain(`<a href="/console/hr?unit=${dept.id}">Poreska uprava</a>`);
    expect(res.text).toMatch(/<caption id="courses-caption">By course<\/caption>/);
    const down = await agent.get(`/console/hr?unit=${dept.id}`).expect(200);
    expect(down.text).toContain(`<a href="/console/hr?unit=${ministry.id}">Ministarstvo finansija</a>`);
    expect(down.text).toContain(`href="/console/hr/people?unit=${dept.id}"`);
    const people = await agent.get(`/console/hr/people?unit=${dept.id}`).expect(200);
    expect(people.text).toContain(`<a href="/console/hr/people/${learner.id}">Jelena Overdue</a>`);
    await agent.get('/console/hr?unit=not-a-uuid').expect(200);
  });

  it('HR: assigns after a preview that writes nothing; a confirm without the matching preview only previews again', async () => {
    const agent = await agentFor(hr);
    const form = await agent.get('/console/hr/assign').expect(200);
    const csrf = csrfOf(form.text);
    const other = await aPublishedCourse(api.dataSource);
    const values = { _csrf: csrf, courseSlug: other.slug, targetKind: 'unit', orgUnitId: ministry.id, includeSubUnits: 'on', dueKind: 'relative', dueInDays: '30', renewEveryMonths: '' };
    const bad = await agent.post('/console/hr/assign').type('form').send({ ...values, courseSlug: '', dueInDays: '0', action: 'preview' }).expect(400);
    expect(bad.text).toContain('<a href="#courseSlug">Choose a course</a>');
    expect(bad.text).toContain('<a href="#due">Enter a number of days from 1 to 3650</a>');
    const preview = await agent.post('/console/hr/assign').type('form').send({ ...values, action: 'preview' }).expect(200);
    expect(preview.text).toContain('3 people match.');
    expect(preview.text).toContain('No one already holds the course.');
    expect(preview.text).toContain('3 people will be enrolled.');
    const count = async (): Promise<number> =>
      ((await api.dataSource.query(`SELECT count(*)::int AS n FROM enrolment WHERE course_id = $1`, [other.courseId])) as Array<{ n: number }>)[0].n;
    await expect(count()).resolves.toBe(0);
    const fingerprint = /name="fingerprint" value="([^"]+)"/.exec(preview.text)![1];
    // Changed after the preview: shown again, not assigned.
    const changed = await agent.post('/console/hr/assign').type('form').send({ ...values, orgUnitId: dept.id, fingerprint, action: 'confirm' }).expect(200);
    expect(changed.text).toContain('1 person matches.');
    await expect(count()).resolves.toBe(0);
    const done = await agent.post('/console/hr/assign').type('form').send({ ...values, fingerprint, action: 'confirm' }).expect(303);
    expect(done.headers.location).toMatch(/^\/console\/hr\/assignments\/[0-9a-f-]{36}\?created=3$/);
    await expect(count()).resolves.toBe(3);
    const page = await agent.get(done.headers.location).expect(200);
    expect(page.text).toContain('The assignment was saved; 3 people were enrolled.');
    expect(page.text).toMatch(/<th scope="row">Assigned<\/th><td class="num">3<\/td>/);
    // The trend: this week, 3 assigned, none completed, none overdue; chart and table.
    expect(page.text).toMatch(/<title id="trend-title">Share of assigned people who completed, week by week<\/title>/);
    expect(page.text).toMatch(/<tr><th scope="row">Week of [^<]+<\/th><td class="num">3<\/td><td class="num">0<\/td><td class="num">0<\/td><\/tr>/);
    // People search for the chosen-people target.
    const found = await agent.post('/console/hr/assign').type('form').send({ ...values, q: 'Jelena', action: 'search' }).expect(200);
    expect(found.text).toContain(`name="userIds" value="${learner.id}"`);
  });

  it('HR: the overdue list filters by unit, course and days; remind now writes one notification per day; the CSV keeps the filters', async () => {
    const agent = await agentFor(hr);
    const list = await agent.get(`/console/hr/overdue?unit=${dept.id}&course=${course.slug}&days=10`).expect(200);
    expect(list.text).toContain('Jelena Overdue');
    expect(list.text).toContain('1 overdue enrolment.');
    const none = await agent.get(`/console/hr/overdue?days=20`).expect(200);
    expect(none.text).toContain('No one is overdue.');
    const csvHref = /<a href="(\/api\/v1\/reports\/overdue[^"]+)" download>/.exec(list.text)![1].replace(/&amp;/g, '&');
    expect(csvHref).toContain('minDaysOverdue=10');
    const csv = await agent.get(csvHref).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text).toContain('Jelena Overdue');
    const first = await agent.post('/console/hr/overdue/remind').type('form').send({ _csrf: csrfOf(list.text), enrolmentIds: overdueEnrolmentId, returnTo: `/console/hr/overdue?unit=${dept.id}` }).expect(303);
    expect(first.headers.location).toBe(`/console/hr/overdue?unit=${dept.id}&sent=1&skipped=0`);
    const again = await agent.post('/console/hr/overdue/remind').type('form').send({ _csrf: csrfOf(list.text), enrolmentIds: overdueEnrolmentId }).expect(303);
    expect(again.headers.location).toBe('/console/hr/overdue?sent=0&skipped=1');
    const shown = await agent.get(again.headers.location).expect(200);
    expect(shown.text).toContain('No reminder was sent. 1 was skipped');
    const rows = (await api.dataSource.query(`SELECT title FROM notification WHERE user_id = $1 AND type = 'reminder_now'`, [learner.id])) as Array<{ title: string }>;
    expect(rows).toHaveLength(1);
    expect(rows[0].title).toMatch(/^Reminder: /);
  });

  it('HR: the gap heat map prints the share in every cell and closes a unit’s gaps in one action', async () => {
    await importDacps(api);
    const adminToken = await tokenFor(api.config, admin);
    await api.http.put('/api/v1/job-roles/console-analyst').set({ Authorization: `Bearer ${adminToken}` }).send({ title: 'Analyst', requirements: [{ competencyCode: 'LIT.1', level: 2 }] }).expect(201);
    const short = await aUser(api.dataSource, { orgUnit: dept, jobRoleCode: 'console-analyst' });
    const closing = await aCompetencyCourse(api.dataSource, { slug: 'console-literacy', competencies: [{ code: 'LIT.1', level: 2 }], minutes: 30 });
    const agent = await agentFor(hr);
    const map = await agent.get(`/console/hr/gaps?unit=${ministry.id}`).expect(200);
    expect(map.text).toMatch(/<td class="num heat-0">0%<span class="small">0 of 1<\/span><\/td>/);
    const post = await agent.post('/console/hr/gaps/assign').type('form').send({ _csrf: csrfOf(map.text), unit: dept.id, returnUnit: ministry.id }).expect(303);
    expect(post.headers.location).toBe(`/console/hr/gaps?unit=${ministry.id}&people=1&created=1&noCourse=0`);
    const after = await agent.get(post.headers.location).expect(200);
    expect(after.text).toContain('1 person had gaps. 1 enrolment was created, due in 30 days.');
    const rows = (await api.dataSource.query(`SELECT status FROM enrolment WHERE user_id = $1 AND course_id = $2`, [short.id, closing.courseId])) as unknown[];
    expect(rows).toHaveLength(1);
  });

  it('admin: revokes a certificate with a reason from the person page and finds it in the audit log by action, object, actor and date', async () => {
    const built = await aCompletedEnrolment(api.dataSource, { user: learner });
    await api.app.get(IssueCertificateHandler).handle({ enrolmentId: built.enrolmentId }, { id: 'console-test', attempt: 1 });
    const [cert] = (await api.dataSource.query(`SELECT id, serial FROM certificate WHERE enrolment_id = $1`, [built.enrolmentId])) as Array<{ id: string; serial: string }>;
    const agent = await agentFor(admin);
    const person = await agent.get(`/console/hr/people/${learner.id}`).expect(200);
    expect(person.text).toContain(`href="/console/admin/certificates/${cert.id}"`);
    const page = await agent.get(`/console/admin/certificates/${cert.id}`).expect(200);
    const empty = await agent.post(`/console/admin/certificates/${cert.id}/revoke`).type('form').send({ _csrf: csrfOf(page.text), reason: '' }).expect(400);
    expect(empty.text).toContain('<a href="#reason">Enter the reason (at least 3 characters)</a>');
    const done = await agent.post(`/console/admin/certificates/${cert.id}/revoke`).type('form').send({ _csrf: csrfOf(page.text), reason: 'Issued in error' }).expect(303);
    expect(done.headers.location).toBe(`/console/hr/people/${learner.id}?revoked=1`);
    const verify = await api.http.get(`/api/v1/certificates/${cert.id}`).set({ Authorization: `Bearer ${await tokenFor(api.config, admin)}` });
    expect(verify.body.status).toBe('revoked');
    const today = new Date().toISOString().slice(0, 10);
    const audit = await agent.get(`/console/admin/audit?action=certificate.revoked&object=${cert.id}&actor=${encodeURIComponent(admin.email)}&from=${today}&to=${today}`).expect(200);
    expect(audit.text).toContain('1 entry');
    expect(audit.text).toContain(`<code class="id">${cert.id}</code>`);
    expect(audit.text).toContain('Issued in error');
    const before = await agent.get(`/console/admin/audit?action=certificate.revoked&object=${cert.id}&to=2000-01-01`).expect(200);
    expect(before.text).toContain('No entries.');
    const badDate = await agent.get('/console/admin/audit?from=yesterday').expect(400);
    expect(badDate.text).toContain('Enter the date as year-month-day');
    // HR is not an admin: the certificate page and the audit log are closed to it.
    const hrAgent = await agentFor(hr);
    await hrAgent.get(`/console/admin/certificates/${cert.id}`).expect(403);
    await hrAgent.get('/console/admin/audit').expect(403);
  });

  it('admin: creates, renames and moves org units (with the subtree) through forms; bad input re-shows the form; HR may not', async () => {
    const agent = await agentFor(admin);
    const list = await agent.get('/console/admin/units').expect(200);
    expect(list.text).toContain(`<a href="/console/admin/units/${dept.id}">Poreska uprava</a>`);
    const csrf = csrfOf(list.text);
    const bad = await agent.post('/console/admin/units').type('form').send({ _csrf: csrf, name: '', code: 'bad code!', kind: 'unit', parentId: ministry.id }).expect(400);
    expect(bad.text).toContain('<a href="#name">Enter the name</a>');
    expect(bad.text).toContain('<a href="#code">Enter a code of letters, digits, dots, dashes or underscores (at most 50)</a>');
    const code = `ODS-${Date.now()}`;
    await agent.post('/console/admin/units').type('form').send({ _csrf: csrf, name: 'Odsek za obuku', code, kind: 'unit', parentId: dept.id }).expect(303);
    const [made] = (await api.dataSource.query(`SELECT id, parent_id, depth FROM org_unit WHERE code = $1`, [code])) as Array<{ id: string; parent_id: string; depth: number }>;
    expect(made).toMatchObject({ parent_id: dept.id, depth: 2 });
    const taken = await agent.post('/console/admin/units').type('form').send({ _csrf: csrf, name: 'Twin', code, kind: 'unit', parentId: '' }).expect(400);
    expect(taken.text).toContain('Another unit already has this code');
    // Move the department (and its new child) under the other ministry, renamed.
    const edit = await agent.get(`/console/admin/units/${dept.id}`).expect(200);
    expect(edit.text).not.toContain(`<option value="${dept.id}"`);
    await agent.post(`/console/admin/units/${dept.id}`).type('form').send({ _csrf: csrf, name: 'Poreska uprava (premeštena)', code: dept.code, kind: 'department', parentId: elsewhere.id }).expect(303);
    const rows = (await api.dataSource.query(`SELECT id, name, parent_id, path FROM org_unit WHERE id = ANY($1::uuid[])`, [[dept.id, made.id]])) as Array<{ id: string; name: string; parent_id: string; path: string }>;
    expect(rows.find((r) => r.id === dept.id)).toMatchObject({ name: 'Poreska uprava (premeštena)', parent_id: elsewhere.id });
    expect(rows.find((r) => r.id === made.id)!.path.startsWith(`/${elsewhere.id}/${dept.id}/`)).toBe(true);
    // A unit cannot move below itself.
    const cycle = await agent.post(`/console/admin/units/${dept.id}`).type('form').send({ _csrf: csrf, name: 'Loop', code: dept.code, kind: 'department', parentId: made.id }).expect(400);
    expect(cycle.text).toContain('error-summary');
    await agent.post(`/console/admin/units/${dept.id}`).type('form').send({ _csrf: csrf, name: 'Poreska uprava', code: dept.code, kind: 'department', parentId: ministry.id }).expect(303);
    const hrAgent = await agentFor(hr);
    await hrAgent.post('/console/admin/units').type('form').send({ _csrf: csrfOf((await hrAgent.get('/console').expect(200)).text), name: 'X', code: 'X-1', kind: 'unit' }).expect(403);
  });

  it('admin: the scheduled jobs page lists the schedule and failures, and runs a job now', async () => {
    const agent = await agentFor(admin);
    const page = await agent.get('/console/admin/jobs').expect(200);
    expect(page.text).toContain('<code>notifications.reminder-sweep</code>');
    const run = await agent.post('/console/admin/jobs/notifications.reminder-sweep/run').type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
    expect(run.headers.location).toMatch(/^\/console\/admin\/jobs\?(ran=notifications\.reminder-sweep|unavailable=1)$/);
    const shown = await agent.get(run.headers.location).expect(200);
    expect(shown.text).toMatch(/The job notifications\.reminder-sweep was started|The job queues do not answer right now/);
    const unknown = await agent.post('/console/admin/jobs/no-such-job/run').type('form').send({ _csrf: csrfOf(page.text) });
    expect(unknown.status).toBe(404);
  });

  it('admin: the jobs page shows each scheduled job’s last runs (time, duration, outcome) and its recent failures; only the last 50 runs are kept', async () => {
    const agent = await agentFor(admin);
    const page = await agent.get('/console/admin/jobs').expect(200);
    await agent.post('/console/admin/jobs/certificates.expiry-sweep/run').type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
    await drainJobs(api);
    const runs = api.app.get(JobRunRepository);
    await runs.record({ jobId: 'earlier-failure', name: 'certificates.expiry-sweep', attempt: 2, startedAt: new Date(Date.now() - 3_600_000), durationMs: 2_450, outcome: 'failed' });
    const shown = await agent.get('/console/admin/jobs').expect(200);
    const row = shown.text.slice(shown.text.indexOf('<th scope="row"><code>certificates.expiry-sweep</code>'));
    expect(row.slice(0, row.indexOf('</tr>'))).toMatch(/ ms · <span class="tag ok">Completed<\/span><\/td><td><span class="tag bad">1 failure in the last 2 runs<\/span>/);
    expect(shown.text).toContain('<caption id="runs-caption">The newest runs of each job (up to 5)');
    expect(shown.text).toContain('<td class="num">2.5 s</td><td><span class="tag bad">Failed (attempt 2)</span></td>');
    expect(shown.text).toMatch(/<th scope="row"><code>events\.commitment-reminder-sweep<\/code><\/th><td><code>35 6 \* \* \*<\/code><\/td><td><span class="muted">Not run yet<\/span>/);
    for (let i = 0; i < 55; i++) await runs.record({ jobId: `prune-${i}`, name: 'events.commitment-reminder-sweep', attempt: 1, startedAt: new Date(Date.now() - (55 - i) * 60_000), durationMs: i, outcome: 'completed' });
    const kept = (await api.dataSource.query(`SELECT min(duration_ms)::int AS first, max(duration_ms)::int AS last, count(*)::int AS n FROM job_run WHERE name = 'events.commitment-reminder-sweep'`)) as Array<{ first: number; last: number; n: number }>;
    expect(kept[0]).toEqual({ first: 5, last: 54, n: 50 }); // the five oldest runs went
  });

  it('line manager: a person with reports sees My team (direct and indirect), overdue items and certificates expiring in 60 days, and nudges one person; nobody else', async () => {
    const boss = await aUser(api.dataSource, { orgUnit: dept, password: PASSWORD, displayName: 'Šefica Odseka' });
    const direct = await aUser(api.dataSource, { orgUnit: dept, manager: boss, displayName: 'Direktni Saradnik' });
    const indirect = await aUser(api.dataSource, { orgUnit: dept, manager: direct, displayName: 'Posredni Saradnik' });
    const stranger = await aUser(api.dataSource, { orgUnit: dept, displayName: 'Neko Drugi' });
    const c = await aPublishedCourse(api.dataSource);
    await api.http
      .post('/api/v1/assignments')
      .set({ Authorization: `Bearer ${await tokenFor(api.config, admin)}` })
      .send({ courseSlug: c.slug, target: { userIds: [indirect.id, stranger.id] }, dueInDays: 5 })
      .expect(201);
    await api.dataSource.query(`UPDATE enrolment SET due_at = now() - interval '3 days' WHERE course_id = $1`, [c.courseId]);
    // Valid for a month from yesterday: expires within the next 60 days.
    const built = await aCompletedEnrolment(api.dataSource, { user: direct, validityMonths: 1, completedAt: new Date(Date.now() - 86_400_000) });
    await api.app.get(IssueCertificateHandler).handle({ enrolmentId: built.enrolmentId }, { id: 'console-team', attempt: 1 });

    const agent = await agentFor(boss);
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('href="/console"');
    const consoleHome = await agent.get('/console').expect(200);
    expect(consoleHome.text).toContain('href="/console/team"');
    expect(consoleHome.text).not.toContain('href="/console/hr"');
    const team = await agent.get('/console/team').expect(200);
    expect(team.text).toContain('2 people report to you (1 directly). Overdue items: 1. Certificates expiring in the next 60 days: 1.');
    expect(team.text).toContain('Posredni Saradnik');
    expect(team.text).toContain('Reports to Direktni Saradnik');
    expect(team.text).not.toContain('Neko Drugi');
    const csrf = csrfOf(team.text);
    const nudged = await agent.post('/console/team/nudge').type('form').send({ _csrf: csrf, userId: indirect.id }).expect(303);
    expect(nudged.headers.location).toBe('/console/team?sent=1');
    const again = await agent.post('/console/team/nudge').type('form').send({ _csrf: csrf, userId: indirect.id }).expect(303);
    expect(again.headers.location).toBe('/console/team?sent=0');
    const rows = (await api.dataSource.query(`SELECT body FROM notification WHERE user_id = $1 AND type = 'reminder_now'`, [indirect.id])) as Array<{ body: string }>;
    expect(rows).toHaveLength(1);
    expect(rows[0].body).toMatch(/^Your manager reminds you/);
    await agent.post('/console/team/nudge').type('form').send({ _csrf: csrf, userId: stranger.id }).expect(403);
    await agent.post('/console/team/nudge').type('form').send({ userId: indirect.id }).expect(403);
    await agent.get('/console/hr').expect(403);
    // A person without reports has no team and no console.
    const plain = await agentFor(learner);
    await plain.get('/console/team').expect(403);
    await plain.get('/console').expect(403);
  });

  it('HR: imports people from CSV — a check lists every rejected line by number and reason and writes nothing, then the good lines are imported', async () => {
    const agent = await agentFor(hr);
    const form = await agent.get('/console/hr/people/import').expect(200);
    const csrf = csrfOf(form.text);
    const t = `imp${Date.now()}`;
    const lines = ['email,displayName,orgUnitCode'];
    for (let i = 1; i <= 20; i++) lines.push(`${t}-${i}@uprava.rs,Službenik ${i},${dept.code}`);
    lines.push(`not-an-email,Loša Adresa,${dept.code}`); // line 22
    lines.push(`${t}-x@uprava.rs,Tuđa Jedinica,${elsewhere.code}`); // line 23: outside HR's scope
    lines.push(`${t}-1@uprava.rs,Dupli Red,${dept.code}`); // line 24: duplicate
    const csv = lines.join('\n');
    const count = async (): Promise<number> =>
      ((await api.dataSource.query(`SELECT count(*)::int AS n FROM app_user WHERE email LIKE $1`, [`${t}-%`])) as Array<{ n: number }>)[0].n;
    const check = await agent.post('/console/hr/people/import').type('form').send({ _csrf: csrf, csv, action: 'check' }).expect(200);
    expect(check.text).toContain('20 people would be added.');
    expect(check.text).toContain('3 lines are rejected.');
    for (const line of [22, 23, 24]) expect(check.text).toContain(`<th scope="row" class="num">${line}</th>`);
    await expect(count()).resolves.toBe(0);
    const applied = await agent.post('/console/hr/people/import').type('form').send({ _csrf: csrf, csv, action: 'apply' }).expect(200);
    expect(applied.text).toContain('20 people were added.');
    expect(applied.text).toContain('3 lines are rejected.');
    await expect(count()).resolves.toBe(20);
    const empty = await agent.post('/console/hr/people/import').type('form').send({ _csrf: csrf, csv: ' ', action: 'check' }).expect(400);
    expect(empty.text).toContain('<a href="#csv">Paste the CSV, starting with its header row</a>');
    const badHeader = await agent.post('/console/hr/people/import').type('form').send({ _csrf: csrf, csv: 'name,unit\nx,y', action: 'check' }).expect(400);
    expect(badHeader.text).toContain('error-summary');
  });

  it('admin: grants and removes roles on the person page; the person switches into the console without signing out', async () => {
    const person = await aUser(api.dataSource, { orgUnit: dept, password: PASSWORD, displayName: 'Buduća Kadrovica' });
    const theirs = await agentFor(person);
    await theirs.get('/console/hr').expect(403);
    const agent = await agentFor(admin);
    const page = await agent.get(`/console/hr/people/${person.id}`).expect(200);
    expect(page.text).toContain(`action="/console/admin/people/${person.id}/roles"`);
    const saved = await agent.post(`/console/admin/people/${person.id}/roles`).type('form').send({ _csrf: csrfOf(page.text), addRole: 'hr', addScope: dept.id }).expect(303);
    expect(saved.headers.location).toBe(`/console/hr/people/${person.id}?roles=saved#roles`);
    // Same session, next page: the console is there.
    const overview = await theirs.get('/console/hr').expect(200);
    expect(overview.text).toContain('Poreska uprava');
    const refused = await agent.post(`/console/admin/people/${person.id}/roles`).type('form').send({ _csrf: csrfOf(page.text), keep: `hr:${dept.id}`, addRole: 'author', addScope: '' });
    expect(refused.headers.location).toBe(`/console/hr/people/${person.id}?roles=refused#roles`);
    await agent.post(`/console/admin/people/${person.id}/roles`).type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
    await theirs.get('/console/hr').expect(403);
    // HR never sees the roles form, and may not post it.
    const hrAgent = await agentFor(hr);
    const hrView = await hrAgent.get(`/console/hr/people/${person.id}`).expect(200);
    expect(hrView.text).not.toContain('/roles"');
    await hrAgent.post(`/console/admin/people/${person.id}/roles`).type('form').send({ _csrf: csrfOf(hrView.text), addRole: 'admin' }).expect(403);
  });

  it('author: My courses lists versions and languages, previews the draft in Cyrillic as a learner sees it, and publishes with a change summary; others cannot', async () => {
    const school = await anOrgUnit(api.dataSource, { kind: 'school', name: 'Škola za upravu' });
    const otherSchool = await anOrgUnit(api.dataSource, { kind: 'school', name: 'Druga škola' });
    const author = await aUser(api.dataSource, { orgUnit: school, password: PASSWORD, roles: [{ role: 'author', scope: school }] });
    const otherAuthor = await aUser(api.dataSource, { orgUnit: otherSchool, password: PASSWORD, roles: [{ role: 'author', scope: otherSchool }] });
    const slug = `console-course-${Date.now()}`;
    const text = (en: string, lat: string, cyr: string): Record<string, string> => ({ en, 'sr-Latn': lat, 'sr-Cyrl': cyr });
    const pkg = {
      course: {
        slug,
        school: school.code,
        defaultLanguage: 'en',
        languages: ['en', 'sr-Latn', 'sr-Cyrl'],
        title: text('Records management', 'Upravljanje zapisima', 'Управљање записима'),
        summary: text('Keeping records.', 'Čuvanje zapisa.', 'Чување записа.'),
        audience: 'all-staff',
        level: 'foundation',
        estimatedMinutes: 20,
        framework: 'dacps',
        competencies: [{ code: 'DAT.2', level: 1 }],
        alignedWith: [],
        completion: {},
      },
      lessons: [{ slug: 'basics', title: text('Basics', 'Osnove', 'Основе'), minutes: 20, body: text('## Why records\n\nText.', '## Zašto zapisi\n\nTekst.', '## Зашто записи\n\nТекст.') }],
      quiz: null,
    };
    await api.http.post('/api/v1/courses').set({ Authorization: `Bearer ${await tokenFor(api.config, author)}` }).send(pkg).expect(201);

    const agent = await agentFor(author);
    const mine = await agent.get('/console/author').expect(200);
    expect(mine.text).toContain('Records management');
    expect(mine.text).toContain('English, Srpski (latinica), Српски (ћирилица)');
    expect(mine.text).toContain(`href="/console/author/courses/${slug}/preview?lang=sr-Cyrl"`);
    const cyr = await agent.get(`/console/author/courses/${slug}/preview?lang=sr-Cyrl`).expect(200);
    expect(cyr.text).toContain('<article class="prose" lang="sr-Cyrl"><h1>Основе</h1><h2>Зашто записи</h2>');
    const csrf = csrfOf(mine.text);
    const noSummary = await agent.post(`/console/author/courses/${slug}/publish`).type('form').send({ _csrf: csrf, summary: '' }).expect(400);
    expect(noSummary.text).toContain('Describe what changed (at least 3 characters)');
    const published = await agent.post(`/console/author/courses/${slug}/publish`).type('form').send({ _csrf: csrf, summary: 'First version of the course' }).expect(303);
    expect(published.headers.location).toBe('/console/author?published=1');
    const [audit] = (await api.dataSource.query(`SELECT after FROM audit_event WHERE action = 'course.published' AND subject_id = $1`, [slug])) as Array<{ after: { version: number; changeSummary: string } }>;
    expect(audit.after).toEqual({ version: 1, changeSummary: 'First version of the course' });
    const after = await agent.get('/console/author?published=1').expect(200);
    expect(after.text).toContain('Version 1 was published.');
    await agent.get(`/console/author/courses/${slug}/preview`).expect(404);
    // A second draft that rewrites the lesson and adds Cyrillic-only changes: the difference, line by line.
    const v2 = JSON.parse(JSON.stringify(pkg)) as typeof pkg;
    v2.lessons[0].body.en = '## Why records\n\nBetter text.';
    v2.lessons.push({ slug: 'retention', title: text('Retention', 'Čuvanje', 'Чување'), minutes: 5, body: text('## How long', '## Koliko', '## Колико') });
    await api.http.put(`/api/v1/courses/${slug}/draft`).set({ Authorization: `Bearer ${await tokenFor(api.config, author)}` }).send(v2).expect(200);
    const listed = await agent.get('/console/author').expect(200);
    expect(listed.text).toContain(`href="/console/author/courses/${slug}/diff?from=1&amp;to=2"`);
    const diff = await agent.get(`/console/author/courses/${slug}/diff?from=1&to=2`).expect(200);
    expect(diff.text).toContain('<li>Lessons added: <code>retention</code></li>');
    expect(diff.text).toContain('Lesson basics changed (English)');
    expect(diff.text).toContain('<del>− Text.\n</del><ins>+ Better text.\n</ins>');
    await agent.get(`/console/author/courses/${slug}/diff?from=1&to=9`).expect(404);

    // Another school's author sees nothing of it; HR and learners may not open the author pages.
    const other = await agentFor(otherAuthor);
    const theirs = await other.get('/console/author').expect(200);
    expect(theirs.text).not.toContain('Records management');
    const page = await other.get('/console').expect(200);
    expect(page.text).toContain('href="/console/author"');
    expect(page.text).not.toContain('href="/console/hr"');
    await other.get(`/console/author/courses/${slug}/diff?from=1&to=2`).expect(403);
    await other.post(`/console/author/courses/${slug}/publish`).type('form').send({ _csrf: csrfOf(page.text), summary: 'Not mine' }).expect(403);
    await (await agentFor(hr)).get('/console/author').expect(403);
  });

  // Two of the six miss q1 and score 50 (under the pass mark): they do not complete.
  it('author: course analytics — enrolments, completions, median time per lesson and quiz item analysis over first attempts; small groups suppressed; other schools refused', async () => {
    const school = await anOrgUnit(api.dataSource, { kind: 'school', name: 'Škola za analitiku' });
    const author = await aUser(api.dataSource, { orgUnit: school, password: PASSWORD, roles: [{ role: 'author', scope: school }] });
    const c = await aPublishedCourse(api.dataSource, { school });
    const small = await aPublishedCourse(api.dataSource, { school });
    const take = async (slug: string, q1: string[]): Promise<void> => {
      const learnerX = await aUser(api.dataSource, { orgUnit: dept });
      const auth = { Authorization: `Bearer ${await tokenFor(api.config, learnerX)}` };
      const e = await api.http.post('/api/v1/enrolments').set(auth).send({ courseSlug: slug }).expect(201);
      for (const l of ['l1', 'l2', 'l3']) await api.http.post(`/api/v1/enrolments/${e.body.id}/lessons/${l}/complete`).set(auth).expect(200);
      await api.http.post(`/api/v1/enrolments/${e.body.id}/quiz-attempts`).set(auth).send({ answers: [{ questionId: 'q1', choiceIds: q1 }, { questionId: 'q2', choiceIds: ['a', 'c'] }] }).expect(201);
    };
    for (const q1 of [['b'], ['b'], ['b'], ['b'], ['a'], ['a']]) await take(c.slug, q1);
    for (const q1 of [['b'], ['a']]) await take(small.slug, q1);
    const agent = await agentFor(author);
    const mine = await agent.get('/console/author').expect(200);
    expect(mine.text).toContain(`href="/console/author/courses/${c.slug}/analytics"`);
    const page = await agent.get(`/console/author/courses/${c.slug}/analytics`).expect(200);
    expect(page.text).toContain('<li>Enrolled: 6</li><li>Completed: 4</li><li>6 first quiz attempts</li>');
    // The item chart: drawn on the server (ECharts SVG), titled and described, in the colour-blind-safe blue, before its table.
    expect(page.text).toMatch(/role="img" aria-labelledby="chart-items-title chart-items-desc"><title id="chart-items-title">Share of first attempts that answered each question correctly<\/title><desc id="chart-items-desc">Which one is right\?: 67%/);
    expect(page.text).toContain('fill="#0072B2"');
    expect(page.text.indexOf('id="chart-items-title"')).toBeLessThan(page.text.indexOf('id="items-caption"'));
    const figure = page.text.slice(page.text.indexOf('<figure class="chart bars">'), page.text.indexOf('</figure>'));
    expect(figure).not.toMatch(/ecmeta_|<style|<script/);
    expect(page.text).toMatch(/<tr><th scope="row">Which one is right\?<\/th><td class="num">6<\/td><td class="num">67%<\/td><td class="num">1\.00<\/td><td>Wrong \(2\)<\/td><\/tr>/);
    expect(page.text).toMatch(/<td class="num">6<\/td><td class="num">\d+(\.\d)? min<\/td>/);
    const few = await agent.get(`/console/author/courses/${small.slug}/analytics`).expect(200);
    expect(few.text).toContain('<li>Enrolled: <span class="muted">not shown</span></li>');
    expect(few.text).not.toContain('Wrong (1)');
    const outsider = await aUser(api.dataSource, { orgUnit: school, password: PASSWORD, roles: [{ role: 'author', scope: await anOrgUnit(api.dataSource, { kind: 'school' }) }] });
    await (await agentFor(outsider)).get(`/console/author/courses/${c.slug}/analytics`).expect(403);
    await (await agentFor(hr)).get(`/console/author/courses/${c.slug}/analytics`).expect(403);
  });
  it('HR: the people list sorts on the server from its column headers (aria-sort on the sorted one), the API takes the same orders and refuses others', async () => {
    const agent = await agentFor(hr);
    const zora = await aUser(api.dataSource, { orgUnit: dept, displayName: 'Zora Sortić Zdravković' });
    const ana = await aUser(api.dataSource, { orgUnit: ministry, displayName: 'Ana Sortić Antić' });
    const names = (text: string): string[] => [...text.matchAll(/<th scope="row"><a href="\/console\/hr\/people\/[0-9a-f-]+">([^<]+)<\/a>/g)].map((m) => m[1]);

    const byName = await agent.get('/console/hr/people?q=Sorti').expect(200);
    expect(byName.text).toMatch(/<th scope="col" aria-sort="ascending"><a href="\/console\/hr\/people\?q=Sorti&amp;sort=-name">/);
    const ascending = names(byName.text);
    expect(ascending.indexOf(ana.displayName)).toBeLessThan(ascending.indexOf(zora.displayName));

    const descending = names((await agent.get('/console/hr/people?q=Sorti&sort=-name').expect(200)).text);
    expect(descending.indexOf(zora.displayName)).toBeLessThan(descending.indexOf(ana.displayName));

    const byUnit = await agent.get('/console/hr/people?q=Sorti&sort=unit').expect(200);
    expect(byUnit.text).toContain('aria-sort="ascending"><a href="/console/hr/people?q=Sorti&amp;sort=-unit">');
    // 'Ministarstvo finansija' comes before 'Poreska uprava'
    const unitOrder = names(byUnit.text);
    expect(unitOrder.indexOf(ana.displayName)).toBeLessThan(unitOrder.indexOf(zora.displayName));
    // An unknown order is the default one, never an error or raw SQL.
    expect(names((await agent.get('/console/hr/people?q=Sorti&sort=u.email;drop').expect(200)).text)).toEqual(ascending);

    const auth = { Authorization: `Bearer ${await tokenFor(api.config, hr)}` };
    const api1 = await api.http.get('/api/v1/users?q=Sorti&sort=-name&limit=100').set(auth).expect(200);
    const apiNames = (api1.body.items as Array<{ displayName: string }>).map((u) => u.displayName);
    expect(apiNames.indexOf(zora.displayName)).toBeLessThan(apiNames.indexOf(ana.displayName));
    expect(apiNames.length).toBe(ascending.length);
    const bad = await api.http.get('/api/v1/users?sort=password_hash').set(auth).expect(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });
});
