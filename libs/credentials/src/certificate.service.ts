import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { decodeJwt } from 'jose';
import { DataSource } from 'typeorm';
import { AppConfig, Page, pageOf, Principal } from '@lms/platform';
import { AccessScope, AuditLog } from '@lms/identity';
import { Outbox } from '@lms/jobs';
import { CertificatePdfRenderer } from './certificate-pdf.renderer.js';
import { localized } from './certificate-texts.js';
import { Certificate } from './certificate.entity.js';
import { CertificateRepository } from './certificate.repository.js';
import {
  CertificateAlreadyRevokedError,
  CertificateHolderErasedError,
  CertificateNotFoundError,
  IssuerNotFoundError,
  StatusListNotFoundError,
  VerificationCodeNotFoundError,
} from './credentials.errors.js';
import { IssuerKeys } from './issuer-keys.service.js';
import { issuerNameFor } from './issuer-name.js';
import { parseAcceptLanguage } from '@lms/i18n';
import { CertificateFacts, CertificateResult, CredentialUrls, issuerProfile, IssuerProfile, OB_V3_CONTEXT, vcDate, VC_V2_CONTEXT } from './open-badge.js';
import { encodeStatusList } from './status-list.js';
import { CertificateStatus, VerificationResult } from './verification-page.js';

export interface CertificateSummary {
  id: string;
  courseSlug: string;
  courseTitle: string;
  serial: string;
  status: CertificateStatus;
  issuedAt: string;
  expiresAt: string | null;
  verificationUrl: string;
}

export interface CertificateDetail extends CertificateSummary {
  userId: string;
  holderName: string;
  courseVersion: number;
  school: string;
  competencies: Array<{ code: string; level: number }>;
  completedAt: string;
  revokedAt: string | null;
  revocationReason: string | null;
  enrolmentId: string;
  /** The course result the certificate carries (packaged score, else the final quiz); null without one. */
  result: CertificateResult | null;
}

