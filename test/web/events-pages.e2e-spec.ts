import type { OrgUnit, User } from '@lms/identity';
import { anOrgUnit, aUser, startApi, TestApi, tokenFor } from '@lms/testing';
import { DAY, resetClock, setClock } from '../events/events-fixtures.js';
import { Agent, browserAgent, csrfOf, signIn } from './web-support.js';

const PASSWORD = 'workshop-pages-over-http-7';

/** The workshop pages over plain HTTP (no JavaScript): the refusals a person can run into, shown on the page. */
describe('workshop pages over HTTP', () => {
  let api: TestApi;
  let unit: OrgUnit;
  let hr: User;
  let learner: User;
  let eventId: string;
  let first: Date;

  async function agentFor(user: User): Promise<Agent> {
    const agent = browserAgent(api);
    await signIn(agent, user.email, PASSWORD);
    return agent;
  }

  beforeAll(async () => {
    api = await startApi();
    unit = await anOrgUnit(api.dataSource, { name: 'Uprava za zajedničke poslove' });
    hr = await aUser(api.dataSource, { orgUnit: unit, password: PASSWORD, roles: [{ role: 'hr', scope: unit }] });
    learner = await aUser(api.dataSource, { orgUnit: unit, password: PASSWORD, displayName: 'Petar Učesnik' });
    first = new Date(Date.now() + 5 * DAY);
    const res = await api.http
      .post('/api/v1/events')
      .set({ Authorization: `Bearer ${await tokenFor(api.config, hr)}` })
      .send({
        title: 'Webinar: open data',
        capacity: 1,
        ownerOrgUnitId: unit.id,
        cancellationDeadline: new Date(Date.now() + 2 * DAY).toISOString(),
        sessions: [{ startsAt: first.toISOString(), endsAt: new Date(first.getTime() + 2 * 3_600_000).toISOString(), timeZone: 'Europe/Belgrade', onlineUrl: 'https://meet.example.org/open-data' }],
      })
      .expect(201);
    eventId = (res.body as { id: string }).id;
  });

  afterAll(async () => {
    if (api) resetClock(api);
    await api?.close();
  });

  it('registers, refuses a commitment without an action or with an impossible date (400, values kept), then refuses cancelling after the deadline', async () => {
    const agent = await agentFor(learner);
    let page = await agent.get(`/events/${eventId}`).expect(200);
    expect(page.text).toContain('1 seat left of 1');
    expect(page.text).toContain('Online (the link is shown once you are booked)');
    expect(page.text).not.toContain('https://meet.example.org/open-data');
    const registered = await agent.post(`/events/${eventId}/register`).type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
    expect(registered.headers.location).toBe(`/events/${eventId}?done=registered`);
    page = await agent.get(registered.headers.location as string).expect(200);
    expect(page.text).toContain('Your registration was received.');
    expect(page.text).toContain('https://meet.example.org/open-data');

    const bad = await agent
      .post(`/events/${eventId}/commitments`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), action: '', dueOn: '2027-02-30', partners: 'Zavod za statistiku' })
      .expect(400);
    expect(bad.text).toContain('Describe the action you commit to.');
    expect(bad.text).toContain('Enter the due date as a valid date.');
    expect(bad.text).toContain('value="Zavod za statistiku"');
    const none = (await api.dataSource.query(`SELECT count(*)::int AS n FROM event_commitment WHERE event_id = $1`, [eventId])) as Array<{ n: number }>;
    expect(none[0].n).toBe(0);

    // Past the cancellation deadline: the page says so instead of an error page, and the booking stays.
    setClock(api, new Date(Date.now() + 3 * DAY));
    const late = await agent.post(`/events/${eventId}/cancel`).type('form').send({ _csrf: csrfOf(page.text), reason: 'Sick' }).expect(303);
    expect(late.headers.location).toBe(`/events/${eventId}?error=cancellation_deadline_passed`);
    const shown = await agent.get(late.headers.location as string).expect(200);
    expect(shown.text).toContain('The cancellation deadline has passed.');
    expect(shown.text).toContain('Booked');
    resetClock(api);
  });

  it('lists only the events whose audience includes the person; registering for another unit’s event is explained on the page', async () => {
    const elsewhere = await anOrgUnit(api.dataSource, { name: 'Druga uprava' });
    const res = await api.http
      .post('/api/v1/events')
      .set({ Authorization: `Bearer ${await tokenFor(api.config, hr)}` })
      .send({
        title: 'Closed seminar for another unit',
        capacity: 5,
        ownerOrgUnitId: unit.id,
        audience: { orgUnitIds: [elsewhere.id] },
        sessions: [{ startsAt: first.toISOString(), endsAt: new Date(first.getTime() + 3_600_000).toISOString(), timeZone: 'Europe/Belgrade', venueAddress: 'Sala 1' }],
      })
      .expect(201);
    const closedId = (res.body as { id: string }).id;
    const agent = await agentFor(learner);
    const list = await agent.get('/events').expect(200);
    expect(list.text).toContain('Webinar: open data');
    expect(list.text).not.toContain('Closed seminar for another unit');
    const page = await agent.get(`/events/${closedId}`).expect(200);
    const refused = await agent.post(`/events/${closedId}/register`).type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
    expect(refused.headers.location).toBe(`/events/${closedId}?error=not_in_audience`);
    await expect(agent.get(refused.headers.location as string).then((r) => r.text)).resolves.toContain('This event is not open to your unit or job role.');
    const insider = await aUser(api.dataSource, { orgUnit: await anOrgUnit(api.dataSource, { parent: elsewhere, name: 'Odsek' }), password: PASSWORD });
    await expect((await agentFor(insider)).get('/events').then((r) => r.text)).resolves.toContain('Closed seminar for another unit');
  });

  it('a second person is waitlisted with their place; nobody else’s registration can be cancelled from the page', async () => {
    const other = await aUser(api.dataSource, { orgUnit: unit, password: PASSWORD });
    const agent = await agentFor(other);
    const page = await agent.get(`/events/${eventId}`).expect(200);
    expect(page.text).toContain('Full of 1');
    await agent.post(`/events/${eventId}/register`).type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
    const after = await agent.get(`/events/${eventId}`).expect(200);
    expect(after.text).toContain('On the waiting list (number 1)');
    expect(after.text).toContain('You are number 1 on the waiting list');
    // A stranger with no registration: 404, and the learner's booking is untouched.
    const stranger = await agentFor(await aUser(api.dataSource, { orgUnit: unit, password: PASSWORD }));
    const sp = await stranger.get('/events').expect(200);
    await stranger.post(`/events/${eventId}/cancel`).type('form').send({ _csrf: csrfOf(sp.text) }).expect(404);
    const [row] = (await api.dataSource.query(`SELECT status FROM event_registration WHERE event_id = $1 AND user_id = $2`, [eventId, learner.id])) as Array<{ status: string }>;
    expect(row.status).toBe('booked');
  });
});
