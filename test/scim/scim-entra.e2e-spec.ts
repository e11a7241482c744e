import type { OrgUnit, User } from '@lms/identity';
import { anOrgUnit, aUser, startApi, tokenFor, type TestApi } from '@lms/testing';
import { aScimClient, entraUser, expectScimError, patchOp, SCIM_ENTERPRISE, SCIM_GROUP } from './scim-support.js';

/**
 * SCIM 2.0 as Microsoft Entra ID's provisioning service drives it, in its order: match by
 * userName, create, patch attributes, soft-delete with `"active": "False"`, groups with member
 * patches. Against the real app, PostgreSQL and Redis.
 */
describe('SCIM: the Entra ID provisioning sequence', () => {
  let api: TestApi;
  let ministry: OrgUnit;
  let finance: OrgUnit;
  let it_: OrgUnit;
  let elsewhere: OrgUnit;
  let admin: User;
  let outsider: User;
  let client: { id: string; token: string };

  const req = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', url: string, body?: unknown, token = client.token) => {
    const r = api.http[method](url).set('authorization', `Bearer ${token}`);
    return body === undefined ? r : r.set('content-type', 'application/scim+json').send(JSON.stringify(body));
  };

  beforeAll(async () => {
    api = await startApi();
    const ds = api.dataSource;
    ministry = await anOrgUnit(ds, { code: 'MIN', name: 'Ministry' });
    finance = await anOrgUnit(ds, { parent: ministry, code: 'MIN-FIN', name: 'Finance' });
    it_ = await anOrgUnit(ds, { parent: ministry, code: 'MIN-IT', name: 'Information technology' });
    elsewhere = await anOrgUnit(ds, { code: 'OTHER', name: 'Another institution' });
    admin = await aUser(ds, { orgUnit: ministry, roles: [{ role: 'admin' }] });
    outsider = await aUser(ds, { orgUnit: elsewhere, email: 'outsider@other.gov.rs' });
    client = await aScimClient(api, admin, ministry);
  });

  afterAll(async () => {
    await api.close();
  });

  let anaId: string;
  let managerId: string;

  it('GET /Users?filter=userName eq "…" finds nobody yet (answered as application/scim+json)', async () => {
    const res = await req('get', `/scim/v2/Users?filter=${encodeURIComponent('userName eq "ana.petrovic@min.gov.rs"')}`).expect(200);
    expect(res.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    expect(res.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it('POST /Users creates the person in the unit their department names, audited with the client as actor', async () => {
    const manager = await req(
      'post',
      '/scim/v2/Users',
      entraUser({ email: 'Boss@min.gov.rs', externalId: 'aad-boss', displayName: 'Milan Šef', department: 'MIN-FIN' }),
    ).expect(201);
    managerId = manager.body.id;
    const res = await req(
      'post',
      '/scim/v2/Users',
      entraUser({
        email: 'ana.petrovic@min.gov.rs',
        externalId: 'aad-0001',
        displayName: 'Ana Petrović',
        department: 'MIN-FIN',
        employeeNumber: 'E-100',
      }),
    ).expect(201);
    anaId = res.body.id;
    expect(res.headers.location).toBe(`http://lms.test/scim/v2/Users/${anaId}`);
    expect(res.body).toMatchObject({
      id: anaId,
      userName: 'ana.petrovic@min.gov.rs',
      externalId: 'aad-0001',
      displayName: 'Ana Petrović',
      active: true,
      [SCIM_ENTERPRISE]: { department: 'MIN-FIN', employeeNumber: 'E-100' },
      meta: { resourceType: 'User', location: `http://lms.test/scim/v2/Users/${anaId}` },
    });
    const [row] = await api.dataSource.query(`SELECT org_unit_id, status, external_id, password_hash FROM app_user WHERE id = $1`, [anaId]);
    expect(row).toEqual({ org_unit_id: finance.id, status: 'active', external_id: 'aad-0001', password_hash: null });
    const audit = await api.dataSource.query(`SELECT actor_id, action FROM audit_event WHERE subject_id = $1`, [anaId]);
    expect(audit).toEqual([{ actor_id: client.id, action: 'user.created' }]);
    const placed = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_event WHERE name = 'user.placed' AND payload->>'userId' = $1`,
      [anaId],
    );
    expect(placed[0].n).toBe(1);
  });

  it('GET by userName (any case) and by externalId finds them; GET /Users/:id reads them', async () => {
    const byName = await req('get', `/scim/v2/Users?filter=${encodeURIComponent('userName eq "ANA.Petrovic@min.gov.rs"')}`).expect(200);
    expect(byName.body.totalResults).toBe(1);
    expect(byName.body.Resources[0].id).toBe(anaId);
    const byExternal = await req('get', `/scim/v2/Users?filter=${encodeURIComponent('externalId eq "aad-0001"')}`).expect(200);
    expect(byExternal.body.Resources.map((r: { id: string }) => r.id)).toEqual([anaId]);
    const one = await req('get', `/scim/v2/Users/${anaId}`).expect(200);
    expect(one.body.userName).toBe('ana.petrovic@min.gov.rs');
    // the form Microsoft's SCIM validator sends: spaces as "+", the @ percent-encoded
    const plus = await req('get', '/scim/v2/Users?filter=userName+eq+%22ana.petrovic%40min.gov.rs%22').expect(200);
    expect(plus.body.totalResults).toBe(1);
  });

  it('PATCH replaces attributes the way Entra ID sends them (department → unit move, manager as a bare id, e-mail path)', async () => {
    const res = await req(
      'patch',
      `/scim/v2/Users/${anaId}`,
      patchOp(
        { op: 'Replace', path: 'displayName', value: 'Ana P. Petrović' },
        { op: 'Add', path: 'emails[type eq "work"].value', value: 'ana.petrovic@min.gov.rs' },
        { op: 'Replace', path: `${SCIM_ENTERPRISE}:department`, value: 'MIN-IT' },
        { op: 'Add', path: `${SCIM_ENTERPRISE}:manager`, value: managerId },
        { op: 'Replace', path: 'name.givenName', value: 'Ana' },
      ),
    ).expect(200);
    expect(res.body).toMatchObject({
      displayName: 'Ana P. Petrović',
      [SCIM_ENTERPRISE]: { department: 'MIN-IT', manager: { value: managerId } },
    });
    const [row] = await api.dataSource.query(`SELECT org_unit_id, manager_id FROM app_user WHERE id = $1`, [anaId]);
    expect(row).toEqual({ org_unit_id: it_.id, manager_id: managerId });
    // the move re-applies standing assignments: a second user.placed
    const placed = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_event WHERE name = 'user.placed' AND payload->>'userId' = $1`,
      [anaId],
    );
    expect(placed[0].n).toBe(2);
    // path-less replace with dotted keys and an object value
    const noPath = await req(
      'patch',
      `/scim/v2/Users/${anaId}`,
      patchOp({ op: 'replace', value: { externalId: 'aad-0001b', [`${SCIM_ENTERPRISE}:employeeNumber`]: 'E-101' } }),
    ).expect(200);
    expect(noPath.body).toMatchObject({ externalId: 'aad-0001b', [SCIM_ENTERPRISE]: { employeeNumber: 'E-101' } });
  });

  it('PATCH active "False" (a string, as Entra ID sends it) disables the person: their token stops working; "True" brings them back', async () => {
    const token = await tokenFor(api.config, { id: anaId });
    await api.http.get('/api/v1/me').set('authorization', `Bearer ${token}`).expect(200);
    const off = await req('patch', `/scim/v2/Users/${anaId}`, patchOp({ op: 'Replace', path: 'active', value: 'False' })).expect(200);
    expect(off.body.active).toBe(false);
    await api.http.get('/api/v1/me').set('authorization', `Bearer ${token}`).expect(401);
    const actions = await api.dataSource.query(`SELECT action FROM audit_event WHERE subject_id = $1 AND actor_id = $2 ORDER BY at`, [
      anaId,
      client.id,
    ]);
    expect(actions.map((a: { action: string }) => a.action)).toEqual(['user.created', 'user.updated', 'user.updated', 'user.disabled']);
    const filtered = await req('get', `/scim/v2/Users?filter=${encodeURIComponent('userName eq "ana.petrovic@min.gov.rs"')}`).expect(200);
    expect(filtered.body.Resources[0].active).toBe(false);
    const on = await req('patch', `/scim/v2/Users/${anaId}`, patchOp({ op: 'Replace', value: { active: 'True' } })).expect(200);
    expect(on.body.active).toBe(true);
    await api.http.get('/api/v1/me').set('authorization', `Bearer ${token}`).expect(200);
  });

  it('Groups: create a group (a job role), find it by displayName, add and remove members by PATCH', async () => {
    const created = await req('post', '/scim/v2/Groups', {
      schemas: [SCIM_GROUP],
      externalId: 'grp-1',
      displayName: 'Policy analyst',
      members: [],
    }).expect(201);
    expect(created.body).toMatchObject({ schemas: [SCIM_GROUP], id: 'policy-analyst', displayName: 'Policy analyst', members: [] });
    expect(created.headers.location).toBe('http://lms.test/scim/v2/Groups/policy-analyst');
    const [role] = await api.dataSource.query(`SELECT code, title FROM job_role WHERE code = 'policy-analyst'`);
    expect(role).toEqual({ code: 'policy-analyst', title: 'Policy analyst' });
    const found = await req(
      'get',
      `/scim/v2/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Policy analyst"')}`,
    ).expect(200);
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0]).not.toHaveProperty('members');
    await req(
      'patch',
      '/scim/v2/Groups/policy-analyst',
      patchOp({ op: 'Add', path: 'members', value: [{ value: anaId }, { value: managerId }] }),
    ).expect(200);
    const jobRoles = async (): Promise<unknown[]> =>
      api.dataSource.query(`SELECT id, job_role_code FROM app_user WHERE id = ANY($1::uuid[]) ORDER BY email`, [[anaId, managerId]]);
    await expect(jobRoles()).resolves.toEqual([
      { id: anaId, job_role_code: 'policy-analyst' },
      { id: managerId, job_role_code: 'policy-analyst' },
    ]);
    const member = await req(
      'get',
      `/scim/v2/Groups?filter=${encodeURIComponent(`id eq "policy-analyst" and members[value eq "${anaId}"]`)}`,
    ).expect(200);
    expect(member.body.totalResults).toBe(1);
    await req('patch', '/scim/v2/Groups/policy-analyst', patchOp({ op: 'Remove', path: `members[value eq "${managerId}"]` })).expect(200);
    await expect(jobRoles()).resolves.toEqual([
      { id: anaId, job_role_code: 'policy-analyst' },
      { id: managerId, job_role_code: null },
    ]);
    const renamed = await req(
      'patch',
      '/scim/v2/Groups/policy-analyst',
      patchOp({ op: 'Replace', path: 'displayName', value: 'Senior policy analyst' }),
    ).expect(200);
    expect(renamed.body.displayName).toBe('Senior policy analyst');
    // the job role change placed Ana again (standing assignments by job role) and was audited with the client as actor
    const audit = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE subject_id = $1 AND actor_id = $2 AND after->>'jobRoleCode' = 'policy-analyst'`,
      [anaId, client.id],
    );
    expect(audit[0].n).toBe(1);
    await req('post', '/scim/v2/Groups', { schemas: [SCIM_GROUP], displayName: 'senior POLICY analyst' }).expect(409);
    await req('delete', '/scim/v2/Groups/policy-analyst').expect(204);
    await expect(jobRoles()).resolves.toEqual([
      { id: anaId, job_role_code: null },
      { id: managerId, job_role_code: null },
    ]);
  });

  it('PUT replaces a person and a group as a whole', async () => {
    const created = await req(
      'post',
      '/scim/v2/Users',
      entraUser({ email: 'put.me@min.gov.rs', externalId: 'aad-put', displayName: 'Put Me', department: 'MIN-IT' }),
    ).expect(201);
    const replaced = await req(
      'put',
      `/scim/v2/Users/${created.body.id}`,
      entraUser({
        email: 'put.me@min.gov.rs',
        externalId: 'aad-put-2',
        displayName: 'Put Me Again',
        department: 'MIN-FIN',
        employeeNumber: 'E-9',
      }),
    ).expect(200);
    expect(replaced.body).toMatchObject({
      externalId: 'aad-put-2',
      displayName: 'Put Me Again',
      [SCIM_ENTERPRISE]: { department: 'MIN-FIN', employeeNumber: 'E-9' },
    });
    const [row] = await api.dataSource.query(`SELECT org_unit_id FROM app_user WHERE id = $1`, [created.body.id]);
    expect(row.org_unit_id).toBe(finance.id);
    await req('post', '/scim/v2/Groups', { schemas: [SCIM_GROUP], displayName: 'Auditor' }).expect(201);
    const group = await req('put', '/scim/v2/Groups/auditor', {
      schemas: [SCIM_GROUP],
      displayName: 'Internal auditor',
      members: [{ value: created.body.id }],
    }).expect(200);
    expect(group.body).toMatchObject({
      id: 'auditor',
      displayName: 'Internal auditor',
      members: [{ value: created.body.id, display: 'Put Me Again' }],
    });
    expectScimError(
      await req('put', `/scim/v2/Users/${outsider.id}`, entraUser({ email: 'outsider@other.gov.rs', externalId: 'o', displayName: 'O' })),
      404,
    );
  });

  it('DELETE /Users/:id deactivates (the person and their records stay)', async () => {
    await req('delete', `/scim/v2/Users/${managerId}`).expect(204);
    const [row] = await api.dataSource.query(`SELECT status FROM app_user WHERE id = $1`, [managerId]);
    expect(row.status).toBe('disabled');
    const res = await req('get', `/scim/v2/Users/${managerId}`).expect(200);
    expect(res.body.active).toBe(false);
  });

  it('a client sees only its subtree: people outside are invisible and cannot be pulled in', async () => {
    await req('get', `/scim/v2/Users/${outsider.id}`).expect(404);
    const byName = await req('get', `/scim/v2/Users?filter=${encodeURIComponent('userName eq "outsider@other.gov.rs"')}`).expect(200);
    expect(byName.body.totalResults).toBe(0);
    const all = await req('get', '/scim/v2/Users?count=200').expect(200);
    expect(all.body.Resources.map((r: { id: string }) => r.id)).not.toContain(outsider.id);
    expect(all.body.totalResults).toBe(4); // Ana, her manager, the person replaced by PUT and the admin of the ministry
    // creating someone with an existing outside e-mail: uniqueness, never a takeover
    expectScimError(
      await req('post', '/scim/v2/Users', entraUser({ email: 'outsider@other.gov.rs', externalId: 'x-1', displayName: 'Out Sider' })),
      409,
      'uniqueness',
    );
    const [o] = await api.dataSource.query(`SELECT org_unit_id FROM app_user WHERE id = $1`, [outsider.id]);
    expect(o.org_unit_id).toBe(elsewhere.id);
    expectScimError(await req('patch', `/scim/v2/Users/${outsider.id}`, patchOp({ op: 'replace', path: 'active', value: false })), 404);
    // naming an outside person as manager, or adding them to a group
    expectScimError(
      await req('patch', `/scim/v2/Users/${anaId}`, patchOp({ op: 'add', path: `${SCIM_ENTERPRISE}:manager`, value: outsider.id })),
      400,
      'invalidValue',
    );
    await req('post', '/scim/v2/Groups', { schemas: [SCIM_GROUP], displayName: 'Clerk' }).expect(201);
    expectScimError(
      await req('patch', '/scim/v2/Groups/clerk', patchOp({ op: 'add', path: 'members', value: [{ value: outsider.id }] })),
      400,
      'invalidValue',
    );
    // a group is not created when one of its members is out of reach
    expectScimError(
      await req('post', '/scim/v2/Groups', { schemas: [SCIM_GROUP], displayName: 'Driver', members: [{ value: outsider.id }] }),
      400,
      'invalidValue',
    );
    await expect(api.dataSource.query(`SELECT code FROM job_role WHERE title = 'Driver'`)).resolves.toEqual([]);
    // removing someone the client cannot see is a no-op
    await req('patch', '/scim/v2/Groups/clerk', patchOp({ op: 'remove', path: `members[value eq "${outsider.id}"]` })).expect(200);
    // a department naming a unit outside the subtree does not move anyone out: it falls back to the default unit
    await req('patch', `/scim/v2/Users/${anaId}`, patchOp({ op: 'replace', path: `${SCIM_ENTERPRISE}:department`, value: 'OTHER' })).expect(
      200,
    );
    const [a] = await api.dataSource.query(`SELECT org_unit_id FROM app_user WHERE id = $1`, [anaId]);
    expect(a.org_unit_id).toBe(ministry.id);
    // an admin inside the subtree is beyond a provisioning client's authority
    const adminRes = await req('patch', `/scim/v2/Users/${admin.id}`, patchOp({ op: 'replace', path: 'active', value: false }));
    expectScimError(adminRes, 403);
  });

  it('discovery: ServiceProviderConfig, Schemas and ResourceTypes', async () => {
    const spc = await api.http.get('/scim/v2/ServiceProviderConfig').expect(200);
    expect(spc.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    expect(spc.body).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 200 },
    });
    const schemas = await api.http.get('/scim/v2/Schemas').expect(200);
    expect(schemas.body.Resources.map((s: { id: string }) => s.id)).toEqual([
      'urn:ietf:params:scim:schemas:core:2.0:User',
      SCIM_ENTERPRISE,
      SCIM_GROUP,
    ]);
    const types = await api.http.get('/scim/v2/ResourceTypes').expect(200);
    expect(types.body.Resources.map((t: { endpoint: string }) => t.endpoint)).toEqual(['/Users', '/Groups']);
    await api.http.get(`/scim/v2/Schemas/${SCIM_ENTERPRISE}`).expect(200);
    expectScimError(await api.http.get('/scim/v2/ResourceTypes/Nope'), 404);
  });

  it('the admin API: clients are listed without tokens, only admins manage them, a revoked token stops at once', async () => {
    const adminToken = await tokenFor(api.config, admin);
    const list = await api.http.get('/api/v1/admin/scim-clients').set('authorization', `Bearer ${adminToken}`).expect(200);
    expect(list.body.items[0]).toMatchObject({
      id: client.id,
      name: 'Entra ID',
      scopeOrgUnitId: ministry.id,
      defaultOrgUnitId: ministry.id,
      departmentMatch: 'code',
    });
    expect(JSON.stringify(list.body)).not.toContain(client.token);
    expect(JSON.stringify(list.body)).not.toMatch(/token/i);
    const [stored] = await api.dataSource.query(`SELECT token_hash FROM scim_client WHERE id = $1`, [client.id]);
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.token_hash).not.toContain(client.token);
    const second = await aScimClient(api, admin, finance, { name: 'Second' });
    await api.http.delete(`/api/v1/admin/scim-clients/${second.id}`).set('authorization', `Bearer ${adminToken}`).expect(200);
    expectScimError(await req('get', '/scim/v2/Users', undefined, second.token), 401);
    const audit = await api.dataSource.query(`SELECT action FROM audit_event WHERE subject_id = $1 ORDER BY at`, [second.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['scim_client.created', 'scim_client.revoked']);
  });
});
