import { readFileSync } from 'node:fs';
import { unzipSync, strFromU8 } from 'fflate';
import { IssueCertificateHandler } from '@lms/credentials';
import { OrgUnit, User } from '@lms/identity';
import { PERSONAL_DATA_REGISTER, registerDrift, RetentionSweepHandler } from '@lms/privacy';
import { aCompletedEnrolment, anOrgUnit, aSchool, aUser, binaryParser, startApi, TestApi, tokenFor } from '../credentials/support.js';

const PASSWORD = 'a long enough passphrase 42';

/**
 * GDPR rights over HTTP against PostgreSQL: the record of processing matches the schema, a person's
 * data export (JSON and zip with the certificate PDFs), an audited erasure that leaves no trace of
 * the person's name or e-mail anywhere in the database while aggregates and verification stay
 * truthful, and the retention sweep.
 */
describe('privacy: export, erasure, retention', () => {
  let api: TestApi;
  let ministry: OrgUnit;
  let unit: OrgUnit;
  let holder: User;
  let colleague: User;
  let manager: User;
  let hr: User;
  let admin: User;
  let certificateId: string;
  let verificationCode: string;
  let enrolmentId: string;
  let colleagueEnrolmentId: string;
  const name = 'Јелена Радовановић';
  const email = 'jelena.radovanovic@ministry.test';
  const token = (u: User) => tokenFor(api.config, u);

  beforeAll(async () => {
    api = await startApi({ env: { INACTIVE_ACCOUNT_RETENTION_DAYS: '400' } });
    const ds = api.dataSource;
    ministry = await anOrgUnit(ds, { name: 'Ministry' });
    unit = await anOrgUnit(ds, { parent: ministry });
    manager = await aUser(ds, { orgUnit: unit, displayName: 'Line Manager' });
    holder = await aUser(ds, { orgUnit: unit, displayName: 'Јелена Р.', email, password: PASSWORD, locale: 'sr-Cyrl', gender: 'female', locality: 'rural', manager });
    colleague = await aUser(ds, { orgUnit: unit, manager });
    hr = await aUser(ds, { orgUnit: ministry, roles: [{ role: 'hr', scope: ministry }] });
    admin = await aUser(ds, { orgUnit: ministry, roles: [{ role: 'admin' }] });
    // HR edits the person (an audit event about them that carries their name).
    await api.http
      .patch(`/api/v1/users/${holder.id}`)
      .set('authorization', `Bearer ${await token(hr)}`)
      .send({ displayName: name })
      .expect(200);
    const school = await aSchool(ds);
    const built = await aCompletedEnrolment(ds, { user: holder, school });
    enrolmentId = built.enrolmentId;
    await api.app.get(IssueCertificateHandler).handle({ enrolmentId }, { id: 'privacy-1', attempt: 1 });
    const [cert] = (await ds.query(`SELECT id, verification_code FROM certificate WHERE enrolment_id = $1`, [enrolmentId])) as Array<{ id: string; verification_code: string }>;
    certificateId = cert.id;
    verificationCode = cert.verification_code;
    colleagueEnrolmentId = (await aCompletedEnrolment(ds, { user: colleague, school, status: 'in_progress' })).enrolmentId;
    await ds.query(`INSERT INTO competency_evidence (user_id, competency_code, framework_key, framework_version, level, source, note, recorded_by, awarded_at)
                    VALUES ($1, 'LIT.1', 'dacps', 1, 2, 'manual', $2, $3, now())`, [holder.id, `Observed by ${manager.displayName}: ${name} led the pilot`, hr.id]);
    // The manager's morning digest lists two people; a second notice is only about the holder.
    const [shared] = (await ds.query(
      `INSERT INTO notification (user_id, type, dedupe_key, locale, title, body, data) VALUES ($1, 'digest', 'd-1', 'en', 'Team digest', $2, '{}') RETURNING id`,
      [manager.id, `${name}: overdue. ${colleague.displayName}: due soon.`],
    )) as Array<{ id: string }>;
    const [only] = (await ds.query(
      `INSERT INTO notification (user_id, type, dedupe_key, locale, title, body, data) VALUES ($1, 'digest', 'd-2', 'en', $2, 'Escalation', '{}') RETURNING id`,
      [manager.id, `${name} is overdue`],
    )) as Array<{ id: string }>;
    await ds.query(
      `INSERT INTO reminder (enrolment_id, kind, due_date, recipient_id, notification_id) VALUES
         ($1, 'escalation_manager', current_date, $3, $4), ($2, 'escalation_manager', current_date, $3, $4), ($1, 'escalation_manager', current_date - 1, $3, $5)`,
      [enrolmentId, colleagueEnrolmentId, manager.id, shared.id, only.id],
    );
    await ds.query(`INSERT INTO notification (user_id, type, dedupe_key, locale, title, body, data) VALUES ($1, 'info', 'own-1', 'sr-Cyrl', 'Здраво', $2, '{}')`, [holder.id, `Поздрав, ${name}`]);
    await ds.query(
      `INSERT INTO email_message (user_id, to_address, dedupe_key, locale, subject, text_body, html_body, state) VALUES ($1, $2, 'e-1', 'sr-Cyrl', 'Подсетник', $3, $3, 'sent')`,
      [holder.id, email, `Поздрав, ${name}`],
    );
  });

  afterAll(async () => {
    await api?.close();
  });

  it('classifies every column of the migrated schema in the record of processing, and docs/privacy.md names every personal column', async () => {
    const rows = (await api.dataSource.query(
      `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
    )) as Array<{ t: string; c: string }>;
    const schema = new Map<string, string[]>();
    for (const r of rows) schema.set(r.t, [...(schema.get(r.t) ?? []), r.c]);
    expect(registerDrift(schema)).toEqual({ unclassified: [], stale: [] });
    const doc = readFileSync(new URL('../../docs/privacy.md', import.meta.url), 'utf8');
    const missing = PERSONAL_DATA_REGISTER.filter((e) => e.personal && !doc.includes(`${e.table}.${e.column}`)).map((e) => `${e.table}.${e.column}`);
    expect(missing).toEqual([]);
  });

  it('exports everything about the person as JSON, without secrets', async () => {
    const login = await api.http.post('/api/v1/auth/login').send({ email, password: PASSWORD }).expect(200);
    const res = await api.http.get('/api/v1/me/data-export?format=json').set('authorization', `Bearer ${login.body.accessToken}`).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.person).toMatchObject({ id: holder.id, email, displayName: name, gender: 'female', locality: 'rural', managerName: 'Line Manager' });
    expect(res.body.enrolments).toEqual(expect.arrayContaining([expect.objectContaining({ id: enrolmentId, status: 'completed' })]));
    expect(res.body.certificates).toEqual([expect.objectContaining({ id: certificateId, holderName: name, verificationCode })]);
    expect(res.body.competencyEvidence).toEqual([expect.objectContaining({ competencyCode: 'LIT.1', note: expect.stringContaining('led the pilot') })]);
    expect(res.body.notifications).toEqual(expect.arrayContaining([expect.objectContaining({ title: 'Здраво' })]));
    expect(res.body.emails).toEqual([expect.objectContaining({ to: email, state: 'sent' })]);
    expect(res.body.signInAttempts.length).toBeGreaterThanOrEqual(1);
    expect(res.body.sessions.length).toBeGreaterThanOrEqual(1);
    expect(res.body.auditEvents).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'user.updated', byThePerson: false })]));
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/\$argon2/);
    expect(text).not.toMatch(/secret_?hash|token_?hash|refreshToken/i);
    const audited = (await api.dataSource.query(`SELECT actor_id FROM audit_event WHERE action = 'privacy.exported' AND subject_id = $1`, [holder.id])) as unknown[];
    expect(audited).toHaveLength(1);
  });

  it('exports a zip with data.json and the certificate PDF', async () => {
    const res = await api.http
      .get('/api/v1/me/data-export')
      .set('authorization', `Bearer ${await token(holder)}`)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="personal-data-${holder.id}.zip"`);
    const files = unzipSync(new Uint8Array(res.body as Buffer));
    const data = JSON.parse(strFromU8(files['data.json'])) as { person: { email: string }; certificates: Array<{ serial: string }> };
    expect(data.person.email).toBe(email);
    const pdf = files[`certificates/${data.certificates[0].serial}.pdf`];
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
  });

  it('lets only the person and administrators export, and only administrators erase (not themselves)', async () => {
    const other = `/api/v1/users/${holder.id}`;
    for (const caller of [colleague, manager, hr]) {
      const t = await token(caller);
      await api.http.get(`${other}/data-export`).set('authorization', `Bearer ${t}`).expect(403);
      await api.http.post(`${other}/erasure`).set('authorization', `Bearer ${t}`).send({ reason: 'request 17' }).expect(403);
    }
    await api.http.get(`${other}/data-export`).expect(401);
    await api.http.post(`${other}/erasure`).send({ reason: 'request 17' }).expect(401);
    const a = await token(admin);
    const byAdmin = await api.http.get(`${other}/data-export?format=json`).set('authorization', `Bearer ${a}`).expect(200);
    expect(byAdmin.body.person.email).toBe(email);
    const self = await api.http.post(`/api/v1/users/${admin.id}/erasure`).set('authorization', `Bearer ${a}`).send({ reason: 'my own' }).expect(403);
    expect(self.headers['content-type']).toContain('application/problem+json');
    expect(self.body.code ?? self.body.type).toBeDefined();
    await api.http.post('/api/v1/users/00000000-0000-4000-8000-000000000000/erasure').set('authorization', `Bearer ${a}`).send({ reason: 'unknown' }).expect(404);
    await api.http.post('/api/v1/users/not-a-uuid/erasure').set('authorization', `Bearer ${a}`).send({ reason: 'bad id' }).expect(400);
    const bad = await api.http.post(`${other}/erasure`).set('authorization', `Bearer ${a}`).send({ reason: 1, extra: true }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['reason']));
    await api.http.get(`${other}/data-export?format=xml`).set('authorization', `Bearer ${a}`).expect(400);
  });

  it('erases the person: no trace of the name or e-mail anywhere, sign-in ends, verification stays truthful without a name', async () => {
    const login = await api.http.post('/api/v1/auth/login').send({ email, password: PASSWORD }).expect(200);
    const enrolmentsBefore = (await api.dataSource.query(`SELECT count(*)::int AS n FROM enrolment WHERE user_id = $1`, [holder.id])) as Array<{ n: number }>;
    const res = await api.http
      .post(`/api/v1/users/${holder.id}/erasure`)
      .set('authorization', `Bearer ${await token(admin)}`)
      .send({ reason: 'request DPO-2026-17' })
      .expect(200);
    expect(res.body).toMatchObject({ userId: holder.id, removed: { certificates: 1, reminders: 2, emails: 1 } });
    expect(res.body.removed.sessions).toBeGreaterThanOrEqual(1);
    expect(res.body.removed.notifications).toBe(3); // their own two and the escalation only about them

    // No table holds the name or the e-mail any more (every row of every table as text).
    const tables = (await api.dataSource.query(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)) as Array<{ t: string }>;
    const traces: string[] = [];
    for (const { t } of tables) {
      for (const needle of [name, email, 'Радовановић']) {
        const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM "${t}" x WHERE x::text ILIKE '%' || $1 || '%'`, [needle])) as Array<{ n: number }>;
        if (n) traces.push(`${t}: ${n} × ${needle}`);
      }
    }
    expect(traces).toEqual([]);

    // The shared digest keeps the colleague's line with a pseudonym; the holder's own notice went.
    const manNotices = (await api.dataSource.query(`SELECT body FROM notification WHERE user_id = $1`, [manager.id])) as Array<{ body: string }>;
    expect(manNotices).toEqual([{ body: `Erased person ${holder.id.slice(0, 8)}: overdue. ${colleague.displayName}: due soon.` }]);

    // Sign-in and the earlier tokens stop working.
    await api.http.post('/api/v1/auth/login').send({ email, password: PASSWORD }).expect(401);
    await api.http.post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(401);
    const me = await api.http.get('/api/v1/me').set('authorization', `Bearer ${login.body.accessToken}`);
    expect([401, 403]).toContain(me.status);

    // Aggregates stay truthful: the records are still there, under the pseudonymous id.
    const enrolmentsAfter = (await api.dataSource.query(`SELECT count(*)::int AS n FROM enrolment WHERE user_id = $1`, [holder.id])) as Array<{ n: number }>;
    expect(enrolmentsAfter).toEqual(enrolmentsBefore);

    // Verification answers, without a name; the PDF and the stored credential are gone.
    const verified = await api.http.get(`/api/v1/verify/${verificationCode}`).set('accept', 'application/json').expect(200);
    expect(verified.body).toMatchObject({ status: 'valid', holder: { name: null }, holderErased: true });
    const page = await api.http.get(`/verify/${verificationCode}`).expect(200);
    expect(page.text).toContain('Not shown');
    const a = await token(admin);
    const gone = await api.http.get(`/api/v1/certificates/${certificateId}/pdf`).set('authorization', `Bearer ${a}`).expect(410);
    expect(gone.headers['content-type']).toContain('application/problem+json');
    await api.http.get(`/api/v1/certificates/${certificateId}/credential`).set('authorization', `Bearer ${a}`).expect(410);

    // Audited without personal data; a second erasure is a conflict.
    const [audit] = (await api.dataSource.query(`SELECT actor_id, after FROM audit_event WHERE action = 'privacy.erased' AND subject_id = $1`, [holder.id])) as Array<{
      actor_id: string;
      after: { reason: string };
    }>;
    expect(audit).toMatchObject({ actor_id: admin.id, after: { reason: 'request DPO-2026-17' } });
    await api.http.post(`/api/v1/users/${holder.id}/erasure`).set('authorization', `Bearer ${a}`).send({ reason: 'again' }).expect(409);
  });

  it('the audit log stays append-only outside the privacy maintenance door', async () => {
    const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action IN ('privacy.erased', 'privacy.exported')`)) as Array<{ n: number }>;
    expect(n).toBeGreaterThanOrEqual(3);
    await expect(api.dataSource.query(`DELETE FROM audit_event WHERE action IN ('privacy.erased', 'privacy.exported')`)).rejects.toThrow(/append-only/);
    await expect(api.dataSource.query(`UPDATE audit_event SET after = NULL WHERE action IN ('privacy.erased', 'privacy.exported')`)).rejects.toThrow(/append-only/);
    // The door is per transaction: a session that set it once does not keep it open.
    await expect(api.dataSource.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
  });

  it('the retention sweep deletes only what outlived its period, in batches, and erases long-inactive accounts', async () => {
    const ds = api.dataSource;
    const leaver = await aUser(ds, { orgUnit: unit, displayName: 'Old Leaver' });
    const recentLeaver = await aUser(ds, { orgUnit: unit, displayName: 'Recent Leaver' });
    await ds.query(`UPDATE app_user SET status = 'disabled', updated_at = now() - interval '500 days' WHERE id = $1`, [leaver.id]);
    await ds.query(`UPDATE app_user SET status = 'disabled', updated_at = now() - interval '10 days' WHERE id = $1`, [recentLeaver.id]);
    await ds.query(`INSERT INTO audit_event (at, action, subject_type, subject_id) SELECT now() - interval '6 years', 'old.thing', 'x', g::text FROM generate_series(1, 5) g`);
    await ds.query(`INSERT INTO audit_event (at, action, subject_type, subject_id) VALUES (now() - interval '1 year', 'recent.thing', 'x', '1')`);
    await ds.query(`INSERT INTO login_attempt (email, ip, at, outcome) VALUES ('old@x.test', '10.0.0.1', now() - interval '40 days', 'failure'), ('new@x.test', '10.0.0.2', now(), 'failure')`);
    await ds.query(`INSERT INTO failed_job (job_id, name, queue, payload, error, attempts, failed_at) VALUES ('old-1', 'x', 'jobs', '{}', 'boom', 1, now() - interval '100 days'), ('new-1', 'x', 'jobs', '{}', 'boom', 1, now())`);
    // Old notices: one free, one backing a reminder of a closed enrolment, one backing a reminder of an open (overdue) enrolment.
    const [free, closed, open] = (await ds.query(
      `INSERT INTO notification (user_id, type, dedupe_key, locale, title, body, data, created_at) VALUES
         ($1, 'info', 'old-free', 'en', 't', 'b', '{}', now() - interval '2 years'),
         ($1, 'digest', 'old-closed', 'en', 't', 'b', '{}', now() - interval '2 years'),
         ($1, 'digest', 'old-open', 'en', 't', 'b', '{}', now() - interval '2 years') RETURNING id`,
      [manager.id],
    )) as Array<{ id: string }>;
    const done = await aCompletedEnrolment(ds, { user: manager });
    await ds.query(`INSERT INTO reminder (enrolment_id, kind, due_date, recipient_id, notification_id) VALUES ($1, 'overdue:7', current_date - 700, $3, $4), ($2, 'overdue:7', current_date - 700, $3, $5)`, [
      done.enrolmentId,
      colleagueEnrolmentId,
      manager.id,
      closed.id,
      open.id,
    ]);

    const sweep = api.app.get(RetentionSweepHandler);
    const report = await sweep.sweep(2);
    expect(report).toMatchObject({ audit: 5, signInAttempts: 1, failedJobs: 1, notifications: 2, inactiveAccounts: 1 });
    const left = (await ds.query(`SELECT id FROM notification WHERE id = ANY($1::uuid[])`, [[free.id, closed.id, open.id]])) as Array<{ id: string }>;
    expect(left).toEqual([{ id: open.id }]);
    const [{ n: recentAudit }] = (await ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'recent.thing'`)) as Array<{ n: number }>;
    expect(recentAudit).toBe(1);
    const people = (await ds.query(`SELECT id, erased_at IS NOT NULL AS erased FROM app_user WHERE id = ANY($1::uuid[]) ORDER BY display_name`, [[leaver.id, recentLeaver.id]])) as Array<{
      id: string;
      erased: boolean;
    }>;
    expect(Object.fromEntries(people.map((p) => [p.id, p.erased]))).toEqual({ [leaver.id]: true, [recentLeaver.id]: false });
    // Run again: nothing left to do.
    await expect(sweep.sweep(2)).resolves.toEqual({ audit: 0, notifications: 0, emails: 0, signInAttempts: 0, failedJobs: 0, inactiveAccounts: 0 });
  });

  it('runs as the scheduled job privacy.retention-sweep', async () => {
    const res = await api.http.post('/api/v1/admin/jobs/retention-sweep/run').set('authorization', `Bearer ${await token(admin)}`).expect(202);
    expect(res.body).toMatchObject({ job: 'privacy.retention-sweep' });
  });
});
