import type { OrgUnit, User } from '@lms/identity';
import { ApprovalEscalationHandler, EventReminderSweepHandler, OfferExpirySweepHandler } from '@lms/events';
import { anOrgUnit, aUser, drainJobs, startApi, TestApi, tokenFor } from '@lms/testing';
import { calendarMails, DAY, parseIcs, resetClock, setClock, threeSessions } from './events-fixtures.js';

/**
 * The registration rules over HTTP against PostgreSQL and Redis: registration window, audience,
 * cancellation deadline, waitlist offers that expire to the next in line (job, clock moved),
 * approval escalation to HR after N days (job), capacity changes, cancelling a whole event, and
 * session reminders (participants, trainers with the list) that are never sent twice.
 */
describe('events: registration rules, jobs and reminders', () => {
  let api: TestApi;
  let ministry: OrgUnit;
  let unit: OrgUnit;
  let other: OrgUnit;
  let organiser: User;
  let hr: User;
  let trainer: User;
  let manager: User;
  let staff: User[];
  const auth = async (u: User) => `Bearer ${await tokenFor(api.config, u, 3600)}`;
  const create = async (extra: Record<string, unknown>) =>
    (
      await api.http
        .post('/api/v1/events')
        .set('authorization', await auth(organiser))
        .send({ title: 'Webinar', ownerOrgUnitId: ministry.id, capacity: 2, sessions: threeSessions(new Date(), 10).slice(0, 1), ...extra })
        .expect(201)
    ).body as { id: string; sessions: Array<{ id: string; startsAt: string }> };
  const register = async (eventId: string, u: User) => api.http.post(`/api/v1/events/${eventId}/registrations`).set('authorization', await auth(u)).send({});

  beforeAll(async () => {
    api = await startApi();
    const ds = api.dataSource;
    ministry = await anOrgUnit(ds, { kind: 'institution' });
    unit = await anOrgUnit(ds, { parent: ministry });
    other = await anOrgUnit(ds, { parent: ministry });
    organiser = await aUser(ds, { orgUnit: ministry, roles: [{ role: 'hr', scope: ministry }] });
    hr = await aUser(ds, { orgUnit: ministry, roles: [{ role: 'hr', scope: unit }], displayName: 'HR Officer' });
    trainer = await aUser(ds, { orgUnit: ministry, displayName: 'Trainer T', locale: 'sr-Latn', timeZone: 'Europe/Belgrade' });
    manager = await aUser(ds, { orgUnit: unit });
    staff = [];
    for (let i = 0; i < 6; i++) staff.push(await aUser(ds, { orgUnit: i < 5 ? unit : other, manager, jobRoleCode: i === 4 ? 'driver' : 'analyst', displayName: `Staff ${i}` }));
  });

  afterAll(async () => {
    await api.close();
  });

  afterEach(() => resetClock(api));

  it('the registration window and the audience (units, job roles) decide who may register themselves', async () => {
    const now = Date.now();
    const notYet = await create({ registrationOpensAt: new Date(now + DAY).toISOString() });
    const early = await register(notYet.id, staff[0]);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'registration_closed', reason: 'not_open_yet' });
    const closed = await create({ registrationOpensAt: new Date(now - 2 * DAY).toISOString(), registrationClosesAt: new Date(now - DAY).toISOString() });
    expect((await register(closed.id, staff[0])).body).toMatchObject({ code: 'registration_closed', reason: 'closed' });
    // HR may still register someone after the window.
    await api.http.post(`/api/v1/events/${closed.id}/registrations`).set('authorization', await auth(hr)).send({ userId: staff[0].id }).expect(201);
    const audience = await create({ audience: { orgUnitIds: [unit.id], jobRoleCodes: ['analyst'] } });
    await register(audience.id, staff[0]).then((r) => expect(r.status).toBe(201));
    await register(audience.id, staff[4]).then((r) => expect(r.status).toBe(403));
    await register(audience.id, staff[5]).then((r) => expect(r.status).toBe(403));
  });

  it('50 people at once for the last seat: exactly one booked, 49 waitlisted; one person registering 5 times at once gets one registration', async () => {
    const e = await create({ capacity: 2 });
    await register(e.id, staff[0]).then((r) => expect(r.body.status).toBe('booked'));
    const crowd: User[] = [];
    for (let i = 0; i < 50; i++) crowd.push(await aUser(api.dataSource, { orgUnit: unit }));
    const results = await Promise.all(crowd.map((u) => register(e.id, u)));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(results.filter((r) => r.body.status === 'booked')).toHaveLength(1);
    expect(results.filter((r) => r.body.status === 'waitlisted')).toHaveLength(49);
    const same = await Promise.all(Array.from({ length: 5 }, () => register(e.id, staff[1])));
    expect(new Set(same.map((r) => r.body.id)).size).toBe(1);
    expect(same.filter((r) => r.status === 201)).toHaveLength(1);
    const [db] = (await api.dataSource.query(
      `SELECT count(*) FILTER (WHERE status IN ('booked', 'offered'))::int AS held, count(*)::int AS total FROM event_registration WHERE event_id = $1`,
      [e.id],
    )) as Array<{ held: number; total: number }>;
    expect(db).toEqual({ held: 2, total: 52 });
  });

  it('a promoted person who does not confirm in time loses the offer to the next in line (offer-expiry job, clock moved)', async () => {
    const e = await create({ confirmHours: 24 });
    const regs = [];
    for (const u of staff.slice(0, 4)) regs.push((await register(e.id, u)).body as { id: string; status: string });
    expect(regs.map((r) => r.status)).toEqual(['booked', 'booked', 'waitlisted', 'waitlisted']);
    await api.http.post(`/api/v1/event-registrations/${regs[0].id}/cancel`).set('authorization', await auth(staff[0])).send({}).expect(200);
    const offered = await api.http.get(`/api/v1/event-registrations/${regs[2].id}`).set('authorization', await auth(staff[2])).expect(200);
    expect(offered.body.status).toBe('offered');
    await drainJobs(api, 30_000);
    const [offer] = (await api.dataSource.query(`SELECT title FROM notification WHERE user_id = $1 AND type = 'event_waitlist_offer'`, [staff[2].id])) as Array<{ title: string }>;
    expect(offer.title).toContain('Webinar');
    const handler = api.app.get(OfferExpirySweepHandler);
    setClock(api, new Date(Date.now() + 23 * 3_600_000));
    await handler.handle();
    expect((await api.http.get(`/api/v1/event-registrations/${regs[2].id}`).set('authorization', await auth(staff[2]))).body.status).toBe('offered');
    setClock(api, new Date(Date.now() + 25 * 3_600_000));
    await api.http.post(`/api/v1/event-registrations/${regs[2].id}/confirm`).set('authorization', await auth(staff[2])).expect(409);
    await handler.handle();
    await handler.handle();
    expect((await api.http.get(`/api/v1/event-registrations/${regs[2].id}`).set('authorization', await auth(staff[2]))).body.status).toBe('expired');
    expect((await api.http.get(`/api/v1/event-registrations/${regs[3].id}`).set('authorization', await auth(staff[3]))).body.status).toBe('offered');
  });

  it('a request without a decision is escalated to HR after N days (job, clock moved); HR in scope may then decide', async () => {
    const e = await create({ approval: { mode: 'all', escalateAfterDays: 2 } });
    const req = (await register(e.id, staff[1])).body as { id: string; status: string };
    expect(req.status).toBe('pending_approval');
    await api.http.post(`/api/v1/approvals/${req.id}/approve`).set('authorization', await auth(hr)).send({}).expect(403);
    const escalate = api.app.get(ApprovalEscalationHandler);
    setClock(api, new Date(Date.now() + DAY));
    await escalate.handle();
    expect((await api.http.get('/api/v1/me/approvals').set('authorization', await auth(hr))).body.total).toBe(0);
    setClock(api, new Date(Date.now() + 2 * DAY + 60_000));
    await escalate.handle();
    await escalate.handle();
    const hrList = await api.http.get('/api/v1/me/approvals').set('authorization', await auth(hr)).expect(200);
    expect(hrList.body.items.map((r: { id: string }) => r.id)).toEqual([req.id]);
    await drainJobs(api, 30_000);
    const escalations = (await api.dataSource.query(`SELECT count(*)::int AS n FROM notification WHERE user_id = $1 AND dedupe_key = $2`, [hr.id, `event_escalated:${req.id}`])) as Array<{ n: number }>;
    expect(escalations[0].n).toBe(1);
    const declined = await api.http.post(`/api/v1/approvals/${req.id}/decline`).set('authorization', await auth(hr)).send({ reason: 'Budget' }).expect(200);
    expect(declined.body).toMatchObject({ status: 'declined', decisionReason: 'Budget' });
    await api.http.post(`/api/v1/approvals/${req.id}/approve`).set('authorization', await auth(manager)).send({}).expect(409);
  });

  it('the cancellation deadline binds the person, not HR; capacity cannot drop below the seats held, and more capacity promotes', async () => {
    const e = await create({ cancellationDeadline: new Date(Date.now() + DAY).toISOString() });
    const a = (await register(e.id, staff[0])).body as { id: string };
    const b = (await register(e.id, staff[1])).body as { id: string };
    const c = (await register(e.id, staff[2])).body as { id: string; status: string };
    expect(c.status).toBe('waitlisted');
    setClock(api, new Date(Date.now() + 2 * DAY));
    const late = await api.http.post(`/api/v1/event-registrations/${a.id}/cancel`).set('authorization', await auth(staff[0])).send({});
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('cancellation_deadline_passed');
    await api.http.post(`/api/v1/event-registrations/${a.id}/cancel`).set('authorization', await auth(hr)).send({ reason: 'Late change' }).expect(200);
    expect((await api.http.get(`/api/v1/event-registrations/${c.id}`).set('authorization', await auth(staff[2]))).body.status).toBe('offered');
    const tooSmall = await api.http.patch(`/api/v1/events/${e.id}`).set('authorization', await auth(organiser)).send({ capacity: 1 }).expect(409);
    expect(tooSmall.body).toMatchObject({ code: 'capacity_below_booked', held: 2 });
    const d = (await register(e.id, staff[3])).body as { id: string; status: string };
    expect(d.status).toBe('waitlisted');
    const bigger = await api.http.patch(`/api/v1/events/${e.id}`).set('authorization', await auth(organiser)).send({ capacity: 3 }).expect(200);
    expect(bigger.body.seats).toMatchObject({ capacity: 3, held: 3, waitlisted: 0 });
    expect(b.id).toBeTruthy();
  });

  it('cancelling the event cancels every registration; the invited get a CANCEL for the same UIDs', async () => {
    const e = await create({});
    const a = (await register(e.id, staff[0])).body as { id: string };
    await register(e.id, staff[1]);
    await drainJobs(api, 30_000);
    await api.http.post(`/api/v1/events/${e.id}/cancel`).set('authorization', await auth(organiser)).send({ reason: 'Venue unavailable' }).expect(200);
    await drainJobs(api, 30_000);
    const regs = (await api.dataSource.query(`SELECT status FROM event_registration WHERE event_id = $1`, [e.id])) as Array<{ status: string }>;
    expect(regs.every((r) => r.status === 'cancelled')).toBe(true);
    const mails = (await calendarMails(api.dataSource, staff[0].id)).filter((m) => parseIcs(m.ics).events.some((x) => x.uid.startsWith(e.sessions[0].id)));
    expect(mails.map((m) => m.method)).toEqual(['REQUEST', 'CANCEL']);
    expect(parseIcs(mails[1].ics).events[0]).toMatchObject({ uid: `${e.sessions[0].id}.${staff[0].id}@lms.test`, sequence: 2, status: 'CANCELLED' });
    expect(mails[1].subject).toContain('Webinar');
    await register(e.id, staff[2]).then((r) => expect(r.status).toBe(409));
    expect(a.id).toBeTruthy();
  });

  it('session reminders 7 days and 1 day before, once each (also when the sweep runs twice); the trainer gets the list', async () => {
    const e = await create({ reminderOffsetsDays: [7, 1], trainers: [{ userId: trainer.id }] });
    await register(e.id, staff[0]);
    await register(e.id, staff[1]);
    const start = new Date(e.sessions[0].startsAt).getTime();
    const sweep = api.app.get(EventReminderSweepHandler);
    setClock(api, new Date(start - 8 * DAY));
    await sweep.handle();
    const kinds = async () =>
      ((await api.dataSource.query(`SELECT recipient_id AS "to", kind FROM event_reminder WHERE session_id = $1 ORDER BY kind, recipient_id`, [e.sessions[0].id])) as Array<{
        to: string;
        kind: string;
      }>).map((r) => `${r.kind}:${r.to === trainer.id ? 'trainer' : 'staff'}`);
    expect(await kinds()).toEqual([]);
    setClock(api, new Date(start - 6 * DAY));
    await sweep.handle();
    await sweep.handle();
    expect(await kinds()).toEqual(['before:7:staff', 'before:7:staff', 'trainer:7:trainer']);
    setClock(api, new Date(start - 12 * 3_600_000));
    await sweep.handle();
    await sweep.handle();
    expect((await kinds()).sort()).toEqual(['before:1:staff', 'before:1:staff', 'before:7:staff', 'before:7:staff', 'trainer:1:trainer', 'trainer:7:trainer']);
    const notices = (await api.dataSource.query(`SELECT type, title, body FROM notification WHERE user_id = $1 AND type = 'event_trainer_list' AND data->>'sessionId' = $2 ORDER BY created_at`, [trainer.id, e.sessions[0].id])) as Array<{
      title: string;
      body: string;
    }>;
    expect(notices).toHaveLength(2);
    expect(notices[0].title).toContain('Učesnici');
    expect(notices[0].body).toContain('Staff 0');
    expect(notices[0].body).toContain('Staff 1');
    const staffNotices = (await api.dataSource.query(`SELECT count(*)::int AS n FROM notification WHERE user_id = $1 AND type = 'event_session_reminder' AND data->>'sessionId' = $2`, [staff[0].id, e.sessions[0].id])) as Array<{ n: number }>;
    expect(staffNotices[0].n).toBe(2);
  });
});
