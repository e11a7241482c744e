import { generateKeyPairSync, randomBytes } from 'node:crypto';
import request from 'supertest';
import { SignedXml } from 'xml-crypto';
import { anOrgUnit, aUser, startApi, TestApi, uniq } from '@lms/testing';
import type { OrgUnit } from '@lms/identity';
import { browserAgent } from '../web/web-support.js';

const IDP = 'https://adfs.uprava.test/adfs/services/trust';
const ACS = 'http://lms.test/auth/saml/adfs/acs';
const SP_ENTITY = 'http://lms.test/auth/saml/adfs/metadata';
const JIT_UNIT = 'SAML-NEWCOMERS';
const EMAIL = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
const NAME = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';
const EMPLOYEE = 'http://schemas.uprava.test/claims/employeeid';

/** The IdP's signing key, made for this run. */
const idpKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const idpPublicPem = idpKey.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

interface AssertionSpec {
  id?: string;
  issuer?: string;
  audience?: string;
  recipient?: string;
  nameId: string;
  attributes?: Record<string, string>;
  /** Validity window relative to now, in seconds. */
  from?: number;
  until?: number;
}

const iso = (offsetSeconds: number): string => new Date(Date.now() + offsetSeconds * 1000).toISOString();
const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function assertionXml(a: AssertionSpec): string {
  const id = a.id ?? `_${randomBytes(16).toString('hex')}`;
  const until = iso(a.until ?? 300);
  const attributes = Object.entries(a.attributes ?? {})
    .map(
      ([name, value]) =>
        `<saml:Attribute Name="${escape(name)}"><saml:AttributeValue>${escape(value)}</saml:AttributeValue></saml:Attribute>`,
    )
    .join('');
  return (
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${iso(a.from ?? 0)}">` +
    `<saml:Issuer>${escape(a.issuer ?? IDP)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${escape(a.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${until}" Recipient="${escape(a.recipient ?? ACS)}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${iso((a.from ?? 0) - 5)}" NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>${escape(a.audience ?? SP_ENTITY)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(a.from ?? 0)}" SessionIndex="${id}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '') +
    `</saml:Assertion>`
  );
}

/** Signs the (only) assertion of `xml` as an IdP does: enveloped, exclusive c14n, RSA-SHA256, after its Issuer. */
function signAssertion(xml: string, privateKey = idpKey.privateKey): string {
  const sig = new SignedXml({
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath: "//*[local-name(.)='Assertion']",
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  sig.computeSignature(xml, { location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' } });
  return sig.getSignedXml();
}

function responseXml(assertions: string, extensions = ''): string {
  return (
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_${randomBytes(16).toString('hex')}" Version="2.0" IssueInstant="${iso(0)}" Destination="${ACS}">` +
    `<saml:Issuer>${IDP}</saml:Issuer>${extensions}` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>${assertions}</samlp:Response>`
  );
}

/** A signed response as the IdP would post it (base64 of the XML). */
function signedResponse(a: AssertionSpec, privateKey = idpKey.privateKey): string {
  return Buffer.from(signAssertion(responseXml(assertionXml(a)), privateKey)).toString('base64');
}

function setCookies(res: request.Response): string[] {
  const v = res.headers['set-cookie'] as unknown;
  return Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : [];
}
const sessionCookieOf = (res: request.Response): string | undefined => setCookies(res).find((c) => /^lms_session=[0-9a-f-]{36}\./.test(c));

/**
 * SAML 2.0 service provider: responses built and signed here with a key pair made for the run; the
 * ACS accepts exactly the signed assertion meant for it, once.
 */
describe('SAML sign-in', () => {
  let api: TestApi;
  let unit: OrgUnit;
  let jitUnit: OrgUnit;

  beforeAll(async () => {
    api = await startApi({
      env: {
        SAML_PROVIDERS: JSON.stringify([
          {
            key: 'adfs',
            name: 'Government ADFS',
            entryPoint: 'https://adfs.uprava.test/adfs/ls/',
            idpIssuer: IDP,
            idpCert: idpPublicPem,
            emailAttribute: EMAIL,
            nameAttribute: NAME,
            externalIdAttribute: EMPLOYEE,
            createUsers: true,
            orgUnitCode: JIT_UNIT,
          },
        ]),
      },
    });
    unit = await anOrgUnit(api.dataSource);
    jitUnit = await anOrgUnit(api.dataSource, { code: JIT_UNIT });
  });
  afterAll(async () => {
    await api?.close();
  });

  const post = (samlResponse: unknown, relayState?: string) =>
    browserAgent(api)
      .post('/auth/saml/adfs/acs')
      .type('form')
      .send({ SAMLResponse: samlResponse, ...(relayState === undefined ? {} : { RelayState: relayState }) });

  it('publishes SP metadata: entity id, the ACS (HTTP-POST) and that assertions must be signed', async () => {
    const res = await browserAgent(api).get('/auth/saml/adfs/metadata').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/samlmetadata\+xml/);
    expect(res.text).toContain(`entityID="${SP_ENTITY}"`);
    expect(res.text).toContain('WantAssertionsSigned="true"');
    expect(res.text).toMatch(
      new RegExp(`<AssertionConsumerService[^>]*Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"[^>]*Location="${ACS}"`),
    );
  });

  it('starts a sign-in at the IdP with an AuthnRequest and the return path as RelayState; the sign-in page offers the button', async () => {
    const res = await browserAgent(api).get('/auth/saml/adfs/login?returnTo=%2Fcourses').expect(302);
    const target = new URL(String(res.headers.location));
    expect(target.origin + target.pathname).toBe('https://adfs.uprava.test/adfs/ls/');
    expect(target.searchParams.get('SAMLRequest')).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(target.searchParams.get('RelayState')).toBe('/courses');
    const page = await browserAgent(api).get('/sign-in').expect(200);
    expect(page.text).toContain('<a class="button secondary" href="/auth/saml/adfs/login">Sign in with Government ADFS</a>');
  });

  it('a valid signed assertion signs the person in with the web session, once; the same assertion again is a replay', async () => {
    const person = await aUser(api.dataSource, { orgUnit: unit, displayName: 'Jovan SAML' });
    const body = signedResponse({ nameId: `nid-${uniq()}`, attributes: { [EMAIL]: person.email.toUpperCase() } });
    const agent = browserAgent(api);
    const ok = await agent.post('/auth/saml/adfs/acs').type('form').send({ SAMLResponse: body, RelayState: '/courses' });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/courses');
    expect(sessionCookieOf(ok)).toMatch(/HttpOnly/);
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('Jovan SAML');
    const [link] = (await api.dataSource.query(`SELECT protocol, issuer FROM federated_identity WHERE user_id = $1`, [
      person.id,
    ])) as unknown[];
    expect(link).toEqual({ protocol: 'saml', issuer: IDP });

    const replay = await post(body);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('This sign-in answer was already used.');
    expect(sessionCookieOf(replay)).toBeUndefined();
    // Held in PostgreSQL (every replica sees it) until the assertion's own expiry.
    const [kept] = (await api.dataSource.query(`SELECT expires_at > now() AS live FROM saml_consumed_assertion WHERE issuer = $1`, [
      IDP,
    ])) as Array<{ live: boolean }>;
    expect(kept.live).toBe(true);
  });

  it('RelayState only ever leads to a path on this site', async () => {
    const person = await aUser(api.dataSource, { orgUnit: unit });
    const res = await post(signedResponse({ nameId: `nid-${uniq()}`, attributes: { [EMAIL]: person.email } }), 'https://evil.example/');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  it('refuses an unsigned assertion, an altered one, and one signed by another key', async () => {
    const person = await aUser(api.dataSource, { orgUnit: unit });
    const spec = { nameId: `nid-${uniq()}`, attributes: { [EMAIL]: person.email } };
    const unsigned = Buffer.from(responseXml(assertionXml(spec))).toString('base64');
    expect((await post(unsigned)).status).toBe(400);
    const altered = Buffer.from(
      Buffer.from(signedResponse(spec), 'base64').toString('utf8').replace(person.email, 'admin@test.lms'),
    ).toString('base64');
    expect((await post(altered)).status).toBe(400);
    expect((await post(signedResponse(spec, otherKey.privateKey))).status).toBe(400);
    const links = (await api.dataSource.query(`SELECT 1 FROM federated_identity WHERE user_id = $1`, [person.id])) as unknown[];
    expect(links).toHaveLength(0);
  });

  it('refuses signature wrapping: an extra unsigned assertion next to the signed one, or the signed one hidden in Extensions', async () => {
    const victim = await aUser(api.dataSource, { orgUnit: unit });
    const attacker = await aUser(api.dataSource, { orgUnit: unit });
    const signed = signAssertion(responseXml(assertionXml({ nameId: `nid-${uniq()}`, attributes: { [EMAIL]: attacker.email } })));
    const evil = assertionXml({ nameId: `nid-${uniq()}`, attributes: { [EMAIL]: victim.email } });
    const injected = signed.replace('<saml:Assertion', `${evil}<saml:Assertion`);
    const signedAssertion = signed.slice(signed.indexOf('<saml:Assertion'), signed.indexOf('</samlp:Response>'));
    const hidden = responseXml(evil, `<samlp:Extensions>${signedAssertion}</samlp:Extensions>`);
    for (const xml of [injected, hidden]) {
      const res = await post(Buffer.from(xml).toString('base64'));
      expect(res.status).toBe(400);
      expect(sessionCookieOf(res)).toBeUndefined();
    }
    const links = (await api.dataSource.query(`SELECT 1 FROM federated_identity WHERE user_id = ANY($1::uuid[])`, [
      [victim.id, attacker.id],
    ])) as unknown[];
    expect(links).toHaveLength(0);
  });

  it('refuses an expired assertion, one not yet valid, one for another audience, another recipient or from another issuer', async () => {
    const person = await aUser(api.dataSource, { orgUnit: unit });
    const base = { attributes: { [EMAIL]: person.email } };
    for (const spec of [
      { ...base, from: -900, until: -300 },
      { ...base, from: 600, until: 900 },
      { ...base, audience: 'https://another-sp.example/metadata' },
      { ...base, recipient: 'https://another-sp.example/acs' },
      { ...base, issuer: 'https://rogue-idp.example/' },
    ]) {
      const res = await post(signedResponse({ ...spec, nameId: `nid-${uniq()}` }));
      expect(res.status).toBe(400);
      expect(res.text).toContain('could not be verified');
    }
    const refused = (await api.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'auth.federated_sign_in_refused' AND subject_id = 'adfs' AND after->>'reason' = 'invalid_response'`,
    )) as Array<{ n: number }>;
    expect(refused[0].n).toBeGreaterThanOrEqual(5);
  });

  it('creates an unknown person just in time in the configured unit with the mapped attributes (e-mail, display name, HR id)', async () => {
    const email = `${uniq('saml-new')}@uprava.test`;
    const employeeId = uniq('E');
    const nameId = `nid-${uniq()}`;
    const res = await post(signedResponse({ nameId, attributes: { [EMAIL]: email, [NAME]: 'Milica Nova', [EMPLOYEE]: employeeId } }));
    expect(res.status).toBe(303);
    const [created] = (await api.dataSource.query(`SELECT display_name, org_unit_id, external_id FROM app_user WHERE email = $1`, [
      email,
    ])) as unknown[];
    expect(created).toEqual({ display_name: 'Milica Nova', org_unit_id: jitUnit.id, external_id: employeeId });
  });

  it('two first sign-ins for the same new address at once create one person; the other identity is refused as a conflict, not a 500', async () => {
    const email = `${uniq('race')}@uprava.test`;
    const answers = await Promise.all(
      [`nid-${uniq()}`, `nid-${uniq()}`].map((nameId) => post(signedResponse({ nameId, attributes: { [EMAIL]: email } }))),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([303, 409]);
    const people = (await api.dataSource.query(`SELECT 1 FROM app_user WHERE email = $1`, [email])) as unknown[];
    expect(people).toHaveLength(1);
  });

  it('bad input gets a 4xx, never a 500', async () => {
    const http = request(api.app.getHttpServer());
    expect((await http.get('/auth/saml/nobody/metadata')).status).toBe(404);
    expect((await http.get('/auth/saml/nobody/login')).status).toBe(404);
    expect((await http.post('/auth/saml/nobody/acs').type('form').send({ SAMLResponse: 'x' })).status).toBe(404);
    expect((await http.get('/auth/oidc/adfs/login')).status).toBe(404);
    for (const body of [
      {},
      { SAMLResponse: '' },
      { SAMLResponse: 'not base64 !' },
      { SAMLResponse: Buffer.from('<x/>').toString('base64') },
      { SAMLResponse: ['a', 'b'] },
      { SAMLResponse: Buffer.from('<<<').toString('base64') },
    ]) {
      const res = await http.post('/auth/saml/adfs/acs').type('form').send(body);
      expect(res.status).toBe(400);
    }
    expect((await http.post('/auth/saml/adfs/acs').send({ SAMLResponse: 42 })).status).toBe(400);
    expect(
      (
        await http
          .post('/auth/saml/adfs/acs')
          .type('form')
          .send({ SAMLResponse: 'A'.repeat(300_000) })
      ).status,
    ).toBe(400);
  });
});
