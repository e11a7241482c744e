import { LoggerService } from '@nestjs/common';
import pg from 'pg';
import { AppConfig } from '@lms/platform';
import { AuditLog, IdentityBootstrap } from '@lms/identity';
import { startApi, TEST_ADMIN, TestApi } from '@lms/testing';
import { bearer, OrgFixture, orgFixture } from './fixtures.js';

const AUDIT = '/api/v1/audit';

class CapturingLogger implements LoggerService {
  lines: Array<{ level: string; message: string }> = [];
  log(message: string): void {
    this.lines.push({ level: 'log', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }
}

describe('audit log and first start', () => {
  let api: TestApi;
  let f: OrgFixture;
  beforeAll(async () => {
    api = await startApi();
    f = await orgFixture(api);
  });
  afterAll(async () => {
    await api.close();
  });

  function withConfig(changes: Partial<Record<keyof AppConfig, unknown>>): AppConfig {
    return new AppConfig({ ...api.config, ...changes } as AppConfig);
  }

  async function adminGrants(): Promise<Array<{ email: string }>> {
    return (await api.dataSource.query(
      `SELECT u.email FROM role_grant g JOIN app_user u ON u.id = g.user_id WHERE g.role = 'admin' ORDER BY u.email`,
    )) as Array<{ email: string }>;
  }

  it('records admin and HR writes with actor, subject, before/after and the request id; admins read it by subject', async () => {
    const created = await api.http
      .post('/api/v1/users')
      .set(bearer(f.token.hrA))
      .set('x-request-id', 'req-audit-1')
      .send({ email: 'audited.person@t.lms', displayName: 'Audited', orgUnitId: f.a1.id, password: 'an-audited-passphrase-1' })
      .expect(201);
    await api.http.patch(`/api/v1/users/${created.body.id}`).set(bearer(f.token.admin)).send({ displayName: 'Audited Again' }).expect(200);
    const res = await api.http.get(`${AUDIT}?subjectType=user&subjectId=${created.body.id}`).set(bearer(f.token.admin)).expect(200);
    expect(res.body).toMatchObject({ page: 1, limit: 20, total: 2 });
    const [updated, create] = res.body.items;
    expect(create).toMatchObject({
      action: 'user.created',
      actorId: f.hrA.id,
      subjectType: 'user',
      subjectId: created.body.id,
      before: null,
      requestId: expect.stringMatching(/.+/),
    });
    expect(updated).toMatchObject({
      action: 'user.updated',
      actorId: f.admin.id,
      before: { displayName: 'Audited' },
      after: { displayName: 'Audited Again' },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/an-audited-passphrase-1|argon2|passwordHash/);
    const paged = await api.http
      .get(`${AUDIT}?subjectType=user&subjectId=${created.body.id}&limit=1&page=2`)
      .set(bearer(f.token.admin))
      .expect(200);
    expect(paged.body.items.map((e: { action: string }) => e.action)).toEqual(['user.created']);
    const byActor = await api.http.get(`${AUDIT}?actorId=${f.hrA.id}`).set(bearer(f.token.admin)).expect(200);
    expect(byActor.body.items.every((e: { actorId: string }) => e.actorId === f.hrA.id)).toBe(true);
  });

  it('is for admins only (HR and learners 403, no token 401) and validates its query', async () => {
    await api.http.get(AUDIT).set(bearer(f.token.hrA)).expect(403);
    await api.http.get(AUDIT).set(bearer(f.token.learnerA)).expect(403);
    await api.http.get(AUDIT).expect(401);
    await api.http.get(`${AUDIT}?actorId=nope`).set(bearer(f.token.admin)).expect(400);
    await api.http.get(`${AUDIT}?limit=1000`).set(bearer(f.token.admin)).expect(400);
  });

  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    const client = new pg.Client({ connectionString: api.db.url });
    await client.connect();
    try {
      await expect(client.query(`UPDATE audit_event SET action = 'tampered'`)).rejects.toThrow(/append-only/);
      await expect(client.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
      await expect(client.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
    const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'tampered'`)) as Array<{
      n: number;
    }>;
    expect(n).toBe(0);
  });

  it('lets other domains record their writes through AuditLog (secrets scrubbed)', async () => {
    const audit = api.app.get(AuditLog);
    await audit.record({
      actor: { userId: f.admin.id },
      action: 'certificate.revoked',
      subjectType: 'certificate',
      subjectId: 'cert-1',
      after: { reason: 'fraud', token: 'abc', nested: { apiSecret: 'x', ok: 1 } },
    });
    const res = await api.http.get(`${AUDIT}?subjectType=certificate&subjectId=cert-1`).set(bearer(f.token.admin)).expect(200);
    expect(res.body.items[0].after).toEqual({ reason: 'fraud', nested: { ok: 1 } });
  });

  it('created ROOT and SPA once and the first admin from ADMIN_EMAIL/ADMIN_PASSWORD; running again changes nothing', async () => {
    const units = (await api.dataSource.query(
      `SELECT code, kind, name FROM org_unit WHERE code IN ('ROOT', 'SPA') ORDER BY code`,
    )) as Array<Record<string, string>>;
    expect(units).toEqual([
      { code: 'ROOT', kind: 'country', name: expect.any(String) },
      { code: 'SPA', kind: 'school', name: 'School of Public Administration' },
    ]);
    expect((await adminGrants()).map((a) => a.email)).toContain(TEST_ADMIN.email);
    const bootstrap = api.app.get(IdentityBootstrap);
    await expect(bootstrap.ensureDefaults()).resolves.toBe('admin-exists');
    const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM org_unit WHERE code IN ('ROOT', 'SPA')`)) as Array<{
      n: number;
    }>;
    expect(n).toBe(2);
  });

  it('in embedded mode without ADMIN_EMAIL, creates admin@localhost with a generated password logged once; two starts at once make one admin', async () => {
    await api.dataSource.query(`DELETE FROM role_grant WHERE role = 'admin'`);
    const bootstrap = api.app.get(IdentityBootstrap);
    const logger = new CapturingLogger();
    const original = bootstrap.logger;
    bootstrap.logger = logger;
    try {
      const embedded = withConfig({ mode: 'embedded', adminEmail: undefined, adminPassword: undefined });
      const outcomes = await Promise.all([
        bootstrap.ensureDefaults(embedded),
        bootstrap.ensureDefaults(embedded),
        bootstrap.ensureDefaults(embedded),
      ]);
      expect(outcomes.filter((o) => o === 'admin-created')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'admin-exists')).toHaveLength(2);
      expect((await adminGrants()).map((a) => a.email)).toEqual(['admin@localhost']);
      expect(logger.lines).toHaveLength(1);
      const match = /admin@localhost .*password (\S+) /.exec(logger.lines[0].message);
      expect(match).not.toBeNull();
      const password = match![1];
      expect(password.length).toBeGreaterThanOrEqual(20);
      await api.http.post('/api/v1/auth/login').send({ email: 'admin@localhost', password }).expect(200);
      await expect(bootstrap.ensureDefaults(embedded)).resolves.toBe('admin-exists');
      expect(logger.lines).toHaveLength(1);
    } finally {
      bootstrap.logger = original;
    }
  });

  it('in production mode without ADMIN_EMAIL, warns and creates nobody', async () => {
    await api.dataSource.query(`DELETE FROM role_grant WHERE role = 'admin'`);
    const bootstrap = api.app.get(IdentityBootstrap);
    const logger = new CapturingLogger();
    const original = bootstrap.logger;
    bootstrap.logger = logger;
    try {
      await expect(
        bootstrap.ensureDefaults(withConfig({ mode: 'production', adminEmail: undefined, adminPassword: undefined })),
      ).resolves.toBe('no-admin-configured');
      expect(await adminGrants()).toEqual([]);
      expect(logger.lines).toEqual([{ level: 'warn', message: expect.stringMatching(/ADMIN_EMAIL/) }]);
      // An existing person named by ADMIN_EMAIL is promoted.
      await expect(
        bootstrap.ensureDefaults(withConfig({ mode: 'production', adminEmail: f.learnerB.email, adminPassword: 'irrelevant-here-123' })),
      ).resolves.toBe('admin-granted');
      expect((await adminGrants()).map((a) => a.email)).toEqual([f.learnerB.email]);
    } finally {
      bootstrap.logger = original;
    }
  });
});
