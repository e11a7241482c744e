import { aUser, startApi, TestApi, tokenFor, uniq } from '@lms/testing';
import { EventNotifier } from '@lms/notifications';
import { drainJobs } from '../support/jobs.js';
import { bearer, Hub, seedHub } from './hub-fixtures.js';

const COMMUNITIES = '/api/v1/communities';

describe('hub: communities of practice', () => {
  let api: TestApi;
  let hub: Hub;
  /** Open to rsA and meC only. */
  let space: string;
  /** Open to the whole hub. */
  let open: string;

  const replyNotices = async (postId: string): Promise<Array<{ user_id: string }>> =>
    (await api.dataSource.query(
      `SELECT user_id FROM notification WHERE type = 'community_reply' AND data ->> 'postId' = $1 ORDER BY user_id`,
      [postId],
    )) as Array<{ user_id: string }>;

  beforeAll(async () => {
    api = await startApi();
    hub = await seedHub(api);
    space = uniq('ai-local').toLowerCase();
    open = uniq('open-data').toLowerCase();
    await api.http
      .post(COMMUNITIES)
      .set(bearer(hub.adminToken))
      .send({
        slug: space,
        title: 'AI in local government',
        description: 'Practice across the region',
        audience: 'institutions',
        institutionIds: [hub.rsA.id, hub.meC.id],
      })
      .expect(201);
    await api.http.post(COMMUNITIES).set(bearer(hub.adminToken)).send({ slug: open, title: 'Open data', audience: 'hub' }).expect(201);
  });
  afterAll(async () => {
    await api.close();
  });

  it('only an admin opens a space; bad input is a 400 problem naming the field', async () => {
    await api.http
      .post(COMMUNITIES)
      .set(bearer(hub.rsA.token.instAdmin))
      .send({ slug: uniq('x').toLowerCase(), title: 'X', audience: 'hub' })
      .expect(403);
    for (const [body, field] of [
      [{ slug: 'Has Space', title: 'X', audience: 'hub' }, 'slug'],
      [{ slug: uniq('y').toLowerCase(), title: 'X', audience: 'institutions' }, 'institutionIds'],
      [
        { slug: uniq('y').toLowerCase(), title: 'X', audience: 'institutions', institutionIds: ['00000000-0000-4000-8000-000000000000'] },
        'institutionIds',
      ],
      [{ slug: uniq('y').toLowerCase(), title: 'X', audience: 'everyone' }, 'audience'],
      [{ slug: uniq('y').toLowerCase(), title: '', audience: 'hub' }, 'title'],
    ] as const) {
      const res = await api.http.post(COMMUNITIES).set(bearer(hub.adminToken)).send(body).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(res.body)).toContain(field);
    }
    await api.http.post(COMMUNITIES).set(bearer(hub.adminToken)).send({ slug: open, title: 'Again', audience: 'hub' }).expect(409);
  });

  it('a person from an institution outside the space’s audience gets 404 everywhere in it', async () => {
    const outsider = hub.rsB.token.learner;
    const listed = await api.http.get(COMMUNITIES).query({ limit: 100 }).set(bearer(outsider)).expect(200);
    const slugs = listed.body.items.map((s: { slug: string }) => s.slug);
    expect(slugs).toContain(open);
    expect(slugs).not.toContain(space);
    const thread = await api.http
      .post(`${COMMUNITIES}/${space}/threads`)
      .set(bearer(hub.rsA.token.learner))
      .send({ title: 'Chatbots for citizens', body: 'Who runs one?' })
      .expect(201);
    await api.http.get(`${COMMUNITIES}/${space}`).set(bearer(outsider)).expect(404);
    await api.http.get(`${COMMUNITIES}/${space}/threads`).set(bearer(outsider)).expect(404);
    await api.http.get(`${COMMUNITIES}/${space}/threads/${thread.body.id}`).set(bearer(outsider)).expect(404);
    await api.http.post(`${COMMUNITIES}/${space}/threads`).set(bearer(outsider)).send({ title: 'x', body: 'y' }).expect(404);
    await api.http
      .post(`${COMMUNITIES}/${space}/threads/${thread.body.id}/posts`)
      .set(bearer(outsider))
      .send({ body: 'me too' })
      .expect(404);
    await api.http
      .post(`${COMMUNITIES}/${space}/posts/${thread.body.posts[0].id}/reports`)
      .set(bearer(outsider))
      .send({ reason: 'x' })
      .expect(404);
    // The same thread is not reachable through another space's slug.
    await api.http.get(`${COMMUNITIES}/${open}/threads/${thread.body.id}`).set(bearer(outsider)).expect(404);
    // Members of the audience see it.
    await api.http.get(`${COMMUNITIES}/${space}/threads/${thread.body.id}`).set(bearer(hub.meC.token.learner)).expect(200);
  });

  it('a reply notifies the other participants of the thread exactly once, never its author or outsiders', async () => {
    const asker = hub.rsA.token.learner;
    const t = await api.http
      .post(`${COMMUNITIES}/${space}/threads`)
      .set(bearer(asker))
      .send({ title: 'Procurement of AI tools', body: 'Which **clauses** do you use?' })
      .expect(201);
    expect(t.body.posts[0].html).toContain('<strong>clauses</strong>');
    const first = await api.http
      .post(`${COMMUNITIES}/${space}/threads/${t.body.id}/posts`)
      .set(bearer(hub.meC.token.learner))
      .send({ body: 'We use a model clause.' })
      .expect(201);
    await drainJobs(api);
    expect((await replyNotices(first.body.id)).map((n) => n.user_id)).toEqual([hub.rsA.learner.id]);
    // A third participant: the asker and meC's learner are told, the replier is not.
    const second = await api.http
      .post(`${COMMUNITIES}/${space}/threads/${t.body.id}/posts`)
      .set(bearer(hub.meC.token.author))
      .send({ body: 'And an audit clause.' })
      .expect(201);
    await drainJobs(api);
    expect((await replyNotices(second.body.id)).map((n) => n.user_id)).toEqual([hub.rsA.learner.id, hub.meC.learner.id].sort());
    // The asker replies twice: each participant gets one notice per reply.
    const third = await api.http
      .post(`${COMMUNITIES}/${space}/threads/${t.body.id}/posts`)
      .set(bearer(asker))
      .send({ body: 'Thanks both!' })
      .expect(201);
    await drainJobs(api);
    const notices = await replyNotices(third.body.id);
    expect(notices.map((n) => n.user_id)).toEqual([hub.meC.learner.id, hub.meC.author.id].sort());
    const [n] = (await api.dataSource.query(
      `SELECT title, body, email_pending FROM notification WHERE type = 'community_reply' AND user_id = $1 AND data ->> 'postId' = $2`,
      [hub.meC.learner.id, third.body.id],
    )) as Array<{ title: string; body: string; email_pending: boolean }>;
    expect(n.title).toContain('Procurement of AI tools');
    expect(n.body).toContain('AI in local government');
    // Default preferences (daily digest): the notice waits for the next digest e-mail.
    expect(n.email_pending).toBe(true);
    // The job running again (a retry) adds nothing: one notice per reply and person.
    expect(await api.app.get(EventNotifier).communityReply(third.body.id)).toBe(0);
    expect(await replyNotices(third.body.id)).toHaveLength(2);

    // The thread's author accepts an answer; nobody else may.
    await api.http
      .put(`${COMMUNITIES}/${space}/threads/${t.body.id}/accepted-answer`)
      .set(bearer(hub.meC.token.learner))
      .send({ postId: first.body.id })
      .expect(403);
    await api.http
      .put(`${COMMUNITIES}/${space}/threads/${t.body.id}/accepted-answer`)
      .set(bearer(asker))
      .send({ postId: t.body.posts[0].id })
      .expect(400);
    const accepted = await api.http
      .put(`${COMMUNITIES}/${space}/threads/${t.body.id}/accepted-answer`)
      .set(bearer(asker))
      .send({ postId: first.body.id })
      .expect(200);
    expect(accepted.body).toMatchObject({ acceptedPostId: first.body.id, answered: true });
    expect(accepted.body.posts.find((p: { id: string }) => p.id === first.body.id).accepted).toBe(true);
  });

  it('neutralises XSS in Markdown (the lesson sanitiser)', async () => {
    const evil = [
      '<script>alert(1)</script>',
      '[click](javascript:alert(2))',
      '<img src=x onerror=alert(3)>',
      '![x](data:text/html;base64,PHNjcmlwdD4=)',
      '<a href="https://example.org" onclick="alert(4)">x</a>',
    ].join('\n\n');
    const t = await api.http
      .post(`${COMMUNITIES}/${open}/threads`)
      .set(bearer(hub.rsB.token.learner))
      .send({ title: '<b>Bold title</b>', body: evil })
      .expect(201);
    const html = t.body.posts[0].html as string;
    // Raw HTML arrives as text; no element carries a script, a handler or a javascript:/data: URL.
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
    expect(html).not.toMatch(/(href|src)\s*=\s*"(javascript|data):/i);
    expect(html).not.toMatch(/<img/i);
    expect(t.body.title).toBe('<b>Bold title</b>');
  });

  it('moderation: reports go to moderators; a hidden post is not shown to members; bans stop posting; all audited', async () => {
    const mod = await aUser(api.dataSource, { orgUnit: hub.meC.dept, roles: [{ role: 'learner', scope: null }] });
    const modToken = await tokenFor(api.config, mod);
    await api.http.put(`${COMMUNITIES}/${space}/moderators/${mod.id}`).set(bearer(hub.rsA.token.instAdmin)).expect(403);
    await api.http.put(`${COMMUNITIES}/${space}/moderators/${mod.id}`).set(bearer(hub.adminToken)).expect(204);

    const t = await api.http
      .post(`${COMMUNITIES}/${space}/threads`)
      .set(bearer(hub.rsA.token.learner))
      .send({ title: 'Training budgets', body: 'How do you plan them?' })
      .expect(201);
    const rude = await api.http
      .post(`${COMMUNITIES}/${space}/threads/${t.body.id}/posts`)
      .set(bearer(hub.meC.token.author))
      .send({ body: 'Something rude' })
      .expect(201);
    const report = await api.http
      .post(`${COMMUNITIES}/${space}/posts/${rude.body.id}/reports`)
      .set(bearer(hub.rsA.token.learner))
      .send({ reason: 'Insulting' })
      .expect(201);
    await api.http
      .post(`${COMMUNITIES}/${space}/posts/${rude.body.id}/reports`)
      .set(bearer(hub.rsA.token.learner))
      .send({ reason: 'Again' })
      .expect(409);
    await api.http.post(`${COMMUNITIES}/${space}/posts/${rude.body.id}/reports`).set(bearer(hub.meC.token.learner)).send({}).expect(400);

    // Members may not see the reports or moderate.
    await api.http.get(`${COMMUNITIES}/${space}/reports`).set(bearer(hub.rsA.token.learner)).expect(403);
    await api.http.post(`${COMMUNITIES}/${space}/posts/${rude.body.id}/hide`).set(bearer(hub.rsA.token.learner)).send({}).expect(403);
    const reports = await api.http.get(`${COMMUNITIES}/${space}/reports`).set(bearer(modToken)).expect(200);
    expect(reports.body.items).toEqual([
      expect.objectContaining({ id: report.body.id, postId: rude.body.id, reason: 'Insulting', postHidden: false }),
    ]);

    await api.http
      .post(`${COMMUNITIES}/${space}/posts/${rude.body.id}/hide`)
      .set(bearer(modToken))
      .send({ reason: 'Breaks the rules' })
      .expect(204);
    const seen = await api.http.get(`${COMMUNITIES}/${space}/threads/${t.body.id}`).set(bearer(hub.rsA.token.learner)).expect(200);
    expect(seen.body.posts.map((p: { id: string }) => p.id)).not.toContain(rude.body.id);
    expect(JSON.stringify(seen.body)).not.toContain('Something rude');
    expect(seen.body.replies).toBe(0);
    const modSeen = await api.http.get(`${COMMUNITIES}/${space}/threads/${t.body.id}`).set(bearer(modToken)).expect(200);
    expect(modSeen.body.posts.find((p: { id: string }) => p.id === rude.body.id)).toMatchObject({ hidden: true });
    expect((await api.http.get(`${COMMUNITIES}/${space}/reports`).set(bearer(modToken)).expect(200)).body.items).toEqual([]);
    // A hidden post cannot be reported again or accepted.
    await api.http
      .post(`${COMMUNITIES}/${space}/posts/${rude.body.id}/reports`)
      .set(bearer(hub.meC.token.learner))
      .send({ reason: 'x' })
      .expect(404);
    await api.http
      .put(`${COMMUNITIES}/${space}/threads/${t.body.id}/accepted-answer`)
      .set(bearer(hub.rsA.token.learner))
      .send({ postId: rude.body.id })
      .expect(404);

    // A hidden question takes its thread out of the list for members.
    await api.http.post(`${COMMUNITIES}/${space}/posts/${t.body.posts[0].id}/hide`).set(bearer(hub.adminToken)).send({}).expect(204);
    const listed = await api.http
      .get(`${COMMUNITIES}/${space}/threads`)
      .query({ limit: 100 })
      .set(bearer(hub.meC.token.learner))
      .expect(200);
    expect(listed.body.items.map((x: { id: string }) => x.id)).not.toContain(t.body.id);
    await api.http.get(`${COMMUNITIES}/${space}/threads/${t.body.id}`).set(bearer(hub.meC.token.learner)).expect(404);
    await api.http.post(`${COMMUNITIES}/${space}/posts/${t.body.posts[0].id}/unhide`).set(bearer(modToken)).send({}).expect(204);
    await api.http.get(`${COMMUNITIES}/${space}/threads/${t.body.id}`).set(bearer(hub.meC.token.learner)).expect(200);

    // Ban: the person may read but not post or report; lifting it restores posting.
    await api.http
      .put(`${COMMUNITIES}/${space}/bans/${hub.meC.author.id}`)
      .set(bearer(modToken))
      .send({ reason: 'Repeated insults' })
      .expect(204);
    const banned = await api.http
      .post(`${COMMUNITIES}/${space}/threads/${t.body.id}/posts`)
      .set(bearer(hub.meC.token.author))
      .send({ body: 'Let me in' })
      .expect(403);
    expect(banned.body.code).toBe('banned_from_space');
    await api.http.post(`${COMMUNITIES}/${space}/threads`).set(bearer(hub.meC.token.author)).send({ title: 'x', body: 'y' }).expect(403);
    await api.http.get(`${COMMUNITIES}/${space}/threads/${t.body.id}`).set(bearer(hub.meC.token.author)).expect(200);
    await api.http.delete(`${COMMUNITIES}/${space}/bans/${hub.meC.author.id}`).set(bearer(modToken)).expect(204);
    await api.http
      .post(`${COMMUNITIES}/${space}/threads/${t.body.id}/posts`)
      .set(bearer(hub.meC.token.author))
      .send({ body: 'Sorry, everyone.' })
      .expect(201);

    const audit = (await api.dataSource.query(
      `SELECT action FROM audit_event WHERE action LIKE 'community.%' AND (subject_id = $1 OR subject_id = $2 OR subject_id = $3) ORDER BY at`,
      [rude.body.id, t.body.posts[0].id, (await api.http.get(`${COMMUNITIES}/${space}`).set(bearer(modToken)).expect(200)).body.id],
    )) as Array<{ action: string }>;
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'community.moderator_added',
        'community.post_reported',
        'community.post_hidden',
        'community.post_shown',
        'community.person_banned',
        'community.ban_lifted',
      ]),
    );
  });

  it('exports a person’s posts and an erasure removes their text and name from the thread', async () => {
    const p = await aUser(api.dataSource, { orgUnit: hub.rsA.dept, roles: [{ role: 'learner', scope: null }] });
    const token = await tokenFor(api.config, p);
    const t = await api.http
      .post(`${COMMUNITIES}/${open}/threads`)
      .set(bearer(hub.rsB.token.learner))
      .send({ title: 'Portals', body: 'Which portal software?' })
      .expect(201);
    const mine = await api.http
      .post(`${COMMUNITIES}/${open}/threads/${t.body.id}/posts`)
      .set(bearer(token))
      .send({ body: 'My personal opinion' })
      .expect(201);
    const exported = await api.http.get('/api/v1/me/data-export?format=json').set(bearer(token)).expect(200);
    expect(exported.body.communityPosts).toEqual([
      expect.objectContaining({ space: open, thread: 'Portals', body: 'My personal opinion' }),
    ]);
    await api.http.post(`/api/v1/users/${p.id}/erasure`).set(bearer(hub.adminToken)).send({ reason: 'request 20-4' }).expect(200);
    const after = await api.http.get(`${COMMUNITIES}/${open}/threads/${t.body.id}`).set(bearer(hub.rsB.token.learner)).expect(200);
    expect(after.body.posts.find((x: { id: string }) => x.id === mine.body.id)).toMatchObject({ author: null, markdown: '' });
    expect(JSON.stringify(after.body)).not.toContain('My personal opinion');
  });
});
