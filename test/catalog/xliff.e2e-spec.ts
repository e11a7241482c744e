import type { OrgUnit, User } from '@lms/identity';
import { aUser, anOrgUnit, startApi, TestApi, tokenFor } from '@lms/testing';
import { theSchool } from './catalog-fixtures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON body the tests reshape freely
function aPackage(slug: string): Record<string, any> {
  return {
    course: {
      slug,
      school: 'SPA',
      defaultLanguage: 'en',
      languages: ['en', 'sr-Latn'],
      title: { en: 'Records & <archives>', 'sr-Latn': 'Zapisi i arhive' },
      summary: { en: 'Keeping records.', 'sr-Latn': 'Čuvanje zapisa.' },
      audience: 'all-staff',
      level: 'foundation',
      estimatedMinutes: 30,
      framework: 'dacps',
      competencies: [{ code: 'DAT.2', level: 1 }],
      alignedWith: [],
      completion: { quiz: { passMark: 50, attemptsAllowed: 2 } },
    },
    lessons: [
      {
        slug: 'why-records',
        title: { en: 'Why records', 'sr-Latn': 'Zašto zapisi' },
        minutes: 15,
        body: { en: '## Why\n\nRecords prove what was decided.\n\n```\nkeep = true\n```\n\n- one\n- two\n', 'sr-Latn': '## Zašto\n\nZapisi dokazuju odluke.' },
      },
      { slug: 'how-long', title: { en: 'How long', 'sr-Latn': 'Koliko dugo' }, minutes: 15, body: { en: 'As long as the law says.', 'sr-Latn': 'Koliko zakon kaže.' } },
    ],
    quiz: {
      questions: [
        {
          id: 'q1',
          type: 'single',
          text: { en: 'Keep records?', 'sr-Latn': 'Čuvati zapise?' },
          choices: [
            { id: 'a', text: { en: 'Yes', 'sr-Latn': 'Da' }, correct: true },
            { id: 'b', text: { en: 'No', 'sr-Latn': 'Ne' } },
          ],
          explanation: { en: 'The law requires it.', 'sr-Latn': 'Zakon to traži.' },
        },
      ],
    },
  };
}

/** A translator's tool: every empty segment gets a target made from its source. */
function fillTargets(xml: string, translate: (source: string) => string): string {
  return xml.replace(/<segment id="(s\d+)" state="initial"><source>([\s\S]*?)<\/source><\/segment>/g, (_m, id: string, src: string) => {
    return `<segment id="${id}" state="translated"><source>${src}</source><target>${translate(src)}</target></segment>`;
  });
}

