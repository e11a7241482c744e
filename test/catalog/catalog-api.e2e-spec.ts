import { CatalogImportService } from '@lms/catalog';
import type { OrgUnit, User } from '@lms/identity';
import { aUser, anOrgUnit, startApi, TestApi, tokenFor } from '@lms/testing';
import { anEnrolment, COURSES_DIR, theSchool } from './catalog-fixtures.js';

describe('catalog API', () => {
  let api: TestApi;
  let unitA: OrgUnit;
  let learner: User;
  let learnerCyr: User;
  let author: User;
  let otherAuthor: User;
  let hrA: User;
  let hrB: User;
  let admin: User;
  const tokens = new Map<string, string>();

  const get = async (url: string, user: User, headers: Record<string, string> = {}) => {
    if (!tokens.has(user.id)) tokens.set(user.id, await tokenFor(api.config, user));
    return api.http.get(`/api/v1${url}`).set({ Authorization: `Bearer ${tokens.get(user.id)}`, ...headers });
  };
  const slugs = (body: { items: Array<{ slug: string }> }): string[] => body.items.map((i) => i.slug);

  beforeAll(async () => {
    api = await startApi();
    const school = await theSchool(api.dataSource);
    const otherSchool = await anOrgUnit(api.dataSource, { kind: 'school' });
    unitA = await anOrgUnit(api.dataSource);
    const unitB = await anOrgUnit(api.dataSource);
    learner = await aUser(api.dataSource, { orgUnit: unitA, locale: 'en' });
    learnerCyr = await aUser(api.dataSource, { orgUnit: unitA, locale: 'sr-Cyrl' });
    author = await aUser(api.dataSource, { orgUnit: school, roles: [{ role: 'author', scope: school }] });
    otherAuthor = await aUser(api.dataSource, { orgUnit: otherSchool, roles: [{ role: 'author', scope: otherSchool }] });
    hrA = await aUser(api.dataSource, { orgUnit: unitA, roles: [{ role: 'hr', scope: unitA }] });
    hrB = await aUser(api.dataSource, { orgUnit: unitB, roles: [{ role: 'hr', scope: unitB }] });
    admin = await aUser(api.dataSource, { orgUnit: unitB, roles: [{ role: 'admin', scope: null }] });
    await api.app.get(CatalogImportService).importDirectory(COURSES_DIR);
  });

  afterAll(async () => {
    await api.close();
  });

  describe('GET /courses', () => {
    it('needs a signed-in user', async () => {
      const res = await api.http.get('/api/v1/courses');
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    });

    it('lists published courses a page at a time', async () => {
      const all = await get('/courses?limit=100', learner);
      expect(all.status).toBe(200);
      expect(all.body.total).toBeGreaterThanOrEqual(9);
      expect(all.body.items[0]).toEqual(
        expect.objectContaining({ slug: 'ai-fundamentals', version: 1, title: 'AI fundamentals for public servants', language: 'en', estimatedMinutes: 105 }),
      );
      expect(all.body.items[0].competencies).toEqual([
        { code: 'LIT.1', level: 2 },
        { code: 'LIT.3', level: 1 },
      ]);
      const page2 = await get('/courses?limit=2&page=2', learner);
      expect(page2.body).toMatchObject({ page: 2, limit: 2, total: all.body.total });
      expect(slugs(page2.body)).toEqual(slugs(all.body).slice(2, 4));
      const beyond = await get('/courses?page=99', learner);
      expect(beyond.body).toMatchObject({ items: [], total: all.body.total });
      const tooMany = await get('/courses?limit=101', learner);
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.errors[0].field).toBe('limit');
    });

    it('finds a course by a Cyrillic word and by a Latin word typed without diacritics', async () => {
      const cyr = await get(`/courses?q=${encodeURIComponent('запошљавање')}`, learner);
      expect(cyr.status).toBe(200);
      expect(slugs(cyr.body)).toContain('ai-fundamentals');
      const latin = await get('/courses?q=zaposljavanje', learner);
      expect(slugs(latin.body)).toEqual(slugs(cyr.body));
      const both = await get(`/courses?q=${encodeURIComponent('ВЕШТАЧКЕ интелиг')}`, learner);
      expect(slugs(both.body)).toContain('ai-fundamentals');
      const english = await get('/courses?q=phishing', learner);
      expect(slugs(english.body)[0]).toBe('cybersecurity-data-protection');
    });

    it('treats hostile or empty search text as words, never as SQL', async () => {
      const hostile = await get(`/courses?q=${encodeURIComponent("x'); DROP TABLE course; -- :* & | !")}`, learner);
      expect(hostile.status).toBe(200);
      expect(hostile.body.items).toEqual([]);
      // A NUL is refused for every route by the platform's input guard (400 naming q), not searched for.
      expect((await get('/courses?q=%00', learner)).status).toBe(400);
      const punctuation = await get(`/courses?q=${encodeURIComponent('!!! —')}`, learner);
      expect(punctuation.body).toMatchObject({ items: [], total: 0 });
      const still = await get('/courses', learner);
      expect(still.body.total).toBeGreaterThanOrEqual(9);
    });

    it('filters by competency (a domain code matches its competencies), language and level', async () => {
      expect(slugs((await get('/courses?competency=RSP.3', learner)).body)).toEqual(['cybersecurity-data-protection']);
      expect(slugs((await get('/courses?competency=LEAD', learner)).body)).toEqual(['leading-digital-change']);
      const cyr = await get('/courses?language=sr-Cyrl&limit=100', learner);
      // All nine starter courses are in Serbian, both scripts (the Cyrillic generated, docs/languages.md).
      expect([...slugs(cyr.body)].sort()).toEqual([
        'ai-fundamentals', 'algorithmic-accountability', 'cybersecurity-data-protection', 'data-governance-open-data', 'digital-tools-climate-action',
        'gender-responsive-digital-government', 'generative-ai-at-work', 'inclusive-digital-services', 'leading-digital-change',
      ]);
      expect(cyr.body.items.every((i: { languages: string[] }) => i.languages.includes('sr-Cyrl'))).toBe(true);
      expect(cyr.body.items.find((i: { slug: string }) => i.slug === 'ai-fundamentals')).toMatchObject({ language: 'sr-Cyrl', title: 'Основе вештачке интелигенције за јавне службенике' });
      const latn = await get('/courses?language=sr-Latn&level=foundation', learner);
      expect(slugs(latn.body)).toContain('ai-fundamentals');
      expect(latn.body.items.every((i: { languages: string[]; level: string }) => i.languages.includes('sr-Latn') && i.level === 'foundation')).toBe(true);
      const bad = await get('/courses?level=expert&competency=a%20b', learner);
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['competency', 'level']);
    });

    it("shows titles in the caller's locale, falling back to the course default; ?lang= and Accept-Language too", async () => {
      const mine = await get('/courses?limit=100', learnerCyr);
      const byslug = new Map(mine.body.items.map((i: { slug: string }) => [i.slug, i]));
      expect(byslug.get('ai-fundamentals')).toMatchObject({ language: 'sr-Cyrl', title: 'Основе вештачке интелигенције за јавне службенике' });
      expect(byslug.get('cybersecurity-data-protection')).toMatchObject({ language: 'sr-Cyrl', title: 'Сајбер безбедност и заштита података о личности' });
      // Every course comes in the first of Cyrillic, Latin, English (the default) that it has.
      for (const i of mine.body.items as Array<{ slug: string; language: string; languages: string[] }>) {
        expect({ slug: i.slug, language: i.language }).toEqual({ slug: i.slug, language: ['sr-Cyrl', 'sr-Latn', 'en'].find((l) => i.languages.includes(l)) });
      }
      const latn = await get('/courses?limit=100&lang=sr-Latn', learnerCyr);
      expect(latn.body.items.find((i: { slug: string }) => i.slug === 'ai-fundamentals')).toMatchObject({ language: 'sr-Latn' });
      // A profile language no course has (de) gives way to Accept-Language; a Croatian profile reads Serbian Latin.
      const german = await aUser(api.dataSource, { orgUnit: unitA, locale: 'de' });
      const accept = await get('/courses?limit=100', german, { 'Accept-Language': 'sr-Latn;q=0.9, en;q=0.5' });
      expect(accept.body.items.find((i: { slug: string }) => i.slug === 'generative-ai-at-work')).toMatchObject({
        language: 'sr-Latn',
        title: 'Generativna VI na poslu: bezbedna i odgovorna upotreba',
      });
      const croatian = await aUser(api.dataSource, { orgUnit: unitA, locale: 'hr' });
      expect((await get('/courses?limit=100', croatian)).body.items.find((i: { slug: string }) => i.slug === 'ai-fundamentals')).toMatchObject({ language: 'sr-Latn' });
      expect((await get('/courses?limit=100', german)).body.items.find((i: { slug: string }) => i.slug === 'ai-fundamentals')).toMatchObject({ language: 'en' });
    });
  });

  describe('GET /courses/:slug', () => {
    it('answers the latest published version with its outline and a quiz summary, never the answers', async () => {
      const res = await get('/courses/ai-fundamentals', learner);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        slug: 'ai-fundamentals',
        version: 1,
        status: 'published',
        school: { code: 'SPA' },
        quiz: { questionCount: 10, passMark: 70, attemptsAllowed: 3 },
        certificateValidityMonths: 36,
      });
      expect(res.body.lessons).toEqual([
        { slug: 'what-ai-is', position: 1, title: 'What AI is — and what it is not', minutes: 20, required: true },
        expect.objectContaining({ slug: 'how-ai-learns-from-data', position: 2 }),
        expect.objectContaining({ slug: 'ai-in-public-services', position: 3 }),
        expect.objectContaining({ slug: 'evaluating-ai-output', position: 4 }),
      ]);
      expect(JSON.stringify(res.body)).not.toMatch(/"correct"|"questions"|"choices"/);
      const cyr = await get('/courses/ai-fundamentals', learnerCyr);
      expect(cyr.body.lessons[0].title).toMatch(/[а-я]/);
    });

    it('answers 404 problem+json for an unknown course or version', async () => {
      const res = await get('/courses/no-such-course', learner);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect((await get('/courses/ai-fundamentals?version=7', learner)).status).toBe(404);
      // A NUL in a path parameter: 400 from the platform's input guard; other odd slugs: 404.
      expect((await get('/courses/%00%27%3B', learner)).status).toBe(400);
      expect((await get('/courses/ai-fundamentals/lessons/%00', admin)).status).toBe(400);
      expect((await get('/courses/%27%3B', learner)).status).toBe(404);
      expect((await get('/courses/ai-fundamentals?version=zero', learner)).status).toBe(400);
    });
  });

  describe('GET /courses/:slug/lessons/:lessonSlug', () => {
    const lesson = '/courses/ai-fundamentals/lessons/how-ai-learns-from-data';

    it('refuses a learner who is not enrolled, and HR whose people are not', async () => {
      const res = await get(lesson, learner);
      expect(res.status).toBe(403);
      expect(res.body.detail).toMatch(/Enrol/);
      expect((await get(lesson, hrA)).status).toBe(403);
    });

    it('serves an enrolled learner Markdown and sanitised HTML in their language', async () => {
      await anEnrolment(api.dataSource, learner.id, 'ai-fundamentals');
      await anEnrolment(api.dataSource, learnerCyr.id, 'ai-fundamentals');
      const res = await get(lesson, learner);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ courseSlug: 'ai-fundamentals', version: 1, slug: 'how-ai-learns-from-data', position: 2, language: 'en' });
      expect(res.body.markdown).toMatch(/^## /m);
      expect(res.body.html).toMatch(/<h2>/);
      expect(res.body.html).not.toMatch(/<script/i);
      expect(res.body.previous).toEqual({ slug: 'what-ai-is', title: 'What AI is — and what it is not' });
      expect(res.body.next).toMatchObject({ slug: 'ai-in-public-services' });
      const cyr = await get(lesson, learnerCyr);
      expect(cyr.body.language).toBe('sr-Cyrl');
      expect(cyr.body.markdown).toMatch(/[а-шђјљњћџ]{4}/);
      const override = await get(`${lesson}?lang=sr-Latn`, learnerCyr);
      expect(override.body.language).toBe('sr-Latn');
      expect((await get(`${lesson}?version=2`, learner)).status).toBe(403);
      expect((await get('/courses/ai-fundamentals/lessons/no-such-lesson', learner)).status).toBe(404);
    });

    it('lets HR read when someone in their scope is enrolled, but not HR elsewhere', async () => {
      expect((await get(lesson, hrA)).status).toBe(200);
      expect((await get(lesson, hrB)).status).toBe(403);
    });

    it('lets authors of the owning school and admins read without enrolling; not authors of another school', async () => {
      expect((await get('/courses/generative-ai-at-work/lessons/writing-clear-instructions', author)).status).toBe(200);
      expect((await get('/courses/generative-ai-at-work/lessons/writing-clear-instructions?version=1', admin)).status).toBe(200);
      expect((await get('/courses/generative-ai-at-work/lessons/writing-clear-instructions', otherAuthor)).status).toBe(403);
    });
  });
});
