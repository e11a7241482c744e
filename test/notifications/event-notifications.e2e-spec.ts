import { randomUUID } from 'node:crypto';
import type { OrgUnit } from '@lms/identity';
import { type EventName, type EventPayloads, Outbox } from '@lms/jobs';
import { EnrolmentCompletedHandler, ReminderSweep } from '@lms/notifications';
import { anOrgUnit, aUser, drainJobs, startApi, type TestApi, tokenFor } from '@lms/testing';
import { aCertificate, aCourse, anEnrolment, emailsOf, notificationsOf, setClock, type TestCourse } from './notifications-fixtures.js';

/** Notifications caused by other domains' events, through the outbox and the job queue. */
describe('Event notifications (outbox → job → notification)', () => {
  let api: TestApi;
  let unit: OrgUnit;
  let course: TestCourse;

  async function emit<E extends EventName>(name: E, payload: EventPayloads[E]): Promise<void> {
    const outbox = api.app.get(Outbox);
    await api.dataSource.transaction((m) => outbox.add(m, name, payload));
  }

  async function prefer(userId: string, email: boolean, digest: 'daily' | 'immediate'): Promise<void> {
    await api.http
      .put('/api/v1/me/notification-preferences')
      .set('Authorization', `Bearer ${await tokenFor(api.config, { id: userId })}`)
      .send({ email, digest })
      .expect(200);
  }

  beforeAll(async () => {
    api = await startApi();
    unit = await anOrgUnit(api.dataSource);
    course = await aCourse(api.dataSource);
  });

  afterAll(async () => {
    await api.close();
  });

  it('assigned: one notification per person of the assignment, in their language, e-mailed per their preference, never twice', async () => {
    const ds = api.dataSource;
    setClock(api, '2026-03-02T10:00:00Z');
    const assignmentId = randomUUID();
    const daily = await aUser(ds, { orgUnit: unit, locale: 'sr-Latn', timeZone: 'Europe/Belgrade' });
    const immediate = await aUser(ds, { orgUnit: unit, locale: 'sr-Cyrl' });
    const noEmail = await aUser(ds, { orgUnit: unit });
    const done = await aUser(ds, { orgUnit: unit });
    await prefer(immediate.id, true, 'immediate');
    await prefer(noEmail.id, false, 'immediate');
    const enrolments = [];
    for (const u of [daily, immediate, noEmail]) enrolments.push(await anEnrolment(ds, u, course, { dueAt: '2026-04-01T10:00:00Z', assignmentId }));
    await anEnrolment(ds, done, course, { dueAt: '2026-04-01T10:00:00Z', assignmentId, status: 'completed' });
    await anEnrolment(ds, done, await aCourse(ds), { dueAt: '2026-04-01T10:00:00Z', assignmentId: randomUUID() });

    await emit('assignment.created', { assignmentId });
    await drainJobs(api);
    await emit('assignment.created', { assignmentId }); // delivered twice: nothing new
    await drainJobs(api);

    const [d] = await notificationsOf(ds, daily.id);
    expect(d).toMatchObject({ type: 'assigned', dedupeKey: `assigned:${enrolments[0]}`, emailPending: true });
    expect(d.title).toBe('Dodeljena vam je obuka: Osnove veštačke inteligencije');
    expect(d.body).toBe('Dodeljena vam je obavezna obuka „Osnove veštačke inteligencije”. Rok: 1. april 2026.');
    expect(await emailsOf(ds, daily.id)).toEqual([]); // waits for tomorrow's digest

    const [i] = await notificationsOf(ds, immediate.id);
    expect(i.title).toBe('Додељена вам је обука: Основе вештачке интелигенције');
    expect(i.emailPending).toBe(false);
    const mails = await emailsOf(ds, immediate.id);
    expect(mails.map((m) => [m.dedupeKey, m.state])).toEqual([[`assigned:${enrolments[1]}`, 'sent']]);
    expect(mails[0].textBody).toContain(`http://lms.test/courses/${course.slug}`);

    expect((await notificationsOf(ds, noEmail.id)).map((n) => [n.type, n.emailPending])).toEqual([['assigned', false]]);
    expect(await emailsOf(ds, noEmail.id)).toEqual([]);
    expect(await notificationsOf(ds, done.id)).toEqual([]);

    // a person added to the assignment later (standing assignment) is told when the event comes again; the others are not told twice
    const late = await aUser(ds, { orgUnit: unit });
    await anEnrolment(ds, late, course, { dueAt: '2026-04-01T10:00:00Z', assignmentId });
    await emit('assignment.created', { assignmentId });
    await drainJobs(api);
    expect(await notificationsOf(ds, late.id)).toHaveLength(1);
    for (const u of [daily, immediate, noEmail]) expect(await notificationsOf(ds, u.id)).toHaveLength(1);
  });

  it('daily-digest readers get their event e-mails in the next morning digest, once', async () => {
    const ds = api.dataSource;
    setClock(api, '2026-05-04T15:00:00Z');
    const u = await aUser(ds, { orgUnit: unit, timeZone: 'UTC' });
    const assignmentId = randomUUID();
    await anEnrolment(ds, u, course, { dueAt: '2026-07-01T10:00:00Z', assignmentId }); // nothing due for weeks
    await emit('assignment.created', { assignmentId });
    await drainJobs(api);
    expect(await emailsOf(ds, u.id)).toEqual([]);

    const sweep = api.app.get(ReminderSweep);
    await sweep.run(setClock(api, '2026-05-05T08:10:00Z'));
    await sweep.run(setClock(api, '2026-05-05T08:20:00Z'));
    await drainJobs(api);
    const mails = await emailsOf(ds, u.id);
    expect(mails.map((m) => [m.dedupeKey, m.state])).toEqual([['digest:2026-05-05', 'sent']]);
    expect(mails[0].textBody).toContain('Since your last digest');
    expect(mails[0].textBody).toContain('New training assigned: AI fundamentals');
    const notes = await notificationsOf(ds, u.id);
    expect(notes.map((n) => [n.type, n.emailPending])).toEqual([['assigned', false]]); // no reminder lines: no in-app digest
    await sweep.run(setClock(api, '2026-05-06T08:10:00Z'));
    expect(await emailsOf(ds, u.id)).toHaveLength(1);
  });

  it('certificate issued and certificate revoked notify the holder once each', async () => {
    const ds = api.dataSource;
    setClock(api, '2026-06-01T10:00:00Z');
    const u = await aUser(ds, { orgUnit: unit, locale: 'en' });
    await prefer(u.id, true, 'immediate');
    const e = await anEnrolment(ds, u, course, { dueAt: null, status: 'completed' });
    const certificateId = await aCertificate(ds, e, { issuedAt: '2026-06-01T09:00:00Z', expiresAt: '2029-06-01T09:00:00Z' });
    await emit('certificate.issued', { certificateId });
    await emit('certificate.issued', { certificateId });
    await drainJobs(api);
    await ds.query(`UPDATE certificate SET revoked_at = now(), revocation_reason = 'issued in error' WHERE id = $1`, [certificateId]);
    await emit('certificate.revoked', { certificateId });
    await drainJobs(api);
    const notes = await notificationsOf(ds, u.id);
    expect(notes.map((n) => n.dedupeKey)).toEqual([`certificate_issued:${certificateId}`, `certificate_revoked:${certificateId}`]);
    expect(notes[0].title).toBe('Certificate issued: AI fundamentals');
    expect(notes[1].body).toMatch(/^Your certificate for “AI fundamentals” \(serial number LMS-[0-9A-F]+\) has been revoked\. Reason: issued in error\.$/);
    expect((await emailsOf(ds, u.id)).map((m) => m.state)).toEqual(['sent', 'sent']);
  });

  it('course completed: a congratulation in-app only (the certificate e-mail follows)', async () => {
    const ds = api.dataSource;
    const u = await aUser(ds, { orgUnit: unit, locale: 'sr-Latn' });
    await prefer(u.id, true, 'immediate');
    const e = await anEnrolment(ds, u, course, { dueAt: null, status: 'completed' });
    const handler = api.app.get(EnrolmentCompletedHandler);
    await handler.handle({ enrolmentId: e });
    await handler.handle({ enrolmentId: e });
    const notes = await notificationsOf(ds, u.id);
    expect(notes.map((n) => [n.type, n.title])).toEqual([['enrolment_completed', 'Završen kurs: Osnove veštačke inteligencije']]);
    expect(await emailsOf(ds, u.id)).toEqual([]);
    // not completed (yet): nothing
    const open = await anEnrolment(ds, u, await aCourse(ds), { dueAt: null });
    await handler.handle({ enrolmentId: open });
    expect(await notificationsOf(ds, u.id)).toHaveLength(1);
  });

  it('certificate expiring in 30 days: one reminder in the holder’s morning digest, whether the sweep or the credentials event finds it', async () => {
    const ds = api.dataSource;
    const sweep = api.app.get(ReminderSweep);
    const u = await aUser(ds, { orgUnit: unit, timeZone: 'UTC' });
    const bySweep = await aCertificate(ds, await anEnrolment(ds, u, course, { dueAt: null, status: 'completed' }), { expiresAt: '2026-09-30T12:00:00Z' });
    const c2 = await aCourse(ds, { titles: { en: 'Data governance' } });
    const byEvent = await aCertificate(ds, await anEnrolment(ds, u, c2, { dueAt: null, status: 'completed' }), { expiresAt: '2026-09-30T18:00:00Z' });
    const c3 = await aCourse(ds);
    await aCertificate(ds, await anEnrolment(ds, u, c3, { dueAt: null, status: 'completed' }), { expiresAt: '2026-09-30T12:00:00Z', revokedAt: '2026-08-01T00:00:00Z' });
    const c4 = await aCourse(ds);
    await aCertificate(ds, await anEnrolment(ds, u, c4, { dueAt: null, status: 'completed' }), { issuedAt: '2023-09-30T12:00:00Z', expiresAt: '2026-09-30T12:00:00Z' });
    await aCertificate(ds, await anEnrolment(ds, u, c4, { dueAt: null, status: 'completed' }), { issuedAt: '2026-08-15T12:00:00Z', expiresAt: '2029-08-15T12:00:00Z' }); // renewed
    const expiryReminders = async (): Promise<Array<{ certificateId: string; kind: string; dueDate: string; notified: boolean }>> =>
      (await ds.query(
        `SELECT certificate_id AS "certificateId", kind, to_char(due_date, 'YYYY-MM-DD') AS "dueDate", notification_id IS NOT NULL AS notified
           FROM reminder WHERE recipient_id = $1 ORDER BY created_at`,
        [u.id],
      )) as Array<{ certificateId: string; kind: string; dueDate: string; notified: boolean }>;

    // the credentials expiry sweep (02:30) writes its event for one of them: recorded at once, delivered in the morning
    setClock(api, '2026-08-31T02:30:00Z');
    await emit('certificate.expiring', { certificateId: byEvent });
    await drainJobs(api);
    expect(await expiryReminders()).toEqual([{ certificateId: byEvent, kind: 'certificate_expiring:30', dueDate: '2026-09-30', notified: false }]);
    // the holder's morning: the sweep finds the other one; one digest with both
    await sweep.run(setClock(api, '2026-08-31T08:00:00Z'));
    expect(await expiryReminders()).toEqual([
      { certificateId: byEvent, kind: 'certificate_expiring:30', dueDate: '2026-09-30', notified: true },
      { certificateId: bySweep, kind: 'certificate_expiring:30', dueDate: '2026-09-30', notified: true },
    ]);
    // the event for the one the sweep found, and later mornings: nothing new
    await emit('certificate.expiring', { certificateId: bySweep });
    await drainJobs(api);
    await sweep.run(setClock(api, '2026-09-01T08:00:00Z'));
    expect(await expiryReminders()).toHaveLength(2);

    const notes = await notificationsOf(ds, u.id);
    expect(notes.map((n) => n.dedupeKey)).toEqual(['digest:2026-08-31']);
    expect(notes[0].body).toContain('Your certificates');
    expect(notes[0].body).toContain('Your certificate for “AI fundamentals” expires in 30 days (30 September 2026). Take the course again to renew it.');
    expect(notes[0].body).toContain('Your certificate for “Data governance” expires in 30 days');
  });
});
