import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { decodeJwt, SignJWT } from 'jose';
import { FrameworkImportService } from '@lms/competency';
import { CertificateIssuer, IssuerKeys } from '@lms/credentials';
import type { User } from '@lms/identity';
import { aCompletedEnrolment, anOrgUnit, aUser, startApi, TestApi, tokenFor } from '../credentials/support.js';

/**
 * Issue #20 item 3: two instances side by side on loopback ports. A publishes a signed catalog
 * feed and issues certificates; B trusts A (FEDERATION_PEERS, A's key pinned by thumbprint),
 * reads A's feed and recognises A's credentials as competency evidence, refusing what does not
 * verify.
 */
const DACPS_FILE = new URL('../../courses/frameworks/dacps.yaml', import.meta.url).pathname;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function startOnLoopback(env: Record<string, string> = {}): Promise<{ api: TestApi; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const api = await startApi({ env: { PUBLIC_URL: url, ...env } });
  await api.app.listen(port, '127.0.0.1');
  return { api, url };
}

describe('federation between two instances on loopback ports', () => {
  let a: TestApi;
  let b: TestApi;
  /** A third instance trusting A that accepts credentials not bound to an e-mail (FEDERATION_ACCEPT_UNBOUND). */
  let c: TestApi;
  let urlA: string;
  let urlB: string;
  let kidA: string;
  let holderA: User;
  let adminA: User;
  let learnerB: User;
  let otherB: User;
  let publicSlug: string;
  let privateSlug: string;

  const competencies = [
    { code: 'LIT.1', level: 2 },
    { code: 'DAT.2', level: 1 },
    { code: 'NOT.A.CODE', level: 1 },
  ];

  /** A's certificate for a freshly completed enrolment of holderA, as its VC-JWT. */
  async function credentialFromA(): Promise<{ jwt: string; certificateId: string }> {
    const built = await aCompletedEnrolment(a.dataSource, { user: holderA, competencies });
    const { certificateId } = await a.app.get(CertificateIssuer).issue(built.enrolmentId);
    if (!certificateId) throw new Error('A issued no certificate');
    const res = await a.http
      .get(`/api/v1/certificates/${certificateId}/credential`)
      .set('authorization', `Bearer ${await tokenFor(a.config, holderA)}`)
      .set('accept', 'application/vc+jwt')
      .buffer(true)
      .parse((response, done) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => done(null, text));
      })
      .expect(200);
    return { jwt: String(res.body), certificateId };
  }

  const recognise = async (credential: unknown, who: () => User = () => learnerB) =>
    b.http.post('/api/v1/me/recognitions').set('authorization', `Bearer ${await tokenFor(b.config, who())}`).send({ credential });

  beforeAll(async () => {
    ({ api: a, url: urlA } = await startOnLoopback());
    kidA = (await a.app.get(IssuerKeys).jwks()).keys[0].kid;
    ({ api: b, url: urlB } = await startOnLoopback({
      FEDERATION_PEERS: JSON.stringify([
        { url: urlA, keyThumbprint: kidA },
        // The same instance under another name, pinned to a key it does not hold.
        { url: urlA.replace('127.0.0.1', 'localhost'), keyThumbprint: 'A'.repeat(43) },
      ]),
    }));
    ({ api: c } = await startOnLoopback({ FEDERATION_PEERS: JSON.stringify([{ url: urlA, keyThumbprint: kidA }]), FEDERATION_ACCEPT_UNBOUND: 'true' }));
    await a.app.get(FrameworkImportService).importFile(DACPS_FILE);
    await b.app.get(FrameworkImportService).importFile(DACPS_FILE);
    const unitA = await anOrgUnit(a.dataSource, {});
    holderA = await aUser(a.dataSource, { orgUnit: unitA, displayName: 'Jelena Petrović', email: 'jelena.petrovic@uprava.example' });
    adminA = await aUser(a.dataSource, { orgUnit: unitA, roles: [{ role: 'admin' }] });
    // The same person on B: the same e-mail address (accounts store it lower-cased; the unit spec covers case).
    learnerB = await aUser(b.dataSource, { orgUnit: await anOrgUnit(b.dataSource, {}), displayName: 'Jelena Petrović', email: 'jelena.petrovic@uprava.example' });
    // Someone else on B, with the same name but another address.
    otherB = await aUser(b.dataSource, { orgUnit: await anOrgUnit(b.dataSource, {}), displayName: 'Jelena Petrović', email: 'jelena.p@drugo.example' });
    const pub = await aCompletedEnrolment(a.dataSource, { user: holderA, competencies });
    const priv = await aCompletedEnrolment(a.dataSource, { user: holderA, competencies });
    const shared = await aCompletedEnrolment(a.dataSource, { user: holderA, competencies });
    publicSlug = pub.slug;
    privateSlug = priv.slug;
    await a.dataSource.query(`UPDATE course SET licence = 'CC-BY-4.0', attribution = 'School A' WHERE id = $1`, [pub.courseId]);
    await a.dataSource.query(`UPDATE course SET visibility = 'private' WHERE id = $1`, [priv.courseId]);
    await a.dataSource.query(`UPDATE course SET visibility = 'shared', shared_countries = '{ME}' WHERE id = $1`, [shared.courseId]);
  }, 120_000);

  afterAll(async () => {
    await c?.close();
    await b?.close();
    await a?.close();
  });

  it("A's feed is a JWS signed with its issuer key, listing only public courses with a downloadable package", async () => {
    const res = await b.http.get(`/api/v1/federation/peers/catalog`).query({ url: urlA }).set('authorization', `Bearer ${await tokenFor(b.config, await aUser(b.dataSource, { orgUnit: await anOrgUnit(b.dataSource, {}), roles: [{ role: 'admin' }] }))}`).expect(200);
    const feed = res.body as { iss: string; courses: Array<{ slug: string; licence: string | null; version: number; package: string; title: Record<string, string> }>; issuerKeys: { keys: Array<{ kid: string }> } };
    expect(feed.iss).toBe(urlA);
    expect(feed.issuerKeys.keys.map((k) => k.kid)).toContain(kidA);
    const slugs = feed.courses.map((c) => c.slug);
    expect(slugs).toContain(publicSlug);
    expect(slugs).not.toContain(privateSlug);
    expect(feed.courses).toHaveLength(1);
    const course = feed.courses[0];
    expect(course).toMatchObject({ licence: 'CC-BY-4.0', version: 1 });
    expect(course.title.en).toBe('Artificial intelligence in public administration');
    expect(course.package).toBe(`${urlA}/federation/courses/${publicSlug}/versions/1/package`);
    const pkg = await fetch(course.package);
    expect(pkg.status).toBe(200);
    const body = (await pkg.json()) as { course: { slug: string; competencies: unknown[] } };
    expect(body.course.slug).toBe(publicSlug);
    expect(body.course.competencies).toEqual(competencies);
    // The private course's package is not served, nor a version that does not exist.
    expect((await fetch(`${urlA}/federation/courses/${privateSlug}/versions/1/package`)).status).toBe(404);
    expect((await fetch(`${urlA}/federation/courses/${publicSlug}/versions/9/package`)).status).toBe(404);
    // The raw feed: a compact JWS, typ lms-catalog-feed+jwt, kid = A's key.
    const raw = await fetch(`${urlA}/federation/catalog`);
    expect(raw.headers.get('content-type')).toContain('application/jwt');
    const jws = await raw.text();
    expect(JSON.parse(Buffer.from(jws.split('.')[0], 'base64url').toString())).toMatchObject({ alg: 'EdDSA', kid: kidA, typ: 'lms-catalog-feed+jwt' });
    expect((decodeJwt(jws) as { courses: unknown[] }).courses).toHaveLength(1);
  });

  it("B's author imports A's public course for adaptation: a new private course of B's school with the package as its draft", async () => {
    // A's author publishes a course through A's API (a complete package), CC BY 4.0, public.
    const schoolA = await anOrgUnit(a.dataSource, { kind: 'school', code: 'SCHOOLA' });
    const authorA = await aUser(a.dataSource, { orgUnit: schoolA, roles: [{ role: 'author', scope: schoolA }] });
    const tokenA = await tokenFor(a.config, authorA);
    const slugA = 'open-data-basics';
    const packageA = {
      course: {
        slug: slugA,
        school: 'SCHOOLA',
        defaultLanguage: 'en',
        languages: ['en'],
        title: { en: 'Open data basics' },
        summary: { en: 'Publishing government data others can reuse.' },
        audience: 'all-staff',
        level: 'foundation',
        estimatedMinutes: 20,
        framework: 'dacps',
        competencies: [{ code: 'DAT.2', level: 1 }],
        alignedWith: [],
        completion: {},
      },
      lessons: [{ slug: 'why-open', title: { en: 'Why open data' }, minutes: 20, body: { en: '## Why open data\n\nData paid for by the public should serve the public.' } }],
    };
    await a.http.post('/api/v1/courses').set('authorization', `Bearer ${tokenA}`).send(packageA).expect(201);
    await a.http.post(`/api/v1/courses/${slugA}/publish`).set('authorization', `Bearer ${tokenA}`).send({}).expect(201);
    await a.dataSource.query(`UPDATE course SET licence = 'CC-BY-4.0' WHERE slug = $1`, [slugA]);

    const schoolB = await anOrgUnit(b.dataSource, { kind: 'school', code: 'SCHOOLB' });
    const authorB = await aUser(b.dataSource, { orgUnit: schoolB, roles: [{ role: 'author', scope: schoolB }] });
    const token = await tokenFor(b.config, authorB);
    const importIt = (body: Record<string, unknown>) => b.http.post('/api/v1/federation/imports').set('authorization', `Bearer ${token}`).send(body);
    const res = await importIt({ peer: urlA, slug: slugA, school: 'SCHOOLB', as: 'imported-ai' });
    expect([res.status, res.status === 201 ? null : res.body]).toEqual([201, null]);
    expect(res.body.importedFrom).toEqual({ peer: urlA, slug: slugA, version: 1 });
    const [course] = (await b.dataSource.query(`SELECT visibility, licence, attribution FROM course WHERE slug = 'imported-ai'`)) as Array<{ visibility: string; licence: string; attribution: string }>;
    expect(course).toMatchObject({ visibility: 'private', licence: 'CC-BY-4.0' });
    expect(course.attribution).toContain('Open data basics');
    expect(course.attribution).toContain(urlA);
    const draft = await b.http.get('/api/v1/courses/imported-ai/draft').set('authorization', `Bearer ${token}`).expect(200);
    expect(draft.body.course).toMatchObject({ slug: 'imported-ai', school: 'SCHOOLB', competencies: [{ code: 'DAT.2', level: 1 }] });
    expect(draft.body.lessons[0].body.en).toContain('serve the public');
    // Once per slug; only public courses of the feed; the licence must allow adaptations; authors only.
    expect((await importIt({ peer: urlA, slug: slugA, school: 'SCHOOLB', as: 'imported-ai' })).body.code).toBe('course_exists');
    const priv = await importIt({ peer: urlA, slug: privateSlug, school: 'SCHOOLB' });
    expect(priv.status).toBe(404);
    expect(priv.body.code).toBe('peer_course_not_found');
    await a.dataSource.query(`UPDATE course SET licence = 'CC-BY-ND-4.0' WHERE slug = $1`, [slugA]);
    try {
      const nd = await importIt({ peer: urlA, slug: slugA, school: 'SCHOOLB', as: 'imported-nd' });
      expect(nd.status).toBe(409);
      expect(nd.body.code).toBe('licence_forbids_adaptation');
    } finally {
      await a.dataSource.query(`UPDATE course SET licence = 'CC-BY-4.0' WHERE slug = $1`, [slugA]);
    }
    expect((await importIt({ peer: urlB, slug: slugA, school: 'SCHOOLB' })).body.code).toBe('untrusted_peer');
    expect((await importIt({ peer: urlA })).status).toBe(400);
    const learner = await b.http.post('/api/v1/federation/imports').set('authorization', `Bearer ${await tokenFor(b.config, learnerB)}`).send({ peer: urlA, slug: slugA, school: 'SCHOOLB' });
    expect(learner.status).toBe(403);
  });

  it("refuses a peer that is not trusted (404) and a feed not signed with the pinned key (502), as problem+json", async () => {
    const author = await aUser(b.dataSource, { orgUnit: await anOrgUnit(b.dataSource, {}), roles: [{ role: 'author' }] });
    const token = await tokenFor(b.config, author);
    const untrusted = await b.http.get('/api/v1/federation/peers/catalog').query({ url: urlB }).set('authorization', `Bearer ${token}`).expect(404);
    expect(untrusted.headers['content-type']).toContain('application/problem+json');
    expect(untrusted.body).toMatchObject({ code: 'untrusted_peer', type: 'urn:lms:problem:untrusted_peer' });
    const mismatch = await b.http.get('/api/v1/federation/peers/catalog').query({ url: urlA.replace('127.0.0.1', 'localhost') }).set('authorization', `Bearer ${token}`).expect(502);
    expect(mismatch.headers['content-type']).toContain('application/problem+json');
    expect(mismatch.body.code).toBe('peer_key_mismatch');
    await b.http.get('/api/v1/federation/peers/catalog').set('authorization', `Bearer ${token}`).expect(400);
    const learner = await b.http.get('/api/v1/federation/peers/catalog').query({ url: urlA }).set('authorization', `Bearer ${await tokenFor(b.config, learnerB)}`);
    expect(learner.status).toBe(403);
  });

  it("B's learner submits A's certificate: verified and recorded as competency evidence, mapped by framework and code; once only", async () => {
    const { jwt } = await credentialFromA();
    const res = await recognise(jwt);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ peerUrl: urlA, statusChecked: true, holderVerified: true, achievementName: 'Artificial intelligence in public administration' });
    expect(res.body.recorded.map((r: { competencyCode: string; level: number; source: string; frameworkKey: string }) => [r.frameworkKey, r.competencyCode, r.level, r.source])).toEqual([
      ['dacps', 'LIT.1', 2, 'recognition'],
      ['dacps', 'DAT.2', 1, 'recognition'],
    ]);
    expect(res.body.unmatched).toEqual([{ frameworkKey: 'dacps', code: 'NOT.A.CODE', level: 1 }]);
    // The profile on B shows it; the recognition is audited.
    const profile = await b.http.get('/api/v1/me/competencies').set('authorization', `Bearer ${await tokenFor(b.config, learnerB)}`).expect(200);
    expect(JSON.stringify(profile.body)).toContain('LIT.1');
    const [audit] = (await b.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'credential.recognised' AND actor_id = $1`, [learnerB.id])) as Array<{ n: number }>;
    expect(audit.n).toBe(1);
    const again = await recognise(jwt);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('credential_already_recognised');
  });

  it("binds the credential to its holder: A's credential names a salted hash of the holder's e-mail, never the address", async () => {
    const { jwt } = await credentialFromA();
    const identifier = (decodeJwt(jwt).credentialSubject as { identifier: Array<Record<string, unknown>> }).identifier;
    expect(identifier[0]).toEqual({ type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: 'Jelena Petrović' });
    expect(identifier[1]).toMatchObject({ type: 'IdentityObject', identityType: 'emailAddress', hashed: true });
    expect(identifier[1].identityHash).toMatch(/^sha256\$[0-9a-f]{64}$/);
    expect(identifier[1].salt).toMatch(/^[0-9a-f]{32}$/);
    expect(jwt).not.toContain('jelena.petrovic');
    expect(JSON.stringify(decodeJwt(jwt)).toLowerCase()).not.toContain('uprava.example');
  });

  it('refuses the credential from anyone but its holder (422 holder_mismatch), and records nothing', async () => {
    const { jwt, certificateId } = await credentialFromA();
    const res = await recognise(jwt, () => otherB);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'holder_mismatch', type: 'urn:lms:problem:holder_mismatch' });
    expect(res.body.detail ?? res.body.title).toMatch(/e-mail/);
    const [n] = (await b.dataSource.query(`SELECT count(*)::int AS n FROM credential_recognition WHERE credential_id = $1`, [`urn:uuid:${certificateId}`])) as Array<{ n: number }>;
    expect(n.n).toBe(0);
    // Its holder still can.
    const own = await recognise(jwt);
    expect(own.status).toBe(201);
    expect(own.body.holderVerified).toBe(true);
  });

  it('refuses a credential that names no e-mail of its holder (422 holder_unbound); an instance with FEDERATION_ACCEPT_UNBOUND records it with holderVerified false', async () => {
    const { jwt } = await credentialFromA();
    const claims = decodeJwt(jwt) as Record<string, unknown> & { credentialSubject: Record<string, unknown> & { identifier: Array<Record<string, unknown>> } };
    // As A issued before holder binding: signed by A's key, the name identifier only.
    const { jwt: unbound } = await a.app.get(IssuerKeys).sign(
      {
        ...claims,
        jti: 'urn:uuid:00000000-0000-4000-8000-000000000070',
        id: 'urn:uuid:00000000-0000-4000-8000-000000000070',
        credentialSubject: { ...claims.credentialSubject, identifier: claims.credentialSubject.identifier.filter((i) => i.identityType !== 'emailAddress') },
      },
      'vc+jwt',
    );
    const refused = await recognise(unbound);
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'holder_unbound', type: 'urn:lms:problem:holder_unbound' });
    expect(refused.body.detail ?? refused.body.title).toMatch(/re-issued/);
    const [none] = (await b.dataSource.query(`SELECT count(*)::int AS n FROM credential_recognition WHERE credential_id = $1`, ['urn:uuid:00000000-0000-4000-8000-000000000070'])) as Array<{ n: number }>;
    expect(none.n).toBe(0);

    const learnerC = await aUser(c.dataSource, { orgUnit: await anOrgUnit(c.dataSource, {}), email: 'someone.else@c.example' });
    const accepted = await c.http.post('/api/v1/me/recognitions').set('authorization', `Bearer ${await tokenFor(c.config, learnerC)}`).send({ credential: unbound });
    expect([accepted.status, accepted.body.holderVerified]).toEqual([201, false]);
    const [row] = (await c.dataSource.query(`SELECT holder_verified AS "holderVerified" FROM credential_recognition WHERE credential_id = $1`, ['urn:uuid:00000000-0000-4000-8000-000000000070'])) as Array<{ holderVerified: boolean }>;
    expect(row.holderVerified).toBe(false);
    // The switch does not weaken the check of a bound credential: another person's is still refused on C.
    const bound = await c.http.post('/api/v1/me/recognitions').set('authorization', `Bearer ${await tokenFor(c.config, learnerC)}`).send({ credential: jwt });
    expect([bound.status, bound.body.code]).toEqual([422, 'holder_mismatch']);
  });

  it('refuses a revoked credential', async () => {
    const { jwt, certificateId } = await credentialFromA();
    await a.http.post(`/api/v1/certificates/${certificateId}/revoke`).set('authorization', `Bearer ${await tokenFor(a.config, adminA)}`).send({ reason: 'Issued in error' }).expect(200);
    const res = await recognise(jwt);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'credential_revoked', type: 'urn:lms:problem:credential_revoked' });
  });

  it('refuses a credential signed by an untrusted key, a forged signature, an untrusted issuer and an expired one, each with its own code', async () => {
    const { jwt } = await credentialFromA();
    const claims = decodeJwt(jwt);
    const { privateKey } = generateKeyPairSync('ed25519');
    const fresh = { ...claims, jti: 'urn:uuid:00000000-0000-4000-8000-000000000001' };
    // Signed by a key A does not publish.
    const untrustedKey = await new SignJWT(fresh).setProtectedHeader({ alg: 'EdDSA', kid: 'someone-else', typ: 'vc+jwt' }).sign(privateKey);
    const r1 = await recognise(untrustedKey);
    expect(r1.status).toBe(422);
    expect(r1.body.code).toBe('untrusted_key');
    // Claiming A's kid but signed by another key.
    const forged = await new SignJWT(fresh).setProtectedHeader({ alg: 'EdDSA', kid: kidA, typ: 'vc+jwt' }).sign(privateKey);
    const r2 = await recognise(forged);
    expect(r2.status).toBe(422);
    expect(r2.body.code).toBe('bad_signature');
    // An issuer at an instance B does not trust.
    const elsewhere = await new SignJWT({ ...fresh, iss: 'https://lms.elsewhere.example/api/v1/credentials/issuers/x' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k', typ: 'vc+jwt' })
      .sign(privateKey);
    const r3 = await recognise(elsewhere);
    expect(r3.status).toBe(422);
    expect(r3.body.code).toBe('untrusted_issuer');
    // Signed by A, but expired.
    const past = Math.floor(Date.now() / 1000) - 3600;
    const { jwt: expired } = await a.app.get(IssuerKeys).sign({ ...fresh, exp: past, validUntil: new Date(past * 1000).toISOString() }, 'vc+jwt');
    const r4 = await recognise(expired);
    expect(r4.status).toBe(422);
    expect(r4.body.code).toBe('credential_expired');
    // Nothing recorded from any of them.
    const [n] = (await b.dataSource.query(`SELECT count(*)::int AS n FROM credential_recognition WHERE credential_id = $1`, [fresh.jti])) as Array<{ n: number }>;
    expect(n.n).toBe(0);
  });

  it("the learner's data export lists the recognitions; erasure deletes them and leaves the evidence without its note", async () => {
    const mine = await b.http.get('/api/v1/me/data-export').query({ format: 'json' }).set('authorization', `Bearer ${await tokenFor(b.config, learnerB)}`).expect(200);
    // Two: the first test's and the one its holder submitted after another person was refused.
    const recognised = expect.objectContaining({ peerUrl: urlA, statusChecked: true, holderVerified: true });
    expect(mine.body.credentialRecognitions).toEqual([recognised, recognised]);
    const adminB = await aUser(b.dataSource, { orgUnit: await anOrgUnit(b.dataSource, {}), roles: [{ role: 'admin' }] });
    await b.http.post(`/api/v1/users/${learnerB.id}/erasure`).set('authorization', `Bearer ${await tokenFor(b.config, adminB)}`).send({ reason: 'Request of the person' }).expect(200);
    const [left] = (await b.dataSource.query(`SELECT count(*)::int AS n FROM credential_recognition WHERE user_id = $1`, [learnerB.id])) as Array<{ n: number }>;
    expect(left.n).toBe(0);
    const evidence = (await b.dataSource.query(`SELECT note FROM competency_evidence WHERE user_id = $1 AND source = 'recognition'`, [learnerB.id])) as Array<{ note: string | null }>;
    expect(evidence).toHaveLength(4);
    expect(evidence.every((e) => e.note === null)).toBe(true);
  });

  it('answers bad input with 4xx problems', async () => {
    const other = await aUser(b.dataSource, { orgUnit: await anOrgUnit(b.dataSource, {}) });
    for (const body of [undefined, 42, '', 'not-a-jwt', 'a.b.c', 'x'.repeat(70_000)]) {
      const res = await recognise(body, () => other);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    await b.http.post('/api/v1/me/recognitions').send({ credential: 'a.b.c' }).expect(401);
  });
});
