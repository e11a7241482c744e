import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { SignJWT } from 'jose';
import { DataSource } from 'typeorm';
import type { Role } from '@lms/platform';
import { AppConfig } from '@lms/platform';
import { Locale, OrgUnit, OrgUnitKind, User } from '@lms/identity';

/**
 * Small builders for test data, written straight to the database (set-up, not the thing under
 * test). HTTP tests then act through the API with `tokenFor(...)` or a real login.
 */
export function uniq(prefix = 'x'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export async function anOrgUnit(
  ds: DataSource,
  opts: { parent?: OrgUnit | null; code?: string; name?: string; kind?: OrgUnitKind } = {},
): Promise<OrgUnit> {
  const code = opts.code ?? uniq('UNIT').toUpperCase();
  const [row] = (await ds.query(
    `INSERT INTO org_unit (code, name, kind, parent_id, path, depth)
     VALUES ($1, $2, $3, $4, '', $5) RETURNING id`,
    [code, opts.name ?? `Unit ${code}`, opts.kind ?? (opts.parent ? 'department' : 'institution'), opts.parent?.id ?? null, opts.parent ? opts.parent.depth + 1 : 0],
  )) as Array<{ id: string }>;
  const path = `${opts.parent?.path ?? '/'}${row.id}/`;
  await ds.query(`UPDATE org_unit SET path = $2 WHERE id = $1`, [row.id, path]);
  return ds.getRepository(OrgUnit).findOneByOrFail({ id: row.id });
}

export interface UserSpec {
  orgUnit: OrgUnit;
  email?: string;
  displayName?: string;
  password?: string;
  roles?: Array<{ role: Role; scope?: OrgUnit | null }>;
  jobRoleCode?: string | null;
  manager?: User | null;
  locale?: Locale;
  timeZone?: string;
  gender?: User['gender'];
  locality?: User['locality'];
}

const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export async function aUser(ds: DataSource, spec: UserSpec): Promise<User> {
  const email = (spec.email ?? `${uniq('user')}@test.lms`).toLowerCase();
  const passwordHash = spec.password ? await argon2.hash(spec.password, HASH_OPTIONS) : null;
  const [row] = (await ds.query(
    `INSERT INTO app_user (email, display_name, password_hash, org_unit_id, job_role_code, manager_id, locale, time_zone, gender, locality)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      email,
      spec.displayName ?? `Person ${email.split('@')[0]}`,
      passwordHash,
      spec.orgUnit.id,
      spec.jobRoleCode ?? null,
      spec.manager?.id ?? null,
      spec.locale ?? 'en',
      spec.timeZone ?? 'UTC',
      spec.gender ?? null,
      spec.locality ?? null,
    ],
  )) as Array<{ id: string }>;
  for (const grant of spec.roles ?? []) {
    await ds.query(`INSERT INTO role_grant (user_id, role, scope_org_unit_id) VALUES ($1, $2, $3)`, [
      row.id,
      grant.role,
      grant.scope === undefined ? (grant.role === 'admin' ? null : spec.orgUnit.id) : (grant.scope?.id ?? null),
    ]);
  }
  return ds.getRepository(User).findOneByOrFail({ id: row.id });
}

/**
 * An access token as the login endpoint issues it. The contract (identity implements it):
 * HS256 signed with JWT_SECRET, issuer "lms", audience "lms-api", claims { sub: userId, sid, typ: "access" }.
 * The guard loads the user's status and grants from the database on each request.
 */
export async function tokenFor(config: AppConfig, user: { id: string }, ttlSeconds = 900): Promise<string> {
  return new SignJWT({ typ: 'access', sid: uniq('sid') })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user.id)
    .setIssuer('lms')
    .setAudience('lms-api')
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(config.jwtSecret));
}
