import type { OrgUnit, User } from '@lms/identity';
import { aUser, anOrgUnit, startApi, TestApi, tokenFor } from '@lms/testing';
import { rawQuery, theSchool } from './catalog-fixtures.js';

const HOSTILE = [
  '## Safe heading',
  '<script>alert("xss")</script>',
  '<img src=x onerror="alert(1)">',
  '[click me](javascript:alert(2))',
  '<a href="javascript:alert(3)" onclick="alert(4)">raw link</a>',
  '![pixel](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoNSk+)',
  '<iframe src="https://evil.example/"></iframe>',
].join('\n\n');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON body the tests reshape freely
function aPackage(slug: string, school = 'SPA'): Record<string, any> {
  return {
    course: {
      slug,
      school,
      defaultLanguage: 'en',
      languages: ['en', 'sr-Latn'],
      title: { en: 'Open data in one hour', 'sr-Latn': 'Otvoreni podaci za jedan sat' },
      summary: { en: 'Publishing a first open dataset.', 'sr-Latn': 'Objavljivanje prvog otvorenog skupa podataka.' },
      audience: 'specialists',
      level: 'intermediate',
      estimatedMinutes: 60,
      framework: 'dacps',
      competencies: [{ code: 'DAT.2', level: 2 }],
      alignedWith: ['DigComp 2.2'],
      completion: { quiz: { passMark: 50, attemptsAllowed: 2 } },
      certificate: { validityMonths: 12 },
    },
    lessons: [
      { slug: 'why-open', title: { en: 'Why open', 'sr-Latn': 'Zašto otvoreno' }, minutes: 30, body: { en: HOSTILE, 'sr-Latn': '## Zašto\n\nTekst.' } },
      { slug: 'how-to-publish', title: { en: 'How to publish', 'sr-Latn': 'Kako objaviti' }, minutes: 30, required: false, body: { en: '## How', 'sr-Latn': '## Kako' } },
    ],
    quiz: {
      questions: [
        {
          id: 'q1',
          type: 'single',
          text: { en: 'Open by default?', 'sr-Latn': 'Podrazumevano otvoreno?' },
          choices: [
            { id: 'a', text: { en: 'Yes', 'sr-Latn': 'Da' }, correct: true },
            { id: 'b', text: { en: 'No', 'sr-Latn': 'Ne' } },
          ],
        },
      ],
    },
  };
}

