import { anOrgUnit, startApi, TestApi, uniq } from '@lms/testing';
import { aCoursePackage } from '../security/world.js';
import { bearer, Hub, HubInstitution, INSTITUTIONS, seedHub } from './hub-fixtures.js';

describe('hub: institutions and countries', () => {
  let api: TestApi;
  let hub: Hub;
  /** A draft (unpublished) course of each institution, by code. */
  const drafts = new Map<string, string>();

  beforeAll(async () => {
    api = await startApi();
    hub = await seedHub(api);
    for (const inst of hub.all) {
      const slug = uniq('draft').toLowerCase();
      await api.http.post('/api/v1/courses').set(bearer(inst.token.author)).send(aCoursePackage(slug, inst.school.code)).expect(201);
      drafts.set(inst.code, slug);
    }
  });
  afterAll(async () => {
    await api.close();
  });

  describe('CRUD by the instance-wide admin', () => {
    it('creates an institution as a new top-level tree with its country, names, logo and issuer', async () => {
      const code = uniq('MK').toUpperCase();
      const res = await api.http
        .post(INSTITUTIONS)
        .set(bearer(hub.adminToken))
        .send({ code, country: 'mk', names: { en: 'Ministry of Information Society', mk: 'Министерство за информатичко општество', 'SR-latn': 'Ministarstvo' }, logoUrl: 'https://mioa.example/logo.svg', issuerName: 'MIOA Academy' })
        .expect(201);
      expect(res.body).toMatchObject({ code, country: 'MK', logoUrl: 'https://mioa.example/logo.svg', issuerName: 'MIOA Academy' });
      // Tags arrive in their canonical form.
      expect(Object.keys(res.body.names).sort()).toEqual(['en', 'mk', 'sr-Latn']);
      const [root] = (await api.dataSource.query(`SELECT parent_id, kind, path FROM org_unit WHERE id = $1`, [res.body.rootOrgUnitId])) as Array<{ parent_id: string | null; kind: string; path: string }>;
      expect(root).toEqual({ parent_id: null, kind: 'institution', path: `/${res.body.rootOrgUnitId}/` });
      const got = await api.http.get(`${INSTITUTIONS}/${res.body.id}`).set(bearer(hub.rsA.token.learner)).expect(200);
      expect(got.body).toEqual(res.body);
    });

    it('makes an existing top-level unit an institution, but not a sub-unit or a unit that already is one', async () => {
      const top = await anOrgUnit(api.dataSource, { code: uniq('TOP').toUpperCase() });
      const res = await api.http.post(INSTITUTIONS).set(bearer(hub.adminToken)).send({ code: top.code, country: 'ME', names: { en: 'Top' }, rootOrgUnitId: top.id }).expect(201);
      expect(res.body.rootOrgUnitId).toBe(top.id);
      const again = await api.http.post(INSTITUTIONS).set(bearer(hub.adminToken)).send({ code: top.code, country: 'ME', names: { en: 'Top' }, rootOrgUnitId: top.id }).expect(409);
      expect(again.headers['content-type']).toContain('application/problem+json');
      const sub = await api.http
        .post(INSTITUTIONS)
        .set(bearer(hub.adminToken))
        .send({ code: hub.rsA.dept.code, country: 'RS', names: { en: 'Sub' }, rootOrgUnitId: hub.rsA.dept.id })
        .expect(400);
      expect(JSON.stringify(sub.body)).toContain('top-level');
      // A duplicate code is a conflict, not a 500.
      await api.http.post(INSTITUTIONS).set(bearer(hub.adminToken)).send({ code: hub.rsA.code, country: 'RS', names: { en: 'Dup' } }).expect(409);
    });

    it.each([
      ['an unknown country', { country: 'XX' }, 'country'],
      ['a non-country ISO code', { country: 'EU' }, 'country'],
      ['a country of three letters', { country: 'SRB' }, 'country'],
      ['no names', { names: {} }, 'names'],
      ['a name under an invalid tag', { names: { 'not a tag!': 'x' } }, 'names'],
      ['an empty name', { names: { en: '  ' } }, 'names.en'],
      ['names as a list', { names: ['x'] }, 'names'],
      ['an http logo', { logoUrl: 'http://insecure.example/logo.png' }, 'logoUrl'],
      ['a javascript logo', { logoUrl: 'javascript:alert(1)' }, 'logoUrl'],
      ['a bad code', { code: 'has space' }, 'code'],
      ['a NUL in the issuer', { issuerName: 'bad\u0000name' }, 'issuerName'],
    ])('refuses %s with a 400 problem naming the field', async (_what, patch, field) => {
      const res = await api.http
        .post(INSTITUTIONS)
        .set(bearer(hub.adminToken))
        .send({ code: uniq('BAD').toUpperCase(), country: 'RS', names: { en: 'Bad' }, ...patch })
        .expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(res.body)).toContain(field);
    });

    it('lists with pagination and a country filter', async () => {
      const page = await api.http.get(INSTITUTIONS).query({ limit: 2, page: 1 }).set(bearer(hub.rsB.token.learner)).expect(200);
      expect(page.body.items).toHaveLength(2);
      expect(page.body.total).toBeGreaterThanOrEqual(4); // the default institution and the three of the hub
      const me = await api.http.get(INSTITUTIONS).query({ country: 'me', limit: 100 }).set(bearer(hub.adminToken)).expect(200);
      const codes = me.body.items.map((i: { code: string }) => i.code);
      expect(codes).toContain(hub.meC.code);
      expect(codes).not.toContain(hub.rsA.code);
      expect(me.body.items.every((i: { country: string }) => i.country === 'ME')).toBe(true);
      const byName = await api.http.get(INSTITUTIONS).query({ q: 'Human Resources' }).set(bearer(hub.adminToken)).expect(200);
      expect(byName.body.items.map((i: { code: string }) => i.code)).toEqual([hub.meC.code]);
      await api.http.get(INSTITUTIONS).query({ limit: 0 }).set(bearer(hub.adminToken)).expect(400);
      await api.http.get(INSTITUTIONS).query({ country: 'Serbia' }).set(bearer(hub.adminToken)).expect(400);
      await api.http.get(`${INSTITUTIONS}/not-a-uuid`).set(bearer(hub.adminToken)).expect(400);
      await api.http.get(`${INSTITUTIONS}/00000000-0000-4000-8000-000000000000`).set(bearer(hub.adminToken)).expect(404);
    });

    it('updates names, country, logo and issuer name; validates them the same way', async () => {
      const res = await api.http
        .patch(`${INSTITUTIONS}/${hub.meC.id}`)
        .set(bearer(hub.adminToken))
        .send({ names: { en: 'Human Resources Administration', 'sr-Latn': 'Uprava za kadrove' }, issuerName: 'Uprava za kadrove Crne Gore', logoUrl: 'https://uzk.example/logo.png' })
        .expect(200);
      expect(res.body).toMatchObject({ country: 'ME', issuerName: 'Uprava za kadrove Crne Gore', names: { 'sr-Latn': 'Uprava za kadrove' } });
      const cleared = await api.http.patch(`${INSTITUTIONS}/${hub.meC.id}`).set(bearer(hub.adminToken)).send({ logoUrl: null }).expect(200);
      expect(cleared.body.logoUrl).toBeNull();
      await api.http.patch(`${INSTITUTIONS}/${hub.meC.id}`).set(bearer(hub.adminToken)).send({ country: 'QQ' }).expect(400);
      await api.http.patch(`${INSTITUTIONS}/${hub.meC.id}`).set(bearer(hub.adminToken)).send({ country: null }).expect(400);
      await api.http.patch(`${INSTITUTIONS}/${hub.meC.id}`).set(bearer(hub.adminToken)).send({ names: 'x' }).expect(400);
      const [audit] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE subject_type = 'institution' AND subject_id = $1 AND action = 'institution.updated'`, [hub.meC.id])) as Array<{ n: number }>;
      expect(audit.n).toBe(2);
    });

    it('removes an empty institution; refuses one with people or courses', async () => {
      const busy = await api.http.delete(`${INSTITUTIONS}/${hub.rsB.id}`).set(bearer(hub.adminToken)).expect(409);
      expect(busy.body.code ?? busy.body.type).toBeDefined();
      const empty = await api.http.post(INSTITUTIONS).set(bearer(hub.adminToken)).send({ code: uniq('EMPTY').toUpperCase(), country: 'RS', names: { en: 'Empty' } }).expect(201);
      await api.http.delete(`${INSTITUTIONS}/${empty.body.id}`).set(bearer(hub.adminToken)).expect(204);
      await api.http.get(`${INSTITUTIONS}/${empty.body.id}`).set(bearer(hub.adminToken)).expect(404);
    });

    it('keeps an institution root at the top: it cannot be moved below another unit', async () => {
      const res = await api.http.patch(`/api/v1/org-units/${hub.rsB.root.id}`).set(bearer(hub.adminToken)).send({ parentId: hub.rsA.root.id }).expect(409);
      expect(res.headers['content-type']).toContain('application/problem+json');
    });

    it('admits only the instance-wide admin to writes', async () => {
      for (const token of [hub.rsA.token.instAdmin, hub.rsA.token.author, hub.rsA.token.learner]) {
        await api.http.post(INSTITUTIONS).set(bearer(token)).send({ code: uniq('NO').toUpperCase(), country: 'RS', names: { en: 'No' } }).expect(403);
        await api.http.patch(`${INSTITUTIONS}/${hub.rsA.id}`).set(bearer(token)).send({ issuerName: 'Mine now' }).expect(403);
        await api.http.delete(`${INSTITUTIONS}/${hub.rsA.id}`).set(bearer(token)).expect(403);
      }
      await api.http.get(INSTITUTIONS).expect(401);
    });
  });

  describe('three institutions in two countries see nothing of each other', () => {
    const pairs = (): Array<[HubInstitution, HubInstitution]> => hub.all.flatMap((x) => hub.all.filter((y) => y !== x).map((y): [HubInstitution, HubInstitution] => [x, y]));

    it('institution admins (HR and author over their root) manage their own people and not another institution’s', async () => {
      for (const [x, y] of pairs()) {
        const who = `${x.code} → ${y.code}`;
        // Own people: yes.
        await api.http.get(`/api/v1/users/${x.learner.id}`).set(bearer(x.token.instAdmin)).expect(200);
        // Another institution's people: not one by id, not in a listing of its tree, not by name.
        expect([who, (await api.http.get(`/api/v1/users/${y.learner.id}`).set(bearer(x.token.instAdmin))).status]).toEqual([who, 403]);
        expect([who, (await api.http.get('/api/v1/users').query({ orgUnitId: y.root.id, includeSubUnits: 'true' }).set(bearer(x.token.instAdmin))).status]).toEqual([who, 403]);
        const byName = await api.http.get('/api/v1/users').query({ q: y.learner.displayName, limit: 100 }).set(bearer(x.token.instAdmin)).expect(200);
        expect([who, byName.body.items.map((u: { id: string }) => u.id)]).toEqual([who, []]);
        const all = await api.http.get('/api/v1/users').query({ limit: 100 }).set(bearer(x.token.instAdmin)).expect(200);
        const ids = all.body.items.map((u: { id: string }) => u.id);
        expect([who, ids.includes(x.learner.id), ids.includes(y.learner.id), ids.includes(y.instAdmin.id)]).toEqual([who, true, false, false]);
        // Org units of another tree.
        expect([who, (await api.http.get(`/api/v1/org-units/${y.dept.id}`).set(bearer(x.token.instAdmin))).status]).toEqual([who, 403]);
      }
    });

    it('nor their enrolments, reports or competencies', async () => {
      for (const [x, y] of pairs()) {
        const who = `${x.code} → ${y.code}`;
        await api.http.get(`/api/v1/enrolments/${x.enrolment}`).set(bearer(x.token.instAdmin)).expect(200);
        expect([who, (await api.http.get(`/api/v1/enrolments/${y.enrolment}`).set(bearer(x.token.instAdmin))).status]).toEqual([who, 403]);
        expect([who, (await api.http.get(`/api/v1/enrolments/${y.enrolment}`).set(bearer(x.token.author))).status]).toEqual([who, 403]);
        for (const report of ['completion', 'overdue', 'competency-coverage']) {
          await api.http.get(`/api/v1/reports/${report}`).query({ orgUnitId: x.root.id }).set(bearer(x.token.instAdmin)).expect(200);
          expect([who, report, (await api.http.get(`/api/v1/reports/${report}`).query({ orgUnitId: y.root.id }).set(bearer(x.token.instAdmin))).status]).toEqual([who, report, 403]);
        }
        expect([who, (await api.http.get(`/api/v1/users/${y.learner.id}/competencies`).set(bearer(x.token.instAdmin))).status]).toEqual([who, 403]);
        // A report of their own root has no row of another institution's courses' learners.
        const own = await api.http.get('/api/v1/reports/completion').query({ orgUnitId: x.root.id, format: 'json' }).set(bearer(x.token.instAdmin)).expect(200);
        expect([who, JSON.stringify(own.body).includes(y.dept.id)]).toEqual([who, false]);
      }
    });

    it('authors (of the school or the whole institution) see no draft of another institution', async () => {
      for (const [x, y] of pairs()) {
        const who = `${x.code} → ${y.code}`;
        const own = drafts.get(x.code)!;
        const theirs = drafts.get(y.code)!;
        await api.http.get(`/api/v1/courses/${own}/draft`).set(bearer(x.token.author)).expect(200);
        await api.http.get(`/api/v1/courses/${own}/draft`).set(bearer(x.token.instAdmin)).expect(200);
        for (const token of [x.token.author, x.token.instAdmin]) {
          expect([who, (await api.http.get(`/api/v1/courses/${theirs}/draft`).set(bearer(token))).status]).toEqual([who, 403]);
          expect([who, (await api.http.get(`/api/v1/courses/${theirs}`).query({ version: 1 }).set(bearer(token))).status]).toEqual([who, 404]);
          expect([who, (await api.http.post(`/api/v1/courses/${theirs}/publish`).set(bearer(token)).send({})).status]).toEqual([who, 403]);
        }
      }
    });

    it('HR of one institution cannot grant roles or create people in another', async () => {
      for (const [x, y] of pairs()) {
        const res = await api.http
          .post('/api/v1/users')
          .set(bearer(x.token.instAdmin))
          .send({ email: `${uniq('cross')}@test.lms`, displayName: 'Cross Border', orgUnitId: y.dept.id })
          .expect(403);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    });
  });
});
