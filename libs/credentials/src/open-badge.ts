import { localized, textsFor } from './certificate-texts.js';
import type { CompetencySnapshot } from './certificate.entity.js';
import type { EmailIdentityObject } from './holder-identity.js';

export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_V3_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const OB_V3_SCHEMA = 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';

/** The course result a certificate carries: a packaged (SCORM/cmi5) score, else the best native quiz attempt. */
export interface CertificateResult {
  /** Percent, 0–100; null when only passed/failed is known. */
  score: number | null;
  passed: boolean | null;
  source: 'package' | 'quiz';
}

/** What a credential (and the PDF) is made of: the certificate row's snapshot, nothing looked up later. */
export interface CertificateFacts {
  certificateId: string;
  serial: string;
  verificationCode: string;
  statusList: number;
  statusIndex: number;
  issuedAt: Date;
  completedAt: Date;
  expiresAt: Date | null;
  holderName: string;
  holderLocale: string;
  courseSlug: string;
  courseVersion: number;
  courseVersionId: string;
  courseTitle: Record<string, string>;
  courseSummary: Record<string, string>;
  defaultLanguage: string;
  frameworkKey: string;
  competencies: CompetencySnapshot[];
  schoolOrgUnitId: string;
  schoolName: string;
  /** The result snapshot (null or absent: the course result has no score, e.g. a course without a quiz or package). */
  result?: CertificateResult | null;
  /**
   * The holder's e-mail as a salted hash (holder-identity.ts): binds the credential to its holder
   * for recognition by peers (docs/hub.md). Absent on certificates issued before it existed.
   */
  holderEmailIdentity?: EmailIdentityObject | null;
}

/** The public URLs of the credentials domain, all under PUBLIC_URL. */
export class CredentialUrls {
  constructor(readonly publicUrl: string) {}
  verification(code: string): string {
    // The public page the QR code opens (JSON for machines stays at /api/v1/verify/:code).
    return `${this.publicUrl}/verify/${code}`;
  }
  statusList(list: number): string {
    return `${this.publicUrl}/api/v1/credentials/status/${list}`;
  }
  issuer(schoolOrgUnitId: string): string {
    return `${this.publicUrl}/api/v1/credentials/issuers/${schoolOrgUnitId}`;
  }
  jwks(): string {
    return `${this.publicUrl}/.well-known/jwks.json`;
  }
  /** The ids of a course's result descriptions (Open Badges ResultDescription): the course's page with a fragment. */
  resultDescription(courseSlug: string, kind: 'score' | 'outcome'): string {
    return `${this.publicUrl}/courses/${encodeURIComponent(courseSlug)}#result-${kind}`;
  }
  competency(frameworkKey: string, code: string): string {
    return `${this.publicUrl}/api/v1/competency-frameworks/${encodeURIComponent(frameworkKey)}#${encodeURIComponent(code)}`;
  }
}

/** RFC 3339 without fractional seconds, as the VC data model examples write dates. */
export function vcDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface IssuerProfile {
  id: string;
  type: ['Profile'];
  name: string;
  url: string;
}

export function issuerProfile(urls: CredentialUrls, schoolOrgUnitId: string, schoolName: string): IssuerProfile {
  return { id: urls.issuer(schoolOrgUnitId), type: ['Profile'], name: schoolName, url: urls.publicUrl };
}

export interface OpenBadgeCredential {
  '@context': string[];
  id: string;
  type: string[];
  name: string;
  description: string;
  issuer: IssuerProfile;
  validFrom: string;
  validUntil?: string;
  awardedDate: string;
  credentialSubject: Record<string, unknown>;
  credentialStatus: Record<string, string>;
  credentialSchema: Array<{ id: string; type: string }>;
}

/**
 * An Open Badges 3.0 OpenBadgeCredential (a W3C Verifiable Credential, data model 2.0) for one
 * certificate: the school as issuer Profile, the course version as Achievement aligned to its
 * competencies, validity dates and a BitstringStatusListEntry for revocation. Text is in the
 * holder's language (falling back to the course's default language).
 */
