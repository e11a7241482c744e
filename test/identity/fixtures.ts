import { DataSource } from 'typeorm';
import { OrgUnit, User } from '@lms/identity';
import { anOrgUnit, aUser, TestApi, tokenFor } from '@lms/testing';

export const PASSWORD = 'tiha-reka-nosi-7-oblaka';

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

export async function rootUnit(ds: DataSource): Promise<OrgUnit> {
  return ds.getRepository(OrgUnit).findOneByOrFail({ code: 'ROOT' });
}

/**
 * ROOT ─┬─ A ── A1
 *       └─ B
 * admin; hrA (hr over A); hrB (hr over B); learnerA (in A), learnerA1 (in A1), learnerB (in B).
 */
export interface OrgFixture {
  root: OrgUnit;
  a: OrgUnit;
  a1: OrgUnit;
  b: OrgUnit;
  admin: User;
  hrA: User;
  hrB: User;
  learnerA: User;
  learnerA1: User;
  learnerB: User;
  token: { admin: string; hrA: string; hrB: string; learnerA: string; learnerA1: string; learnerB: string };
}

export async function orgFixture(api: TestApi): Promise<OrgFixture> {
  const ds = api.dataSource;
  const root = await rootUnit(ds);
  const a = await anOrgUnit(ds, { parent: root });
  const a1 = await anOrgUnit(ds, { parent: a });
  const b = await anOrgUnit(ds, { parent: root });
  const admin = await aUser(ds, { orgUnit: root, roles: [{ role: 'admin' }, { role: 'learner', scope: null }], password: PASSWORD });
  const hrA = await aUser(ds, {
    orgUnit: a,
    roles: [
      { role: 'hr', scope: a },
      { role: 'learner', scope: null },
    ],
    password: PASSWORD,
  });
  const hrB = await aUser(ds, {
    orgUnit: b,
    roles: [
      { role: 'hr', scope: b },
      { role: 'learner', scope: null },
    ],
    password: PASSWORD,
  });
  const learnerA = await aUser(ds, { orgUnit: a, roles: [{ role: 'learner', scope: null }], password: PASSWORD });
  const learnerA1 = await aUser(ds, { orgUnit: a1, roles: [{ role: 'learner', scope: null }], password: PASSWORD });
  const learnerB = await aUser(ds, { orgUnit: b, roles: [{ role: 'learner', scope: null }], password: PASSWORD });
  const token = {
    admin: await tokenFor(api.config, admin),
    hrA: await tokenFor(api.config, hrA),
    hrB: await tokenFor(api.config, hrB),
    learnerA: await tokenFor(api.config, learnerA),
    learnerA1: await tokenFor(api.config, learnerA1),
    learnerB: await tokenFor(api.config, learnerB),
  };
  return { root, a, a1, b, admin, hrA, hrB, learnerA, learnerA1, learnerB, token };
}

/** Secrets that must never appear in a response body. */
export function assertNoSecrets(body: unknown, extra: string[] = []): void {
  const text = JSON.stringify(body ?? null);
  expect(text).not.toMatch(/passwordHash|password_hash|\$argon2/i);
  for (const s of extra) expect(text).not.toContain(s);
}
