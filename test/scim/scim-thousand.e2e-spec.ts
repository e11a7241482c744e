import type { OrgUnit, User } from '@lms/identity';
import { IssueCertificateHandler } from '@lms/credentials';
import { ReminderSweep } from '@lms/notifications';
import { anOrgUnit, aUser, drainJobs, startApi, tokenFor, type TestApi } from '@lms/testing';
import { aCompletedEnrolment } from '../credentials/support.js';
import { aCourse, localInstant, setClock, type TestCourse } from '../notifications/notifications-fixtures.js';
import { aScimClient, entraUser, patchOp, SCIM_ENTERPRISE } from './scim-support.js';

const PEOPLE = 1000;
/** Requests in flight at once (SCIM has no bulk endpoint here: a client sends many requests in parallel). */
const IN_FLIGHT = 8;

async function inParallel<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

/**
 * A provisioning client creates 1,000 people, moves some (a department change moves them to another
 * unit, which re-applies standing assignments through `user.placed`) and deactivates some: the
 * leavers' reminders stop, their certificates still verify; a returning person's reminders resume.
 */
describe('SCIM: 1,000 people created, moved and deactivated', () => {
  let api: TestApi;
  let inst: OrgUnit;
  let d1: OrgUnit;
  let d2: OrgUnit;
  let admin: User;
  let courseA: TestCourse;
  let courseB: TestCourse;
  let client: { id: string; token: string };
  const ids: string[] = [];

  const scim = (method: 'post' | 'patch' | 'delete', url: string, body?: unknown) => {
    const r = api.http[method](url).set('authorization', `Bearer ${client.token}`);
    return body === undefined ? r : r.set('content-type', 'application/scim+json').send(JSON.stringify(body));
  };
  const enrolled = async (course: TestCourse, userIds: string[]): Promise<number> =>
    (
      await api.dataSource.query(`SELECT count(*)::int AS n FROM enrolment WHERE course_id = $1 AND user_id = ANY($2::uuid[])`, [
        course.courseId,
        userIds,
      ])
    )[0].n;

  beforeAll(async () => {
    api = await startApi();
    const ds = api.dataSource;
    inst = await anOrgUnit(ds, { code: 'BIG', name: 'Big institution' });
    d1 = await anOrgUnit(ds, { parent: inst, code: 'BIG-D1', name: 'Department one' });
    d2 = await anOrgUnit(ds, { parent: inst, code: 'BIG-D2', name: 'Department two' });
    admin = await aUser(ds, { orgUnit: inst, roles: [{ role: 'admin' }] });
    courseA = await aCourse(ds);
    courseB = await aCourse(ds);
    const adminToken = await tokenFor(api.config, admin);
    // standing assignments: course A for department two, course B for department one
    await api.http
      .post('/api/v1/assignments')
      .set('authorization', `Bearer ${adminToken}`)
      .send({ courseSlug: courseA.slug, target: { orgUnitId: d2.id }, dueInDays: 30 })
      .expect(201);
    await api.http
      .post('/api/v1/assignments')
      .set('authorization', `Bearer ${adminToken}`)
      .send({ courseSlug: courseB.slug, target: { orgUnitId: d1.id }, dueInDays: 30 })
      .expect(201);
    client = await aScimClient(api, admin, inst, { departmentMatch: 'name' });
  });

  afterAll(async () => {
    await api.close();
  });

  it(`creates ${PEOPLE} people (${IN_FLIGHT} requests in flight); standing assignments follow their departments`, async () => {
    const started = Date.now();
    const people = Array.from({ length: PEOPLE }, (_, i) => i);
    await inParallel(people, IN_FLIGHT, async (i) => {
      const res = await scim(
        'post',
        '/scim/v2/Users',
        entraUser({
          email: `person-${i}@big.gov.rs`,
          externalId: `aad-${i}`,
          displayName: `Person Number ${i}`,
          department: i % 2 === 0 ? 'Department one' : 'department TWO',
          employeeNumber: String(10_000 + i),
        }),
      );
      if (res.status !== 201) throw new Error(`person ${i}: ${res.status} ${JSON.stringify(res.body)}`);
      ids[i] = res.body.id;
    });
    const createdMs = Date.now() - started;
    await drainJobs(api, 120_000);
    const drainedMs = Date.now() - started;
    console.log(
      `SCIM: ${PEOPLE} people created in ${createdMs} ms (${Math.round((PEOPLE * 1000) / createdMs)}/s); standing assignments applied after ${drainedMs} ms`,
    );
    const even = ids.filter((_, i) => i % 2 === 0);
    const odd = ids.filter((_, i) => i % 2 === 1);
    await expect(enrolled(courseB, even)).resolves.toBe(PEOPLE / 2);
    await expect(enrolled(courseA, odd)).resolves.toBe(PEOPLE / 2);
    await expect(enrolled(courseA, even)).resolves.toBe(0);
    const [audit] = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE actor_id = $1 AND action = 'user.created'`,
      [client.id],
    );
    expect(audit.n).toBe(PEOPLE);
  }, 300_000);

  it('moves 100 people by department: they are placed again and get department two’s standing assignment', async () => {
    const movers = ids.filter((_, i) => i % 2 === 0).slice(0, 100);
    const started = Date.now();
    await inParallel(movers, IN_FLIGHT, async (id) => {
      await scim(
        'patch',
        `/scim/v2/Users/${id}`,
        patchOp({ op: 'Replace', path: `${SCIM_ENTERPRISE}:department`, value: 'Department two' }),
      ).expect(200);
    });
    await drainJobs(api, 60_000);
    console.log(`SCIM: 100 moves applied (with standing assignments) in ${Date.now() - started} ms`);
    const [units] = await api.dataSource.query(`SELECT count(*)::int AS n FROM app_user WHERE id = ANY($1::uuid[]) AND org_unit_id = $2`, [
      movers,
      d2.id,
    ]);
    expect(units.n).toBe(100);
    await expect(enrolled(courseA, movers)).resolves.toBe(100);
    // their earlier enrolment stays (a move does not withdraw training already under way)
    await expect(enrolled(courseB, movers)).resolves.toBe(100);
  }, 120_000);

  it('deactivates 100 people: their reminders stop, their enrolments and certificates stay and verify; reactivating resumes reminders', async () => {
    const ds = api.dataSource;
    const leavers = ids.filter((_, i) => i % 2 === 1).slice(0, 100); // department two, enrolled in course A
    const stayers = ids.filter((_, i) => i % 2 === 1).slice(100);
    // ten leavers hold a certificate
    const holders = leavers.slice(0, 10);
    const codes: string[] = [];
    for (const id of holders) {
      const built = await aCompletedEnrolment(ds, { user: { id } as User });
      await api.app.get(IssueCertificateHandler).handle({ enrolmentId: built.enrolmentId }, { id: `cert-${id}`, attempt: 1 });
      const [c] = await ds.query(`SELECT verification_code FROM certificate WHERE enrolment_id = $1`, [built.enrolmentId]);
      codes.push(c.verification_code);
    }
    await inParallel(leavers, IN_FLIGHT, async (id, i) => {
      if (i % 2 === 0) await scim('patch', `/scim/v2/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' })).expect(200);
      else await scim('delete', `/scim/v2/Users/${id}`).expect(204);
    });
    const [disabled] = await ds.query(`SELECT count(*)::int AS n FROM app_user WHERE id = ANY($1::uuid[]) AND status = 'disabled'`, [
      leavers,
    ]);
    expect(disabled.n).toBe(100);
    // open enrolments are kept
    await expect(enrolled(courseA, leavers)).resolves.toBe(100);

    // course A is due in three days for everyone: the sweep (as the notification tests run it) reminds only active people
    const day = new Date().toISOString().slice(0, 10);
    const now = setClock(api, localInstant(day, 'UTC'));
    await ds.query(`UPDATE enrolment SET due_at = $2::timestamptz + interval '3 days' WHERE course_id = $1`, [
      courseA.courseId,
      now.toISOString(),
    ]);
    await api.app.get(ReminderSweep).run(now);
    const reminded = async (userIds: string[]): Promise<number> =>
      (
        await ds.query(`SELECT count(DISTINCT r.recipient_id)::int AS n FROM reminder r WHERE r.recipient_id = ANY($1::uuid[])`, [userIds])
      )[0].n;
    await expect(reminded(leavers)).resolves.toBe(0);
    await expect(reminded(stayers)).resolves.toBe(stayers.length + 100 - 100); // every active holder of course A (movers included below)
    const movers = ids.filter((_, i) => i % 2 === 0).slice(0, 100);
    await expect(reminded(movers)).resolves.toBe(100);

    // overdue counts of the assignment leave the leavers out
    await ds.query(`UPDATE enrolment SET due_at = now() - interval '1 day' WHERE course_id = $1`, [courseA.courseId]);
    const [assignment] = await ds.query(`SELECT id FROM assignment WHERE course_id = $1`, [courseA.courseId]);
    const counts = await api.http
      .get(`/api/v1/assignments/${assignment.id}`)
      .set('authorization', `Bearer ${await tokenFor(api.config, admin)}`)
      .expect(200);
    expect(counts.body.counts).toMatchObject({ assigned: 600, overdue: 500 });
    await ds.query(`UPDATE enrolment SET due_at = $2::timestamptz + interval '3 days' WHERE course_id = $1`, [
      courseA.courseId,
      now.toISOString(),
    ]);

    // certificates of leavers still verify
    for (const code of codes) {
      const res = await api.http.get(`/api/v1/verify/${code}`).expect(200);
      expect(res.body.status).toBe('valid');
    }

    // ten come back: two days later (due in one day) they are reminded again
    const returning = leavers.slice(0, 10);
    await inParallel(returning, IN_FLIGHT, async (id) => {
      await scim('patch', `/scim/v2/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'True' })).expect(200);
    });
    const later = setClock(api, new Date(now.getTime() + 2 * 86_400_000));
    await api.app.get(ReminderSweep).run(later);
    await expect(reminded(returning)).resolves.toBe(10);
    await expect(reminded(leavers.slice(10))).resolves.toBe(0);
  }, 180_000);
});
