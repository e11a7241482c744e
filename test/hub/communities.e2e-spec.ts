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

  describe('resources of a space', () => {
    const PDF = Buffer.from('%PDF-1.4\n% a small test document\n');
    const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);
    const upload = (token: string, bytes: Buffer, type: string, query: Record<string, string>, slug = space) =>
      api.http.post(`${COMMUNITIES}/${slug}/resources/files`).query(query).set(bearer(token)).set('Content-Type', type).send(bytes);

    it('a member shares a link (https only) and a file; both are listed with the sharer', async () => {
      const link = await api.http
        .post(`${COMMUNITIES}/${space}/resources`)
        .set(bearer(hub.rsA.token.learner))
        .send({ title: 'Guide to chatbots', url: 'https://example.org/guide', note: 'Chapter 2 is the useful one' })
        .expect(201);
      expect(link.body).toMatchObject({ kind: 'link', title: 'Guide to chatbots', url: 'https://example.org/guide', file: null, hidden: false, addedBy: { userId: hub.rsA.learner.id } });
      for (const url of ['http://example.org/plain', 'javascript:alert(1)', 'https://user:pw@example.org/', 'not a url']) {
        const res = await api.http.post(`${COMMUNITIES}/${space}/resources`).set(bearer(hub.rsA.token.learner)).send({ title: 'Bad', url }).expect(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(JSON.stringify(res.body)).toContain('url');
      }
      const file = await upload(hub.meC.token.learner, PDF, 'application/pdf', { title: 'Checklist', filename: '../../etc/Check<list>?.exe' }).expect(201);
      expect(file.body).toMatchObject({ kind: 'file', title: 'Checklist', url: null, file: { contentType: 'application/pdf', size: PDF.length } });
      expect(file.body.file.name).toMatch(/^[\p{L}\p{N} ._-]+\.pdf$/u);
      expect(file.body.file.name).not.toContain('/');
      // The type is the bytes' (a PNG sent as octet-stream is a PNG).
      const png = await upload(hub.rsA.token.learner, PNG, 'application/octet-stream', { title: 'Diagram', filename: 'diagram.pdf' }).expect(201);
      expect(png.body.file).toMatchObject({ contentType: 'image/png', name: 'diagram.png' });
      const listed = await api.http.get(`${COMMUNITIES}/${space}/resources`).query({ limit: 100 }).set(bearer(hub.rsA.token.learner)).expect(200);
      const ids = listed.body.items.map((r: { id: string }) => r.id);
      expect(ids).toEqual(expect.arrayContaining([link.body.id, file.body.id, png.body.id]));
      expect(listed.body.total).toBeGreaterThanOrEqual(3);
    });

    it('refuses a file of another type or over 10 MB, and an empty title (4xx problem)', async () => {
      const exe = await upload(hub.rsA.token.learner, Buffer.from('MZ\x90\x00 not a document'), 'application/pdf', { title: 'Tool' }).expect(415);
      expect(exe.headers['content-type']).toContain('application/problem+json');
      expect(exe.body.code ?? exe.body.type).toBeDefined();
      const html = await upload(hub.rsA.token.learner, Buffer.from('<html><script>alert(1)</script></html>'), 'application/octet-stream', { title: 'Page' }).expect(415);
      expect(html.headers['content-type']).toContain('application/problem+json');
      const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024 + 1, 0x20)]);
      const tooBig = await upload(hub.rsA.token.learner, big, 'application/pdf', { title: 'Huge' });
      expect(tooBig.status).toBe(413);
      expect(tooBig.headers['content-type']).toContain('application/problem+json');
      await upload(hub.rsA.token.learner, PDF, 'text/html', { title: 'Wrong declared type' }).expect(415);
      const noTitle = await upload(hub.rsA.token.learner, PDF, 'application/pdf', { title: '' }).expect(400);
      expect(JSON.stringify(noTitle.body)).toContain('title');
    });

    it('serves a file as an attachment with nosniff only to those who may see the space', async () => {
      const file = await upload(hub.rsA.token.learner, PDF, 'application/pdf', { title: 'Minutes', filename: 'minutes "march".pdf' }).expect(201);
      const url = `${COMMUNITIES}/${space}/resources/${file.body.id}/file`;
      const got = await api.http.get(url).set(bearer(hub.meC.token.learner)).buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(got.headers['content-type']).toContain('application/pdf');
      expect(got.headers['content-disposition']).toMatch(/^attachment; filename="[^"]*\.pdf"; filename\*=UTF-8''/);
      expect(got.headers['x-content-type-options']).toBe('nosniff');
      expect(Buffer.compare(got.body as Buffer, PDF)).toBe(0);
      // Outside the audience: 404 for the list, the file and adding.
      await api.http.get(url).set(bearer(hub.rsB.token.learner)).expect(404);
      await api.http.get(`${COMMUNITIES}/${space}/resources`).set(bearer(hub.rsB.token.learner)).expect(404);
      await api.http.post(`${COMMUNITIES}/${space}/resources`).set(bearer(hub.rsB.token.learner)).send({ title: 'X', url: 'https://example.org' }).expect(404);
      await upload(hub.rsB.token.learner, PDF, 'application/pdf', { title: 'X' }).expect(404);
      await api.http.get(`${COMMUNITIES}/${space}/resources/00000000-0000-4000-8000-000000000000/file`).set(bearer(hub.rsA.token.learner)).expect(404);
    });

    it('a moderator hides (audited) and removes a resource; a hidden one is not listed or served to members', async () => {
      const file = await upload(hub.rsA.token.learner, PDF, 'application/pdf', { title: 'Spam flyer' }).expect(201);
      await api.http.post(`${COMMUNITIES}/${space}/resources/${file.body.id}/hide`).set(bearer(hub.rsA.token.learner)).send({}).expect(403);
      await api.http.post(`${COMMUNITIES}/${space}/resources/${file.body.id}/hide`).set(bearer(hub.adminToken)).send({ reason: 'Advertising' }).expect(204);
      const listed = await api.http.get(`${COMMUNITIES}/${space}/resources`).query({ limit: 100 }).set(bearer(hub.meC.token.learner)).expect(200);
      expect(listed.body.items.map((r: { id: string }) => r.id)).not.toContain(file.body.id);
      await api.http.get(`${COMMUNITIES}/${space}/resources/${file.body.id}/file`).set(bearer(hub.meC.token.learner)).expect(404);
      const modView = await api.http.get(`${COMMUNITIES}/${space}/resources`).query({ limit: 100 }).set(bearer(hub.adminToken)).expect(200);
      expect(modView.body.items.find((r: { id: string }) => r.id === file.body.id)).toMatchObject({ hidden: true });
      await api.http.post(`${COMMUNITIES}/${space}/resources/${file.body.id}/unhide`).set(bearer(hub.adminToken)).send({}).expect(204);
      await api.http.delete(`${COMMUNITIES}/${space}/resources/${file.body.id}`).set(bearer(hub.rsA.token.learner)).expect(403);
      await api.http.delete(`${COMMUNITIES}/${space}/resources/${file.body.id}`).set(bearer(hub.adminToken)).expect(204);
      await api.http.get(`${COMMUNITIES}/${space}/resources/${file.body.id}/file`).set(bearer(hub.adminToken)).expect(404);
      const audit = (await api.dataSource.query(`SELECT action FROM audit_event WHERE subject_id = $1 ORDER BY at, action`, [file.body.id])) as Array<{ action: string }>;
      expect(audit.map((a) => a.action)).toEqual(['community.resource_hidden', 'community.resource_shown', 'community.resource_removed']);
    });
  });

  describe('a course’s discussion', () => {
    const discussion = (slug: string, token: string) => api.http.get(`/api/v1/courses/${slug}/discussion`).set(bearer(token));

    it('is created once, even when asked for at the same time, for the enrolled learner; the authors moderate', async () => {
      const slug = hub.rsA.course.slug;
      await api.dataSource.query(`UPDATE course SET visibility = 'private' WHERE id = $1`, [hub.rsA.course.courseId]);
      const answers = await Promise.all([0, 1, 2, 3, 4].map(() => discussion(slug, hub.rsA.token.learner)));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      expect(new Set(answers.map((a) => a.body.slug)).size).toBe(1);
      const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM community_space WHERE course_id = $1`, [hub.rsA.course.courseId])) as Array<{ n: number }>;
      expect(n).toBe(1);
      const space0 = answers[0].body;
      expect(space0).toMatchObject({ audience: 'course', course: { slug }, you: { moderator: false, banned: false } });
      // The thread machinery is the same: the learner asks, the course's author (a moderator) sees it and may hide it.
      const t = await api.http.post(`${COMMUNITIES}/${space0.slug}/threads`).set(bearer(hub.rsA.token.learner)).send({ title: 'Lesson 2', body: 'What does it mean?' }).expect(201);
      const asAuthor = await discussion(slug, hub.rsA.token.author).expect(200);
      expect(asAuthor.body).toMatchObject({ slug: space0.slug, you: { moderator: true } });
      await api.http.get(`${COMMUNITIES}/${space0.slug}/threads/${t.body.id}`).set(bearer(hub.rsA.token.author)).expect(200);
      await api.http.post(`${COMMUNITIES}/${space0.slug}/posts/${t.body.posts[0].id}/hide`).set(bearer(hub.rsA.token.author)).send({}).expect(204);
      await api.http.post(`${COMMUNITIES}/${space0.slug}/posts/${t.body.posts[0].id}/hide`).set(bearer(hub.rsA.token.learner)).send({}).expect(403);
      // Not among the topic spaces of the list.
      const listed = await api.http.get(COMMUNITIES).query({ limit: 100 }).set(bearer(hub.adminToken)).expect(200);
      expect(listed.body.items.map((s: { slug: string }) => s.slug)).not.toContain(space0.slug);
    });

    it('is 404 to someone who cannot see a private course, and to those not enrolled', async () => {
      const slug = hub.rsA.course.slug;
      await api.dataSource.query(`UPDATE course SET visibility = 'private' WHERE id = $1`, [hub.rsA.course.courseId]);
      const space0 = (await discussion(slug, hub.rsA.token.learner).expect(200)).body;
      const out = await discussion(slug, hub.rsB.token.learner).expect(404);
      expect(out.headers['content-type']).toContain('application/problem+json');
      await api.http.get(`${COMMUNITIES}/${space0.slug}`).set(bearer(hub.rsB.token.learner)).expect(404);
      await api.http.get(`${COMMUNITIES}/${space0.slug}/threads`).set(bearer(hub.rsB.token.learner)).expect(404);
      // Someone of the same institution who may see the course but is not enrolled: not theirs.
      const colleague = await aUser(api.dataSource, { orgUnit: hub.rsA.dept, roles: [{ role: 'learner', scope: null }] });
      const colleagueToken = await tokenFor(api.config, colleague);
      await discussion(slug, colleagueToken).expect(404);
      await api.http.get(`${COMMUNITIES}/${space0.slug}/threads`).set(bearer(colleagueToken)).expect(404);
      await discussion('no-such-course-x', hub.rsA.token.learner).expect(404);
    });
  });
});

