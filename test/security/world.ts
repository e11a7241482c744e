import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { DataSource } from 'typeorm';
import { IssueCertificateHandler } from '@lms/credentials';
import type { OrgUnit, User } from '@lms/identity';
import { anOrgUnit, aUser, TestApi, uniq } from '@lms/testing';
import { aPublishedCourse, BuiltCourse } from '../support/learning-builders.js';
import { importDacps } from '../competency/competency-fixtures.js';

/**
 * One seeded world for the access matrix and the fuzzer: two institutions, two schools, and one
 * person per kind of caller, each with objects of their own (an enrolment in progress, a completed
 * enrolment with its certificate, a notification, a failed e-mail), plus `peer`, the "another
 * person" whose objects every caller tries to reach: a learner in unit A (in hrIn's scope, a
 * direct report of `manager`, nobody else's business).
 */
export const CALLERS = ['anon', 'learner', 'author', 'authorOther', 'hrIn', 'hrOut', 'manager', 'admin'] as const;
export type Caller = (typeof CALLERS)[number];
export type Person = Exclude<Caller, 'anon'> | 'peer';

/** Every caller's password (set-up only; the matrix signs in with it on the login routes). */
export const WORLD_PASSWORD = 'matrix-horse-battery-staple-7';

export interface OwnedObjects {
  user: User;
  /** In course `course` (school A), in progress, lesson l1 not done. */
  enrolment: string;
  /** Completed, in course `certCourse`, with an issued certificate. */
  completedEnrolment: string;
  certificate: string;
  verificationCode: string;
  notification: string;
  failedEmail: string;
}

export interface World {
  api: TestApi;
  instA: OrgUnit;
  unitA: OrgUnit;
  instB: OrgUnit;
  unitB: OrgUnit;
  schoolA: OrgUnit;
  schoolB: OrgUnit;
  /** Published, owned by schoolA (author's school), with lessons l1–l3 and a two-question quiz. */
  course: BuiltCourse;
  /** Published, owned by schoolB. */
  courseB: BuiltCourse;
  certCourse: BuiltCourse;
  jobRole: string;
  /** An assignment of `course` to peer, made by admin. */
  assignment: string;
  /** A workshop owned by unit A (organised by hrIn and admin), one session and MATRIX_QUESTIONNAIRE, made by admin; only peer registered. */
  event: string;
  /** Peer's registration for `event` (booked by admin). */
  registration: string;
  people: Record<Person, OwnedObjects>;
  tokens: Record<Exclude<Caller, 'anon'>, string>;
  /** A fresh access token (its own session id) for routes that end the caller's session. */
  freshToken(who: Exclude<Caller, 'anon'>): Promise<string>;
  /** A new completed enrolment of `who` with its certificate (for revocation). */
  newCertificate(who: Person): Promise<string>;
  /** A new enrolment of `who` in a new course of schoolA (for withdrawal). */
  newEnrolment(who: Person): Promise<string>;
  /** A new course of `school` with a draft version 1 (for draft editing and publishing). */
  newDraftCourse(school: OrgUnit): Promise<string>;
  isRead(notificationId: string): Promise<boolean>;
  /** A new learner of unit A (reports to manager), for routes that destroy a person (erasure). */
  newPerson(): Promise<User>;
}

/** The questionnaire of the world's event (the matrix defines it again, unchanged). */
export const MATRIX_QUESTIONNAIRE = { anonymous: true, questions: [{ id: 'q1', type: 'scale', text: { en: 'How useful?' }, max: 5 }] };

export async function accessToken(api: TestApi, userId: string): Promise<string> {
  return new SignJWT({ typ: 'access', sid: randomUUID() })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuer('lms')
    .setAudience('lms-api')
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + 3600)
    .sign(new TextEncoder().encode(api.config.jwtSecret));
}

async function enrol(ds: DataSource, userId: string, course: BuiltCourse, status: 'in_progress' | 'completed'): Promise<string> {
  const [row] = (await ds.query(
    `INSERT INTO enrolment (user_id, course_id, course_version_id, status, source, progress, started_at, completed_at)
     VALUES ($1, $2, $3, $4, 'self', $5, now(), $6) RETURNING id`,
    [userId, course.courseId, course.versionId, status, status === 'completed' ? 100 : 0, status === 'completed' ? new Date() : null],
  )) as Array<{ id: string }>;
  return row.id;
}

