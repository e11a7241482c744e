import type { OrgUnit, User } from '@lms/identity';
import { anOrgUnit, aUser, startApi, TestApi, tokenFor } from '@lms/testing';
import { aCompetencyCourse, daysFromNow, importDacps, someEvidence } from './competency-fixtures.js';

interface UnitItem {
  code: string;
  requiredLevel: number;
  peopleRequired: number;
  peopleShort: number;
  peopleExpiring: number;
  courses: Array<{ slug: string; closes: number; closesTotal: number; awardsLevel: number }>;
}

describe('Job roles and competency gaps', () => {
  let api: TestApi;
  let root: OrgUnit;
  let team: OrgUnit;
  let elsewhere: OrgUnit;
  let adminToken: string;
  let hrToken: string;
  let outsideHrToken: string;
  let analyst: User;
  let expiring: User;
  let met: User;
  const auth = (token: string): [string, string] => ['Authorization', `Bearer ${token}`];

  beforeAll(async () => {
    api = await startApi();
    await importDacps(api);
    const ds = api.dataSource;
    root = await anOrgUnit(ds);
    team = await anOrgUnit(ds, { parent: root });
    elsewhere = await anOrgUnit(ds);
    adminToken = await tokenFor(api.config, await aUser(ds, { orgUnit: root, roles: [{ role: 'admin' }] }));
    hrToken = await tokenFor(api.config, await aUser(ds, { orgUnit: root, roles: [{ role: 'hr', scope: root }] }));
    outsideHrToken = await tokenFor(api.config, await aUser(ds, { orgUnit: elsewhere, roles: [{ role: 'hr', scope: elsewhere }] }));

    // Courses: LIT.1 at level 1 only (does not close a level-2 gap), two that award LIT.1 at 2 (the
    // shorter one also closes DAT.3), and one for DAT.3 alone.
    await aCompetencyCourse(ds, { slug: 'ai-awareness', competencies: [{ code: 'LIT.1', level: 1 }], minutes: 20 });
    await aCompetencyCourse(ds, { slug: 'ai-long', competencies: [{ code: 'LIT.1', level: 2 }], minutes: 300 });
    await aCompetencyCourse(ds, { slug: 'ai-and-data', competencies: [{ code: 'LIT.1', level: 3 }, { code: 'DAT.3', level: 2 }], minutes: 120 });
    await aCompetencyCourse(ds, { slug: 'privacy-basics', competencies: [{ code: 'DAT.3', level: 2 }], minutes: 45 });
  });
  afterAll(async () => {
    await api.close();
  });

  it('admins define job roles; validation names the field; HR may read but not write', async () => {
    const created = await api.http
      .post('/api/v1/job-roles')
      .set(...auth(adminToken))
      .send({ code: 'policy-analyst', title: 'Policy analyst', requirements: [{ competencyCode: 'LIT.1', level: 2 }, { competencyCode: 'DAT.3', level: 2 }] })
      .expect(201);
    expect(created.body).toMatchObject({ code: 'policy-analyst', title: 'Policy analyst' });
    expect(created.body.requirements).toEqual([
      { frameworkKey: 'dacps', competencyCode: 'DAT.3', level: 2, title: expect.objectContaining({ en: 'Personal data protection and privacy' }) },
      { frameworkKey: 'dacps', competencyCode: 'LIT.1', level: 2, title: expect.objectContaining({ en: 'Understanding AI systems' }) },
    ]);
    await api.http.post('/api/v1/job-roles').set(...auth(adminToken)).send({ code: 'policy-analyst', title: 'Again', requirements: [] }).expect(409);
    await api.http.post('/api/v1/job-roles').set(...auth(hrToken)).send({ code: 'hr-made', title: 'No', requirements: [] }).expect(403);

    const bad = await api.http
      .post('/api/v1/job-roles')
      .set(...auth(adminToken))
      .send({ code: 'clerk', title: 'Clerk', requirements: [{ competencyCode: 'NOPE.1', level: 1 }, { competencyCode: 'LIT.2', level: 9 }] })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['requirements.0.competencyCode', 'requirements.1.level']);
    const invalid = await api.http.post('/api/v1/job-roles').set(...auth(adminToken)).send({ code: 'bad code!', title: '', requirements: 'x' }).expect(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['code', 'title', 'requirements']));
    await api.http.get('/api/v1/job-roles/clerk').set(...auth(hrToken)).expect(404);

    await api.http
      .put('/api/v1/job-roles/clerk')
      .set(...auth(adminToken))
      .send({ title: 'Clerk', requirements: [{ competencyCode: 'LIT.1', level: 1 }] })
      .expect(201);
    await api.http.put('/api/v1/job-roles/clerk').set(...auth(adminToken)).send({ title: 'Clerk II', requirements: [] }).expect(200);
    const list = await api.http.get('/api/v1/job-roles?q=clerk').set(...auth(hrToken)).expect(200);
    expect(list.body).toMatchObject({ total: 1, items: [{ code: 'clerk', title: 'Clerk II', requirements: [] }] });
    const one = await api.http.get('/api/v1/job-roles/policy-analyst').set(...auth(hrToken)).expect(200);
    expect(one.body.requirements).toHaveLength(2);
    const audit = (await api.dataSource.query(`SELECT action, subject_id FROM audit_event WHERE subject_type = 'job_role' ORDER BY at, action`)) as Array<{ action: string; subject_id: string }>;
    expect(audit.map((a) => `${a.action} ${a.subject_id}`)).toEqual(['job_role.created policy-analyst', 'job_role.created clerk', 'job_role.updated clerk']);
  });

  it('lists a person\'s gap with the course that closes it, ranked by gaps closed then length', async () => {
    const ds = api.dataSource;
    analyst = await aUser(ds, { orgUnit: team, jobRoleCode: 'policy-analyst', displayName: 'A Analyst' });
    await someEvidence(ds, analyst.id, 'LIT.1', 1, null); // held 1, required 2
    const res = await api.http.get(`/api/v1/users/${analyst.id}/gaps`).set(...auth(await tokenFor(api.config, analyst))).expect(200);
    expect(res.body).toMatchObject({ userId: analyst.id, jobRoleCode: 'policy-analyst', warnDays: 60, gaps: 2 });
    const lit = res.body.items.find((i: { code: string }) => i.code === 'LIT.1');
    expect(lit).toMatchObject({ requiredLevel: 2, heldLevel: 1, short: true, expiring: false });
    // ai-and-data closes both of this person's gaps: first; then the shorter of the rest. Never the level-1 course.
    expect(lit.courses.map((c: { slug: string }) => c.slug)).toEqual(['ai-and-data', 'ai-long']);
    const dat = res.body.items.find((i: { code: string }) => i.code === 'DAT.3');
    expect(dat.courses.map((c: { slug: string }) => c.slug)).toEqual(['ai-and-data', 'privacy-basics']);
  });

  it('counts evidence that expires inside the warning window as a gap already, flagged expiring', async () => {
    const ds = api.dataSource;
    expiring = await aUser(ds, { orgUnit: team, jobRoleCode: 'policy-analyst', displayName: 'B Expiring' });
    await someEvidence(ds, expiring.id, 'LIT.1', 2, daysFromNow(20));
    await someEvidence(ds, expiring.id, 'DAT.3', 2, null);
    const res = await api.http.get(`/api/v1/users/${expiring.id}/gaps`).set(...auth(hrToken)).expect(200);
    const lit = res.body.items.find((i: { code: string }) => i.code === 'LIT.1');
    expect(lit).toMatchObject({ requiredLevel: 2, heldLevel: 2, short: true, expiring: true });
    expect(new Date(lit.expiresAt).getTime()).toBeCloseTo(daysFromNow(20).getTime(), -5);
    expect(res.body.items.find((i: { code: string }) => i.code === 'DAT.3')).toMatchObject({ short: false, courses: [] });
    const narrow = await api.http.get(`/api/v1/users/${expiring.id}/gaps?warnDays=10`).set(...auth(hrToken)).expect(200);
    expect(narrow.body.gaps).toBe(0);

    met = await aUser(ds, { orgUnit: team, jobRoleCode: 'policy-analyst', displayName: 'C Met' });
    await someEvidence(ds, met.id, 'LIT.1', 3, null);
    await someEvidence(ds, met.id, 'DAT.3', 2, daysFromNow(400));
  });

  it('sums the gaps of a unit subtree per competency and lists the people short, a page at a time', async () => {
    const res = await api.http.get(`/api/v1/org-units/${root.id}/gaps`).set(...auth(hrToken)).expect(200);
    expect(res.body.headcount).toEqual({ people: 5, withJobRole: 3 });
    const items = res.body.items as UnitItem[];
    const lit = items.find((i) => i.code === 'LIT.1')!;
    expect(lit).toMatchObject({ requiredLevel: 2, peopleRequired: 3, peopleShort: 2, peopleExpiring: 1 });
    expect(lit.courses[0]).toMatchObject({ slug: 'ai-and-data', closes: 2, closesTotal: 3, awardsLevel: 3 });
    expect(lit.courses.map((c) => c.slug)).not.toContain('ai-awareness');
    expect(items.find((i) => i.code === 'DAT.3')).toMatchObject({ peopleRequired: 3, peopleShort: 1, peopleExpiring: 0 });

    const page1 = await api.http.get(`/api/v1/org-units/${root.id}/gaps?competency=LIT.1&limit=1`).set(...auth(hrToken)).expect(200);
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.people).toMatchObject({ page: 1, limit: 1, total: 2, items: [{ userId: analyst.id, requiredLevel: 2, heldLevel: 1, expiring: false }] });
    const page2 = await api.http.get(`/api/v1/org-units/${root.id}/gaps?competency=LIT.1&limit=1&page=2`).set(...auth(hrToken)).expect(200);
    expect(page2.body.people.items).toEqual([expect.objectContaining({ userId: expiring.id, expiring: true })]);
    const past = await api.http.get(`/api/v1/org-units/${root.id}/gaps?competency=LIT.1&page=9`).set(...auth(hrToken)).expect(200);
    expect(past.body.people).toMatchObject({ total: 2, items: [] });
  });

  it('keeps HR to its subtree (403) and answers bad input with 400 and unknown ids with 404', async () => {
    await api.http.get(`/api/v1/org-units/${root.id}/gaps`).set(...auth(outsideHrToken)).expect(403);
    await api.http.get(`/api/v1/users/${analyst.id}/gaps`).set(...auth(outsideHrToken)).expect(403);
    await api.http.post(`/api/v1/org-units/${root.id}/gaps/assign`).set(...auth(outsideHrToken)).send({ dueInDays: 30 }).expect(403);
    await api.http.get(`/api/v1/org-units/${root.id}/gaps`).set(...auth(await tokenFor(api.config, analyst))).expect(403);
    await api.http.get(`/api/v1/users/${analyst.id}/gaps`).set(...auth(await tokenFor(api.config, met))).expect(403);
    await api.http.get(`/api/v1/org-units/00000000-0000-4000-8000-000000000000/gaps`).set(...auth(hrToken)).expect(404);
    await api.http.get(`/api/v1/users/00000000-0000-4000-8000-000000000000/gaps`).set(...auth(hrToken)).expect(404);
    await api.http.get(`/api/v1/org-units/xyz/gaps`).set(...auth(hrToken)).expect(400);
    await api.http.get(`/api/v1/org-units/${root.id}/gaps?warnDays=-1`).set(...auth(hrToken)).expect(400);
    await api.http.get(`/api/v1/org-units/${root.id}/gaps?competency=NOPE.1`).set(...auth(hrToken)).expect(400);
    await api.http.get(`/api/v1/org-units/${root.id}/gaps?limit=101`).set(...auth(hrToken)).expect(400);
    await api.http.post(`/api/v1/org-units/${root.id}/gaps/assign`).set(...auth(hrToken)).send({}).expect(400);
    await api.http.post(`/api/v1/org-units/${root.id}/gaps/assign`).set(...auth(hrToken)).send({ dueInDays: 0 }).expect(400);
  });

  it('gaps/assign assigns per person the top course for each open gap, and a second call is a no-op', async () => {
    const first = await api.http.post(`/api/v1/org-units/${root.id}/gaps/assign`).set(...auth(hrToken)).send({ dueInDays: 30 }).expect(200);
    expect(first.body).toMatchObject({ people: 2, gaps: 3, inProgress: 0, noCourse: 0, created: 2, assignments: 1 });
    expect(first.body.courses).toEqual([expect.objectContaining({ courseSlug: 'ai-and-data', people: 2, gaps: 3, created: 2, competencies: ['DAT.3', 'LIT.1'] })]);
    const enrolled = (await api.dataSource.query(
      `SELECT u.display_name AS name, c.slug, e.due_at FROM enrolment e JOIN course c ON c.id = e.course_id JOIN app_user u ON u.id = e.user_id
        WHERE e.user_id = ANY($1::uuid[]) ORDER BY u.display_name`,
      [[analyst.id, expiring.id, met.id]],
    )) as Array<{ name: string; slug: string; due_at: Date }>;
    expect(enrolled.map((e) => [e.name, e.slug])).toEqual([
      ['A Analyst', 'ai-and-data'],
      ['B Expiring', 'ai-and-data'],
    ]);
    expect(enrolled[0].due_at.getTime()).toBeGreaterThan(daysFromNow(29).getTime());
    const [audit] = (await api.dataSource.query(`SELECT action, after FROM audit_event WHERE subject_type = 'org_unit' AND subject_id = $1`, [root.id])) as Array<{
      action: string;
      after: { created: number };
    }>;
    expect(audit).toMatchObject({ action: 'competency_gaps.assigned', after: { created: 2 } });

    const second = await api.http.post(`/api/v1/org-units/${root.id}/gaps/assign`).set(...auth(hrToken)).send({ dueInDays: 30 }).expect(200);
    expect(second.body).toMatchObject({ people: 2, gaps: 3, inProgress: 3, created: 0, assignments: 0, courses: [] });
    const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM enrolment WHERE user_id = ANY($1::uuid[])`, [[analyst.id, expiring.id, met.id]])) as Array<{ n: number }>;
    expect(n).toBe(2);
  });
});
