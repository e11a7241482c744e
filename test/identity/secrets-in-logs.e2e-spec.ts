import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { base32Decode, totp } from '@lms/identity';
import { createTestDatabase, TEST_REDIS_URL, TestDatabase } from '@lms/testing';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ADMIN = { email: 'log-admin@test.lms', password: 'log-admin-passphrase-91' };
const USER_PASSWORD = 'user-first-passphrase-22';
const USER_PASSWORD_2 = 'user-second-passphrase-33';
const USER_PASSWORD_3 = 'user-third-passphrase-44';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Runs the built API as a real process at LOG_LEVEL=trace with its stdout/stderr (pino) captured,
 * drives sign-in, refresh, people and password changes through HTTP, and checks that no log line
 * holds a password, a password hash or a token.
 */
describe('no password, hash or token in any log line (real process, captured pino output)', () => {
  let db: TestDatabase;
  let child: ChildProcess;
  let output = '';
  let base = '';
  let dataDir = '';

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'lms-logs-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['dist/apps/api/src/main.js'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        DATABASE_URL: db.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: `lmslog-${randomBytes(4).toString('hex')}`,
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
        // The admin signs in with a password only here; the second-factor flow is driven below with a learner.
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

  /** Waits (bounded) until the captured output matches; throws with the output when it never does. */
  async function waitForOutput(pattern: RegExp, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(output)) {
      if (Date.now() > deadline) throw new Error(`no log line matched ${pattern} within ${timeoutMs} ms:\n${output.slice(-4_000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function call(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    contentType = 'application/json',
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': contentType }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  it('keeps credentials out of the log while signing in, refreshing, creating people and changing passwords', async () => {
    const secrets: string[] = [ADMIN.password, USER_PASSWORD, USER_PASSWORD_2, USER_PASSWORD_3];
    const login = await call('POST', '/api/v1/auth/login', ADMIN);
    expect(login.status).toBe(200);
    secrets.push(login.json.accessToken as string, login.json.refreshToken as string);
    const refreshed = await call('POST', '/api/v1/auth/refresh', { refreshToken: login.json.refreshToken });
    expect(refreshed.status).toBe(200);
    const token = refreshed.json.accessToken as string;
    secrets.push(token, refreshed.json.refreshToken as string);
    // Reuse of the first refresh token (logged as a warning, without the token).
    expect((await call('POST', '/api/v1/auth/refresh', { refreshToken: login.json.refreshToken })).status).toBe(401);
    const again = await call('POST', '/api/v1/auth/login', ADMIN);
    const adminToken = again.json.accessToken as string;
    secrets.push(adminToken, again.json.refreshToken as string);
    const me = await call('GET', '/api/v1/me', undefined, adminToken);
    const person = await call(
      'POST',
      '/api/v1/users',
      { email: 'logged.person@test.lms', displayName: 'Logged', orgUnitId: me.json.orgUnitId, password: USER_PASSWORD },
      adminToken,
    );
    expect(person.status).toBe(201);
    expect((await call('PATCH', `/api/v1/users/${person.json.id as string}`, { password: USER_PASSWORD_2 }, adminToken)).status).toBe(200);
    expect((await call('POST', '/api/v1/auth/login', { email: 'logged.person@test.lms', password: USER_PASSWORD })).status).toBe(401);
    const userLogin = await call('POST', '/api/v1/auth/login', { email: 'logged.person@test.lms', password: USER_PASSWORD_2 });
    secrets.push(userLogin.json.accessToken as string, userLogin.json.refreshToken as string);
    expect(
      (
        await call(
          'POST',
          '/api/v1/me/password',
          { currentPassword: USER_PASSWORD_2, newPassword: USER_PASSWORD_3 },
          userLogin.json.accessToken as string,
        )
      ).status,
    ).toBe(204);
    expect((await call('POST', '/api/v1/auth/login', { email: 'logged.person@test.lms', password: 'wrong-one-here' })).status).toBe(401);
    expect(
      (
        await call(
          'POST',
          '/api/v1/users',
          { email: 'weak@test.lms', displayName: 'W', orgUnitId: me.json.orgUnitId, password: 'password1234' },
          adminToken,
        )
      ).status,
    ).toBe(400);
    const imported = await call(
      'POST',
      '/api/v1/users/import',
      'email,displayName,orgUnitCode\nimported@test.lms,Imported,ROOT\n',
      adminToken,
      'text/csv',
    );
    expect(imported.status).toBe(200);
    expect((await call('GET', '/api/v1/me', undefined, `${adminToken}x`)).status).toBe(401);
    expect((await call('POST', '/api/v1/auth/logout', undefined, adminToken)).status).toBe(204);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const hashes = await client.query<{ password_hash: string }>(`SELECT password_hash FROM app_user WHERE password_hash IS NOT NULL`);
      secrets.push(...hashes.rows.map((r) => r.password_hash));
      const stored = await client.query<{ token_hash: string }>(`SELECT token_hash FROM refresh_token`);
      secrets.push(...stored.rows.map((r) => r.token_hash));
    } finally {
      await client.end();
    }
    // The positive marker: the log line of the last request (logout) has been written, so every
    // earlier line has too; only then does "no secret in the output" mean something.
    await waitForOutput(/"url":"\/api\/v1\/auth\/logout"[^\n]*"msg":"request completed"|"msg":"request completed"[^\n]*"url":"\/api\/v1\/auth\/logout"/);
    expect(output).toMatch(/\/api\/v1\/auth\/login/);
    expect(output).toMatch(/refresh token reused/);
    for (const s of secrets) {
      expect(s.length).toBeGreaterThan(8);
      expect(output.includes(s)).toBe(false);
    }
    // No JWT-looking string at all, and no argon2 hash.
    expect(output).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\./);
    expect(output).not.toMatch(/\$argon2/);
  }, 60_000);

  it('keeps second-factor secrets, recovery codes, step tokens and link secrets out of the log', async () => {
    const login = await call('POST', '/api/v1/auth/login', ADMIN);
    const adminToken = login.json.accessToken as string;
    const me = await call('GET', '/api/v1/me', undefined, adminToken);
    const email = 'mfa.person@test.lms';
    const password = 'mfa-person-passphrase-55';
    expect((await call('POST', '/api/v1/users', { email, displayName: 'Mfa Person', orgUnitId: me.json.orgUnitId, password }, adminToken)).status).toBe(201);
    const own = (await call('POST', '/api/v1/auth/login', { email, password })).json.accessToken as string;
    const start = await call('POST', '/api/v1/me/mfa/totp', undefined, own);
    const secret = start.json.secret as string;
    const now = Math.floor(Date.now() / 1000);
    const verified = await call('POST', '/api/v1/me/mfa/totp/verify', { code: totp(base32Decode(secret), now) }, own);
    expect(verified.status).toBe(200);
    const recoveryCodes = verified.json.recoveryCodes as string[];
    const challenge = await call('POST', '/api/v1/auth/login', { email, password });
    const mfaToken = challenge.json.mfaToken as string;
    const second = await call('POST', '/api/v1/auth/mfa', { mfaToken, code: totp(base32Decode(secret), now + 30) });
    expect(second.status).toBe(200);
    expect((await call('POST', '/api/v1/auth/mfa', { mfaToken, recoveryCode: recoveryCodes[0] })).status).toBe(200);
    expect((await call('POST', '/api/v1/auth/password-reset', { email })).status).toBe(202);
    const forgedLink = randomBytes(32).toString('base64url');
    expect((await call('POST', '/api/v1/auth/password-reset/confirm', { token: forgedLink, password: 'another-passphrase-66' })).status).toBe(400);
    // A link secret in a page path (serializeRequest also blanks it should pages ever be logged).
    expect((await fetch(`${base}/invitations/${forgedLink}`)).status).toBe(400);
    expect((await call('POST', '/api/v1/auth/logout', undefined, second.json.accessToken as string)).status).toBe(204);
    // Two completed logout lines: the first test's and this one's (the last request of this test).
    await waitForOutput(/(?:"url":"\/api\/v1\/auth\/logout"[^\n]*"msg":"request completed"[\s\S]*){2}/);
    const secrets = [secret, start.json.otpauthUri as string, ...recoveryCodes, ...recoveryCodes.map((c) => c.replace('-', '')), mfaToken, forgedLink];
    for (const s of secrets) expect(output.includes(s)).toBe(false);
    expect(output).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\./);
  }, 60_000);
});