export async function seedWorld(api: TestApi): Promise<World> {
  const ds = api.dataSource;
  await importDacps(api);
  const instA = await anOrgUnit(ds, { code: uniq('INSTA').toUpperCase(), name: 'Ministry A' });
  const unitA = await anOrgUnit(ds, { parent: instA, name: 'Department A' });
  const instB = await anOrgUnit(ds, { name: 'Ministry B' });
  const unitB = await anOrgUnit(ds, { parent: instB, name: 'Department B' });
  const schoolA = await anOrgUnit(ds, { kind: 'school', code: uniq('SCHA').toUpperCase(), name: 'School A' });
  const schoolB = await anOrgUnit(ds, { kind: 'school', code: uniq('SCHB').toUpperCase(), name: 'School B' });
  const jobRole = uniq('ROLE').toUpperCase();
  await ds.query(`INSERT INTO job_role (code, title) VALUES ($1, $2)`, [jobRole, 'Analyst']);
  await ds.query(
    `INSERT INTO job_role_requirement (job_role_code, framework_key, competency_code, level) VALUES ($1, 'dacps', 'DAT.2', 2)`,
    [jobRole],
  );

  const manager = await aUser(ds, { orgUnit: unitA, displayName: 'Mara Managerova', password: WORLD_PASSWORD });
  const specs: Record<Exclude<Person, 'manager'>, Parameters<typeof aUser>[1]> = {
    learner: { orgUnit: unitA, displayName: 'Lena Learnerova', manager, jobRoleCode: jobRole },
    peer: { orgUnit: unitA, displayName: 'Petra Peerson', manager, jobRoleCode: jobRole, email: `${uniq('petra.peerson')}@peer.test` },
    author: { orgUnit: schoolA, displayName: 'Ana Authorova', roles: [{ role: 'author', scope: schoolA }] },
    authorOther: { orgUnit: schoolB, displayName: 'Oto Otherauthor', roles: [{ role: 'author', scope: schoolB }] },
    hrIn: { orgUnit: instA, displayName: 'Hana Inscope', roles: [{ role: 'hr', scope: instA }] },
    hrOut: { orgUnit: instB, displayName: 'Hugo Outscope', roles: [{ role: 'hr', scope: instB }] },
    admin: { orgUnit: instA, displayName: 'Ada Adminova', roles: [{ role: 'admin' }] },
  };
  const users = { manager } as Record<Person, User>;
  for (const [who, spec] of Object.entries(specs) as Array<[Exclude<Person, 'manager'>, Parameters<typeof aUser>[1]]>) {
    users[who] = await aUser(ds, { ...spec, password: WORLD_PASSWORD });
  }

  const course = await aPublishedCourse(ds, { school: schoolA });
  const courseB = await aPublishedCourse(ds, { school: schoolB });
  const certCourse = await aPublishedCourse(ds, { school: schoolA, quiz: null });
  const issuer = api.app.get(IssueCertificateHandler, { strict: false });
  let jobNo = 0;
  const certify = async (enrolmentId: string): Promise<{ id: string; code: string }> => {
    await issuer.handle({ enrolmentId }, { id: `matrix-${++jobNo}`, attempt: 1 });
    const [c] = (await ds.query(`SELECT id, verification_code FROM certificate WHERE enrolment_id = $1`, [enrolmentId])) as Array<{
      id: string;
      verification_code: string;
    }>;
    return { id: c.id, code: c.verification_code };
  };

  const people = {} as Record<Person, OwnedObjects>;
  for (const [who, user] of Object.entries(users) as Array<[Person, User]>) {
    const enrolment = await enrol(ds, user.id, course, 'in_progress');
    const completedEnrolment = await enrol(ds, user.id, certCourse, 'completed');
    const cert = await certify(completedEnrolment);
    const [n] = (await ds.query(
      `INSERT INTO notification (user_id, type, dedupe_key, locale, title, body, link, data)
       VALUES ($1, 'assigned', $2, 'en', 'A course for you', 'Body', 'http://lms.test/courses/x', '{}') RETURNING id`,
      [user.id, uniq('matrix')],
    )) as Array<{ id: string }>;
    const [m] = (await ds.query(
      `INSERT INTO email_message (user_id, to_address, dedupe_key, locale, subject, text_body, html_body, state, attempts, last_attempt_at)
       VALUES ($1, $2, $3, 'en', 'Subject', 'Text', '<p>Html</p>', 'failed', 5, now()) RETURNING id`,
      [user.id, user.email, uniq('matrix')],
    )) as Array<{ id: string }>;
    people[who] = {
      user,
      enrolment,
      completedEnrolment,
      certificate: cert.id,
      verificationCode: cert.code,
      notification: n.id,
      failedEmail: m.id,
    };
  }

  const tokens = {} as World['tokens'];
  for (const who of CALLERS) if (who !== 'anon') tokens[who] = await accessToken(api, users[who].id);

  const made = await api.http
    .post('/api/v1/assignments')
    .set('authorization', `Bearer ${tokens.admin}`)
    .send({ courseSlug: courseB.slug, target: { userIds: [people.peer.user.id] }, dueInDays: 30 })
    .expect(201);

  const soon = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();
  const workshop = await api.http
    .post('/api/v1/events')
    .set('authorization', `Bearer ${tokens.admin}`)
    .send({
      title: 'Matrix workshop',
      capacity: 20,
      ownerOrgUnitId: unitA.id,
      sessions: [{ startsAt: soon(30), endsAt: soon(30.1), timeZone: 'Europe/Belgrade', venueAddress: 'Matrix hall 1' }],
    })
    .expect(201);
  const eventId = (workshop.body as { id: string }).id;
  await api.http
    .put(`/api/v1/events/${eventId}/questionnaire`)
    .set('authorization', `Bearer ${tokens.admin}`)
    .send(MATRIX_QUESTIONNAIRE)
    .expect(200);
  const booked = await api.http
    .post(`/api/v1/events/${eventId}/registrations`)
    .set('authorization', `Bearer ${tokens.admin}`)
    .send({ userId: people.peer.user.id })
    .expect(201);

  return {
    api,
    event: eventId,
    registration: (booked.body as { id: string }).id,
    assignment: (made.body as { id: string }).id,
    instA,
    unitA,
    instB,
    unitB,
    schoolA,
    schoolB,
    course,
    courseB,
    certCourse,
    jobRole,
    people,
    tokens,
    freshToken: (who) => accessToken(api, users[who].id),
    async newCertificate(who) {
      const c = await aPublishedCourse(ds, { school: schoolA, quiz: null });
      return (await certify(await enrol(ds, users[who].id, c, 'completed'))).id;
    },
    async newEnrolment(who) {
      return enrol(ds, users[who].id, await aPublishedCourse(ds, { school: schoolA }), 'in_progress');
    },
    newPerson: () => aUser(ds, { orgUnit: unitA, displayName: 'Nova Newcomer', manager }),
    async isRead(id) {
      const [n] = (await ds.query(`SELECT read_at FROM notification WHERE id = $1`, [id])) as Array<{ read_at: Date | null }>;
      return n.read_at !== null;
    },
    async newDraftCourse(school) {
      const slug = uniq('draft').toLowerCase();
      const [c] = (await ds.query(`INSERT INTO course (slug, school_org_unit_id) VALUES ($1, $2) RETURNING id`, [
        slug,
        school.id,
      ])) as Array<{ id: string }>;
      await ds.query(
        `INSERT INTO course_version (course_id, version, status, content_hash, default_language, languages, title, summary, audience, level,
                                     estimated_minutes, framework_key, competencies, aligned_with, completion, certificate_validity_months)
         VALUES ($1, 1, 'draft', $2, 'en', '{en}', '{"en":"Draft"}', '{"en":"A draft"}', 'all-staff', 'foundation', 30, 'dacps', '[]', '[]', '{}', 12)`,
        [c.id, uniq('hash')],
      );
      await ds.query(
        `INSERT INTO lesson (course_version_id, slug, position, required, minutes, title, body)
         SELECT id, 'only', 1, true, 10, '{"en":"Only"}', '{"en":"Body"}' FROM course_version WHERE course_id = $1`,
        [c.id],
      );
      return slug;
    },
  };
}

/** A course package (the shape of `courses/<slug>/`) owned by `schoolCode`. */
export function aCoursePackage(slug: string, schoolCode: string): Record<string, unknown> {
  return {
    course: {
      slug,
      school: schoolCode,
      defaultLanguage: 'en',
      languages: ['en'],
      title: { en: 'Matrix course' },
      summary: { en: 'A course of the access matrix.' },
      audience: 'all-staff',
      level: 'foundation',
      estimatedMinutes: 10,
      framework: 'dacps',
      competencies: [{ code: 'DAT.2', level: 1 }],
      alignedWith: [],
      completion: {},
      certificate: { validityMonths: 12 },
    },
    lessons: [{ slug: 'one', title: { en: 'One' }, minutes: 10, body: { en: '## One' } }],
  };
}
