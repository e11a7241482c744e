import { startApi, TestApi } from '@lms/testing';
import { bearer, Hub, seedHub } from './hub-fixtures.js';

const DIR = '/api/v1/directory';

describe('hub: people directory with consent', () => {
  let api: TestApi;
  let hub: Hub;
  let version: string;

  const optIn = (token: string, body: Record<string, unknown> = {}) =>
    api.http
      .put(`${DIR}/me`)
      .set(bearer(token))
      .send({ consent: true, consentVersion: version, ...body });

  beforeAll(async () => {
    api = await startApi();
    hub = await seedHub(api);
    version = (await api.http.get(`${DIR}/consent`).set(bearer(hub.rsA.token.learner)).expect(200)).body.version;
    // rsA's learner met the attendance rule of a regional workshop.
    const [event] = (await api.dataSource.query(
      `INSERT INTO live_event (title, owner_org_unit_id, capacity) VALUES ('Regional workshop: AI in local government', $1, 30) RETURNING id`,
      [hub.rsA.root.id],
    )) as Array<{ id: string }>;
    await api.dataSource.query(
      `INSERT INTO event_registration (event_id, user_id, status, completed_at) VALUES ($1, $2, 'booked', now())`,
      [event.id, hub.rsA.learner.id],
    );
  });
  afterAll(async () => {
    await api.close();
  });

  it('holds nobody without consent: the directory is closed to people who have not opted in', async () => {
    await api.http.get(`${DIR}/me`).set(bearer(hub.rsA.token.learner)).expect(404);
    const closed = await api.http.get(`${DIR}/people`).set(bearer(hub.rsA.token.learner)).expect(403);
    expect(closed.headers['content-type']).toContain('application/problem+json');
    expect(closed.body.code).toBe('directory_consent_required');
    await api.http.get(`${DIR}/people`).expect(401);
  });

  it.each([
    ['no consent', { consent: false }, 'consent'],
    ['an old consent version', { consentVersion: '2020-01-1' }, 'consentVersion'],
    ['a bad language tag', { languages: ['not a tag!'] }, 'languages.0'],
    ['a tag with markup', { expertise: ['<script>'] }, 'expertise.0'],
    ['an empty name', { displayName: '   ' }, 'displayName'],
    ['consent as a string', { consent: 'yes' }, 'consent'],
  ])('refuses to opt in with %s (400 naming the field, nothing stored)', async (_what, patch, field) => {
    const res = await optIn(hub.rsB.token.learner, patch).expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(res.body)).toContain(field);
    const rows = (await api.dataSource.query(`SELECT 1 FROM directory_profile WHERE user_id = $1`, [hub.rsB.learner.id])) as unknown[];
    expect(rows).toHaveLength(0);
  });

  it('a profile appears only after consent (recorded with version and time, audited) and disappears at once on withdrawal', async () => {
    const mine = await optIn(hub.rsA.token.learner, {
      displayName: 'Ana from the Academy',
      languages: ['sr-latn', 'en'],
      expertise: ['AI in Local Government', 'procurement'],
    }).expect(200);
    expect(mine.body).toMatchObject({
      userId: hub.rsA.learner.id,
      displayName: 'Ana from the Academy',
      institution: { id: hub.rsA.id, name: 'National Academy', country: 'RS' },
      country: 'RS',
      languages: ['sr-Latn', 'en'],
      expertise: ['ai in local government', 'procurement'],
      workshops: [{ title: 'Regional workshop: AI in local government' }],
      consent: { version },
    });
    expect(Date.parse(mine.body.consent.at)).not.toBeNaN();
    // Another person who has not opted in still sees nothing.
    await api.http.get(`${DIR}/people/${hub.rsA.learner.id}`).set(bearer(hub.meC.token.learner)).expect(403);
    // Once they opt in, they find the profile (without its consent record).
    await optIn(hub.meC.token.learner, { languages: ['en', 'sr-Latn'], expertise: ['open data'] }).expect(200);
    const seen = await api.http.get(`${DIR}/people/${hub.rsA.learner.id}`).set(bearer(hub.meC.token.learner)).expect(200);
    expect(seen.body.displayName).toBe('Ana from the Academy');
    expect(seen.body.consent).toBeUndefined();
    expect(JSON.stringify(seen.body)).not.toContain(hub.rsA.learner.email);
    // People who never opted in are not in it, whoever asks.
    await api.http.get(`${DIR}/people/${hub.rsB.learner.id}`).set(bearer(hub.meC.token.learner)).expect(404);

    // Withdrawal: gone at once, for everyone.
    await api.http.delete(`${DIR}/me`).set(bearer(hub.rsA.token.learner)).expect(204);
    await api.http.get(`${DIR}/people/${hub.rsA.learner.id}`).set(bearer(hub.meC.token.learner)).expect(404);
    const list = await api.http.get(`${DIR}/people`).set(bearer(hub.meC.token.learner)).expect(200);
    expect(list.body.items.map((p: { userId: string }) => p.userId)).not.toContain(hub.rsA.learner.id);
    await api.http.get(`${DIR}/me`).set(bearer(hub.rsA.token.learner)).expect(404);
    await api.http.delete(`${DIR}/me`).set(bearer(hub.rsA.token.learner)).expect(404);
    const audit = (await api.dataSource.query(
      `SELECT action FROM audit_event WHERE subject_type = 'user' AND subject_id = $1 AND action LIKE 'directory.%' ORDER BY at`,
      [hub.rsA.learner.id],
    )) as Array<{ action: string }>;
    expect(audit.map((a) => a.action)).toEqual(['directory.consent_given', 'directory.consent_withdrawn']);
  });

  it('lists with pagination and searches by tag, country, language and text', async () => {
    await optIn(hub.rsA.token.learner, { languages: ['sr-Latn'], expertise: ['procurement', 'ai in local government'] }).expect(200);
    await optIn(hub.rsB.token.learner, { languages: ['sr-Latn', 'en'], expertise: ['procurement'] }).expect(200);
    const get = (query: Record<string, string | number>) =>
      api.http.get(`${DIR}/people`).query(query).set(bearer(hub.meC.token.learner)).expect(200);
    const ids = (res: { body: { items: Array<{ userId: string }> } }) => res.body.items.map((p) => p.userId).sort();
    const mine = [hub.rsA.learner.id, hub.rsB.learner.id, hub.meC.learner.id];
    const all = await get({ limit: 100 });
    expect(all.body.total).toBeGreaterThanOrEqual(3);
    expect(ids(all)).toEqual(expect.arrayContaining(mine));
    const page = await get({ limit: 1, page: 2 });
    expect(page.body).toMatchObject({ page: 2, limit: 1 });
    expect(page.body.items).toHaveLength(1);
    expect(ids(await get({ tag: 'Procurement', limit: 100 })).filter((id) => mine.includes(id))).toEqual(
      [hub.rsA.learner.id, hub.rsB.learner.id].sort(),
    );
    expect(ids(await get({ country: 'me', limit: 100 })).filter((id) => mine.includes(id))).toEqual([hub.meC.learner.id]);
    expect(ids(await get({ language: 'en', limit: 100 })).filter((id) => mine.includes(id))).toEqual(
      [hub.rsB.learner.id, hub.meC.learner.id].sort(),
    );
    expect(ids(await get({ q: 'local gov', limit: 100 })).filter((id) => mine.includes(id))).toEqual([hub.rsA.learner.id]);
    for (const bad of [{ country: 'Serbia' }, { language: 'not a tag!' }, { limit: 1000 }, { tag: '<b>' }]) {
      const res = await api.http.get(`${DIR}/people`).query(bad).set(bearer(hub.meC.token.learner)).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('contact requests reveal e-mail addresses only once accepted; a declined one reveals nothing', async () => {
    // meC's learner asks rsA's learner; rsB's learner asks meC's learner.
    const asked = await api.http
      .post(`${DIR}/people/${hub.rsA.learner.id}/contact-requests`)
      .set(bearer(hub.meC.token.learner))
      .send({ message: 'Shall we compare our AI policies?' })
      .expect(201);
    expect(asked.body).toMatchObject({ direction: 'outgoing', status: 'pending', person: { userId: hub.rsA.learner.id } });
    expect(asked.body.email).toBeUndefined();
    // One request per pair, in either direction.
    await api.http.post(`${DIR}/people/${hub.meC.learner.id}/contact-requests`).set(bearer(hub.rsA.token.learner)).send({}).expect(409);
    await api.http.post(`${DIR}/people/${hub.meC.learner.id}/contact-requests`).set(bearer(hub.meC.token.learner)).send({}).expect(400);
    // Not to someone outside the directory.
    await api.http.post(`${DIR}/people/${hub.rsA.instAdmin.id}/contact-requests`).set(bearer(hub.meC.token.learner)).send({}).expect(404);

    const pending = await api.http.get(`${DIR}/contact-requests`).set(bearer(hub.rsA.token.learner)).expect(200);
    const incoming = pending.body.items.find((r: { id: string }) => r.id === asked.body.id);
    expect(incoming).toMatchObject({
      direction: 'incoming',
      status: 'pending',
      message: 'Shall we compare our AI policies?',
      person: { userId: hub.meC.learner.id },
    });
    expect(JSON.stringify(pending.body)).not.toContain(hub.meC.learner.email);
    // Only the recipient decides.
    await api.http.post(`${DIR}/contact-requests/${asked.body.id}/accept`).set(bearer(hub.meC.token.learner)).expect(404);
    await api.http.post(`${DIR}/contact-requests/${asked.body.id}/accept`).set(bearer(hub.rsB.token.learner)).expect(404);
    const accepted = await api.http.post(`${DIR}/contact-requests/${asked.body.id}/accept`).set(bearer(hub.rsA.token.learner)).expect(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', email: hub.meC.learner.email });
    await api.http.post(`${DIR}/contact-requests/${asked.body.id}/decline`).set(bearer(hub.rsA.token.learner)).expect(409);
    const senderView = await api.http.get(`${DIR}/contact-requests`).set(bearer(hub.meC.token.learner)).expect(200);
    expect(senderView.body.items.find((r: { id: string }) => r.id === asked.body.id)).toMatchObject({
      status: 'accepted',
      email: hub.rsA.learner.email,
    });

    // Declined: the sender sees it as still pending, and neither address travels.
    const second = await api.http
      .post(`${DIR}/people/${hub.meC.learner.id}/contact-requests`)
      .set(bearer(hub.rsB.token.learner))
      .send({})
      .expect(201);
    const declined = await api.http
      .post(`${DIR}/contact-requests/${second.body.id}/decline`)
      .set(bearer(hub.meC.token.learner))
      .expect(200);
    expect(declined.body.status).toBe('declined');
    expect(declined.body.email).toBeUndefined();
    const rsBView = await api.http.get(`${DIR}/contact-requests`).set(bearer(hub.rsB.token.learner)).expect(200);
    expect(rsBView.body.items.find((r: { id: string }) => r.id === second.body.id)).toMatchObject({ status: 'pending' });
    expect(JSON.stringify(rsBView.body)).not.toContain(hub.meC.learner.email);
    expect(
      JSON.stringify((await api.http.get(`${DIR}/contact-requests`).set(bearer(hub.meC.token.learner)).expect(200)).body),
    ).not.toContain(hub.rsB.learner.email);
  });

  it('exports the profile and contact requests with the person’s data, and an erasure deletes them', async () => {
    const exported = await api.http.get('/api/v1/me/data-export?format=json').set(bearer(hub.rsA.token.learner)).expect(200);
    expect(exported.body.directoryProfile).toMatchObject({ consentVersion: version, expertise: ['procurement', 'ai in local government'] });
    expect(exported.body.contactRequests).toEqual(
      expect.arrayContaining([expect.objectContaining({ direction: 'incoming', status: 'accepted' })]),
    );
    await api.http
      .post(`/api/v1/users/${hub.rsA.learner.id}/erasure`)
      .set(bearer(hub.adminToken))
      .send({ reason: 'request 20-5' })
      .expect(200);
    const left = (await api.dataSource.query(
      `SELECT (SELECT count(*)::int FROM directory_profile WHERE user_id = $1) AS profiles,
              (SELECT count(*)::int FROM directory_contact_request WHERE from_user_id = $1 OR to_user_id = $1) AS requests`,
      [hub.rsA.learner.id],
    )) as Array<{ profiles: number; requests: number }>;
    expect(left[0]).toEqual({ profiles: 0, requests: 0 });
  });
});
