import { parse } from 'csv-parse/sync';
import type { OrgUnit, User } from '@lms/identity';
import { anOrgUnit, aUser, startApi, TestApi, tokenFor } from '@lms/testing';

interface CoverageItem {
  orgUnitId: string;
  competencyCode: string;
  [k: string]: unknown;
}

describe('HR report: competency coverage', () => {
  let api: TestApi;
  let ministry: OrgUnit;
  let department: OrgUnit;
  let agency: OrgUnit;
  let hrToken: string;
  let adminToken: string;

  async function evidence(user: User, code: string, level: number, expiresInDays: number | null): Promise<void> {
    await api.dataSource.query(
      `INSERT INTO competency_evidence (user_id, competency_code, framework_key, level, source, note, awarded_at, expires_at)
       VALUES ($1, $2, 'covtest', $3, 'manual', 'recognised prior learning', now() - interval '30 days',
               CASE WHEN $4::int IS NULL THEN NULL ELSE now() + make_interval(days => $4::int) END)`,
      [user.id, code, level, expiresInDays],
    );
  }

  const find = (items: CoverageItem[], unit: OrgUnit, code: string): CoverageItem | undefined =>
    items.find((r) => r.orgUnitId === unit.id && r.competencyCode === code);

  beforeAll(async () => {
    api = await startApi();
    const ds = api.dataSource;
    const root = await anOrgUnit(ds, { kind: 'country' });
    ministry = await anOrgUnit(ds, { parent: root, kind: 'institution', name: 'Ministry' });
    department = await anOrgUnit(ds, { parent: ministry, name: 'Department' });
    agency = await anOrgUnit(ds, { parent: root, kind: 'institution', name: 'Agency' });

    const [framework] = (await ds.query(
      `INSERT INTO competency_framework (key, version, title, levels, content_hash) VALUES ('covtest', 1, '{"en":"Test framework"}', '[]', 'x') RETURNING id`,
    )) as Array<{ id: string }>;
    await ds.query(
      `INSERT INTO competency (framework_id, code, position, title, crosswalk) VALUES ($1, 'DATA-1', 1, '{"en":"Data literacy, \\"applied\\"","sr-Cyrl":"Писменост"}', '[]'),
                                                                                     ($1, 'AI-1', 2, '{"sr-Cyrl":"Вештачка интелигенција"}', '[]')`,
      [framework.id],
    );
    await ds.query(`INSERT INTO job_role (code, title) VALUES ('cov-analyst', 'Analyst'), ('cov-clerk', 'Clerk')`);
    await ds.query(
      `INSERT INTO job_role_requirement (job_role_code, framework_key, competency_code, level)
       VALUES ('cov-analyst', 'covtest', 'DATA-1', 2), ('cov-analyst', 'covtest', 'AI-1', 1), ('cov-clerk', 'covtest', 'DATA-1', 1)`,
    );

    const hr = await aUser(ds, { orgUnit: ministry, roles: [{ role: 'hr', scope: ministry }] });
    const admin = await aUser(ds, { orgUnit: root, roles: [{ role: 'admin' }] });
    const u1 = await aUser(ds, { orgUnit: ministry, jobRoleCode: 'cov-analyst' });
    const u2 = await aUser(ds, { orgUnit: ministry, jobRoleCode: 'cov-analyst' });
    await aUser(ds, { orgUnit: ministry, jobRoleCode: 'cov-analyst' }); // no evidence at all
    const u4 = await aUser(ds, { orgUnit: ministry, jobRoleCode: 'cov-clerk' });
    const u5 = await aUser(ds, { orgUnit: department, jobRoleCode: 'cov-analyst' });
    const u6 = await aUser(ds, { orgUnit: agency, jobRoleCode: 'cov-analyst' });
    await aUser(ds, { orgUnit: ministry }); // no job role: not counted

    await evidence(u1, 'DATA-1', 3, null); // meets DATA-1 (needs 2)
    await evidence(u1, 'AI-1', 1, -1); // expired: does not count
    await evidence(u2, 'DATA-1', 1, 365); // level 1 < 2
    await evidence(u2, 'AI-1', 2, 10); // meets AI-1
    await evidence(u4, 'DATA-1', 1, null); // clerk needs only 1: meets
    await evidence(u5, 'DATA-1', 1, null);
    await evidence(u5, 'DATA-1', 2, 30); // the highest unexpired level counts
    await evidence(u6, 'DATA-1', 3, null);

    hrToken = await tokenFor(api.config, hr);
    adminToken = await tokenFor(api.config, admin);
  });

  afterAll(async () => {
    await api.close();
  });

  it('gives the share of people holding the level their job role requires, per unit and competency', async () => {
    const res = await api.http.get('/api/v1/reports/competency-coverage').set('authorization', `Bearer ${hrToken}`).expect(200);
    expect(res.body.total).toBe(4);
    const items = res.body.items as CoverageItem[];
    expect(find(items, ministry, 'DATA-1')).toMatchObject({
      frameworkKey: 'covtest',
      competencyTitle: 'Data literacy, "applied"',
      peopleRequired: 4,
      peopleMeeting: 2,
      coverage: 0.5,
    });
    expect(find(items, ministry, 'AI-1')).toMatchObject({ competencyTitle: 'Вештачка интелигенција', peopleRequired: 3, peopleMeeting: 1, coverage: 0.3333 });
    expect(find(items, department, 'DATA-1')).toMatchObject({ peopleRequired: 1, peopleMeeting: 1, coverage: 1 });
    expect(find(items, department, 'AI-1')).toMatchObject({ peopleRequired: 1, peopleMeeting: 0, coverage: 0 });
    expect(items.some((r) => r.orgUnitId === agency.id)).toBe(false);
  });

  it('rolls the subtree up on request', async () => {
    const res = await api.http.get(`/api/v1/reports/competency-coverage?rollup=true&orgUnitId=${ministry.id}`).set('authorization', `Bearer ${hrToken}`).expect(200);
    const items = res.body.items as CoverageItem[];
    expect(find(items, ministry, 'DATA-1')).toMatchObject({ peopleRequired: 5, peopleMeeting: 3, coverage: 0.6 });
    expect(find(items, ministry, 'AI-1')).toMatchObject({ peopleRequired: 4, peopleMeeting: 1, coverage: 0.25 });
  });

  it('keeps HR inside its subtree; admin sees everything', async () => {
    await api.http.get(`/api/v1/reports/competency-coverage?orgUnitId=${agency.id}`).set('authorization', `Bearer ${hrToken}`).expect(403);
    const res = await api.http.get(`/api/v1/reports/competency-coverage?orgUnitId=${agency.id}`).set('authorization', `Bearer ${adminToken}`).expect(200);
    expect(res.body.total).toBe(2);
    expect(find(res.body.items, agency, 'DATA-1')).toMatchObject({ peopleRequired: 1, peopleMeeting: 1, coverage: 1 });
    expect(find(res.body.items, agency, 'AI-1')).toMatchObject({ peopleRequired: 1, peopleMeeting: 0, coverage: 0 });
  });

  it('exports CSV', async () => {
    const res = await api.http.get('/api/v1/reports/competency-coverage?format=csv').set('authorization', `Bearer ${hrToken}`).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    expect(res.text).toContain('"Data literacy, ""applied"""');
    const records = parse(res.text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(records).toHaveLength(4);
    expect(records.find((r) => r.org_unit_id === ministry.id && r.competency_code === 'AI-1')).toMatchObject({ people_required: '3', people_meeting: '1', coverage: '0.3333' });
  });
});
