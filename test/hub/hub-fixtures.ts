import { OrgUnit, type User } from '@lms/identity';
import { aUser, anOrgUnit, TestApi, tokenFor, uniq } from '@lms/testing';
import { aPublishedCourse, BuiltCourse } from '../support/learning-builders.js';

export const INSTITUTIONS = '/api/v1/institutions';

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

/** One institution of the hub with a person of each kind and a published course. */
export interface HubInstitution {
  id: string;
  code: string;
  country: string;
  root: OrgUnit;
  dept: OrgUnit;
  school: OrgUnit;
  /** "Institution admin": HR and author over the institution's root (its whole tree). */
  instAdmin: User;
  author: User;
  learner: User;
  course: BuiltCourse;
  enrolment: string;
  token: { instAdmin: string; author: string; learner: string };
}

export interface Hub {
  admin: User;
  adminToken: string;
  /** Two in Serbia, one in Montenegro. */
  rsA: HubInstitution;
  rsB: HubInstitution;
  meC: HubInstitution;
  all: HubInstitution[];
}

async function anInstitution(api: TestApi, adminToken: string, country: string, name: string): Promise<HubInstitution> {
  const ds = api.dataSource;
  const code = uniq(`I${country}`).toUpperCase();
  const created = await api.http
    .post(INSTITUTIONS)
    .set(bearer(adminToken))
    .send({ code, country, names: { en: name, 'sr-Latn': `${name} (sr)` }, issuerName: `${name} — certificates` })
    .expect(201);
  const root = await ds.getRepository(OrgUnit).findOneByOrFail({ id: created.body.rootOrgUnitId });
  const dept = await anOrgUnit(ds, { parent: root, name: `${name} department` });
  const school = await anOrgUnit(ds, { parent: root, kind: 'school', code: uniq(`S${country}`).toUpperCase(), name: `${name} school` });
  const instAdmin = await aUser(ds, { orgUnit: root, displayName: `${name} admin`, roles: [{ role: 'hr', scope: root }, { role: 'author', scope: root }, { role: 'learner', scope: null }] });
  const author = await aUser(ds, { orgUnit: school, displayName: `${name} author`, roles: [{ role: 'author', scope: school }, { role: 'learner', scope: null }] });
  const learner = await aUser(ds, { orgUnit: dept, displayName: `${name} learner`, roles: [{ role: 'learner', scope: null }] });
  const course = await aPublishedCourse(ds, { school });
  const [enrolment] = (await ds.query(
    `INSERT INTO enrolment (user_id, course_id, course_version_id, status, source, progress, started_at) VALUES ($1, $2, $3, 'in_progress', 'self', 0, now()) RETURNING id`,
    [learner.id, course.courseId, course.versionId],
  )) as Array<{ id: string }>;
  return {
    id: created.body.id,
    code,
    country,
    root,
    dept,
    school,
    instAdmin,
    author,
    learner,
    course,
    enrolment: enrolment.id,
    token: { instAdmin: await tokenFor(api.config, instAdmin), author: await tokenFor(api.config, author), learner: await tokenFor(api.config, learner) },
  };
}

export async function seedHub(api: TestApi): Promise<Hub> {
  const rootUnit = await api.dataSource.getRepository(OrgUnit).findOneByOrFail({ code: 'ROOT' });
  const admin = await aUser(api.dataSource, { orgUnit: rootUnit, roles: [{ role: 'admin' }, { role: 'learner', scope: null }] });
  const adminToken = await tokenFor(api.config, admin);
  const rsA = await anInstitution(api, adminToken, 'RS', 'National Academy');
  const rsB = await anInstitution(api, adminToken, 'RS', 'Ministry of Finance');
  const meC = await anInstitution(api, adminToken, 'ME', 'Human Resources Administration');
  return { admin, adminToken, rsA, rsB, meC, all: [rsA, rsB, meC] };
}
