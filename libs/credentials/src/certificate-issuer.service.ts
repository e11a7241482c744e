import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@lms/platform';
import { Outbox } from '@lms/jobs';
import { CertificatePdfRenderer } from './certificate-pdf.renderer.js';
import { CertificateRepository, EnrolmentSnapshot } from './certificate.repository.js';
import { IssuerKeys } from './issuer-keys.service.js';
import { issuerNameFor } from './issuer-name.js';
import { emailIdentityObject } from './holder-identity.js';
import { buildOpenBadgeCredential, CertificateFacts, credentialClaims, CredentialUrls } from './open-badge.js';
import { statusEntryFor } from './status-list.js';

/** 20 random bytes: 160 bits, 27 base64url characters. */
const VERIFICATION_CODE_BYTES = 20;
export const VC_JWT_TYP = 'vc+jwt';

export function formatSerial(issuedAt: Date, serialNumber: number): string {
  return `LMS-${issuedAt.getUTCFullYear()}-${String(serialNumber).padStart(6, '0')}`;
}

/** Everything a certificate is issued with, produced before the transaction that records it. */
export interface PreparedCertificate {
  snapshot: EnrolmentSnapshot;
  facts: CertificateFacts;
  credentialJwt: string;
  issuerKid: string;
  pdf: Buffer;
  pdfSha256: string;
}

export type IssueOutcome = 'issued' | 'already_issued' | 'no_such_enrolment' | 'not_completed';

/**
 * Issues the one certificate of a completed enrolment. The slow parts (signing, rendering) run
 * before a short transaction that inserts the certificate (ON CONFLICT (enrolment_id) DO NOTHING),
 * stores its PDF and writes the 'certificate.issued' event — the last two only when the insert won.
 * A duplicate job or a worker killed at any point therefore leaves exactly one certificate and
 * one event.
 */
@Injectable()
export class CertificateIssuer {
  private readonly logger = new Logger(CertificateIssuer.name);
  readonly urls: CredentialUrls;
  private readonly issuerNames: AppConfig['issuerNames'];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AppConfig) config: AppConfig,
    @Inject(CertificateRepository) private readonly certificates: CertificateRepository,
    @Inject(IssuerKeys) private readonly keys: IssuerKeys,
    @Inject(CertificatePdfRenderer) private readonly renderer: CertificatePdfRenderer,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {
    this.urls = new CredentialUrls(config.publicUrl);
    this.issuerNames = config.issuerNames;
  }

  async issue(enrolmentId: string): Promise<{ outcome: IssueOutcome; certificateId?: string }> {
    const prepared = await this.prepare(enrolmentId);
    if ('outcome' in prepared) return prepared;
    const inserted = await this.dataSource.transaction((manager) => this.record(manager, prepared));
    if (!inserted) return { outcome: 'already_issued' };
    this.logger.debug(`certificate ${prepared.facts.serial} issued for enrolment ${enrolmentId}`);
    return { outcome: 'issued', certificateId: prepared.facts.certificateId };
  }

  /** Reads the enrolment, numbers, signs and renders the certificate; writes nothing but sequence values. */
  async prepare(enrolmentId: string): Promise<PreparedCertificate | { outcome: Exclude<IssueOutcome, 'issued'> }> {
    const input = await this.certificates.loadForIssue(enrolmentId);
    if (!input) return { outcome: 'no_such_enrolment' };
    if (input.alreadyIssued) return { outcome: 'already_issued' };
    const { snapshot, numbers } = input;
    if (snapshot.status !== 'completed' || !numbers) return { outcome: 'not_completed' };
    const issuedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const status = statusEntryFor(numbers.statusSequence);
    const facts: CertificateFacts = {
      certificateId: randomUUID(),
      serial: formatSerial(issuedAt, numbers.serialNumber),
      verificationCode: randomBytes(VERIFICATION_CODE_BYTES).toString('base64url'),
      statusList: status.list,
      statusIndex: status.index,
      issuedAt,
      completedAt: snapshot.completedAt,
      expiresAt: snapshot.expiresAt,
      holderName: snapshot.holderName,
      holderLocale: snapshot.holderLocale,
      courseSlug: snapshot.courseSlug,
      courseVersion: snapshot.courseVersion,
      courseVersionId: snapshot.courseVersionId,
      courseTitle: snapshot.courseTitle,
      courseSummary: snapshot.courseSummary,
      defaultLanguage: snapshot.defaultLanguage,
      frameworkKey: snapshot.frameworkKey,
      competencies: snapshot.competencies.map((c) => ({ code: c.code, level: c.level })),
      schoolOrgUnitId: snapshot.schoolOrgUnitId,
      // In the certificate's language (the holder's), stored with it: PDF, verification and credential agree.
      schoolName: issuerNameFor(this.issuerNames, { code: snapshot.schoolCode, name: snapshot.schoolName, institution: snapshot.institution }, snapshot.holderLocale),
      result: snapshot.result,
      // Binds the credential to its holder (docs/hub.md, recognition by peers): a salted hash, not the address.
      holderEmailIdentity: emailIdentityObject(snapshot.holderEmail),
    };
    // A school inside an institution's tree signs with that institution's own key; others with the instance's.
    const artifacts = await this.produceArtifacts(facts, snapshot.signerInstitutionId);
    return { snapshot, facts, ...artifacts };
  }

  /** The signed credential and the PDF of a certificate: the CPU-bound part of issuing. */
  async produceArtifacts(facts: CertificateFacts, signer: string | null = null): Promise<{ credentialJwt: string; issuerKid: string; pdf: Buffer; pdfSha256: string }> {
    const signed = await this.keys.sign(credentialClaims(buildOpenBadgeCredential(facts, this.urls)), VC_JWT_TYP, 'vc', signer);
    const rendered = await this.renderer.render(facts, this.urls);
    return { credentialJwt: signed.jwt, issuerKid: signed.kid, pdf: rendered.pdf, pdfSha256: rendered.sha256 };
  }

  /** The unit of work, inside the caller's transaction: true when this call issued the certificate. */
  async record(manager: EntityManager, p: PreparedCertificate): Promise<boolean> {
    const inserted = await this.certificates.insertIfAbsent(
      manager,
      { facts: p.facts, enrolmentId: p.snapshot.enrolmentId, userId: p.snapshot.userId, courseId: p.snapshot.courseId, credentialJwt: p.credentialJwt, issuerKid: p.issuerKid },
      p.pdf,
      p.pdfSha256,
    );
    if (!inserted) return false;
    await this.outbox.add(manager, 'certificate.issued', { certificateId: p.facts.certificateId });
    return true;
  }
}
