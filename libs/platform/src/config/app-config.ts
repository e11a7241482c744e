import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseFederatedProviders } from './federation-config.js';
import type { FederatedProviderConfig } from './federation-config.js';
import { parseStorageConfig, type StorageConfig } from './storage-config.js';
import { parseIssuerNames, type IssuerNames } from './issuer-names-config.js';
import { parseFederationPeers, type FederationPeer } from './federation-peers-config.js';
import { canonicalLocale, DEFAULT_UI_LOCALES, isUiLocale, parseFallbackConfig, SHIPPED_UI_LOCALES, type UiLocale } from '@lms/i18n';

/** Thrown when a configuration variable is missing or malformed; the message names it. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    expected: string,
  ) {
    super(`Invalid configuration: ${variable} ${expected}`);
    this.name = 'ConfigError';
  }
}

/** Test-only fault-injection points (FAULT_INJECT), described in faults/fault-injection.ts. */
export const FAULT_POINTS = ['relay-after-enqueue', 'reminder-sweep-after-batch'] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

export type RunMode = 'embedded' | 'production';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * The one validated, typed configuration object. Nothing else in the code base reads
 * `process.env`: inject `AppConfig` instead.
 */
export class AppConfig {
  readonly nodeEnv!: 'development' | 'production' | 'test';
  readonly mode!: RunMode;
  readonly port!: number;
  readonly host!: string;
  readonly dataDir!: string;
  readonly databaseUrl!: string | undefined;
  readonly databasePoolSize!: number;
  /** DATABASE_READ_URL: a read replica for reports and open data (unset: the primary serves them). */
  readonly databaseReadUrl!: string | undefined;
  /** DATABASE_READ_POOL_SIZE: connections to the read replica per process (default DATABASE_POOL_SIZE). */
  readonly databaseReadPoolSize!: number;
  readonly redisUrl!: string | undefined;
  readonly redisPrefix!: string;
  readonly logLevel!: LogLevel;
  readonly publicUrl!: string;
  readonly jwtSecret!: string;
  readonly accessTokenTtlSeconds!: number;
  readonly refreshTokenTtlDays!: number;
  readonly credentialKeySecret!: string;
  readonly adminEmail!: string | undefined;
  readonly adminPassword!: string | undefined;
  readonly corsOrigins!: string[];
  readonly smtpUrl!: string | undefined;
  readonly mailFrom!: string;
  readonly workerConcurrency!: number;
  /** With REDIS_URL: the API process also runs the job workers, relay and schedulers (one-process deployments, tests). */
  readonly jobsInApi!: boolean;
  /**
   * Attempts and exponential-backoff base of named jobs, where configuration may change them:
   * XAPI_FORWARD_ATTEMPTS (default 10) and XAPI_FORWARD_BACKOFF_MS (default 5000) for 'xapi.forward'
   * (deliveries to external LRSs, docs/xapi.md).
   */
  readonly jobPolicyOverrides!: Readonly<Record<string, { attempts?: number; backoffMs?: number } | undefined>>;
  /** Relayed outbox rows older than this many days are deleted by the daily 'jobs.outbox-prune' job. */
  readonly outboxRetentionDays!: number;
  /** Retention per kind of personal data (days), enforced by the daily 'privacy.retention-sweep' job (docs/privacy.md). */
  readonly retention!: {
    /** Audit events older than this are deleted (default 5 years). */
    auditDays: number;
    /** In-app notifications and e-mail records older than this are deleted (default 1 year). */
    notificationDays: number;
    /** Sign-in attempts (e-mail, IP) older than this are deleted (default 30 days). */
    loginAttemptDays: number;
    /** Failed-job records (payloads hold ids, errors may hold text) older than this are deleted (default 90 days). */
    failedJobDays: number;
    /** Disabled accounts unchanged for this long are erased (pseudonymised); 0 = never (default). */
    inactiveAccountDays: number;
  };
  /** Competency gaps: evidence expiring within this many days already counts as a gap (renewal planning). */
  readonly competencyWarnDays!: number;
  readonly importCoursesOnStart!: boolean;
  readonly coursesDir!: string;
  readonly bodyLimitBytes!: number;
  readonly trustProxy!: boolean;
  /** METRICS_TOKEN: bearer token for /metrics and the detailed /health/ready. Unset: /metrics is open in embedded mode, closed in production mode. */
  readonly metricsToken!: string | undefined;
  /** DOCS_ENABLED: serve /docs and /docs-json. Default on in embedded mode and NODE_ENV=development, off otherwise. */
  readonly docsEnabled!: boolean;
  /** AUTH_CACHE_SECONDS: how long a resolved caller (token or session cookie) is reused without a database read; revocations drop it at once (0: off). */
  readonly authCacheSeconds!: number;
  /** SLOW_QUERY_MS: SQL statements slower than this are logged at warn with their duration (0: off). */
  readonly slowQueryMs!: number;
  /** CATALOG_CACHE_SECONDS: how long catalog lists and published course pages are reused in memory (0: off). */
  readonly catalogCacheSeconds!: number;
  /** OIDC_PROVIDERS and SAML_PROVIDERS: identity providers for federated sign-in (docs/sso.md). */
  readonly federatedProviders!: FederatedProviderConfig[];
  /** STORAGE_DRIVER and its variables: where files (imported packages) are kept (storage-config.ts, libs/storage). */
  readonly storage!: StorageConfig;
  /** PACKAGE_MAX_MB: the largest SCORM/cmi5 zip an author may upload (docs/interop.md). */
  readonly packageMaxBytes!: number;
  /** FAULT_INJECT (tests only, refused with NODE_ENV=production): points where the process SIGKILLs itself (faults/fault-injection.ts). */
  readonly faultInject!: readonly FaultPoint[];
  /** INVITATION_TTL_DAYS: how long an invitation link (set your first password) stays valid. */
  readonly invitationTtlDays!: number;
  /** PASSWORD_RESET_TTL_MINUTES: how long a password-reset link stays valid. */
  readonly passwordResetTtlMinutes!: number;
  /** MFA_REQUIRED_ROLES: roles whose holders must use a second factor (TOTP) to sign in; `none` for nobody. */
  readonly mfaRequiredRoles!: Role[];
  /** UI_LOCALES: the interface languages this instance offers (shipped: en, sr-Latn, sr-Cyrl, mk); English is always among them. */
  readonly uiLocales!: UiLocale[];
  /** LOCALE_FALLBACKS: extra fallback chains, `tag=tag,tag;…` (docs/languages.md), before the built-in ones. */
  readonly localeFallbacks!: Record<string, string[]>;
  /** ISSUER_NAMES: a school's name per language on certificates, verification and credentials (issuer-names-config.ts). */
  readonly issuerNames!: IssuerNames;
  /** FEDERATION_PEERS: trusted peer instances, each with a pinned key (federation-peers-config.ts, docs/hub.md). */
  readonly federationPeers!: FederationPeer[];
  /**
   * FEDERATION_ACCEPT_UNBOUND (default false): recognise peer credentials that name no e-mail
   * hash of their holder (issued before holder binding), recorded with holder_verified = false.
   */
  readonly federationAcceptUnbound!: boolean;