describe('XLIFF translation workflow', () => {
  let api: TestApi;
  let school: OrgUnit;
  let author: User;
  let otherAuthor: User;
  let hr: User;
  let learner: User;
  let admin: User;
  const tokens = new Map<string, string>();
  const as = async (user: User) => {
    if (!tokens.has(user.id)) tokens.set(user.id, await tokenFor(api.config, user));
    return { Authorization: `Bearer ${tokens.get(user.id)}` };
  };
  const xliffPost = async (user: User, slug: string, xml: string) =>
    api.http.post(`/api/v1/courses/${slug}/xliff`).set(await as(user)).set('Content-Type', 'application/xliff+xml').send(xml);

  beforeAll(async () => {
    api = await startApi({ env: { UI_LOCALES: 'en,sr-Latn,sr-Cyrl,mk' } });
    school = await theSchool(api.dataSource);
    const otherSchool = await anOrgUnit(api.dataSource, { kind: 'school' });
    const unit = await anOrgUnit(api.dataSource);
    author = await aUser(api.dataSource, { orgUnit: school, roles: [{ role: 'author', scope: school }] });
    otherAuthor = await aUser(api.dataSource, { orgUnit: otherSchool, roles: [{ role: 'author', scope: otherSchool }] });
    hr = await aUser(api.dataSource, { orgUnit: school, roles: [{ role: 'hr', scope: school }] });
    learner = await aUser(api.dataSource, { orgUnit: unit });
    admin = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'admin', scope: null }] });
    expect((await api.http.post('/api/v1/courses').set(await as(author)).send(aPackage('records-course'))).status).toBe(201);
    expect((await api.http.post('/api/v1/courses/records-course/publish').set(await as(author))).status).toBe(201);
  });

  afterAll(async () => {
    await api.close();
  });

  it('exports, imports a filled translation as a draft with the new language, and the texts round-trip exactly', async () => {
    const exported = await api.http.get('/api/v1/courses/records-course/versions/1/xliff?target=MK').set(await as(author)).buffer(true).parse((res, cb) => {
      let data = '';
      res.on('data', (c: Buffer) => (data += c.toString('utf8')));
      res.on('end', () => cb(null, data));
    });
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toContain('application/xliff+xml');
    expect(exported.headers['content-disposition']).toBe('attachment; filename="records-course-v1-mk.xlf"');
    const xml = exported.body as string;
    expect(xml).toContain('srcLang="en" trgLang="mk"');
    expect(xml).toContain('<source>Records &amp; &lt;archives&gt;</source>');

    const imported = await xliffPost(author, 'records-course', fillTargets(xml, (s) => s));
    expect(imported.status).toBe(201);
    expect(imported.body).toEqual({ slug: 'records-course', version: 2, status: 'draft', language: 'mk', lessonCount: 2 });

    const draft = await api.http.get('/api/v1/courses/records-course/draft').set(await as(author));
    expect(draft.body.course.languages).toEqual(['en', 'sr-Latn', 'mk']);
    expect(draft.body.course.title.mk).toBe(draft.body.course.title.en);
    const bodies = draft.body.lessons.map((l: { body: Record<string, string> }) => l.body);
    expect(bodies.map((b: Record<string, string>) => b.mk)).toEqual(bodies.map((b: Record<string, string>) => b.en));
    expect(bodies[0].mk).toContain('```\nkeep = true\n```\n\n- one\n- two');
    expect(draft.body.quiz.questions[0].explanation.mk).toBe('The law requires it.');

    const status = await api.http.get('/api/v1/courses/records-course/languages').set(await as(author));
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ slug: 'records-course', version: 2, status: 'draft', sourceLanguage: 'en' });
    expect(status.body.languages).toEqual([
      { language: 'en', status: 'source' },
      { language: 'sr-Latn', status: 'complete' },
      { language: 'mk', status: 'complete', translatedFromVersion: 1 },
      { language: 'sr-Cyrl', status: 'missing' },
    ]);
  });

  it('marks a translation outdated, by unit, when its source changes', async () => {
    const draft = (await api.http.get('/api/v1/courses/records-course/draft').set(await as(author))).body;
    draft.lessons[1].body.en = 'As long as the records law says, and no longer.';
    expect((await api.http.put('/api/v1/courses/records-course/draft').set(await as(author)).send(draft)).status).toBe(200);
    const status = await api.http.get('/api/v1/courses/records-course/languages').set(await as(admin));
    expect(status.body.languages.find((l: { language: string }) => l.language === 'mk')).toEqual({
      language: 'mk',
      status: 'outdated',
      translatedFromVersion: 1,
      outdatedUnits: ['lessons.how-long.body'],
    });
  });

  it('answers tampered or invalid XLIFF with a 400 problem naming the element, and changes nothing', async () => {
    const xml = (await api.http.get('/api/v1/courses/records-course/versions/1/xliff?target=hr').set(await as(author))).text;
    const filled = fillTargets(xml, (s) => `[hr] ${s}`);
    const cases: Array<[string, string]> = [
      ['<xliff', '/'],
      [filled.replace('Keep records?', 'Burn records?'), "/xliff/file/unit[@id='quiz.q1.text']/segment[@id='s1']/source"],
      [filled.replace(/<target>\[hr\] Yes<\/target>/, ''), "/xliff/file/unit[@id='quiz.q1.a']/segment[@id='s1']/target"],
      [filled.replace('versions/1', 'versions/9'), '/xliff/file/@original'],
      [filled.replace('courses/records-course/', 'courses/other-course/'), '/xliff/file/@original'],
      [filled.replace('srcLang="en"', 'srcLang="sr-Latn"'), '/xliff/@srcLang'],
      [filled.replace('<!--', '').replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY x "y">]>'), 'DOCTYPE'],
    ];
    for (const [bad, element] of cases) {
      const res = await xliffPost(author, 'records-course', bad);
      expect({ element, status: res.status, type: res.headers['content-type'] }).toEqual({ element, status: 400, type: expect.stringContaining('application/problem+json') });
      expect(res.body.errors[0].field).toBe(element === '/' ? 'line 1' : element);
    }
    const empty = await api.http.post('/api/v1/courses/records-course/xliff').set(await as(author)).set('Content-Type', 'application/json').send({});
    expect(empty.status).toBe(400);
    const draft = (await api.http.get('/api/v1/courses/records-course/draft').set(await as(author))).body;
    expect(draft.course.languages).toEqual(['en', 'sr-Latn', 'mk']);
  });

  it('refuses a second draft from a published version while a draft exists', async () => {
    const xml = (await api.http.get('/api/v1/courses/records-course/versions/1/xliff?target=hr').set(await as(author))).text;
    const res = await xliffPost(author, 'records-course', fillTargets(xml, (s) => s));
    expect(res.status).toBe(409);
  });

  it('lets only authors of the owning school and admins in (role × scope × ownership)', async () => {
    const routes = [
      (u: User) => api.http.get('/api/v1/courses/records-course/versions/1/xliff?target=mk').set(tokens.get(u.id) ? { Authorization: `Bearer ${tokens.get(u.id)}` } : {}),
      (u: User) => api.http.get('/api/v1/courses/records-course/languages').set(tokens.get(u.id) ? { Authorization: `Bearer ${tokens.get(u.id)}` } : {}),
    ];
    for (const u of [learner, hr, otherAuthor, admin, author]) await as(u);
    for (const route of routes) {
      expect((await route(learner)).status).toBe(403);
      expect((await route(hr)).status).toBe(403);
      expect((await route(otherAuthor)).status).toBe(403);
      expect((await route(admin)).status).toBe(200);
      expect((await route(author)).status).toBe(200);
    }
    expect((await api.http.get('/api/v1/courses/records-course/languages')).status).toBe(401);
    expect((await xliffPost(otherAuthor, 'records-course', '<xliff/>')).status).toBe(403);
    expect((await xliffPost(learner, 'records-course', '<xliff/>')).status).toBe(403);
    expect((await api.http.post('/api/v1/courses/records-course/xliff').set('Content-Type', 'application/xliff+xml').send('<xliff/>')).status).toBe(401);
  });

  it('answers bad parameters with 400 and unknown courses with 404', async () => {
    const h = await as(author);
    const bad = await api.http.get('/api/v1/courses/records-course/versions/1/xliff?target=not_a_tag').set(h);
    expect(bad.status).toBe(400);
    expect(bad.body.title).toBe('Bad Request');
    // The problem's title in the caller's language (Accept-Language, along its fallback chain).
    const mk = await api.http.get('/api/v1/courses/records-course/versions/1/xliff?target=not_a_tag').set(h).set('Accept-Language', 'mk-MK,mk;q=0.9');
    expect({ status: mk.status, title: mk.body.title, language: mk.headers['content-language'] }).toEqual({ status: 400, title: 'Неисправно барање', language: 'mk' });
    const cyr = await api.http.get('/api/v1/courses/no-such-course/languages').set(h).set('Accept-Language', 'sr');
    expect(cyr.body.title).toBe('Није пронађено');
    expect((await api.http.get('/api/v1/courses/records-course/versions/1/xliff').set(h)).status).toBe(400);
    expect((await api.http.get('/api/v1/courses/records-course/versions/1/xliff?target=en').set(h)).status).toBe(400);
    expect((await api.http.get('/api/v1/courses/records-course/versions/abc/xliff?target=mk').set(h)).status).toBe(400);
    expect((await api.http.get('/api/v1/courses/records-course/versions/99999999999/xliff?target=mk').set(h)).status).toBe(400);
    expect((await api.http.get('/api/v1/courses/records-course/versions/7/xliff?target=mk').set(h)).status).toBe(404);
    expect((await api.http.get('/api/v1/courses/no-such-course/languages').set(h)).status).toBe(404);
    expect((await xliffPost(author, 'no-such-course', '<xliff/>')).status).toBe(404);
  });
});
