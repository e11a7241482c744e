import type { OrgUnit, User } from '@lms/identity';
import { anOrgUnit, aUser, startApi, tokenFor, type TestApi } from '@lms/testing';
import { aScimClient, entraUser, expectScimError, patchOp, SCIM_ENTERPRISE, SCIM_GROUP, SCIM_USER } from './scim-support.js';

/** Every bad SCIM request is a 4xx SCIM Error (application/scim+json), never a 500. */
describe('SCIM: bad input answers SCIM errors', () => {
  let api: TestApi;
  let unit: OrgUnit;
  let admin: User;
  let client: { id: string; token: string };
  let personId: string;

  const send = (method: 'post' | 'put' | 'patch', url: string, raw: string, type = 'application/scim+json') =>
    api.http[method](url).set('authorization', `Bearer ${client.token}`).set('content-type', type).send(raw);
  const get = (url: string) => api.http.get(url).set('authorization', `Bearer ${client.token}`);

  beforeAll(async () => {
    api = await startApi();
    unit = await anOrgUnit(api.dataSource, { code: 'SCIM-ERR' });
    admin = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'admin' }] });
    client = await aScimClient(api, admin, unit);
    const created = await send(
      'post',
      '/scim/v2/Users',
      JSON.stringify(entraUser({ email: 'p@err.gov.rs', externalId: 'e-1', displayName: 'Pera Perić' })),
    ).expect(201);
    personId = created.body.id;
  });

  afterAll(async () => {
    await api.close();
  });

  it('NUL characters anywhere (body, filter, path) are 400', async () => {
    expectScimError(
      await send(
        'post',
        '/scim/v2/Users',
        JSON.stringify(entraUser({ email: 'n@err.gov.rs', externalId: 'e\u0000x', displayName: 'Nul' })),
      ),
      400,
    );
    expectScimError(await get(`/scim/v2/Users?filter=${encodeURIComponent('userName eq "a\u0000b"')}`), 400);
    expectScimError(await get(`/scim/v2/Users/${encodeURIComponent('\u0000')}`), 400);
    expectScimError(
      await send('patch', `/scim/v2/Users/${personId}`, JSON.stringify(patchOp({ op: 'replace', path: 'displayName', value: 'A\u0000' }))),
      400,
    );
  });

  it('wrong types are 400 invalidValue', async () => {
    const cases: Array<Record<string, unknown>> = [
      { schemas: [SCIM_USER], userName: 42 },
      { schemas: [SCIM_USER], userName: 'not-an-email' },
      { schemas: [SCIM_USER], userName: 'x@err.gov.rs', active: 5 },
      { schemas: [SCIM_USER], userName: 'x@err.gov.rs', active: 'maybe' },
      { schemas: [SCIM_USER], userName: 'x@err.gov.rs', displayName: ['a'] },
      { schemas: [SCIM_USER], userName: 'x@err.gov.rs', displayName: '\u202Eevil' },
      { schemas: [SCIM_USER], userName: 'x@err.gov.rs', externalId: { a: 1 } },
      { schemas: [SCIM_USER], userName: 'x@err.gov.rs', externalId: 'x'.repeat(300) },
      { schemas: [SCIM_USER, SCIM_ENTERPRISE], userName: 'x@err.gov.rs', [SCIM_ENTERPRISE]: 'FIN' },
      { schemas: [SCIM_USER, SCIM_ENTERPRISE], userName: 'x@err.gov.rs', [SCIM_ENTERPRISE]: { department: 7 } },
      { schemas: [SCIM_USER, SCIM_ENTERPRISE], userName: 'x@err.gov.rs', [SCIM_ENTERPRISE]: { manager: { value: 99 } } },
      { schemas: [SCIM_USER], userName: 'x@err.gov.rs', name: 'Plain' },
      { schemas: [SCIM_USER] },
    ];
    for (const body of cases) expectScimError(await send('post', '/scim/v2/Users', JSON.stringify(body)), 400, 'invalidValue');
    const ops: Array<Record<string, unknown>> = [
      { op: 'replace', path: 'active', value: 'nope' },
      { op: 'replace', path: 'userName', value: 3 },
      { op: 'remove', path: 'userName' },
      { op: 'replace', path: `${SCIM_ENTERPRISE}:manager`, value: { value: 'not-a-person' } },
      { op: 'replace', value: 'not an object' },
    ];
    for (const op of ops)
      expectScimError(await send('patch', `/scim/v2/Users/${personId}`, JSON.stringify(patchOp(op))), 400, 'invalidValue');
  });

  it('unknown or missing schemas, bad PatchOp shapes, unknown paths, read-only attributes', async () => {
    expectScimError(
      await send('post', '/scim/v2/Users', JSON.stringify({ schemas: ['urn:example:unknown'], userName: 'u@err.gov.rs' })),
      400,
      'invalidValue',
    );
    expectScimError(
      await send('post', '/scim/v2/Users', JSON.stringify({ schemas: [SCIM_USER, 'urn:example:extra'], userName: 'u@err.gov.rs' })),
      400,
      'invalidValue',
    );
    expectScimError(await send('post', '/scim/v2/Users', JSON.stringify({ userName: 'u@err.gov.rs' })), 400, 'invalidSyntax');
    expectScimError(await send('post', '/scim/v2/Users', JSON.stringify([1, 2])), 400, 'invalidSyntax');
    expectScimError(await send('post', '/scim/v2/Groups', JSON.stringify({ schemas: [SCIM_USER], displayName: 'G' })), 400);
    expectScimError(await send('post', '/scim/v2/Groups', JSON.stringify({ schemas: [SCIM_GROUP], displayName: 5 })), 400, 'invalidValue');
    expectScimError(await send('patch', `/scim/v2/Users/${personId}`, JSON.stringify({ schemas: [SCIM_USER], Operations: [] })), 400);
    expectScimError(await send('patch', `/scim/v2/Users/${personId}`, JSON.stringify(patchOp())), 400, 'invalidSyntax');
    expectScimError(
      await send('patch', `/scim/v2/Users/${personId}`, JSON.stringify(patchOp({ op: 'move', path: 'active', value: true }))),
      400,
      'invalidSyntax',
    );
    expectScimError(
      await send('patch', `/scim/v2/Users/${personId}`, JSON.stringify(patchOp({ op: 'replace', path: 'favouriteColour', value: 'x' }))),
      400,
      'invalidPath',
    );
    expectScimError(
      await send('patch', `/scim/v2/Users/${personId}`, JSON.stringify(patchOp({ op: 'replace', path: 5, value: 'x' }))),
      400,
      'invalidPath',
    );
    expectScimError(
      await send('patch', `/scim/v2/Users/${personId}`, JSON.stringify(patchOp({ op: 'replace', path: 'id', value: 'x' }))),
      400,
      'mutability',
    );
    expectScimError(await send('patch', `/scim/v2/Users/${personId}`, JSON.stringify(patchOp({ op: 'remove' }))), 400, 'noTarget');
    const many = Array.from({ length: 1001 }, () => ({ op: 'replace', path: 'active', value: true }));
    expectScimError(await send('patch', `/scim/v2/Users/${personId}`, JSON.stringify(patchOp(...many))), 400, 'invalidValue');
  });

  it('unsupported filters are 400 invalidFilter; paging parameters are checked, huge counts are capped', async () => {
    for (const f of [
      'userName co "a"',
      'userName eq',
      'name.familyName eq "x"',
      'userName eq "a" or userName eq "b"',
      '(userName eq "a")',
      'x'.repeat(2000),
      'userName eq "unterminated',
    ]) {
      expectScimError(await get(`/scim/v2/Users?filter=${encodeURIComponent(f)}`), 400, 'invalidFilter');
    }
    expectScimError(await get(`/scim/v2/Groups?filter=${encodeURIComponent('members.display eq "x"')}`), 400, 'invalidFilter');
    expectScimError(await get('/scim/v2/Users?filter=a&filter=b'), 400, 'invalidFilter');
    expectScimError(await get('/scim/v2/Users?count=abc'), 400, 'invalidValue');
    expectScimError(await get('/scim/v2/Users?startIndex=1.5'), 400, 'invalidValue');
    const huge = await get('/scim/v2/Users?count=999999999999999&startIndex=-5').expect(200);
    expect(huge.body).toMatchObject({ startIndex: 1, itemsPerPage: 2, totalResults: 2 }); // the person and the admin of the unit
    const zero = await get('/scim/v2/Users?count=-3').expect(200);
    expect(zero.body).toMatchObject({ totalResults: 2, itemsPerPage: 0, Resources: [] });
    const far = await get('/scim/v2/Users?startIndex=999999999999').expect(200);
    expect(far.body.Resources).toEqual([]);
    const none = await get(`/scim/v2/Users?filter=${encodeURIComponent('id eq "not-a-uuid"')}`).expect(200);
    expect(none.body.totalResults).toBe(0);
  });

  it('malformed JSON, too-deep JSON, unsupported media types and oversize bodies are SCIM errors too', async () => {
    expectScimError(await send('post', '/scim/v2/Users', '{"schemas": ['), 400);
    expectScimError(await send('post', '/scim/v2/Users', `${'['.repeat(100)}${']'.repeat(100)}`), 400);
    expectScimError(await send('post', '/scim/v2/Users', '<user/>', 'application/xml'), 415);
    expectScimError(await send('post', '/scim/v2/Users', 'userName=x', 'text/plain'), 415);
    expectScimError(
      await send(
        'post',
        '/scim/v2/Users',
        JSON.stringify({ schemas: [SCIM_USER], userName: 'big@err.gov.rs', title: 'x'.repeat(1_100_000) }),
      ),
      413,
    );
    // plain application/json is accepted as well
    await send(
      'post',
      '/scim/v2/Users',
      JSON.stringify(entraUser({ email: 'json@err.gov.rs', externalId: 'e-json', displayName: 'Json Person' })),
      'application/json',
    ).expect(201);
  });

  it('unknown ids are 404, duplicates 409 uniqueness, no or bad tokens 401 — and a person’s access token is not a SCIM token', async () => {
    expectScimError(await get('/scim/v2/Users/00000000-0000-4000-8000-000000000000'), 404);
    expectScimError(await get('/scim/v2/Users/not-a-uuid'), 404);
    expectScimError(await get(`/scim/v2/Groups/${'g'.repeat(90)}`), 404);
    // a path parameter past the router's limit is refused by the router itself, before any SCIM route (problem+json)
    expect((await get(`/scim/v2/Groups/${'g'.repeat(500)}`)).status).toBe(414);
    expectScimError(
      await send('post', '/scim/v2/Users', JSON.stringify(entraUser({ email: 'P@err.gov.rs', externalId: 'other', displayName: 'Dup' }))),
      409,
      'uniqueness',
    );
    expectScimError(
      await send('post', '/scim/v2/Users', JSON.stringify(entraUser({ email: 'q@err.gov.rs', externalId: 'e-1', displayName: 'Dup' }))),
      409,
      'uniqueness',
    );
    expectScimError(await api.http.get('/scim/v2/Users'), 401);
    expectScimError(
      await api.http.get('/scim/v2/Users').set('authorization', 'Bearer lms_scim_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
      401,
    );
    expectScimError(await api.http.get('/scim/v2/Groups').set('authorization', `Bearer ${await tokenFor(api.config, admin)}`), 401);
    expectScimError(await api.http.get('/scim/v2/Users').set('authorization', 'Basic Zm9vOmJhcg=='), 401);
  });

  it('a burst of random wrong shapes never causes a 500', async () => {
    const values: unknown[] = [null, true, 0, -1, 1e308, '', 'x', [], {}, [null], [{}], { value: null }, { value: [] }, 'False', '\uD800'];
    const paths = [
      'active',
      'userName',
      'displayName',
      'externalId',
      'name',
      'name.givenName',
      'emails',
      'emails[type eq "work"].value',
      `${SCIM_ENTERPRISE}:manager`,
      `${SCIM_ENTERPRISE}:department`,
      SCIM_ENTERPRISE,
      'members',
      'groups',
      undefined,
    ];
    const statuses = new Set<number>();
    for (const path of paths) {
      for (const value of values) {
        for (const op of ['add', 'replace', 'remove']) {
          const res = await send('patch', `/scim/v2/Users/${personId}`, JSON.stringify(patchOp({ op, ...(path ? { path } : {}), value })));
          statuses.add(res.status);
          if (res.status >= 500) throw new Error(`${op} ${path} ${JSON.stringify(value)} → ${res.status}`);
        }
      }
    }
    expect([...statuses].every((s) => s < 500)).toBe(true);
    // the person is still readable and sane
    const res = await get(`/scim/v2/Users/${personId}`).expect(200);
    expect(res.body.userName).toMatch(/@/);
    // 630 sequential requests: a few seconds on an idle machine, over a minute on a loaded one.
  }, 240_000);
});
