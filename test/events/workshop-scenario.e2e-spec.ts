import type { OrgUnit, User } from '@lms/identity';
import { CommitmentReminderSweepHandler, EventReminderSweepHandler } from '@lms/events';
import { uuidV5 } from '@lms/interop';
import { anOrgUnit, aUser, drainJobs, startApi, TestApi, tokenFor } from '@lms/testing';
import { aPublishedCourse, countEvents } from '../support/learning-builders.js';
import { calendarMails, DAY, parseIcs, resetClock, sentEml, setClock, threeSessions } from './events-fixtures.js';

/**
 * The "done when": a three-session hybrid workshop end to end over HTTP against PostgreSQL
 * and Redis — capacity 20 and 25 registrations at once (20 booked, 5 waitlisted), manager approval
 * for one unit, two cancellations promoting two from the waitlist, calendar invitations that parse
 * and a cancellation that updates the same UID, attendance for each session, the 80 % rule
 * completing the course and issuing certificates through the outbox exactly once, evaluation with
 * suppression, and a commitment's 1-month reminder (clock moved) and update.
 */
describe('events: a three-session hybrid workshop, end to end', () => {
  let api: TestApi;
  let country: OrgUnit;
  let ministry: OrgUnit;
  let unitA: OrgUnit;
  let unitB: OrgUnit;
  let school: OrgUnit;
  let author: User;
  let hr: User;
  let trainer: User;
  let manager: User;
  let people: User[];
  let approvalPerson: User;
  let eventId: string;
  let sessionIds: string[];
  let courseSlug: string;
  const tokens = new Map<string, string>();
  const bearer = async (u: User): Promise<string> => {
    if (!tokens.has(u.id)) tokens.set(u.id, `Bearer ${await tokenFor(api.config, u, 3600)}`);
    return tokens.get(u.id)!;
  };
  const regOf = new Map<string, string>();

  beforeAll(async () => {
    api = await startApi();
    const ds = api.dataSource;
    country = await anOrgUnit(ds, { kind: 'country', name: 'Србија', code: 'RS-TEST' });
    ministry = await anOrgUnit(ds, { parent: country, kind: 'institution', name: 'Министарство за државну управу' });
    unitA = await anOrgUnit(ds, { parent: ministry, name: 'Сектор за дигитализацију' });
    unitB = await anOrgUnit(ds, { parent: ministry, name: 'Sektor za ljudske resurse' });
    school = await anOrgUnit(ds, { kind: 'school', name: 'Национална академија' });
    author = await aUser(ds, { orgUnit: school, roles: [{ role: 'author', scope: school }] });
    hr = await aUser(ds, { orgUnit: ministry, roles: [{ role: 'hr', scope: ministry }] });
    trainer = await aUser(ds, { orgUnit: school, displayName: 'Тренер Петровић' });
    manager = await aUser(ds, { orgUnit: unitB, displayName: 'Manager B', locale: 'sr-Latn' });
    people = [];
    for (let i = 0; i < 25; i++) {
      people.push(await aUser(ds, { orgUnit: unitA, displayName: `Учесник ${String(i + 1).padStart(2, '0')}`, locale: i % 3 === 0 ? 'sr-Cyrl' : i % 3 === 1 ? 'sr-Latn' : 'en' }));
    }
    approvalPerson = await aUser(ds, { orgUnit: unitB, manager, displayName: 'Needs Approval' });
    const course = await aPublishedCourse(ds, { school, lessons: [{ slug: 'workshop' }], quiz: null });
    courseSlug = course.slug;
  }, 60_000);

  afterAll(async () => {
    await api.close();
  });

  it('an author of the owning school creates the course-linked hybrid workshop; HR of another scope and a learner may not', async () => {
    const body = {
      title: 'Регионална радионица: вештачка интелигенција у јавној управи',
      description: 'Three days, in Belgrade and online.',
      language: 'sr-Cyrl',
      ownerOrgUnitId: school.id,
      courseSlug,
      lessonSlug: 'workshop',
      capacity: 20,
      cancellationDeadline: new Date(Date.now() + 8 * DAY).toISOString(),
      approval: { mode: 'units', orgUnitIds: [unitB.id], escalateAfterDays: 3 },
      attendanceRulePercent: 80,
      trainers: [{ userId: trainer.id }, { externalName: 'Dr Ana External' }],
      sessions: threeSessions(new Date(), 10),
    };
    const learner = people[0];
    await api.http.post('/api/v1/events').set('authorization', await bearer(learner)).send(body).expect(403);
    // HR of the ministry does not organise the school's events.
    await api.http.post('/api/v1/events').set('authorization', await bearer(hr)).send(body).expect(403);
    const res = await api.http.post('/api/v1/events').set('authorization', await bearer(author)).send(body).expect(201);
    eventId = res.body.id;
    sessionIds = res.body.sessions.map((s: { id: string }) => s.id);
    expect(res.body).toMatchObject({ capacity: 20, courseSlug, lessonSlug: 'workshop', approval: { mode: 'units' }, seats: { held: 0, available: 20 } });
    expect(res.body.sessions).toHaveLength(3);
    expect(res.body.trainers.map((t: { name: string }) => t.name).sort()).toEqual(['Dr Ana External', 'Тренер Петровић']);
  });

  it('25 people register at the same moment for 20 seats: exactly 20 booked, 5 waitlisted in order; registering again returns the same registration', async () => {
    const results = await Promise.all(
      people.map(async (p) => api.http.post(`/api/v1/events/${eventId}/registrations`).set('authorization', await bearer(p)).send({})),
    );
    expect(results.map((r) => r.status)).toEqual(Array(25).fill(201));
    for (const [i, r] of results.entries()) regOf.set(people[i].id, r.body.id);
    const statuses = results.map((r) => r.body.status as string);
    expect(statuses.filter((s) => s === 'booked')).toHaveLength(20);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(5);
    const positions = results.filter((r) => r.body.status === 'waitlisted').map((r) => r.body.waitlistPosition as number);
    expect(positions.sort()).toEqual([1, 2, 3, 4, 5]);
    const [db] = (await api.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'booked')::int AS booked, count(*) FILTER (WHERE status = 'waitlisted')::int AS waitlisted FROM event_registration WHERE event_id = $1`,
      [eventId],
    )) as Array<{ booked: number; waitlisted: number }>;
    expect(db).toEqual({ booked: 20, waitlisted: 5 });
    const again = await api.http.post(`/api/v1/events/${eventId}/registrations`).set('authorization', await bearer(people[3])).send({}).expect(200);
    expect(again.body.id).toBe(regOf.get(people[3].id));
  });

  it('a person of the approval unit waits for the manager, who sees the request in /me/approvals and approves it (the event is full: waitlisted)', async () => {
    const res = await api.http.post(`/api/v1/events/${eventId}/registrations`).set('authorization', await bearer(approvalPerson)).send({}).expect(201);
    expect(res.body.status).toBe('pending_approval');
    regOf.set(approvalPerson.id, res.body.id);
    // Nobody else sees or decides it.
    const other = await api.http.get('/api/v1/me/approvals').set('authorization', await bearer(people[0])).expect(200);
    expect(other.body.total).toBe(0);
    await api.http.post(`/api/v1/approvals/${res.body.id}/approve`).set('authorization', await bearer(people[0])).send({}).expect(403);
    const mine = await api.http.get('/api/v1/me/approvals').set('authorization', await bearer(manager)).expect(200);
    expect(mine.body.items.map((r: { id: string }) => r.id)).toEqual([res.body.id]);
    // The manager is told (in-app, and by e-mail per their preferences).
    await drainJobs(api, 30_000);
    const [notice] = (await api.dataSource.query(`SELECT title FROM notification WHERE user_id = $1 AND type = 'event_approval_request'`, [manager.id])) as Array<{ title: string }>;
    expect(notice.title).toContain('Needs Approval');
    const approved = await api.http.post(`/api/v1/approvals/${res.body.id}/approve`).set('authorization', await bearer(manager)).send({ reason: 'Relevant for the unit' }).expect(200);
    expect(approved.body).toMatchObject({ status: 'waitlisted', waitlistPosition: 6 });
  });

  it('two cancellations (the person, and HR with a reason) offer the two seats to the first two waiting, who confirm', async () => {
    const booked = people;
    const rows = (await api.dataSource.query(`SELECT id, user_id AS "userId", status FROM event_registration WHERE event_id = $1 ORDER BY waitlisted_at NULLS FIRST, id`, [eventId])) as Array<{
      id: string;
      userId: string;
      status: string;
    }>;
    const bookedRows = rows.filter((r) => r.status === 'booked');
    const waiting = rows.filter((r) => r.status === 'waitlisted');
    const selfCancel = booked.find((p) => p.id === bookedRows[0].userId)!;
    // Someone else cannot cancel it.
    await api.http.post(`/api/v1/event-registrations/${bookedRows[0].id}/cancel`).set('authorization', await bearer(people.find((p) => p.id === waiting[0].userId)!)).send({}).expect(403);
    await api.http.post(`/api/v1/event-registrations/${bookedRows[0].id}/cancel`).set('authorization', await bearer(selfCancel)).send({ reason: 'Illness' }).expect(200);
    await api.http.post(`/api/v1/event-registrations/${bookedRows[1].id}/cancel`).set('authorization', await bearer(hr)).send({ reason: 'Reassigned to another project' }).expect(200);
    const offered = (await api.dataSource.query(`SELECT id, user_id AS "userId", status, offer_expires_at AS "expires" FROM event_registration WHERE event_id = $1 AND status = 'offered'`, [eventId])) as Array<{
      id: string;
      userId: string;
      expires: Date;
    }>;
    expect(offered.map((o) => o.id).sort()).toEqual([waiting[0].id, waiting[1].id].sort());
    for (const o of offered) {
      const person = people.find((p) => p.id === o.userId)!;
      const res = await api.http.post(`/api/v1/event-registrations/${o.id}/confirm`).set('authorization', await bearer(person)).expect(200);
      expect(res.body.status).toBe('booked');
    }
    const event = await api.http.get(`/api/v1/events/${eventId}`).set('authorization', await bearer(people[5])).expect(200);
    expect(event.body.seats).toMatchObject({ capacity: 20, held: 20, waitlisted: 4 });
    await drainJobs(api, 30_000);
  }, 90_000);

  it('every booked participant got an invitation that parses (METHOD:REQUEST, 3 sessions, stable UIDs, UTC times); the cancelled got a CANCEL for the same UIDs with a higher SEQUENCE', async () => {
    const rows = (await api.dataSource.query(`SELECT user_id AS "userId", status FROM event_registration WHERE event_id = $1`, [eventId])) as Array<{ userId: string; status: string }>;
    const bookedUsers = rows.filter((r) => r.status === 'booked').map((r) => r.userId);
    expect(bookedUsers).toHaveLength(20);
    for (const userId of bookedUsers) {
      const mails = await calendarMails(api.dataSource, userId);
      const requests = mails.filter((m) => m.method === 'REQUEST');
      expect(requests).toHaveLength(1);
      const parsed = parseIcs(requests[0].ics);
      expect(parsed.method).toBe('REQUEST');
      expect(parsed.events.map((e) => e.uid)).toEqual(sessionIds.map((s) => `${s}.${userId}@lms.test`));
      expect(parsed.events.every((e) => e.sequence === 1 && e.status === 'CONFIRMED')).toBe(true);
      expect(parsed.events[0].start.toISOString()).toBe(threeSessions(new Date(), 10)[0].startsAt);
    }
    const cancelledUsers = rows.filter((r) => r.status === 'cancelled').map((r) => r.userId);
    expect(cancelledUsers).toHaveLength(2);
    for (const userId of cancelledUsers) {
      const mails = await calendarMails(api.dataSource, userId);
      expect(mails.map((m) => m.method)).toEqual(['REQUEST', 'CANCEL']);
      const request = parseIcs(mails[0].ics);
      const cancel = parseIcs(mails[1].ics);
      expect(cancel.method).toBe('CANCEL');
      expect(cancel.events.map((e) => e.uid)).toEqual(request.events.map((e) => e.uid));
      expect(cancel.events.every((e) => e.sequence === 2 && e.status === 'CANCELLED')).toBe(true);
      // It left as an e-mail with the text/calendar part.
      expect(mails[1].state).toBe('sent');
      const eml = sentEml(api, mails[1].id);
      expect(eml).toMatch(/text\/calendar; charset=utf-8; method=CANCEL/i);
    }
    // Waiting people have no invitation.
    for (const r of rows.filter((x) => x.status === 'waitlisted')) expect(await calendarMails(api.dataSource, r.userId)).toEqual([]);
  });

  it('a changed session sends the booked an update with the same UIDs and SEQUENCE 2', async () => {
    const s = threeSessions(new Date(), 10)[2];
    const later = new Date(new Date(s.startsAt as string).getTime() + 3_600_000).toISOString();
    const end = new Date(new Date(s.endsAt as string).getTime() + 3_600_000).toISOString();
    await api.http.patch(`/api/v1/events/${eventId}/sessions/${sessionIds[2]}`).set('authorization', await bearer(trainer)).send({ startsAt: later }).expect(403);
    await api.http.patch(`/api/v1/events/${eventId}/sessions/${sessionIds[2]}`).set('authorization', await bearer(author)).send({ startsAt: later, endsAt: end }).expect(200);
    await drainJobs(api, 30_000);
    const [someone] = (await api.dataSource.query(`SELECT user_id AS "userId" FROM event_registration WHERE event_id = $1 AND status = 'booked' LIMIT 1`, [eventId])) as Array<{ userId: string }>;
    const mails = (await calendarMails(api.dataSource, someone.userId)).filter((m) => m.method === 'REQUEST');
    const last = parseIcs(mails[mails.length - 1].ics);
    expect(last.events.map((e) => e.sequence)).toEqual([2, 2, 2]);
    expect(last.events[2].start.toISOString()).toBe(later);
  }, 90_000);

  it('the trainer marks attendance for each session (list and QR check-in); the 80 % rule completes the course and issues each certificate once', async () => {
    const list = await api.http.get(`/api/v1/events/${eventId}/sessions/${sessionIds[0]}/attendance`).set('authorization', await bearer(trainer)).expect(200);
    expect(list.body.items).toHaveLength(20);
    // A participant may not read the list.
    await api.http.get(`/api/v1/events/${eventId}/sessions/${sessionIds[0]}/attendance`).set('authorization', await bearer(people[0])).expect(403);
    const regs = list.body.items.map((i: { registrationId: string; userId: string }) => i);
    const [first, second, ...rest] = regs as Array<{ registrationId: string; userId: string }>;
    // Session 1: one by QR code (the participant's own code), the rest from the list.
    const code = await api.http.get(`/api/v1/event-registrations/${first.registrationId}/check-in`).set('authorization', await bearer(people.find((p) => p.id === first.userId)!)).expect(200);
    await api.http.post(`/api/v1/events/${eventId}/sessions/${sessionIds[0]}/check-in`).set('authorization', await bearer(trainer)).send({ token: `${code.body.token}x` }).expect(400);
    await api.http.post(`/api/v1/events/${eventId}/sessions/${sessionIds[0]}/check-in`).set('authorization', await bearer(trainer)).send({ token: code.body.token }).expect(200);
    const all = (status: string) => regs.map((r: { registrationId: string }) => ({ registrationId: r.registrationId, status }));
    await api.http.put(`/api/v1/events/${eventId}/sessions/${sessionIds[0]}/attendance`).set('authorization', await bearer(trainer)).send({ marks: all('present') }).expect(200);
    await api.http.put(`/api/v1/events/${eventId}/sessions/${sessionIds[1]}/attendance`).set('authorization', await bearer(trainer)).send({ marks: all('present') }).expect(200);
    // Session 3: one partial (2.5 / 3 = 83 %: met), one no-show (2 / 3 = 67 %: not met).
    const third = [
      { registrationId: first.registrationId, status: 'partial' },
      { registrationId: second.registrationId, status: 'absent' },
      ...rest.map((r) => ({ registrationId: r.registrationId, status: 'present' })),
    ];
    await api.http.put(`/api/v1/events/${eventId}/sessions/${sessionIds[2]}/attendance`).set('authorization', await bearer(trainer)).send({ marks: third }).expect(200);
    // Marking the same again changes nothing.
    await api.http.put(`/api/v1/events/${eventId}/sessions/${sessionIds[2]}/attendance`).set('authorization', await bearer(author)).send({ marks: third }).expect(200);
    await drainJobs(api, 60_000);
    const completed = (await api.dataSource.query(`SELECT user_id AS "userId" FROM event_registration WHERE event_id = $1 AND completed_at IS NOT NULL`, [eventId])) as Array<{ userId: string }>;
    expect(completed).toHaveLength(19);
    expect(completed.map((c) => c.userId)).not.toContain(second.userId);
    const certs = (await api.dataSource.query(
      `SELECT ce.user_id AS "userId", e.id AS "enrolmentId" FROM certificate ce JOIN enrolment e ON e.id = ce.enrolment_id JOIN course c ON c.id = e.course_id WHERE c.slug = $1`,
      [courseSlug],
    )) as Array<{ userId: string; enrolmentId: string }>;
    expect(certs).toHaveLength(19);
    expect(new Set(certs.map((c) => c.userId)).size).toBe(19);
    for (const c of certs.slice(0, 5)) expect(await countEvents(api.dataSource, 'enrolment.completed', { enrolmentId: c.enrolmentId })).toBe(1);
    expect(await countEvents(api.dataSource, 'event.attendance-completed', { registrationId: first.registrationId })).toBe(1);
    // xAPI (docs/xapi.md): one `attended` statement per completed registration in the built-in LRS, the person as an account.
    const doneRegs = (await api.dataSource.query(`SELECT id, user_id FROM event_registration WHERE event_id = $1 AND completed_at IS NOT NULL`, [eventId])) as Array<{ id: string; user_id: string }>;
    const attended = (await api.dataSource.query(`SELECT id, statement FROM xapi_statement WHERE verb_id = 'http://adlnet.gov/expapi/verbs/attended' AND activity_id = $1`, [
      `http://lms.test/events/${eventId}`,
    ])) as Array<{ id: string; statement: { actor: { account: { name: string } } } }>;
    expect(attended.map((a) => a.id).sort()).toEqual(doneRegs.map((r) => uuidV5(`registration:${r.id}:attended`)).sort());
    expect(attended.map((a) => a.statement.actor.account.name).sort()).toEqual(doneRegs.map((r) => r.user_id).sort());
    const report = await api.http.get(`/api/v1/events/${eventId}/reports/attendance?format=csv`).set('authorization', await bearer(author)).expect(200);
    expect(report.headers['content-type']).toContain('text/csv');
    expect(report.text).toContain('Сектор за дигитализацију');
    expect(report.text.split('\r\n')[0]).toBe('\uFEFForg_unit_id,unit,booked,completed,no_shows,no_show_rate');
    const mk = await api.http.get(`/api/v1/events/${eventId}/reports/attendance?format=csv`).set('authorization', await bearer(author)).set('accept-language', 'mk').expect(200);
    expect(mk.text.split('\r\n')[0]).toBe('\uFEFFID на единицата,Единица,Пријавени,Завршиле,Не дошле,Стапка на недоаѓање');
  }, 120_000);

  it('evaluation: answers from the last session on, once each; results suppressed under 5 respondents, shown (with anonymous free text) from 5', async () => {
    await api.http
      .put(`/api/v1/events/${eventId}/questionnaire`)
      .set('authorization', await bearer(author))
      .send({
        anonymous: true,
        questions: [
          { id: 'useful', type: 'scale', text: { en: 'How useful was the workshop?', 'sr-Cyrl': 'Колико је радионица била корисна?' }, max: 5 },
          { id: 'pace', type: 'choice', text: { en: 'The pace was' }, choices: [{ id: 'slow', text: { en: 'slow' } }, { id: 'right', text: { en: 'right' } }, { id: 'fast', text: { en: 'fast' } }] },
          { id: 'learned', type: 'text', text: { en: 'What will you use first?' } },
        ],
      })
      .expect(200);
    const participants = (await api.dataSource.query(`SELECT user_id AS "userId" FROM event_registration WHERE event_id = $1 AND status = 'booked' ORDER BY user_id LIMIT 5`, [eventId])) as Array<{
      userId: string;
    }>;
    const byId = (id: string) => people.find((p) => p.id === id)!;
    const early = await api.http.post(`/api/v1/events/${eventId}/evaluations`).set('authorization', await bearer(byId(participants[0].userId))).send({ answers: { useful: 5 } });
    expect(early.status).toBe(409);
    const lastEnd = new Date(threeSessions(new Date(), 10)[2].endsAt as string).getTime() + 3_600_000;
    setClock(api, new Date(lastEnd + 60_000));
    // The sweep invites everyone booked to evaluate, once.
    await api.app.get(EventReminderSweepHandler).handle();
    await api.app.get(EventReminderSweepHandler).handle();
    const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM notification WHERE type = 'event_evaluation'`)) as Array<{ n: number }>;
    expect(n).toBe(20);
    for (const [i, p] of participants.slice(0, 4).entries()) {
      await api.http.post(`/api/v1/events/${eventId}/evaluations`).set('authorization', await bearer(byId(p.userId))).send({ answers: { useful: 4 + (i % 2), pace: 'right', learned: `Idea ${i}` } }).expect(201);
    }
    await api.http.post(`/api/v1/events/${eventId}/evaluations`).set('authorization', await bearer(byId(participants[0].userId))).send({ answers: { useful: 1 } }).expect(409);
    await api.http.post(`/api/v1/events/${eventId}/evaluations`).set('authorization', await bearer(approvalPerson)).send({ answers: { useful: 1 } }).expect(403);
    const few = await api.http.get(`/api/v1/events/${eventId}/evaluation-results`).set('authorization', await bearer(author)).expect(200);
    expect(few.body).toMatchObject({ respondents: 4, suppressed: true });
    expect(few.body.questions[0].mean).toBeUndefined();
    expect(few.body.questions[2].texts).toBeUndefined();
    await api.http.post(`/api/v1/events/${eventId}/evaluations`).set('authorization', await bearer(byId(participants[4].userId))).send({ answers: { useful: 3, pace: 'fast', learned: 'Idea 4' } }).expect(201);
    const enough = await api.http.get(`/api/v1/events/${eventId}/evaluation-results`).set('authorization', await bearer(author)).expect(200);
    expect(enough.body).toMatchObject({ respondents: 5, suppressed: false, anonymous: true });
    expect(enough.body.questions[0]).toMatchObject({ mean: 4.2, distribution: { '3': 1, '4': 2, '5': 2 } });
    expect(enough.body.questions[1].distribution).toEqual({ slow: 0, right: 4, fast: 1 });
    expect(enough.body.questions[2].texts.sort()).toEqual(['Idea 0', 'Idea 1', 'Idea 2', 'Idea 3', 'Idea 4']);
    // Anonymous: the answers carry no person.
    const [{ named }] = (await api.dataSource.query(`SELECT count(user_id)::int AS named FROM event_evaluation_response WHERE event_id = $1`, [eventId])) as Array<{ named: number }>;
    expect(named).toBe(0);
  });

  it('a commitment made at the end gets its 1-month reminder once (clock moved) and an update', async () => {
    const [a, b] = (await api.dataSource.query(`SELECT user_id AS "userId" FROM event_registration WHERE event_id = $1 AND status = 'booked' ORDER BY user_id LIMIT 2`, [eventId])) as Array<{
      userId: string;
    }>;
    const author1 = people.find((p) => p.id === a.userId)!;
    const made = await api.http
      .post(`/api/v1/events/${eventId}/commitments`)
      .set('authorization', await bearer(author1))
      .send({ action: 'Pilot an AI triage of citizen requests', dueOn: '2027-12-31', partners: ['City of Niš'], sdg: 16, competencyCode: 'LIT.1', memberIds: [b.userId], reminderMonths: [1, 3, 6] })
      .expect(201);
    await api.http.post(`/api/v1/events/${eventId}/commitments`).set('authorization', await bearer(approvalPerson)).send({ action: 'x', dueOn: '2027-12-31' }).expect(403);
    const sweep = api.app.get(CommitmentReminderSweepHandler);
    const createdAt = new Date(made.body.createdAt);
    setClock(api, new Date(createdAt.getTime() + 20 * DAY));
    await sweep.handle();
    const none = (await api.dataSource.query(`SELECT count(*)::int AS n FROM notification WHERE type = 'event_commitment_reminder'`)) as Array<{ n: number }>;
    expect(none[0].n).toBe(0);
    setClock(api, new Date(createdAt.getTime() + 32 * DAY));
    await sweep.handle();
    await sweep.handle();
    const reminders = (await api.dataSource.query(`SELECT user_id AS "userId", data->>'months' AS months, title FROM notification WHERE type = 'event_commitment_reminder' ORDER BY user_id`)) as Array<{
      userId: string;
      months: string;
    }>;
    expect(reminders.map((r) => r.userId).sort()).toEqual([a.userId, b.userId].sort());
    expect(reminders.every((r) => r.months === '1')).toBe(true);
    const updated = await api.http
      .post(`/api/v1/commitments/${made.body.id}/updates`)
      .set('authorization', await bearer(people.find((p) => p.id === b.userId)!))
      .send({ note: 'Pilot running in two municipalities', status: 'kept' })
      .expect(201);
    expect(updated.body).toMatchObject({ status: 'kept', updates: [{ note: 'Pilot running in two municipalities', status: 'kept' }] });
    const summary = await api.http.get(`/api/v1/events/${eventId}/commitments/summary`).set('authorization', await bearer(author)).expect(200);
    expect(summary.body.rows).toEqual([{ country: 'Србија', institution: 'Министарство за државну управу', commitments: null, kept: null, notKept: null, open: null, suppressed: true }]);
    resetClock(api);
  });

  it('the calendar feed: a rotate-able secret URL that parses, with the same UIDs', async () => {
    const [row] = (await api.dataSource.query(`SELECT user_id AS "userId" FROM event_registration WHERE event_id = $1 AND status = 'booked' LIMIT 1`, [eventId])) as Array<{ userId: string }>;
    const person = people.find((p) => p.id === row.userId)!;
    const first = await api.http.post('/api/v1/me/calendar-feed').set('authorization', await bearer(person)).expect(201);
    const path = new URL(first.body.url).pathname;
    const feed = await api.http.get(path).expect(200);
    expect(feed.headers['content-type']).toContain('text/calendar');
    const parsed = parseIcs(feed.text);
    expect(parsed.events.map((e) => e.uid).sort()).toEqual(sessionIds.map((s) => `${s}.${person.id}@lms.test`).sort());
    const [{ hash }] = (await api.dataSource.query(`SELECT token_hash AS hash FROM calendar_feed_token WHERE user_id = $1`, [person.id])) as Array<{ hash: string }>;
    expect(hash).not.toContain(first.body.token);
    await api.http.post('/api/v1/me/calendar-feed').set('authorization', await bearer(person)).expect(201);
    await api.http.get(path).expect(404);
    await api.http.get('/calendar/not-a-token').expect(404);
    // The person's data export holds the registration with its attendance.
    const exported = await api.http.get('/api/v1/me/data-export?format=json').set('authorization', await bearer(person)).expect(200);
    const reg = exported.body.eventRegistrations.find((r: { status: string }) => r.status === 'booked');
    expect(reg.attendance).toHaveLength(3);
  });
});
