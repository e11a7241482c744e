import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { IssueCertificateHandler } from '@lms/credentials';
import { OrgUnit, User } from '@lms/identity';
import { aCompletedEnrolment, anOrgUnit, aSchool, aUser, startApi, TestApi, tokenFor } from './support.js';

/** Issuer keys: generated on first use, stored encrypted, published as JWKS, rotated without breaking old credentials. */
describe('credential issuer keys (credentials)', () => {
  let api: TestApi;
  let unit: OrgUnit;
  let admin: User;
  let hr: User;
  const auth = async (u: User) => `Bearer ${await tokenFor(api.config, u)}`;

  const issueFor = async (): Promise<string> => {
    const person = await aUser(api.dataSource, { orgUnit: unit });
    const e = await aCompletedEnrolment(api.dataSource, { user: person });
    await api.app.get(IssueCertificateHandler).handle({ enrolmentId: e.enrolmentId }, { id: e.enrolmentId, attempt: 1 });
    const [{ credential_jwt: jwt }] = (await api.dataSource.query(`SELECT credential_jwt FROM certificate WHERE enrolment_id = $1`, [e.enrolmentId])) as Array<{
      credential_jwt: string;
    }>;
    return jwt;
  };

  beforeAll(async () => {
    api = await startApi();
    unit = await anOrgUnit(api.dataSource);
    admin = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'admin' }] });
    hr = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'hr', scope: unit }] });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('creates exactly one key on first use, even when many requests race for it', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => api.http.get('/.well-known/jwks.json').expect(200)));
    for (const a of answers) expect(a.body.keys).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.keys[0].kid)).size).toBe(1);
    const rows = (await api.dataSource.query(`SELECT kid, retired_at FROM credential_issuer_key`)) as Array<{ kid: string; retired_at: Date | null }>;
    expect(rows).toEqual([{ kid: answers[0].body.keys[0].kid, retired_at: null }]);
  });

  it('stores the private key only encrypted and publishes only the public half', async () => {
    const [row] = (await api.dataSource.query(`SELECT private_key_encrypted, public_jwk FROM credential_issuer_key`)) as Array<{
      private_key_encrypted: string;
      public_jwk: Record<string, string>;
    }>;
    expect(row.private_key_encrypted).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);
    // PKCS#8 Ed25519 keys begin with these bytes; neither the DER (base64/base64url/hex) nor a PEM is stored.
    const header = Buffer.from('302e020100300506032b657004220420', 'hex');
    for (const form of [header.toString('base64'), header.toString('base64url').slice(0, 20), header.toString('hex'), 'PRIVATE KEY']) {
      expect(row.private_key_encrypted).not.toContain(form);
    }
    expect(Object.keys(row.public_jwk).sort()).toEqual(['crv', 'kty', 'x']);
    const jwks = await api.http.get('/.well-known/jwks.json').expect(200);
    expect(jwks.headers['cache-control']).toContain('max-age');
    expect(jwks.body.keys[0]).toEqual({ kty: 'OKP', crv: 'Ed25519', x: row.public_jwk.x, kid: expect.any(String) as unknown, alg: 'EdDSA', use: 'sig' });
  });

  it('rotates (admin only, audited): old credentials still verify, new ones use the new key', async () => {
    const oldJwt = await issueFor();
    const oldKid = decodeProtectedHeader(oldJwt).kid;

    await api.http.post('/api/v1/admin/credential-keys/rotate').set('authorization', await auth(hr)).expect(403);
    await api.http.post('/api/v1/admin/credential-keys/rotate').expect(401);
    const rotated = await api.http.post('/api/v1/admin/credential-keys/rotate').set('authorization', await auth(admin)).expect(200);
    expect(rotated.body).toEqual({ kid: expect.any(String) as unknown, previousKid: oldKid });
    expect(rotated.body.kid).not.toBe(oldKid);

    const newJwt = await issueFor();
    expect(decodeProtectedHeader(newJwt).kid).toBe(rotated.body.kid);

    const jwks = (await api.http.get('/.well-known/jwks.json').expect(200)).body as { keys: Array<{ kid: string }> };
    expect(jwks.keys.map((k) => k.kid)).toEqual([oldKid, rotated.body.kid]);
    const keySet = createLocalJWKSet(jwks);
    await expect(jwtVerify(oldJwt, keySet)).resolves.toBeDefined();
    await expect(jwtVerify(newJwt, keySet)).resolves.toBeDefined();

    const list = await api.http.get('/api/v1/admin/credential-keys').set('authorization', await auth(admin)).expect(200);
    expect(list.body).toEqual([
      expect.objectContaining({ kid: rotated.body.kid, active: true, retiredAt: null }),
      expect.objectContaining({ kid: oldKid, active: false, retiredAt: expect.any(String) as unknown }),
    ]);
    expect(JSON.stringify(list.body)).not.toMatch(/private|v1\./);
    const [{ active }] = (await api.dataSource.query(`SELECT count(*)::int AS active FROM credential_issuer_key WHERE retired_at IS NULL`)) as Array<{ active: number }>;
    expect(active).toBe(1);
    const audit = (await api.dataSource.query(`SELECT actor_id, action, request_id FROM audit_event WHERE subject_id = $1`, [rotated.body.kid])) as Array<{
      actor_id: string;
      action: string;
      request_id: string | null;
    }>;
    expect(audit.map(({ actor_id, action }) => ({ actor_id, action }))).toEqual([{ actor_id: admin.id, action: 'credential_key.rotated' }]);
  });

  it("signs an institution's certificates with the institution's own key: rotation of one owner touches no other, and every key stays in the JWKS", async () => {
    const institutionOf = async (name: string, country: string) => {
      const school = await aSchool(api.dataSource, name);
      const [row] = (await api.dataSource.query(`INSERT INTO institution (root_org_unit_id, names, country, issuer_name) VALUES ($1, $2, $3, $4) RETURNING id`, [
        school.id,
        JSON.stringify({ en: name }),
        country,
        name,
      ])) as Array<{ id: string }>;
      return { school, id: row.id };
    };
    const serbian = await institutionOf('Serbian School of Public Administration', 'RS');
    const montenegrin = await institutionOf('Montenegrin Human Resources Authority', 'ME');
    const issueAt = async (school: OrgUnit): Promise<string> => {
      const person = await aUser(api.dataSource, { orgUnit: unit });
      const e = await aCompletedEnrolment(api.dataSource, { user: person, school });
      await api.app.get(IssueCertificateHandler).handle({ enrolmentId: e.enrolmentId }, { id: e.enrolmentId, attempt: 1 });
      return ((await api.dataSource.query(`SELECT credential_jwt FROM certificate WHERE enrolment_id = $1`, [e.enrolmentId])) as Array<{ credential_jwt: string }>)[0].credential_jwt;
    };
    const instanceKid = decodeProtectedHeader(await issueFor()).kid;
    const rsJwt = await issueAt(serbian.school);
    const meJwt = await issueAt(montenegrin.school);
    const rsKid = decodeProtectedHeader(rsJwt).kid;
    const meKid = decodeProtectedHeader(meJwt).kid;
    expect(new Set([instanceKid, rsKid, meKid]).size).toBe(3);
    // A second certificate of the same institution's school uses the same key.
    expect(decodeProtectedHeader(await issueAt(serbian.school)).kid).toBe(rsKid);
    // So does a school further down the institution's tree.
    const branch = await anOrgUnit(api.dataSource, { parent: serbian.school, kind: 'school', name: 'Regional training centre Niš' });
    expect(decodeProtectedHeader(await issueAt(branch)).kid).toBe(rsKid);

    const asAdmin = { authorization: await auth(admin) };
    const rsKeys = await api.http.get('/api/v1/admin/credential-keys').query({ institutionId: serbian.id }).set(asAdmin).expect(200);
    expect(rsKeys.body).toEqual([expect.objectContaining({ kid: rsKid, institutionId: serbian.id, active: true })]);
    const instanceKeys = (await api.http.get('/api/v1/admin/credential-keys').set(asAdmin).expect(200)).body as Array<{ kid: string; institutionId: string | null }>;
    expect(instanceKeys.every((k) => k.institutionId === null)).toBe(true);
    expect(instanceKeys.map((k) => k.kid)).not.toContain(rsKid);

    const rotated = await api.http.post('/api/v1/admin/credential-keys/rotate').query({ institutionId: serbian.id }).set(asAdmin).expect(200);
    expect(rotated.body.previousKid).toBe(rsKid);
    expect(decodeProtectedHeader(await issueAt(serbian.school)).kid).toBe(rotated.body.kid);
    expect(decodeProtectedHeader(await issueAt(montenegrin.school)).kid).toBe(meKid);
    expect(decodeProtectedHeader(await issueFor()).kid).toBe(instanceKid);

    const jwks = (await api.http.get('/.well-known/jwks.json').expect(200)).body as { keys: Array<{ kid: string }> };
    expect(jwks.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([instanceKid, rsKid, rotated.body.kid, meKid]));
    const keySet = createLocalJWKSet(jwks);
    for (const jwt of [rsJwt, meJwt]) await expect(jwtVerify(jwt, keySet)).resolves.toBeDefined();

    // Clear answers for a bad or unknown institution; HR may not rotate anyone's key.
    await api.http.post('/api/v1/admin/credential-keys/rotate').query({ institutionId: 'not-a-uuid' }).set(asAdmin).expect(400);
    await api.http.get('/api/v1/admin/credential-keys').query({ institutionId: '00000000-0000-4000-8000-000000000000' }).set(asAdmin).expect(404);
    await api.http.post('/api/v1/admin/credential-keys/rotate').query({ institutionId: serbian.id }).set('authorization', await auth(hr)).expect(403);
    // An institution that has had a signing key is not deleted from under the certificates it may have signed.
    const empty = await institutionOf('Municipal Training Centre', 'RS');
    await api.http.post('/api/v1/admin/credential-keys/rotate').query({ institutionId: empty.id }).set(asAdmin).expect(200);
    const refused = await api.http.delete(`/api/v1/institutions/${empty.id}`).set(asAdmin).expect(409);
    expect(refused.body.detail).toContain('certificate signing keys');
  });

  it('never lets the database hold two active keys', async () => {
    await expect(
      api.dataSource.query(`INSERT INTO credential_issuer_key (kid, public_jwk, private_key_encrypted) VALUES ('x', '{}', 'v1.a.b.c.d')`),
    ).rejects.toThrow(/uq_credential_issuer_key_active/);
  });
});
