import { aUser, startApi, TestApi, uniq } from '@lms/testing';
import { assertNoSecrets, bearer, OrgFixture, orgFixture, PASSWORD } from './fixtures.js';

const USERS = '/api/v1/users';

describe('people: create, change, list, see — role × scope × ownership', () => {
  let api: TestApi;
  let f: OrgFixture;
  beforeAll(async () => {
    api = await startApi();
    f = await orgFixture(api);
  });
  afterAll(async () => {
    await api.close();
  });

  async function placedEvents(userId: string): Promise<number> {
    const [row] = (await api.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_event WHERE name = 'user.placed' AND payload->>'userId' = $1`,
      [userId],
    )) as Array<{ n: number }>;
    return row.n;
  }

  it('admin creates a person with roles; e-mail is lower-cased; no hash in the answer; user.placed and audit written', async () => {
    const email = `${uniq('Ana.Petrovic')}@Uprava.GOV.rs`;
    const res = await api.http
      .post(USERS)
      .set(bearer(f.token.admin))
      .send({
        email,
        displayName: 'Ana Petrović',
        orgUnitId: f.a.id,
        password: PASSWORD,
        jobRoleCode: 'policy-analyst',
        locale: 'sr-Cyrl',
        timeZone: 'Europe/Belgrade',
        gender: 'female',
        locality: 'urban',
        roles: [{ role: 'hr', scopeOrgUnitId: f.a1.id }],
      })
      .expect(201);
    expect(res.body).toMatchObject({
      email: email.toLowerCase(),
      displayName: 'Ana Petrović',
      orgUnitId: f.a.id,
      jobRoleCode: 'policy-analyst',
      locale: 'sr-Cyrl',
      timeZone: 'Europe/Belgrade',
      gender: 'female',
      locality: 'urban',
      status: 'active',
    });
    expect(res.body.roles).toEqual([
      { role: 'hr', scopeOrgUnitId: f.a1.id },
      { role: 'learner', scopeOrgUnitId: null },
    ]);
    assertNoSecrets(res.body, [PASSWORD]);
    expect(await placedEvents(res.body.id)).toBe(1);
    const audit = (await api.dataSource.query(
      `SELECT actor_id, action, after FROM audit_event WHERE subject_type = 'user' AND subject_id = $1`,
      [res.body.id],
    )) as Array<{ actor_id: string; action: string; after: Record<string, unknown> }>;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_id: f.admin.id,
      action: 'user.created',
      after: expect.objectContaining({ email: email.toLowerCase(), passwordSet: true }),
    });
    assertNoSecrets(audit[0].after, [PASSWORD]);
    const login = await api.http.post('/api/v1/auth/login').send({ email: email.toUpperCase(), password: PASSWORD }).expect(200);
    expect(login.body.accessToken).toEqual(expect.any(String));
  });

  it('refuses a duplicate e-mail regardless of case with 409', async () => {
    const res = await api.http
      .post(USERS)
      .set(bearer(f.token.admin))
      .send({ email: f.learnerA.email.toUpperCase(), displayName: 'Copy', orgUnitId: f.a.id })
      .expect(409);
    expect(res.body.code).toBe('email_taken');
    await api.http.patch(`${USERS}/${f.learnerA1.id}`).set(bearer(f.token.admin)).send({ email: f.learnerA.email }).expect(409);
  });

  it('validates every field (400 naming each) and the password rules', async () => {
    const bad = await api.http
      .post(USERS)
      .set(bearer(f.token.admin))
      .send({
        email: 'not-an-email',
        displayName: '',
        orgUnitId: 'x',
        locale: 'fr_FR',
        timeZone: 'Mars/Olympus_Mons',
        gender: 'robot',
        locality: 'suburban',
        jobRoleCode: 'has space',
        roles: [{ role: 'king' }],
      })
      .expect(400);
    const fields = new Set((bad.body.errors as Array<{ field: string }>).map((e) => e.field));
    for (const fld of ['email', 'displayName', 'orgUnitId', 'locale', 'timeZone', 'gender', 'locality', 'jobRoleCode', 'roles.0.role'])
      expect(fields).toContain(fld);
    const base = { displayName: 'P', orgUnitId: f.a.id };
    const short = await api.http
      .post(USERS)
      .set(bearer(f.token.admin))
      .send({ ...base, email: `${uniq('p')}@t.lms`, password: 'short' })
      .expect(400);
    expect(short.body.errors[0]).toMatchObject({ field: 'password', message: expect.stringMatching(/12/) });
    const common = await api.http
      .post(USERS)
      .set(bearer(f.token.admin))
      .send({ ...base, email: `${uniq('p')}@t.lms`, password: 'Qwerty123456' })
      .expect(400);
    expect(common.body.errors[0].message).toMatch(/common/);
    const email = `${uniq('same')}@t.lms`;
    await api.http
      .post(USERS)
      .set(bearer(f.token.admin))
      .send({ ...base, email, password: email })
      .expect(400);
    await api.http
      .post(USERS)
      .set(bearer(f.token.admin))
      .send({ ...base, email: `${uniq('p')}@t.lms`, timeZone: 'America/Argentina/Buenos_Aires' })
      .expect(201);
    const noScope = await api.http
      .post(USERS)
      .set(bearer(f.token.admin))
      .send({ ...base, email: `${uniq('p')}@t.lms`, roles: [{ role: 'hr' }] })
      .expect(400);
    expect(noScope.body.errors[0].field).toBe('roles.0.scopeOrgUnitId');
    const unknownUnit = await api.http
      .post(USERS)
      .set(bearer(f.token.admin))
      .send({ ...base, email: `${uniq('p')}@t.lms`, orgUnitId: '00000000-0000-4000-8000-000000000000' })
      .expect(400);
    expect(unknownUnit.body.errors[0].field).toBe('orgUnitId');
    await api.http
      .post(USERS)
      .set(bearer(f.token.admin))
      .send({ ...base, email: `${uniq('p')}@t.lms`, managerId: '00000000-0000-4000-8000-000000000000' })
      .expect(400);
    await api.http.patch(`${USERS}/${f.learnerA.id}`).set(bearer(f.token.admin)).send({ managerId: f.learnerA.id }).expect(400);
    await api.http.patch(`${USERS}/${f.learnerA.id}`).set(bearer(f.token.admin)).send({ displayName: null }).expect(400);
  });

  it('HR creates people only inside its subtree and grants at most learner and hr within it', async () => {
    const mk = (orgUnitId: string, roles?: unknown): Promise<{ status: number; body: { roles?: unknown } }> =>
      api.http
        .post(USERS)
        .set(bearer(f.token.hrA))
        .send({ email: `${uniq('hr-made')}@t.lms`, displayName: 'Made by HR', orgUnitId, ...(roles ? { roles } : {}) });
    const ok = await mk(f.a1.id);
    expect(ok.status).toBe(201);
    expect(ok.body.roles).toEqual([{ role: 'learner', scopeOrgUnitId: null }]);
    expect((await mk(f.a1.id, [{ role: 'hr', scopeOrgUnitId: f.a1.id }])).status).toBe(201);
    expect((await mk(f.b.id)).status).toBe(403);
    expect((await mk(f.root.id)).status).toBe(403);
    expect((await mk(f.a1.id, [{ role: 'admin' }])).status).toBe(403);
    expect((await mk(f.a1.id, [{ role: 'author', scopeOrgUnitId: f.a1.id }])).status).toBe(403);
    expect((await mk(f.a1.id, [{ role: 'hr', scopeOrgUnitId: f.b.id }])).status).toBe(403);
    expect((await mk(f.a1.id, [{ role: 'hr', scopeOrgUnitId: f.root.id }])).status).toBe(403);
  });

  it('HR changes people inside its subtree; moving a person or changing the job role writes user.placed', async () => {
    const p = await aUser(api.dataSource, { orgUnit: f.a1, roles: [{ role: 'learner', scope: null }] });
    const renamed = await api.http.patch(`${USERS}/${p.id}`).set(bearer(f.token.hrA)).send({ displayName: 'Renamed' }).expect(200);
    expect(renamed.body.displayName).toBe('Renamed');
    expect(await placedEvents(p.id)).toBe(0);
    await api.http.patch(`${USERS}/${p.id}`).set(bearer(f.token.hrA)).send({ orgUnitId: f.a.id }).expect(200);
    expect(await placedEvents(p.id)).toBe(1);
    await api.http.patch(`${USERS}/${p.id}`).set(bearer(f.token.hrA)).send({ jobRoleCode: 'inspector' }).expect(200);
    expect(await placedEvents(p.id)).toBe(2);
    await api.http.patch(`${USERS}/${p.id}`).set(bearer(f.token.hrA)).send({ jobRoleCode: 'inspector', locale: 'sr-Latn' }).expect(200);
    expect(await placedEvents(p.id)).toBe(2);
    // Outside the subtree: the target, or the destination.
    await api.http.patch(`${USERS}/${p.id}`).set(bearer(f.token.hrA)).send({ orgUnitId: f.b.id }).expect(403);
    await api.http.patch(`${USERS}/${f.learnerB.id}`).set(bearer(f.token.hrA)).send({ displayName: 'x' }).expect(403);
    await api.http.patch(`${USERS}/${f.hrB.id}`).set(bearer(f.token.hrA)).send({ displayName: 'x' }).expect(403);
    // Grants: hr within scope ok, beyond scope refused.
    const granted = await api.http
      .patch(`${USERS}/${p.id}`)
      .set(bearer(f.token.hrA))
      .send({ roles: [{ role: 'hr', scopeOrgUnitId: f.a1.id }] })
      .expect(200);
    expect(granted.body.roles).toContainEqual({ role: 'hr', scopeOrgUnitId: f.a1.id });
    await api.http
      .patch(`${USERS}/${p.id}`)
      .set(bearer(f.token.hrA))
      .send({ roles: [{ role: 'admin' }] })
      .expect(403);
    const cleared = await api.http.patch(`${USERS}/${p.id}`).set(bearer(f.token.hrA)).send({ roles: [] }).expect(200);
    expect(cleared.body.roles).toEqual([{ role: 'learner', scopeOrgUnitId: null }]);
  });

  it('HR cannot change a person in its subtree who holds roles beyond its authority (admin, author, wider hr)', async () => {
    const adminInA = await aUser(api.dataSource, { orgUnit: f.a1, roles: [{ role: 'admin' }] });
    const authorInA = await aUser(api.dataSource, { orgUnit: f.a1, roles: [{ role: 'author', scope: f.a1 }] });
    const wideHr = await aUser(api.dataSource, { orgUnit: f.a1, roles: [{ role: 'hr', scope: f.root }] });
    for (const u of [adminInA, authorInA, wideHr]) {
      await api.http.patch(`${USERS}/${u.id}`).set(bearer(f.token.hrA)).send({ status: 'disabled' }).expect(403);
      await api.http.get(`${USERS}/${u.id}`).set(bearer(f.token.hrA)).expect(200);
    }
  });

  it('lists people: admin all, HR only its subtree; by unit (exact or with sub-units) and text; learners 403', async () => {
    const hrList = await api.http.get(`${USERS}?limit=100`).set(bearer(f.token.hrA)).expect(200);
    const ids: string[] = hrList.body.items.map((u: { id: string }) => u.id);
    expect(ids).toEqual(expect.arrayContaining([f.hrA.id, f.learnerA.id, f.learnerA1.id]));
    expect(ids).not.toContain(f.learnerB.id);
    expect(ids).not.toContain(f.hrB.id);
    expect(ids).not.toContain(f.admin.id);
    for (const u of hrList.body.items) {
      if (u.id !== f.hrA.id) expect(u).not.toHaveProperty('gender');
      assertNoSecrets(u);
    }
    const exact = await api.http.get(`${USERS}?orgUnitId=${f.a.id}&limit=100`).set(bearer(f.token.hrA)).expect(200);
    expect(exact.body.items.every((u: { orgUnitId: string }) => u.orgUnitId === f.a.id)).toBe(true);
    const sub = await api.http.get(`${USERS}?orgUnitId=${f.a.id}&includeSubUnits=true&limit=100`).set(bearer(f.token.hrA)).expect(200);
    expect(sub.body.total).toBeGreaterThan(exact.body.total);
    expect(sub.body.items.map((u: { id: string }) => u.id)).toContain(f.learnerA1.id);
    await api.http.get(`${USERS}?orgUnitId=${f.b.id}`).set(bearer(f.token.hrA)).expect(403);
    await api.http.get(`${USERS}?includeSubUnits=maybe`).set(bearer(f.token.hrA)).expect(400);
    const q = await api.http
      .get(`${USERS}?q=${encodeURIComponent(f.learnerA1.email.slice(0, 12).toUpperCase())}`)
      .set(bearer(f.token.hrA))
      .expect(200);
    expect(q.body.items.map((u: { id: string }) => u.id)).toEqual([f.learnerA1.id]);
    const qB = await api.http
      .get(`${USERS}?q=${encodeURIComponent(f.learnerB.email)}`)
      .set(bearer(f.token.hrA))
      .expect(200);
    expect(qB.body.total).toBe(0);
    const all = await api.http
      .get(`${USERS}?q=${encodeURIComponent(f.learnerB.email)}`)
      .set(bearer(f.token.admin))
      .expect(200);
    expect(all.body.items.map((u: { id: string }) => u.id)).toEqual([f.learnerB.id]);
    await api.http.get(USERS).set(bearer(f.token.learnerA)).expect(403);
  });

  it('shows a person to themself, HR in scope and admin only (demographics to admin and self)', async () => {
    await api.dataSource.query(`UPDATE app_user SET gender = 'male', locality = 'rural' WHERE id = $1`, [f.learnerA1.id]);
    const self = await api.http.get(`${USERS}/${f.learnerA1.id}`).set(bearer(f.token.learnerA1)).expect(200);
    expect(self.body).toMatchObject({ id: f.learnerA1.id, gender: 'male', locality: 'rural' });
    const hr = await api.http.get(`${USERS}/${f.learnerA1.id}`).set(bearer(f.token.hrA)).expect(200);
    expect(hr.body).not.toHaveProperty('gender');
    const admin = await api.http.get(`${USERS}/${f.learnerA1.id}`).set(bearer(f.token.admin)).expect(200);
    expect(admin.body.gender).toBe('male');
    await api.http.get(`${USERS}/${f.learnerA1.id}`).set(bearer(f.token.learnerA)).expect(403);
    await api.http.get(`${USERS}/${f.learnerA1.id}`).set(bearer(f.token.hrB)).expect(403);
    await api.http.get(`${USERS}/${f.learnerB.id}`).set(bearer(f.token.hrA)).expect(403);
    await api.http.get(`${USERS}/00000000-0000-4000-8000-000000000000`).set(bearer(f.token.admin)).expect(404);
    await api.http.get(`${USERS}/not-a-uuid`).set(bearer(f.token.admin)).expect(400);
    for (const body of [self.body, hr.body, admin.body]) assertNoSecrets(body);
  });

  it('learners cannot create or change anyone (403), not even themselves; no token → 401', async () => {
    await api.http
      .post(USERS)
      .set(bearer(f.token.learnerA))
      .send({ email: `${uniq('l')}@t.lms`, displayName: 'x', orgUnitId: f.a.id })
      .expect(403);
    await api.http.patch(`${USERS}/${f.learnerA.id}`).set(bearer(f.token.learnerA)).send({ displayName: 'me' }).expect(403);
    await api.http
      .patch(`${USERS}/${f.learnerA1.id}`)
      .set(bearer(f.token.learnerA))
      .send({ roles: [{ role: 'admin' }] })
      .expect(403);
    await api.http.post(USERS).send({}).expect(401);
    await api.http.get(USERS).expect(401);
    await api.http.get(`${USERS}/${f.learnerA.id}`).expect(401);
    await api.http.patch(`${USERS}/${f.learnerA.id}`).send({}).expect(401);
    await api.http.get('/api/v1/me').expect(401);
  });

  it('keeps callers from locking themselves out; the status change is audited with before/after', async () => {
    const selfDisable = await api.http.patch(`${USERS}/${f.admin.id}`).set(bearer(f.token.admin)).send({ status: 'disabled' }).expect(409);
    expect(selfDisable.body.code).toBe('self_lockout');
    await api.http.patch(`${USERS}/${f.admin.id}`).set(bearer(f.token.admin)).send({ roles: [] }).expect(409);
    const p = await aUser(api.dataSource, { orgUnit: f.a, roles: [{ role: 'learner', scope: null }] });
    await api.http
      .patch(`${USERS}/${p.id}`)
      .set(bearer(f.token.hrA))
      .send({ status: 'disabled', password: 'a-brand-new-passphrase-7' })
      .expect(200);
    const [entry] = (await api.dataSource.query(`SELECT action, before, after, actor_id FROM audit_event WHERE subject_id = $1`, [
      p.id,
    ])) as Array<{
      action: string;
      before: { status: string };
      after: { status: string; passwordChanged?: boolean };
      actor_id: string;
    }>;
    expect(entry).toMatchObject({
      action: 'user.disabled',
      actor_id: f.hrA.id,
      before: { status: 'active' },
      after: { status: 'disabled', passwordChanged: true },
    });
    assertNoSecrets(entry, ['a-brand-new-passphrase-7']);
  });
});