  constructor(values: AppConfig) {
    Object.assign(this, values);
    Object.freeze(this);
  }

  get isEmbedded(): boolean {
    return this.mode === 'embedded';
  }
}

type Env = Record<string, string | undefined>;

const MFA_ROLES = ['admin', 'hr', 'author', 'learner'] as const;
type Role = (typeof MFA_ROLES)[number];

/** A comma-separated list of roles, or `none`. */
function roleList(env: Env, name: string, def: Role[]): Role[] {
  const raw = str(env, name);
  if (raw === undefined) return def;
  if (raw.toLowerCase() === 'none') return [];
  const roles = raw.split(',').map((r) => r.trim()).filter(Boolean);
  for (const r of roles) if (!(MFA_ROLES as readonly string[]).includes(r)) throw new ConfigError(name, `must be "none" or a comma-separated list of ${MFA_ROLES.join(', ')} (got "${r}")`);
  return [...new Set(roles)] as Role[];
}

function str(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function int(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = str(env, name);
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${raw}")`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${raw}")`);
  return n;
}

function bool(env: Env, name: string, def: boolean): boolean {
  const raw = str(env, name);
  if (raw === undefined) return def;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `must be true or false (got "${raw}")`);
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = str(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL starting with ${protocols.join(' or ')}`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must be a URL starting with ${protocols.join(' or ')} (got "${parsed.protocol}")`);
  }
  return raw;
}

function secret(env: Env, name: string, stored: string | undefined, mode: RunMode): string {
  const raw = str(env, name);
  if (raw !== undefined) {
    if (raw.length < 32) throw new ConfigError(name, 'must be at least 32 characters long');
    return raw;
  }
  if (mode === 'production') throw new ConfigError(name, 'is required when DATABASE_URL is set (production mode): at least 32 random characters');
  if (!stored) throw new ConfigError(name, 'could not be generated in DATA_DIR');
  return stored;
}

interface StoredSecrets {
  jwtSecret: string;
  credentialKeySecret: string;
}

/** Embedded mode: secrets are generated once and kept in DATA_DIR so a restart keeps sessions valid. */
function uiLocales(env: Env): UiLocale[] {
  const raw = str(env, 'UI_LOCALES');
  if (raw === undefined) return [...DEFAULT_UI_LOCALES];
  const out: UiLocale[] = [];
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const tag = canonicalLocale(part);
    if (!tag || !isUiLocale(tag))
      throw new ConfigError('UI_LOCALES', `"${part}" has no interface texts; the shipped locales are ${SHIPPED_UI_LOCALES.join(', ')}`);
    if (!out.includes(tag)) out.push(tag);
  }
  if (!out.includes('en')) throw new ConfigError('UI_LOCALES', 'must include en (the last fallback of every language)');
  return out;
}

function localeFallbacks(env: Env): Record<string, string[]> {
  try {
    return parseFallbackConfig(str(env, 'LOCALE_FALLBACKS'));
  } catch (e) {
    throw new ConfigError('LOCALE_FALLBACKS', (e as Error).message);
  }
}

function federationPeers(env: Env): FederationPeer[] {
  try {
    return parseFederationPeers(str(env, 'FEDERATION_PEERS'));
  } catch (e) {
    throw new ConfigError('FEDERATION_PEERS', (e as Error).message);
  }
}

function issuerNames(env: Env): IssuerNames {
  try {
    return parseIssuerNames(str(env, 'ISSUER_NAMES'));
  } catch (e) {
    throw new ConfigError('ISSUER_NAMES', (e as Error).message);
  }
}

function embeddedSecrets(dataDir: string): StoredSecrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredSecrets>;
      if (parsed.jwtSecret && parsed.credentialKeySecret) return parsed as StoredSecrets;
    } catch {
      throw new ConfigError('DATA_DIR', `holds an unreadable ${file}; delete it to generate new secrets`);
    }
  }
  const generated: StoredSecrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    credentialKeySecret: randomBytes(48).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(generated, null, 2), { mode: 0o600 });
  return generated;
}

/** Reads and validates the environment once. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env, cwd = process.cwd()): AppConfig {
  const nodeEnvRaw = str(env, 'NODE_ENV') ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    throw new ConfigError('NODE_ENV', `must be development, production or test (got "${nodeEnvRaw}")`);
  }
  const nodeEnv = nodeEnvRaw as AppConfig['nodeEnv'];
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const mode: RunMode = databaseUrl ? 'production' : 'embedded';
  const port = int(env, 'PORT', 3000, 0, 65535);
  const dataDirRaw = str(env, 'DATA_DIR') ?? './.data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);
  const logLevel = (str(env, 'LOG_LEVEL') ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  const publicUrl = (url(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const stored = mode === 'embedded' && (!str(env, 'JWT_SECRET') || !str(env, 'CREDENTIAL_KEY_SECRET')) ? embeddedSecrets(dataDir) : undefined;
  const adminEmail = str(env, 'ADMIN_EMAIL');
  if (adminEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(adminEmail)) throw new ConfigError('ADMIN_EMAIL', 'must be an e-mail address');
  const adminPassword = str(env, 'ADMIN_PASSWORD');
  if (adminPassword !== undefined && adminPassword.length < 12) throw new ConfigError('ADMIN_PASSWORD', 'must be at least 12 characters long');
  const corsOrigins = (str(env, 'CORS_ORIGINS') ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new ConfigError('CORS_ORIGINS', `must be a comma-separated list of origins like https://lms.example.org (got "${origin}")`);
  }
  const databaseReadUrl = url(env, 'DATABASE_READ_URL', ['postgres:', 'postgresql:']);
  if (databaseReadUrl && !databaseUrl) throw new ConfigError('DATABASE_READ_URL', 'needs DATABASE_URL (a read replica of the primary; embedded mode has none)');
  const databasePoolSize = int(env, 'DATABASE_POOL_SIZE', 10, 1, 200);
  const metricsToken = str(env, 'METRICS_TOKEN');
  if (metricsToken !== undefined && !/^[\x21-\x7e]{24,}$/.test(metricsToken))
    throw new ConfigError('METRICS_TOKEN', 'must be at least 24 printable characters without spaces');
  const faultInject = (str(env, 'FAULT_INJECT') ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const point of faultInject) {
    if (!(FAULT_POINTS as readonly string[]).includes(point)) throw new ConfigError('FAULT_INJECT', `must be a comma-separated list of ${FAULT_POINTS.join(', ')} (got "${point}")`);
  }
  if (faultInject.length && nodeEnv === 'production') throw new ConfigError('FAULT_INJECT', 'is for tests only and is refused with NODE_ENV=production');
  return new AppConfig({
    nodeEnv,
    mode,
    port,
    host: str(env, 'HOST') ?? '0.0.0.0',
    dataDir,
    databaseUrl,
    databasePoolSize,
    databaseReadUrl,
    databaseReadPoolSize: int(env, 'DATABASE_READ_POOL_SIZE', databasePoolSize, 1, 200),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    redisPrefix: str(env, 'REDIS_PREFIX') ?? 'lms',
    logLevel,
    publicUrl,
    jwtSecret: secret(env, 'JWT_SECRET', stored?.jwtSecret, mode),
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86_400),
    refreshTokenTtlDays: int(env, 'REFRESH_TOKEN_TTL_DAYS', 30, 1, 365),
    credentialKeySecret: secret(env, 'CREDENTIAL_KEY_SECRET', stored?.credentialKeySecret, mode),
    adminEmail,
    adminPassword,
    corsOrigins,
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: str(env, 'MAIL_FROM') ?? 'Learning <no-reply@localhost>',
    workerConcurrency: int(env, 'WORKER_CONCURRENCY', 5, 1, 100),
    jobsInApi: bool(env, 'JOBS_IN_API', false),
    outboxRetentionDays: int(env, 'OUTBOX_RETENTION_DAYS', 7, 1, 3650),
    jobPolicyOverrides: {
      'xapi.forward': { attempts: int(env, 'XAPI_FORWARD_ATTEMPTS', 10, 1, 25), backoffMs: int(env, 'XAPI_FORWARD_BACKOFF_MS', 5_000, 100, 3_600_000) },
    } as AppConfig['jobPolicyOverrides'],
    retention: {
      auditDays: int(env, 'AUDIT_RETENTION_DAYS', 1825, 30, 36_500),
      notificationDays: int(env, 'NOTIFICATION_RETENTION_DAYS', 365, 7, 36_500),
      loginAttemptDays: int(env, 'LOGIN_ATTEMPT_RETENTION_DAYS', 30, 1, 3650),
      failedJobDays: int(env, 'FAILED_JOB_RETENTION_DAYS', 90, 1, 3650),
      inactiveAccountDays: int(env, 'INACTIVE_ACCOUNT_RETENTION_DAYS', 0, 0, 36_500),
    },
    competencyWarnDays: int(env, 'COMPETENCY_WARN_DAYS', 60, 0, 3650),
    importCoursesOnStart: bool(env, 'IMPORT_COURSES_ON_START', mode === 'embedded'),
    coursesDir: resolve(cwd, str(env, 'COURSES_DIR') ?? 'courses'),
    bodyLimitBytes: 1024 * 1024,
    trustProxy: bool(env, 'TRUST_PROXY', false),
    metricsToken,
    docsEnabled: bool(env, 'DOCS_ENABLED', mode === 'embedded' || nodeEnv === 'development'),
    authCacheSeconds: int(env, 'AUTH_CACHE_SECONDS', 0, 0, 60),
    slowQueryMs: int(env, 'SLOW_QUERY_MS', 500, 0, 600_000),
    catalogCacheSeconds: int(env, 'CATALOG_CACHE_SECONDS', 10, 0, 3600),
    federatedProviders: parseFederatedProviders(env, nodeEnv),
    storage: parseStorageConfig(env, dataDir, cwd),
    packageMaxBytes: int(env, 'PACKAGE_MAX_MB', 200, 1, 2048) * 1024 * 1024,
    faultInject: faultInject as readonly FaultPoint[],
    invitationTtlDays: int(env, 'INVITATION_TTL_DAYS', 7, 1, 90),
    passwordResetTtlMinutes: int(env, 'PASSWORD_RESET_TTL_MINUTES', 30, 5, 24 * 60),
    mfaRequiredRoles: roleList(env, 'MFA_REQUIRED_ROLES', ['admin']),
    uiLocales: uiLocales(env),
    localeFallbacks: localeFallbacks(env),
    issuerNames: issuerNames(env),
    federationPeers: federationPeers(env),
    federationAcceptUnbound: bool(env, 'FEDERATION_ACCEPT_UNBOUND', false),
  } as AppConfig);
}

/**
 * For process entry points: the validated config, or one line naming the bad variable on stderr
 * and exit code 1. Other errors propagate.
 */
export function loadConfigOrExit(env: Env): AppConfig {
  try {
    return loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}
