import { PROBLEM_CONTENT_TYPE } from '@lms/platform';
import { aUser, startApi, TestApi, uniq } from '@lms/testing';
import { importDacps } from '../competency/competency-fixtures.js';
import { bearer, OrgFixture, orgFixture } from './fixtures.js';

describe('separation of duties and scope: managers, self-awarded evidence', () => {
  let api: TestApi;
  let f: OrgFixture;
  beforeAll(async () => {
    api = await startApi();
    f = await orgFixture(api);
    await importDacps(api);
  });
  afterAll(async () => {
    await api.close();
  });

  describe('HR names only managers inside its scope', () => {
    it('PATCH /users/:id with an out-of-scope manager is 403 and changes nothing', async () => {
      const res = await api.http.patch(`/api/v1/users/${f.learnerA.id}`).set(bearer(f.token.hrA)).send({ managerId: f.learnerB.id });
      expect([res.status, res.headers['content-type']]).toEqual([403, expect.stringContaining(PROBLEM_CONTENT_TYPE)]);
      expect(res.body).toMatchObject({ code: 'manager_out_of_scope', field: 'managerId' });
      const [row] = (await api.dataSource.query(`SELECT manager_id FROM app_user WHERE id = $1`, [f.learnerA.id])) as Array<{ manager_id: string | null }>;
      expect(row.manager_id).toBeNull();
    });

    it('POST /users with an out-of-scope manager is 403 and creates nobody; an unknown id is 403 too (no probing of ids)', async () => {
      const email = `${uniq('mgr')}@test.lms`;
      const res = await api.http.post('/api/v1/users').set(bearer(f.token.hrA)).send({ email, displayName: 'New Person', orgUnitId: f.a.id, managerId: f.admin.id });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('manager_out_of_scope');
      const unknown = await api.http
        .post('/api/v1/users')
        .set(bearer(f.token.hrA))
        .send({ email, displayName: 'New Person', orgUnitId: f.a.id, managerId: '00000000-0000-4000-8000-000000000000' });
      expect(unknown.status).toBe(403);
      const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM app_user WHERE email = $1`, [email])) as Array<{ n: number }>;
      expect(n).toBe(0);
    });

    it('a manager inside the scope is accepted; an admin may name anyone (and gets 400 for an unknown id)', async () => {
      const ok = await api.http.patch(`/api/v1/users/${f.learnerA.id}`).set(bearer(f.token.hrA)).send({ managerId: f.learnerA1.id }).expect(200);
      expect(ok.body.managerId).toBe(f.learnerA1.id);
      const admin = await api.http.patch(`/api/v1/users/${f.learnerA.id}`).set(bearer(f.token.admin)).send({ managerId: f.learnerB.id }).expect(200);
      expect(admin.body.managerId).toBe(f.learnerB.id);
      // Re-saving the unchanged (admin-set) manager is not a new naming: HR can still edit the person.
      await api.http.patch(`/api/v1/users/${f.learnerA.id}`).set(bearer(f.token.hrA)).send({ managerId: f.learnerB.id, locale: 'sr-Latn' }).expect(200);
      const unknown = await api.http.patch(`/api/v1/users/${f.learnerA.id}`).set(bearer(f.token.admin)).send({ managerId: '00000000-0000-4000-8000-000000000000' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors[0].field).toBe('managerId');
    });
  });

  describe('nobody records competency evidence for themselves', () => {
    const evidence = { competencyCode: 'LIT.1', level: 1, note: 'Prior course at the academy' };

    it('HR recording evidence for itself gets 403, nothing is stored, and the refusal is audited', async () => {
      const res = await api.http.post(`/api/v1/users/${f.hrA.id}/competencies/evidence`).set(bearer(f.token.hrA)).send(evidence);
      expect([res.status, res.headers['content-type']]).toEqual([403, expect.stringContaining(PROBLEM_CONTENT_TYPE)]);
      expect(res.body.code).toBe('self_award_forbidden');
      const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM competency_evidence WHERE user_id = $1`, [f.hrA.id])) as Array<{ n: number }>;
      expect(n).toBe(0);
      const audit = await api.http.get(`/api/v1/audit?action=competency_evidence.refused&subjectId=${f.hrA.id}`).set(bearer(f.token.admin)).expect(200);
      expect(audit.body.items).toEqual([
        expect.objectContaining({ actorId: f.hrA.id, subjectType: 'user', subjectId: f.hrA.id, after: expect.objectContaining({ reason: 'self_award', competencyCode: 'LIT.1' }) }),
      ]);
    });

    it('an admin cannot award itself either; HR records evidence for a person in its scope', async () => {
      const self = await api.http.post(`/api/v1/users/${f.admin.id}/competencies/evidence`).set(bearer(f.token.admin)).send(evidence);
      expect(self.status).toBe(403);
      expect(self.body.code).toBe('self_award_forbidden');
      const other = await aUser(api.dataSource, { orgUnit: f.a });
      const ok = await api.http.post(`/api/v1/users/${other.id}/competencies/evidence`).set(bearer(f.token.hrA)).send(evidence);
      expect(ok.status).toBe(201);
    });
  });
});
