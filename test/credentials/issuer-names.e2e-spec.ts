import { createLocalJWKSet, jwtVerify } from 'jose';
import { IssueCertificateHandler } from '@lms/credentials';
import type { OrgUnit, User } from '@lms/identity';
import { aCompletedEnrolment, anOrgUnit, aSchool, aUser, binaryParser, readPdf, startApi, TestApi, tokenFor, uniq } from './support.js';

const NAMES = {
  en: 'National Academy of Public Administration',
  'sr-Latn': 'Nacionalna akademija za javnu upravu',
  mk: 'Национална академија за јавна администрација',
};

/**
 * ISSUER_NAMES: a certificate names its school in the certificate's language — in the PDF, on
 * the verification page (JSON and HTML) and in the signed Open Badges credential — with Serbian
 * Cyrillic generated from the Latin; a school without configured names keeps its own name.
 */
describe('issuer names in the certificate language (credentials, ISSUER_NAMES)', () => {
  let api: TestApi;
  let unit: OrgUnit;
  let school: OrgUnit;
  const code = uniq('NAJU').toUpperCase();

  beforeAll(async () => {
    api = await startApi({ env: { ISSUER_NAMES: JSON.stringify({ [code]: NAMES }) } });
    unit = await anOrgUnit(api.dataSource);
    school = await anOrgUnit(api.dataSource, { kind: 'school', code, name: 'NAJU (name in the register)' });
  });

  afterAll(async () => {
    await api?.close();
  });

  async function issueFor(locale: string, atSchool: OrgUnit = school): Promise<{ holder: User; id: string; code: string }> {
    const holder = await aUser(api.dataSource, { orgUnit: unit, locale, displayName: 'Ана Јовановска' });
    const built = await aCompletedEnrolment(api.dataSource, { user: holder, school: atSchool });
    await api.app.get(IssueCertificateHandler).handle({ enrolmentId: built.enrolmentId }, { id: `names-${locale}`, attempt: 1 });
    const [row] = (await api.dataSource.query(`SELECT id, verification_code FROM certificate WHERE enrolment_id = $1`, [built.enrolmentId])) as Array<{
      id: string;
      verification_code: string;
    }>;
    return { holder, id: row.id, code: row.verification_code };
  }

  it.each([
    ['sr-Cyrl', 'Национална академија за јавну управу'],
    ['sr-Latn', NAMES['sr-Latn']],
    ['mk', NAMES.mk],
    ['en', NAMES.en],
    // Croatian readers read Serbian Latin; German readers read English.
    ['hr', NAMES['sr-Latn']],
    ['de', NAMES.en],
  ])('a holder in %s: PDF, verification page and signed credential name the school as "%s"', async (locale, expected) => {
    const cert = await issueFor(locale);
    const auth = `Bearer ${await tokenFor(api.config, cert.holder)}`;

    const detail = await api.http.get(`/api/v1/certificates/${cert.id}`).set('authorization', auth).expect(200);
    expect(detail.body.school).toBe(expected);

    const pdf = await readPdf(
      (await api.http.get(`/api/v1/certificates/${cert.id}/pdf`).set('authorization', auth).buffer(true).parse(binaryParser).expect(200)).body as Buffer,
    );
    expect(pdf.text).toContain(expected);

    const verify = await api.http.get(`/api/v1/verify/${cert.code}`).expect(200);
    expect(verify.body.course.school).toBe(expected);
    const apiHtml = await api.http.get(`/api/v1/verify/${cert.code}`).set('accept', 'text/html').expect(200);
    expect(apiHtml.text).toContain(`<dd>${expected}</dd>`);
    const page = await api.http.get(`/verify/${cert.code}`).expect(200);
    expect(page.text).toContain(expected);

    const { jwt } = (await api.http.get(`/api/v1/certificates/${cert.id}/credential`).set('authorization', auth).expect(200)).body as { jwt: string };
    const jwks = createLocalJWKSet((await api.http.get('/.well-known/jwks.json').expect(200)).body);
    const { payload } = await jwtVerify(jwt, jwks, { algorithms: ['EdDSA'], typ: 'vc+jwt' });
    const issuer = payload.issuer as { id: string; name: string };
    // Only the name is localised: the issuer id (and so `iss`) stays the school's URL.
    expect(issuer).toEqual({ id: `http://lms.test/api/v1/credentials/issuers/${school.id}`, type: ['Profile'], name: expected, url: 'http://lms.test' });
    expect(payload.iss).toBe(issuer.id);
    const achievement = (payload.credentialSubject as { achievement: { creator: { name: string } } }).achievement;
    expect(achievement.creator.name).toBe(expected);
  });

  it('a school without configured names keeps its own name in every language', async () => {
    const other = await aSchool(api.dataSource, 'Zavod za obuku');
    const cert = await issueFor('sr-Cyrl', other);
    const verify = await api.http.get(`/api/v1/verify/${cert.code}`).expect(200);
    expect(verify.body.course.school).toBe('Zavod za obuku');
  });

  it('a school that is an institution (the root of its own tree) is named by the institution: its issuer name when set, else its name in the holder\'s language', async () => {
    // Top-level schools (no parent): institutions in the hub sense (docs/hub.md).
    const montenegrin = await aSchool(api.dataSource, 'Uprava za kadrove (register)');
    await api.dataSource.query(`INSERT INTO institution (root_org_unit_id, country, names) VALUES ($1, 'ME', $2)`, [
      montenegrin.id,
      JSON.stringify({ 'sr-Latn': 'Uprava za kadrove Crne Gore', en: 'Human Resources Management Authority of Montenegro' }),
    ]);
    const inCyrillic = await issueFor('sr-Cyrl', montenegrin);
    expect((await api.http.get(`/api/v1/verify/${inCyrillic.code}`).expect(200)).body.course.school).toBe('Управа за кадрове Црне Горе');
    const inEnglish = await issueFor('en', montenegrin);
    expect((await api.http.get(`/api/v1/verify/${inEnglish.code}`).expect(200)).body.course.school).toBe('Human Resources Management Authority of Montenegro');
    expect((await api.http.get(`/api/v1/credentials/issuers/${montenegrin.id}`).set('accept-language', 'sr-Latn').expect(200)).body.name).toBe('Uprava za kadrove Crne Gore');

    await api.dataSource.query(`UPDATE institution SET issuer_name = 'UZK – Centar za obuku' WHERE root_org_unit_id = $1`, [montenegrin.id]);
    const withIssuerName = await issueFor('mk', montenegrin);
    expect((await api.http.get(`/api/v1/verify/${withIssuerName.code}`).expect(200)).body.course.school).toBe('UZK – Centar za obuku');
    // Issued certificates keep the name they were issued with.
    expect((await api.http.get(`/api/v1/verify/${inEnglish.code}`).expect(200)).body.course.school).toBe('Human Resources Management Authority of Montenegro');
  });

  it('the public issuer profile is named in the first language of Accept-Language', async () => {
    const profile = (lang?: string) => {
      const req = api.http.get(`/api/v1/credentials/issuers/${school.id}`);
      return (lang ? req.set('accept-language', lang) : req).expect(200);
    };
    expect((await profile('mk-MK,mk;q=0.9')).body.name).toBe(NAMES.mk);
    expect((await profile('sr-RS')).body.name).toBe('Национална академија за јавну управу');
    expect((await profile()).body.name).toBe(NAMES.en);
  });
});
