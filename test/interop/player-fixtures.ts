import { aUser, tokenFor, type TestApi } from '@lms/testing';
import { theSchool } from '../catalog/catalog-fixtures.js';
import { aCourse, zip, type Files } from './fixtures.js';

/** What the package import answers: the standard and the lessons made of the package's activities. */
export interface ImportedPackage {
  standard: string;
  edition?: string;
  activities: Array<{ identifier: string; lessonSlug: string }>;
}

/** An author of the school creates the course (aCourse), imports the package into it and publishes it; returns the import's answer. */
export async function aPublishedPackageCourse(api: TestApi, slug: string, files: Files): Promise<ImportedPackage> {
  const school = await theSchool(api.dataSource);
  const author = await aUser(api.dataSource, { orgUnit: school, roles: [{ role: 'author', scope: school }] });
  const authorAuth = `Bearer ${await tokenFor(api.config, author)}`;
  await api.http.post('/api/v1/courses').set('authorization', authorAuth).send(aCourse(slug)).expect(201);
  const imported = await api.http.post(`/api/v1/courses/${slug}/packages`).set('authorization', authorAuth).set('content-type', 'application/zip').send(zip(files)).expect(201);
  await api.http.post(`/api/v1/courses/${slug}/publish`).set('authorization', authorAuth).expect(201);
  return imported.body as ImportedPackage;
}

/** The learner (by their bearer header) enrols in the course; returns the enrolment's id. */
export async function enrol(api: TestApi, learnerAuth: string, slug: string): Promise<string> {
  return (await api.http.post('/api/v1/enrolments').set('authorization', learnerAuth).send({ courseSlug: slug }).expect(201)).body.id as string;
}

/** The native parts of aCourse (the intro lesson, and the quiz answered right) done through the API. */
export async function completeNativeParts(api: TestApi, learnerAuth: string, enrolmentId: string): Promise<void> {
  await api.http.post(`/api/v1/enrolments/${enrolmentId}/lessons/intro/complete`).set('authorization', learnerAuth).expect(200);
  const quiz = await api.http.post(`/api/v1/enrolments/${enrolmentId}/quiz-attempts`).set('authorization', learnerAuth).send({ answers: [{ questionId: 'q1', choiceIds: ['a'] }] });
  expect(quiz.status).toBeLessThan(300);
  expect(quiz.body).toMatchObject({ passed: true });
}
