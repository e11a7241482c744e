import { PROBLEM_CONTENT_TYPE } from '@lms/platform';
import { startApi, TestApi, uniq } from '@lms/testing';
import { bearer, OrgFixture, orgFixture } from './fixtures.js';

const RLO = '\u202E';
const DECOMPOSED = 'Petrovic\u0301'; // "Petrović" typed as c + combining acute
const COMPOSED = 'Petrović';

/**
 * Names (people's display names, org-unit names, job-role titles): one rule for JSON and CSV —
 * stored in NFC, no control or bidirectional control characters, no lone surrogates.
 */
describe('names: NFC, no control/bidi characters, valid Unicode (DTOs and CSV import alike)', () => {
  let api: TestApi;
  let f: OrgFixture;
  beforeAll(async () => {
    api = await startApi();
    f = await orgFixture(api);
  });
  afterAll(async () => {
    await api.close();
  });

  function expectNameRefused(res: { status: number; headers: Record<string, string>; body: { errors?: Array<{ field: string; message: string }> } }, field: string, why: RegExp): void {
    expect([res.status, res.headers['content-type']]).toEqual([400, expect.stringContaining(PROBLEM_CONTENT_TYPE)]);
    expect(res.body.errors).toEqual([expect.objectContaining({ field, message: expect.stringMatching(why) })]);
  }

  it('refuses a right-to-left override, a lone surrogate and a line break in a person’s name (create and change)', async () => {
    const base = { email: `${uniq('n')}@test.lms`, orgUnitId: f.a.id };
    expectNameRefused(await api.http.post('/api/v1/users').set(bearer(f.token.admin)).send({ ...base, displayName: `Ana ${RLO}civortep` }), 'displayName', /bidirectional/);
    // A lone surrogate arrives as the JSON escape \ud800 (raw bytes could not be valid UTF-8).
    const lone = await api.http
      .post('/api/v1/users')
      .set(bearer(f.token.admin))
      .set('content-type', 'application/json')
      .send(`{"email":"${base.email}","orgUnitId":"${f.a.id}","displayName":"Ana \\ud800"}`);
    expectNameRefused(lone, 'displayName', /surrogate/);
    expectNameRefused(await api.http.post('/api/v1/users').set(bearer(f.token.admin)).send({ ...base, displayName: 'Ana\nB' }), 'displayName', /control/);
    expectNameRefused(await api.http.patch(`/api/v1/users/${f.learnerA.id}`).set(bearer(f.token.hrA)).send({ displayName: `x${RLO}y` }), 'displayName', /bidirectional/);
    const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM app_user WHERE email = $1`, [base.email])) as Array<{ n: number }>;
    expect(n).toBe(0);
  });

  it('stores names in NFC', async () => {
    const res = await api.http.post('/api/v1/users').set(bearer(f.token.admin)).send({ email: `${uniq('nfc')}@test.lms`, orgUnitId: f.a.id, displayName: ` Ana ${DECOMPOSED} ` }).expect(201);
    expect(res.body.displayName).toBe(`Ana ${COMPOSED}`);
    const unit = await api.http.post('/api/v1/org-units').set(bearer(f.token.admin)).send({ code: uniq('NFC').toUpperCase(), name: `Odeljenje ${DECOMPOSED}`, kind: 'department', parentId: f.a.id }).expect(201);
    expect(unit.body.name).toBe(`Odeljenje ${COMPOSED}`);
  });

  it('refuses bidi overrides in org-unit names and job-role titles', async () => {
    expectNameRefused(
      await api.http.post('/api/v1/org-units').set(bearer(f.token.admin)).send({ code: uniq('BIDI').toUpperCase(), name: `Unit ${RLO}x`, kind: 'department', parentId: f.a.id }),
      'name',
      /bidirectional/,
    );
    expectNameRefused(await api.http.patch(`/api/v1/org-units/${f.a.id}`).set(bearer(f.token.admin)).send({ name: `\u2066x\u2069` }), 'name', /bidirectional/);
    expectNameRefused(await api.http.post('/api/v1/job-roles').set(bearer(f.token.admin)).send({ code: uniq('bidi'), title: `Analyst${RLO}`, requirements: [] }), 'title', /bidirectional/);
    expectNameRefused(await api.http.put('/api/v1/job-roles/some-role').set(bearer(f.token.admin)).send({ title: 'a\u0007b', requirements: [] }), 'title', /control/);
  });

  it('CSV import: a NUL, a bidi override or a control character in a name rejects that line only, with its number; the rest is imported in NFC', async () => {
    const t = uniq('csvn');
    const csv = [
      'email,displayName,orgUnitCode',
      `${t}-1@uprava.rs,Ana Good,${f.a.code}`, // 2 ok
      `${t}-2@uprava.rs,Nul\u0000Name,${f.a.code}`, // 3 NUL
      `${t}-3@uprava.rs,Jovan ${DECOMPOSED},${f.a.code}`, // 4 ok, stored in NFC
      `${t}-4@uprava.rs,Evil ${RLO}gpj.exe,${f.a.code}`, // 5 bidi override
      `${t}-5@uprava.rs,Bell\u0007Name,${f.a.code}`, // 6 control character
      `${t}-6@uprava.rs,Also Good,${f.a.code}`, // 7 ok
      `${t}-7@uprava.rs,Code NUL,${f.a.code}\u0000`, // 8 NUL in another cell
    ].join('\n');
    const res = await api.http.post('/api/v1/users/import').set(bearer(f.token.admin)).set('content-type', 'text/csv').send(Buffer.from(`${csv}\n`)).expect(200);
    expect(res.body).toMatchObject({ created: 3, updated: 0 });
    expect(res.body.errors.map((e: { line: number }) => e.line)).toEqual([3, 5, 6, 8]);
    const byLine = new Map<number, string>(res.body.errors.map((e: { line: number; message: string }) => [e.line, e.message]));
    expect(byLine.get(3)).toMatch(/NUL/);
    expect(byLine.get(5)).toMatch(/displayName .*bidirectional/);
    expect(byLine.get(6)).toMatch(/displayName .*control/);
    expect(byLine.get(8)).toMatch(/NUL/);
    const rows = (await api.dataSource.query(`SELECT email, display_name FROM app_user WHERE email LIKE $1 ORDER BY email`, [`${t}-%`])) as Array<{
      email: string;
      display_name: string;
    }>;
    expect(rows).toEqual([
      { email: `${t}-1@uprava.rs`, display_name: 'Ana Good' },
      { email: `${t}-3@uprava.rs`, display_name: `Jovan ${COMPOSED}` },
      { email: `${t}-6@uprava.rs`, display_name: 'Also Good' },
    ]);
  });
});
