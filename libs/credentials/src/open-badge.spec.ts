import { emailIdentityObject, matchEmailIdentity } from './holder-identity.js';
import { buildOpenBadgeCredential, CertificateFacts, credentialClaims, CredentialUrls, OB_V3_CONTEXT, VC_V2_CONTEXT } from './open-badge.js';

const facts: CertificateFacts = {
  certificateId: '6f1c1f8e-1111-4a4a-9b9b-000000000001',
  serial: 'LMS-2026-000042',
  verificationCode: 'code',
  statusList: 1,
  statusIndex: 41,
  issuedAt: new Date('2026-11-26T10:00:00Z'),
  completedAt: new Date('2026-11-26T09:30:00Z'),
  expiresAt: new Date('2028-11-26T09:30:00Z'),
  holderName: 'Ana Anić',
  holderLocale: 'sr-Latn',
  courseSlug: 'ai-basics',
  courseVersion: 2,
  courseVersionId: '6f1c1f8e-2222-4a4a-9b9b-000000000002',
  courseTitle: { en: 'AI basics', 'sr-Latn': 'Osnove VI' },
  courseSummary: { en: 'Summary in English only' },
  defaultLanguage: 'en',
  frameworkKey: 'dacps',
  competencies: [{ code: 'AI-1', level: 2 }],
  schoolOrgUnitId: '6f1c1f8e-3333-4a4a-9b9b-000000000003',
  schoolName: 'Academy',
};
const urls = new CredentialUrls('https://lms.example.org');

describe('OpenBadgeCredential', () => {
  it('is a VC 2.0 + OB 3.0 credential with the school as issuer Profile', async () => {
    const c = buildOpenBadgeCredential(facts, urls);
    expect(c['@context']).toEqual([VC_V2_CONTEXT, OB_V3_CONTEXT]);
    expect(c.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(c.issuer).toEqual({ id: `https://lms.example.org/api/v1/credentials/issuers/${facts.schoolOrgUnitId}`, type: ['Profile'], name: 'Academy', url: 'https://lms.example.org' });
    expect(c.validFrom).toBe('2026-11-26T10:00:00Z');
    expect(c.validUntil).toBe('2028-11-26T09:30:00Z');
    expect(c.credentialStatus).toEqual({
      id: 'https://lms.example.org/api/v1/credentials/status/1#41',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '41',
      statusListCredential: 'https://lms.example.org/api/v1/credentials/status/1',
    });
  });

  it('names the holder by name and, when given, by a salted e-mail hash (never the address itself)', async () => {
    const nameOnly = buildOpenBadgeCredential(facts, urls).credentialSubject.identifier as unknown[];
    expect(nameOnly).toEqual([{ type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: 'Ana Anić' }]);
    const email = emailIdentityObject('ana.anic@example.org');
    const c = buildOpenBadgeCredential({ ...facts, holderEmailIdentity: email }, urls);
    expect(c.credentialSubject.identifier).toEqual([nameOnly[0], email]);
    expect(JSON.stringify(c)).not.toContain('ana.anic');
    expect(matchEmailIdentity((credentialClaims(c).credentialSubject as { identifier: unknown }).identifier, 'Ana.Anic@example.org')).toBe('match');
  });

  it("names the achievement in the holder's language and falls back to the default language", async () => {
    const c = buildOpenBadgeCredential(facts, urls);
    const achievement = (c.credentialSubject as { achievement: Record<string, unknown> }).achievement;
    expect(achievement).toMatchObject({ name: 'Osnove VI', description: 'Summary in English only', achievementType: 'Course', version: '2', humanCode: 'ai-basics' });
    expect(achievement.alignment).toEqual([
      expect.objectContaining({ targetCode: 'AI-1', targetDescription: 'nivo 2', targetFramework: 'dacps', targetUrl: 'https://lms.example.org/api/v1/competency-frameworks/dacps#AI-1' }),
    ]);
  });

  it('carries the course result as OB 3.0 results pointing at the achievement’s result descriptions; none without a result', async () => {
    const plain = buildOpenBadgeCredential(facts, urls);
    expect(plain.credentialSubject).not.toHaveProperty('result');
    expect((plain.credentialSubject as { achievement: object }).achievement).not.toHaveProperty('resultDescription');
    const c = buildOpenBadgeCredential({ ...facts, result: { score: 80, passed: true, source: 'package' } }, urls);
    const subject = c.credentialSubject as { result: unknown[]; achievement: { resultDescription: Array<{ id: string }> } };
    expect(subject.achievement.resultDescription).toEqual([
      { id: 'https://lms.example.org/courses/ai-basics#result-score', type: ['ResultDescription'], name: 'Rezultat (lekcije iz paketa)', resultType: 'Percent', valueMin: '0', valueMax: '100' },
      { id: 'https://lms.example.org/courses/ai-basics#result-outcome', type: ['ResultDescription'], name: 'Ishod (lekcije iz paketa)', resultType: 'Status', allowedValue: ['Passed', 'Failed'] },
    ]);
    expect(subject.result).toEqual([
      { type: ['Result'], resultDescription: 'https://lms.example.org/courses/ai-basics#result-score', value: '80' },
      { type: ['Result'], resultDescription: 'https://lms.example.org/courses/ai-basics#result-outcome', value: 'Passed' },
    ]);
    const quizOnly = buildOpenBadgeCredential({ ...facts, result: { score: 67, passed: null, source: 'quiz' } }, urls);
    expect((quizOnly.credentialSubject as { result: unknown[] }).result).toEqual([{ type: ['Result'], resultDescription: 'https://lms.example.org/courses/ai-basics#result-score', value: '67' }]);
  });

  it('omits validUntil and exp for a certificate that does not expire; registered claims mirror the credential', async () => {
    const c = buildOpenBadgeCredential({ ...facts, expiresAt: null }, urls);
    expect(c).not.toHaveProperty('validUntil');
    const claims = credentialClaims(c);
    expect(claims).not.toHaveProperty('exp');
    expect(claims).toMatchObject({ iss: c.issuer.id, jti: c.id, iat: Date.parse('2026-11-26T10:00:00Z') / 1000, nbf: Date.parse('2026-11-26T10:00:00Z') / 1000 });
    expect(credentialClaims(buildOpenBadgeCredential(facts, urls)).exp).toBe(Date.parse('2028-11-26T09:30:00Z') / 1000);
  });
});
