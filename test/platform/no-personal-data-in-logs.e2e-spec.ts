import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createTestDatabase, freePort, TEST_REDIS_URL, TestDatabase } from '@lms/testing';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ADMIN = { email: 'pd-admin@test.lms', password: 'pd-admin-passphrase-77' };
/** Rows holding this marker make the test-only trigger fail the statement, as a broken constraint would. */
const MARKER = 'blocked-by-test';

/**
 * A test-only trigger that fails writes the way a violated CHECK constraint does, with the
 * failing row (e-mail, name, password hash) in the error's DETAIL — what PostgreSQL itself puts
 * there. On app_user it fires when a marked row is inserted or its password hash or name changes.
 */
const TRIGGER_SQL = `
CREATE FUNCTION test_block_marked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF position('${MARKER}' IN lower(to_jsonb(NEW)::text)) > 0
     AND (TG_OP = 'INSERT' OR to_jsonb(NEW) - 'updated_at' IS DISTINCT FROM to_jsonb(OLD) - 'updated_at') THEN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = 'new row for relation "' || TG_TABLE_NAME || '" violates check constraint "test_block"',
      DETAIL = 'Failing row contains ' || to_jsonb(NEW)::text;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER test_block_user BEFORE INSERT OR UPDATE ON app_user FOR EACH ROW EXECUTE FUNCTION test_block_marked();
CREATE TRIGGER test_block_unit BEFORE INSERT OR UPDATE ON org_unit FOR EACH ROW EXECUTE FUNCTION test_block_marked();
`;

/**
 * The built API as a real process at LOG_LEVEL=trace, its pino output captured. Writes fail in
 * the database (user creation with a password, a password change, a CSV batch, an org unit);
 * each answers 500 with an error id that is logged, and no log line holds a query
 * parameter, a hash, a password or any person's e-mail or name.
 */
describe('no query parameters, hashes or personal data in the log when a write fails in the database', () => {
  let db: TestDatabase;
  let child: ChildProcess;
  let output = '';
  let base = '';
  let dataDir = '';

  beforeAll(async () => {
    db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(TRIGGER_SQL);
    } finally {
      await client.end();
    }
    dataDir = mkdtempSync(join(tmpdir(), 'lms-pdlogs-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['dist/apps/api/src/main.js'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        DATABASE_URL: db.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: `lmspd-${randomBytes(4).toString('hex')}`,
        JWT_SECRET: randomBytes(32).toString('hex'),
        CREDENTIAL_KEY_SECRET: randomBytes(32).toString('hex'),
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'trace',
        IMPORT_COURSES_ON_START: 'false',
        DATABASE_POOL_SIZE: '4',
        // The admin signs in with a password only (MFA_REQUIRED_ROLES defaults to admin).
        MFA_REQUIRED_ROLES: 'none',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 45_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the API exited early:\n${output}`);
      try {
        if ((await fetch(`${base}/health/live`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`the API did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function call(method: string, path: string, body?: unknown, token?: string, contentType = 'application/json'): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': contentType }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  it('logs each failure with its error id and SQLSTATE, and nothing that was being written', async () => {
    const login = await call('POST', '/api/v1/auth/login', ADMIN);
    expect(login.status).toBe(200);
    const token = login.json.accessToken as string;
    const me = await call('GET', '/api/v1/me', undefined, token);
    const rootId = me.json.orgUnitId as string;
    const personal: string[] = [ADMIN.password, token];
    const errorIds: string[] = [];
    const expect500 = (res: { status: number; json: Record<string, unknown> }): void => {
      expect(res.status).toBe(500);
      expect(res.json.errorId).toMatch(/^[0-9a-f-]{36}$/);
      errorIds.push(res.json.errorId as string);
    };

    // 1. Creating a person with a password: the INSERT carries the e-mail, the name and the argon2id hash.
    const created = { email: `jelena.${MARKER}@uprava.gov.rs`, displayName: 'Jelena Marković-Blocked', password: 'jelenina-lozinka-2024' };
    personal.push(created.email, created.displayName, created.password);
    expect500(await call('POST', '/api/v1/users', { ...created, orgUnitId: rootId }, token));

    // 2. A password change of a marked person: the UPDATE carries the new hash.
    const marked = { email: `milan.${MARKER}@uprava.gov.rs`, displayName: 'Milan Jovanović' };
    personal.push(marked.email, marked.displayName);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    let markedId: string;
    try {
      await client.query(`ALTER TABLE app_user DISABLE TRIGGER test_block_user`);
      const rows = await client.query<{ id: string }>(
        `INSERT INTO app_user (email, display_name, org_unit_id) VALUES ($1, $2, $3) RETURNING id`,
        [marked.email, marked.displayName, rootId],
      );
      markedId = rows.rows[0].id;
      await client.query(`ALTER TABLE app_user ENABLE TRIGGER test_block_user`);
    } finally {
      await client.end();
    }
    const newPassword = 'milanova-nova-lozinka-99';
    personal.push(newPassword);
    expect500(await call('PATCH', `/api/v1/users/${markedId}`, { password: newPassword }, token));

    // 3. A CSV batch with one marked line: the chunk's INSERT carries every person of the batch.
    const batch = [
      ['petar.petrovic@uprava.gov.rs', 'Petar Petrović'],
      ['ivana.ilic@uprava.gov.rs', 'Ivana Ilić'],
      [`zoran.${MARKER}@uprava.gov.rs`, 'Zoran Zorić'],
    ];
    for (const [e, n] of batch) personal.push(e, n);
    const csv = `email,displayName,orgUnitCode\n${batch.map(([e, n]) => `${e},${n},ROOT`).join('\n')}\n`;
    expect500(await call('POST', '/api/v1/users/import', csv, token, 'text/csv'));

    // 4. An org unit.
    const unitName = `Odeljenje ${MARKER} Sombor`;
    personal.push(unitName);
    expect500(await call('POST', '/api/v1/org-units', { code: 'PD-UNIT', name: unitName, kind: 'department', parentId: rootId }, token));

    await new Promise((r) => setTimeout(r, 300));
    // The failures are logged, findable by error id, with what failed (SQLSTATE, constraint)…
    for (const id of errorIds) expect(output).toContain(id);
    expect(output).toMatch(/"code":"23514"/);
    expect(output).toMatch(/"constraint":"test_block"|violates check constraint/);
    // …and without what was being written.
    for (const s of personal) expect([s, output.includes(s)]).toEqual([s, false]);
    expect(output).not.toMatch(/\$argon2/);
    expect(output).not.toMatch(/Failing row contains/);
    expect(output).not.toMatch(/"parameters"|"query":|INSERT INTO|UPDATE app_user/);
    expect(output).not.toMatch(/uprava\.gov\.rs/);
    expect(output).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\./);
  }, 60_000);
});
