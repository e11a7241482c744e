import { aPublishedCourse, RIGHT_ANSWERS } from '../support/learning-builders.js';
import { drainJobs } from '@lms/testing';
import { anOrgUnit, aUser, binaryParser, readPdf, startApi, TestApi, tokenFor } from './support.js';

/**
 * The whole path a learner takes, over HTTP: enrol, complete the lessons, pass the quiz — learning
 * writes 'enrolment.completed', the relay and the certificates queue run the issuer — and within
 * seconds the certificate is listed, verifiable and printable.
 */
describe('certificate after completing a course through the learning API (credentials)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api?.close();
  });

  it('complete a course → a valid certificate within seconds, with a PDF whose QR code leads to /verify', async () => {
    const unit = await anOrgUnit(api.dataSource);
    const learner = await aUser(api.dataSource, { orgUnit: unit, displayName: 'Јелена Петровић', locale: 'sr-Cyrl' });
    const auth = { Authorization: `Bearer ${await tokenFor(api.config, learner)}` };
    const course = await aPublishedCourse(api.dataSource);

    const enrolment = await api.http.post('/api/v1/enrolments').set(auth).send({ courseSlug: course.slug }).expect(201);
    for (const lesson of course.lessons) {
      await api.http.post(`/api/v1/enrolments/${enrolment.body.id}/lessons/${lesson.slug}/complete`).set(auth).expect(200);
    }
    const attempt = await api.http.post(`/api/v1/enrolments/${enrolment.body.id}/quiz-attempts`).set(auth).send({ answers: RIGHT_ANSWERS }).expect(201);
    expect(attempt.body.passed).toBe(true);

    const started = Date.now();
    await drainJobs(api, 20_000);
    expect(Date.now() - started).toBeLessThan(20_000);
    const mine = await api.http.get('/api/v1/me/certificates').set(auth).expect(200);
    expect(mine.body.total).toBe(1);
    const [certificate] = mine.body.items as Array<{ id: string; courseSlug: string; verificationUrl: string }>;
    expect(certificate.courseSlug).toBe(course.slug);

    const code = certificate.verificationUrl.split('/').pop()!;
    const verified = await api.http.get(`/api/v1/verify/${code}`).expect(200);
    expect(verified.body).toMatchObject({ status: 'valid', holder: { name: 'Јелена Петровић' }, course: { slug: course.slug } });
    // The course result came from its native quiz: on the verification, in the credential and on the PDF (issue #18).
    expect(verified.body.result).toEqual({ score: 100, passed: true, source: 'quiz' });
    const credential = await api.http.get(`/api/v1/certificates/${certificate.id}/credential`).set(auth).expect(200);
    expect(credential.body.credential.credentialSubject.result).toEqual([
      { type: ['Result'], resultDescription: `http://lms.test/courses/${course.slug}#result-score`, value: '100' },
      { type: ['Result'], resultDescription: `http://lms.test/courses/${course.slug}#result-outcome`, value: 'Passed' },
    ]);

    const pdf = await api.http.get(`/api/v1/certificates/${certificate.id}/pdf`).set(auth).buffer(true).parse(binaryParser).expect(200);
    const parsed = await readPdf(pdf.body as Buffer);
    expect(parsed.pages).toBe(1);
    expect(parsed.text).toContain('Јелена Петровић');
    expect(parsed.text).toContain('100% (завршни тест, положено)');
    expect(parsed.qr).toBe(certificate.verificationUrl);
  });
});
