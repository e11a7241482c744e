import { anOrgUnit, aUser, drainJobs, startApi, TestApi, tokenFor } from '@lms/testing';
import type { OrgUnit, User } from '@lms/identity';
import { aPublishedCourse, BuiltCourse } from '../support/learning-builders.js';

const DAY = 86_400_000;
const today = (): string => new Date().toISOString().slice(0, 10);

/**
 * Standing assignments through the whole pipeline: identity's users API writes `user.placed`, the
 * relay and the queue run learning's `learning.apply-standing-assignments`, the person is enrolled.
 */
describe('Learning: assignments follow people created and moved through the users API', () => {
  let api: TestApi;
  let ministry: OrgUnit;
  let dept: OrgUnit;
  let elsewhere: OrgUnit;
  let hr: User;
  let hrToken: string;
  let adminToken: string;
  let course: BuiltCourse;
  let assignmentId: string;

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    api = await startApi();
    ministry = await anOrgUnit(api.dataSource, { name: 'Ministry of Justice' });
    dept = await anOrgUnit(api.dataSource, { parent: ministry, name: 'Courts department' });
    elsewhere = await anOrgUnit(api.dataSource, { name: 'Ministry of Culture' });
    hr = await aUser(api.dataSource, { orgUnit: ministry, roles: [{ role: 'hr', scope: ministry }] });
    hrToken = await tokenFor(api.config, hr);
    adminToken = await tokenFor(api.config, await aUser(api.dataSource, { orgUnit: elsewhere, roles: [{ role: 'admin' }] }));
    course = await aPublishedCourse(api.dataSource);
    const res = await api.http
      .post('/api/v1/assignments')
      .set(auth(hrToken))
      .send({ courseSlug: course.slug, target: { orgUnitId: ministry.id, includeSubUnits: true }, dueInDays: 30 })
      .expect(201);
    assignmentId = res.body.id;
    await drainJobs(api);
  });
  afterAll(async () => {
    await api.close();
  });

  it('a person HR creates in the subtree (POST /users) receives the assignment, due 30 days after joining', async () => {
    const created = await api.http
      .post('/api/v1/users')
      .set(auth(hrToken))
      .send({ email: `newcomer-${Date.now()}@test.lms`, displayName: 'New Comer', orgUnitId: dept.id })
      .expect(201);
    await drainJobs(api);
    const token = await tokenFor(api.config, { id: created.body.id });
    const mine = await api.http.get('/api/v1/me/enrolments').set(auth(token)).expect(200);
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({ courseSlug: course.slug, status: 'enrolled', source: 'assignment', assignmentId });
    expect(Math.abs(new Date(mine.body.items[0].dueAt).getTime() - (Date.now() + 30 * DAY))).toBeLessThan(60_000);
    expect(mine.body.items[0].dueReason).toBe(
      `assigned by assignment ${assignmentId} to unit Ministry of Justice (${ministry.code}) and below; due 30 days after joining on ${today()}`,
    );
  });

  it('a person moved into the subtree (PATCH /users/:id) gets an enrolment that explains itself; HR of the new unit can read it', async () => {
    const mover = await aUser(api.dataSource, { orgUnit: elsewhere });
    await api.http.patch(`/api/v1/users/${mover.id}`).set(auth(adminToken)).send({ orgUnitId: dept.id }).expect(200);
    await drainJobs(api);
    const token = await tokenFor(api.config, mover);
    const mine = await api.http.get('/api/v1/me/enrolments').set(auth(token)).expect(200);
    expect(mine.body.items).toHaveLength(1);
    const details = await api.http.get(`/api/v1/enrolments/${mine.body.items[0].id}`).set(auth(hrToken)).expect(200);
    expect(details.body.why).toMatchObject({
      source: 'assignment',
      assignmentId,
      assignment: { target: { orgUnitId: ministry.id, includeSubUnits: true }, dueInDays: 30, targetDescription: `unit Ministry of Justice (${ministry.code}) and below` },
    });
    expect(details.body.why.dueReason).toContain('due 30 days after joining on');
    // Moving again (within the subtree) creates nothing new.
    await api.http.patch(`/api/v1/users/${mover.id}`).set(auth(adminToken)).send({ orgUnitId: ministry.id }).expect(200);
    await drainJobs(api);
    const again = await api.http.get('/api/v1/me/enrolments').set(auth(token)).expect(200);
    expect(again.body.total).toBe(1);
  });

  it('a person created outside the subtree receives nothing', async () => {
    const created = await api.http
      .post('/api/v1/users')
      .set(auth(adminToken))
      .send({ email: `outsider-${Date.now()}@test.lms`, displayName: 'Out Sider', orgUnitId: elsewhere.id })
      .expect(201);
    await drainJobs(api);
    const mine = await api.http.get('/api/v1/me/enrolments').set(auth(await tokenFor(api.config, { id: created.body.id }))).expect(200);
    expect(mine.body.total).toBe(0);
  });
});