describe('authoring API', () => {
  let api: TestApi;
  let school: OrgUnit;
  let author: User;
  let otherAuthor: User;
  let learner: User;
  let admin: User;
  const tokens = new Map<string, string>();
  const as = async (user: User) => {
    if (!tokens.has(user.id)) tokens.set(user.id, await tokenFor(api.config, user));
    return { Authorization: `Bearer ${tokens.get(user.id)}` };
  };

  beforeAll(async () => {
    api = await startApi({ env: { DOCS_ENABLED: 'true' } });
    school = await theSchool(api.dataSource);
    const otherSchool = await anOrgUnit(api.dataSource, { kind: 'school' });
    const unit = await anOrgUnit(api.dataSource);
    author = await aUser(api.dataSource, { orgUnit: school, roles: [{ role: 'author', scope: school }] });
    otherAuthor = await aUser(api.dataSource, { orgUnit: otherSchool, roles: [{ role: 'author', scope: otherSchool }] });
    learner = await aUser(api.dataSource, { orgUnit: unit });
    admin = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'admin', scope: null }] });
  });

  afterAll(async () => {
    await api.close();
  });

  it('rejects an invalid package with every problem by field, in the validator’s words', async () => {
    const bad = aPackage('broken-package');
    delete bad.course.title['sr-Latn'];
    bad.course.competencies = [{ code: 'DAT.99', level: 9 }];
    bad.lessons[1].slug = 'why-open';
    bad.quiz.questions[0].choices[0].correct = false;
    bad.course.unknown = 1;
    const res = await api.http.post('/api/v1/courses').set(await as(author)).send(bad);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['course.competencies[0].code', 'course.competencies[0].level', 'course.title.sr-Latn', 'course.unknown', 'lessons[1].slug', 'quiz.questions[0].choices'].sort(),
    );
    expect(res.body.errors.find((e: { field: string }) => e.field === 'quiz.questions[0].choices').message).toMatch(/no correct choice/);
    const notJson = await api.http.post('/api/v1/courses').set(await as(author)).send([1, 2]);
    expect(notJson.status).toBe(400);
    const nul = aPackage('nul-course');
    nul.lessons[0].body.en = 'before\u0000after';
    const nulRes = await api.http.post('/api/v1/courses').set(await as(author)).send(nul);
    expect(nulRes.status).toBe(400);
    // A NUL is refused for every route by the platform's input guard, before the package validator runs.
    expect(nulRes.body.errors).toEqual([{ field: 'lessons.0.body.en', message: 'lessons.0.body.en must not contain a NUL character (U+0000)' }]);
  });

  it('lets only authors of the owning school (and admins) create drafts', async () => {
    expect((await api.http.post('/api/v1/courses').set(await as(learner)).send(aPackage('nobody-course'))).status).toBe(403);
    expect((await api.http.post('/api/v1/courses').set(await as(otherAuthor)).send(aPackage('other-course'))).status).toBe(403);
    const unknownSchool = await api.http.post('/api/v1/courses').set(await as(author)).send(aPackage('x-course', 'NO-SCHOOL'));
    expect(unknownSchool.status).toBe(400);
    expect(unknownSchool.body.errors).toEqual([{ field: 'course.school', message: 'no org unit has the code "NO-SCHOOL"' }]);
  });

  it('creates a draft, updates it, publishes it as an immutable version and the next draft as version 2', async () => {
    const pkg = aPackage('open-data-hour');
    const created = await api.http.post('/api/v1/courses').set(await as(author)).send(pkg);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug: 'open-data-hour', version: 1, status: 'draft', lessonCount: 2, publishedAt: null });

    // A draft is not in the catalog; only its authors can read it.
    expect((await api.http.get('/api/v1/courses/open-data-hour').set(await as(learner))).status).toBe(404);
    const list = await api.http.get('/api/v1/courses?q=open%20data').set(await as(learner));
    expect(list.body.items.map((i: { slug: string }) => i.slug)).not.toContain('open-data-hour');
    const preview = await api.http.get('/api/v1/courses/open-data-hour?version=1').set(await as(author));
    expect(preview.body).toMatchObject({ status: 'draft', version: 1 });
    expect((await api.http.get('/api/v1/courses/open-data-hour?version=1').set(await as(otherAuthor))).status).toBe(404);

    expect((await api.http.post('/api/v1/courses').set(await as(author)).send(pkg)).status).toBe(409);
    expect((await api.http.put('/api/v1/courses/open-data-hour/draft').set(await as(otherAuthor)).send(pkg)).status).toBe(403);
    expect((await api.http.post('/api/v1/courses/open-data-hour/publish').set(await as(otherAuthor))).status).toBe(403);

    pkg.course.estimatedMinutes = 75;
    const updated = await api.http.put('/api/v1/courses/open-data-hour/draft').set(await as(author)).send(pkg);
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ version: 1, status: 'draft' });
    const draft = await api.http.get('/api/v1/courses/open-data-hour/draft').set(await as(author));
    expect(draft.body.course).toMatchObject({ estimatedMinutes: 75, school: 'SPA', lessons: ['why-open', 'how-to-publish'] });
    expect(draft.body.quiz.questions[0].choices[0].correct).toBe(true);

    const published = await api.http.post('/api/v1/courses/open-data-hour/publish').set(await as(author));
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ version: 1, status: 'published' });
    expect((await api.http.post('/api/v1/courses/open-data-hour/publish').set(await as(author))).body.code).toBe('no_draft');

    const detail = await api.http.get('/api/v1/courses/open-data-hour').set(await as(learner));
    expect(detail.body).toMatchObject({ version: 1, estimatedMinutes: 75, quiz: { questionCount: 1, passMark: 50 } });
    await expect(rawQuery(api.db.url, `UPDATE course_version SET estimated_minutes = 1 WHERE status = 'published'`)).rejects.toThrow(/immutable/);

    // The same content again: nothing to publish.
    expect((await api.http.put('/api/v1/courses/open-data-hour/draft').set(await as(author)).send(draft.body)).status).toBe(200);
    const same = await api.http.post('/api/v1/courses/open-data-hour/publish').set(await as(author));
    expect(same.status).toBe(409);
    expect(same.body.code).toBe('draft_unchanged');

    pkg.lessons[1].body.en = '## How, revised';
    expect((await api.http.put('/api/v1/courses/open-data-hour/draft').set(await as(admin)).send(pkg)).status).toBe(200);
    const v2 = await api.http.post('/api/v1/courses/open-data-hour/publish').set(await as(admin));
    expect(v2.body).toMatchObject({ version: 2, status: 'published' });
    expect((await api.http.get('/api/v1/courses/open-data-hour').set(await as(learner))).body.version).toBe(2);
  });

  it('refuses a draft for another slug or school than the URL’s course', async () => {
    const pkg = aPackage('wrong-slug');
    const res = await api.http.put('/api/v1/courses/open-data-hour/draft').set(await as(author)).send(pkg);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'course.slug', message: 'must be open-data-hour, the course of this URL' }]);
    expect((await api.http.put('/api/v1/courses/no-such-course/draft').set(await as(author)).send(pkg)).status).toBe(404);
    // A NUL in a path parameter is a 400 from the platform's input guard (for every route).
    expect((await api.http.post('/api/v1/courses/%00/publish').set(await as(author))).status).toBe(400);
  });

  it('documents the catalog routes and the package body in OpenAPI', async () => {
    const doc = await api.http.get('/docs-json');
    expect(doc.status).toBe(200);
    for (const path of ['/api/v1/courses', '/api/v1/courses/{slug}', '/api/v1/courses/{slug}/lessons/{lessonSlug}', '/api/v1/courses/{slug}/draft', '/api/v1/courses/{slug}/publish']) {
      expect([path, !!doc.body.paths[path]]).toEqual([path, true]);
    }
    const body = doc.body.paths['/api/v1/courses'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['course', 'lessons']);
    expect(body.properties.quiz.nullable).toBe(true);
  });

  it('renders hostile lesson Markdown harmless', async () => {
    const res = await api.http.get('/api/v1/courses/open-data-hour/lessons/why-open?lang=en').set(await as(author));
    expect(res.status).toBe(200);
    expect(res.body.markdown).toContain('<script>');
    const html: string = res.body.html;
    expect(html).toContain('<h2>Safe heading</h2>');
    expect(html).not.toMatch(/<script|<iframe|<img/i);
    expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
    expect(html).not.toMatch(/<a[^>]*href="\s*javascript:/i);
    expect(html).toContain('&lt;script&gt;');
    expect(school.kind).toBe('school');
  });
});
