import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OrgUnit, User } from '@lms/identity';
import { addDays, DEFAULT_REMINDER_POLICY, enrolmentReminders, ReminderSweep } from '@lms/notifications';
import { anOrgUnit, aUser, drainJobs, startApi, type TestApi, tokenFor } from '@lms/testing';
import { aCourse, anEnrolment, emailsOf, localInstant, notificationsOf, remindersOf, setClock, type TestCourse } from './notifications-fixtures.js';

/**
 * The daily sweep with a controlled clock, against real PostgreSQL and Redis: which reminders on
 * which days, one digest per person and local day, locale and time zone, escalation, nothing after
 * completion, nothing twice.
 */
describe('Reminders: the daily sweep (controlled clock)', () => {
  let api: TestApi;
  let sweep: ReminderSweep;
  let root: OrgUnit;
  let dept: OrgUnit;
  let team: OrgUnit;
  let hrRoot: User;
  let hrDept: User;
  let course: TestCourse;

  beforeAll(async () => {
    api = await startApi();
    sweep = api.app.get(ReminderSweep);
    const ds = api.dataSource;
    root = await anOrgUnit(ds);
    dept = await anOrgUnit(ds, { parent: root });
    team = await anOrgUnit(ds, { parent: dept });
    hrRoot = await aUser(ds, { orgUnit: root, roles: [{ role: 'hr', scope: root }], displayName: 'HR Root' });
    hrDept = await aUser(ds, { orgUnit: dept, roles: [{ role: 'hr', scope: dept }], displayName: 'HR Dept' });
    course = await aCourse(ds);
  });

  afterAll(async () => {
    await api.close();
  });

  it('sends the right reminders on the right days, escalating to the manager on day 7 and to HR on day 21', async () => {
    const ds = api.dataSource;
    const tz = 'Europe/Belgrade';
    const manager = await aUser(ds, { orgUnit: dept, timeZone: tz, displayName: 'Mila Manager' });
    const learner = await aUser(ds, { orgUnit: team, manager, timeZone: tz, locale: 'sr-Latn', displayName: 'Lena Learner' });
    // due 20 March, 23:00 in Belgrade
    const enrolment = await anEnrolment(ds, learner, course, { dueAt: '2026-03-20T22:00:00Z' });
    const byDay: string[] = [];
    for (let day = '2026-03-01'; day <= '2026-04-12'; day = addDays(day, 1)) {
      const now = setClock(api, localInstant(day, tz)); // 08:30 local, across the change to summer time on 29 March
      await sweep.run(now);
      for (const r of (await remindersOf(ds, [enrolment])).filter((r) => new Date(r.createdAt).getTime() === now.getTime())) {
        const who = r.recipientId === learner.id ? 'learner' : r.recipientId === manager.id ? 'manager' : r.recipientId === hrDept.id ? 'hrDept' : r.recipientId;
        byDay.push(`${day} ${r.kind} → ${who}`);
      }
    }
    expect(byDay).toEqual([
      '2026-03-06 due_soon:14 → learner',
      '2026-03-17 due_soon:3 → learner',
      '2026-03-19 due_soon:1 → learner',
      '2026-03-21 overdue:1 → learner',
      '2026-03-27 escalation_manager → manager',
      '2026-03-28 overdue:8 → learner',
      '2026-04-04 overdue:15 → learner',
      // HR of the nearest unit up the tree that has HR (the department), not the root's
      '2026-04-10 escalation_hr → hrDept',
      '2026-04-11 overdue:22 → learner',
    ]);
    // one digest per day with a reminder, each delivered (attached) at once
    const digests = (await notificationsOf(ds, learner.id)).filter((n) => n.type === 'reminder_digest');
    expect(digests.map((d) => d.dedupeKey)).toEqual(
      ['2026-03-06', '2026-03-17', '2026-03-19', '2026-03-21', '2026-03-28', '2026-04-04', '2026-04-11'].map((d) => `digest:${d}`),
    );
    expect(digests[0].title).toBe('Podsetnici za danas: 1');
    expect(digests[0].body).toContain('„Osnove veštačke inteligencije”: rok je za 14 dana (20. mart 2026.).');
    const managerDigests = await notificationsOf(ds, manager.id);
    expect(managerDigests.map((d) => d.dedupeKey)).toEqual(['digest:2026-03-27']);
    expect(managerDigests[0].body).toContain('Lena Learner: “AI fundamentals” is 7 days overdue (it was due 20 March 2026).');
    // HR works on UTC: the escalation recorded in the learner's morning waits for HR's morning
    const hrLine = (await remindersOf(ds, [enrolment])).filter((r) => r.recipientId === hrDept.id);
    expect(hrLine.map((r) => r.notificationId)).toEqual([null]);
    await sweep.run(setClock(api, '2026-04-12T08:30:00Z'));
    const hrDigests = await notificationsOf(ds, hrDept.id);
    expect(hrDigests.map((n) => n.dedupeKey)).toEqual(['digest:2026-04-12']);
    expect(hrDigests[0].body).toContain('Overdue training in your units (escalated to HR)');
    expect(hrDigests[0].body).toContain('Lena Learner: “AI fundamentals” is 23 days overdue (it was due 20 March 2026).');
    expect(await notificationsOf(ds, hrRoot.id)).toEqual([]);
    expect((await remindersOf(ds, [enrolment])).every((r) => r.notificationId !== null)).toBe(true);
  });

  it('records exactly what the pure policy says, for every offset from 45 days overdue to 20 days ahead (SQL = policy)', async () => {
    const ds = api.dataSource;
    const tz = 'Europe/Belgrade';
    const today = '2027-01-15';
    const manager = await aUser(ds, { orgUnit: dept, timeZone: tz });
    const learner = await aUser(ds, { orgUnit: team, manager, timeZone: tz });
    const loner = await aUser(ds, { orgUnit: team, timeZone: tz }); // no manager: escalations go to HR of the department
    const cases: Array<{ id: string; dueDate: string; mandatory: boolean; person: User }> = [];
    for (let d = -45; d <= 20; d++) {
      const dueDate = addDays(today, d);
      for (const [mandatory, person] of [[true, learner], [false, learner], [true, loner]] as const) {
        const c = await aCourse(ds);
        cases.push({ id: await anEnrolment(ds, person, c, { dueAt: localInstant(dueDate, tz, 12, 0), source: mandatory ? 'assignment' : 'self' }), dueDate, mandatory, person });
      }
    }
    await sweep.run(setClock(api, localInstant(today, tz)));
    const recorded = await remindersOf(ds, cases.map((c) => c.id));
    for (const c of cases) {
      const expected = enrolmentReminders(DEFAULT_REMINDER_POLICY, { status: 'enrolled', dueDate: c.dueDate, mandatory: c.mandatory }, today)
        .map((r) => `${r.kind}→${r.audience === 'learner' ? c.person.id : r.audience === 'manager' && c.person === learner ? manager.id : hrDept.id}`)
        .sort();
      const actual = recorded
        .filter((r) => r.enrolmentId === c.id)
        .map((r) => `${r.kind}→${r.recipientId}`)
        .sort();
      expect({ dueDate: c.dueDate, mandatory: c.mandatory, reminders: actual }).toEqual({ dueDate: c.dueDate, mandatory: c.mandatory, reminders: expected });
      expect(recorded.filter((r) => r.enrolmentId === c.id).every((r) => r.dueDate === c.dueDate)).toBe(true);
    }
    expect(recorded.length).toBeGreaterThan(150);
  });

  it('sends one digest per person per local day with everything due, and a second run sends nothing more', async () => {
    const ds = api.dataSource;
    const learner = await aUser(ds, { orgUnit: team, timeZone: 'UTC', displayName: 'Una Utc' });
    const [c2, c3] = [await aCourse(ds), await aCourse(ds)];
    const enrolments = [
      await anEnrolment(ds, learner, course, { dueAt: '2026-05-13T12:00:00Z' }), // due in 3 days
      await anEnrolment(ds, learner, c2, { dueAt: '2026-05-09T12:00:00Z', source: 'self' }), // 1 day overdue
      await anEnrolment(ds, learner, c3, { dueAt: '2026-05-24T12:00:00Z' }), // due in 14 days
    ];
    await anEnrolment(ds, learner, await aCourse(ds), { dueAt: '2026-05-20T12:00:00Z' }); // due in 10 days: the 14-day reminder is made up

    const first = await sweep.run(setClock(api, '2026-05-10T08:05:00Z'));
    expect(first.recorded).toBeGreaterThanOrEqual(3);
    const again = await sweep.run(setClock(api, '2026-05-10T08:05:00Z'));
    const later = await sweep.run(setClock(api, '2026-05-10T08:55:00Z'));
    expect([again.digests, again.emails, later.digests, later.emails]).toEqual([0, 0, 0, 0]);

    const digests = await notificationsOf(ds, learner.id);
    expect(digests).toHaveLength(1);
    const lines = (digests[0].data as { lines: Array<{ kind: string }> }).lines.map((l) => l.kind).sort();
    expect(lines).toEqual(['due_soon:14', 'due_soon:14', 'due_soon:3', 'overdue:1']);
    expect(await remindersOf(ds, enrolments)).toHaveLength(3);

    const emails = await emailsOf(ds, learner.id);
    expect(emails).toHaveLength(1);
    expect(emails[0].subject).toBe('Your learning reminders – 10 May 2026');
    expect(emails[0].textBody).toContain(`http://lms.test/courses/${course.slug}`);
    expect(emails[0].textBody).toContain('[mandatory] “AI fundamentals” is due in 3 days (13 May 2026).');

    // the send job runs through the outbox and the queue; without SMTP_URL the message is an .eml file
    await drainJobs(api);
    expect((await emailsOf(ds, learner.id)).map((e) => [e.state, e.attempts])).toEqual([['sent', 1]]);
    const eml = join(api.config.dataDir, 'mail', `${emails[0].id}.eml`);
    expect(existsSync(eml)).toBe(true);
    const raw = readFileSync(eml, 'utf8');
    expect(raw).toContain(`Message-ID: <${emails[0].id}@lms.test>`);
    expect(raw).toContain(`To: ${learner.email}`);
    expect(raw).toContain('Content-Type: text/html');

    // the next day nothing is newly due (no digest); the day after, the 1-day reminder
    await sweep.run(setClock(api, '2026-05-11T08:05:00Z'));
    expect(await notificationsOf(ds, learner.id)).toHaveLength(1);
    await sweep.run(setClock(api, '2026-05-12T08:05:00Z'));
    const second = await notificationsOf(ds, learner.id);
    expect(second.map((n) => n.dedupeKey)).toEqual(['digest:2026-05-10', 'digest:2026-05-12']);
    expect((second[1].data as { lines: Array<{ kind: string }> }).lines.map((l) => l.kind)).toEqual(['due_soon:1']);
  });

  it('loses nothing when a run dies after recording: the next run delivers the recorded lines once', async () => {
    const ds = api.dataSource;
    const learner = await aUser(ds, { orgUnit: team, timeZone: 'UTC' });
    const e = await anEnrolment(ds, learner, course, { dueAt: '2026-06-04T12:00:00Z' });
    const now = setClock(api, '2026-06-03T08:20:00Z');
    await sweep.record(now); // …and then the process died
    expect((await remindersOf(ds, [e])).map((r) => [r.kind, r.notificationId])).toEqual([['due_soon:1', null]]);
    expect(await notificationsOf(ds, learner.id)).toEqual([]);
    await sweep.run(setClock(api, '2026-06-03T08:40:00Z'));
    await sweep.run(setClock(api, '2026-06-03T08:41:00Z'));
    expect(await notificationsOf(ds, learner.id)).toHaveLength(1);
    expect(await emailsOf(ds, learner.id)).toHaveLength(1);
    expect((await remindersOf(ds, [e]))[0].notificationId).not.toBeNull();
  });

  it('writes each person’s digest in their morning, in their language, by their local date', async () => {
    const ds = api.dataSource;
    const belgrade = await aUser(ds, { orgUnit: team, timeZone: 'Europe/Belgrade', locale: 'sr-Cyrl', displayName: 'Бојана' });
    const tokyo = await aUser(ds, { orgUnit: team, timeZone: 'Asia/Tokyo', locale: 'sr-Latn', displayName: 'Tamara' });
    const newYork = await aUser(ds, { orgUnit: team, timeZone: 'America/New_York', locale: 'en', displayName: 'Nina' });
    // each is due at 18:00 local on 13 July: three local days after 10 July
    await anEnrolment(ds, belgrade, course, { dueAt: '2026-07-13T16:00:00Z' });
    await anEnrolment(ds, tokyo, course, { dueAt: '2026-07-13T09:00:00Z' });
    await anEnrolment(ds, newYork, course, { dueAt: '2026-07-13T22:00:00Z' });

    // 23:15 UTC on 9 July = 08:15 on 10 July in Tokyo; Belgrade (01:15) and New York (19:15) sleep
    await sweep.run(setClock(api, '2026-07-09T23:15:00Z'));
    expect((await notificationsOf(ds, tokyo.id)).map((n) => n.dedupeKey)).toEqual(['digest:2026-07-10']);
    expect(await notificationsOf(ds, belgrade.id)).toEqual([]);
    expect(await notificationsOf(ds, newYork.id)).toEqual([]);
    // 06:15 UTC = 08:15 summer time in Belgrade
    await sweep.run(setClock(api, '2026-07-10T06:15:00Z'));
    // 12:15 UTC = 08:15 in New York
    await sweep.run(setClock(api, '2026-07-10T12:15:00Z'));

    const [b] = await notificationsOf(ds, belgrade.id);
    expect(b.title).toBe('Подсетници за данас: 1');
    expect(b.body).toContain('„Основе вештачке интелигенције”: рок је за 3 дана (13. јул 2026.).');
    const [t] = await notificationsOf(ds, tokyo.id);
    expect(t.body).toContain('„Osnove veštačke inteligencije”: rok je za 3 dana (13. jul 2026.).');
    const [n] = await notificationsOf(ds, newYork.id);
    expect(n.dedupeKey).toBe('digest:2026-07-10');
    expect(n.body).toContain('“AI fundamentals” is due in 3 days (13 July 2026).');
    expect((await emailsOf(ds, belgrade.id))[0].subject).toBe('Подсетници за учење – 10. јул 2026.');
    expect((await emailsOf(ds, belgrade.id))[0].textBody).toContain(`Отворите курс: http://lms.test/courses/${course.slug}`);
    expect((await emailsOf(ds, tokyo.id))[0].subject).toBe('Podsetnici za učenje – 10. jul 2026.');
    // nobody got a second digest from the other runs
    for (const u of [belgrade, tokyo, newYork]) expect(await notificationsOf(ds, u.id)).toHaveLength(1);
  });

  it('escalates to the HR of the nearest unit when there is no manager, and never escalates voluntary training', async () => {
    const ds = api.dataSource;
    const learner = await aUser(ds, { orgUnit: team, timeZone: 'UTC', displayName: 'Noah Nomanager' });
    const mandatory = await anEnrolment(ds, learner, course, { dueAt: '2026-08-03T12:00:00Z' });
    const voluntary = await anEnrolment(ds, learner, await aCourse(ds), { dueAt: '2026-08-03T12:00:00Z', source: 'self' });
    await sweep.run(setClock(api, '2026-08-10T08:10:00Z')); // day 7 overdue
    const rows = await remindersOf(ds, [mandatory, voluntary]);
    const esc = rows.filter((r) => r.kind.startsWith('escalation'));
    expect(esc.map((r) => [r.kind, r.enrolmentId, r.recipientId])).toEqual([['escalation_manager', mandatory, hrDept.id]]);
    const hrDigest = (await notificationsOf(ds, hrDept.id)).find((n) => n.dedupeKey === 'digest:2026-08-10');
    expect(hrDigest?.body).toContain('Noah Nomanager: “AI fundamentals” is 7 days overdue');
  });

  it('sends nothing after completion, and drops a pending escalation when the course is completed before the manager’s morning', async () => {
    const ds = api.dataSource;
    const manager = await aUser(ds, { orgUnit: dept, timeZone: 'America/New_York', displayName: 'Far Away Manager' });
    const learner = await aUser(ds, { orgUnit: team, manager, timeZone: 'Europe/Belgrade' });
    const e = await anEnrolment(ds, learner, course, { dueAt: '2026-09-01T10:00:00Z' });
    // 8 September 08:30 in Belgrade: 7 days overdue, the escalation is recorded for the manager (still night in New York)
    await sweep.run(setClock(api, '2026-09-08T06:30:00Z'));
    const pending = (await remindersOf(ds, [e])).filter((r) => r.recipientId === manager.id);
    expect(pending.map((r) => [r.kind, r.notificationId])).toEqual([['escalation_manager', null]]);
    // the learner completes the course before the manager's morning
    await ds.query(`UPDATE enrolment SET status = 'completed', completed_at = $2 WHERE id = $1`, [e, '2026-09-08T09:00:00Z']);
    const managerMorning = await sweep.run(setClock(api, '2026-09-08T12:30:00Z'));
    expect(managerMorning.dropped).toBe(1);
    expect(await notificationsOf(ds, manager.id)).toEqual([]);
    // and no reminder at all in the weeks after
    const before = (await remindersOf(ds, [e])).length;
    for (const day of ['2026-09-09', '2026-09-15', '2026-09-22', '2026-09-29']) await sweep.run(setClock(api, localInstant(day, 'Europe/Belgrade')));
    expect((await remindersOf(ds, [e])).length).toBe(before);
    // a withdrawn enrolment gets none either
    const withdrawn = await anEnrolment(ds, learner, await aCourse(ds), { dueAt: '2026-10-04T10:00:00Z', status: 'withdrawn' });
    await sweep.run(setClock(api, localInstant('2026-10-01', 'Europe/Belgrade')));
    expect(await remindersOf(ds, [withdrawn])).toEqual([]);
  });

  it('with e-mail off, mandatory-training reminders still arrive in-app (and by e-mail again once switched on)', async () => {
    const ds = api.dataSource;
    const learner = await aUser(ds, { orgUnit: team, timeZone: 'UTC' });
    const token = await tokenFor(api.config, learner);
    await api.http.put('/api/v1/me/notification-preferences').set('Authorization', `Bearer ${token}`).send({ email: false, digest: 'daily' }).expect(200, {
      email: false,
      digest: 'daily',
      inApp: true,
    });
    await anEnrolment(ds, learner, course, { dueAt: '2026-11-04T12:00:00Z' });
    await sweep.run(setClock(api, '2026-11-01T08:00:00Z'));
    expect(await notificationsOf(ds, learner.id)).toHaveLength(1);
    expect(await emailsOf(ds, learner.id)).toEqual([]);
    await api.http.put('/api/v1/me/notification-preferences').set('Authorization', `Bearer ${token}`).send({ email: true, digest: 'immediate' }).expect(200);
    await sweep.run(setClock(api, '2026-11-03T08:00:00Z'));
    expect((await emailsOf(ds, learner.id)).map((m) => m.dedupeKey)).toEqual(['digest:2026-11-03']);
  });

  it('runs as the scheduled job through the queue (admin "run now")', async () => {
    const ds = api.dataSource;
    const admin = await aUser(ds, { orgUnit: root, roles: [{ role: 'admin' }] });
    const learner = await aUser(ds, { orgUnit: team, timeZone: 'UTC' });
    await anEnrolment(ds, learner, course, { dueAt: '2026-12-04T12:00:00Z' });
    setClock(api, '2026-12-01T08:00:00Z');
    await drainJobs(api);
    const res = await api.http.post('/api/v1/admin/jobs/reminder-sweep/run').set('Authorization', `Bearer ${await tokenFor(api.config, admin)}`).expect(202);
    expect(res.body.jobId).toEqual(expect.any(String));
    await drainJobs(api);
    expect((await notificationsOf(ds, learner.id)).map((n) => n.dedupeKey)).toEqual(['digest:2026-12-01']);
  });
});
