import type { OrgUnit, User } from '@lms/identity';
import { anOrgUnit, aUser, startApi, TestApi, tokenFor } from '@lms/testing';
import { aPublishedCourse } from '../support/learning-builders.js';
import { latestLink } from '../identity/account-fixtures.js';
import { threeSessions } from '../events/events-fixtures.js';
import { browserAgent, csrfOf, signIn } from '../web/web-support.js';

/**
 * Domain errors (a full event, a closed registration, an enrolment in a course that is not
 * published, a quiz answer that does not fit, a replaced account link) answer in the caller's
 * language from the interface catalogs (problem.* keys), with their arguments; English stays the
 * code's own wording.
 */
describe('domain errors in the caller language (problem+json)', () => {
  let api: TestApi;
  let unit: OrgUnit;
  let hr: User;
  let staff: User[];
  const auth = async (u: User) => `Bearer ${await tokenFor(api.config, u)}`;

  beforeAll(async () => {
    api = await startApi({ env: { TRUST_PROXY: 'true' } });
    unit = await anOrgUnit(api.dataSource, { kind: 'institution' });
    hr = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'hr', scope: unit }] });
    staff = [];
    for (let i = 0; i < 2; i++) staff.push(await aUser(api.dataSource, { orgUnit: unit, locale: 'en' }));
  });

  afterAll(async () => {
    await api?.close();
  });

  const createEvent = async (extra: Record<string, unknown> = {}): Promise<string> =>
    (
      await api.http
        .post('/api/v1/events')
        .set('authorization', await auth(hr))
        .send({ title: 'Workshop', ownerOrgUnitId: unit.id, capacity: 2, sessions: threeSessions(new Date(), 20), ...extra })
        .expect(201)
    ).body.id as string;

  it('a full event: its capacity cannot drop below the seats held', async () => {
    const id = await createEvent();
    for (const person of staff) await api.http.post(`/api/v1/events/${id}/registrations`).set('authorization', await auth(person)).send({}).expect(201);
    const shrink = async (language: string) => {
      const res = await api.http.patch(`/api/v1/events/${id}`).set('authorization', await auth(hr)).set('accept-language', language).send({ capacity: 1 }).expect(409);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'capacity_below_booked', held: 2 });
      return res;
    };
    expect((await shrink('sr-Cyrl')).body.detail).toBe('Капацитет 1 је мањи од броја већ заузетих места (2)');
    const mk = await shrink('mk-MK,mk;q=0.9');
    expect(mk.headers['content-language']).toBe('mk');
    expect(mk.body).toMatchObject({ title: 'Судир со постојната состојба', detail: 'Капацитетот 1 е помал од бројот на веќе зафатени места (2)' });
    expect((await shrink('en')).body.detail).toBe('Capacity 1 is below the 2 seats already held');
  });

  it('a registration after the window has closed', async () => {
    const id = await createEvent({ registrationOpensAt: new Date(Date.now() - 2 * 86_400_000).toISOString(), registrationClosesAt: new Date(Date.now() - 86_400_000).toISOString() });
    const register = async (language: string) =>
      (await api.http.post(`/api/v1/events/${id}/registrations`).set('authorization', await auth(staff[0]!)).set('accept-language', language).send({}).expect(409)).body as { detail: string; reason: string };
    expect(await register('sr-Cyrl')).toMatchObject({ reason: 'closed', detail: 'Пријаве за овај догађај су затворене' });
    expect(await register('mk')).toMatchObject({ reason: 'closed', detail: 'Пријавувањето за овој настан е затворено' });
    expect(await register('en')).toMatchObject({ reason: 'closed', detail: 'Registration for this event is closed' });
  });

  it('an enrolment in a course that is not published', async () => {
    // A course whose school has not published any version yet.
    const school = await anOrgUnit(api.dataSource, { kind: 'school' });
    await api.dataSource.query(`INSERT INTO course (slug, school_org_unit_id) VALUES ('never-published', $1)`, [school.id]);
    const enrol = async (language: string) =>
      (await api.http.post('/api/v1/enrolments').set('authorization', await auth(staff[0]!)).set('accept-language', language).send({ courseSlug: 'never-published' }).expect(404)).body as { detail: string; code: string };
    expect(await enrol('sr-Cyrl')).toMatchObject({ code: 'not_found', detail: 'Објављени курс never-published није пронађен' });
    expect(await enrol('mk')).toMatchObject({ code: 'not_found', detail: 'Објавениот курс never-published не е пронајден' });
    expect(await enrol('sr-Latn')).toMatchObject({ detail: 'Objavljeni kurs never-published nije pronađen' });
    expect(await enrol('en')).toMatchObject({ detail: 'Published course never-published was not found' });
  });

  it('a quiz answer that does not fit the quiz: the detail and every field message', async () => {
    const course = await aPublishedCourse(api.dataSource);
    const learner = staff[1]!;
    const enrolment = await api.http.post('/api/v1/enrolments').set('authorization', await auth(learner)).send({ courseSlug: course.slug }).expect(201);
    const answer = async (language: string) =>
      (
        await api.http
          .post(`/api/v1/enrolments/${String(enrolment.body.id)}/quiz-attempts`)
          .set('authorization', await auth(learner))
          .set('accept-language', language)
          .send({ answers: [{ questionId: 'q9', choiceIds: ['a'] }, { questionId: 'q1', choiceIds: ['a', 'b'] }] })
          .expect(400)
      ).body as { detail: string; errors: Array<{ field: string; message: string }> };
    expect(await answer('sr-Cyrl')).toEqual(
      expect.objectContaining({
        detail: 'Одговори не одговарају овом квизу',
        errors: [
          { field: 'answers.0.questionId', message: 'непознат идентификатор питања „q9“' },
          { field: 'answers.1.choiceIds', message: 'питање „q1“ прима тачно један одговор' },
        ],
      }),
    );
    expect(await answer('mk')).toEqual(
      expect.objectContaining({
        detail: 'Одговорите не одговараат на овој квиз',
        errors: [
          { field: 'answers.0.questionId', message: 'непознат идентификатор на прашање „q9“' },
          { field: 'answers.1.choiceIds', message: 'прашањето „q1“ прима точно еден одговор' },
        ],
      }),
    );
    expect(await answer('en')).toEqual(
      expect.objectContaining({
        detail: 'The answers do not fit this quiz',
        errors: [
          { field: 'answers.0.questionId', message: 'unknown question id "q9"' },
          { field: 'answers.1.choiceIds', message: 'question "q1" takes exactly one choice' },
        ],
      }),
    );
  });

  it('a page shows the same domain error in the reader’s language (a quiz answer that does not fit, on the quiz page)', async () => {
    const course = await aPublishedCourse(api.dataSource);
    const password = 'quiz-page-in-macedonian-9';
    const reader = await aUser(api.dataSource, { orgUnit: unit, locale: 'mk', password });
    await api.http.post('/api/v1/enrolments').set('authorization', await auth(reader)).send({ courseSlug: course.slug }).expect(201);
    const agent = browserAgent(api);
    await signIn(agent, reader.email, password);
    const page = await agent.get(`/courses/${course.slug}/quiz`).expect(200);
    // A choice the quiz does not have (a stale or hand-made form): the domain refuses it, the page words it.
    const res = await agent.post(`/courses/${course.slug}/quiz`).type('form').send({ _csrf: csrfOf(page.text), 'q:q1': 'zz', 'q:q2': 'a' }).expect(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Одговорите не одговараат на овој квиз');
    expect(res.text).not.toContain('The answers do not fit this quiz');
  });

  it('a password-reset link replaced by a newer one; without Accept-Language the profile language decides', async () => {
    const person = await aUser(api.dataSource, { orgUnit: unit, locale: 'mk', password: 'an-old-password-1234' });
    const ip = '10.77.0.1';
    await api.http.post('/api/v1/auth/password-reset').set('x-forwarded-for', ip).send({ email: person.email }).expect(202);
    const first = await latestLink(api, person.id);
    await api.http.post('/api/v1/auth/password-reset').set('x-forwarded-for', ip).send({ email: person.email }).expect(202);
    const confirm = async (language: string) =>
      (await api.http.post('/api/v1/auth/password-reset/confirm').set('accept-language', language).send({ token: first, password: 'lipa-cveta-kraj-reke-42' }).expect(410)).body as {
        code: string;
        detail: string;
      };
    expect(await confirm('sr-Cyrl')).toMatchObject({ code: 'link_replaced', detail: 'Послата је новија веза: користите ону из последње поруке е-поште' });
    expect(await confirm('mk')).toMatchObject({ code: 'link_replaced', detail: 'Испратена е понова врска: користете ја онаа од последната порака по е-пошта' });
    expect(await confirm('en')).toMatchObject({ code: 'link_replaced', detail: 'A newer link was sent: use the one in the latest e-mail' });
    // Signed in as a person whose profile is Macedonian, without Accept-Language: Macedonian.
    const me = await api.http.post('/api/v1/enrolments').set('authorization', await auth(person)).send({ courseSlug: 'never-published' }).expect(404);
    expect(me.headers['content-language']).toBe('mk');
    expect(me.body.detail).toBe('Објавениот курс never-published не е пронајден');
  });
});
