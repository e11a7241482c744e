import { anOrgUnit, startApi, TestApi, uniq } from '@lms/testing';
import { bearer, OrgFixture, orgFixture } from './fixtures.js';

const UNITS = '/api/v1/org-units';

describe('org units: tree, codes, moves, role × scope', () => {
  let api: TestApi;
  let f: OrgFixture;
  beforeAll(async () => {
    api = await startApi();
    f = await orgFixture(api);
  });
  afterAll(async () => {
    await api.close();
  });

  it('has the root (ROOT, country) and the school of public administration (SPA) from the first start', async () => {
    const root = await api.http.get(`${UNITS}/${f.root.id}`).set(bearer(f.token.admin)).expect(200);
    expect(root.body).toMatchObject({ code: 'ROOT', kind: 'country', parentId: null, path: `/${f.root.id}/`, depth: 0, ancestors: [] });
    const spa = root.body.children.find((c: { code: string }) => c.code === 'SPA');
    expect(spa).toMatchObject({ kind: 'school', name: 'School of Public Administration' });
  });

  it('admin creates units; the answer has the path, ancestors and children', async () => {
    const code = uniq('MIN').toUpperCase();
    const ministry = await api.http
      .post(UNITS)
      .set(bearer(f.token.admin))
      .send({ code, name: 'Ministry of Testing', kind: 'institution', parentId: f.root.id })
      .expect(201);
    expect(ministry.body).toMatchObject({
      code,
      kind: 'institution',
      parentId: f.root.id,
      depth: 1,
      path: `/${f.root.id}/${ministry.body.id}/`,
      children: [],
      childCount: 0,
    });
    expect(ministry.body.ancestors).toEqual([{ id: f.root.id, code: 'ROOT', name: expect.any(String), kind: 'country' }]);
    const dept = await api.http
      .post(UNITS)
      .set(bearer(f.token.admin))
      .send({ code: `${code}-D`, name: 'Department', kind: 'department', parentId: ministry.body.id })
      .expect(201);
    expect(dept.body.path).toBe(`${ministry.body.path}${dept.body.id}/`);
    const again = await api.http.get(`${UNITS}/${ministry.body.id}`).set(bearer(f.token.admin)).expect(200);
    expect(again.body.children).toEqual([{ id: dept.body.id, code: `${code}-D`, name: 'Department', kind: 'department' }]);
    expect(again.body.childCount).toBe(1);
    const top = await api.http
      .post(UNITS)
      .set(bearer(f.token.admin))
      .send({ code: uniq('TOP'), name: 'Another country', kind: 'country' })
      .expect(201);
    expect(top.body).toMatchObject({ parentId: null, depth: 0 });
  });

  it('answers 409 for a duplicate code (create and rename)', async () => {
    const dup = await api.http
      .post(UNITS)
      .set(bearer(f.token.admin))
      .send({ code: f.a.code, name: 'Dup', kind: 'unit', parentId: f.root.id })
      .expect(409);
    expect(dup.body.code).toBe('org_unit_code_taken');
    await api.http.patch(`${UNITS}/${f.b.id}`).set(bearer(f.token.admin)).send({ code: f.a.code }).expect(409);
  });

  it('validates input: kind, code, ids (400) and unknown units (404 / 400 for a parent)', async () => {
    const bad = await api.http
      .post(UNITS)
      .set(bearer(f.token.admin))
      .send({ code: 'has space', name: '', kind: 'planet', parentId: 'nope' })
      .expect(400);
    expect((bad.body.errors as Array<{ field: string }>).map((e) => e.field).sort()).toEqual(['code', 'kind', 'name', 'parentId']);
    const orphan = await api.http
      .post(UNITS)
      .set(bearer(f.token.admin))
      .send({ code: uniq('O'), name: 'Orphan', kind: 'unit', parentId: '00000000-0000-4000-8000-000000000000' })
      .expect(400);
    expect(orphan.body.errors[0].field).toBe('parentId');
    await api.http.get(`${UNITS}/00000000-0000-4000-8000-000000000000`).set(bearer(f.token.admin)).expect(404);
    await api.http.get(`${UNITS}/not-a-uuid`).set(bearer(f.token.admin)).expect(400);
    await api.http.patch(`${UNITS}/${f.a.id}`).set(bearer(f.token.admin)).send({ name: 'x', unknown: 1 }).expect(400);
  });

  it('lists units paginated: admin sees all, HR only its subtree, with parent and text filters', async () => {
    const all = await api.http.get(`${UNITS}?limit=100`).set(bearer(f.token.admin)).expect(200);
    expect(all.body).toMatchObject({ page: 1, limit: 100, total: expect.any(Number) });
    expect(all.body.items.map((u: { id: string }) => u.id)).toEqual(expect.arrayContaining([f.root.id, f.a.id, f.a1.id, f.b.id]));
    const hr = await api.http.get(UNITS).set(bearer(f.token.hrA)).expect(200);
    expect(hr.body.items.map((u: { id: string }) => u.id).sort()).toEqual([f.a.id, f.a1.id].sort());
    expect(hr.body.total).toBe(2);
    const children = await api.http.get(`${UNITS}?parentId=${f.a.id}`).set(bearer(f.token.admin)).expect(200);
    expect(children.body.items.map((u: { id: string }) => u.id)).toEqual([f.a1.id]);
    const byText = await api.http
      .get(`${UNITS}?q=${encodeURIComponent(f.b.code.toLowerCase())}`)
      .set(bearer(f.token.admin))
      .expect(200);
    expect(byText.body.items.map((u: { id: string }) => u.id)).toEqual([f.b.id]);
    const page2 = await api.http.get(`${UNITS}?limit=1&page=2`).set(bearer(f.token.admin)).expect(200);
    expect(page2.body.items).toHaveLength(1);
    await api.http.get(`${UNITS}?limit=101`).set(bearer(f.token.admin)).expect(400);
    const wild = await api.http.get(`${UNITS}?q=%25`).set(bearer(f.token.admin)).expect(200);
    expect(wild.body.total).toBe(0);
  });

  it('HR works only inside its subtree (403 outside) and cannot create top-level units', async () => {
    const inside = await api.http
      .post(UNITS)
      .set(bearer(f.token.hrA))
      .send({ code: uniq('A1X'), name: 'Team', kind: 'unit', parentId: f.a1.id })
      .expect(201);
    expect(inside.body.path.startsWith(f.a1.path)).toBe(true);
    await api.http
      .post(UNITS)
      .set(bearer(f.token.hrA))
      .send({ code: uniq('BX'), name: 'Team', kind: 'unit', parentId: f.b.id })
      .expect(403);
    await api.http
      .post(UNITS)
      .set(bearer(f.token.hrA))
      .send({ code: uniq('T'), name: 'Top', kind: 'country' })
      .expect(403);
    await api.http.get(`${UNITS}/${f.a1.id}`).set(bearer(f.token.hrA)).expect(200);
    await api.http.get(`${UNITS}/${f.b.id}`).set(bearer(f.token.hrA)).expect(403);
    await api.http.get(`${UNITS}/${f.root.id}`).set(bearer(f.token.hrA)).expect(403);
    await api.http.patch(`${UNITS}/${f.b.id}`).set(bearer(f.token.hrA)).send({ name: 'Mine now' }).expect(403);
    await api.http.patch(`${UNITS}/${inside.body.id}`).set(bearer(f.token.hrA)).send({ parentId: f.b.id }).expect(403);
    await api.http.patch(`${UNITS}/${inside.body.id}`).set(bearer(f.token.hrA)).send({ parentId: null }).expect(403);
    await api.http.get(`${UNITS}?parentId=${f.b.id}`).set(bearer(f.token.hrA)).expect(200, { items: [], page: 1, limit: 20, total: 0 });
    const renamed = await api.http.patch(`${UNITS}/${inside.body.id}`).set(bearer(f.token.hrA)).send({ name: 'Renamed team' }).expect(200);
    expect(renamed.body.name).toBe('Renamed team');
  });

  it('learners get 403 and callers without a token 401 on every org-unit route', async () => {
    for (const t of [f.token.learnerA, f.token.learnerB]) {
      await api.http.get(UNITS).set(bearer(t)).expect(403);
      await api.http.get(`${UNITS}/${f.a.id}`).set(bearer(t)).expect(403);
      await api.http
        .post(UNITS)
        .set(bearer(t))
        .send({ code: uniq('L'), name: 'x', kind: 'unit', parentId: f.a.id })
        .expect(403);
      await api.http.patch(`${UNITS}/${f.a.id}`).set(bearer(t)).send({ name: 'x' }).expect(403);
    }
    await api.http.get(UNITS).expect(401);
    await api.http.get(`${UNITS}/${f.a.id}`).expect(401);
    await api.http.post(UNITS).send({ code: 'X', name: 'x', kind: 'unit' }).expect(401);
    await api.http.patch(`${UNITS}/${f.a.id}`).send({ name: 'x' }).expect(401);
  });

  it('moves a unit with its whole subtree (paths and depths rewritten) and refuses cycles', async () => {
    const ds = api.dataSource;
    const x = await anOrgUnit(ds, { parent: f.root });
    const x1 = await anOrgUnit(ds, { parent: x });
    const x11 = await anOrgUnit(ds, { parent: x1 });
    const y = await anOrgUnit(ds, { parent: f.root });
    const moved = await api.http.patch(`${UNITS}/${x.id}`).set(bearer(f.token.admin)).send({ parentId: y.id, name: 'X moved' }).expect(200);
    expect(moved.body).toMatchObject({ parentId: y.id, depth: 2, name: 'X moved', path: `${y.path}${x.id}/` });
    const rows = (await ds.query(`SELECT id, path, depth FROM org_unit WHERE id = ANY($1::uuid[])`, [[x1.id, x11.id]])) as Array<{
      id: string;
      path: string;
      depth: number;
    }>;
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(x1.id)).toMatchObject({ path: `${y.path}${x.id}/${x1.id}/`, depth: 3 });
    expect(byId.get(x11.id)).toMatchObject({ path: `${y.path}${x.id}/${x1.id}/${x11.id}/`, depth: 4 });
    const cycle = await api.http.patch(`${UNITS}/${x.id}`).set(bearer(f.token.admin)).send({ parentId: x11.id }).expect(400);
    expect(cycle.body.errors[0].field).toBe('parentId');
    await api.http.patch(`${UNITS}/${x.id}`).set(bearer(f.token.admin)).send({ parentId: x.id }).expect(400);
    // Back to the top level (admin only).
    const top = await api.http.patch(`${UNITS}/${x.id}`).set(bearer(f.token.admin)).send({ parentId: null }).expect(200);
    expect(top.body).toMatchObject({ parentId: null, depth: 0, path: `/${x.id}/` });
    const [deep] = (await ds.query(`SELECT path, depth FROM org_unit WHERE id = $1`, [x11.id])) as Array<{ path: string; depth: number }>;
    expect(deep).toEqual({ path: `/${x.id}/${x1.id}/${x11.id}/`, depth: 2 });
    const audit = (await ds.query(`SELECT action, after->>'unitsMoved' AS moved FROM audit_event WHERE subject_id = $1 ORDER BY at`, [
      x.id,
    ])) as Array<{ action: string; moved: string }>;
    expect(audit.map((a) => a.action)).toEqual(['org_unit.moved', 'org_unit.moved']);
    expect(audit[0].moved).toBe('3');
  });

  it('HR scope follows a moved subtree: HR of B manages A after A moves under B', async () => {
    const ds = api.dataSource;
    const p = await anOrgUnit(ds, { parent: f.root });
    const pChild = await anOrgUnit(ds, { parent: p });
    await api.http.get(`${UNITS}/${pChild.id}`).set(bearer(f.token.hrB)).expect(403);
    await api.http.patch(`${UNITS}/${p.id}`).set(bearer(f.token.admin)).send({ parentId: f.b.id }).expect(200);
    await api.http.get(`${UNITS}/${pChild.id}`).set(bearer(f.token.hrB)).expect(200);
    // HR may move units around inside its own subtree.
    const moved = await api.http.patch(`${UNITS}/${pChild.id}`).set(bearer(f.token.hrB)).send({ parentId: f.b.id }).expect(200);
    expect(moved.body.parentId).toBe(f.b.id);
  });
});
