import type { OrgUnit, User } from '@lms/identity';
import { CommitmentReminderSweepHandler } from '@lms/events';
import { anOrgUnit, aUser, startApi, TestApi, tokenFor, uniq } from '@lms/testing';
import { DAY, resetClock, setClock, threeSessions } from '../events/events-fixtures.js';

interface Inst {
  code: string;
  root: OrgUnit;
}
interface KeptRow {
  key: string;
  commitments: number | null;
  kept: number | null;
  suppressed: boolean;
}

/**
 * Issue #20 item 6, cross-country follow-up: one workshop organised by institution A (RS) with
 * participants of A, B (RS) and C (ME). A group is formed across the two countries from a
 * commitment, invitees accept, milestones are added and marked done, each member is reminded once
 * before a milestone's due date when the clock is moved (in their language), outsiders get 404,
 * and the public aggregate of kept joint commitments is suppressed below 5 and shown at 5.
 */
describe('hub: cross-country follow-up groups', () => {
  let api: TestApi;
  let a: Inst;
  let b: Inst;
  let c: Inst;
  let organiser: User;
  let aPeople: User[];
  let bPerson: User;
  let cPeople: User[];
  let outsider: User;
  let stranger: User;
  let eventId: string;
  let groupId: string;
  let dueDay: string;
  const auth = async (u: User): Promise<string> => `Bearer ${await tokenFor(api.config, u, 3600)}`;

  async function institution(country: string, name: string): Promise<Inst> {
    const root = await anOrgUnit(api.dataSource, { kind: 'institution', code: uniq(`FG${country}`).toUpperCase(), name });
    await api.dataSource.query(`INSERT INTO institution (root_org_unit_id, country, names) VALUES ($1, $2, $3::jsonb)`, [root.id, country, JSON.stringify({ en: name })]);
    return { code: root.code, root };
  }

  const aggregate = async (): Promise<{ byCountry: KeptRow[]; byInstitution: KeptRow[]; minCell: number }> => (await api.http.get('/api/v1/open-data/joint-commitments').expect(200)).body;
  const row = (rows: KeptRow[], key: string): KeptRow | undefined => rows.find((r) => r.key === key);

  beforeAll(async () => {
    api = await startApi();
    const ds = api.dataSource;
    a = await institution('RS', 'Ministry of Public Administration');
    b = await institution('RS', 'City of Niš');
    c = await institution('ME', 'Human Resources Authority');
    organiser = await aUser(ds, { orgUnit: a.root, roles: [{ role: 'hr', scope: a.root }], displayName: 'Organiser' });
    aPeople = [];
    cPeople = [];
    for (let i = 0; i < 5; i++) aPeople.push(await aUser(ds, { orgUnit: a.root, displayName: `Ana ${i}` }));
    bPerson = await aUser(ds, { orgUnit: b.root, displayName: 'Bojan', locale: 'sr-Latn', timeZone: 'Europe/Belgrade' });
    for (let i = 0; i < 5; i++) cPeople.push(await aUser(ds, { orgUnit: c.root, displayName: `Crna ${i}`, locale: i === 0 ? 'mk' : 'en', timeZone: 'Europe/Podgorica' }));
    outsider = await aUser(ds, { orgUnit: b.root, displayName: 'Outsider (participant, not a member)' });
    stranger = await aUser(ds, { orgUnit: c.root, displayName: 'Stranger (did not attend)' });
    const ev = await api.http
      .post('/api/v1/events')
      .set('authorization', await auth(organiser))
      .send({ title: 'Regional workshop on digital services', ownerOrgUnitId: a.root.id, capacity: 30, sessions: threeSessions(new Date(), 10).slice(0, 1) })
      .expect(201);
    eventId = ev.body.id;
    for (const p of [...aPeople, bPerson, ...cPeople, outsider]) {
      const r = await api.http.post(`/api/v1/events/${eventId}/registrations`).set('authorization', await auth(p)).send({}).expect(201);
      expect(r.body.status).toBe('booked');
    }
    const d = new Date(Date.now() + 30 * DAY);
    dueDay = d.toISOString().slice(0, 10);
  }, 60_000);

  afterAll(async () => {
    resetClock(api);
    await api.close();
  });

  it('a participant of A forms a group from a commitment shared with B and invites C (two countries); invitees accept', async () => {
    const commitment = await api.http
      .post(`/api/v1/events/${eventId}/commitments`)
      .set('authorization', await auth(aPeople[0]))
      .send({ action: 'One shared e-service checklist for three administrations', dueOn: dueDay, memberIds: [bPerson.id] })
      .expect(201);
    // Only participants of the event can be invited; a stranger is refused field by field.
    const bad = await api.http
      .post(`/api/v1/events/${eventId}/follow-up-groups`)
      .set('authorization', await auth(aPeople[0]))
      .send({ title: 'x', commitmentId: commitment.body.id, inviteeIds: [stranger.id] })
      .expect(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors[0]).toMatchObject({ field: 'userIds' });
    // A person who did not attend may not start one.
    await api.http.post(`/api/v1/events/${eventId}/follow-up-groups`).set('authorization', await auth(stranger)).send({ title: 'x', action: 'y' }).expect(403);
    const made = await api.http
      .post(`/api/v1/events/${eventId}/follow-up-groups`)
      .set('authorization', await auth(aPeople[0]))
      .send({ title: 'E-services across the border', commitmentId: commitment.body.id, inviteeIds: [cPeople[0].id] })
      .expect(201);
    groupId = made.body.id;
    expect(made.body).toMatchObject({ action: 'One shared e-service checklist for three administrations', status: 'open', myRole: 'active', commitmentId: commitment.body.id });
    const status = Object.fromEntries(made.body.members.map((m: { userId: string; status: string }) => [m.userId, m.status]));
    expect(status).toEqual({ [aPeople[0].id]: 'active', [bPerson.id]: 'invited', [cPeople[0].id]: 'invited' });
    // A second group from the same commitment is a conflict.
    await api.http.post(`/api/v1/events/${eventId}/follow-up-groups`).set('authorization', await auth(aPeople[0])).send({ title: 'again', commitmentId: commitment.body.id }).expect(409);

    // An invitee sees the group but may not post before accepting.
    const seen = await api.http.get(`/api/v1/follow-up-groups/${groupId}`).set('authorization', await auth(cPeople[0])).expect(200);
    expect(seen.body.myRole).toBe('invited');
    await api.http.post(`/api/v1/follow-up-groups/${groupId}/posts`).set('authorization', await auth(cPeople[0])).send({ body: 'hi' }).expect(403);
    for (const p of [bPerson, cPeople[0]]) {
      const ok = await api.http.post(`/api/v1/follow-up-groups/${groupId}/accept`).set('authorization', await auth(p)).expect(200);
      expect(ok.body.myRole).toBe('active');
    }
    const group = await api.http.get(`/api/v1/follow-up-groups/${groupId}`).set('authorization', await auth(bPerson)).expect(200);
    const members = group.body.members as Array<{ status: string; country: string; institution: string }>;
    expect(members.every((m) => m.status === 'active')).toBe(true);
    expect(new Set(members.map((m) => m.country))).toEqual(new Set(['RS', 'ME']));
    expect(new Set(members.map((m) => m.institution))).toEqual(new Set(['Ministry of Public Administration', 'City of Niš', 'Human Resources Authority']));
    const mine = await api.http.get('/api/v1/me/follow-up-groups?limit=1').set('authorization', await auth(cPeople[0])).expect(200);
    expect(mine.body).toMatchObject({ total: 1, limit: 1, items: [{ id: groupId }] });
  });

  it('only members and the event’s organisers see the group: a participant who is no member and a stranger get 404', async () => {
    for (const u of [outsider, stranger]) {
      const res = await api.http.get(`/api/v1/follow-up-groups/${groupId}`).set('authorization', await auth(u)).expect(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      await api.http.get(`/api/v1/follow-up-groups/${groupId}/posts`).set('authorization', await auth(u)).expect(404);
      await api.http.post(`/api/v1/follow-up-groups/${groupId}/posts`).set('authorization', await auth(u)).send({ body: 'let me in' }).expect(404);
      await api.http.post(`/api/v1/follow-up-groups/${groupId}/accept`).set('authorization', await auth(u)).expect(404);
      await api.http.post(`/api/v1/follow-up-groups/${groupId}/decline`).set('authorization', await auth(u)).expect(404);
      await api.http.post(`/api/v1/follow-up-groups/${groupId}/invitations`).set('authorization', await auth(u)).send({ userIds: [u.id] }).expect(404);
    }
    // Accepting twice is harmless; a member has nothing to decline.
    await api.http.post(`/api/v1/follow-up-groups/${groupId}/accept`).set('authorization', await auth(bPerson)).expect(200);
    await api.http.post(`/api/v1/follow-up-groups/${groupId}/decline`).set('authorization', await auth(bPerson)).expect(409);
    await api.http.get(`/api/v1/follow-up-groups/${groupId}`).expect(401);
    const org = await api.http.get(`/api/v1/follow-up-groups/${groupId}`).set('authorization', await auth(organiser)).expect(200);
    expect(org.body.myRole).toBe('organiser');
    // The organiser reads but does not speak for the group.
    await api.http.post(`/api/v1/follow-up-groups/${groupId}/posts`).set('authorization', await auth(organiser)).send({ body: 'x' }).expect(403);
    const list = await api.http.get(`/api/v1/events/${eventId}/follow-up-groups`).set('authorization', await auth(organiser)).expect(200);
    expect(list.body.items.map((g: { id: string }) => g.id)).toEqual([groupId]);
    await api.http.get(`/api/v1/events/${eventId}/follow-up-groups`).set('authorization', await auth(aPeople[0])).expect(403);
  });

  it('milestones: every member is reminded once 7 days and once 1 day before the due day when the clock is moved, in their language', async () => {
    const m1 = await api.http.post(`/api/v1/follow-up-groups/${groupId}/milestones`).set('authorization', await auth(bPerson)).send({ title: 'Checklist drafted', dueOn: dueDay }).expect(201);
    const later = new Date(Date.parse(`${dueDay}T00:00:00Z`) + 60 * DAY).toISOString().slice(0, 10);
    await api.http.post(`/api/v1/follow-up-groups/${groupId}/milestones`).set('authorization', await auth(cPeople[0])).send({ title: 'Checklist adopted', dueOn: later }).expect(201);
    const badDate = await api.http.post(`/api/v1/follow-up-groups/${groupId}/milestones`).set('authorization', await auth(bPerson)).send({ title: 'x', dueOn: '2027-02-30' }).expect(400);
    expect(badDate.headers['content-type']).toContain('application/problem+json');

    // A zone name PostgreSQL does not know (stored before a tzdata change) counts as UTC and does not stop the sweep.
    await api.dataSource.query(`UPDATE app_user SET time_zone = 'Europe/Atlantis' WHERE id = $1`, [aPeople[0].id]);
    const sweep = api.app.get(CommitmentReminderSweepHandler);
    const due = Date.parse(`${dueDay}T00:00:00Z`);
    const reminders = async () =>
      (await api.dataSource.query(`SELECT user_id AS "userId", data->>'daysBefore' AS days, title, link FROM notification WHERE type = 'event_followup_milestone' ORDER BY created_at, user_id`)) as Array<{
        userId: string;
        days: string;
        title: string;
        link: string;
      }>;
    setClock(api, new Date(due - 10 * DAY));
    await sweep.handle();
    expect(await reminders()).toHaveLength(0);

    setClock(api, new Date(due - 6.5 * DAY));
    await sweep.handle();
    await sweep.handle();
    const week = await reminders();
    expect(week.map((r) => r.userId).sort()).toEqual([aPeople[0].id, bPerson.id, cPeople[0].id].sort());
    expect(week.every((r) => r.days === '7' && r.link.endsWith(`/follow-up/${groupId}`))).toBe(true);
    expect(week.find((r) => r.userId === bPerson.id)!.title).toMatch(/^Rok .*: Checklist drafted$/);
    expect(week.find((r) => r.userId === cPeople[0].id)!.title).toMatch(/^Рок .*: Checklist drafted$/);
    expect(week.find((r) => r.userId === aPeople[0].id)!.title).toMatch(/^Milestone due .*: Checklist drafted$/);

    setClock(api, new Date(due - 0.5 * DAY));
    await sweep.handle();
    await sweep.handle();
    const all = await reminders();
    expect(all).toHaveLength(6);
    expect(all.filter((r) => r.days === '1')).toHaveLength(3);
    expect(m1.body).toMatchObject({ title: 'Checklist drafted', dueOn: dueDay, done: false });
  });

  it('members mark milestones done (who is recorded) and post updates; all done means the joint commitment is kept', async () => {
    const group = (await api.http.get(`/api/v1/follow-up-groups/${groupId}`).set('authorization', await auth(aPeople[0])).expect(200)).body as { milestones: Array<{ id: string }> };
    const [m1, m2] = group.milestones;
    await api.http.put(`/api/v1/follow-up-groups/${groupId}/milestones/${m1.id}`).set('authorization', await auth(outsider)).send({ done: true }).expect(404);
    await api.http.put(`/api/v1/follow-up-groups/${groupId}/milestones/${m1.id}`).set('authorization', await auth(bPerson)).send({ done: 'yes' }).expect(400);
    await api.http.put(`/api/v1/follow-up-groups/${groupId}/milestones/00000000-0000-4000-8000-000000000000`).set('authorization', await auth(bPerson)).send({ done: true }).expect(404);
    const one = await api.http.put(`/api/v1/follow-up-groups/${groupId}/milestones/${m1.id}`).set('authorization', await auth(bPerson)).send({ done: true }).expect(200);
    expect(one.body.milestones[0]).toMatchObject({ done: true, doneBy: bPerson.id, doneByName: 'Bojan' });
    expect(one.body.status).toBe('open');
    const posted = await api.http.post(`/api/v1/follow-up-groups/${groupId}/posts`).set('authorization', await auth(cPeople[0])).send({ body: 'Podgorica adopted the checklist draft.' }).expect(201);
    expect(posted.body).toMatchObject({ userId: cPeople[0].id, body: 'Podgorica adopted the checklist draft.' });
    const posts = await api.http.get(`/api/v1/follow-up-groups/${groupId}/posts?limit=10`).set('authorization', await auth(organiser)).expect(200);
    expect(posts.body).toMatchObject({ total: 1, items: [{ displayName: 'Crna 0' }] });
    const two = await api.http.put(`/api/v1/follow-up-groups/${groupId}/milestones/${m2.id}`).set('authorization', await auth(cPeople[0])).send({ done: true }).expect(200);
    expect(two.body.status).toBe('kept');
    expect(two.body.keptAt).not.toBeNull();
  });

  it('the public aggregate: kept joint commitments by country and institution, suppressed below 5 and shown at 5', async () => {
    let doc = await aggregate();
    expect(doc.minCell).toBe(5);
    for (const r of [...doc.byCountry, ...doc.byInstitution]) expect(r).toMatchObject({ commitments: null, kept: null, suppressed: true });
    // Four more groups, each with one person of A and one of C (different people), all kept by their members.
    for (let i = 1; i < 5; i++) {
      const g = await api.http
        .post(`/api/v1/events/${eventId}/follow-up-groups`)
        .set('authorization', await auth(aPeople[i]))
        .send({ title: `Pair ${i}`, action: `Joint action ${i}`, inviteeIds: [cPeople[i].id] })
        .expect(201);
      await api.http.post(`/api/v1/follow-up-groups/${g.body.id}/accept`).set('authorization', await auth(cPeople[i])).expect(200);
      if (i < 4) await api.http.put(`/api/v1/follow-up-groups/${g.body.id}/status`).set('authorization', await auth(cPeople[i])).send({ status: 'kept' }).expect(200);
      else {
        // The fifth is not kept yet: five joint commitments, four kept.
        doc = await aggregate();
        expect(row(doc.byCountry, 'RS')).toMatchObject({ commitments: 5, kept: 4, suppressed: false });
        await api.http.put(`/api/v1/follow-up-groups/${g.body.id}/status`).set('authorization', await auth(aPeople[i])).send({ status: 'kept' }).expect(200);
      }
    }
    await api.http.put(`/api/v1/follow-up-groups/${groupId}/status`).set('authorization', await auth(bPerson)).send({ status: 'maybe' }).expect(400);
    doc = await aggregate();
    expect(row(doc.byCountry, 'RS')).toMatchObject({ commitments: 5, kept: 5, suppressed: false });
    expect(row(doc.byCountry, 'ME')).toMatchObject({ commitments: 5, kept: 5, suppressed: false });
    expect(row(doc.byInstitution, a.code)).toMatchObject({ commitments: 5, kept: 5, suppressed: false });
    expect(row(doc.byInstitution, c.code)).toMatchObject({ commitments: 5, kept: 5, suppressed: false });
    // B took part in one group only: suppressed.
    expect(row(doc.byInstitution, b.code)).toEqual({ key: b.code, label: 'City of Niš', country: 'RS', commitments: null, kept: null, suppressed: true });
  });
  it('the data export lists the person’s groups and posts; an erasure removes the membership and the person’s words, the group stays', async () => {
    const exported = await api.http.get('/api/v1/me/data-export?format=json').set('authorization', await auth(cPeople[0])).expect(200);
    expect(exported.body.followupGroups).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: groupId, membership: 'active', posts: [expect.objectContaining({ body: 'Podgorica adopted the checklist draft.' })] })]),
    );
    const admin = await aUser(api.dataSource, { orgUnit: a.root, roles: [{ role: 'admin', scope: null }] });
    await api.http.post(`/api/v1/users/${cPeople[0].id}/erasure`).set('authorization', await auth(admin)).send({ reason: 'asked to be forgotten' }).expect(200);
    const group = await api.http.get(`/api/v1/follow-up-groups/${groupId}`).set('authorization', await auth(bPerson)).expect(200);
    expect(group.body.members.map((m: { userId: string }) => m.userId)).not.toContain(cPeople[0].id);
    expect(group.body.milestones.every((m: { doneBy: string | null }) => m.doneBy !== cPeople[0].id)).toBe(true);
    const posts = await api.http.get(`/api/v1/follow-up-groups/${groupId}/posts`).set('authorization', await auth(bPerson)).expect(200);
    expect(posts.body.items).toEqual([expect.objectContaining({ userId: null, displayName: null, body: '' })]);
  });
});
