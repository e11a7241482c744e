import type { User } from '@lms/identity';
import { anOrgUnit, aUser, startApi, TestApi, tokenFor } from '@lms/testing';
import { courseFolder, zipOf } from '../support/course-package.js';
import { browserAgent, csrfOf, signIn } from './web-support.js';

const PASSWORD = 'upload-password-for-tests-42';

/**
 * An author uploads a zip of a courses/<slug>/ folder (API and page without JavaScript): it is
 * checked in memory before anything is written, every problem is named by file, line and field,
 * unsafe zips are refused, and a valid one becomes the course's draft.
 */
describe('course package upload', () => {
  let api: TestApi;
  let author: User;
  let otherAuthor: User;
  let schoolCode: string;
  let bearer: string;

  beforeAll(async () => {
    api = await startApi();
    const school = await anOrgUnit(api.dataSource, { kind: 'school', name: 'Škola za otvorene podatke' });
    const other = await anOrgUnit(api.dataSource, { kind: 'school', name: 'Druga škola' });
    schoolCode = school.code;
    author = await aUser(api.dataSource, { orgUnit: school, password: PASSWORD, roles: [{ role: 'author', scope: school }] });
    otherAuthor = await aUser(api.dataSource, { orgUnit: other, password: PASSWORD, roles: [{ role: 'author', scope: other }] });
    bearer = `Bearer ${await tokenFor(api.config, author)}`;
  });
  afterAll(async () => {
    await api?.close();
  });

  const post = (zip: Buffer, auth = bearer, query = '') => api.http.post(`/api/v1/courses/upload${query}`).set({ Authorization: auth, 'content-type': 'application/zip' }).send(zip);
  const drafts = async (slug: string): Promise<number> =>
    Number(((await api.dataSource.query(`SELECT count(*)::int AS n FROM course_version v JOIN course c ON c.id = v.course_id WHERE c.slug = $1`, [slug])) as Array<{ n: number }>)[0].n);

  it('API: a broken package is refused with every problem by file, line, column and field, and nothing is written', async () => {
    const slug = `upload-broken-${Date.now()}`;
    const res = await post(zipOf(courseFolder(slug, schoolCode, { broken: true }))).expect(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([
      { file: `courses/${slug}/course.yaml`, line: 14, column: 8, field: 'level', message: 'must be one of: foundation, intermediate, advanced' },
      { file: `courses/${slug}/lessons/sr-Cyrl/02-publishing.md`, line: 3, column: 10, field: 'minutes', message: 'must be a whole number' },
      { file: `courses/${slug}/quiz.yaml`, line: 11, column: 5, field: 'questions[1].choices', message: expect.stringMatching(/no correct choice/) },
    ]);
    expect(await drafts(slug)).toBe(0);
  });

  it('API: a dry run checks without writing; a valid package becomes the draft, and uploading again replaces it', async () => {
    const slug = `upload-ok-${Date.now()}`;
    const dry = await post(zipOf(courseFolder(slug, schoolCode)), bearer, '?dryRun=true').expect(201);
    expect(dry.body).toEqual({ slug, draft: null, dryRun: true });
    expect(await drafts(slug)).toBe(0);
    const first = await post(zipOf(courseFolder(slug, schoolCode))).expect(201);
    expect(first.body).toMatchObject({ slug, dryRun: false, draft: { slug, version: 1, status: 'draft', lessonCount: 2 } });
    const again = await post(zipOf(courseFolder(slug, schoolCode))).expect(201);
    expect(again.body.draft).toMatchObject({ version: 1, status: 'draft' });
    expect(await drafts(slug)).toBe(1);
    const draft = await api.http.get(`/api/v1/courses/${slug}/draft`).set({ Authorization: bearer }).expect(200);
    expect(draft.body.lessons[1].title['sr-Cyrl']).toBe('Објављивање');
    // Another school's author may not write this course, nor a course of a school that is not theirs.
    const other = `Bearer ${await tokenFor(api.config, otherAuthor)}`;
    await post(zipOf(courseFolder(slug, schoolCode)), other).expect(403);
  });

  it('API: refuses zip-slip paths, symbolic links, too many files, a second folder and what is not a zip (4xx problem+json, never 500)', async () => {
    const slug = `upload-unsafe-${Date.now()}`;
    const files = courseFolder(slug, schoolCode);
    const slip = await post(zipOf({ ...files, '../evil.md': 'x' })).expect(422);
    expect(slip.body.errors[0].message).toMatch(/leaves the package/);
    const link = await post(zipOf({ ...files, [`courses/${slug}/README.md`]: '/etc/passwd' }, { symlinks: [`courses/${slug}/README.md`] })).expect(422);
    expect(link.body.errors[0]).toMatchObject({ file: `courses/${slug}/README.md`, message: expect.stringMatching(/symbolic link/) });
    const many = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`courses/${slug}/lessons/en/x${i}.md`, 'x']));
    const tooMany = await post(zipOf({ ...files, ...many })).expect(422);
    expect(tooMany.body.errors[0].message).toMatch(/at most 500/);
    const two = await post(zipOf({ ...files, 'courses/second/course.yaml': 'slug: second' })).expect(422);
    expect(two.body.errors[0]).toMatchObject({ file: '(zip)', message: expect.stringMatching(/exactly one course folder/) });
    const junk = await post(Buffer.from('not a zip at all')).expect(422);
    expect(junk.body.errors[0].message).toMatch(/not a readable zip/);
    await api.http.post('/api/v1/courses/upload').set({ Authorization: bearer, 'content-type': 'application/json' }).send({}).expect(422);
    expect(await drafts(slug)).toBe(0);
  });

  it('page: a broken upload lists the problems by file, line and field; the fixed one becomes the draft with a Cyrillic preview; the form needs CSRF', async () => {
    const slug = `upload-page-${Date.now()}`;
    const agent = browserAgent(api);
    await signIn(agent, author.email, PASSWORD);
    const page = await agent.get('/console/author').expect(200);
    expect(page.text).toContain('enctype="multipart/form-data"');
    const csrf = csrfOf(page.text);
    const broken = await agent.post('/console/author/upload').field('_csrf', csrf).attach('package', zipOf(courseFolder(slug, schoolCode, { broken: true })), 'open-data.zip').expect(422);
    expect(broken.text).toContain('The package has 3 problems: nothing was saved.');
    expect(broken.text).toContain(`<tr><th scope="row"><code>courses/${slug}/course.yaml</code></th><td class="num">14:8</td><td><code>level</code></td>`);
    expect(broken.text).toContain(`<code>courses/${slug}/lessons/sr-Cyrl/02-publishing.md</code></th><td class="num">3:10</td><td><code>minutes</code></td>`);
    expect(await drafts(slug)).toBe(0);
    const noFile = await agent.post('/console/author/upload').field('_csrf', csrf).expect(400);
    expect(noFile.text).toContain('Choose the zip file of a course folder');
    const forged = await agent.post('/console/author/upload').attach('package', zipOf(courseFolder(slug, schoolCode)), 'open-data.zip').expect(403);
    expect(forged.text).toContain('This form has expired or did not come from this site');
    const ok = await agent.post('/console/author/upload').field('_csrf', csrf).attach('package', zipOf(courseFolder(slug, schoolCode)), 'open-data.zip').expect(303);
    expect(ok.headers.location).toBe(`/console/author?uploaded=${slug}&version=1`);
    const saved = await agent.get(ok.headers.location).expect(200);
    expect(saved.text).toContain(`saved as draft version 1 of ${slug}`);
    const cyr = await agent.get(`/console/author/courses/${slug}/preview?lang=sr-Cyrl`).expect(200);
    expect(cyr.text).toContain('<article class="prose" lang="sr-Cyrl"><h1>Зашто отворени подаци</h1><h2>Зашто објављивати</h2>');
    // Elsewhere multipart is not accepted at all.
    await agent.post('/console/author/courses/x/publish').field('_csrf', csrf).field('summary', 'x').expect(415);
  });
});
