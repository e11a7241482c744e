import type { OrgUnit, User } from '@lms/identity';
import { CompletionFactRepository } from '@lms/reporting';
import { aUser, anOrgUnit, startApi, type TestApi, tokenFor } from '@lms/testing';
import { theSchool } from '../catalog/catalog-fixtures.js';
import { aCourse, cmi5Files, zip } from './fixtures.js';

const V = { 'X-Experience-API-Version': '1.0.3' };

describe('cmi5 launch: launch URL, one-time fetch, LMS.LaunchData, session credentials, moveOn', () => {
  let api: TestApi;
  let learner: User;
  let other: User;
  let hr: User;
  let unit: OrgUnit;
  let enrolmentId: string;
  let auRow: string;
  let packageId: string;
  let lessonSlug: string;
  const bearer = new Map<string, string>();

  beforeAll(async () => {
    api = await startApi();
    const school = await theSchool(api.dataSource);
    const author = await aUser(api.dataSource, { orgUnit: school, roles: [{ role: 'author', scope: school }] });
    unit = await anOrgUnit(api.dataSource);
    learner = await aUser(api.dataSource, { orgUnit: unit });
    other = await aUser(api.dataSource, { orgUnit: await anOrgUnit(api.dataSource) });
    hr = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'hr', scope: unit }] });
    for (const u of [author, learner, other, hr]) bearer.set(u.id, `Bearer ${await tokenFor(api.config, u)}`);
    await api.http.post('/api/v1/courses').set('authorization', bearer.get(author.id)!).send(aCourse('ethics-cmi5')).expect(201);
    const imported = await api.http.post('/api/v1/courses/ethics-cmi5/packages').set('authorization', bearer.get(author.id)!).set('content-type', 'application/zip').send(zip(cmi5Files())).expect(201);
    packageId = imported.body.id;
    lessonSlug = imported.body.activities[0].lessonSlug;
    await api.http.post('/api/v1/courses/ethics-cmi5/publish').set('authorization', bearer.get(author.id)!).expect(201);
    [{ id: auRow }] = (await api.dataSource.query(`SELECT id FROM package_activity WHERE package_id = $1`, [packageId])) as Array<{ id: string }>;
    enrolmentId = (await api.http.post('/api/v1/enrolments').set('authorization', bearer.get(learner.id)!).send({ courseSlug: 'ethics-cmi5' }).expect(201)).body.id;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('launches an AU, hands out credentials once, and completes the lesson when moveOn (CompletedAndPassed) is met', async () => {
    const launch = await api.http.post(`/api/v1/enrolments/${enrolmentId}/cmi5/${auRow}/launch`).set('authorization', bearer.get(learner.id)!).expect(201);
    const url = new URL(launch.body.url);
    expect(`${url.origin}${url.pathname}`).toBe(`http://lms.test/content/${packageId}/au1/index.html`);
    expect(url.searchParams.get('endpoint')).toBe('http://lms.test/xapi/');
    expect(url.searchParams.get('registration')).toBe(enrolmentId);
    expect(url.searchParams.get('activityId')).toBe('https://lms.test/cmi5/aus/au1');
    const actor = JSON.parse(url.searchParams.get('actor')!) as Record<string, unknown>;
    expect(actor).toEqual({ objectType: 'Agent', account: { homePage: 'http://lms.test', name: learner.id } });
    const fetchPath = new URL(url.searchParams.get('fetch')!).pathname;
    expect(fetchPath).toMatch(/^\/api\/v1\/cmi5\/fetch\/[A-Za-z0-9_-]+$/);

    const fetched = await api.http.post(fetchPath).expect(200);
    const auth = `Basic ${fetched.body['auth-token'] as string}`;
    expect((await api.http.post(fetchPath).expect(200)).body).toMatchObject({ 'error-code': '1' });
    expect((await api.http.post('/api/v1/cmi5/fetch/not-a-token-that-exists-here').expect(200)).body).toMatchObject({ 'error-code': '2' });

    const stateUrl = `/xapi/activities/state?activityId=${encodeURIComponent('https://lms.test/cmi5/aus/au1')}&agent=${encodeURIComponent(JSON.stringify(actor))}&registration=${enrolmentId}&stateId=LMS.LaunchData`;
    const launchData = await api.http.get(stateUrl).set('authorization', auth).set(V).expect(200);
    expect(launchData.body).toMatchObject({ launchMode: 'Normal', moveOn: 'CompletedAndPassed', masteryScore: 0.7, contextTemplate: { extensions: { 'https://w3id.org/xapi/cmi5/context/extensions/sessionid': launch.body.sessionId } } });

    const statement = (verb: string, extra: Record<string, unknown> = {}) => ({
      actor,
      verb: { id: `http://adlnet.gov/expapi/verbs/${verb}` },
      object: { id: 'https://lms.test/cmi5/aus/au1', objectType: 'Activity' },
      context: { registration: enrolmentId, ...launchData.body.contextTemplate },
      ...extra,
    });
    const progress = async () => ((await api.dataSource.query(`SELECT count(*)::int AS n FROM lesson_progress WHERE enrolment_id = $1 AND lesson_slug = $2`, [enrolmentId, lessonSlug])) as Array<{ n: number }>)[0].n;
    await api.http.post('/xapi/statements').set('authorization', auth).set(V).send(statement('initialized')).expect(200);
    await api.http.post('/xapi/statements').set('authorization', auth).set(V).send(statement('completed')).expect(200);
    expect(await progress()).toBe(0);
    // The session may write only for its own actor.
    const someoneElse = { ...statement('passed'), actor: { objectType: 'Agent', account: { homePage: 'http://lms.test', name: other.id } } };
    await api.http.post('/xapi/statements').set('authorization', auth).set(V).send(someoneElse).expect(403);
    const enrolment = async (who: User) => (await api.http.get(`/api/v1/enrolments/${enrolmentId}`).set('authorization', bearer.get(who.id)!).expect(200)).body as Record<string, unknown>;
    expect((await enrolment(learner)).packageResult).toBeNull();
    // A `passed` statement sent twice with the same id (a retry) is stored once and counts once.
    const passedId = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
    const passed = statement('passed', { id: passedId, result: { success: true, score: { scaled: 0.8 } } });
    await api.http.post('/xapi/statements').set('authorization', auth).set(V).send(passed).expect(200);
    await api.http.put(`/xapi/statements?statementId=${passedId}`).set('authorization', auth).set(V).send(passed).expect(204);
    expect(await progress()).toBe(1);
    // The AU's score and success are the enrolment's result, for the learner and for HR in scope.
    expect((await enrolment(learner)).packageResult).toEqual({ score: 80, passed: true });
    expect((await enrolment(hr)).packageResult).toEqual({ score: 80, passed: true });
    // A wrong secret for the session is no credential.
    await api.http.get(stateUrl).set('authorization', `Basic ${Buffer.from(`cmi5-${launch.body.sessionId}:wrong`).toString('base64')}`).set(V).expect(401);
  });

  it('the course completes by its own rules and the HR completion report counts it; the course page shows the AU’s result', async () => {
    const auth = bearer.get(learner.id)!;
    await api.http.post(`/api/v1/enrolments/${enrolmentId}/lessons/intro/complete`).set('authorization', auth).expect(200);
    await api.http.post(`/api/v1/enrolments/${enrolmentId}/quiz-attempts`).set('authorization', auth).send({ answers: [{ questionId: 'q1', choiceIds: ['a'] }] }).expect(201);
    const done = await api.http.get(`/api/v1/enrolments/${enrolmentId}`).set('authorization', auth).expect(200);
    expect(done.body).toMatchObject({ status: 'completed', packageResult: { score: 80, passed: true } });
    const page = await api.http.get('/courses/ethics-cmi5').set('authorization', auth).expect(200);
    expect(page.text).toContain('Your score in the packaged lessons: 80%');
    await api.app.get(CompletionFactRepository).rebuild({ wait: true });
    const report = await api.http.get(`/api/v1/reports/completion?courseSlug=ethics-cmi5&orgUnitId=${unit.id}`).set('authorization', bearer.get(hr.id)!).expect(200);
    expect((report.body.items as Array<{ orgUnitId: string; completed: number }>).find((r) => r.orgUnitId === unit.id)).toMatchObject({ completed: 1 });
  });

  it('a new launch abandons the earlier started, unterminated session once, even when two launches race', async () => {
    const [earlier] = (await api.dataSource.query(`SELECT id FROM cmi5_session WHERE enrolment_id = $1 AND fetched_at IS NOT NULL`, [enrolmentId])) as Array<{ id: string }>;
    const launch = () => api.http.post(`/api/v1/enrolments/${enrolmentId}/cmi5/${auRow}/launch`).set('authorization', bearer.get(learner.id)!);
    const [a, b] = await Promise.all([launch(), launch()]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect([...a.body.abandoned, ...b.body.abandoned]).toContain(earlier.id);
    const abandoned = (await api.dataSource.query(
      `SELECT statement FROM xapi_statement WHERE verb_id = 'https://w3id.org/xapi/adl/verbs/abandoned' AND registration = $1`,
      [enrolmentId],
    )) as Array<{ statement: { context: { extensions: Record<string, string>; registration: string }; result: { duration: string }; object: { id: string } } }>;
    expect(abandoned).toHaveLength(1);
    expect(abandoned[0].statement).toMatchObject({ object: { id: 'https://lms.test/cmi5/aus/au1' }, context: { registration: enrolmentId, extensions: { 'https://w3id.org/xapi/cmi5/context/extensions/sessionid': earlier.id } } });
    expect(abandoned[0].statement.result.duration).toMatch(/^PT\d+S$/);
    // Sessions that never fetched their credentials (never started) are not abandoned.
    expect((await launch().expect(201)).body.abandoned).toEqual([]);
  });

  it('only the enrolment’s owner launches; an unknown AU is 404', async () => {
    await api.http.post(`/api/v1/enrolments/${enrolmentId}/cmi5/${auRow}/launch`).set('authorization', bearer.get(other.id)!).expect(403);
    await api.http.post(`/api/v1/enrolments/${enrolmentId}/cmi5/${auRow}/launch`).expect(401);
    await api.http.post(`/api/v1/enrolments/${enrolmentId}/cmi5/00000000-0000-4000-8000-000000000000/launch`).set('authorization', bearer.get(learner.id)!).expect(404);
  });
});
