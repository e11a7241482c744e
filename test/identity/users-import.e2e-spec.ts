import { request as httpRequest, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { aUser, startApi, TestApi, uniq } from '@lms/testing';
import { bearer, OrgFixture, orgFixture } from './fixtures.js';

const IMPORT = '/api/v1/users/import';

describe('CSV import of people (POST /users/import)', () => {
  let api: TestApi;
  let f: OrgFixture;
  beforeAll(async () => {
    api = await startApi();
    f = await orgFixture(api);
  });
  afterAll(async () => {
    await api.close();
  });

  function post(token: string, csv: string | Buffer): ReturnType<TestApi['http']['post']> {
    return api.http
      .post(IMPORT)
      .set(bearer(token))
      .set('content-type', 'text/csv')
      .send(Buffer.isBuffer(csv) ? csv : Buffer.from(csv));
  }

  it('?dryRun=true reports what would happen, line by line, and writes nothing (no people, no audit, no events)', async () => {
    const t = uniq('dry');
    const csv = [
      'email,displayName,orgUnitCode',
      `${t}-1@uprava.rs,Prva Osoba,${f.a.code}`,
      `${t}-2@uprava.rs,Druga Osoba,NO-SUCH-UNIT`,
      `${t}-1@uprava.rs,Ponovo Prva,${f.a.code}`,
      `${t}-4@uprava.rs,Četvrta Osoba,${f.b.code}`,
    ].join('\n');
    const counts = async (): Promise<unknown> =>
      (
        await api.dataSource.query(
          `SELECT (SELECT count(*) FROM app_user WHERE email LIKE $1)::int AS people, (SELECT count(*) FROM audit_event)::int AS audit,
                  (SELECT count(*) FROM outbox_event WHERE name = 'user.placed')::int AS events`,
          [`${t}-%`],
        )
      )[0];
    const before = await counts();
    const dry = await api.http.post(`${IMPORT}?dryRun=true`).set(bearer(f.token.admin)).set('content-type', 'text/csv').send(Buffer.from(csv)).expect(200);
    expect(dry.body).toMatchObject({ dryRun: true, created: 2, updated: 0, unchanged: 0 });
    expect(dry.body.errors.map((e: { line: number }) => e.line)).toEqual([3, 4]);
    await expect(counts()).resolves.toEqual(before);
    const real = await post(f.token.admin, csv).expect(200);
    expect(real.body).toMatchObject({ created: 2, errors: dry.body.errors });
    expect(real.body.dryRun).toBe(false);
    await api.http.post(`${IMPORT}?dryRun=maybe`).set(bearer(f.token.admin)).set('content-type', 'text/csv').send(Buffer.from(csv)).expect(400);
  });

  it('imports the good lines and names every rejected line with its reason', async () => {
    const t = uniq('imp');
    const csv = [
      'email,displayName,orgUnitCode,jobRoleCode,locale,timeZone,gender,locality',
      `${t}-1@Uprava.rs,Ana Petrović,${f.a.code},analyst,sr-Latn,Europe/Belgrade,female,urban`, // 2 ok
      `not-an-email,Bad Email,${f.a.code},,,,,`, // 3
      `${t}-3@uprava.rs,Unknown Unit,NO-SUCH-UNIT,,,,,`, // 4
      `${t}-4@uprava.rs,Bad Locale,${f.a.code},,fr_FR,,,`, // 5 (any BCP 47 tag is fine; this is not one)
      `${t}-1@uprava.rs,Duplicate,${f.a.code},,,,,`, // 6
      `${t}-6@uprava.rs,,${f.a.code},,,,,`, // 7
      `${t}-7@uprava.rs,Too Many,${f.a.code},,,,,,extra`, // 8
      '', // 9 (blank: skipped)
      `"${t}-9@uprava.rs","Marković, Jovan",${f.a1.code},,sr-cyrl,UTC,,rural`, // 10 ok (quoted comma, case-insensitive locale)
      `${t}-10@uprava.rs,Bad Zone,${f.a.code},,,Mars/Base,robot,`, // 11
      `${t}-11@uprava.rs,Ok Minimal,${f.b.code}`, // 12 ok (short row: optional cells empty)
    ].join('\r\n');
    const res = await post(f.token.admin, `\uFEFF${csv}\r\n`).expect(200);
    expect(res.body).toMatchObject({ created: 3, updated: 0, unchanged: 0 });
    expect(res.body.errors.map((e: { line: number }) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 11]);
    const byLine = new Map<number, string>(res.body.errors.map((e: { line: number; message: string }) => [e.line, e.message]));
    expect(byLine.get(3)).toMatch(/email/);
    expect(byLine.get(4)).toMatch(/NO-SUCH-UNIT/);
    expect(byLine.get(5)).toMatch(/locale/);
    expect(byLine.get(6)).toMatch(/line 2/);
    expect(byLine.get(7)).toMatch(/displayName/);
    expect(byLine.get(8)).toMatch(/fields/);
    expect(byLine.get(11)).toMatch(/timeZone.*gender|gender.*timeZone/);
    const rows = (await api.dataSource.query(
      `SELECT email, display_name, locale, time_zone, gender, locality, job_role_code FROM app_user WHERE email LIKE $1 ORDER BY email`,
      [`${t}-%`],
    )) as Array<Record<string, string>>;
    expect(rows).toEqual([
      {
        email: `${t}-11@uprava.rs`,
        display_name: 'Ok Minimal',
        locale: 'en',
        time_zone: 'UTC',
        gender: null,
        locality: null,
        job_role_code: null,
      },
      {
        email: `${t}-1@uprava.rs`,
        display_name: 'Ana Petrović',
        locale: 'sr-Latn',
        time_zone: 'Europe/Belgrade',
        gender: 'female',
        locality: 'urban',
        job_role_code: 'analyst',
      },
      {
        email: `${t}-9@uprava.rs`,
        display_name: 'Marković, Jovan',
        locale: 'sr-Cyrl',
        time_zone: 'UTC',
        gender: null,
        locality: 'rural',
        job_role_code: null,
      },
    ]);
    const [{ n }] = (await api.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_event o JOIN app_user u ON u.id::text = o.payload->>'userId' WHERE o.name = 'user.placed' AND u.email LIKE $1`,
      [`${t}-%`],
    )) as Array<{ n: number }>;
    expect(n).toBe(3);
    const grants = (await api.dataSource.query(
      `SELECT g.role FROM role_grant g JOIN app_user u ON u.id = g.user_id WHERE u.email LIKE $1`,
      [`${t}-%`],
    )) as Array<{ role: string }>;
    expect(grants.map((g) => g.role)).toEqual(['learner', 'learner', 'learner']);
  });

  it('upserts by e-mail: unchanged lines are counted, changed ones updated (moves write user.placed), empty cells keep values', async () => {
    const t = uniq('ups');
    const first = `email,displayName,orgUnitCode,jobRoleCode,locale\n${t}-a@x.rs,A,${f.a.code},clerk,sr-Latn\n${t}-b@x.rs,B,${f.a.code},clerk,en\n`;
    await post(f.token.admin, first).expect(200, {
      created: 2,
      updated: 0,
      unchanged: 0,
      deactivated: 0,
      reactivated: 0,
      errors: [],
      dryRun: false,
    });
    await post(f.token.admin, first).expect(200, {
      created: 0,
      updated: 0,
      unchanged: 2,
      deactivated: 0,
      reactivated: 0,
      errors: [],
      dryRun: false,
    });
    const second = `displayName,email,orgUnitCode,jobRoleCode,locale\nA renamed,${t}-A@x.rs,${f.a.code},,\nB,${t}-b@x.rs,${f.a1.code},clerk,\n`;
    const res = await post(f.token.admin, second).expect(200);
    expect(res.body).toEqual({ created: 0, updated: 2, unchanged: 0, deactivated: 0, reactivated: 0, errors: [], dryRun: false });
    const rows = (await api.dataSource.query(
      `SELECT id, email, display_name, org_unit_id, job_role_code, locale FROM app_user WHERE email LIKE $1 ORDER BY email`,
      [`${t}-%`],
    )) as Array<{
      id: string;
      display_name: string;
      org_unit_id: string;
      job_role_code: string;
      locale: string;
    }>;
    expect(rows[0]).toMatchObject({ display_name: 'A renamed', org_unit_id: f.a.id, job_role_code: 'clerk', locale: 'sr-Latn' });
    expect(rows[1]).toMatchObject({ org_unit_id: f.a1.id, locale: 'en' });
    const placed = (await api.dataSource.query(
      `SELECT payload->>'userId' AS id FROM outbox_event WHERE name = 'user.placed' AND payload->>'userId' = ANY($1::text[])`,
      [rows.map((r) => r.id)],
    )) as Array<{ id: string }>;
    // Two on creation, one for B's move; the rename of A places nobody.
    expect(placed.filter((p) => p.id === rows[0].id)).toHaveLength(1);
    expect(placed.filter((p) => p.id === rows[1].id)).toHaveLength(2);
    const audit = (await api.dataSource.query(
      `SELECT action, before->>'displayName' AS before, after->>'displayName' AS after FROM audit_event WHERE subject_id = $1 ORDER BY at`,
      [rows[0].id],
    )) as Array<{ action: string; before: string | null; after: string }>;
    expect(audit).toEqual([
      { action: 'user.created', before: null, after: 'A' },
      { action: 'user.updated', before: 'A', after: 'A renamed' },
    ]);
  });

  it('HR imports only into its subtree and only people it may change (others are line errors)', async () => {
    const t = uniq('hrimp');
    const adminInA = await aUser(api.dataSource, { orgUnit: f.a1, roles: [{ role: 'admin' }] });
    const csv = [
      'email,displayName,orgUnitCode',
      `${t}-ok@x.rs,In scope,${f.a1.code}`, // 2
      `${t}-out@x.rs,Outside,${f.b.code}`, // 3
      `${f.learnerB.email},Steal from B,${f.a.code}`, // 4
      `${adminInA.email},Demote admin,${f.a.code}`, // 5
      `${f.learnerA1.email},Moved up,${f.a.code}`, // 6
    ].join('\n');
    const res = await post(f.token.hrA, csv).expect(200);
    expect(res.body).toMatchObject({ created: 1, updated: 1 });
    expect(res.body.errors).toEqual([
      { line: 3, message: expect.stringMatching(/outside your scope/) },
      { line: 4, message: expect.stringMatching(/outside your scope/) },
      { line: 5, message: expect.stringMatching(/beyond your authority/) },
    ]);
    const [learnerB] = (await api.dataSource.query(`SELECT org_unit_id, display_name FROM app_user WHERE id = $1`, [
      f.learnerB.id,
    ])) as Array<{ org_unit_id: string; display_name: string }>;
    expect(learnerB.org_unit_id).toBe(f.b.id);
    await post(f.token.learnerA, csv).expect(403);
    await api.http.post(IMPORT).set('content-type', 'text/csv').send(csv).expect(401);
  });

  it('rejects a bad header (missing or unknown columns), an empty body and other content types', async () => {
    const missing = await post(f.token.admin, 'email,displayName\na@b.rs,A\n').expect(400);
    expect(missing.body.errors).toEqual([{ field: 'header.orgUnitCode', message: expect.stringMatching(/missing/) }]);
    const unknown = await post(f.token.admin, 'email,displayName,orgUnitCode,favouriteColour\n').expect(400);
    expect(unknown.body.errors[0].message).toMatch(/favouriteColour/);
    await post(f.token.admin, '').expect(400);
    await api.http.post(IMPORT).set(bearer(f.token.admin)).send({ email: 'a@b.rs' }).expect(415);
    // text/csv is accepted only where a route asks for it.
    await api.http.post('/api/v1/users').set(bearer(f.token.admin)).set('content-type', 'text/csv').send('email\n').expect(415);
  });

  it('reports malformed CSV lines (an unclosed quote) without failing the import', async () => {
    const t = uniq('q');
    const csv = `email,displayName,orgUnitCode\n${t}-1@x.rs,Good,${f.a.code}\n${t}-2@x.rs,"Bad "quote,${f.a.code}\n${t}-3@x.rs,Good too,${f.a.code}\n${t}-4@x.rs,"unclosed,${f.a.code}\n${t}-5@x.rs,Last,${f.a.code}`;
    const res = await post(f.token.admin, csv).expect(200);
    expect(res.body.created).toBe(3);
    expect(res.body.errors).toEqual([
      { line: 3, message: expect.stringMatching(/not valid CSV: .*closing quote/) },
      { line: 5, message: expect.stringMatching(/not valid CSV: .*not closed/) },
    ]);
  });

  it('imports 10,000 lines in one request', async () => {
    const t = uniq('bulk');
    const units = [f.a, f.a1, f.b];
    const lines = ['email,displayName,orgUnitCode,jobRoleCode,locale,timeZone,gender,locality'];
    for (let i = 0; i < 10_000; i++) {
      lines.push(
        `${t}-${i}@drzavna-uprava.gov.rs,Službenik Broj ${i},${units[i % 3].code},role-${i % 7},${['en', 'sr-Latn', 'sr-Cyrl'][i % 3]},Europe/Belgrade,${['female', 'male', ''][i % 3]},${['urban', 'rural'][i % 2]}`,
      );
    }
    lines[5001] = `bad-line-${t},x,${f.a.code}`;
    const body = `${lines.join('\n')}\n`;
    const started = Date.now();
    const res = await post(f.token.admin, body).expect(200);
    const ms = Date.now() - started;
    expect(res.body.created).toBe(9_999);
    expect(res.body.errors).toEqual([{ line: 5002, message: expect.stringMatching(/email/) }]);
    const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM app_user WHERE email LIKE $1`, [`${t}-%`])) as Array<{
      n: number;
    }>;
    expect(n).toBe(9_999);
    const againStarted = Date.now();
    const again = await post(f.token.admin, body).expect(200);
    const againMs = Date.now() - againStarted;
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 9_999 });
    process.stdout.write(
      `users/import: 10,000 lines (${Math.round(body.length / 1024)} KiB) created in ${ms} ms; the same file again (all unchanged) in ${againMs} ms\n`,
    );
  }, 120_000);

  it('answers 413 when the declared body is over 16 MiB, before reading it', async () => {
    const server = api.app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: IMPORT,
          headers: { ...bearer(f.token.admin), 'content-type': 'text/csv', 'content-length': String(17 * 1024 * 1024) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', reject);
      req.write('email,displayName,orgUnitCode\n');
    });
    expect(status).toBe(413);
  });
});
