import { startApi, type TestApi } from '@lms/testing';
import { bearer, OrgFixture, orgFixture } from '../identity/fixtures.js';

const CLIENTS = '/api/v1/admin/scim-clients';

/** Role × scope × ownership for the admin API of SCIM clients, and for what a client may reach. */
describe('SCIM clients: who may manage them, and what a client reaches', () => {
  let api: TestApi;
  let f: OrgFixture;
  beforeAll(async () => {
    api = await startApi();
    f = await orgFixture(api);
  });
  afterAll(async () => {
    await api.close();
  });

  it('only admins create, list and revoke clients: HR (of any scope) and learners get 403, anonymous 401', async () => {
    const body = { name: 'Entra ID', scopeOrgUnitId: f.a.id };
    for (const who of ['hrA', 'hrB', 'learnerA'] as const) {
      await api.http.post(CLIENTS).set(bearer(f.token[who])).send(body).expect(403);
      await api.http.get(CLIENTS).set(bearer(f.token[who])).expect(403);
    }
    await api.http.post(CLIENTS).send(body).expect(401);
    const created = await api.http.post(CLIENTS).set(bearer(f.token.admin)).send(body).expect(201);
    expect(created.body.token).toMatch(/^lms_scim_[A-Za-z0-9_-]{43}$/);
    for (const who of ['hrA', 'learnerA'] as const)
      await api.http.delete(`${CLIENTS}/${created.body.id}`).set(bearer(f.token[who])).expect(403);
    await api.http.delete(`${CLIENTS}/${created.body.id}`).expect(401);
    const revoked = await api.http.delete(`${CLIENTS}/${created.body.id}`).set(bearer(f.token.admin)).expect(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    // revoking again answers the same; an unknown id is 404, a malformed one 400
    await api.http.delete(`${CLIENTS}/${created.body.id}`).set(bearer(f.token.admin)).expect(200);
    await api.http.delete(`${CLIENTS}/00000000-0000-4000-8000-000000000000`).set(bearer(f.token.admin)).expect(404);
    await api.http.delete(`${CLIENTS}/nope`).set(bearer(f.token.admin)).expect(400);
  });

  it('validates the client: the scope must exist, the default unit must lie inside the scope, the name follows the name rule', async () => {
    const post = (body: Record<string, unknown>) => api.http.post(CLIENTS).set(bearer(f.token.admin)).send(body);
    await post({ name: 'X', scopeOrgUnitId: '00000000-0000-4000-8000-000000000000' }).expect(400);
    const outside = await post({ name: 'X', scopeOrgUnitId: f.a.id, defaultOrgUnitId: f.b.id }).expect(400);
    expect(outside.body.errors).toEqual([{ field: 'defaultOrgUnitId', message: expect.stringContaining('scope unit or a unit below it') }]);
    await post({ name: 'X', scopeOrgUnitId: f.a.id, departmentMatch: 'email' }).expect(400);
    await post({ name: '\u202Eevil', scopeOrgUnitId: f.a.id }).expect(400);
    await post({ name: 'X\u0000', scopeOrgUnitId: f.a.id }).expect(400);
    const ok = await post({ name: 'Inside', scopeOrgUnitId: f.a.id, defaultOrgUnitId: f.a1.id, departmentMatch: 'name' }).expect(201);
    expect(ok.body).toMatchObject({ scopeOrgUnitId: f.a.id, defaultOrgUnitId: f.a1.id, departmentMatch: 'name', revokedAt: null });
  });

  it('a client scoped to unit A reaches A and A1, never B: listing, reading and changing', async () => {
    const created = await api.http.post(CLIENTS).set(bearer(f.token.admin)).send({ name: 'A only', scopeOrgUnitId: f.a.id }).expect(201);
    const token = created.body.token as string;
    const list = await api.http.get('/scim/v2/Users?count=200').set('authorization', `Bearer ${token}`).expect(200);
    const seen = new Set(list.body.Resources.map((r: { id: string }) => r.id));
    expect(seen).toEqual(new Set([f.hrA.id, f.learnerA.id, f.learnerA1.id]));
    for (const other of [f.learnerB, f.hrB, f.admin]) {
      await api.http.get(`/scim/v2/Users/${other.id}`).set('authorization', `Bearer ${token}`).expect(404);
      await api.http.delete(`/scim/v2/Users/${other.id}`).set('authorization', `Bearer ${token}`).expect(404);
    }
    const [b] = await api.dataSource.query(`SELECT status FROM app_user WHERE id = $1`, [f.learnerB.id]);
    expect(b.status).toBe('active');
    // HR of A itself is within authority (hr over A), so the client may change them; a learner of A1 too
    await api.http.delete(`/scim/v2/Users/${f.learnerA1.id}`).set('authorization', `Bearer ${token}`).expect(204);
  });
});