export function buildOpenBadgeCredential(facts: CertificateFacts, urls: CredentialUrls): OpenBadgeCredential {
  const locale = facts.holderLocale;
  const title = localized(facts.courseTitle, locale, facts.defaultLanguage);
  const summary = localized(facts.courseSummary, locale, facts.defaultLanguage);
  const texts = textsFor(locale);
  const issuer = issuerProfile(urls, facts.schoolOrgUnitId, facts.schoolName);
  const statusListUrl = urls.statusList(facts.statusList);
  const results = openBadgeResults(facts, urls, texts);
  return {
    '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT],
    id: `urn:uuid:${facts.certificateId}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: title,
    description: `${texts.heading}: ${title} (${facts.serial})`,
    issuer,
    validFrom: vcDate(facts.issuedAt),
    ...(facts.expiresAt ? { validUntil: vcDate(facts.expiresAt) } : {}),
    awardedDate: vcDate(facts.completedAt),
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [
        { type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: facts.holderName },
        ...(facts.holderEmailIdentity ? [facts.holderEmailIdentity] : []),
      ],
      ...(results ? { result: results.result } : {}),
      achievement: {
        id: `urn:uuid:${facts.courseVersionId}`,
        type: ['Achievement'],
        achievementType: 'Course',
        name: title,
        description: summary || title,
        criteria: { narrative: texts.criteria(title, facts.courseVersion) },
        alignment: facts.competencies.map((c) => ({
          type: ['Alignment'],
          targetName: c.code,
          targetCode: c.code,
          targetDescription: `${texts.level} ${c.level}`,
          targetFramework: facts.frameworkKey,
          targetType: 'ceasn:Competency',
          targetUrl: urls.competency(facts.frameworkKey, c.code),
        })),
        ...(results ? { resultDescription: results.descriptions } : {}),
        humanCode: facts.courseSlug,
        version: String(facts.courseVersion),
        inLanguage: locale,
        creator: issuer,
      },
    },
    credentialStatus: {
      id: `${statusListUrl}#${facts.statusIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(facts.statusIndex),
      statusListCredential: statusListUrl,
    },
    credentialSchema: [{ id: OB_V3_SCHEMA, type: '1EdTechJsonSchemaValidator2019' }],
  };
}

/**
 * The OB 3.0 AchievementSubject `result` entries and the Achievement's `resultDescription`s they
 * point at: the score as a Percent (0–100) and, when known, passed/failed as a Status. Null when the
 * certificate carries no result.
 */
function openBadgeResults(
  facts: CertificateFacts,
  urls: CredentialUrls,
  texts: ReturnType<typeof textsFor>,
): { result: Array<Record<string, unknown>>; descriptions: Array<Record<string, unknown>> } | null {
  const r = facts.result;
  if (!r || (r.score === null && r.passed === null)) return null;
  const result: Array<Record<string, unknown>> = [];
  const descriptions: Array<Record<string, unknown>> = [];
  const source = texts.resultSources[r.source];
  if (r.score !== null) {
    const id = urls.resultDescription(facts.courseSlug, 'score');
    descriptions.push({ id, type: ['ResultDescription'], name: `${texts.result} (${source})`, resultType: 'Percent', valueMin: '0', valueMax: '100' });
    result.push({ type: ['Result'], resultDescription: id, value: String(r.score) });
  }
  if (r.passed !== null) {
    const id = urls.resultDescription(facts.courseSlug, 'outcome');
    descriptions.push({ id, type: ['ResultDescription'], name: `${texts.outcome} (${source})`, resultType: 'Status', allowedValue: ['Passed', 'Failed'] });
    result.push({ type: ['Result'], resultDescription: id, value: r.passed ? 'Passed' : 'Failed' });
  }
  return { result, descriptions };
}

/**
 * JWT claims of the VC-JWT (VC-JOSE-COSE: the payload IS the credential) plus the registered
 * claims generic JWT libraries check: iss = issuer id, jti = credential id, iat/nbf = validFrom,
 * exp = validUntil.
 */
export function credentialClaims(credential: OpenBadgeCredential): Record<string, unknown> {
  const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
  return {
    ...credential,
    iss: credential.issuer.id,
    jti: credential.id,
    iat: seconds(credential.validFrom),
    nbf: seconds(credential.validFrom),
    ...(credential.validUntil ? { exp: seconds(credential.validUntil) } : {}),
  };
}
