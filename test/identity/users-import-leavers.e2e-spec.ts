import { aUser, startApi, TestApi, tokenFor, uniq } from '@lms/testing';
import { bearer, OrgFixture, orgFixture } from './fixtures.js';

const IMPORT = '/api/v1/users/import';

/** The CSV import's externalId, managerEmail and status columns, and ?dryRun=true. */
describe('CSV import: externalId, managerEmail, status (leavers) and dry runs', () => {
  let api: TestApi;
  let f: OrgFixture;
  beforeAll(async () => {
    api = await startApi();
    f = await orgFixture(api);
  });
  afterAll(async () => {
    await api.close();
  });

  function post(token: string, csv: string, query = ''): ReturnType<TestApi['http']['post']> {
    return api.http.post(`${IMPORT}${query}`).set(bearer(token)).set('content-type', 'text/csv').send(Buffer.from(csv));
  }
  const person = async (
    email: string,
  ): Promise<{ id: string; status: string; external_id: string | null; manager_id: string | null; org_unit_id: string } | undefined> =>
    (await api.dataSource.query(`SELECT id, status, external_id, manager_id, org_unit_id FROM app_user WHERE email = $1`, [email]))[0];

  /** Row counts of every table an import writes. */
  async function footprint(): Promise<Record<string, number>> {
    const [r] = await api.dataSource.query(`SELECT
      (SELECT count(*)::int FROM app_user) AS users, (SELECT count(*)::int FROM role_grant) AS grants,
      (SELECT count(*)::int FROM audit_event) AS audit, (SELECT count(*)::int FROM outbox_event) AS outbox,
      (SELECT count(*)::int FROM auth_session WHERE revoked_at IS NOT NULL) AS revoked,
      (SELECT count(*)::int FROM app_user WHERE status = 'disabled') AS disabled,
      (SELECT coalesce(max(updated_at), 'epoch')::text FROM app_user) AS changed`);
    return r;
  }

  it('sets externalId and a manager by e-mail (an existing person or one on an earlier line), and refuses bad ones by line', async () => {
    const t = uniq('mgr');
    const csv = [
      'email,displayName,orgUnitCode,externalId,managerEmail,status',
      `${t}-boss@uprava.rs,Boss Person,${f.a.code},ext-${t}-1,,active`, // 2 ok
      `${t}-ana@uprava.rs,Ana Person,${f.a1.code},ext-${t}-2,${t}-boss@uprava.rs,`, // 3 ok: manager on an earlier line
      `${t}-bo@uprava.rs,Bo Person,${f.a.code},,${f.learnerA.email},`, // 4 ok: existing manager in scope
      `${t}-out@uprava.rs,Out Person,${f.a.code},,${f.learnerB.email},`, // 5 manager outside HR A's scope
      `${t}-nob@uprava.rs,Nobody Person,${f.a.code},,nobody-${t}@uprava.rs,`, // 6 unknown manager
      `${t}-dup@uprava.rs,Dup Person,${f.a.code},ext-${t}-1,,`, // 7 externalId repeated in the file
      `${t}-st@uprava.rs,Bad Status,${f.a.code},,,retired`, // 8 bad status
      `${t}-self@uprava.rs,Self Managed,${f.a.code},,${t}-self@uprava.rs,`, // 9 own manager
    ].join('\n');
    const res = await post(f.token.hrA, csv).expect(200);
    expect(res.body).toMatchObject({ created: 3, updated: 0, deactivated: 0, dryRun: false });
    expect(res.body.errors).toEqual([
      { line: 5, message: expect.stringContaining('outside your scope') },
      { line: 6, message: expect.stringContaining('no person has the e-mail') },
      { line: 7, message: expect.stringContaining('already appears on line 2') },
      { line: 8, message: expect.stringContaining('status "retired"') },
      { line: 9, message: 'a person cannot be their own manager' },
    ]);
    const boss = await person(`${t}-boss@uprava.rs`);
    await expect(person(`${t}-ana@uprava.rs`)).resolves.toMatchObject({ external_id: `ext-${t}-2`, manager_id: boss!.id });
    await expect(person(`${t}-bo@uprava.rs`)).resolves.toMatchObject({ manager_id: f.learnerA.id });
    await expect(person(`${t}-out@uprava.rs`)).resolves.toBeUndefined();
    // an externalId another person holds is a line error, not a failed chunk
    const taken = await post(
      f.token.hrA,
      `email,displayName,orgUnitCode,externalId\n${t}-x@uprava.rs,X Person,${f.a.code},ext-${t}-2\n`,
    ).expect(200);
    expect(taken.body).toMatchObject({ created: 0, errors: [{ line: 2, message: expect.stringContaining('belongs to another person') }] });
  });

  it('status disabled deactivates (sessions end, audited as user.disabled); active brings the person back with user.placed', async () => {
    const leaver = await aUser(api.dataSource, { orgUnit: f.a, email: `${uniq('leaver')}@uprava.rs`, displayName: 'Lea Leaver' });
    const token = await tokenFor(api.config, leaver);
    await api.http.get('/api/v1/me').set(bearer(token)).expect(200);
    const off = await post(f.token.hrA, `email,displayName,orgUnitCode,status\n${leaver.email},Lea Leaver,${f.a.code},disabled\n`).expect(
      200,
    );
    expect(off.body).toMatchObject({ created: 0, updated: 1, deactivated: 1, reactivated: 0, errors: [] });
    await api.http.get('/api/v1/me').set(bearer(token)).expect(401);
    const [audit] = await api.dataSource.query(`SELECT action, actor_id FROM audit_event WHERE subject_id = $1 ORDER BY at DESC LIMIT 1`, [
      leaver.id,
    ]);
    expect(audit).toEqual({ action: 'user.disabled', actor_id: f.hrA.id });
    const placedBefore = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_event WHERE name = 'user.placed' AND payload->>'userId' = $1`,
      [leaver.id],
    );
    const on = await post(f.token.hrA, `email,displayName,orgUnitCode,status\n${leaver.email},Lea Leaver,${f.a.code},ACTIVE\n`).expect(200);
    expect(on.body).toMatchObject({ updated: 1, deactivated: 0, reactivated: 1 });
    const placedAfter = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_event WHERE name = 'user.placed' AND payload->>'userId' = $1`,
      [leaver.id],
    );
    expect(placedAfter[0].n).toBe(placedBefore[0].n + 1);
    await expect(person(leaver.email)).resolves.toMatchObject({ status: 'active' });
    // nobody disables themself by import
    const self = await post(f.token.admin, `email,displayName,orgUnitCode,status\n${f.admin.email},Admin,${f.root.code},disabled\n`).expect(
      200,
    );
    expect(self.body.errors).toEqual([{ line: 2, message: 'you cannot disable yourself' }]);
  });

  it('?dryRun=true reports exactly what the import would do and writes nothing', async () => {
    const t = uniq('dry');
    const existing = await aUser(api.dataSource, { orgUnit: f.a, email: `${t}-old@uprava.rs`, displayName: 'Old Name' });
    await api.dataSource.query(
      `INSERT INTO auth_session (user_id, kind, secret_hash, expires_at) VALUES ($1, 'web', 'x', now() + interval '1 day')`,
      [existing.id],
    );
    const csv = [
      'email,displayName,orgUnitCode,externalId,managerEmail,status',
      `${t}-new@uprava.rs,New Person,${f.a.code},dry-${t},${t}-old@uprava.rs,`, // 2 create (manager exists)
      `${t}-old@uprava.rs,Old Name,${f.a.code},,,disabled`, // 3 deactivate
      `${t}-sub@uprava.rs,Sub Person,${f.a.code},,${t}-new@uprava.rs,`, // 4 create, manager created on line 2
      `${t}-bad@uprava.rs,Bad Unit,NO-SUCH-UNIT,,,`, // 5 error
      `${t}-far@uprava.rs,Far Person,${f.b.code},,,`, // 6 outside HR A's scope
    ].join('\n');
    const before = await footprint();
    const dry = await post(f.token.hrA, csv, '?dryRun=true').expect(200);
    expect(dry.body).toEqual({
      created: 2,
      updated: 1,
      unchanged: 0,
      deactivated: 1,
      reactivated: 0,
      dryRun: true,
      errors: [
        { line: 5, message: 'no org unit has the code "NO-SUCH-UNIT"' },
        { line: 6, message: `the org unit ${f.b.code} is outside your scope` },
      ],
    });
    await expect(footprint()).resolves.toEqual(before);
    await expect(person(`${t}-new@uprava.rs`)).resolves.toBeUndefined();
    // the real run does what the dry run said
    const real = await post(f.token.hrA, csv).expect(200);
    expect({ ...real.body, dryRun: true }).toEqual(dry.body);
    expect(real.body.dryRun).toBe(false);
    await expect(person(`${t}-old@uprava.rs`)).resolves.toMatchObject({ status: 'disabled' });
    const after = await footprint();
    expect(after.users).toBe(before.users + 2);
    expect(after.revoked).toBe(before.revoked + 1);
    await post(f.token.hrA, csv, '?dryRun=maybe').expect(400);
  });

  it('only admins and HR import; HR cannot deactivate people outside its scope or beyond its authority', async () => {
    await post(f.token.learnerA, `email,displayName,orgUnitCode,status\n${f.learnerA1.email},X,${f.a1.code},disabled\n`).expect(403);
    const res = await post(
      f.token.hrA,
      `email,displayName,orgUnitCode,status\n${f.learnerB.email},B Person,${f.a.code},disabled\n${f.hrB.email},HR B,${f.a.code},disabled\n`,
    ).expect(200);
    expect(res.body).toMatchObject({ updated: 0, deactivated: 0 });
    expect(res.body.errors.map((e: { line: number }) => e.line)).toEqual([2, 3]);
    await expect(person(f.learnerB.email)).resolves.toMatchObject({ status: 'active' });
    await expect(person(f.hrB.email)).resolves.toMatchObject({ status: 'active' });
  });
});
