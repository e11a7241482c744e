import type { OrgUnit, User } from '@lms/identity';
import { anOrgUnit, aUser, startApi, TestApi, tokenFor } from '@lms/testing';
import { threeSessions } from './events-fixtures.js';

/**
 * Role × scope × ownership for every events route: organisers are admins, authors of the owning
 * school and HR whose scope covers the owning unit; trainers run their events; HR acts for people
 * in scope; a person acts for themself; everyone else gets 403 (401 without a token is covered by
 * the route-coverage test). Bad input answers 400 problem+json.
 */
describe('events: who may do what', () => {
  let api: TestApi;
  let schoolA: OrgUnit;
  let schoolB: OrgUnit;
  let ministryA: OrgUnit;
  let unitA: OrgUnit;
  let ministryB: OrgUnit;
  let admin: User;
  let authorA: User;
  let authorB: User;
  let hrA: User;
  let hrB: User;
  let trainer: User;
  let learnerA: User;
  let learnerA2: User;
  let learnerB: User;
  let schoolEvent: string;
  let hrEvent: string;
  let sessionId: string;
  let sessionIds: string[];
  let regA: string;
  const auth = async (u: User) => `Bearer ${await tokenFor(api.config, u)}`;
  const eventBody = (owner: OrgUnit, extra: Record<string, unknown> = {}) => ({ title: 'Workshop', ownerOrgUnitId: owner.id, capacity: 10, sessions: threeSessions(new Date(), 20), ...extra });

  beforeAll(async () => {
    api = await startApi({ env: { DOCS_ENABLED: 'true' } });
    const ds = api.dataSource;
    schoolA = await anOrgUnit(ds, { kind: 'school' });
    schoolB = await anOrgUnit(ds, { kind: 'school' });
    ministryA = await anOrgUnit(ds, { kind: 'institution' });
    unitA = await anOrgUnit(ds, { parent: ministryA });
    ministryB = await anOrgUnit(ds, { kind: 'institution' });
    admin = await aUser(ds, { orgUnit: ministryA, roles: [{ role: 'admin' }] });
    authorA = await aUser(ds, { orgUnit: schoolA, roles: [{ role: 'author', scope: schoolA }] });
    authorB = await aUser(ds, { orgUnit: schoolB, roles: [{ role: 'author', scope: schoolB }] });
    hrA = await aUser(ds, { orgUnit: ministryA, roles: [{ role: 'hr', scope: ministryA }] });
    hrB = await aUser(ds, { orgUnit: ministryB, roles: [{ role: 'hr', scope: ministryB }] });
    trainer = await aUser(ds, { orgUnit: schoolA });
    learnerA = await aUser(ds, { orgUnit: unitA });
    learnerA2 = await aUser(ds, { orgUnit: unitA });
    learnerB = await aUser(ds, { orgUnit: ministryB });
  });

  afterAll(async () => {
    await api.close();
  });

  it('create: admin, an author of the owning school, HR over the owning unit; nobody else', async () => {
    const cases: Array<[User, OrgUnit, number]> = [
      [learnerA, schoolA, 403],
      [authorB, schoolA, 403],
      [hrA, schoolA, 403],
      [hrB, unitA, 403],
      [trainer, schoolA, 403],
      [admin, schoolA, 201],
      [hrA, unitA, 201],
    ];
    for (const [who, owner, status] of cases) {
      const res = await api.http.post('/api/v1/events').set('authorization', await auth(who)).send(eventBody(owner));
      expect({ who: who.id, status: res.status }).toEqual({ who: who.id, status });
    }
    const created = await api.http.post('/api/v1/events').set('authorization', await auth(authorA)).send(eventBody(schoolA, { trainers: [{ userId: trainer.id }] })).expect(201);
    schoolEvent = created.body.id;
    sessionId = created.body.sessions[0].id;
    sessionIds = created.body.sessions.map((x: { id: string }) => x.id);
    hrEvent = (await api.http.post('/api/v1/events').set('authorization', await auth(hrA)).send(eventBody(ministryA))).body.id;
  });

  it('bad input is a 400 problem+json naming the fields; unknown ids 404', async () => {
    const bad = await api.http
      .post('/api/v1/events')
      .set('authorization', await auth(authorA))
      .send(eventBody(schoolA, { sessions: [{ startsAt: '2030-01-02T10:00:00Z', endsAt: '2030-01-02T09:00:00Z', timeZone: 'Mars/Olympus', venueAddress: 'x' }] }))
      .expect(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['session.endsAt', 'session.timeZone'].sort().map((f) => f.replace('session', 'sessions[0]')));
    const nothing = await api.http.post('/api/v1/events').set('authorization', await auth(authorA)).send({ ...eventBody(schoolA), sessions: [], extra: 1 }).expect(400);
    expect(nothing.body.errors.length).toBeGreaterThan(0);
    const place = await api.http.post('/api/v1/events').set('authorization', await auth(authorA)).send(eventBody(schoolA, { sessions: [{ startsAt: '2030-01-02T08:00:00Z', endsAt: '2030-01-02T09:00:00Z', timeZone: 'UTC' }] })).expect(400);
    expect(place.body.errors[0].field).toBe('sessions[0].venueAddress');
    const room = await api.http.post('/api/v1/events').set('authorization', await auth(authorA)).send(eventBody(schoolA, { capacity: 40 })).expect(400);
    expect(room.body.errors[0].field).toBe('capacity');
    await api.http.post('/api/v1/events').set('authorization', await auth(authorA)).send(eventBody(schoolA, { courseSlug: 'no-such-course', lessonSlug: 'x' })).expect(400);
    await api.http.get('/api/v1/events/not-a-uuid').set('authorization', await auth(learnerA)).expect(400);
    await api.http.get('/api/v1/events/00000000-0000-4000-8000-000000000000').set('authorization', await auth(learnerA)).expect(404);
    await api.http.post(`/api/v1/events/${schoolEvent}/registrations`).set('authorization', await auth(learnerA)).send({ userId: 'nope' }).expect(400);
  });

  it('a patch may not set a required field to null, and a list of objects takes no nested list (400, once a 500)', async () => {
    for (const field of ['title', 'capacity', 'language', 'attendanceRulePercent']) {
      const res = await api.http.patch(`/api/v1/events/${schoolEvent}`).set('authorization', await auth(authorA)).send({ [field]: null }).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const nested = await api.http.put(`/api/v1/events/${schoolEvent}/questionnaire`).set('authorization', await auth(authorA)).send({ anonymous: true, questions: [[]] }).expect(400);
    expect(nested.headers['content-type']).toContain('application/problem+json');
    await api.http.post('/api/v1/events').set('authorization', await auth(authorA)).send({ ...eventBody(schoolA), sessions: [[]] }).expect(400);
    await api.http.patch(`/api/v1/events/${schoolEvent}`).set('authorization', await auth(authorA)).send({ registrationClosesAt: null }).expect(200);
  });

  it('edit, cancel and manage sessions: only the organisers of that event', async () => {
    const patch = { title: 'Renamed workshop' };
    for (const [who, id, status] of [
      [authorB, schoolEvent, 403],
      [hrA, schoolEvent, 403],
      [trainer, schoolEvent, 403],
      [learnerA, schoolEvent, 403],
      [authorA, schoolEvent, 200],
      [admin, schoolEvent, 200],
      [hrB, hrEvent, 403],
      [authorA, hrEvent, 403],
      [hrA, hrEvent, 200],
    ] as Array<[User, string, number]>) {
      const res = await api.http.patch(`/api/v1/events/${id}`).set('authorization', await auth(who)).send(patch);
      expect({ who: who.id, id, status: res.status }).toEqual({ who: who.id, id, status });
    }
    await api.http.patch(`/api/v1/events/${schoolEvent}/sessions/${sessionId}`).set('authorization', await auth(authorB)).send({ venueName: 'Hall 3' }).expect(403);
    await api.http.patch(`/api/v1/events/${hrEvent}/sessions/${sessionId}`).set('authorization', await auth(hrA)).send({ venueName: 'Hall 3' }).expect(404);
    await api.http.patch(`/api/v1/events/${schoolEvent}/sessions/${sessionId}`).set('authorization', await auth(authorA)).send({ venueName: 'Hall 3' }).expect(200);
    await api.http.post(`/api/v1/events/${hrEvent}/cancel`).set('authorization', await auth(hrB)).send({ reason: 'no' }).expect(403);
    await api.http.post(`/api/v1/events/${hrEvent}/cancel`).set('authorization', await auth(hrA)).send({}).expect(400);
    const listed = await api.http.get('/api/v1/events?organised=true').set('authorization', await auth(authorA)).expect(200);
    // The author organises the school's events (also the one an admin made for the school), not HR's.
    expect(listed.body.items.map((e: { id: string }) => e.id)).toContain(schoolEvent);
    expect(listed.body.items.map((e: { id: string }) => e.id)).not.toContain(hrEvent);
    expect(listed.body.total).toBe(2);
    const upcoming = await api.http.get('/api/v1/events?limit=100').set('authorization', await auth(learnerB)).expect(200);
    expect(upcoming.body.items.map((e: { id: string }) => e.id)).toEqual(expect.arrayContaining([schoolEvent, hrEvent]));
  });

  it('register: yourself; HR for people in scope; an organiser for anyone; not for others out of scope', async () => {
    await api.http.post(`/api/v1/events/${schoolEvent}/registrations`).set('authorization', await auth(hrB)).send({ userId: learnerA.id }).expect(403);
    await api.http.post(`/api/v1/events/${schoolEvent}/registrations`).set('authorization', await auth(learnerB)).send({ userId: learnerA.id }).expect(403);
    await api.http.post(`/api/v1/events/${schoolEvent}/registrations`).set('authorization', await auth(trainer)).send({ userId: learnerA.id }).expect(403);
    const byHr = await api.http.post(`/api/v1/events/${schoolEvent}/registrations`).set('authorization', await auth(hrA)).send({ userId: learnerA.id }).expect(201);
    regA = byHr.body.id;
    expect(byHr.body).toMatchObject({ userId: learnerA.id, status: 'booked' });
    await api.http.post(`/api/v1/events/${schoolEvent}/registrations`).set('authorization', await auth(authorA)).send({ userId: learnerB.id }).expect(201);
    await api.http.post(`/api/v1/events/${schoolEvent}/registrations`).set('authorization', await auth(learnerA2)).send({}).expect(201);
    await api.http.post(`/api/v1/events/${schoolEvent}/registrations`).set('authorization', await auth(learnerA)).send({}).expect(200);
  });

  it('read registrations: the person, HR in scope, organisers and trainers; lists only for organisers and trainers', async () => {
    for (const [who, status] of [
      [learnerA, 200],
      [hrA, 200],
      [authorA, 200],
      [trainer, 200],
      [admin, 200],
      [hrB, 403],
      [learnerA2, 403],
      [authorB, 403],
    ] as Array<[User, number]>) {
      const res = await api.http.get(`/api/v1/event-registrations/${regA}`).set('authorization', await auth(who));
      expect({ who: who.id, status: res.status }).toEqual({ who: who.id, status });
    }
    await api.http.get('/api/v1/event-registrations/00000000-0000-4000-8000-000000000000').set('authorization', await auth(learnerA)).expect(404);
    for (const [who, status] of [
      [trainer, 200],
      [authorA, 200],
      [learnerA, 403],
      [hrA, 403],
      [authorB, 403],
    ] as Array<[User, number]>) {
      const res = await api.http.get(`/api/v1/events/${schoolEvent}/registrations`).set('authorization', await auth(who));
      expect({ who: who.id, status: res.status }).toEqual({ who: who.id, status });
    }
    const mine = await api.http.get('/api/v1/me/event-registrations').set('authorization', await auth(learnerA)).expect(200);
    expect(mine.body.items.map((r: { id: string }) => r.id)).toEqual([regA]);
  });

  it('attendance, check-in codes, reports and the sign-up sheet: organisers and trainers; a person only their own code', async () => {
    for (const [who, status] of [
      [learnerA, 403],
      [hrA, 403],
      [authorB, 403],
      [trainer, 200],
    ] as Array<[User, number]>) {
      const res = await api.http.put(`/api/v1/events/${schoolEvent}/sessions/${sessionId}/attendance`).set('authorization', await auth(who)).send({ marks: [{ registrationId: regA, status: 'present' }] });
      expect({ who: who.id, status: res.status }).toEqual({ who: who.id, status });
    }
    await api.http.put(`/api/v1/events/${schoolEvent}/sessions/${sessionId}/attendance`).set('authorization', await auth(trainer)).send({ marks: [{ registrationId: regA, status: 'asleep' }] }).expect(400);
    await api.http.get(`/api/v1/event-registrations/${regA}/check-in`).set('authorization', await auth(learnerA2)).expect(403);
    const code = await api.http.get(`/api/v1/event-registrations/${regA}/check-in`).set('authorization', await auth(learnerA)).expect(200);
    await api.http.post(`/api/v1/events/${schoolEvent}/sessions/${sessionId}/check-in`).set('authorization', await auth(learnerA2)).send({ token: code.body.token }).expect(403);
    await api.http.post(`/api/v1/events/${hrEvent}/sessions/${sessionId}/check-in`).set('authorization', await auth(admin)).send({ token: code.body.token }).expect(404);
    const sheet = await api.http.get(`/api/v1/events/${schoolEvent}/sign-up-sheet`).set('authorization', await auth(trainer)).buffer(true).expect(200);
    expect(sheet.headers['content-type']).toBe('application/pdf');
    await api.http.get(`/api/v1/events/${schoolEvent}/sign-up-sheet`).set('authorization', await auth(learnerA)).expect(403);
    await api.http.get(`/api/v1/events/${schoolEvent}/reports/attendance`).set('authorization', await auth(hrB)).expect(403);
    const report = await api.http.get(`/api/v1/events/${schoolEvent}/reports/attendance`).set('authorization', await auth(authorA)).expect(200);
    expect(report.body.items.find((r: { orgUnitId: string }) => r.orgUnitId === unitA.id)).toMatchObject({ booked: 2 });
  });

  it('a stand-alone event: the attendance certificate once the rule is met, for the person, HR in scope and the event’s people only', async () => {
    const reg = (await api.http.get('/api/v1/me/event-registrations').set('authorization', await auth(learnerA2)).expect(200)).body.items[0] as { id: string };
    const pdfOf = async (who: User) => api.http.get(`/api/v1/event-registrations/${reg.id}/attendance-certificate`).set('authorization', await auth(who)).buffer(true);
    expect((await pdfOf(learnerA2)).status).toBe(409);
    for (const id of sessionIds) {
      await api.http.put(`/api/v1/events/${schoolEvent}/sessions/${id}/attendance`).set('authorization', await auth(trainer)).send({ marks: [{ registrationId: reg.id, status: 'present' }] }).expect(200);
    }
    const own = await pdfOf(learnerA2);
    expect(own.status).toBe(200);
    expect(own.headers['content-type']).toBe('application/pdf');
    expect(Buffer.from(own.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await pdfOf(hrA)).status).toBe(200);
    expect((await pdfOf(trainer)).status).toBe(200);
    expect((await pdfOf(learnerB)).status).toBe(403);
    expect((await pdfOf(hrB)).status).toBe(403);
  });

  it('cancel: the person, HR in scope, organisers; not another learner or HR out of scope', async () => {
    await api.http.post(`/api/v1/event-registrations/${regA}/cancel`).set('authorization', await auth(learnerA2)).send({}).expect(403);
    await api.http.post(`/api/v1/event-registrations/${regA}/cancel`).set('authorization', await auth(hrB)).send({}).expect(403);
    await api.http.post(`/api/v1/event-registrations/${regA}/confirm`).set('authorization', await auth(learnerA2)).expect(403);
    const res = await api.http.post(`/api/v1/event-registrations/${regA}/cancel`).set('authorization', await auth(hrA)).send({ reason: 'Transferred' }).expect(200);
    expect(res.body).toMatchObject({ status: 'cancelled', cancelReason: 'Transferred' });
    const again = await api.http.post(`/api/v1/event-registrations/${regA}/confirm`).set('authorization', await auth(learnerA)).expect(409);
    expect(again.body).toMatchObject({ status: 409, code: 'registration_state', registrationStatus: 'cancelled' });
  });

  it('evaluation results and commitments: organisers see aggregates; members see their commitment; others 403', async () => {
    await api.http.get(`/api/v1/events/${schoolEvent}/evaluation-results`).set('authorization', await auth(authorA)).expect(404);
    await api.http.put(`/api/v1/events/${schoolEvent}/questionnaire`).set('authorization', await auth(authorB)).send({ anonymous: true, questions: [{ id: 'q', type: 'scale', text: { en: 'Q' } }] }).expect(403);
    await api.http.put(`/api/v1/events/${schoolEvent}/questionnaire`).set('authorization', await auth(authorA)).send({ anonymous: true, questions: [{ id: 'q', type: 'choice', text: { en: 'Q' } }] }).expect(400);
    await api.http.put(`/api/v1/events/${schoolEvent}/questionnaire`).set('authorization', await auth(authorA)).send({ anonymous: true, questions: [{ id: 'q', type: 'scale', text: { en: 'Q' } }] }).expect(200);
    await api.http.get(`/api/v1/events/${schoolEvent}/evaluation-results`).set('authorization', await auth(learnerA2)).expect(403);
    await api.http.get(`/api/v1/events/${schoolEvent}/evaluation-results`).set('authorization', await auth(authorB)).expect(403);
    const results = await api.http.get(`/api/v1/events/${schoolEvent}/evaluation-results`).set('authorization', await auth(authorA)).expect(200);
    expect(results.body).toMatchObject({ respondents: 0, suppressed: true });
    const c = await api.http.post(`/api/v1/events/${schoolEvent}/commitments`).set('authorization', await auth(learnerA2)).send({ action: 'Share the toolkit', dueOn: '2031-01-31', memberIds: [learnerA.id] }).expect(400);
    expect(c.body.errors[0].field).toBe('memberIds');
    const made = await api.http.post(`/api/v1/events/${schoolEvent}/commitments`).set('authorization', await auth(learnerA2)).send({ action: 'Share the toolkit', dueOn: '2031-01-31', sdg: 16 }).expect(201);
    await api.http.post(`/api/v1/events/${schoolEvent}/commitments`).set('authorization', await auth(learnerA2)).send({ action: 'x', dueOn: 'soon' }).expect(400);
    await api.http.get(`/api/v1/commitments/${made.body.id}`).set('authorization', await auth(learnerB)).expect(403);
    await api.http.get(`/api/v1/commitments/${made.body.id}`).set('authorization', await auth(authorA)).expect(200);
    await api.http.post(`/api/v1/commitments/${made.body.id}/updates`).set('authorization', await auth(authorA)).send({ note: 'n', status: 'kept' }).expect(403);
    await api.http.get(`/api/v1/events/${schoolEvent}/commitments/summary`).set('authorization', await auth(hrB)).expect(403);
    const mine = await api.http.get('/api/v1/me/commitments').set('authorization', await auth(learnerA2)).expect(200);
    expect(mine.body.total).toBe(1);
  });

  it('documents the routes in OpenAPI, with the input schemas', async () => {
    const doc = await api.http.get('/docs-json').expect(200);
    const paths = Object.keys(doc.body.paths);
    for (const p of ['/api/v1/events', '/api/v1/events/{id}/registrations', '/api/v1/me/approvals', '/api/v1/events/{id}/sessions/{sessionId}/attendance', '/calendar/{file}']) {
      expect(paths).toContain(p);
    }
    expect(doc.body.components.schemas.CreateEventDto.required).toEqual(expect.arrayContaining(['title', 'capacity', 'ownerOrgUnitId', 'sessions']));
    expect(doc.body.paths['/api/v1/events'].post.tags).toEqual(['events']);
    expect(doc.body.paths['/api/v1/events/{id}/registrations'].post.responses['201'].content['application/json'].schema.$ref).toBe('#/components/schemas/RegistrationResponse');
    expect(Object.keys(doc.body.components.schemas.EventResponse.properties)).toEqual(expect.arrayContaining(['sessions', 'trainers', 'seats', 'approval']));
  });

  it('the calendar feed is the person’s own; an unknown or malformed token is 404; turning it off ends it', async () => {
    const feed = await api.http.post('/api/v1/me/calendar-feed').set('authorization', await auth(learnerA2)).expect(201);
    const path = new URL(feed.body.url).pathname;
    expect(path).toMatch(/^\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    await api.http.get(path).expect(200);
    await api.http.get('/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics').expect(404);
    await api.http.get('/calendar/x.txt').expect(404);
    await api.http.delete('/api/v1/me/calendar-feed').set('authorization', await auth(learnerA2)).expect(204);
    await api.http.get(path).expect(404);
  });
});