export function statusOf(c: Pick<Certificate, 'revokedAt' | 'expiresAt'>, now = new Date()): CertificateStatus {
  if (c.revokedAt) return 'revoked';
  if (c.expiresAt && c.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'valid';
}

export function factsOf(c: Certificate): CertificateFacts {
  return {
    certificateId: c.id,
    serial: c.serial,
    verificationCode: c.verificationCode,
    statusList: c.statusList,
    statusIndex: c.statusIndex,
    issuedAt: c.issuedAt,
    completedAt: c.completedAt,
    expiresAt: c.expiresAt,
    holderName: c.holderName,
    holderLocale: c.holderLocale,
    courseSlug: c.courseSlug,
    courseVersion: c.courseVersion,
    courseVersionId: c.courseVersionId,
    courseTitle: c.courseTitle,
    courseSummary: c.courseSummary,
    defaultLanguage: c.defaultLanguage,
    frameworkKey: c.frameworkKey,
    competencies: c.competencies,
    schoolOrgUnitId: c.schoolOrgUnitId,
    schoolName: c.schoolName,
    result: resultOf(c),
  };
}

/** The certificate's result snapshot, or null when it has none. */
export function resultOf(c: Pick<Certificate, 'resultScore' | 'resultPassed' | 'resultSource'>): CertificateResult | null {
  return c.resultSource ? { score: c.resultScore, passed: c.resultPassed, source: c.resultSource } : null;
}

/** Reading, verifying and revoking certificates; the status lists and issuer profiles they point at. */
@Injectable()
export class CertificateService {
  private readonly urls: CredentialUrls;
  private readonly issuerNames: AppConfig['issuerNames'];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AppConfig) config: AppConfig,
    @Inject(CertificateRepository) private readonly certificates: CertificateRepository,
    @Inject(AccessScope) private readonly access: AccessScope,
    @Inject(IssuerKeys) private readonly keys: IssuerKeys,
    @Inject(CertificatePdfRenderer) private readonly renderer: CertificatePdfRenderer,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {
    this.urls = new CredentialUrls(config.publicUrl);
    this.issuerNames = config.issuerNames;
  }

  async listMine(principal: Principal, query: { page: number; limit: number }): Promise<Page<CertificateSummary>> {
    const [rows, total] = await this.certificates.pageForUser(principal.userId, (query.page - 1) * query.limit, query.limit);
    return pageOf(
      rows.map((c) => this.summary(c)),
      total,
      query,
    );
  }

  /** A person's certificates, for HR in scope and admins (and the person). */
  async listForUser(principal: Principal, userId: string, query: { page: number; limit: number }): Promise<Page<CertificateSummary>> {
    await this.access.assertCanSeeUser(principal, userId);
    const [rows, total] = await this.certificates.pageForUser(userId, (query.page - 1) * query.limit, query.limit);
    return pageOf(
      rows.map((c) => this.summary(c)),
      total,
      query,
    );
  }

  /** The certificate if the caller may see its holder (the holder, HR in scope, admin). */
  async getVisible(principal: Principal, id: string): Promise<Certificate> {
    const c = await this.certificates.findById(id);
    if (!c) throw new CertificateNotFoundError(id);
    await this.access.assertCanSeeUser(principal, c.userId);
    return c;
  }

  async detail(principal: Principal, id: string): Promise<CertificateDetail> {
    return this.detailOf(await this.getVisible(principal, id));
  }

  /** The PDF stored at issuance; rendered again (to the same bytes) and stored if it is missing. */
  async pdf(principal: Principal, id: string): Promise<{ pdf: Buffer; sha256: string; filename: string }> {
    const c = await this.getVisible(principal, id);
    if (c.holderErasedAt) throw new CertificateHolderErasedError(id);
    const stored = await this.certificates.findDocument(c.id);
    if (stored) return { pdf: stored.pdf, sha256: stored.sha256, filename: `${c.serial}.pdf` };
    const rendered = await this.renderer.render(factsOf(c), this.urls);
    await this.certificates.saveDocument(this.dataSource.manager, c.id, rendered.pdf, rendered.sha256);
    return { pdf: rendered.pdf, sha256: rendered.sha256, filename: `${c.serial}.pdf` };
  }

  /** The signed VC-JWT as issued, and its payload (the OpenBadgeCredential) decoded for convenience. */
  async credential(principal: Principal, id: string): Promise<{ jwt: string; credential: Record<string, unknown> }> {
    const c = await this.getVisible(principal, id);
    if (c.holderErasedAt) throw new CertificateHolderErasedError(id);
    return { jwt: c.credentialJwt, credential: decodeJwt(c.credentialJwt) };
  }

  /** Admin: revoke with a reason — audited, 'certificate.revoked' in the outbox, visible at once in /verify and the status list. */
  async revoke(principal: Principal, id: string, reason: string, requestId?: string): Promise<CertificateDetail> {
    await this.dataSource.transaction(async (manager) => {
      const changed = await this.certificates.markRevoked(manager, id, reason, principal.userId);
      if (changed === null) throw new CertificateNotFoundError(id);
      if (changed === false) throw new CertificateAlreadyRevokedError(id);
      await this.audit.record(
        {
          actor: principal,
          action: 'certificate.revoked',
          subjectType: 'certificate',
          subjectId: id,
          before: { revokedAt: null },
          after: { revocationReason: reason },
          requestId,
        },
        manager,
      );
      await this.outbox.add(manager, 'certificate.revoked', { certificateId: id });
    });
    const c = await this.certificates.findById(id);
    return this.detailOf(c!);
  }

  /** Public verification by code. */
  async verify(code: string): Promise<VerificationResult> {
    const c = /^[A-Za-z0-9_-]{16,64}$/.test(code) ? await this.certificates.findByVerificationCode(code) : null;
    if (!c) throw new VerificationCodeNotFoundError();
    return {
      status: statusOf(c),
      serial: c.serial,
      holder: { name: c.holderErasedAt ? null : c.holderName },
      holderErased: c.holderErasedAt !== null,
      course: {
        slug: c.courseSlug,
        version: c.courseVersion,
        title: localized(c.courseTitle, c.holderLocale, c.defaultLanguage),
        school: c.schoolName,
        competencies: c.competencies,
      },
      result: resultOf(c),
      issuedAt: c.issuedAt.toISOString(),
      expiresAt: c.expiresAt?.toISOString() ?? null,
      revokedAt: c.revokedAt?.toISOString() ?? null,
      locale: c.holderLocale,
    };
  }

  /**
   * The BitstringStatusListCredential of list `list` (revocation), built from the database on each
   * request so a revocation shows at once; signed as a VC-JWT with the issuer key.
   */
  async statusList(list: number): Promise<{ credential: Record<string, unknown>; jwt: string }> {
    if (!Number.isInteger(list) || list < 1 || list > (await this.certificates.highestStatusList())) throw new StatusListNotFoundError(list);
    const url = this.urls.statusList(list);
    const now = new Date();
    const credential = {
      '@context': [VC_V2_CONTEXT],
      id: url,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: this.urls.publicUrl,
      validFrom: vcDate(now),
      credentialSubject: {
        id: `${url}#list`,
        type: 'BitstringStatusList',
        statusPurpose: 'revocation',
        encodedList: encodeStatusList(await this.certificates.revokedIndices(list)),
      },
    };
    const seconds = Math.floor(now.getTime() / 1000);
    const { jwt } = await this.keys.sign({ ...credential, iss: credential.issuer, jti: url, iat: seconds, nbf: seconds }, 'vc+jwt');
    return { credential, jwt };
  }

  /** The school's issuer Profile, named in the first language of Accept-Language (ISSUER_NAMES; else the unit's name). */
  async issuer(orgUnitId: string, acceptLanguage?: string): Promise<IssuerProfile & { '@context': string[] }> {
    const school = await this.certificates.schoolProfile(orgUnitId);
    if (!school) throw new IssuerNotFoundError(orgUnitId);
    const name = issuerNameFor(this.issuerNames, school, parseAcceptLanguage(acceptLanguage)[0]);
    return { '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT], ...issuerProfile(this.urls, school.id, name) };
  }

  private summary(c: Certificate): CertificateSummary {
    return {
      id: c.id,
      courseSlug: c.courseSlug,
      courseTitle: localized(c.courseTitle, c.holderLocale, c.defaultLanguage),
      serial: c.serial,
      status: statusOf(c),
      issuedAt: c.issuedAt.toISOString(),
      expiresAt: c.expiresAt?.toISOString() ?? null,
      verificationUrl: this.urls.verification(c.verificationCode),
    };
  }

  private detailOf(c: Certificate): CertificateDetail {
    return {
      ...this.summary(c),
      userId: c.userId,
      holderName: c.holderName,
      courseVersion: c.courseVersion,
      school: c.schoolName,
      competencies: c.competencies,
      completedAt: c.completedAt.toISOString(),
      revokedAt: c.revokedAt?.toISOString() ?? null,
      revocationReason: c.revocationReason,
      enrolmentId: c.enrolmentId,
      result: resultOf(c),
    };
  }
}
