import { anOrgUnit, aUser, startApi, TestApi, tokenFor } from '@lms/testing';
import type { OrgUnit, User } from '@lms/identity';
import { aPublishedCourse, aPublishedVersion, BuiltCourse } from '../support/learning-builders.js';

describe('Learning: self-enrolment, my learning, reading an enrolment', () => {
  let api: TestApi;
  let ministry: OrgUnit;
  let tax: OrgUnit;
  let health: OrgUnit;
  let learner: User;
  let learnerToken: string;
  let course: BuiltCourse;

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    api = await startApi();
    ministry = await anOrgUnit(api.dataSource);
    tax = await anOrgUnit(api.dataSource, { parent: ministry });
    health = await anOrgUnit(api.dataSource);
    learner = await aUser(api.dataSource, { orgUnit: tax, locale: 'sr-Latn' });
    learnerToken = await tokenFor(api.config, learner);
    course = await aPublishedCourse(api.dataSource);
  });
  afterAll(async () => {
    await api.close();
  });

  it('self-enrols once: 201 the first time, 200 with the same enrolment the second time', async () => {
    const first = await api.http.post('/api/v1/enrolments').set(auth(learnerToken)).send({ courseSlug: course.slug }).expect(201);
    expect(first.body).toMatchObject({ courseSlug: course.slug, version: 1, status: 'enrolled', dueAt: null, progress: 0, source: 'self', overdue: false });
    expect(first.body.courseTitle).toContain('(sr-Latn)');
    const second = await api.http.post('/api/v1/enrolments').set(auth(learnerToken)).send({ courseSlug: course.slug }).expect(200);
    expect(second.body.id).toBe(first.body.id);
    const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM enrolment WHERE user_id = $1 AND course_id = $2`, [learner.id, course.courseId])) as Array<{ n: number }>;
    expect(n).toBe(1);
  });

  it('concurrent self-enrolments create one enrolment', async () => {
    const other = await aPublishedCourse(api.dataSource);
    const person = await aUser(api.dataSource, { orgUnit: tax });
    const token = await tokenFor(api.config, person);
    const answers = await Promise.all(Array.from({ length: 8 }, () => api.http.post('/api/v1/enrolments').set(auth(token)).send({ courseSlug: other.slug })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
  });

  it('pins the latest published version when enrolling', async () => {
    const c = await aPublishedCourse(api.dataSource);
    await aPublishedVersion(api.dataSource, c.courseId, 2);
    const person = await aUser(api.dataSource, { orgUnit: tax });
    const res = await api.http.post('/api/v1/enrolments').set(auth(await tokenFor(api.config, person))).send({ courseSlug: c.slug }).expect(201);
    expect(res.body.version).toBe(2);
  });

  it('refuses bad input: unknown course 404, malformed body 400 with field errors, no token 401', async () => {
    const unknown = await api.http.post('/api/v1/enrolments').set(auth(learnerToken)).send({ courseSlug: 'no-such-course' }).expect(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    const bad = await api.http.post('/api/v1/enrolments').set(auth(learnerToken)).send({ courseSlug: 'Not A Slug!', extra: 1 }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['courseSlug', 'extra']);
    await api.http.post('/api/v1/enrolments').set(auth(learnerToken)).send({}).expect(400);
    await api.http.post('/api/v1/enrolments').send({ courseSlug: course.slug }).expect(401);
  });

  it('lists my enrolments by urgency: overdue first, then the nearest due date, then the rest; filtered and paginated', async () => {
    const person = await aUser(api.dataSource, { orgUnit: tax });
    const token = await tokenFor(api.config, person);
    const courses = await Promise.all([1, 2, 3, 4].map(() => aPublishedCourse(api.dataSource)));
    const ids: string[] = [];
    for (const c of courses) {
      const r = await api.http.post('/api/v1/enrolments').set(auth(token)).send({ courseSlug: c.slug }).expect(201);
      ids.push(r.body.id);
    }
    const day = 86_400_000;
    // 0: due in 10 days, 1: overdue by 2 days, 2: no due date, 3: due in 3 days
    await api.dataSource.query(`UPDATE enrolment SET due_at = $2 WHERE id = $1`, [ids[0], new Date(Date.now() + 10 * day)]);
    await api.dataSource.query(`UPDATE enrolment SET due_at = $2 WHERE id = $1`, [ids[1], new Date(Date.now() - 2 * day)]);
    await api.dataSource.query(`UPDATE enrolment SET due_at = $2 WHERE id = $1`, [ids[3], new Date(Date.now() + 3 * day)]);
    const all = await api.http.get('/api/v1/me/enrolments').set(auth(token)).expect(200);
    expect(all.body).toMatchObject({ page: 1, limit: 20, total: 4 });
    expect(all.body.items.map((e: { id: string }) => e.id)).toEqual([ids[1], ids[3], ids[0], ids[2]]);
    expect(all.body.items[0]).toMatchObject({ overdue: true, status: 'enrolled', progress: 0 });
    expect(all.body.items[0].courseSlug).toBe(courses[1].slug);
    expect(all.body.items[1].overdue).toBe(false);

    const overdue = await api.http.get('/api/v1/me/enrolments?status=overdue').set(auth(token)).expect(200);
    expect(overdue.body.items.map((e: { id: string }) => e.id)).toEqual([ids[1]]);
    const page2 = await api.http.get('/api/v1/me/enrolments?page=2&limit=3').set(auth(token)).expect(200);
    expect(page2.body).toMatchObject({ page: 2, limit: 3, total: 4 });
    expect(page2.body.items.map((e: { id: string }) => e.id)).toEqual([ids[2]]);
    const completed = await api.http.get('/api/v1/me/enrolments?status=completed').set(auth(token)).expect(200);
    expect(completed.body).toMatchObject({ items: [], total: 0 });
    await api.http.get('/api/v1/me/enrolments?status=nonsense').set(auth(token)).expect(400);
    await api.http.get('/api/v1/me/enrolments?limit=101').set(auth(token)).expect(400);
  });

  it('shows an enrolment to its owner, HR in scope and an admin, with lessons, quiz state and why it exists', async () => {
    const enrolment = await api.http.post('/api/v1/enrolments').set(auth(learnerToken)).send({ courseSlug: course.slug }).expect(200);
    const id = enrolment.body.id as string;
    const own = await api.http.get(`/api/v1/enrolments/${id}`).set(auth(learnerToken)).expect(200);
    expect(own.body).toMatchObject({ id, courseSlug: course.slug, status: 'enrolled', why: { source: 'self', assignmentId: null, assignment: null } });
    expect(own.body.why.summary).toMatch(/^You enrolled yourself on \d{4}-\d{2}-\d{2}/);
    expect(own.body.lessons.map((l: { slug: string; done: boolean }) => [l.slug, l.done])).toEqual([
      ['l1', false],
      ['l2', false],
      ['l3', false],
    ]);
    expect(own.body.lessons[0].title).toBe('Lesson l1 (sr-Latn)');
    expect(own.body.quiz).toMatchObject({ questionCount: 2, passMark: 70, attemptsAllowed: 2, attemptsUsed: 0, attemptsLeft: 2, passed: false });

    const hr = await aUser(api.dataSource, { orgUnit: ministry, roles: [{ role: 'hr', scope: ministry }] });
    await api.http.get(`/api/v1/enrolments/${id}`).set(auth(await tokenFor(api.config, hr))).expect(200);
    const admin = await aUser(api.dataSource, { orgUnit: health, roles: [{ role: 'admin' }] });
    await api.http.get(`/api/v1/enrolments/${id}`).set(auth(await tokenFor(api.config, admin))).expect(200);

    const hrElsewhere = await aUser(api.dataSource, { orgUnit: health, roles: [{ role: 'hr', scope: health }] });
    await api.http.get(`/api/v1/enrolments/${id}`).set(auth(await tokenFor(api.config, hrElsewhere))).expect(403);
    const colleague = await aUser(api.dataSource, { orgUnit: tax });
    await api.http.get(`/api/v1/enrolments/${id}`).set(auth(await tokenFor(api.config, colleague))).expect(403);
  });

  it('answers 400 for an id that is not a UUID and 404 for an unknown one', async () => {
    await api.http.get('/api/v1/enrolments/not-a-uuid').set(auth(learnerToken)).expect(400);
    const res = await api.http.get('/api/v1/enrolments/00000000-0000-4000-8000-000000000000').set(auth(learnerToken)).expect(404);
    expect(res.body.status).toBe(404);
  });

  it('lets HR in scope withdraw an enrolment (idempotent); a learner may not; enrolling again after withdrawal creates a new one', async () => {
    const person = await aUser(api.dataSource, { orgUnit: tax });
    const token = await tokenFor(api.config, person);
    const c = await aPublishedCourse(api.dataSource);
    const e = await api.http.post('/api/v1/enrolments').set(auth(token)).send({ courseSlug: c.slug }).expect(201);
    await api.http.post(`/api/v1/enrolments/${e.body.id}/withdraw`).set(auth(token)).expect(403);
    const hrElsewhere = await aUser(api.dataSource, { orgUnit: health, roles: [{ role: 'hr', scope: health }] });
    await api.http.post(`/api/v1/enrolments/${e.body.id}/withdraw`).set(auth(await tokenFor(api.config, hrElsewhere))).expect(403);
    const hr = await aUser(api.dataSource, { orgUnit: ministry, roles: [{ role: 'hr', scope: ministry }] });
    const hrToken = await tokenFor(api.config, hr);
    const w = await api.http.post(`/api/v1/enrolments/${e.body.id}/withdraw`).set(auth(hrToken)).expect(200);
    expect(w.body).toMatchObject({ status: 'withdrawn', overdue: false });
    expect(w.body.withdrawnAt).not.toBeNull();
    await api.http.post(`/api/v1/enrolments/${e.body.id}/withdraw`).set(auth(hrToken)).expect(200);
    await api.http.post(`/api/v1/enrolments/${e.body.id}/lessons/l1/complete`).set(auth(token)).expect(409);
    const again = await api.http.post('/api/v1/enrolments').set(auth(token)).send({ courseSlug: c.slug }).expect(201);
    expect(again.body.id).not.toBe(e.body.id);
  });
});
