import { randomUUID } from 'node:crypto';
import { aUser, anOrgUnit, startApi, type TestApi, tokenFor } from '@lms/testing';

/**
 * The built-in LRS against the MUST requirements of xAPI 1.0.3 (Part Three, the LRS) that it
 * implements; each test names the requirement it checks. docs/xapi.md lists them, and those left out.
 * (ADL's conformance suite itself cannot be fetched on this machine; see docs/xapi.md.)
 */
const V = '1.0.3';
const VERB = 'http://adlnet.gov/expapi/verbs/experienced';
const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';
const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';

function basic(key: string, secret: string): string {
  return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
}

function aStatement(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    actor: { objectType: 'Agent', mbox: 'mailto:ana@example.gov', name: 'Ana' },
    verb: { id: VERB, display: { 'en-US': 'experienced' } },
    object: { objectType: 'Activity', id: 'http://lms.test/activities/intro', definition: { name: { en: 'Introduction' } } },
    ...over,
  };
}

describe('built-in LRS (xAPI 1.0.3)', () => {
  let api: TestApi;
  let adminToken: string;
  let auth: string;
  let readOnly: string;
  let stateOnly: string;

  async function createClient(scopes: string[]): Promise<{ id: string; key: string; secret: string }> {
    const res = await api.http.post('/api/v1/admin/lrs-clients').set('authorization', `Bearer ${adminToken}`).send({ name: `client ${scopes.join('+')}`, scopes }).expect(201);
    return res.body as { id: string; key: string; secret: string };
  }

  const get = (url: string, who = auth) => api.http.get(url).set('authorization', who).set('X-Experience-API-Version', V);
  const post = (url: string, body: unknown, who = auth) => api.http.post(url).set('authorization', who).set('X-Experience-API-Version', V).send(body as object);
  const put = (url: string, body: unknown, who = auth) => api.http.put(url).set('authorization', who).set('X-Experience-API-Version', V).send(body as object);

  beforeAll(async () => {
    api = await startApi();
    const unit = await anOrgUnit(api.dataSource);
    const admin = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'admin' }] });
    adminToken = await tokenFor(api.config, admin);
    const full = await createClient(['statements/read', 'statements/write', 'state', 'profile']);
    auth = basic(full.key, full.secret);
    const ro = await createClient(['statements/read']);
    readOnly = basic(ro.key, ro.secret);
    const st = await createClient(['state']);
    stateOnly = basic(st.key, st.secret);
  });
  afterAll(async () => {
    await api?.close();
  });

  describe('headers and authentication', () => {
    it('About is open and lists the supported versions; every answer carries X-Experience-API-Version', async () => {
      const res = await api.http.get('/xapi/about').expect(200);
      expect(res.body.version).toContain('1.0.3');
      expect(res.headers['x-experience-api-version']).toBe(V);
    });

    it('refuses a request without X-Experience-API-Version (400), still answering with the header', async () => {
      const res = await api.http.get('/xapi/statements').set('authorization', auth).expect(400);
      expect(res.headers['x-experience-api-version']).toBe(V);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      await api.http.get('/xapi/statements').set('authorization', auth).set('X-Experience-API-Version', '0.95').expect(400);
      await api.http.get('/xapi/statements').set('authorization', auth).set('X-Experience-API-Version', '2.0.0').expect(400);
    });

    it('a method a resource does not have is 405 with Allow (not 404); a statements GET that finds nothing still says Consistent-Through', async () => {
      for (const [method, url, allow] of [
        ['delete', '/xapi/statements', 'GET, HEAD, PUT, POST'],
        ['post', '/xapi/activities', 'GET, HEAD'],
        ['put', '/xapi/agents', 'GET, HEAD'],
        ['delete', '/xapi/agents', 'GET, HEAD'],
        ['patch', '/xapi/activities/state', 'GET, HEAD, PUT, POST, DELETE'],
      ] as const) {
        const res = await api.http[method](url).set('authorization', auth).set('X-Experience-API-Version', V).expect(405);
        expect(res.headers.allow).toBe(allow);
        expect(res.headers['x-experience-api-version']).toBe(V);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body).toMatchObject({ status: 405, code: 'method_not_allowed' });
      }
      const missing = await get('/xapi/statements?statementId=6f1b8a0e-5d4c-4b3a-9e2f-1a0b9c8d7e6f').expect(404);
      expect(new Date(missing.headers['x-experience-api-consistent-through'] as string).getTime()).toBeGreaterThan(Date.now() - 60_000);
    });

    it('refuses missing, malformed, unknown and revoked credentials with 401 and a Basic challenge', async () => {
      const none = await api.http.get('/xapi/statements').set('X-Experience-API-Version', V).expect(401);
      expect(none.headers['www-authenticate']).toMatch(/^Basic/);
      await get('/xapi/statements', 'Basic !!!').expect(401);
      await get('/xapi/statements', basic('lrs_unknown', 'x')).expect(401);
      const c = await createClient(['all']);
      await get('/xapi/statements', basic(c.key, `${c.secret}x`)).expect(401);
      await get('/xapi/statements', basic(c.key, c.secret)).expect(200);
      await api.http.delete(`/api/v1/admin/lrs-clients/${c.id}`).set('authorization', `Bearer ${adminToken}`).expect(204);
      await get('/xapi/statements', basic(c.key, c.secret)).expect(401);
      // A platform bearer token is not an LRS credential.
      await get('/xapi/statements', `Bearer ${adminToken}`).expect(401);
    });

    it('enforces scopes: a read-only client cannot write statements or state (403); a state client cannot read statements', async () => {
      await post('/xapi/statements', aStatement(), readOnly).expect(403);
      await get('/xapi/statements', readOnly).expect(200);
      await get('/xapi/statements', stateOnly).expect(403);
      await put(`/xapi/activities/state?activityId=${encodeURIComponent('http://lms.test/a')}&agent=${encodeURIComponent('{"mbox":"mailto:a@b.gov"}')}&stateId=s`, { a: 1 }, readOnly).expect(403);
    });
  });

  describe('Statements resource', () => {
    it('stores a POSTed statement and returns its id; GET by statementId adds id, stored, timestamp, authority and version', async () => {
      const res = await post('/xapi/statements', aStatement()).expect(200);
      expect(res.body).toHaveLength(1);
      const [id] = res.body as string[];
      const one = await get(`/xapi/statements?statementId=${id}`).expect(200);
      expect(one.headers['x-experience-api-consistent-through']).toBeDefined();
      expect(one.headers['last-modified']).toBeDefined();
      expect(one.body).toMatchObject({ id, actor: { mbox: 'mailto:ana@example.gov' }, version: '1.0.0', authority: { objectType: 'Agent', account: { homePage: 'http://lms.test' } } });
      expect(Date.parse(one.body.stored)).not.toBeNaN();
      expect(one.body.timestamp).toBe(one.body.stored);
    });

    it('PUT with statementId stores it (204); the same content again is 204, other content 409', async () => {
      const id = randomUUID();
      await put(`/xapi/statements?statementId=${id}`, aStatement()).expect(204);
      await put(`/xapi/statements?statementId=${id}`, aStatement({ id })).expect(204);
      const clash = await put(`/xapi/statements?statementId=${id}`, aStatement({ verb: { id: COMPLETED } })).expect(409);
      expect(clash.body.code).toBe('xapi_statement_conflict');
      await put('/xapi/statements', aStatement()).expect(400);
      await put('/xapi/statements?statementId=not-a-uuid', aStatement()).expect(400);
      await put(`/xapi/statements?statementId=${id}`, aStatement({ id: randomUUID() })).expect(400);
    });

    it('a batch is all or nothing: one conflicting statement stores none (409); the same id twice in a batch is 400', async () => {
      const stored = randomUUID();
      await post('/xapi/statements', aStatement({ id: stored })).expect(200);
      const fresh = randomUUID();
      await post('/xapi/statements', [aStatement({ id: fresh }), aStatement({ id: stored, verb: { id: COMPLETED } })]).expect(409);
      await get(`/xapi/statements?statementId=${fresh}`).expect(404);
      const dup = randomUUID();
      await post('/xapi/statements', [aStatement({ id: dup }), aStatement({ id: dup })]).expect(400);
      const ok = await post('/xapi/statements', [aStatement({ id: fresh }), aStatement({ id: stored })]).expect(200);
      expect(ok.body).toEqual([fresh, stored]);
    });

    it('rejects invalid statements with 400 and the failing properties by path', async () => {
      const cases: Array<[unknown, string]> = [
        [aStatement({ actor: { mbox: 'ana@example.gov' } }), 'statement.actor.mbox'],
        [{ verb: { id: VERB }, object: { id: 'http://lms.test/a' } }, 'statement.actor'],
        [aStatement({ verb: { id: 'not an iri' } }), 'statement.verb.id'],
        [aStatement({ unknownProperty: 1 }), 'statement'],
        [aStatement({ id: 'not-a-uuid' }), 'statement.id'],
        [aStatement({ result: { score: { scaled: 1.5 } } }), 'statement.result.score.scaled'],
        [aStatement({ timestamp: 'yesterday' }), 'statement.timestamp'],
        [aStatement({ version: '2.0.0' }), 'statement.version'],
        [aStatement({ actor: { mbox: 'mailto:a@b.gov', openid: 'http://id.example/a' } }), 'statement.actor'],
        ['a string', 'statement'],
      ];
      for (const [body, field] of cases) {
        const res = await post('/xapi/statements', body).expect(400);
        expect(res.headers['content-type']).toMatch(/problem\+json/);
        expect((res.body.errors as Array<{ field: string }>).map((e) => e.field)).toContain(field);
      }
      const batch = await post('/xapi/statements', [aStatement(), aStatement({ verb: {} })]).expect(400);
      expect((batch.body.errors as Array<{ field: string }>).map((e) => e.field)).toContain('statements[1].verb.id');
      await post('/xapi/statements', []).expect(400);
      await post('/xapi/statements?method=PUT', aStatement()).expect(400);
    });

    it('voiding: a voided statement is only found by voidedStatementId and left out of queries; a voiding statement cannot itself be voided', async () => {
      const activity = `http://lms.test/activities/${randomUUID()}`;
      const target = randomUUID();
      await post('/xapi/statements', aStatement({ id: target, object: { id: activity } })).expect(200);
      const [voiding] = (await post('/xapi/statements', aStatement({ verb: { id: VOIDED }, object: { objectType: 'StatementRef', id: target } })).expect(200)).body as string[];
      await get(`/xapi/statements?statementId=${target}`).expect(404);
      const v = await get(`/xapi/statements?voidedStatementId=${target}`).expect(200);
      expect(v.body.id).toBe(target);
      await get(`/xapi/statements?voidedStatementId=${voiding}`).expect(404);
      const list = await get(`/xapi/statements?activity=${encodeURIComponent(activity)}`).expect(200);
      expect(list.body.statements).toEqual([]);
      await post('/xapi/statements', aStatement({ verb: { id: VOIDED }, object: { objectType: 'StatementRef', id: voiding } })).expect(400);
      // A voiding statement needs a StatementRef object.
      await post('/xapi/statements', aStatement({ verb: { id: VOIDED } })).expect(400);
      // A statement voided before it arrived is stored voided.
      const late = randomUUID();
      await post('/xapi/statements', aStatement({ verb: { id: VOIDED }, object: { objectType: 'StatementRef', id: late } })).expect(200);
      await post('/xapi/statements', aStatement({ id: late })).expect(200);
      await get(`/xapi/statements?statementId=${late}`).expect(404);
      await get(`/xapi/statements?voidedStatementId=${late}`).expect(200);
    });

    it('filters by verb, activity, agent, registration, since and until; related_activities and related_agents widen the match', async () => {
      const run = randomUUID();
      const activity = `http://lms.test/activities/${run}`;
      const parent = `http://lms.test/courses/${run}`;
      const learner = { mbox: `mailto:${run}@example.gov` };
      const teacher = { mbox: `mailto:t-${run}@example.gov` };
      const registration = randomUUID();
      const before = new Date(Date.now() - 1000).toISOString();
      const ids = (
        await post('/xapi/statements', [
          aStatement({ actor: learner, object: { id: activity }, context: { registration, instructor: teacher, contextActivities: { parent: [{ id: parent }] } } }),
          aStatement({ actor: learner, verb: { id: COMPLETED }, object: { id: activity } }),
          aStatement({ actor: teacher, object: { id: parent } }),
        ]).expect(200)
      ).body as string[];
      const q = async (params: Record<string, string>): Promise<string[]> => {
        const res = await get(`/xapi/statements?${new URLSearchParams(params).toString()}`).expect(200);
        return (res.body.statements as Array<{ id: string }>).map((s) => s.id);
      };
      expect(await q({ activity })).toEqual([ids[1], ids[0]]);
      expect(await q({ activity, ascending: 'true' })).toEqual([ids[0], ids[1]]);
      expect(await q({ activity, verb: COMPLETED })).toEqual([ids[1]]);
      expect(await q({ agent: JSON.stringify(learner) })).toEqual([ids[1], ids[0]]);
      expect(await q({ agent: JSON.stringify(teacher) })).toEqual([ids[2]]);
      expect(await q({ agent: JSON.stringify(teacher), related_agents: 'true' })).toEqual([ids[2], ids[0]]);
      expect(await q({ activity: parent })).toEqual([ids[2]]);
      expect(await q({ activity: parent, related_activities: 'true' })).toEqual([ids[2], ids[0]]);
      expect(await q({ registration })).toEqual([ids[0]]);
      expect(await q({ activity, since: before })).toHaveLength(2);
      expect(await q({ activity, until: before })).toEqual([]);
      const stored = (await get(`/xapi/statements?statementId=${ids[0]}`).expect(200)).body.stored as string;
      expect(await q({ activity, since: stored })).toEqual([]);
      expect(await q({ activity, until: stored })).toEqual([ids[1], ids[0]]);
    });

    it('pages with limit and an opaque more link until the last page, which has more = ""', async () => {
      const activity = `http://lms.test/activities/${randomUUID()}`;
      const sent = (await post('/xapi/statements', Array.from({ length: 5 }, () => aStatement({ object: { id: activity } }))).expect(200)).body as string[];
      const seen: string[] = [];
      let url = `/xapi/statements?activity=${encodeURIComponent(activity)}&limit=2&ascending=true`;
      for (let i = 0; i < 5 && url; i++) {
        const res = await get(url).expect(200);
        seen.push(...(res.body.statements as Array<{ id: string }>).map((s) => s.id));
        url = res.body.more as string;
        if (url) expect(url).toMatch(/^\/xapi\/statements\?more=/);
      }
      expect(seen).toEqual(sent);
      expect(url).toBe('');
      await get('/xapi/statements?more=garbage').expect(400);
      await get(`/xapi/statements?more=${Buffer.from('{"f":{},"s":"1","l":5000}').toString('base64url')}`).expect(400);
    });

    it('format=ids returns agents by identifier and activities by id only', async () => {
      const [id] = (await post('/xapi/statements', aStatement()).expect(200)).body as string[];
      const res = await get(`/xapi/statements?statementId=${id}&format=ids`).expect(200);
      expect(res.body.actor).toEqual({ objectType: 'Agent', mbox: 'mailto:ana@example.gov' });
      expect(res.body.object).toEqual({ objectType: 'Activity', id: 'http://lms.test/activities/intro' });
      expect(res.body.verb).toEqual({ id: VERB });
      await get(`/xapi/statements?statementId=${id}&format=full`).expect(400);
    });

    it('rejects bad query parameters with 400: unknown ones, statementId with filters, malformed values', async () => {
      for (const qs of [
        'foo=bar',
        `statementId=${randomUUID()}&verb=${encodeURIComponent(VERB)}`,
        `statementId=${randomUUID()}&voidedStatementId=${randomUUID()}`,
        'statementId=nope',
        'agent=notjson',
        `agent=${encodeURIComponent('{"name":"no ifi"}')}`,
        'verb=not%20an%20iri',
        'since=yesterday',
        'limit=-1',
        'registration=abc',
        'ascending=maybe',
        'verb=http://a.b/c&verb=http://a.b/d',
      ]) {
        const res = await get(`/xapi/statements?${qs}`);
        expect({ qs, status: res.status }).toEqual({ qs, status: 400 });
      }
      await get(`/xapi/statements?statementId=${randomUUID()}`).expect(404);
    });
  });

  describe('document resources', () => {
    const activityId = encodeURIComponent('http://lms.test/activities/doc');
    const agent = encodeURIComponent(JSON.stringify({ objectType: 'Agent', mbox: 'mailto:doc@example.gov' }));
    const stateUrl = (stateId?: string, extra = ''): string => `/xapi/activities/state?activityId=${activityId}&agent=${agent}${stateId ? `&stateId=${stateId}` : ''}${extra}`;

    it('State: PUT, GET with ETag, POST merges JSON, ids list, DELETE; registration keeps documents apart', async () => {
      await put(stateUrl('bookmark'), { page: 3, lang: 'sr' }).expect(204);
      const got = await get(stateUrl('bookmark')).expect(200);
      expect(got.body).toEqual({ page: 3, lang: 'sr' });
      expect(got.headers['content-type']).toMatch(/^application\/json/);
      expect(got.headers.etag).toMatch(/^"[0-9a-f]{40}"$/);
      await post(stateUrl('bookmark'), { page: 4, score: 1 }).expect(204);
      expect((await get(stateUrl('bookmark')).expect(200)).body).toEqual({ page: 4, lang: 'sr', score: 1 });
      const registration = randomUUID();
      await put(stateUrl('bookmark', `&registration=${registration}`), { page: 9 }).expect(204);
      expect((await get(stateUrl('bookmark')).expect(200)).body.page).toBe(4);
      await api.http.put(stateUrl('note')).set('authorization', auth).set('X-Experience-API-Version', V).set('content-type', 'text/plain').send('plain words').expect(204);
      const note = await get(stateUrl('note')).expect(200);
      expect(note.headers['content-type']).toMatch(/^text\/plain/);
      expect(note.text).toBe('plain words');
      await api.http.put(stateUrl('blob')).set('authorization', auth).set('X-Experience-API-Version', V).set('content-type', 'application/octet-stream').send(Buffer.from([0, 1, 2, 255])).expect(204);
      const blob = await api.http.get(stateUrl('blob')).set('authorization', auth).set('X-Experience-API-Version', V).buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      }).expect(200);
      expect([...(blob.body as Buffer)]).toEqual([0, 1, 2, 255]);
      // POST cannot merge into a non-JSON document.
      await post(stateUrl('note'), { a: 1 }).expect(400);
      expect((await get(stateUrl()).expect(200)).body).toEqual(['blob', 'bookmark', 'note']);
      await api.http.delete(stateUrl('note')).set('authorization', auth).set('X-Experience-API-Version', V).expect(204);
      await get(stateUrl('note')).expect(404);
      await api.http.delete(stateUrl()).set('authorization', auth).set('X-Experience-API-Version', V).expect(204);
      expect((await get(stateUrl()).expect(200)).body).toEqual([]);
      expect((await get(stateUrl('bookmark', `&registration=${registration}`)).expect(200)).body.page).toBe(9);
    });

    it('State: a document of a type another module also takes (a PDF, octet-stream) is still a state document here', async () => {
      for (const type of ['application/pdf', 'application/octet-stream', 'application/zip']) {
        const id = `typed-${type.split('/')[1]}`;
        const bytes = Buffer.from([37, 80, 68, 70, 0, 1, 2, 255]);
        await api.http.put(stateUrl(id)).set('authorization', auth).set('X-Experience-API-Version', V).set('content-type', type).send(bytes).expect(204);
        const back = await api.http.get(stateUrl(id)).set('authorization', auth).set('X-Experience-API-Version', V).buffer(true).parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        }).expect(200);
        expect(back.headers['content-type']).toContain(type);
        expect(Buffer.compare(back.body as Buffer, bytes)).toBe(0);
      }
    });

    it('State: If-Match and If-None-Match preconditions (412) ', async () => {
      await put(stateUrl('cc'), { v: 1 }).expect(204);
      const etag = (await get(stateUrl('cc')).expect(200)).headers.etag as string;
      await put(stateUrl('cc'), { v: 2 }).set('If-Match', '"0000000000000000000000000000000000000000"').expect(412);
      await put(stateUrl('cc'), { v: 2 }).set('If-None-Match', '*').expect(412);
      await put(stateUrl('cc'), { v: 2 }).set('If-Match', etag).expect(204);
      await put(stateUrl('cc'), { v: 3 }).set('If-Match', etag).expect(412);
      await put(stateUrl('fresh'), { v: 1 }).set('If-None-Match', '*').expect(204);
    });

    it('State: malformed parameters are 400', async () => {
      await get(`/xapi/activities/state?agent=${agent}&stateId=x`).expect(400);
      await get(`/xapi/activities/state?activityId=${activityId}&stateId=x`).expect(400);
      await get(stateUrl('x', '&registration=nope')).expect(400);
      await get(stateUrl('x', '&since=2020-01-01T00:00:00Z')).expect(400);
      await put(stateUrl(), { a: 1 }).expect(400);
      await get(stateUrl('missing')).expect(404);
    });

    it('Activity Profile: a PUT over an existing document needs If-Match or If-None-Match (409), and honours them', async () => {
      const url = `/xapi/activities/profile?activityId=${activityId}&profileId=settings`;
      await put(url, { theme: 'dark' }).expect(204);
      await put(url, { theme: 'light' }).expect(409);
      const etag = (await get(url).expect(200)).headers.etag as string;
      await put(url, { theme: 'light' }).set('If-Match', etag).expect(204);
      await put(url, { theme: 'x' }).set('If-Match', etag).expect(412);
      expect((await get(url).expect(200)).body).toEqual({ theme: 'light' });
      expect((await get(`/xapi/activities/profile?activityId=${activityId}`).expect(200)).body).toEqual(['settings']);
      await api.http.delete(url).set('authorization', auth).set('X-Experience-API-Version', V).expect(204);
      await get(url).expect(404);
    });

    it('Agent Profile: round trip and the same concurrency rule', async () => {
      const url = `/xapi/agents/profile?agent=${agent}&profileId=prefs`;
      await put(url, { lang: 'sr-Latn' }).expect(204);
      await put(url, { lang: 'en' }).expect(409);
      await post(url, { size: 'large' }).expect(204);
      expect((await get(url).expect(200)).body).toEqual({ lang: 'sr-Latn', size: 'large' });
      await get(`/xapi/agents/profile?profileId=prefs`).expect(400);
    });

    it('Activities returns the stated definition; Agents returns a Person', async () => {
      const id = `http://lms.test/activities/${randomUUID()}`;
      await post('/xapi/statements', aStatement({ object: { id, definition: { name: { en: 'Risk basics' } } } })).expect(200);
      const act = await get(`/xapi/activities?activityId=${encodeURIComponent(id)}`).expect(200);
      expect(act.body).toEqual({ objectType: 'Activity', id, definition: { name: { en: 'Risk basics' } } });
      const unknown = await get(`/xapi/activities?activityId=${encodeURIComponent('http://lms.test/none')}`).expect(200);
      expect(unknown.body).toEqual({ objectType: 'Activity', id: 'http://lms.test/none' });
      await get('/xapi/activities').expect(400);
      const person = await get(`/xapi/agents?agent=${agent}`).expect(200);
      expect(person.body).toEqual({ objectType: 'Person', mbox: ['mailto:doc@example.gov'] });
      await get('/xapi/agents?agent=%7B%7D').expect(400);
    });
  });

  describe('admin: LRS clients', () => {
    it('only admins manage clients; the secret is shown once and never listed; bad input is 400', async () => {
      const unit = await anOrgUnit(api.dataSource);
      for (const role of ['learner', 'hr', 'author'] as const) {
        const u = await aUser(api.dataSource, { orgUnit: unit, roles: role === 'learner' ? [] : [{ role }] });
        const t = await tokenFor(api.config, u);
        await api.http.get('/api/v1/admin/lrs-clients').set('authorization', `Bearer ${t}`).expect(403);
        await api.http.post('/api/v1/admin/lrs-clients').set('authorization', `Bearer ${t}`).send({ name: 'x', scopes: ['all'] }).expect(403);
        await api.http.delete(`/api/v1/admin/lrs-clients/${randomUUID()}`).set('authorization', `Bearer ${t}`).expect(403);
      }
      await api.http.get('/api/v1/admin/lrs-clients').expect(401);
      const list = await api.http.get('/api/v1/admin/lrs-clients?limit=100').set('authorization', `Bearer ${adminToken}`).expect(200);
      expect(list.body.total).toBeGreaterThanOrEqual(3);
      expect(JSON.stringify(list.body)).not.toMatch(/secret/i);
      const rows = (await api.dataSource.query(`SELECT secret_hash FROM lrs_client`)) as Array<{ secret_hash: string }>;
      expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.secret_hash))).toBe(true);
      for (const body of [{ name: 'x', scopes: ['everything'] }, { name: 'ok name', scopes: [] }, { scopes: ['all'] }, { name: 'ok name', scopes: ['all'], extra: 1 }]) {
        await api.http.post('/api/v1/admin/lrs-clients').set('authorization', `Bearer ${adminToken}`).send(body).expect(400);
      }
      await api.http.delete(`/api/v1/admin/lrs-clients/${randomUUID()}`).set('authorization', `Bearer ${adminToken}`).expect(404);
      await api.http.delete('/api/v1/admin/lrs-clients/nope').set('authorization', `Bearer ${adminToken}`).expect(400);
      const audited = (await api.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'lrs_client.created'`)) as Array<{ n: number }>;
      expect(audited[0].n).toBeGreaterThanOrEqual(3);
    });
  });
});
