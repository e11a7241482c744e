import type { OrgUnit, User } from '@lms/identity';
import { IssueCertificateHandler } from '@lms/credentials';
import { ReminderSweep } from '@lms/notifications';
import { anOrgUnit, aUser, drainJobs, startApi, tokenFor, type TestApi } from '@lms/testing';
import { aCompletedEnrolment } from '../credentials/support.js';
import { aCourse, localInstant, setClock, type TestCourse } from '../notifications/notifications-fixtures.js';
import { bearer, PASSWORD } from './fixtures.js';

/**
 * Leavers and movers through the people API (`PATCH /users/:id {status}` by HR): disabling ends
 * sessions, stops new assignments, reminders and escalations, and keeps records and certificates;
 * reactivating brings back standing assignments and reminders.
 */
describe('Leavers: disabling and reactivating a person', () => {
  let api: TestApi;
  let dept: OrgUnit;
  let other: OrgUnit;
  let hr: User;
  let boss: User;
  let hrToken: string;
  let courseA: TestCourse;
  let courseC: TestCourse;
  let leaverId: string;
  let code: string;

  const enrolments = async (userId: string): Promise<string[]> =>
    (
      await api.dataSource.query(
        `SELECT course_id FROM enrolment WHERE user_id = $1 AND status IN ('enrolled', 'in_progress') ORDER BY course_id`,
        [userId],
      )
    ).map((r: { course_id: string }) => r.course_id);
  const remindersOf = async (userIds: string[]): Promise<Array<{ kind: string; recipient_id: string }>> =>
    api.dataSource.query(
      `SELECT r.kind, r.recipient_id FROM reminder r JOIN enrolment e ON e.id = r.enrolment_id WHERE e.user_id = ANY($1::uuid[]) ORDER BY r.kind`,
      [userIds],
    );

  beforeAll(async () => {
    api = await startApi();
    const ds = api.dataSource;
    dept = await anOrgUnit(ds, { name: 'Department' });
    other = await anOrgUnit(ds, { name: 'Other department' });
    hr = await aUser(ds, { orgUnit: dept, roles: [{ role: 'hr', scope: dept }] });
    boss = await aUser(ds, { orgUnit: dept, displayName: 'Boss Manager' });
    hrToken = await tokenFor(api.config, hr);
    courseA = await aCourse(ds);
    courseC = await aCourse(ds);
    await api.http
      .post('/api/v1/assignments')
      .set(bearer(hrToken))
      .send({ courseSlug: courseA.slug, target: { orgUnitId: dept.id }, dueInDays: 30 })
      .expect(201);
  });

  afterAll(async () => {
    await api.close();
  });

  it('a person created by HR gets the standing assignment and can sign in', async () => {
    const res = await api.http
      .post('/api/v1/users')
      .set(bearer(hrToken))
      .send({ email: 'lea.leaver@dept.gov.rs', displayName: 'Lea Leaver', orgUnitId: dept.id, password: PASSWORD, managerId: boss.id })
      .expect(201);
    leaverId = res.body.id;
    await drainJobs(api);
    await expect(enrolments(leaverId)).resolves.toEqual([courseA.courseId]);
    const built = await aCompletedEnrolment(api.dataSource, { user: { id: leaverId } as User });
    await api.app.get(IssueCertificateHandler).handle({ enrolmentId: built.enrolmentId }, { id: 'leaver-cert', attempt: 1 });
    code = (await api.dataSource.query(`SELECT verification_code FROM certificate WHERE enrolment_id = $1`, [built.enrolmentId]))[0]
      .verification_code;
  });

  it('disabling (HR, PATCH status) ends sessions, refuses sign-in, and is audited as user.disabled', async () => {
    const login = await api.http.post('/api/v1/auth/login').send({ email: 'lea.leaver@dept.gov.rs', password: PASSWORD }).expect(200);
    await api.http.get('/api/v1/me').set(bearer(login.body.accessToken)).expect(200);
    await api.http.patch(`/api/v1/users/${leaverId}`).set(bearer(hrToken)).send({ status: 'disabled' }).expect(200);
    await api.http.get('/api/v1/me').set(bearer(login.body.accessToken)).expect(401);
    await api.http.post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(401);
    await api.http.post('/api/v1/auth/login').send({ email: 'lea.leaver@dept.gov.rs', password: PASSWORD }).expect(401);
    const [audit] = await api.dataSource.query(`SELECT action, actor_id FROM audit_event WHERE subject_id = $1 ORDER BY at DESC LIMIT 1`, [
      leaverId,
    ]);
    expect(audit).toEqual({ action: 'user.disabled', actor_id: hr.id });
  });

  it('a disabled person gets no new assignment, no reminder and no escalation; records and certificates stay', async () => {
    const res = await api.http
      .post('/api/v1/assignments')
      .set(bearer(hrToken))
      .send({ courseSlug: courseC.slug, target: { orgUnitId: dept.id }, dueInDays: 10 })
      .expect(201);
    expect(res.body.matched).toBe(2); // HR and the boss, not the leaver
    await expect(enrolments(leaverId)).resolves.toEqual([courseA.courseId]);
    // course A: due in three days for the leaver's open enrolment, and 30 days overdue for a colleague
    const colleague = await aUser(api.dataSource, { orgUnit: dept, manager: boss });
    const day = new Date().toISOString().slice(0, 10);
    const now = setClock(api, localInstant(day, 'UTC'));
    await api.dataSource.query(
      `INSERT INTO enrolment (user_id, course_id, course_version_id, status, source, due_at) VALUES ($1, $2, $3, 'enrolled', 'assignment', $4)`,
      [colleague.id, courseA.courseId, courseA.versionId, new Date(now.getTime() - 30 * 86_400_000).toISOString()],
    );
    await api.dataSource.query(`UPDATE enrolment SET due_at = $3::timestamptz + interval '3 days' WHERE user_id = $1 AND course_id = $2`, [
      leaverId,
      courseA.courseId,
      now.toISOString(),
    ]);
    await api.app.get(ReminderSweep).run(now);
    await expect(remindersOf([leaverId])).resolves.toEqual([]);
    // the colleague (active) is reminded and escalated: the sweep ran
    const colleagueReminders = await remindersOf([colleague.id]);
    expect(colleagueReminders.map((r) => r.kind)).toEqual(expect.arrayContaining(['escalation_manager']));
    // the leaver, 30 days overdue, escalates to nobody
    await api.dataSource.query(`UPDATE enrolment SET due_at = $3::timestamptz - interval '30 days' WHERE user_id = $1 AND course_id = $2`, [
      leaverId,
      courseA.courseId,
      now.toISOString(),
    ]);
    await api.app.get(ReminderSweep).run(now);
    await expect(remindersOf([leaverId])).resolves.toEqual([]);
    // the overdue report leaves them out; HR still sees the person and their enrolment; the certificate verifies
    const overdue = await api.http.get(`/api/v1/reports/overdue?orgUnitId=${dept.id}`).set(bearer(hrToken)).expect(200);
    expect(JSON.stringify(overdue.body)).not.toContain(leaverId);
    const person = await api.http.get(`/api/v1/users/${leaverId}`).set(bearer(hrToken)).expect(200);
    expect(person.body.status).toBe('disabled');
    const verified = await api.http.get(`/api/v1/verify/${code}`).expect(200);
    expect(verified.body.status).toBe('valid');
  });

  it('reactivating re-applies standing assignments (user.placed) and reminders resume; audited as user.reactivated', async () => {
    await api.http.patch(`/api/v1/users/${leaverId}`).set(bearer(hrToken)).send({ status: 'active' }).expect(200);
    await drainJobs(api);
    await expect(enrolments(leaverId)).resolves.toEqual([courseA.courseId, courseC.courseId].sort());
    const [audit] = await api.dataSource.query(`SELECT action FROM audit_event WHERE subject_id = $1 ORDER BY at DESC LIMIT 1`, [leaverId]);
    expect(audit.action).toBe('user.reactivated');
    const day = new Date().toISOString().slice(0, 10);
    await api.app.get(ReminderSweep).run(setClock(api, localInstant(day, 'UTC')));
    const kinds = (await remindersOf([leaverId])).map(
      (r) => `${r.kind}→${r.recipient_id === boss.id ? 'boss' : r.recipient_id === leaverId ? 'self' : 'hr'}`,
    );
    expect(kinds).toEqual(expect.arrayContaining(['escalation_manager→boss']));
    expect(kinds.some((k) => k.endsWith('→self'))).toBe(true);
  });

  it('moving a person to another unit re-applies that unit’s standing assignments', async () => {
    const admin = await aUser(api.dataSource, { orgUnit: other, roles: [{ role: 'admin' }] });
    const adminToken = await tokenFor(api.config, admin);
    const courseD = await aCourse(api.dataSource);
    await api.http
      .post('/api/v1/assignments')
      .set(bearer(adminToken))
      .send({ courseSlug: courseD.slug, target: { orgUnitId: other.id }, dueInDays: 30 })
      .expect(201);
    await api.http.patch(`/api/v1/users/${leaverId}`).set(bearer(adminToken)).send({ orgUnitId: other.id }).expect(200);
    await drainJobs(api);
    await expect(enrolments(leaverId)).resolves.toContain(courseD.courseId);
  });
});
