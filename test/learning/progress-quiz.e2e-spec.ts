import { anOrgUnit, aUser, startApi, TestApi, tokenFor } from '@lms/testing';
import type { OrgUnit, User } from '@lms/identity';
import { aPublishedCourse, countEvents, RIGHT_ANSWERS } from '../support/learning-builders.js';

describe('Learning: lesson progress, quizzes and completion', () => {
  let api: TestApi;
  let unit: OrgUnit;

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function enrolled(spec: Parameters<typeof aPublishedCourse>[1] = {}): Promise<{ user: User; token: string; id: string; slug: string }> {
    const course = await aPublishedCourse(api.dataSource, spec);
    const user = await aUser(api.dataSource, { orgUnit: unit });
    const token = await tokenFor(api.config, user);
    const res = await api.http.post('/api/v1/enrolments').set(auth(token)).send({ courseSlug: course.slug }).expect(201);
    return { user, token, id: res.body.id as string, slug: course.slug };
  }

  beforeAll(async () => {
    api = await startApi();
    unit = await anOrgUnit(api.dataSource);
  });
  afterAll(async () => {
    await api.close();
  });

  it('completes a lesson idempotently: progress is the share of required lessons, status moves to in_progress', async () => {
    const { token, id } = await enrolled({ lessons: [{ slug: 'l1' }, { slug: 'l2' }, { slug: 'extra', required: false }, { slug: 'l3' }] });
    const first = await api.http.post(`/api/v1/enrolments/${id}/lessons/l1/complete`).set(auth(token)).expect(200);
    expect(first.body).toMatchObject({ id, status: 'in_progress', progress: 33 });
    expect(first.body.startedAt).not.toBeNull();
    const twice = await api.http.post(`/api/v1/enrolments/${id}/lessons/l1/complete`).set(auth(token)).expect(200);
    expect(twice.body).toMatchObject({ status: 'in_progress', progress: 33 });
    const optional = await api.http.post(`/api/v1/enrolments/${id}/lessons/extra/complete`).set(auth(token)).expect(200);
    expect(optional.body.progress).toBe(33);
    const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM lesson_progress WHERE enrolment_id = $1`, [id])) as Array<{ n: number }>;
    expect(n).toBe(2);
    const details = await api.http.get(`/api/v1/enrolments/${id}`).set(auth(token)).expect(200);
    expect(details.body.lessons.filter((l: { done: boolean }) => l.done).map((l: { slug: string }) => l.slug)).toEqual(['l1', 'extra']);
  });

  it('refuses lesson completion by someone else (403), for an unknown lesson (404) or enrolment (404), a malformed id (400)', async () => {
    const { id } = await enrolled();
    const other = await aUser(api.dataSource, { orgUnit: unit });
    const otherToken = await tokenFor(api.config, other);
    await api.http.post(`/api/v1/enrolments/${id}/lessons/l1/complete`).set(auth(otherToken)).expect(403);
    const own = await enrolled();
    await api.http.post(`/api/v1/enrolments/${own.id}/lessons/no-such-lesson/complete`).set(auth(own.token)).expect(404);
    await api.http.post(`/api/v1/enrolments/00000000-0000-4000-8000-000000000000/lessons/l1/complete`).set(auth(own.token)).expect(404);
    await api.http.post(`/api/v1/enrolments/123/lessons/l1/complete`).set(auth(own.token)).expect(400);
  });

  it('completes a course without a quiz when the last required lesson is done, writing one enrolment.completed event', async () => {
    const { token, id } = await enrolled({ quiz: null, lessons: [{ slug: 'only' }] });
    const done = await api.http.post(`/api/v1/enrolments/${id}/lessons/only/complete`).set(auth(token)).expect(200);
    expect(done.body).toMatchObject({ status: 'completed', progress: 100 });
    expect(done.body.completedAt).not.toBeNull();
    await api.http.post(`/api/v1/enrolments/${id}/lessons/only/complete`).set(auth(token)).expect(200);
    await expect(countEvents(api.dataSource, 'enrolment.completed', { enrolmentId: id })).resolves.toBe(1);
    const list = await api.http.get('/api/v1/me/enrolments?status=completed').set(auth(token)).expect(200);
    expect(list.body.items.map((e: { id: string }) => e.id)).toEqual([id]);
  });

  it('completes exactly once under 20 concurrent completion requests: one outbox event', async () => {
    const { token, id } = await enrolled({ quiz: null, lessons: [{ slug: 'a' }, { slug: 'b' }] });
    await api.http.post(`/api/v1/enrolments/${id}/lessons/a/complete`).set(auth(token)).expect(200);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => api.http.post(`/api/v1/enrolments/${id}/lessons/b/complete`).set(auth(token))),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.every((a) => a.body.status === 'completed')).toBe(true);
    await expect(countEvents(api.dataSource, 'enrolment.completed', { enrolmentId: id })).resolves.toBe(1);
  });

  it('shows the quiz without correct answers, in the learner language with fallback', async () => {
    const { token, id } = await enrolled();
    const quiz = await api.http.get(`/api/v1/enrolments/${id}/quiz`).set(auth(token)).expect(200);
    expect(quiz.body).toMatchObject({ enrolmentId: id, language: 'en', passMark: 70, attemptsAllowed: 2, attemptsUsed: 0, attemptsLeft: 2, passed: false });
    expect(quiz.body.questions).toHaveLength(2);
    expect(quiz.body.questions[0]).toEqual({
      id: 'q1',
      type: 'single',
      text: 'Which one is right?',
      choices: [
        { id: 'a', text: 'Wrong' },
        { id: 'b', text: 'Right' },
        { id: 'c', text: 'Also wrong' },
      ],
    });
    expect(JSON.stringify(quiz.body)).not.toMatch(/correct|explanation|Because/);
    const serbian = await api.http.get(`/api/v1/enrolments/${id}/quiz?lang=sr-Latn`).set(auth(token)).expect(200);
    expect(serbian.body.questions[0].text).toBe('Which one is right? (sr-Latn)');
    const unknownLang = await api.http.get(`/api/v1/enrolments/${id}/quiz?lang=de`).set(auth(token)).expect(200);
    expect(unknownLang.body.language).toBe('en');
    const noQuiz = await enrolled({ quiz: null });
    await api.http.get(`/api/v1/enrolments/${noQuiz.id}/quiz`).set(auth(noQuiz.token)).expect(404);
    const other = await aUser(api.dataSource, { orgUnit: unit });
    await api.http.get(`/api/v1/enrolments/${id}/quiz`).set(auth(await tokenFor(api.config, other))).expect(403);
  });

  it('grades on the server: a failed attempt, then a passed one completes the course once all lessons are done', async () => {
    const { token, id } = await enrolled({ lessons: [{ slug: 'l1' }] });
    const failed = await api.http
      .post(`/api/v1/enrolments/${id}/quiz-attempts`)
      .set(auth(token))
      .send({ answers: [{ questionId: 'q1', choiceIds: ['b'] }, { questionId: 'q2', choiceIds: ['a'] }] })
      .expect(201);
    expect(failed.body).toMatchObject({ attemptNo: 1, score: 50, passed: false, passMark: 70, attemptsLeft: 1 });
    expect(failed.body.enrolment).toMatchObject({ status: 'in_progress', progress: 0 });

    const passed = await api.http.post(`/api/v1/enrolments/${id}/quiz-attempts`).set(auth(token)).send({ answers: RIGHT_ANSWERS }).expect(201);
    expect(passed.body).toMatchObject({ attemptNo: 2, score: 100, passed: true, attemptsLeft: 0 });
    // The quiz is passed but a required lesson is not done yet: not completed.
    expect(passed.body.enrolment.status).toBe('in_progress');
    await expect(countEvents(api.dataSource, 'enrolment.completed', { enrolmentId: id })).resolves.toBe(0);

    const done = await api.http.post(`/api/v1/enrolments/${id}/lessons/l1/complete`).set(auth(token)).expect(200);
    expect(done.body).toMatchObject({ status: 'completed', progress: 100 });
    await expect(countEvents(api.dataSource, 'enrolment.completed', { enrolmentId: id })).resolves.toBe(1);
    await api.http.post(`/api/v1/enrolments/${id}/quiz-attempts`).set(auth(token)).send({ answers: RIGHT_ANSWERS }).expect(409);
  });

  it('completes on the passing attempt when the lessons are already done', async () => {
    const { token, id } = await enrolled({ lessons: [{ slug: 'l1' }] });
    await api.http.post(`/api/v1/enrolments/${id}/lessons/l1/complete`).set(auth(token)).expect(200);
    const passed = await api.http.post(`/api/v1/enrolments/${id}/quiz-attempts`).set(auth(token)).send({ answers: RIGHT_ANSWERS }).expect(201);
    expect(passed.body).toMatchObject({ passed: true, enrolment: { status: 'completed', progress: 100 } });
    await expect(countEvents(api.dataSource, 'enrolment.completed', { enrolmentId: id })).resolves.toBe(1);
  });

  it('answers 409 once the attempts are used up, also when submissions race', async () => {
    const { token, id } = await enrolled();
    const wrong = { answers: [{ questionId: 'q1', choiceIds: ['a'] }] };
    const racing = await Promise.all(Array.from({ length: 6 }, () => api.http.post(`/api/v1/enrolments/${id}/quiz-attempts`).set(auth(token)).send(wrong)));
    expect(racing.map((r) => r.status).sort()).toEqual([201, 201, 409, 409, 409, 409]);
    const after = await api.http.post(`/api/v1/enrolments/${id}/quiz-attempts`).set(auth(token)).send({ answers: RIGHT_ANSWERS }).expect(409);
    expect(after.body).toMatchObject({ status: 409, code: 'quiz_attempts_exhausted', attemptsLeft: 0 });
    const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM quiz_attempt WHERE enrolment_id = $1`, [id])) as Array<{ n: number }>;
    expect(n).toBe(2);
    const quiz = await api.http.get(`/api/v1/enrolments/${id}/quiz`).set(auth(token)).expect(200);
    expect(quiz.body).toMatchObject({ attemptsUsed: 2, attemptsLeft: 0, passed: false });
  });

  it('rejects malformed answers with 400 and field errors, without using an attempt', async () => {
    const { token, id } = await enrolled();
    const post = (body: unknown) => api.http.post(`/api/v1/enrolments/${id}/quiz-attempts`).set(auth(token)).send(body as object);
    const unknownQuestion = await post({ answers: [{ questionId: 'q9', choiceIds: ['a'] }] }).expect(400);
    expect(unknownQuestion.body.errors).toEqual([{ field: 'answers.0.questionId', message: 'unknown question id "q9"' }]);
    const unknownChoice = await post({ answers: [{ questionId: 'q1', choiceIds: ['b'] }, { questionId: 'q2', choiceIds: ['a', 'z'] }] }).expect(400);
    expect(unknownChoice.body.errors[0].field).toBe('answers.1.choiceIds');
    const twoForSingle = await post({ answers: [{ questionId: 'q1', choiceIds: ['a', 'b'] }] }).expect(400);
    expect(twoForSingle.body.errors[0].field).toBe('answers.0.choiceIds');
    const duplicate = await post({ answers: [{ questionId: 'q1', choiceIds: ['b'] }, { questionId: 'q1', choiceIds: ['b'] }] }).expect(400);
    expect(duplicate.body.errors[0].field).toBe('answers.1.questionId');
    const shape = await post({ answers: [{ questionId: 1, choiceIds: 'b' }] }).expect(400);
    expect(shape.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['answers.0.questionId', 'answers.0.choiceIds']));
    await post({}).expect(400);
    await post({ answers: 'all of them' }).expect(400);
    await post({ answers: [], extra: true }).expect(400);
    const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM quiz_attempt WHERE enrolment_id = $1`, [id])) as Array<{ n: number }>;
    expect(n).toBe(0);
    const other = await aUser(api.dataSource, { orgUnit: unit });
    await api.http.post(`/api/v1/enrolments/${id}/quiz-attempts`).set(auth(await tokenFor(api.config, other))).send({ answers: RIGHT_ANSWERS }).expect(403);
  });
});
