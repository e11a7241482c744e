import type { OrgUnit } from '@lms/identity';
import { anOrgUnit, aUser, startApi, TestApi, tokenFor } from '@lms/testing';
import { aCompetencyCourse, importDacps } from './competency-fixtures.js';

/**
 * POST /org-units/:id/gaps/assign is one action: a failure half-way leaves nothing assigned, the
 * retry assigns everything once, and repeated or concurrent calls create no extra assignment rows.
 */
describe('closing a unit\'s gaps is one idempotent action', () => {
  let api: TestApi;
  let unit: OrgUnit;
  let hrToken: string;
  let privacyCourseId: string;
  const people: string[] = [];
  const auth = (token: string): [string, string] => ['Authorization', `Bearer ${token}`];
  const assign = (): Promise<{ status: number; body: Record<string, unknown> }> =>
    Promise.resolve(api.http.post(`/api/v1/org-units/${unit.id}/gaps/assign`).set(...auth(hrToken)).send({ dueInDays: 30 }));

  async function counts(): Promise<{ assignments: number; enrolments: number; events: number; audits: number }> {
    const [row] = (await api.dataSource.query(
      `SELECT (SELECT count(*)::int FROM assignment) AS assignments,
              (SELECT count(*)::int FROM enrolment WHERE user_id = ANY($1::uuid[])) AS enrolments,
              (SELECT count(*)::int FROM outbox_event WHERE name = 'assignment.created') AS events,
              (SELECT count(*)::int FROM audit_event WHERE action = 'competency_gaps.assigned' AND subject_id = $2) AS audits`,
      [people, unit.id],
    )) as Array<{ assignments: number; enrolments: number; events: number; audits: number }>;
    return row;
  }

  beforeAll(async () => {
    api = await startApi();
    await importDacps(api);
    const ds = api.dataSource;
    unit = await anOrgUnit(ds);
    const adminToken = await tokenFor(api.config, await aUser(ds, { orgUnit: unit, roles: [{ role: 'admin' }] }));
    hrToken = await tokenFor(api.config, await aUser(ds, { orgUnit: unit, roles: [{ role: 'hr', scope: unit }] }));
    // Two roles whose gaps two different courses close: the plan has two assignments, 'ai-and-data' then 'privacy-basics'.
    await api.http.put('/api/v1/job-roles/ai-analyst').set(...auth(adminToken)).send({ title: 'AI analyst', requirements: [{ competencyCode: 'LIT.1', level: 2 }] }).expect(201);
    await api.http.put('/api/v1/job-roles/data-steward').set(...auth(adminToken)).send({ title: 'Data steward', requirements: [{ competencyCode: 'DAT.3', level: 2 }] }).expect(201);
    await aCompetencyCourse(ds, { slug: 'ai-and-data', competencies: [{ code: 'LIT.1', level: 3 }, { code: 'DAT.3', level: 2 }], minutes: 120 });
    privacyCourseId = (await aCompetencyCourse(ds, { slug: 'privacy-basics', competencies: [{ code: 'DAT.3', level: 2 }], minutes: 45 })).courseId;
    for (const [role, n] of [['ai-analyst', 3], ['data-steward', 2]] as const) {
      for (let i = 0; i < n; i++) people.push((await aUser(ds, { orgUnit: unit, jobRoleCode: role })).id);
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  it('a failure on the second assignment leaves nothing assigned; the retry assigns everything once; a third call creates nothing', async () => {
    // A real failure inside the database, half-way: the second course's assignment row is refused.
    await api.dataSource.query(`
      CREATE FUNCTION test_refuse_assignment() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'assignment refused by the test'; END $$`);
    await api.dataSource.query(
      `CREATE TRIGGER test_refuse_privacy BEFORE INSERT ON assignment FOR EACH ROW WHEN (NEW.course_id = '${privacyCourseId}'::uuid) EXECUTE FUNCTION test_refuse_assignment()`,
    );
    const failed = await assign();
    expect(failed.status).toBe(500);
    expect(await counts()).toEqual({ assignments: 0, enrolments: 0, events: 0, audits: 0 });

    await api.dataSource.query(`DROP TRIGGER test_refuse_privacy ON assignment`);
    const retry = await assign();
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ people: 5, gaps: 5, assignments: 2, created: 5 });
    expect((retry.body.courses as Array<{ courseSlug: string; created: number }>).map((c) => [c.courseSlug, c.created])).toEqual([
      ['ai-and-data', 3],
      ['privacy-basics', 2],
    ]);
    expect(await counts()).toEqual({ assignments: 2, enrolments: 5, events: 2, audits: 1 });

    const again = await assign();
    expect(again.body).toMatchObject({ assignments: 0, created: 0, inProgress: 5 });
    expect(await counts()).toEqual({ assignments: 2, enrolments: 5, events: 2, audits: 1 });
  });

  it('two identical requests at the same time assign once between them', async () => {
    // New people with gaps, so there is something to assign.
    const fresh: string[] = [];
    for (let i = 0; i < 2; i++) fresh.push((await aUser(api.dataSource, { orgUnit: unit, jobRoleCode: 'data-steward' })).id);
    people.push(...fresh);
    const [a, b] = await Promise.all([assign(), assign()]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.assignments, b.body.assignments].sort()).toEqual([0, 1]);
    expect(Number(a.body.created) + Number(b.body.created)).toBe(2);
    expect(await counts()).toEqual({ assignments: 3, enrolments: 7, events: 3, audits: 2 });
  });
});
