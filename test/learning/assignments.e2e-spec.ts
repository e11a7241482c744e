import { anOrgUnit, aUser, startApi, TestApi, tokenFor } from '@lms/testing';
import type { OrgUnit, User } from '@lms/identity';
import { ApplyStandingAssignmentsHandler, AssignmentService } from '@lms/learning';
import { aPublishedCourse, aPublishedVersion, BuiltCourse, countEvents } from '../support/learning-builders.js';

const DAY = 86_400_000;
const today = (): string => new Date().toISOString().slice(0, 10);

describe('Learning: assignments by HR, standing assignments that follow people, renewals', () => {
  let api: TestApi;
  // ministry ─┬─ dept ── team        elsewhere (another institution)
  //           └─ (people in each)
  let ministry: OrgUnit;
  let dept: OrgUnit;
  let team: OrgUnit;
  let elsewhere: OrgUnit;
  let hrOffice: OrgUnit;
  let hr: User;
  let hrToken: string;
  let hrOfDept: User;
  let admin: User;
  let adminToken: string;

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  /** What identity does when a person is created, moved or changes job role: a 'user.placed' event, handled by the learning job. */
  async function placed(userId: string): Promise<void> {
    await api.dataSource.query(`INSERT INTO outbox_event (name, payload) VALUES ('user.placed', $1)`, [JSON.stringify({ userId })]);
    await api.app.get(ApplyStandingAssignmentsHandler).handle({ userId }, { id: `test.${userId}`, attempt: 1 });
  }

  /** Resolves once some session of this test's database waits on a row lock (10 s at most). */
  async function waitForLockWait(): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [{ n }] = (await api.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      )) as Array<{ n: number }>;
      if (n > 0) return;
      if (Date.now() > deadline) throw new Error('no session waits on a lock after 10 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async function enrolmentsOf(userId: string, courseId: string): Promise<Array<{ id: string; status: string; due_at: Date | null; due_reason: string | null; assignment_id: string | null; cycle: number; source: string }>> {
    return api.dataSource.query(
      `SELECT id, status, due_at, due_reason, assignment_id, cycle, source FROM enrolment WHERE user_id = $1 AND course_id = $2 ORDER BY cycle, enrolled_at`,
      [userId, courseId],
    );
  }

  beforeAll(async () => {
    api = await startApi();
    ministry = await anOrgUnit(api.dataSource, { name: 'Ministry of Finance' });
    dept = await anOrgUnit(api.dataSource, { parent: ministry, name: 'Tax department' });
    team = await anOrgUnit(api.dataSource, { parent: dept, name: 'Audit team' });
    elsewhere = await anOrgUnit(api.dataSource, { name: 'Ministry of Health' });
    hrOffice = await anOrgUnit(api.dataSource, { name: 'HR office' });
    hr = await aUser(api.dataSource, { orgUnit: hrOffice, roles: [{ role: 'hr', scope: ministry }] });
    hrToken = await tokenFor(api.config, hr);
    hrOfDept = await aUser(api.dataSource, { orgUnit: hrOffice, roles: [{ role: 'hr', scope: dept }] });
    admin = await aUser(api.dataSource, { orgUnit: hrOffice, roles: [{ role: 'admin' }] });
    adminToken = await tokenFor(api.config, admin);
  });
  afterAll(async () => {
    await api.close();
  });

  describe('a unit subtree with a relative due date', () => {
    let course: BuiltCourse;
    let inMinistry: User;
    let inDept: User;
    let inTeam: User;
    let selfStarter: User;
    let assignmentId: string;

    beforeAll(async () => {
      course = await aPublishedCourse(api.dataSource, { quiz: null, lessons: [{ slug: 'l1' }, { slug: 'l2' }] });
      inMinistry = await aUser(api.dataSource, { orgUnit: ministry });
      inDept = await aUser(api.dataSource, { orgUnit: dept });
      inTeam = await aUser(api.dataSource, { orgUnit: team });
      selfStarter = await aUser(api.dataSource, { orgUnit: team });
      await aUser(api.dataSource, { orgUnit: elsewhere });
      const disabled = await aUser(api.dataSource, { orgUnit: team });
      await api.dataSource.query(`UPDATE app_user SET status = 'disabled' WHERE id = $1`, [disabled.id]);
      await api.http.post('/api/v1/enrolments').set(auth(await tokenFor(api.config, selfStarter))).send({ courseSlug: course.slug }).expect(201);
    });

    it('previews with ?dryRun=true: how many match, how many already hold the course, how many would be created; writes nothing', async () => {
      const body = { courseSlug: course.slug, target: { orgUnitId: ministry.id, includeSubUnits: true }, dueInDays: 30 };
      const before = (await api.dataSource.query(
        `SELECT (SELECT count(*) FROM enrolment WHERE course_id = $1)::int AS enrolments, (SELECT count(*) FROM assignment WHERE course_id = $1)::int AS assignments,
                (SELECT count(*) FROM outbox_event WHERE name = 'assignment.created')::int AS events`,
        [course.courseId],
      )) as unknown[];
      const res = await api.http.post('/api/v1/assignments?dryRun=true').set(auth(hrToken)).send(body).expect(200);
      expect(res.body).toEqual({ dryRun: true, matched: 4, alreadyEnrolled: 1, wouldCreate: 3 });
      const narrower = await api.http.post('/api/v1/assignments?dryRun=true').set(auth(hrToken)).send({ ...body, target: { orgUnitId: team.id } }).expect(200);
      expect(narrower.body).toEqual({ dryRun: true, matched: 2, alreadyEnrolled: 1, wouldCreate: 1 });
      const after = (await api.dataSource.query(
        `SELECT (SELECT count(*) FROM enrolment WHERE course_id = $1)::int AS enrolments, (SELECT count(*) FROM assignment WHERE course_id = $1)::int AS assignments,
                (SELECT count(*) FROM outbox_event WHERE name = 'assignment.created')::int AS events`,
        [course.courseId],
      )) as unknown[];
      expect(after).toEqual(before);
      // The same checks as a real assignment: scope, input, the dryRun flag itself.
      await api.http.post('/api/v1/assignments?dryRun=true').set(auth(await tokenFor(api.config, hrOfDept))).send(body).expect(403);
      await api.http.post('/api/v1/assignments?dryRun=true').set(auth(await tokenFor(api.config, inTeam))).send(body).expect(403);
      await api.http.post('/api/v1/assignments?dryRun=true').set(auth(hrToken)).send({ ...body, dueInDays: 0 }).expect(400);
      const bad = await api.http.post('/api/v1/assignments?dryRun=maybe').set(auth(hrToken)).send(body).expect(400);
      expect(bad.body.errors).toEqual([{ field: 'dryRun', message: 'dryRun must be true or false' }]);
    });

    it('enrols everyone active in the subtree in one request, keeping an existing enrolment', async () => {
      const res = await api.http
        .post('/api/v1/assignments')
        .set(auth(hrToken))
        .send({ courseSlug: course.slug, target: { orgUnitId: ministry.id, includeSubUnits: true }, dueInDays: 30 })
        .expect(201);
      expect(res.body).toEqual({ id: expect.any(String), matched: 4, created: 3, alreadyEnrolled: 1 });
      assignmentId = res.body.id;
      await expect(countEvents(api.dataSource, 'assignment.created', { assignmentId })).resolves.toBe(1);

      const [mine] = await enrolmentsOf(inTeam.id, course.courseId);
      expect(mine).toMatchObject({ status: 'enrolled', source: 'assignment', assignment_id: assignmentId });
      expect(Math.abs(new Date(mine.due_at as Date).getTime() - (Date.now() + 30 * DAY))).toBeLessThan(60_000);
      expect(mine.due_reason).toBe(`assigned by assignment ${assignmentId} to unit Ministry of Finance (${ministry.code}) and below; due 30 days after assignment on ${today()}`);
      // The self-started enrolment is kept (same row, progress kept) and now carries the assignment's due date.
      const [kept] = await enrolmentsOf(selfStarter.id, course.courseId);
      expect(kept).toMatchObject({ source: 'assignment', assignment_id: assignmentId });
      expect(kept.due_reason).toContain('kept the enrolment you started yourself on');
    });

    it('shows the learner why: source, assignment and rule, due reason; listed with dueAt in my learning', async () => {
      const token = await tokenFor(api.config, inDept);
      const list = await api.http.get('/api/v1/me/enrolments').set(auth(token)).expect(200);
      expect(list.body.items).toHaveLength(1);
      const item = list.body.items[0];
      expect(item).toMatchObject({ courseSlug: course.slug, version: 1, status: 'enrolled', overdue: false, progress: 0, source: 'assignment' });
      expect(item.dueAt).not.toBeNull();
      const details = await api.http.get(`/api/v1/enrolments/${item.id}`).set(auth(token)).expect(200);
      expect(details.body.why).toMatchObject({
        source: 'assignment',
        assignmentId,
        assignment: { id: assignmentId, courseSlug: course.slug, target: { orgUnitId: ministry.id, includeSubUnits: true }, dueInDays: 30, standing: true, createdBy: hr.id },
      });
      expect(details.body.why.assignment.targetDescription).toBe(`unit Ministry of Finance (${ministry.code}) and below`);
      expect(details.body.why.summary).toMatch(/^Assigned by assignment .* due 30 days after assignment on/);
    });

    it('is idempotent per (course, person): assigning again creates nothing', async () => {
      const again = await api.http
        .post('/api/v1/assignments')
        .set(auth(hrToken))
        .send({ courseSlug: course.slug, target: { orgUnitId: ministry.id, includeSubUnits: true }, dueInDays: 30 })
        .expect(201);
      expect(again.body).toMatchObject({ matched: 4, created: 0, alreadyEnrolled: 4 });
      const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM enrolment WHERE course_id = $1`, [course.courseId])) as Array<{ n: number }>;
      expect(n).toBe(4);
    });

    it('counts assigned, in progress, completed and overdue', async () => {
      await api.http.post(`/api/v1/enrolments/${(await enrolmentsOf(inDept.id, course.courseId))[0].id}/lessons/l1/complete`).set(auth(await tokenFor(api.config, inDept))).expect(200);
      const teamToken = await tokenFor(api.config, inTeam);
      const teamEnrolment = (await enrolmentsOf(inTeam.id, course.courseId))[0].id;
      await api.http.post(`/api/v1/enrolments/${teamEnrolment}/lessons/l1/complete`).set(auth(teamToken)).expect(200);
      await api.http.post(`/api/v1/enrolments/${teamEnrolment}/lessons/l2/complete`).set(auth(teamToken)).expect(200);
      await api.dataSource.query(`UPDATE enrolment SET due_at = now() - interval '1 day' WHERE user_id = $1 AND course_id = $2`, [inMinistry.id, course.courseId]);
      const res = await api.http.get(`/api/v1/assignments/${assignmentId}`).set(auth(hrToken)).expect(200);
      expect(res.body).toMatchObject({
        id: assignmentId,
        courseSlug: course.slug,
        target: { orgUnitId: ministry.id, includeSubUnits: true },
        dueInDays: 30,
        standing: true,
        counts: { assigned: 4, inProgress: 1, completed: 1, overdue: 1 },
      });
      const overdue = await api.http.get('/api/v1/me/enrolments').set(auth(await tokenFor(api.config, inMinistry))).expect(200);
      expect(overdue.body.items[0].overdue).toBe(true);
    });

    it('follows people: a newly created person in the subtree receives the assignment, due 30 days after joining', async () => {
      const newcomer = await aUser(api.dataSource, { orgUnit: team });
      await placed(newcomer.id);
      const rows = await enrolmentsOf(newcomer.id, course.courseId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'enrolled', source: 'assignment', assignment_id: assignmentId });
      expect(rows[0].due_reason).toBe(`assigned by assignment ${assignmentId} to unit Ministry of Finance (${ministry.code}) and below; due 30 days after joining on ${today()}`);
      expect(Math.abs(new Date(rows[0].due_at as Date).getTime() - (Date.now() + 30 * DAY))).toBeLessThan(60_000);
      // The job may run twice (redelivery): nothing more.
      await placed(newcomer.id);
      await expect(enrolmentsOf(newcomer.id, course.courseId)).resolves.toHaveLength(1);
    });

    it("follows people: a person moved into the subtree gets an enrolment that explains itself", async () => {
      const mover = await aUser(api.dataSource, { orgUnit: elsewhere });
      await placed(mover.id);
      await expect(enrolmentsOf(mover.id, course.courseId)).resolves.toHaveLength(0);
      await api.dataSource.query(`UPDATE app_user SET org_unit_id = $2 WHERE id = $1`, [mover.id, dept.id]);
      await placed(mover.id);
      const token = await tokenFor(api.config, mover);
      const list = await api.http.get('/api/v1/me/enrolments').set(auth(token)).expect(200);
      expect(list.body.items).toHaveLength(1);
      const details = await api.http.get(`/api/v1/enrolments/${list.body.items[0].id}`).set(auth(token)).expect(200);
      expect(details.body.why).toMatchObject({ source: 'assignment', assignmentId, assignment: { target: { orgUnitId: ministry.id, includeSubUnits: true } } });
      expect(details.body.dueReason).toContain(`assigned by assignment ${assignmentId} to unit Ministry of Finance (${ministry.code}) and below; due 30 days after joining on ${today()}`);
    });

    it('does not re-enrol a person HR withdrew from the assignment, nor one who completed the course', async () => {
      const person = await aUser(api.dataSource, { orgUnit: team });
      await placed(person.id);
      const [e] = await enrolmentsOf(person.id, course.courseId);
      await api.http.post(`/api/v1/enrolments/${e.id}/withdraw`).set(auth(hrToken)).expect(200);
      await placed(person.id);
      await expect(enrolmentsOf(person.id, course.courseId)).resolves.toHaveLength(1);
      // inTeam completed the course: a later assignment counts them as already enrolled.
      const res = await api.http.post('/api/v1/assignments').set(auth(hrToken)).send({ courseSlug: course.slug, target: { userIds: [inTeam.id] } }).expect(201);
      expect(res.body).toMatchObject({ matched: 1, created: 0, alreadyEnrolled: 1 });
    });

    it('a withdrawal that commits while the standing assignment is being applied again stays a withdrawal', async () => {
      const person = await aUser(api.dataSource, { orgUnit: team });
      await api.app.get(ApplyStandingAssignmentsHandler).apply(person.id);
      const [e] = await enrolmentsOf(person.id, course.courseId);
      // HR's withdrawal holds the row while the job runs again (a redelivered user.placed).
      const hrTx = api.dataSource.createQueryRunner();
      await hrTx.connect();
      await hrTx.startTransaction();
      try {
        await hrTx.query(`UPDATE enrolment SET status = 'withdrawn', withdrawn_at = now() WHERE id = $1`, [e.id]);
        const again = api.app.get(ApplyStandingAssignmentsHandler).apply(person.id);
        // The job is now waiting on the row HR holds.
        await waitForLockWait();
        await hrTx.commitTransaction();
        await expect(again).resolves.toEqual([]);
      } finally {
        if (hrTx.isTransactionActive) await hrTx.rollbackTransaction();
        await hrTx.release();
      }
      const rows = await enrolmentsOf(person.id, course.courseId);
      expect(rows.map((r) => r.status)).toEqual(['withdrawn']);
    });

    it('without includeSubUnits matches only the unit itself', async () => {
      const c = await aPublishedCourse(api.dataSource);
      const res = await api.http.post('/api/v1/assignments').set(auth(hrToken)).send({ courseSlug: c.slug, target: { orgUnitId: ministry.id } }).expect(201);
      expect(res.body).toMatchObject({ matched: 1, created: 1 });
      const [e] = await enrolmentsOf(inMinistry.id, c.courseId);
      expect(e.due_at).toBeNull();
      expect(e.due_reason).toBe(`assigned by assignment ${res.body.id} to unit Ministry of Finance (${ministry.code}); no due date`);
    });
  });

  it('assigns listed people and job roles; a fixed due date explains itself; pins the latest published version', async () => {
    const c = await aPublishedCourse(api.dataSource);
    await aPublishedVersion(api.dataSource, c.courseId, 2);
    const a = await aUser(api.dataSource, { orgUnit: dept, jobRoleCode: 'auditor' });
    const b = await aUser(api.dataSource, { orgUnit: team, jobRoleCode: 'clerk' });
    const dueAt = new Date(Date.now() + 40 * DAY).toISOString();
    const listed = await api.http.post('/api/v1/assignments').set(auth(hrToken)).send({ courseSlug: c.slug, target: { userIds: [a.id, b.id, a.id] }, dueAt }).expect(201);
    expect(listed.body).toMatchObject({ matched: 2, created: 2, alreadyEnrolled: 0 });
    const [ea] = await api.dataSource.query(`SELECT e.due_at, e.due_reason, v.version FROM enrolment e JOIN course_version v ON v.id = e.course_version_id WHERE e.user_id = $1 AND e.course_id = $2`, [a.id, c.courseId]);
    expect(ea.version).toBe(2);
    expect(new Date(ea.due_at).toISOString()).toBe(dueAt);
    expect(ea.due_reason).toBe(`assigned by assignment ${listed.body.id} to 2 listed people; due on ${dueAt.slice(0, 10)} (fixed date set by the assignment)`);
    const got = await api.http.get(`/api/v1/assignments/${listed.body.id}`).set(auth(hrToken)).expect(200);
    expect(got.body).toMatchObject({ standing: false, target: { userIds: expect.arrayContaining([a.id, b.id]) }, counts: { assigned: 2 } });

    // Unit + role (HR) and role only (admin): standing, and they follow job-role changes.
    const c2 = await aPublishedCourse(api.dataSource);
    const byRole = await api.http.post('/api/v1/assignments').set(auth(hrToken)).send({ courseSlug: c2.slug, target: { orgUnitId: ministry.id, includeSubUnits: true, jobRoleCode: 'clerk' }, dueInDays: 10 }).expect(201);
    expect(byRole.body).toMatchObject({ matched: 1, created: 1 });
    const c3 = await aPublishedCourse(api.dataSource);
    const orgWide = await api.http.post('/api/v1/assignments').set(auth(adminToken)).send({ courseSlug: c3.slug, target: { jobRoleCode: 'auditor' } }).expect(201);
    expect(orgWide.body).toMatchObject({ matched: 1, created: 1 });
    await api.dataSource.query(`UPDATE app_user SET job_role_code = 'clerk' WHERE id = $1`, [a.id]);
    await placed(a.id);
    const [clerkCourse] = await enrolmentsOf(a.id, c2.courseId);
    expect(clerkCourse.due_reason).toBe(`assigned by assignment ${byRole.body.id} to unit Ministry of Finance (${ministry.code}) and below with job role clerk; due 10 days after joining on ${today()}`);
  });

  it('is usable in-process by other domains: AssignmentService.assign(principal, {courseSlug, target, dueInDays})', async () => {
    const c = await aPublishedCourse(api.dataSource);
    const person = await aUser(api.dataSource, { orgUnit: team });
    const result = await api.app.get(AssignmentService).assign(
      { userId: hr.id, email: hr.email, orgUnitId: hrOffice.id, grants: [{ role: 'hr', scopeOrgUnitId: ministry.id }] },
      { courseSlug: c.slug, target: { userIds: [person.id] }, dueInDays: 14 },
    );
    expect(result).toMatchObject({ matched: 1, created: 1, alreadyEnrolled: 0 });
  });

  it('keeps HR inside its scope: 403 for units, people or org-wide roles outside it; learners may not assign', async () => {
    const c = await aPublishedCourse(api.dataSource);
    const deptHrToken = await tokenFor(api.config, hrOfDept);
    const outsider = await aUser(api.dataSource, { orgUnit: elsewhere });
    const insider = await aUser(api.dataSource, { orgUnit: team });
    const post = (token: string, body: object) => api.http.post('/api/v1/assignments').set(auth(token)).send(body);
    await post(deptHrToken, { courseSlug: c.slug, target: { orgUnitId: ministry.id, includeSubUnits: true } }).expect(403);
    await post(deptHrToken, { courseSlug: c.slug, target: { orgUnitId: elsewhere.id } }).expect(403);
    await post(deptHrToken, { courseSlug: c.slug, target: { userIds: [insider.id, outsider.id] } }).expect(403);
    await post(deptHrToken, { courseSlug: c.slug, target: { jobRoleCode: 'clerk' } }).expect(403);
    await post(await tokenFor(api.config, insider), { courseSlug: c.slug, target: { userIds: [insider.id] } }).expect(403);
    const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM assignment WHERE course_id = $1`, [c.courseId])) as Array<{ n: number }>;
    expect(n).toBe(0);
    // Reading: HR whose scope covers the target, the creator, admins; not HR elsewhere.
    const ok = await post(deptHrToken, { courseSlug: c.slug, target: { orgUnitId: team.id } }).expect(201);
    await api.http.get(`/api/v1/assignments/${ok.body.id}`).set(auth(hrToken)).expect(200);
    await api.http.get(`/api/v1/assignments/${ok.body.id}`).set(auth(adminToken)).expect(200);
    const hrElsewhere = await aUser(api.dataSource, { orgUnit: elsewhere, roles: [{ role: 'hr', scope: elsewhere }] });
    await api.http.get(`/api/v1/assignments/${ok.body.id}`).set(auth(await tokenFor(api.config, hrElsewhere))).expect(403);
  });

  it('refuses bad input with clear 400/404 problems', async () => {
    const c = await aPublishedCourse(api.dataSource);
    const post = (body: object) => api.http.post('/api/v1/assignments').set(auth(hrToken)).send(body);
    const fields = async (body: object): Promise<string[]> => (await post(body).expect(400)).body.errors.map((e: { field: string }) => e.field);
    await expect(fields({ courseSlug: c.slug, target: {} })).resolves.toEqual(['target']);
    await expect(fields({ courseSlug: c.slug, target: { orgUnitId: ministry.id }, dueAt: new Date(Date.now() + DAY).toISOString(), dueInDays: 3 })).resolves.toEqual(['dueAt']);
    await expect(fields({ courseSlug: c.slug, target: { orgUnitId: ministry.id }, dueAt: '2001-01-01T00:00:00Z' })).resolves.toEqual(['dueAt']);
    await expect(fields({ courseSlug: c.slug, target: { orgUnitId: ministry.id }, dueAt: 'tomorrow' })).resolves.toEqual(['dueAt']);
    await expect(fields({ courseSlug: c.slug, target: { userIds: [hr.id], orgUnitId: ministry.id } })).resolves.toEqual(['target']);
    await expect(fields({ courseSlug: c.slug, target: { includeSubUnits: true } })).resolves.toEqual(expect.arrayContaining(['target.includeSubUnits']));
    await expect(fields({ courseSlug: c.slug, target: { userIds: ['not-a-uuid'] } })).resolves.toEqual(['target.userIds']);
    await expect(fields({ courseSlug: c.slug, target: { userIds: ['00000000-0000-4000-8000-000000000000'] } })).resolves.toEqual(['target.userIds']);
    await expect(fields({ courseSlug: c.slug, target: { orgUnitId: ministry.id }, dueInDays: 0, renewEveryMonths: 1.5 })).resolves.toEqual(['dueInDays', 'renewEveryMonths']);
    await expect(fields({ courseSlug: c.slug, target: { orgUnitId: ministry.id, extra: 1 } })).resolves.toEqual(['target.extra']);
    await expect(fields({ courseSlug: c.slug, target: 'everyone' })).resolves.toEqual(expect.arrayContaining(['target']));
    await post({ courseSlug: 'no-such-course', target: { orgUnitId: ministry.id } }).expect(404);
    await post({ courseSlug: c.slug, target: { orgUnitId: '00000000-0000-4000-8000-000000000000' } }).expect(404);
    await api.http.get('/api/v1/assignments/nope').set(auth(hrToken)).expect(400);
    await api.http.get('/api/v1/assignments/00000000-0000-4000-8000-000000000000').set(auth(hrToken)).expect(404);
  });

  it('renews at completion: the next cycle exists at once, due renewEveryMonths after the completion', async () => {
    const c = await aPublishedCourse(api.dataSource, { quiz: null, lessons: [{ slug: 'only' }] });
    const person = await aUser(api.dataSource, { orgUnit: team });
    const token = await tokenFor(api.config, person);
    const a = await api.http.post('/api/v1/assignments').set(auth(hrToken)).send({ courseSlug: c.slug, target: { userIds: [person.id] }, dueInDays: 30, renewEveryMonths: 12 }).expect(201);
    const [first] = await enrolmentsOf(person.id, c.courseId);
    const done = await api.http.post(`/api/v1/enrolments/${first.id}/lessons/only/complete`).set(auth(token)).expect(200);
    expect(done.body.status).toBe('completed');
    const rows = await enrolmentsOf(person.id, c.courseId);
    expect(rows.map((r) => [r.cycle, r.status])).toEqual([
      [1, 'completed'],
      [2, 'enrolled'],
    ]);
    const completedAt = new Date(done.body.completedAt);
    const expected = new Date(completedAt);
    expected.setUTCFullYear(expected.getUTCFullYear() + 1);
    expect(new Date(rows[1].due_at as Date).toISOString()).toBe(expected.toISOString());
    expect(rows[1].due_reason).toBe(`renewal (cycle 2) required by assignment ${a.body.id} every 12 months; due 12 months after completion on ${today()}`);
    expect(rows[1].assignment_id).toBe(a.body.id);
    const counts = await api.http.get(`/api/v1/assignments/${a.body.id}`).set(auth(hrToken)).expect(200);
    expect(counts.body.counts).toEqual({ assigned: 1, inProgress: 0, completed: 1, overdue: 0 });
    // Exactly one renewal even when the completion is requested again.
    await api.http.post(`/api/v1/enrolments/${first.id}/lessons/only/complete`).set(auth(token)).expect(200);
    await expect(enrolmentsOf(person.id, c.courseId)).resolves.toHaveLength(2);
    const mine = await api.http.get('/api/v1/me/enrolments').set(auth(token)).expect(200);
    expect(mine.body.items.map((e: { cycle: number; status: string }) => [e.cycle, e.status])).toEqual([
      [2, 'enrolled'],
      [1, 'completed'],
    ]);
  });
});
