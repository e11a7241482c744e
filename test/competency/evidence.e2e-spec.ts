import { RecordEvidenceHandler } from '@lms/competency';
import type { OrgUnit, User } from '@lms/identity';
import { anOrgUnit, aUser, drainJobs, startApi, TestApi, tokenFor } from '@lms/testing';
import { aCompetencyCourse, aCompletedEnrolment, CompetencyCourse, daysFromNow, importDacps, someEvidence } from './competency-fixtures.js';

describe('Competency evidence and profiles', () => {
  let api: TestApi;
  let handler: RecordEvidenceHandler;
  let unit: OrgUnit;
  let other: OrgUnit;
  let hr: User;
  let hrToken: string;
  let outsideHrToken: string;
  let course: CompetencyCourse;

  const run = (enrolmentId: string): Promise<void> => handler.handle({ enrolmentId }, { id: `${enrolmentId}.competency.record-evidence`, attempt: 1 });
  const auth = (token: string): [string, string] => ['Authorization', `Bearer ${token}`];

  beforeAll(async () => {
    api = await startApi();
    await importDacps(api);
    handler = api.app.get(RecordEvidenceHandler, { strict: false });
    const root = await anOrgUnit(api.dataSource);
    unit = await anOrgUnit(api.dataSource, { parent: root });
    other = await anOrgUnit(api.dataSource);
    hr = await aUser(api.dataSource, { orgUnit: root, roles: [{ role: 'hr', scope: root }] });
    hrToken = await tokenFor(api.config, hr);
    outsideHrToken = await tokenFor(api.config, await aUser(api.dataSource, { orgUnit: other, roles: [{ role: 'hr', scope: other }] }));
    course = await aCompetencyCourse(api.dataSource, {
      slug: 'genai-at-work',
      competencies: [
        { code: 'LIT.2', level: 2 },
        { code: 'DAT.3', level: 1 },
      ],
      validityMonths: 24,
      lessons: ['l1', 'l2'],
    });
  });
  afterAll(async () => {
    await api.close();
  });

  it('completion over HTTP → enrolment.completed → job → evidence per competency at its level → profile level', async () => {
    const learner = await aUser(api.dataSource, { orgUnit: unit });
    const token = await tokenFor(api.config, learner);
    const enrolment = await api.http.post('/api/v1/enrolments').set(...auth(token)).send({ courseSlug: course.slug }).expect(201);
    await api.http.post(`/api/v1/enrolments/${enrolment.body.id}/lessons/l1/complete`).set(...auth(token)).expect(200);
    expect((await api.http.get('/api/v1/me/competencies').set(...auth(token)).expect(200)).body).toEqual([]);
    await api.http.post(`/api/v1/enrolments/${enrolment.body.id}/lessons/l2/complete`).set(...auth(token)).expect(200);
    await drainJobs(api);

    const res = await api.http.get('/api/v1/me/competencies').set(...auth(token)).expect(200);
    expect(res.body.map((c: { code: string; level: number }) => [c.code, c.level])).toEqual([
      ['DAT.3', 1],
      ['LIT.2', 2],
    ]);
    const [{ completed_at: completedAt }] = (await api.dataSource.query(`SELECT completed_at FROM enrolment WHERE id = $1`, [enrolment.body.id])) as Array<{ completed_at: Date }>;
    const expires = new Date(completedAt);
    expires.setUTCMonth(expires.getUTCMonth() + 24);
    expect(res.body.find((c: { code: string }) => c.code === 'LIT.2').evidence).toEqual([
      { source: 'course', level: 2, courseSlug: course.slug, awardedAt: completedAt.toISOString(), expiresAt: expires.toISOString(), expired: false },
    ]);
  });

  it('awards at the completion time and expires after the version\'s certificate validity', async () => {
    const learner = await aUser(api.dataSource, { orgUnit: unit });
    const completedAt = new Date('2026-03-15T10:00:00Z');
    const enrolmentId = await aCompletedEnrolment(api.dataSource, learner.id, course, completedAt);
    await run(enrolmentId);

    const res = await api.http.get('/api/v1/me/competencies').set(...auth(await tokenFor(api.config, learner))).expect(200);
    expect(res.body.map((c: { code: string; level: number }) => [c.code, c.level])).toEqual([
      ['DAT.3', 1],
      ['LIT.2', 2],
    ]);
    const lit2 = res.body.find((c: { code: string }) => c.code === 'LIT.2');
    expect(lit2.title.en).toBe('Using generative AI at work');
    expect(lit2.evidence).toEqual([
      { source: 'course', level: 2, courseSlug: 'genai-at-work', awardedAt: completedAt.toISOString(), expiresAt: '2028-03-15T10:00:00.000Z', expired: false },
    ]);
  });

  it('handling the same completion event twice adds no evidence', async () => {
    const learner = await aUser(api.dataSource, { orgUnit: unit });
    const enrolmentId = await aCompletedEnrolment(api.dataSource, learner.id, course);
    await drainJobs(api);
    // The same event again (a second outbox row: a new job id), and the handler run directly, at once.
    await api.dataSource.query(`INSERT INTO outbox_event (name, payload) VALUES ('enrolment.completed', $1)`, [{ enrolmentId }]);
    await drainJobs(api);
    await Promise.all([run(enrolmentId), run(enrolmentId)]);
    const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM competency_evidence WHERE enrolment_id = $1`, [enrolmentId])) as Array<{ n: number }>;
    expect(n).toBe(2);
  });

  it('records nothing for an enrolment that is not completed or does not exist', async () => {
    const learner = await aUser(api.dataSource, { orgUnit: unit });
    const [e] = (await api.dataSource.query(
      `INSERT INTO enrolment (user_id, course_id, course_version_id, status, source) VALUES ($1, $2, $3, 'in_progress', 'self') RETURNING id`,
      [learner.id, course.courseId, course.versionId],
    )) as Array<{ id: string }>;
    await run(e.id);
    await run('00000000-0000-4000-8000-000000000000');
    await run('not-a-uuid');
    const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM competency_evidence WHERE user_id = $1`, [learner.id])) as Array<{ n: number }>;
    expect(n).toBe(0);
  });

  it('expired evidence drops the held level', async () => {
    const learner = await aUser(api.dataSource, { orgUnit: unit });
    await someEvidence(api.dataSource, learner.id, 'LIT.1', 3, daysFromNow(-1));
    await someEvidence(api.dataSource, learner.id, 'LIT.1', 1, null);
    await someEvidence(api.dataSource, learner.id, 'DAT.1', 2, daysFromNow(-30));
    const res = await api.http.get(`/api/v1/users/${learner.id}/competencies`).set(...auth(hrToken)).expect(200);
    const byCode = Object.fromEntries(res.body.map((c: { code: string; level: number | null }) => [c.code, c]));
    expect(byCode['LIT.1'].level).toBe(1);
    expect(byCode['LIT.1'].evidence.map((e: { level: number; expired: boolean }) => [e.level, e.expired])).toEqual(
      expect.arrayContaining([
        [3, true],
        [1, false],
      ]),
    );
    expect(byCode['DAT.1'].level).toBeNull();
  });

  it('HR in scope records manual evidence with a note; it shows in the profile and is audited', async () => {
    const learner = await aUser(api.dataSource, { orgUnit: unit });
    const res = await api.http
      .post(`/api/v1/users/${learner.id}/competencies/evidence`)
      .set(...auth(hrToken))
      .send({ competencyCode: 'DAT.3', level: 3, note: 'External DPO certification checked by HR', expiresAt: daysFromNow(365).toISOString() })
      .expect(201);
    expect(res.body).toMatchObject({ source: 'manual', level: 3, competencyCode: 'DAT.3', frameworkKey: 'dacps', recordedBy: hr.id, note: 'External DPO certification checked by HR' });
    const profile = await api.http.get('/api/v1/me/competencies').set(...auth(await tokenFor(api.config, learner))).expect(200);
    expect(profile.body).toEqual([expect.objectContaining({ code: 'DAT.3', level: 3, evidence: [expect.objectContaining({ source: 'manual', note: 'External DPO certification checked by HR' })] })]);
    const audit = (await api.dataSource.query(`SELECT actor_id, action, subject_type, after FROM audit_event WHERE subject_id = $1`, [learner.id])) as Array<{
      actor_id: string;
      action: string;
      subject_type: string;
      after: { competencyCode: string; level: number; note: string };
    }>;
    expect(audit).toEqual([
      { actor_id: hr.id, action: 'competency_evidence.recorded', subject_type: 'user', after: expect.objectContaining({ competencyCode: 'DAT.3', level: 3, note: 'External DPO certification checked by HR' }) },
    ]);
  });

  it('refuses manual evidence outside scope (403), from learners (403) and with bad input (400/404)', async () => {
    const learner = await aUser(api.dataSource, { orgUnit: unit });
    const body = { competencyCode: 'DAT.3', level: 2, note: 'Prior learning' };
    await api.http.post(`/api/v1/users/${learner.id}/competencies/evidence`).set(...auth(outsideHrToken)).send(body).expect(403);
    await api.http.post(`/api/v1/users/${learner.id}/competencies/evidence`).set(...auth(await tokenFor(api.config, learner))).send(body).expect(403);
    await api.http.post(`/api/v1/users/00000000-0000-4000-8000-000000000000/competencies/evidence`).set(...auth(hrToken)).send(body).expect(404);
    await api.http.post(`/api/v1/users/not-a-uuid/competencies/evidence`).set(...auth(hrToken)).send(body).expect(400);
    const unknownCode = await api.http.post(`/api/v1/users/${learner.id}/competencies/evidence`).set(...auth(hrToken)).send({ ...body, competencyCode: 'NOPE.9' }).expect(400);
    expect(unknownCode.body.errors[0].field).toBe('competencyCode');
    const tooHigh = await api.http.post(`/api/v1/users/${learner.id}/competencies/evidence`).set(...auth(hrToken)).send({ ...body, level: 5 }).expect(400);
    expect(tooHigh.body.errors[0].field).toBe('level');
    const invalid = await api.http
      .post(`/api/v1/users/${learner.id}/competencies/evidence`)
      .set(...auth(hrToken))
      .send({ competencyCode: 'DAT.3', level: 0, note: '', expiresAt: 'soon', extra: true })
      .expect(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['level', 'note', 'expiresAt', 'extra']));
    await api.http.post(`/api/v1/users/${learner.id}/competencies/evidence`).set(...auth(hrToken)).send({ ...body, expiresAt: daysFromNow(-1).toISOString() }).expect(400);
    const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM competency_evidence WHERE user_id = $1`, [learner.id])) as Array<{ n: number }>;
    expect(n).toBe(0);
  });

  it('shows a profile to the person, HR in scope and admins only', async () => {
    const learner = await aUser(api.dataSource, { orgUnit: unit });
    const colleague = await aUser(api.dataSource, { orgUnit: unit });
    const admin = await aUser(api.dataSource, { orgUnit: other, roles: [{ role: 'admin' }] });
    await api.http.get(`/api/v1/users/${learner.id}/competencies`).set(...auth(await tokenFor(api.config, learner))).expect(200);
    await api.http.get(`/api/v1/users/${learner.id}/competencies`).set(...auth(await tokenFor(api.config, admin))).expect(200);
    await api.http.get(`/api/v1/users/${learner.id}/competencies`).set(...auth(await tokenFor(api.config, colleague))).expect(403);
    await api.http.get(`/api/v1/users/${learner.id}/competencies`).set(...auth(outsideHrToken)).expect(403);
    await api.http.get(`/api/v1/users/00000000-0000-4000-8000-000000000000/competencies`).set(...auth(hrToken)).expect(404);
    await api.http.get(`/api/v1/users/123/competencies`).set(...auth(hrToken)).expect(400);
  });
});
