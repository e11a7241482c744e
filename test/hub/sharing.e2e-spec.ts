import { aUser, startApi, TestApi, tokenFor, uniq } from '@lms/testing';
import { drainJobs } from '../support/jobs.js';
import { aCoursePackage } from '../security/world.js';
import { bearer, Hub, HubInstitution, seedHub } from './hub-fixtures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- packages are reshaped freely here
type Pkg = Record<string, any>;

/** A two-lesson package of a school: "law" (national law) and "practice". */
function twoLessons(slug: string, school: string, law = '## The law\n\nArticle 1 applies.', practice = '## Practice\n\nStep one.'): Pkg {
  const pkg = aCoursePackage(slug, school) as Pkg;
  pkg.course.title = { en: 'Public procurement basics' };
  pkg.course.lessons = ['law', 'practice'];
  pkg.lessons = [
    { slug: 'law', title: { en: 'The law' }, minutes: 5, body: { en: law } },
    { slug: 'practice', title: { en: 'Practice' }, minutes: 5, body: { en: practice } },
  ];
  return pkg;
}

describe('hub: course visibility, sharing and adaptations', () => {
  let api: TestApi;
  let hub: Hub;
  const slugs = async (inst: HubInstitution): Promise<string[]> => {
    const res = await api.http.get('/api/v1/courses').query({ limit: 100 }).set(bearer(inst.token.learner)).expect(200);
    return res.body.items.map((c: { slug: string }) => c.slug);
  };
  const share = (inst: HubInstitution, slug: string, body: Record<string, unknown>) => api.http.put(`/api/v1/courses/${slug}/sharing`).set(bearer(inst.token.author)).send(body);

  beforeAll(async () => {
    api = await startApi();
    hub = await seedHub(api);
  });
  afterAll(async () => {
    await api.close();
  });

  it('a course is public by default (as before the hub) and answers with its institution, licence and no upstream', async () => {
    const res = await api.http.get(`/api/v1/courses/${hub.rsA.course.slug}`).set(bearer(hub.meC.token.learner)).expect(200);
    expect(res.body).toMatchObject({ visibility: 'public', licence: null, attribution: null, adaptedFrom: null, institution: { id: hub.rsA.id, code: hub.rsA.code, name: 'National Academy', country: 'RS' } });
    const sharing = await api.http.get(`/api/v1/courses/${hub.rsA.course.slug}/sharing`).set(bearer(hub.rsA.token.author)).expect(200);
    expect(sharing.body).toEqual({ slug: hub.rsA.course.slug, visibility: 'public', institutions: [], countries: [], licence: null, attribution: null });
  });

  it('lists for each person only the courses visible to their institution: own, public, shared with it or its country', async () => {
    await share(hub.rsA, hub.rsA.course.slug, { visibility: 'private' }).expect(200);
    await share(hub.rsB, hub.rsB.course.slug, { visibility: 'shared', countries: ['ME'] }).expect(200);
    await share(hub.meC, hub.meC.course.slug, { visibility: 'shared', institutions: [hub.rsA.id], licence: 'CC-BY-4.0', attribution: 'Uprava za kadrove, 2026' }).expect(200);
    const [a, b, c] = [hub.rsA.course.slug, hub.rsB.course.slug, hub.meC.course.slug];
    const seen = { rsA: await slugs(hub.rsA), rsB: await slugs(hub.rsB), meC: await slugs(hub.meC) };
    expect([seen.rsA.includes(a), seen.rsA.includes(b), seen.rsA.includes(c)]).toEqual([true, false, true]);
    expect([seen.rsB.includes(a), seen.rsB.includes(b), seen.rsB.includes(c)]).toEqual([false, true, false]);
    expect([seen.meC.includes(a), seen.meC.includes(b), seen.meC.includes(c)]).toEqual([false, true, true]);
    // Not by URL either, and no self-enrolment in what is not visible (404: it does not exist for them).
    await api.http.get(`/api/v1/courses/${a}`).set(bearer(hub.meC.token.learner)).expect(404);
    await api.http.get(`/api/v1/courses/${c}`).set(bearer(hub.rsB.token.learner)).expect(404);
    await api.http.post('/api/v1/enrolments').set(bearer(hub.rsB.token.learner)).send({ courseSlug: c }).expect(404);
    await api.http.post('/api/v1/enrolments').set(bearer(hub.rsA.token.learner)).send({ courseSlug: c }).expect(201);
    // The owner's people still see and take their own private course; someone enrolled before it became private keeps it.
    await api.http.get(`/api/v1/courses/${a}`).set(bearer(hub.rsA.token.learner)).expect(200);
    await api.http.get(`/api/v1/courses/${b}`).set(bearer(hub.meC.token.learner)).expect(200);
    // An admin (instance-wide) reads any course.
    await api.http.get(`/api/v1/courses/${a}`).set(bearer(hub.adminToken)).expect(200);
    // HR assigns only what its institution may see.
    const assign = (inst: HubInstitution, courseSlug: string) => api.http.post('/api/v1/assignments').set(bearer(inst.token.instAdmin)).send({ courseSlug, target: { userIds: [inst.learner.id] } });
    await assign(hub.rsB, c).expect(404);
    await assign(hub.rsB, a).expect(404);
    await assign(hub.rsA, c).expect(201);
    await assign(hub.meC, b).expect(201);
  });

  it.each([
    ['an unknown visibility', { visibility: 'friends' }, 'visibility'],
    ['shared with nobody', { visibility: 'shared' }, 'institutions'],
    ['an unknown institution', { visibility: 'shared', institutions: ['00000000-0000-4000-8000-000000000000'] }, 'institutions[0]'],
    ['a malformed institution id', { visibility: 'shared', institutions: ['x'] }, 'institutions'],
    ['an unknown country', { visibility: 'shared', countries: ['XX'] }, 'countries[0]'],
    ['countries with private', { visibility: 'private', countries: ['ME'] }, 'visibility'],
    ['a licence off the allow-list', { visibility: 'public', licence: 'MIT' }, 'licence'],
    ['an empty attribution', { visibility: 'public', attribution: '   ' }, 'attribution'],
    ['an unknown field', { visibility: 'public', owner: 'me' }, 'owner'],
  ])('refuses %s with a 400 problem', async (_what, body, field) => {
    const res = await share(hub.meC, hub.meC.course.slug, body).expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(res.body)).toContain(field);
  });

  it('lets only the course’s own authors (and admins) change its sharing', async () => {
    for (const inst of [hub.rsA, hub.rsB]) {
      await api.http.put(`/api/v1/courses/${hub.meC.course.slug}/sharing`).set(bearer(inst.token.author)).send({ visibility: 'public' }).expect(403);
      await api.http.get(`/api/v1/courses/${hub.meC.course.slug}/sharing`).set(bearer(inst.token.instAdmin)).expect(403);
    }
    await api.http.put(`/api/v1/courses/${hub.meC.course.slug}/sharing`).set(bearer(hub.meC.token.learner)).send({ visibility: 'public' }).expect(403);
    await api.http.put('/api/v1/courses/no-such-course/sharing').set(bearer(hub.meC.token.author)).send({ visibility: 'public' }).expect(404);
  });

  describe('a course shared by a Serbian school is adapted by a Montenegrin one, told of the upstream update, and merges it', () => {
    const upstream = uniq('nabavke').toLowerCase();
    const fork = uniq('nabavke-me').toLowerCase();

    beforeAll(async () => {
      await api.http.post('/api/v1/courses').set(bearer(hub.rsA.token.author)).send(twoLessons(upstream, hub.rsA.school.code)).expect(201);
      await api.http.post(`/api/v1/courses/${upstream}/publish`).set(bearer(hub.rsA.token.author)).send({}).expect(201);
    });

    it('refuses an adaptation by whoever cannot see the course, and while the licence allows no derivative', async () => {
      await share(hub.rsA, upstream, { visibility: 'shared', countries: ['ME'], licence: 'CC-BY-ND-4.0' }).expect(200);
      const nd = await api.http.post(`/api/v1/courses/${upstream}/adaptations`).set(bearer(hub.meC.token.author)).send({ slug: fork, school: hub.meC.school.code }).expect(409);
      expect(nd.headers['content-type']).toContain('application/problem+json');
      expect(nd.body.detail ?? nd.body.title).toMatch(/licence/i);
      await share(hub.rsA, upstream, { visibility: 'shared', countries: ['ME'], licence: 'CC-BY-SA-4.0', attribution: 'National Academy of Public Administration, Belgrade' }).expect(200);
      // RS-B is in Serbia: not shared with it, so it does not exist for its authors.
      await api.http.post(`/api/v1/courses/${upstream}/adaptations`).set(bearer(hub.rsB.token.author)).send({ slug: uniq('x').toLowerCase(), school: hub.rsB.school.code }).expect(404);
      // Into a school the caller does not author for.
      await api.http.post(`/api/v1/courses/${upstream}/adaptations`).set(bearer(hub.meC.token.author)).send({ slug: uniq('x').toLowerCase(), school: hub.rsA.school.code }).expect(403);
      await api.http.post(`/api/v1/courses/${upstream}/adaptations`).set(bearer(hub.meC.token.author)).send({ slug: 'Not A Slug', school: hub.meC.school.code }).expect(400);
      await api.http.post(`/api/v1/courses/${upstream}/adaptations`).set(bearer(hub.meC.token.author)).send({ slug: hub.rsB.course.slug, school: hub.meC.school.code }).expect(409);
    });

    it('adapts: a private draft of the Montenegrin school recording its upstream course and version', async () => {
      const res = await api.http.post(`/api/v1/courses/${upstream}/adaptations`).set(bearer(hub.meC.token.author)).send({ slug: fork, school: hub.meC.school.code }).expect(201);
      expect(res.body).toMatchObject({ slug: fork, version: 1, status: 'draft', adaptedFrom: { course: upstream, version: 1, title: 'Public procurement basics', institution: { id: hub.rsA.id, name: 'National Academy', country: 'RS' } } });
      const sharing = await api.http.get(`/api/v1/courses/${fork}/sharing`).set(bearer(hub.meC.token.author)).expect(200);
      expect(sharing.body).toMatchObject({ visibility: 'private', licence: 'CC-BY-SA-4.0', attribution: 'National Academy of Public Administration, Belgrade' });
      // The adaptation's authors edit it for Montenegrin law (and translate it) and publish it.
      const draft = await api.http.get(`/api/v1/courses/${fork}/draft`).set(bearer(hub.meC.token.author)).expect(200);
      const pkg = draft.body as Pkg;
      pkg.lessons[0].body.en = '## The law\n\nArticle 7 of the Montenegrin law applies.';
      pkg.course.languages = ['en', 'sr-Latn'];
      pkg.course.title['sr-Latn'] = 'Osnove javnih nabavki';
      pkg.course.summary['sr-Latn'] = 'Kurs za službenike.';
      for (const l of pkg.lessons) {
        l.title['sr-Latn'] = `${l.title.en} (me)`;
        l.body['sr-Latn'] = `${l.body.en}\n\n(prevod)`;
      }
      await api.http.put(`/api/v1/courses/${fork}/draft`).set(bearer(hub.meC.token.author)).send(pkg).expect(200);
      await api.http.post(`/api/v1/courses/${fork}/publish`).set(bearer(hub.meC.token.author)).send({}).expect(201);
      // Nobody outside Montenegro's institution sees the private adaptation; its own people do, with "adapted from … by …".
      await api.http.get(`/api/v1/courses/${fork}`).set(bearer(hub.rsA.token.learner)).expect(404);
      const detail = await api.http.get(`/api/v1/courses/${fork}`).set(bearer(hub.meC.token.learner)).expect(200);
      expect(detail.body.adaptedFrom).toEqual({ course: upstream, title: 'Public procurement basics', version: 1, institution: { id: hub.rsA.id, code: hub.rsA.code, name: 'National Academy', country: 'RS' } });
      const page = await api.http.get(`/courses/${fork}`).set(bearer(hub.meC.token.learner)).set('Accept', 'text/html').expect(200);
      expect(page.text).toContain('Adapted from “Public procurement basics” by National Academy');
      expect(page.text).toContain('National Academy of Public Administration, Belgrade');
      const diff = await api.http.get(`/api/v1/courses/${fork}/upstream-diff`).set(bearer(hub.meC.token.author)).expect(200);
      expect(diff.body).toMatchObject({ latest: 1, upToDate: true, diff: { from: 1, to: 1, lessonsChanged: [], lessonsAdded: [] } });
    });

    it('tells the adaptation’s authors when upstream publishes, shows the diff, and merges it keeping their changes', async () => {
      const v2 = twoLessons(upstream, hub.rsA.school.code, '## The law\n\nArticle 1 applies.', '## Practice\n\nStep one.\n\nStep two (new).');
      v2.course.lessons.push('appeals');
      v2.lessons.push({ slug: 'appeals', title: { en: 'Appeals' }, minutes: 5, body: { en: '## Appeals' } });
      await api.http.put(`/api/v1/courses/${upstream}/draft`).set(bearer(hub.rsA.token.author)).send(v2).expect(200);
      await api.http.post(`/api/v1/courses/${upstream}/publish`).set(bearer(hub.rsA.token.author)).send({}).expect(201);
      await drainJobs(api);

      const inbox = await api.http.get('/api/v1/me/notifications').set(bearer(hub.meC.token.author)).expect(200);
      const notices = (inbox.body.items as Array<{ type: string; title: string; body: string; link: string }>).filter((n) => n.type === 'upstream_published');
      expect(notices).toHaveLength(1);
      // It leads to the adaptation's upstream page in the author console: the diff and the merge.
      expect(notices[0].link).toMatch(new RegExp(`/console/author/courses/${fork}/upstream$`));
      expect(notices[0].title).toContain('Public procurement basics');
      expect(notices[0].body).toContain('version 2');
      // The upstream's own authors and other institutions are not told.
      const other = await api.http.get('/api/v1/me/notifications').set(bearer(hub.rsB.token.author)).expect(200);
      expect(other.body.items.filter((n: { type: string }) => n.type === 'upstream_published')).toEqual([]);

      const diff = await api.http.get(`/api/v1/courses/${fork}/upstream-diff`).set(bearer(hub.meC.token.author)).expect(200);
      expect(diff.body).toMatchObject({ latest: 2, upToDate: false, diff: { from: 1, to: 2, lessonsAdded: ['appeals'] } });
      expect(diff.body.diff.lessonsChanged.map((x: { slug: string }) => x.slug)).toEqual(['practice']);
      // Another institution's author may not read the adaptation's diff.
      await api.http.get(`/api/v1/courses/${fork}/upstream-diff`).set(bearer(hub.rsA.token.author)).expect(403);

      await api.http.post(`/api/v1/courses/${fork}/upstream-merge`).set(bearer(hub.meC.token.author)).send({ version: 3 }).expect(400);
      const merged = await api.http.post(`/api/v1/courses/${fork}/upstream-merge`).set(bearer(hub.meC.token.author)).send({}).expect(200);
      expect(merged.body).toMatchObject({ draft: { slug: fork, version: 2, status: 'draft' }, adaptedFrom: { version: 2 }, removed: [], conflicts: [] });
      expect(merged.body.taken.sort()).toEqual(['appeals', 'practice']);
      // The new upstream lesson has no Serbian text yet: it takes the English one and is listed for translation.
      expect(merged.body.untranslated).toEqual([{ slug: 'appeals', language: 'sr-Latn' }]);
      const draft = await api.http.get(`/api/v1/courses/${fork}/draft`).set(bearer(hub.meC.token.author)).expect(200);
      const lessons = draft.body.lessons as Array<{ slug: string; body: Record<string, string> }>;
      expect(lessons.map((l) => l.slug)).toEqual(['law', 'practice', 'appeals']);
      // Their Montenegrin law and their translation stay; upstream's new step arrives in English.
      expect(lessons[0].body.en).toContain('Montenegrin law');
      expect(lessons[1].body.en).toContain('Step two (new)');
      expect(lessons[1].body['sr-Latn']).toContain('(prevod)');
      const after = await api.http.get(`/api/v1/courses/${fork}/upstream-diff`).set(bearer(hub.meC.token.author)).expect(200);
      expect(after.body).toMatchObject({ latest: 2, upToDate: true });
      // Relaying again does not notify twice for version 2.
      await drainJobs(api);
      const again = await api.http.get('/api/v1/me/notifications').set(bearer(hub.meC.token.author)).expect(200);
      expect(again.body.items.filter((n: { type: string }) => n.type === 'upstream_published')).toHaveLength(1);
    });

    it('a course that is no adaptation has no upstream diff (409)', async () => {
      const res = await api.http.get(`/api/v1/courses/${upstream}/upstream-diff`).set(bearer(hub.rsA.token.author)).expect(409);
      expect(res.headers['content-type']).toContain('application/problem+json');
    });

    it('the owners of an adaptation include authors over the whole institution; a second upstream version conflicts with their own change', async () => {
      const instAuthor = await aUser(api.dataSource, { orgUnit: hub.meC.root, roles: [{ role: 'author', scope: hub.meC.root }] });
      const token = await tokenFor(api.config, instAuthor);
      const v3 = twoLessons(upstream, hub.rsA.school.code, '## The law\n\nArticle 1 and 2 apply.', '## Practice\n\nStep one.\n\nStep two (new).');
      v3.course.lessons.push('appeals');
      v3.lessons.push({ slug: 'appeals', title: { en: 'Appeals' }, minutes: 5, body: { en: '## Appeals' } });
      await api.http.put(`/api/v1/courses/${upstream}/draft`).set(bearer(hub.rsA.token.author)).send(v3).expect(200);
      await api.http.post(`/api/v1/courses/${upstream}/publish`).set(bearer(hub.rsA.token.author)).send({}).expect(201);
      await drainJobs(api);
      const inbox = await api.http.get('/api/v1/me/notifications').set(bearer(token)).expect(200);
      expect(inbox.body.items.filter((n: { type: string }) => n.type === 'upstream_published')).toHaveLength(1);
      // The merge of version 3 meets the adaptation's own change of the same text: a conflict, their text kept.
      const merged = await api.http.post(`/api/v1/courses/${fork}/upstream-merge`).set(bearer(hub.meC.token.author)).send({ version: 3 }).expect(200);
      expect(merged.body.conflicts).toEqual([{ slug: 'law', field: 'body', language: 'en' }]);
      const draft = await api.http.get(`/api/v1/courses/${fork}/draft`).set(bearer(hub.meC.token.author)).expect(200);
      expect(draft.body.lessons[0].body.en).toContain('Montenegrin law');
    });
  });
});
