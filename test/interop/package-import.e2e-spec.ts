import type { OrgUnit, User } from '@lms/identity';
import { FileStorage } from '@lms/storage';
import { aUser, anOrgUnit, startApi, type TestApi, tokenFor } from '@lms/testing';
import { theSchool } from '../catalog/catalog-fixtures.js';
import { aCourse, cmi5Files, scorm12Files, scorm2004Files, zip } from './fixtures.js';

describe('package import (POST /api/v1/courses/:slug/packages)', () => {
  let api: TestApi;
  let school: OrgUnit;
  let author: User;
  let otherAuthor: User;
  let hr: User;
  let learner: User;
  let storage: FileStorage;
  const tokens = new Map<string, string>();
  const as = async (user: User) => ({ Authorization: `Bearer ${await tokenFor(api.config, user)}` });
  const upload = (slug: string, body: Buffer, user: User = author) =>
    api.http.post(`/api/v1/courses/${slug}/packages`).set('authorization', `Bearer ${tokens.get(user.id)}`).set('content-type', 'application/zip').send(body);
  const packages = async (): Promise<number> => ((await api.dataSource.query(`SELECT count(*)::int AS n FROM content_package`)) as Array<{ n: number }>)[0].n;

  beforeAll(async () => {
    api = await startApi();
    storage = api.app.get(FileStorage);
    school = await theSchool(api.dataSource);
    const otherSchool = await anOrgUnit(api.dataSource, { kind: 'school' });
    const unit = await anOrgUnit(api.dataSource);
    author = await aUser(api.dataSource, { orgUnit: school, roles: [{ role: 'author', scope: school }] });
    otherAuthor = await aUser(api.dataSource, { orgUnit: otherSchool, roles: [{ role: 'author', scope: otherSchool }] });
    hr = await aUser(api.dataSource, { orgUnit: school, roles: [{ role: 'hr', scope: school }] });
    learner = await aUser(api.dataSource, { orgUnit: unit });
    for (const u of [author, otherAuthor, hr, learner]) tokens.set(u.id, await tokenFor(api.config, u));
    for (const slug of ['records-scorm', 'records-2004', 'records-cmi5', 'records-bad']) {
      await api.http.post('/api/v1/courses').set(await as(author)).send(aCourse(slug)).expect(201);
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  it('imports a SCORM 1.2 package: files stored, the SCO a new lesson of the draft, publishable as an immutable version', async () => {
    const res = await upload('records-scorm', zip(scorm12Files())).expect(201);
    expect(res.body).toMatchObject({ standard: 'scorm12', title: 'Records management basics', fileCount: 3, draft: { status: 'draft', lessonCount: 2 } });
    expect(res.body.activities).toEqual([{ identifier: 'item1', title: 'What a record is', lessonSlug: expect.stringMatching(/^pkg-[0-9a-f]{8}-1$/), kind: 'sco' }]);
    expect(await storage.list(`packages/${res.body.id}/`)).toEqual([`packages/${res.body.id}/imsmanifest.xml`, `packages/${res.body.id}/index.html`, `packages/${res.body.id}/sco.js`]);
    expect((await storage.get(`packages/${res.body.id}/index.html`)).contentType).toMatch(/^text\/html/);
    const draft = await api.http.get('/api/v1/courses/records-scorm/draft').set(await as(author)).expect(200);
    expect(draft.body.course.lessons).toEqual(['intro', res.body.activities[0].lessonSlug]);
    const rows = (await api.dataSource.query(`SELECT launch, mastery_score, lesson_slug FROM package_activity WHERE package_id = $1`, [res.body.id])) as Array<Record<string, unknown>>;
    expect(rows).toEqual([{ launch: 'index.html?lang=en', mastery_score: 0.8, lesson_slug: res.body.activities[0].lessonSlug }]);
    const published = await api.http.post('/api/v1/courses/records-scorm/publish').set(await as(author));
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ status: 'published', lessonCount: 2 });
  });

  it('imports SCORM 2004 (two SCOs, two lessons in order) and cmi5 (one AU with its moveOn)', async () => {
    const s2004 = await upload('records-2004', zip(scorm2004Files())).expect(201);
    expect(s2004.body).toMatchObject({ standard: 'scorm2004', edition: '4th', draft: { lessonCount: 3 } });
    expect(s2004.body.activities.map((a: { title: string }) => a.title)).toEqual(['Finding data', 'Publishing data']);
    const cmi5 = await upload('records-cmi5', zip(cmi5Files())).expect(201);
    expect(cmi5.body).toMatchObject({ standard: 'cmi5', draft: { lessonCount: 2 } });
    const [row] = (await api.dataSource.query(`SELECT move_on, mastery_score, kind FROM package_activity WHERE package_id = $1`, [cmi5.body.id])) as Array<Record<string, unknown>>;
    expect(row).toEqual({ move_on: 'CompletedAndPassed', mastery_score: 0.7, kind: 'au' });
  });

  it('refuses invalid and unsafe packages with 400 and the problems by file and element, storing nothing', async () => {
    const before = await packages();
    const broken = scorm12Files();
    broken['imsmanifest.xml'] = (broken['imsmanifest.xml'] as string).replace('href="index.html">', 'href="missing.html">');
    const bad = await upload('records-bad', zip(broken)).expect(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    expect(bad.body.errors).toEqual(expect.arrayContaining([{ field: 'imsmanifest.xml manifest/resources/resource[1]/@href', message: 'missing.html is not a file in the package' }]));
    const slip = await upload('records-bad', zip({ ...scorm12Files(), '../../etc/cron.d/x': 'boom' })).expect(400);
    expect(slip.body.errors[0].message).toMatch(/leaves the package/);
    const link = await upload('records-bad', zip({ ...scorm12Files(), 'evil.html': '/etc/shadow' }, { symlinks: ['evil.html'] })).expect(400);
    expect(link.body.errors[0]).toEqual({ field: 'evil.html', message: expect.stringMatching(/symbolic link/) });
    const bomb = await upload('records-bad', zip({ ...scorm12Files(), 'zeros.bin': new Uint8Array(8 * 1024 * 1024) }, { level: 9 })).expect(400);
    expect(bomb.body.errors[0].field).toBe('zeros.bin');
    const none = await upload('records-bad', zip({ 'index.html': '<p>no manifest</p>' })).expect(400);
    expect(none.body.errors[0].message).toMatch(/neither imsmanifest.xml/);
    await upload('records-bad', Buffer.from('not a zip at all')).expect(400);
    await api.http.post('/api/v1/courses/records-bad/packages').set(await as(author)).send({ zip: 'no' }).expect(400);
    expect(await packages()).toBe(before);
    expect(await storage.list('packages/')).toHaveLength(3 + 4 + 3); // SCORM 1.2, SCORM 2004 (two SCOs and their shared script), cmi5 (page and script)
    const draft = await api.http.get('/api/v1/courses/records-bad/draft').set(await as(author)).expect(200);
    expect(draft.body.course.lessons).toEqual(['intro']);
  });

  it('only authors of the owning school (and admins) import; others get 403, anonymous 401; no draft or no course is 404', async () => {
    const body = zip(scorm12Files());
    expect((await upload('records-bad', body, otherAuthor)).status).toBe(403);
    expect((await upload('records-bad', body, hr)).status).toBe(403);
    expect((await upload('records-bad', body, learner)).status).toBe(403);
    await api.http.post('/api/v1/courses/records-bad/packages').set('content-type', 'application/zip').send(body).expect(401);
    expect((await upload('no-such-course', body)).status).toBe(404);
    // records-scorm was published above: it has no draft now.
    expect((await upload('records-scorm', body)).status).toBe(404);
    // application/zip is refused (415) on routes that do not take it.
    await api.http.put('/api/v1/courses/records-bad/draft').set(await as(author)).set('content-type', 'application/zip').send(body).expect(415);
  });
});
