import type { OrgUnit, User } from '@lms/identity';
import { CompletionFactRepository } from '@lms/reporting';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { aUser, anOrgUnit, drainJobs, startApi, type TestApi, tokenFor } from '@lms/testing';
import { binaryParser, readPdf } from '../credentials/support.js';
import { theSchool } from '../catalog/catalog-fixtures.js';
import { aCourse, scorm12Files, scorm2004Files, zip } from './fixtures.js';

describe('SCORM run-time data over HTTP (commit, resume, completion) and package content', () => {
  let api: TestApi;
  let author: User;
  let learner: User;
  let other: User;
  let hr: User;
  let unit: OrgUnit;
  const bearer = new Map<string, string>();
  const as = (u: User) => ({ authorization: `Bearer ${bearer.get(u.id)}` });
  let enrolmentId: string;
  let scoId: string;
  let packageId: string;
  let lessonSlug: string;
  let enrolment2004: string;
  let scos2004: string[];

  async function packagedCourse(slug: string, files: Record<string, string | Uint8Array>): Promise<{ packageId: string; activities: Array<{ lessonSlug: string }> }> {
    await api.http.post('/api/v1/courses').set(as(author)).send(aCourse(slug)).expect(201);
    const imported = await api.http.post(`/api/v1/courses/${slug}/packages`).set(as(author)).set('content-type', 'application/zip').send(zip(files)).expect(201);
    await api.http.post(`/api/v1/courses/${slug}/publish`).set(as(author)).expect(201);
    return { packageId: imported.body.id, activities: imported.body.activities };
  }

  beforeAll(async () => {
    api = await startApi();
    const school = await theSchool(api.dataSource);
    unit = await anOrgUnit(api.dataSource);
    author = await aUser(api.dataSource, { orgUnit: school, roles: [{ role: 'author', scope: school }] });
    learner = await aUser(api.dataSource, { orgUnit: unit });
    other = await aUser(api.dataSource, { orgUnit: unit });
    hr = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'hr', scope: unit }] });
    for (const u of [author, learner, other, hr]) bearer.set(u.id, await tokenFor(api.config, u));
    const c12 = await packagedCourse('records-run', scorm12Files());
    packageId = c12.packageId;
    lessonSlug = c12.activities[0].lessonSlug;
    [{ id: scoId }] = (await api.dataSource.query(`SELECT id FROM package_activity WHERE package_id = $1`, [packageId])) as Array<{ id: string }>;
    enrolmentId = (await api.http.post('/api/v1/enrolments').set(as(learner)).send({ courseSlug: 'records-run' }).expect(201)).body.id;
    const c2004 = await packagedCourse('opendata-run', scorm2004Files());
    scos2004 = ((await api.dataSource.query(`SELECT id FROM package_activity WHERE package_id = $1 ORDER BY position`, [c2004.packageId])) as Array<{ id: string }>).map((r) => r.id);
    enrolment2004 = (await api.http.post('/api/v1/enrolments').set(as(learner)).send({ courseSlug: 'opendata-run' }).expect(201)).body.id;
  });
  afterAll(async () => {
    await api?.close();
  });

  const url = (e = enrolmentId, s = scoId) => `/api/v1/enrolments/${e}/scorm/${s}`;

  it('starts empty, with the launch URL under /content', async () => {
    const res = await api.http.get(url()).set(as(learner)).expect(200);
    expect(res.body).toMatchObject({ version: '1.2', sequence: 0, cmi: {}, outcome: null, lessonCompleted: false, launchUrl: `/content/${packageId}/index.html?lang=en` });
  });

  it('a commit is applied once: a retry with the same sequence and an older one change nothing; resume returns suspend_data and location', async () => {
    const first = { sequence: 1, cmi: { core: { lesson_status: 'incomplete', lesson_location: 'page-2', student_name: 'Person, A' }, suspend_data: 'p=2;q=1' } };
    const a = await api.http.post(`${url()}/commit`).set(as(learner)).send(first).expect(200);
    expect(a.body).toMatchObject({ applied: true, sequence: 1, lessonCompleted: false, outcome: { completionStatus: 'incomplete' } });
    const retry = await api.http.post(`${url()}/commit`).set(as(learner)).send({ sequence: 1, cmi: { core: { lesson_status: 'failed' } } }).expect(200);
    expect(retry.body).toMatchObject({ applied: false, sequence: 1, outcome: { completionStatus: 'incomplete' } });
    const resume = await api.http.get(url()).set(as(learner)).expect(200);
    expect(resume.body.cmi).toEqual({ core: { lesson_status: 'incomplete', lesson_location: 'page-2' }, suspend_data: 'p=2;q=1' });
    await api.http.post(`${url()}/commit`).set(as(learner)).send({ sequence: 3, cmi: { core: { lesson_status: 'incomplete', lesson_location: 'page-3' }, suspend_data: 'p=3' } }).expect(200);
    const stale = await api.http.post(`${url()}/commit`).set(as(learner)).send({ sequence: 2, cmi: { core: { lesson_location: 'page-1' } } }).expect(200);
    expect(stale.body).toMatchObject({ applied: false, sequence: 3, cmi: { core: { lesson_location: 'page-3' } } });
  });

  it('SCORM 1.2: a score under the mastery score fails; passed with enough score completes the lesson through the learning domain', async () => {
    const failed = await api.http.post(`${url()}/commit`).set(as(learner)).send({ sequence: 4, cmi: { core: { lesson_status: 'completed', score: { raw: '60', min: '0', max: '100' } } } }).expect(200);
    expect(failed.body).toMatchObject({ outcome: { completionStatus: 'completed', successStatus: 'failed', scoreScaled: 0.6 }, lessonCompleted: false });
    const passed = await api.http.post(`${url()}/commit`).set(as(learner)).send({ sequence: 5, cmi: { core: { lesson_status: 'completed', score: { raw: '90' } } } }).expect(200);
    expect(passed.body).toMatchObject({ outcome: { successStatus: 'passed', scoreScaled: 0.9 }, lessonCompleted: true });
    const enrolment = await api.http.get(`/api/v1/enrolments/${enrolmentId}`).set(as(learner)).expect(200);
    expect(enrolment.body.progress).toBeGreaterThan(0);
    // The SCO's result is the enrolment's: score.raw 90 of 0–100 against the mastery score.
    expect(enrolment.body.packageResult).toEqual({ score: 90, passed: true });
    const progress = (await api.dataSource.query(`SELECT lesson_slug FROM lesson_progress WHERE enrolment_id = $1`, [enrolmentId])) as Array<{ lesson_slug: string }>;
    expect(progress.map((p) => p.lesson_slug)).toEqual([lessonSlug]);
    // Committing again after completion (a retry of the same commit) does not complete twice.
    await api.http.post(`${url()}/commit`).set(as(learner)).send({ sequence: 5, cmi: { core: { lesson_status: 'completed', score: { raw: '90' } } } }).expect(200);
    expect(((await api.dataSource.query(`SELECT count(*)::int AS n FROM lesson_progress WHERE enrolment_id = $1`, [enrolmentId])) as Array<{ n: number }>)[0].n).toBe(1);
  });

  it('SCORM 2004: completion_status and success_status per SCO; each of the two SCOs completes its own lesson', async () => {
    const [one, two] = scos2004;
    const a = await api.http.post(`${url(enrolment2004, one)}/commit`).set(as(learner)).send({ sequence: 1, cmi: { completion_status: 'completed', success_status: 'unknown', location: 'end' } }).expect(200);
    expect(a.body).toMatchObject({ version: '2004', lessonCompleted: true });
    const b = await api.http.post(`${url(enrolment2004, two)}/commit`).set(as(learner)).send({ sequence: 1, cmi: { completion_status: 'completed', success_status: 'failed', score: { scaled: 0.3 } } }).expect(200);
    expect(b.body).toMatchObject({ lessonCompleted: false, outcome: { successStatus: 'failed', scoreScaled: 0.3 } });
  });

  it('SCORM 2004: the SCOs’ score and success reach the enrolment (learner and HR), the course page and the HR completion report; a retried commit changes nothing', async () => {
    const [, two] = scos2004;
    // So far: SCO one completed without a score, SCO two failed at 0.3.
    const failed = await api.http.get(`/api/v1/enrolments/${enrolment2004}`).set(as(learner)).expect(200);
    expect(failed.body).toMatchObject({ status: 'in_progress', packageResult: { score: 30, passed: false } });
    const passed = await api.http.post(`${url(enrolment2004, two)}/commit`).set(as(learner)).send({ sequence: 2, cmi: { completion_status: 'completed', success_status: 'passed', score: { scaled: 0.8 } } }).expect(200);
    expect(passed.body).toMatchObject({ applied: true, lessonCompleted: true });
    // A retry of an older commit (the failed one) is not applied and does not bring the old result back.
    const retry = await api.http.post(`${url(enrolment2004, two)}/commit`).set(as(learner)).send({ sequence: 1, cmi: { completion_status: 'completed', success_status: 'failed', score: { scaled: 0.3 } } }).expect(200);
    expect(retry.body.applied).toBe(false);
    // The course's native lesson and its native quiz (still the course's quiz; docs/interop.md), so the course completes.
    await api.http.post(`/api/v1/enrolments/${enrolment2004}/lessons/intro/complete`).set(as(learner)).expect(200);
    await api.http.post(`/api/v1/enrolments/${enrolment2004}/quiz-attempts`).set(as(learner)).send({ answers: [{ questionId: 'q1', choiceIds: ['a'] }] }).expect(201);
    const mine = await api.http.get(`/api/v1/enrolments/${enrolment2004}`).set(as(learner)).expect(200);
    expect(mine.body).toMatchObject({ status: 'completed', progress: 100, packageResult: { score: 80, passed: true } });
    const seenByHr = await api.http.get(`/api/v1/enrolments/${enrolment2004}`).set(as(hr)).expect(200);
    expect(seenByHr.body.packageResult).toEqual({ score: 80, passed: true });
    const page = await api.http.get('/courses/opendata-run').set(as(learner)).expect(200);
    expect(page.text).toMatch(/data-package-result>Your score in the packaged lessons: 80%\s*<span class="tag ok">Passed<\/span>/);
    await api.app.get(CompletionFactRepository).rebuild({ wait: true });
    const report = await api.http.get(`/api/v1/reports/completion?courseSlug=opendata-run&orgUnitId=${unit.id}`).set(as(hr)).expect(200);
    expect((report.body.items as Array<{ orgUnitId: string; completed: number }>).find((r) => r.orgUnitId === unit.id)).toMatchObject({ completed: 1 });
    // The per-person results report: the packaged score and passed next to the native quiz, as JSON and CSV.
    const results = await api.http.get(`/api/v1/reports/results?courseSlug=opendata-run&orgUnitId=${unit.id}`).set(as(hr)).expect(200);
    expect(results.body.total).toBe(1);
    expect(results.body.items[0]).toMatchObject({ enrolmentId: enrolment2004, userId: learner.id, courseSlug: 'opendata-run', status: 'completed', packageScore: 80, packagePassed: true, quizScore: 100, quizPassed: true });
    expect(results.body.items[0].completedAt).toEqual(expect.any(String));
    const csv = await api.http.get(`/api/v1/reports/results?courseSlug=opendata-run&format=csv`).set(as(hr)).expect(200);
    const [header, row] = csv.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(header).toBe('user_id,name,email,org_unit_name,course_slug,course_title,status,progress,completed_at,package_score,package_passed,quiz_score,quiz_passed');
    expect(row.split(',').slice(-4)).toEqual(['80', 'true', '100', 'true']);
    const mk = await api.http.get(`/api/v1/reports/results?courseSlug=opendata-run&format=csv`).set(as(hr)).set('accept-language', 'mk').expect(200);
    expect(mk.text.split(/\r?\n/)[0]).toContain('Резултат во пакетот,Положено во пакетот,Резултат на тестот,Тестот положен');
    const sr = await api.http.get(`/api/v1/reports/results?courseSlug=opendata-run&format=csv`).set(as(hr)).set('accept-language', 'sr-Latn').expect(200);
    expect(sr.text.split(/\r?\n/)[0]).toContain('Rezultat u paketu,Položeno u paketu');
    // HR and admins only (the access matrix checks HR of another unit); a withdrawn filter is not offered.
    await api.http.get('/api/v1/reports/results').set(as(learner)).expect(403);
    await api.http.get('/api/v1/reports/results?status=withdrawn').set(as(hr)).expect(400);
  });

  it('the certificate of the completed course carries the packaged result: signed credential, verification JSON and page, PDF', async () => {
    await drainJobs(api, 60_000);
    const [cert] = (await api.dataSource.query(`SELECT id, verification_code FROM certificate WHERE enrolment_id = $1`, [enrolment2004])) as Array<{ id: string; verification_code: string }>;
    expect(cert).toBeDefined();
    const detail = await api.http.get(`/api/v1/certificates/${cert.id}`).set(as(hr)).expect(200);
    expect(detail.body.result).toEqual({ score: 80, passed: true, source: 'package' });
    // The OB 3.0 credential: results pointing at the achievement's result descriptions, and the signature still verifies.
    const { jwt } = (await api.http.get(`/api/v1/certificates/${cert.id}/credential`).set(as(learner)).expect(200)).body as { jwt: string };
    const jwks = createLocalJWKSet((await api.http.get('/.well-known/jwks.json').expect(200)).body);
    const { payload } = await jwtVerify(jwt, jwks, { algorithms: ['EdDSA'], typ: 'vc+jwt' });
    const subject = payload.credentialSubject as { result: Array<{ resultDescription: string; value: string }>; achievement: { resultDescription: Array<{ id: string; resultType: string }> } };
    expect(subject.result).toEqual([
      { type: ['Result'], resultDescription: 'http://lms.test/courses/opendata-run#result-score', value: '80' },
      { type: ['Result'], resultDescription: 'http://lms.test/courses/opendata-run#result-outcome', value: 'Passed' },
    ]);
    expect(subject.achievement.resultDescription.map((d) => [d.id, d.resultType])).toEqual([
      ['http://lms.test/courses/opendata-run#result-score', 'Percent'],
      ['http://lms.test/courses/opendata-run#result-outcome', 'Status'],
    ]);
    const verified = await api.http.get(`/api/v1/verify/${cert.verification_code}`).expect(200);
    expect(verified.body.result).toEqual({ score: 80, passed: true, source: 'package' });
    const page = await api.http.get(`/api/v1/verify/${cert.verification_code}`).set('accept', 'text/html').expect(200);
    expect(page.text).toContain('<dt>Result</dt><dd>80% (packaged lessons, passed)</dd>');
    const pdf = await api.http.get(`/api/v1/certificates/${cert.id}/pdf`).set(as(learner)).buffer(true).parse(binaryParser).expect(200);
    expect((await readPdf(pdf.body as Buffer)).text).toContain('Result: 80% (packaged lessons, passed)');
  });

  it('only the enrolment’s owner reads or commits; bad input is 400; an unknown SCO 404', async () => {
    await api.http.get(url()).set(as(other)).expect(403);
    await api.http.post(`${url()}/commit`).set(as(other)).send({ sequence: 9, cmi: {} }).expect(403);
    await api.http.get(url()).expect(401);
    await api.http.post(`${url()}/commit`).set(as(learner)).send({ sequence: 0, cmi: {} }).expect(400);
    await api.http.post(`${url()}/commit`).set(as(learner)).send({ sequence: 10, cmi: 'x' }).expect(400);
    await api.http.post(`${url()}/commit`).set(as(learner)).send({ sequence: 10 }).expect(400);
    await api.http.get(url(enrolmentId, scos2004[0])).set(as(learner)).expect(404);
    await api.http.get(`/api/v1/enrolments/${enrolmentId}/scorm/nope`).set(as(learner)).expect(400);
  });

  it('serves package files under /content with their own CSP to enrolled learners and authors only', async () => {
    const res = await api.http.get(`/content/${packageId}/index.html`).set(as(learner)).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("form-action 'none'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(res.text).toContain('What a record is');
    await api.http.get(`/content/${packageId}/sco.js`).set(as(author)).expect(200);
    await api.http.get(`/content/${packageId}/index.html`).set(as(other)).expect(403);
    await api.http.get(`/content/${packageId}/index.html`).expect(401);
    await api.http.get(`/content/${packageId}/missing.html`).set(as(learner)).expect(404);
    await api.http.get(`/content/${packageId}/..%2F..%2Fsecrets.json`).set(as(learner)).expect(404);
    await api.http.get(`/content/00000000-0000-4000-8000-000000000000/index.html`).set(as(learner)).expect(404);
  });
});
