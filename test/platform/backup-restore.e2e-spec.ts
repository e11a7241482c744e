import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import pg from 'pg';
import { Outbox } from '@lms/jobs';
import {
  cleanEnv,
  drainJobs,
  freePort,
  runNode,
  RunningProcess,
  startApi,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  TestApi,
  tokenFor,
  uniq,
} from '@lms/testing';
import { aCompletedEnrolment, anOrgUnit, aUser } from '../credentials/support.js';
import { aPublishedCourse } from '../support/learning-builders.js';

const API = 'dist/apps/api/src/main.js';
const CERTIFICATES = 4;
const run = promisify(execFile);

/**
 * The backup drill of docs/operations.md, for real: a populated database (people, enrolments,
 * certificates, one revoked) is dumped with `pg_dump -Fc`, restored with `pg_restore` into a NEW
 * database, and the production API process is started on the copy with the same JWT_SECRET and
 * CREDENTIAL_KEY_SECRET. Every certificate still verifies (`/api/v1/verify/:code`, and the signed
 * credential against the restored `/.well-known/jwks.json`), and the restored issuer key still
 * signs: a course completed after the restore gets a certificate (the key decrypts with the
 * backed-up CREDENTIAL_KEY_SECRET).
 */
describe('backup drill: pg_dump, pg_restore into a new database, the API on the copy', () => {
  let api: TestApi;
  let restored: RunningProcess | undefined;
  const work = mkdtempSync(join(tmpdir(), 'lms-backup-'));
  const restoredName = `lms_restored_${uniq('db').replace(/-/g, '_')}`;
  const restoredUrl = (() => {
    const u = new URL(TEST_DATABASE_URL);
    u.pathname = `/${restoredName}`;
    return u.toString();
  })();
  const admin = async (sql: string): Promise<void> => {
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    if (restored && restored.child.exitCode === null && restored.child.signalCode === null) restored.child.kill('SIGKILL');
    await restored?.exited;
    await admin(`DROP DATABASE IF EXISTS "${restoredName}" WITH (FORCE)`);
    await api?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('restores people, enrolments and certificates that still verify, and keeps issuing', async () => {
    const started = Date.now();
    // A populated database: learners with completed enrolments and their certificates (issued by the jobs), one revoked.
    const unit = await anOrgUnit(api.dataSource);
    const holders: Array<{ userId: string; enrolmentId: string }> = [];
    for (let i = 0; i < CERTIFICATES; i++) {
      const user = await aUser(api.dataSource, { orgUnit: unit, displayName: `Službenica ${i}`, locale: 'sr-Latn' });
      holders.push({ userId: user.id, enrolmentId: (await aCompletedEnrolment(api.dataSource, { user })).enrolmentId });
    }
    const outbox = api.app.get(Outbox);
    await api.dataSource.transaction(async (m) => {
      for (const { enrolmentId } of holders) await outbox.add(m, 'enrolment.completed', { enrolmentId });
    });
    await drainJobs(api, 60_000);
    const certs = (await api.dataSource.query(
      `SELECT id, user_id, serial, verification_code FROM certificate WHERE enrolment_id = ANY($1) ORDER BY serial`,
      [holders.map((h) => h.enrolmentId)],
    )) as Array<{ id: string; user_id: string; serial: string; verification_code: string }>;
    expect(certs).toHaveLength(CERTIFICATES);
    // A learner half-way through a course when the backup is taken.
    const course = await aPublishedCourse(api.dataSource, { quiz: null, lessons: [{ slug: 'only' }] });
    const learnerUser = await aUser(api.dataSource, { orgUnit: unit, displayName: 'Learner after the restore' });
    const enrolled = await api.http
      .post('/api/v1/enrolments')
      .set('authorization', `Bearer ${await tokenFor(api.config, learnerUser)}`)
      .send({ courseSlug: course.slug })
      .expect(201);
    const learner = { userId: learnerUser.id, enrolmentId: (enrolled.body as { id: string }).id };
    const adminToken = await tokenFor(api.config, await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'admin' }] }));
    await api.http
      .post(`/api/v1/certificates/${certs[0].id}/revoke`)
      .set('authorization', `Bearer ${adminToken}`)
      .send({ reason: 'Issued in error' })
      .expect(200);
    const countsOf = async (q: (sql: string) => Promise<Array<Record<string, number>>>): Promise<Record<string, number>> =>
      (
        await q(
          `SELECT (SELECT count(*)::int FROM app_user) AS people, (SELECT count(*)::int FROM enrolment) AS enrolments,
                  (SELECT count(*)::int FROM certificate) AS certificates, (SELECT count(*)::int FROM credential_issuer_key) AS keys,
                  (SELECT count(*)::int FROM certificate WHERE revoked_at IS NOT NULL) AS revoked`,
        )
      )[0];
    const before = await countsOf((sql) => api.dataSource.query(sql));

    // Backup: one custom-format file. Restore: into a new, empty database.
    const dump = join(work, 'lms.dump');
    const dumpStarted = Date.now();
    await run('pg_dump', ['--format=custom', '--no-owner', `--file=${dump}`, api.db.url]);
    const dumpMs = Date.now() - dumpStarted;
    await admin(`CREATE DATABASE "${restoredName}"`);
    const restoreStarted = Date.now();
    await run('pg_restore', ['--no-owner', '--exit-on-error', '--single-transaction', `--dbname=${restoredUrl}`, dump]);
    const restoreMs = Date.now() - restoreStarted;
    const copy = new pg.Client({ connectionString: restoredUrl });
    await copy.connect();
    try {
      expect(await countsOf(async (sql) => (await copy.query(sql)).rows as Array<Record<string, number>>)).toEqual(before);
    } finally {
      await copy.end();
    }

    // The production API on the copy, with the same secrets (JWT_SECRET, CREDENTIAL_KEY_SECRET): it runs the jobs too.
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    restored = runNode(
      API,
      cleanEnv({
        DATABASE_URL: restoredUrl,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: `lmsrestored-${port}`,
        JWT_SECRET: api.config.jwtSecret,
        CREDENTIAL_KEY_SECRET: api.config.credentialKeySecret,
        PUBLIC_URL: api.config.publicUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: join(work, 'data'),
        LOG_LEVEL: 'info',
        JOBS_IN_API: 'true',
        IMPORT_COURSES_ON_START: 'false',
      }),
    );
    const deadline = Date.now() + 90_000;
    while (
      (await fetch(`${base}/health/live`)
        .then((r) => r.status)
        .catch(() => 0)) !== 200
    ) {
      if (restored.child.exitCode !== null || Date.now() > deadline)
        throw new Error(`the API on the restored database did not start:\n${restored.output()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    // The schema came with the dump: nothing to migrate.
    expect(restored.output()).not.toMatch(/applied migrations: /);

    // Every certificate still verifies, with its status (the revoked one stays revoked).
    for (const [i, c] of certs.entries()) {
      const res = await fetch(`${base}/api/v1/verify/${c.verification_code}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { status: string }).status).toBe(i === 0 ? 'revoked' : 'valid');
    }
    // The signed credentials verify against the restored JWKS (the holder reads theirs with a token of the restored API).
    const jwks = createLocalJWKSet((await (await fetch(`${base}/.well-known/jwks.json`)).json()) as JSONWebKeySet);
    const credentials: string[] = [];
    for (const c of certs) {
      const token = await tokenFor(api.config, { id: c.user_id });
      const res = await fetch(`${base}/api/v1/certificates/${c.id}/credential`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/vc+jwt' },
      });
      expect(res.status).toBe(200);
      credentials.push(await res.text());
      const { payload } = await jwtVerify(credentials[credentials.length - 1], jwks);
      expect(JSON.stringify(payload)).toContain(c.serial);
    }

    // The restored issuer key still signs: a learner finishes, on the copy, a course started before the backup,
    // and the restored API issues the certificate under the same key (it decrypts with the backed-up secret).
    const kid = decodeProtectedHeader(credentials[1]).kid;
    const learnerToken = await tokenFor(api.config, { id: learner.userId });
    const done = await fetch(`${base}/api/v1/enrolments/${learner.enrolmentId}/lessons/only/complete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${learnerToken}` },
    });
    expect(done.status).toBe(200);
    let fresh: { id: string } | undefined;
    while (!fresh) {
      const mine = (await (
        await fetch(`${base}/api/v1/me/certificates`, { headers: { authorization: `Bearer ${learnerToken}` } })
      ).json()) as Array<{ id: string }> | { items: Array<{ id: string }> };
      fresh = (Array.isArray(mine) ? mine : mine.items)[0];
      if (!fresh) {
        if (Date.now() > deadline + 60_000) throw new Error(`no certificate issued on the copy:\n${restored.output()}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    const jwt = await (
      await fetch(`${base}/api/v1/certificates/${fresh.id}/credential`, {
        headers: { authorization: `Bearer ${learnerToken}`, accept: 'application/vc+jwt' },
      })
    ).text();
    expect(decodeProtectedHeader(jwt).kid).toBe(kid);
    await expect(jwtVerify(jwt, jwks)).resolves.toBeDefined();
    process.stdout.write(
      `backup-restore: ${before.people} people, ${before.enrolments} enrolments, ${before.certificates} certificates; dump ${statSync(dump).size} bytes in ${dumpMs} ms, ` +
        `restore ${restoreMs} ms; ${CERTIFICATES}/${CERTIFICATES} verify on the copy; ${Math.round((Date.now() - started) / 1000)} s\n`,
    );
  }, 180_000);
});
