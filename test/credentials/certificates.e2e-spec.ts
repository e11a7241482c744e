import { gunzipSync as gunzip } from 'node:zlib';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { IssueCertificateHandler } from '@lms/credentials';
import { OrgUnit, User } from '@lms/identity';
import { aCompletedEnrolment, anOrgUnit, aSchool, aUser, binaryParser, BuiltEnrolment, eventCount, readPdf, startApi, TestApi, tokenFor } from './support.js';

/**
 * Certificates end to end over HTTP against PostgreSQL and Redis: issuance by the job handler,
 * the learner's list, the PDF (one page, Cyrillic name, QR code), the signed credential checked
 * by an independent verifier through the published JWKS, public verification, revocation.
 */
describe('certificates (credentials)', () => {
  let api: TestApi;
  let ministry: OrgUnit;
  let department: OrgUnit;
  let elsewhere: OrgUnit;
  let holder: User;
  let other: User;
  let hr: User;
  let hrElsewhere: User;
  let admin: User;
  let built: BuiltEnrolment;
  let certificateId: string;
  let verificationUrl: string;
  const token = (u: User) => tokenFor(api.config, u);

  beforeAll(async () => {
    api = await startApi();
    const ds = api.dataSource;
    ministry = await anOrgUnit(ds, { name: 'Ministry' });
    department = await anOrgUnit(ds, { parent: ministry });
    elsewhere = await anOrgUnit(ds);
    holder = await aUser(ds, { orgUnit: department, displayName: 'Милица Ђорђевић', locale: 'sr-Cyrl' });
    other = await aUser(ds, { orgUnit: department });
    hr = await aUser(ds, { orgUnit: ministry, roles: [{ role: 'hr', scope: ministry }] });
    hrElsewhere = await aUser(ds, { orgUnit: elsewhere, roles: [{ role: 'hr', scope: elsewhere }] });
    admin = await aUser(ds, { orgUnit: ministry, roles: [{ role: 'admin' }] });
    built = await aCompletedEnrolment(ds, { user: holder, school: await aSchool(ds) });
    await api.app.get(IssueCertificateHandler).handle({ enrolmentId: built.enrolmentId }, { id: 'test-1', attempt: 1 });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('issues one certificate for the completed enrolment and announces it in the outbox', async () => {
    const rows = (await api.dataSource.query(`SELECT id, serial, verification_code, expires_at, completed_at FROM certificate WHERE enrolment_id = $1`, [
      built.enrolmentId,
    ])) as Array<{ id: string; serial: string; verification_code: string; expires_at: Date; completed_at: Date }>;
    expect(rows).toHaveLength(1);
    certificateId = rows[0].id;
    expect(rows[0].serial).toMatch(/^LMS-\d{4}-\d{6}$/);
    // ≥ 128 random bits, URL-safe.
    expect(rows[0].verification_code).toMatch(/^[A-Za-z0-9_-]{27}$/);
    // Validity 24 months from completion.
    const expected = new Date(rows[0].completed_at);
    expected.setUTCMonth(expected.getUTCMonth() + 24);
    expect(rows[0].expires_at.toISOString()).toBe(expected.toISOString());
    await expect(eventCount(api.dataSource, 'certificate.issued', { certificateId })).resolves.toBe(1);
  });

  it("lists the holder's certificates with the verification URL", async () => {
    const res = await api.http.get('/api/v1/me/certificates').set('authorization', `Bearer ${await token(holder)}`).expect(200);
    expect(res.body).toMatchObject({ page: 1, limit: 20, total: 1 });
    expect(res.body.items[0]).toMatchObject({ id: certificateId, courseSlug: built.slug, status: 'valid', courseTitle: 'Вештачка интелигенција у јавној управи' });
    expect(res.body.items[0].serial).toMatch(/^LMS-/);
    expect(res.body.items[0].verificationUrl).toMatch(/^http:\/\/lms\.test\/verify\/[A-Za-z0-9_-]{27}$/);
    verificationUrl = res.body.items[0].verificationUrl;
    const others = await api.http.get('/api/v1/me/certificates').set('authorization', `Bearer ${await token(other)}`).expect(200);
    expect(others.body).toMatchObject({ items: [], total: 0 });
    await api.http.get('/api/v1/me/certificates?limit=101').set('authorization', `Bearer ${await token(holder)}`).expect(400);
    await api.http.get('/api/v1/me/certificates').expect(401);
  });

  it('serves a one-page A4 landscape PDF with the Cyrillic name and a QR code that decodes to the verification URL', async () => {
    const res = await api.http
      .get(`/api/v1/certificates/${certificateId}/pdf`)
      .set('authorization', `Bearer ${await token(holder)}`)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const bytes = res.body as Buffer;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const pdf = await readPdf(bytes);
    expect(pdf.pages).toBe(1);
    expect(Math.round(pdf.widthPt)).toBe(842);
    expect(Math.round(pdf.heightPt)).toBe(595);
    expect(pdf.text).toContain('Милица Ђорђевић');
    expect(pdf.text).toContain('Вештачка интелигенција у јавној управи');
    expect(pdf.text).toContain('Сертификат о завршеној обуци');
    expect(pdf.text).toContain('DACPS-AI-1 (ниво 2)');
    expect(pdf.qr).toBe(verificationUrl);
    // Same bytes every time (deterministic rendering / stored at issuance).
    const again = await api.http
      .get(`/api/v1/certificates/${certificateId}/pdf`)
      .set('authorization', `Bearer ${await token(admin)}`)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect(Buffer.compare(again.body as Buffer, bytes)).toBe(0);
  });

  it('renders the same bytes again when the stored PDF is gone', async () => {
    const [stored] = (await api.dataSource.query(`SELECT sha256 FROM certificate_document WHERE certificate_id = $1`, [certificateId])) as Array<{ sha256: string }>;
    await api.dataSource.query(`DELETE FROM certificate_document WHERE certificate_id = $1`, [certificateId]);
    const res = await api.http.get(`/api/v1/certificates/${certificateId}/pdf`).set('authorization', `Bearer ${await token(holder)}`).expect(200);
    expect(res.headers.etag).toBe(`"${stored.sha256}"`);
  });

  it('renders Serbian Latin diacritics for a Latin-script holder', async () => {
    const latin = await aUser(api.dataSource, { orgUnit: department, displayName: 'Đorđe Šćepanović-Žižić', locale: 'sr-Latn' });
    const e = await aCompletedEnrolment(api.dataSource, { user: latin, validityMonths: null });
    await api.app.get(IssueCertificateHandler).handle({ enrolmentId: e.enrolmentId }, { id: 'test-2', attempt: 1 });
    const [{ id }] = (await api.dataSource.query(`SELECT id FROM certificate WHERE enrolment_id = $1`, [e.enrolmentId])) as Array<{ id: string }>;
    const res = await api.http.get(`/api/v1/certificates/${id}/pdf`).set('authorization', `Bearer ${await token(latin)}`).buffer(true).parse(binaryParser).expect(200);
    const pdf = await readPdf(res.body as Buffer);
    expect(pdf.pages).toBe(1);
    expect(pdf.text).toContain('Đorđe Šćepanović-Žižić');
    expect(pdf.text).toContain('Veštačka inteligencija u javnoj upravi');
    expect(pdf.text).toContain('bez roka važenja');
  });

  it('lets HR in scope and admins see the certificate, nobody else', async () => {
    await api.http.get(`/api/v1/certificates/${certificateId}`).set('authorization', `Bearer ${await token(hr)}`).expect(200);
    await api.http.get(`/api/v1/certificates/${certificateId}/credential`).set('authorization', `Bearer ${await token(admin)}`).expect(200);
    for (const path of ['', '/pdf', '/credential']) {
      const res = await api.http.get(`/api/v1/certificates/${certificateId}${path}`).set('authorization', `Bearer ${await token(other)}`).expect(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      await api.http.get(`/api/v1/certificates/${certificateId}${path}`).set('authorization', `Bearer ${await token(hrElsewhere)}`).expect(403);
      await api.http.get(`/api/v1/certificates/${certificateId}${path}`).expect(401);
    }
    await api.http.get('/api/v1/certificates/not-a-uuid/pdf').set('authorization', `Bearer ${await token(admin)}`).expect(400);
    await api.http.get('/api/v1/certificates/00000000-0000-4000-8000-000000000000/credential').set('authorization', `Bearer ${await token(admin)}`).expect(404);
  });

  it('signs an Open Badges 3.0 credential that an independent verifier accepts with the published JWKS', async () => {
    const res = await api.http.get(`/api/v1/certificates/${certificateId}/credential`).set('authorization', `Bearer ${await token(holder)}`).expect(200);
    const { jwt } = res.body as { jwt: string };
    expect(jwt.split('.')).toHaveLength(3);
    // Independent path: the JWKS over HTTP, jose's own key set, jwtVerify.
    const jwksRes = await api.http.get('/.well-known/jwks.json').expect(200);
    expect(jwksRes.body.keys.length).toBeGreaterThanOrEqual(1);
    for (const key of jwksRes.body.keys) {
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
      expect(key).not.toHaveProperty('d');
    }
    const keySet = createLocalJWKSet(jwksRes.body);
    const { payload, protectedHeader } = await jwtVerify(jwt, keySet, { algorithms: ['EdDSA'], typ: 'vc+jwt' });
    expect(protectedHeader.kid).toBeDefined();
    expect(payload['@context']).toEqual(['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json']);
    expect(payload.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(payload.id).toBe(`urn:uuid:${certificateId}`);
    expect(payload.jti).toBe(payload.id);
    const issuer = payload.issuer as { id: string; type: string[]; name: string };
    expect(issuer).toMatchObject({ type: ['Profile'], name: built.school.name, id: `http://lms.test/api/v1/credentials/issuers/${built.school.id}` });
    expect(payload.iss).toBe(issuer.id);
    expect(typeof payload.validFrom).toBe('string');
    expect(typeof payload.validUntil).toBe('string');
    expect(payload.exp).toBe(Date.parse(payload.validUntil as string) / 1000);
    const subject = payload.credentialSubject as { type: string[]; identifier: Array<{ identityHash: string }>; achievement: Record<string, unknown> };
    expect(subject.type).toEqual(['AchievementSubject']);
    expect(subject).not.toHaveProperty('result');
    expect(subject.identifier[0].identityHash).toBe('Милица Ђорђевић');
    expect(subject.achievement).toMatchObject({
      type: ['Achievement'],
      name: 'Вештачка интелигенција у јавној управи',
      criteria: { narrative: expect.stringContaining('Вештачка интелигенција у јавној управи') as unknown },
    });
    expect(subject.achievement.alignment).toEqual([
      expect.objectContaining({ type: ['Alignment'], targetCode: 'DACPS-AI-1', targetFramework: 'dacps', targetUrl: 'http://lms.test/api/v1/competency-frameworks/dacps#DACPS-AI-1' }),
      expect.objectContaining({ targetCode: 'DACPS-DATA-2' }),
    ]);
    expect(payload.credentialStatus).toMatchObject({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListCredential: 'http://lms.test/api/v1/credentials/status/1',
    });
    // The JSON view is the JWT payload, and the bare VC-JWT is served on request.
    expect(res.body.credential).toEqual(payload);
    const bare = await api.http.get(`/api/v1/certificates/${certificateId}/credential`).set('authorization', `Bearer ${await token(holder)}`).set('accept', 'application/vc+jwt').expect(200);
    expect(bare.headers['content-type']).toContain('application/vc+jwt');
    expect(bare.text).toBe(jwt);
    // A tampered credential does not verify.
    const [h, p, s] = jwt.split('.');
    const forged = Buffer.from(JSON.stringify({ ...payload, name: 'Forged' })).toString('base64url');
    await expect(jwtVerify(`${h}.${forged}.${s}`, keySet)).rejects.toThrow();
    expect(decodeProtectedHeader(jwt).alg).toBe('EdDSA');
    expect(p.length).toBeGreaterThan(0);
  });

  it('verifies publicly by code as JSON, and as an accessible HTML page for a browser', async () => {
    const code = verificationUrl.split('/').pop()!;
    const res = await api.http.get(`/api/v1/verify/${code}`).expect(200);
    expect(res.body).toMatchObject({
      status: 'valid',
      holder: { name: 'Милица Ђорђевић' },
      course: { slug: built.slug, title: 'Вештачка интелигенција у јавној управи', school: built.school.name },
    });
    // No quiz attempt and no package: the certificate carries no result.
    expect(res.body.result).toBeNull();
    expect(res.body.serial).toMatch(/^LMS-/);
    expect(typeof res.body.issuedAt).toBe('string');
    expect(typeof res.body.expiresAt).toBe('string');
    const html = await api.http.get(`/api/v1/verify/${code}`).set('accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8').expect(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.text).toContain('<html lang="sr-Cyrl">');
    expect(html.text).toContain('Милица Ђорђевић');
    expect(html.text).toContain('Важећи');
    expect(html.text).not.toMatch(/<script|src=|href=/i);
    await api.http.get('/api/v1/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAA').expect(404);
    await api.http.get('/api/v1/verify/x').expect(404);
    const missingHtml = await api.http.get('/api/v1/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAA').set('accept', 'text/html').expect(404);
    expect(missingHtml.headers['content-type']).toContain('text/html');
  });

  it('escapes every value on the HTML page', async () => {
    const sneaky = await aUser(api.dataSource, { orgUnit: department, displayName: '<script>alert("x")</script> & Co' });
    const e = await aCompletedEnrolment(api.dataSource, { user: sneaky, title: { en: '<img src=x onerror=alert(1)>' } });
    await api.app.get(IssueCertificateHandler).handle({ enrolmentId: e.enrolmentId }, { id: 'test-3', attempt: 1 });
    const [{ verification_code: code }] = (await api.dataSource.query(`SELECT verification_code FROM certificate WHERE enrolment_id = $1`, [e.enrolmentId])) as Array<{
      verification_code: string;
    }>;
    const html = await api.http.get(`/api/v1/verify/${code}`).set('accept', 'text/html').expect(200);
    expect(html.text).not.toContain('<script>');
    expect(html.text).not.toContain('<img');
    expect(html.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
  });

  it('revokes (admin only, audited): /verify and the status list show it at once, and the outbox has certificate.revoked', async () => {
    const code = verificationUrl.split('/').pop()!;
    await api.http.post(`/api/v1/certificates/${certificateId}/revoke`).set('authorization', `Bearer ${await token(hr)}`).send({ reason: 'Issued in error' }).expect(403);
    await api.http.post(`/api/v1/certificates/${certificateId}/revoke`).set('authorization', `Bearer ${await token(admin)}`).send({}).expect(400);
    await api.http
      .post(`/api/v1/certificates/${certificateId}/revoke`)
      .set('authorization', `Bearer ${await token(admin)}`)
      .send({ reason: 'Issued in error', extra: 1 })
      .expect(400);

    const before = await api.http.get('/api/v1/credentials/status/1').expect(200);
    const { statusListIndex } = (
      await api.http.get(`/api/v1/certificates/${certificateId}/credential`).set('authorization', `Bearer ${await token(admin)}`).expect(200)
    ).body.credential.credentialStatus as { statusListIndex: string };
    expect(bitAt(before.body.credentialSubject.encodedList as string, Number(statusListIndex))).toBe(false);

    const res = await api.http.post(`/api/v1/certificates/${certificateId}/revoke`).set('authorization', `Bearer ${await token(admin)}`).send({ reason: 'Issued in error' }).expect(200);
    expect(res.body).toMatchObject({ id: certificateId, status: 'revoked', revocationReason: 'Issued in error' });
    await api.http.post(`/api/v1/certificates/${certificateId}/revoke`).set('authorization', `Bearer ${await token(admin)}`).send({ reason: 'Again' }).expect(409);

    const verify = await api.http.get(`/api/v1/verify/${code}`).expect(200);
    expect(verify.body.status).toBe('revoked');
    expect(verify.body.revokedAt).toEqual(expect.any(String));
    expect(JSON.stringify(verify.body)).not.toContain('Issued in error');

    const after = await api.http.get('/api/v1/credentials/status/1').expect(200);
    expect(after.body).toMatchObject({ type: ['VerifiableCredential', 'BitstringStatusListCredential'], credentialSubject: { type: 'BitstringStatusList', statusPurpose: 'revocation' } });
    expect(bitAt(after.body.credentialSubject.encodedList as string, Number(statusListIndex))).toBe(true);
    // The signed status list verifies with the same JWKS.
    const signed = await api.http.get('/api/v1/credentials/status/1').set('accept', 'application/vc+jwt').expect(200);
    const jwks = createLocalJWKSet((await api.http.get('/.well-known/jwks.json').expect(200)).body);
    const { payload } = await jwtVerify(signed.text, jwks);
    expect((payload.credentialSubject as { encodedList: string }).encodedList).toBe(after.body.credentialSubject.encodedList);
    await api.http.get('/api/v1/credentials/status/99').expect(404);
    await api.http.get('/api/v1/credentials/status/abc').expect(400);

    await expect(eventCount(api.dataSource, 'certificate.revoked', { certificateId })).resolves.toBe(1);
    const audit = (await api.dataSource.query(`SELECT actor_id, action, request_id FROM audit_event WHERE subject_id = $1`, [certificateId])) as Array<{
      actor_id: string;
      action: string;
      request_id: string | null;
    }>;
    expect(audit.map(({ actor_id, action }) => ({ actor_id, action }))).toEqual([{ actor_id: admin.id, action: 'certificate.revoked' }]);
    const [row] = (await api.dataSource.query(`SELECT revoked_by, revocation_reason FROM certificate WHERE id = $1`, [certificateId])) as Array<{
      revoked_by: string;
      revocation_reason: string;
    }>;
    expect(row).toEqual({ revoked_by: admin.id, revocation_reason: 'Issued in error' });
  });

  it('refuses to change an issued certificate in the database (only revocation and the expiry mark may change)', async () => {
    await expect(api.dataSource.query(`UPDATE certificate SET holder_name = 'Someone else' WHERE id = $1`, [certificateId])).rejects.toThrow(/immutable/);
    await expect(api.dataSource.query(`UPDATE certificate SET revoked_at = NULL, revocation_reason = NULL WHERE id = $1`, [certificateId])).rejects.toThrow(/revoked/);
  });

  it('serves the issuer profile publicly', async () => {
    const res = await api.http.get(`/api/v1/credentials/issuers/${built.school.id}`).expect(200);
    expect(res.body).toMatchObject({ type: ['Profile'], name: built.school.name, id: `http://lms.test/api/v1/credentials/issuers/${built.school.id}` });
    await api.http.get(`/api/v1/credentials/issuers/${department.id}`).expect(404);
  });
});

function bitAt(encodedList: string, index: number): boolean {
  // Independent decoding: multibase "u" + base64url, GZIP, most significant bit first.
  const bytes = gunzip(Buffer.from(encodedList.slice(1), 'base64url'));
  return (bytes[index >> 3] & (0x80 >> (index & 7))) !== 0;
}
