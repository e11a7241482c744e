import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to embedded mode with generated secrets kept in DATA_DIR', () => {
    const a = loadConfig({ DATA_DIR: dir });
    expect(a.mode).toBe('embedded');
    expect(a.port).toBe(3000);
    expect(a.jwtSecret.length).toBeGreaterThanOrEqual(32);
    const stored = JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as { jwtSecret: string };
    expect(stored.jwtSecret).toBe(a.jwtSecret);
    const b = loadConfig({ DATA_DIR: dir });
    expect(b.jwtSecret).toBe(a.jwtSecret);
    expect(b.credentialKeySecret).toBe(a.credentialKeySecret);
  });

  it('switches to production mode with DATABASE_URL and then requires the secrets', () => {
    expect(() => loadConfig({ DATA_DIR: dir, DATABASE_URL: 'postgres://x@localhost/db' })).toThrow(/JWT_SECRET is required/);
    const c = loadConfig({
      DATA_DIR: dir,
      DATABASE_URL: 'postgres://x@localhost/db',
      JWT_SECRET: 'a'.repeat(32),
      CREDENTIAL_KEY_SECRET: 'b'.repeat(32),
      REDIS_URL: 'redis://localhost:6379',
    });
    expect(c.mode).toBe('production');
    expect(c.redisUrl).toBe('redis://localhost:6379');
  });

  it('DATABASE_READ_URL: optional, a PostgreSQL URL, only with DATABASE_URL; its pool defaults to DATABASE_POOL_SIZE', () => {
    const prod = { DATA_DIR: dir, DATABASE_URL: 'postgres://x@primary/db', JWT_SECRET: 'a'.repeat(32), CREDENTIAL_KEY_SECRET: 'b'.repeat(32) };
    const none = loadConfig(prod);
    expect(none.databaseReadUrl).toBeUndefined();
    expect(none.databaseReadPoolSize).toBe(10);
    const withReplica = loadConfig({ ...prod, DATABASE_READ_URL: 'postgres://x@replica/db', DATABASE_POOL_SIZE: '20' });
    expect(withReplica.databaseReadUrl).toBe('postgres://x@replica/db');
    expect(withReplica.databaseReadPoolSize).toBe(20);
    expect(loadConfig({ ...prod, DATABASE_READ_URL: 'postgres://x@replica/db', DATABASE_READ_POOL_SIZE: '4' }).databaseReadPoolSize).toBe(4);
    expect(() => loadConfig({ ...prod, DATABASE_READ_URL: 'mysql://x@replica/db' })).toThrow(/DATABASE_READ_URL must be a URL starting with postgres:/);
    expect(() => loadConfig({ ...prod, DATABASE_READ_URL: 'postgres://x@replica/db', DATABASE_READ_POOL_SIZE: '0' })).toThrow(/DATABASE_READ_POOL_SIZE/);
    expect(() => loadConfig({ DATA_DIR: dir, DATABASE_READ_URL: 'postgres://x@replica/db' })).toThrow(/DATABASE_READ_URL needs DATABASE_URL/);
  });

  it('keeps personal data for the documented periods unless the retention variables say otherwise', () => {
    expect(loadConfig({ DATA_DIR: dir }).retention).toEqual({ auditDays: 1825, notificationDays: 365, loginAttemptDays: 30, failedJobDays: 90, inactiveAccountDays: 0 });
    expect(loadConfig({ DATA_DIR: dir, INACTIVE_ACCOUNT_RETENTION_DAYS: '730', AUDIT_RETENTION_DAYS: '3650' }).retention).toMatchObject({ inactiveAccountDays: 730, auditDays: 3650 });
    expect(() => loadConfig({ DATA_DIR: dir, AUDIT_RETENTION_DAYS: '7' })).toThrow(/AUDIT_RETENTION_DAYS/);
  });

  it('keeps relayed outbox events 7 days unless OUTBOX_RETENTION_DAYS says otherwise', () => {
    expect(loadConfig({ DATA_DIR: dir }).outboxRetentionDays).toBe(7);
    expect(loadConfig({ DATA_DIR: dir, OUTBOX_RETENTION_DAYS: '30' }).outboxRetentionDays).toBe(30);
  });

  it('MFA_REQUIRED_ROLES defaults to admin; "none" turns the requirement off; link lifetimes default to 7 days and 30 minutes', () => {
    const d = loadConfig({ DATA_DIR: dir });
    expect(d).toMatchObject({ mfaRequiredRoles: ['admin'], invitationTtlDays: 7, passwordResetTtlMinutes: 30 });
    expect(loadConfig({ DATA_DIR: dir, MFA_REQUIRED_ROLES: 'none' }).mfaRequiredRoles).toEqual([]);
    expect(loadConfig({ DATA_DIR: dir, MFA_REQUIRED_ROLES: 'admin, hr,admin' }).mfaRequiredRoles).toEqual(['admin', 'hr']);
  });

  it.each([
    ['PORT', 'abc', /PORT must be a whole number/],
    ['PORT', '70000', /PORT must be a whole number from 0 to 65535/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must be a URL starting with postgres:/],
    ['REDIS_URL', 'not a url', /REDIS_URL must be a URL/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
    ['PUBLIC_URL', 'ftp://x', /PUBLIC_URL must be a URL starting with http:/],
    ['JWT_SECRET', 'short', /JWT_SECRET must be at least 32 characters/],
    ['ADMIN_PASSWORD', 'short', /ADMIN_PASSWORD must be at least 12/],
    ['CORS_ORIGINS', 'not-an-origin', /CORS_ORIGINS must be a comma-separated list/],
    ['IMPORT_COURSES_ON_START', 'maybe', /IMPORT_COURSES_ON_START must be true or false/],
    ['NODE_ENV', 'staging', /NODE_ENV must be development, production or test/],
    ['OUTBOX_RETENTION_DAYS', '0', /OUTBOX_RETENTION_DAYS must be a whole number from 1 to 3650/],
    ['FAULT_INJECT', 'everywhere', /FAULT_INJECT must be a comma-separated list of relay-after-enqueue/],
    ['INVITATION_TTL_DAYS', '0', /INVITATION_TTL_DAYS must be a whole number from 1 to 90/],
    ['PASSWORD_RESET_TTL_MINUTES', '1', /PASSWORD_RESET_TTL_MINUTES must be a whole number from 5 to 1440/],
    ['MFA_REQUIRED_ROLES', 'admin,boss', /MFA_REQUIRED_ROLES must be "none" or a comma-separated list/],
  ])('rejects %s=%s with a message naming the variable', (name, value, message) => {
    let error: unknown;
    try {
      loadConfig({ DATA_DIR: dir, [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(name);
    expect((error as Error).message).toMatch(message);
  });

  it('METRICS_TOKEN and DOCS_ENABLED: docs on in embedded mode and development, off in production mode; a short token is refused', () => {
    const prod = { DATABASE_URL: 'postgres://x@h/db', JWT_SECRET: 'a'.repeat(32), CREDENTIAL_KEY_SECRET: 'b'.repeat(32), DATA_DIR: dir };
    expect(loadConfig({ ...prod, NODE_ENV: 'production' })).toMatchObject({ docsEnabled: false, metricsToken: undefined });
    expect(loadConfig({ ...prod, NODE_ENV: 'development' }).docsEnabled).toBe(true);
    expect(loadConfig({ ...prod, NODE_ENV: 'production', DOCS_ENABLED: 'true' }).docsEnabled).toBe(true);
    expect(loadConfig({ DATA_DIR: dir, NODE_ENV: 'production' }).docsEnabled).toBe(true);
    expect(loadConfig({ ...prod, METRICS_TOKEN: 'm'.repeat(24) }).metricsToken).toBe('m'.repeat(24));
    expect(() => loadConfig({ ...prod, METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig({ ...prod, METRICS_TOKEN: `${'m'.repeat(24)} x` })).toThrow(ConfigError);
  });

  it('FEDERATION_ACCEPT_UNBOUND: off unless set; a value that is not true or false is refused', () => {
    const prod = { DATABASE_URL: 'postgres://x@h/db', JWT_SECRET: 'a'.repeat(32), CREDENTIAL_KEY_SECRET: 'b'.repeat(32), DATA_DIR: dir };
    expect(loadConfig(prod).federationAcceptUnbound).toBe(false);
    expect(loadConfig({ ...prod, FEDERATION_ACCEPT_UNBOUND: 'true' }).federationAcceptUnbound).toBe(true);
    expect(() => loadConfig({ ...prod, FEDERATION_ACCEPT_UNBOUND: 'maybe' })).toThrow(/FEDERATION_ACCEPT_UNBOUND/);
  });

  it('FAULT_INJECT: known points only, and refused with NODE_ENV=production', () => {
    const prod = { DATABASE_URL: 'postgres://x@h/db', JWT_SECRET: 'a'.repeat(32), CREDENTIAL_KEY_SECRET: 'b'.repeat(32), DATA_DIR: dir };
    expect(loadConfig({ ...prod, NODE_ENV: 'test' }).faultInject).toEqual([]);
    expect(loadConfig({ ...prod, NODE_ENV: 'test', FAULT_INJECT: 'relay-after-enqueue, reminder-sweep-after-batch' }).faultInject).toEqual([
      'relay-after-enqueue',
      'reminder-sweep-after-batch',
    ]);
    expect(() => loadConfig({ ...prod, NODE_ENV: 'production', FAULT_INJECT: 'relay-after-enqueue' })).toThrow(/FAULT_INJECT is for tests only/);
  });
});

describe('language configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lms-cfg-lang-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = (more: Record<string, string>): Record<string, string> => ({ DATA_DIR: dir, ...more });

  it('offers the shipped UI locales by default, a configured subset, and rejects unknown or English-less sets', () => {
    expect(loadConfig(env({})).uiLocales).toEqual(['en', 'sr-Latn', 'sr-Cyrl', 'mk']);
    expect(loadConfig(env({ UI_LOCALES: 'en, SR-latn' })).uiLocales).toEqual(['en', 'sr-Latn']);
    expect(() => loadConfig(env({ UI_LOCALES: 'en,de' }))).toThrow('UI_LOCALES "de" has no interface texts');
    expect(() => loadConfig(env({ UI_LOCALES: 'mk' }))).toThrow('UI_LOCALES must include en');
    expect(loadConfig(env({ LOCALE_FALLBACKS: 'sl=hr,sr-Latn' })).localeFallbacks).toEqual({ sl: ['hr', 'sr-Latn'] });
    expect(() => loadConfig(env({ LOCALE_FALLBACKS: 'sl' }))).toThrow('LOCALE_FALLBACKS');
  });
});
