import type { User } from '@lms/identity';
import { PROBLEM_CONTENT_TYPE } from '@lms/platform';
import { anOrgUnit, aUser, startApi, type TestApi, tokenFor } from '@lms/testing';
import { setClock } from './notifications-fixtures.js';

/** In-app notifications and preferences over HTTP. */
describe('In-app notifications and preferences (HTTP)', () => {
  let api: TestApi;
  let me: User;
  let other: User;
  let myToken: string;
  let ids: string[];

  async function aNotification(user: User, title: string, createdAt: string, readAt: string | null = null): Promise<string> {
    const [row] = (await api.dataSource.query(
      `INSERT INTO notification (user_id, type, dedupe_key, locale, title, body, link, data, read_at, created_at)
       VALUES ($1, 'assigned', $2, 'en', $3, 'Body', 'http://lms.test/courses/x', '{"k":1}', $4, $5) RETURNING id`,
      [user.id, `test:${title}`, title, readAt, createdAt],
    )) as Array<{ id: string }>;
    return row.id;
  }

  beforeAll(async () => {
    api = await startApi();
    const unit = await anOrgUnit(api.dataSource);
    me = await aUser(api.dataSource, { orgUnit: unit });
    other = await aUser(api.dataSource, { orgUnit: unit });
    myToken = await tokenFor(api.config, me);
    ids = [
      await aNotification(me, 'old unread', '2026-01-01T10:00:00Z'),
      await aNotification(me, 'newest, read', '2026-01-05T10:00:00Z', '2026-01-05T11:00:00Z'),
      await aNotification(me, 'new unread', '2026-01-03T10:00:00Z'),
    ];
    await aNotification(other, 'not mine', '2026-01-04T10:00:00Z');
  });

  afterAll(async () => {
    await api.close();
  });

  it('lists my notifications, unread first then newest first, paginated', async () => {
    const res = await api.http.get('/api/v1/me/notifications').set('Authorization', `Bearer ${myToken}`).expect(200);
    expect(res.body).toMatchObject({ page: 1, limit: 20, total: 3, unread: 2 });
    expect(res.body.items.map((n: { title: string }) => n.title)).toEqual(['new unread', 'old unread', 'newest, read']);
    expect(res.body.items[0]).toMatchObject({ id: ids[2], type: 'assigned', body: 'Body', link: 'http://lms.test/courses/x', data: { k: 1 }, read: false, readAt: null });
    const page2 = await api.http.get('/api/v1/me/notifications?page=2&limit=2').set('Authorization', `Bearer ${myToken}`).expect(200);
    expect(page2.body).toMatchObject({ page: 2, limit: 2, total: 3 });
    expect(page2.body.items.map((n: { title: string }) => n.title)).toEqual(['newest, read']);
    const unread = await api.http.get('/api/v1/me/notifications?unread=true').set('Authorization', `Bearer ${myToken}`).expect(200);
    expect(unread.body.total).toBe(2);
    await api.http.get('/api/v1/me/notifications?limit=101').set('Authorization', `Bearer ${myToken}`).expect(400);
    await api.http.get('/api/v1/me/notifications?unread=maybe').set('Authorization', `Bearer ${myToken}`).expect(400);
    await api.http.get('/api/v1/me/notifications').expect(401);
  });

  it('marks my notification read (idempotently); another person’s is 404, a malformed id 400', async () => {
    setClock(api, '2026-01-06T09:00:00Z');
    const res = await api.http.post(`/api/v1/me/notifications/${ids[0]}/read`).set('Authorization', `Bearer ${myToken}`).expect(200);
    expect(res.body).toMatchObject({ id: ids[0], read: true, readAt: '2026-01-06T09:00:00.000Z' });
    setClock(api, '2026-01-07T09:00:00Z');
    const again = await api.http.post(`/api/v1/me/notifications/${ids[0]}/read`).set('Authorization', `Bearer ${myToken}`).expect(200);
    expect(again.body.readAt).toBe('2026-01-06T09:00:00.000Z');

    const [theirs] = (await api.dataSource.query(`SELECT id FROM notification WHERE user_id = $1`, [other.id])) as Array<{ id: string }>;
    const notMine = await api.http.post(`/api/v1/me/notifications/${theirs.id}/read`).set('Authorization', `Bearer ${myToken}`).expect(404);
    expect(notMine.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    const [still] = (await api.dataSource.query(`SELECT read_at FROM notification WHERE id = $1`, [theirs.id])) as Array<{ read_at: Date | null }>;
    expect(still.read_at).toBeNull();
    await api.http.post('/api/v1/me/notifications/7b0f9a34-3c2e-4a8b-9d7e-2f1c3b4a5d6e/read').set('Authorization', `Bearer ${myToken}`).expect(404);
    await api.http.post('/api/v1/me/notifications/not-a-uuid/read').set('Authorization', `Bearer ${myToken}`).expect(400);

    const all = await api.http.post('/api/v1/me/notifications/read-all').set('Authorization', `Bearer ${myToken}`).expect(200);
    expect(all.body).toEqual({ updated: 1 });
    const list = await api.http.get('/api/v1/me/notifications').set('Authorization', `Bearer ${myToken}`).expect(200);
    expect(list.body.unread).toBe(0);
  });

  it('reads and sets my preferences, refusing anything else', async () => {
    const token = await tokenFor(api.config, other);
    await api.http.get('/api/v1/me/notification-preferences').set('Authorization', `Bearer ${token}`).expect(200, { email: true, digest: 'daily', inApp: true });
    await api.http.put('/api/v1/me/notification-preferences').set('Authorization', `Bearer ${token}`).send({ email: false, digest: 'immediate' }).expect(200, {
      email: false,
      digest: 'immediate',
      inApp: true,
    });
    await api.http.get('/api/v1/me/notification-preferences').set('Authorization', `Bearer ${token}`).expect(200, { email: false, digest: 'immediate', inApp: true });
    const bad = await api.http.put('/api/v1/me/notification-preferences').set('Authorization', `Bearer ${token}`).send({ email: 'yes', digest: 'weekly' }).expect(400);
    expect(bad.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['digest', 'email']);
    await api.http.put('/api/v1/me/notification-preferences').set('Authorization', `Bearer ${token}`).send({ email: true }).expect(400);
    await api.http.put('/api/v1/me/notification-preferences').set('Authorization', `Bearer ${token}`).send({ email: true, digest: 'daily', inApp: false }).expect(400);
    await api.http.put('/api/v1/me/notification-preferences').send({ email: true, digest: 'daily' }).expect(401);
    // my own preferences were not touched
    await api.http.get('/api/v1/me/notification-preferences').set('Authorization', `Bearer ${myToken}`).expect(200, { email: true, digest: 'daily', inApp: true });
  });
});
