import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Certificate } from './certificate.entity.js';
import { CertificateDocument } from './certificate-document.entity.js';
import type { CertificateFacts, CertificateResult } from './open-badge.js';
import type { IssuingInstitution } from './issuer-name.js';

/** What the issuer reads about a completed enrolment: the holder and the pinned course version. */
export interface EnrolmentSnapshot {
  enrolmentId: string;
  userId: string;
  courseId: string;
  courseVersionId: string;
  status: string;
  completedAt: Date;
  expiresAt: Date | null;
  holderName: string;
  holderLocale: string;
  /** Only hashed into the credential (holder binding), never stored with the certificate. */
  holderEmail: string;
  courseSlug: string;
  courseVersion: number;
  courseTitle: Record<string, string>;
  courseSummary: Record<string, string>;
  defaultLanguage: string;
  frameworkKey: string;
  competencies: Array<{ code: string; level: number }>;
  schoolOrgUnitId: string;
  /** The school's org-unit code (ISSUER_NAMES is keyed by it). */
  schoolCode: string;
  schoolName: string;
  /** Set when the school is an institution's root unit (its names and issuer name). */
  institution: IssuingInstitution | null;
  /** The institution whose tree holds the school (it signs the certificate with its own key); null: the instance signs. */
  signerInstitutionId: string | null;
  /** The packaged result when a package reported one, else the best native quiz attempt (passed first, then score). */
  result: CertificateResult | null;
}

export interface IssueInput {
  snapshot: EnrolmentSnapshot;
  alreadyIssued: boolean;
  /** Drawn only for a completed enrolment without a certificate. */
  numbers: { serialNumber: number; statusSequence: number } | null;
}

export interface NewCertificate {
  facts: CertificateFacts;
  enrolmentId: string;
  userId: string;
  courseId: string;
  credentialJwt: string;
  issuerKid: string;
}

/** Data access of the credentials domain; set-based SQL where it matters. */
@Injectable()
export class CertificateRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * One round trip for the issuer: the enrolment with its holder and course version, whether it
   * already has a certificate, and — only when it is completed and has none — a serial number and
   * a status-list position from their sequences (gaps are harmless). Null when the enrolment is
   * unknown. Dates are whole seconds (UTC).
   */
  async loadForIssue(enrolmentId: string): Promise<IssueInput | null> {
    const rows = (await this.dataSource.query(
      `SELECT e.id AS "enrolmentId", e.user_id AS "userId", e.course_id AS "courseId", e.course_version_id AS "courseVersionId",
              e.status, date_trunc('second', COALESCE(e.completed_at, now())) AS "completedAt",
              CASE WHEN v.certificate_validity_months IS NULL THEN NULL
                   ELSE date_trunc('second', COALESCE(e.completed_at, now())) + make_interval(months => v.certificate_validity_months) END AS "expiresAt",
              u.display_name AS "holderName", u.locale AS "holderLocale", u.email AS "holderEmail",
              c.slug AS "courseSlug", v.version AS "courseVersion", v.title AS "courseTitle", v.summary AS "courseSummary",
              v.default_language AS "defaultLanguage", v.framework_key AS "frameworkKey", v.competencies,
              c.school_org_unit_id AS "schoolOrgUnitId", s.code AS "schoolCode", s.name AS "schoolName",
              CASE WHEN i.id IS NULL THEN NULL ELSE json_build_object('names', i.names, 'issuerName', i.issuer_name) END AS "institution",
              CASE WHEN e.package_score IS NOT NULL OR e.package_passed IS NOT NULL
                     THEN json_build_object('score', e.package_score, 'passed', e.package_passed, 'source', 'package')
                   WHEN q.score IS NOT NULL THEN json_build_object('score', q.score, 'passed', q.passed, 'source', 'quiz') END AS "result",
              (SELECT si.id FROM institution si WHERE si.root_org_unit_id::text = split_part(s.path, '/', 2)) AS "signerInstitutionId",
              x.issued AS "alreadyIssued",
              CASE WHEN e.status = 'completed' AND NOT x.issued THEN nextval('certificate_serial_seq')::int END AS "serialNumber",
              CASE WHEN e.status = 'completed' AND NOT x.issued THEN nextval('certificate_status_seq')::int END AS "statusSequence"
         FROM enrolment e
         JOIN app_user u ON u.id = e.user_id
         JOIN course c ON c.id = e.course_id
         JOIN course_version v ON v.id = e.course_version_id
         JOIN org_unit s ON s.id = c.school_org_unit_id
         LEFT JOIN institution i ON i.root_org_unit_id = s.id
         CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM certificate WHERE enrolment_id = e.id) AS issued) x
         LEFT JOIN LATERAL (SELECT a.score, a.passed FROM quiz_attempt a WHERE a.enrolment_id = e.id ORDER BY a.passed DESC, a.score DESC, a.attempt_no LIMIT 1) q ON true
        WHERE e.id = $1`,
      [enrolmentId],
    )) as Array<EnrolmentSnapshot & { alreadyIssued: boolean; serialNumber: number | null; statusSequence: number | null }>;
    const row = rows[0];
    if (!row) return null;
    const { alreadyIssued, serialNumber, statusSequence, ...snapshot } = row;
    return { snapshot, alreadyIssued, numbers: serialNumber === null || statusSequence === null ? null : { serialNumber, statusSequence } };
  }

  /**
   * Inserts the certificate and its PDF unless the enrolment already has one (the unique index
   * decides, also against a concurrent duplicate job): one statement. True when this call inserted.
   */
  async insertIfAbsent(manager: EntityManager, c: NewCertificate, pdf: Buffer, sha256: string): Promise<boolean> {
    const f = c.facts;
    const rows = (await manager.query(
      `WITH inserted AS (
         INSERT INTO certificate (id, enrolment_id, user_id, course_id, course_version_id, serial, verification_code, status_list, status_index,
                                  issued_at, completed_at, expires_at, holder_name, holder_locale, course_slug, course_version, course_title,
                                  course_summary, default_language, framework_key, competencies, school_org_unit_id, school_name,
                                  credential_jwt, issuer_kid, result_score, result_passed, result_source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $28, $29, $30)
         ON CONFLICT (enrolment_id) DO NOTHING
         RETURNING id)
       INSERT INTO certificate_document (certificate_id, pdf, sha256) SELECT id, $26, $27 FROM inserted
       RETURNING certificate_id`,
      [
        f.certificateId, c.enrolmentId, c.userId, c.courseId, f.courseVersionId, f.serial, f.verificationCode, f.statusList, f.statusIndex,
        f.issuedAt, f.completedAt, f.expiresAt, f.holderName, f.holderLocale, f.courseSlug, f.courseVersion, JSON.stringify(f.courseTitle),
        JSON.stringify(f.courseSummary), f.defaultLanguage, f.frameworkKey, JSON.stringify(f.competencies), f.schoolOrgUnitId, f.schoolName,
        c.credentialJwt, c.issuerKid, pdf, sha256,
        f.result?.score ?? null, f.result?.passed ?? null, f.result?.source ?? null,
      ],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Stores a re-rendered PDF (deterministic, so a concurrent store writes the same bytes). */
  async saveDocument(manager: EntityManager, certificateId: string, pdf: Buffer, sha256: string): Promise<void> {
    await manager.query(`INSERT INTO certificate_document (certificate_id, pdf, sha256) VALUES ($1, $2, $3) ON CONFLICT (certificate_id) DO NOTHING`, [
      certificateId,
      pdf,
      sha256,
    ]);
  }

  async findDocument(certificateId: string): Promise<CertificateDocument | null> {
    return this.dataSource.getRepository(CertificateDocument).findOneBy({ certificateId });
  }

  async findById(id: string): Promise<Certificate | null> {
    return this.dataSource.getRepository(Certificate).findOneBy({ id });
  }

  async findByVerificationCode(code: string): Promise<Certificate | null> {
    return this.dataSource.getRepository(Certificate).findOneBy({ verificationCode: code });
  }

  async pageForUser(userId: string, offset: number, limit: number): Promise<[Certificate[], number]> {
    return this.dataSource.getRepository(Certificate).findAndCount({ where: { userId }, order: { issuedAt: 'DESC', id: 'ASC' }, skip: offset, take: limit });
  }

  /** Sets the revocation once; null when the certificate is unknown, false when it was already revoked. */
  async markRevoked(manager: EntityManager, id: string, reason: string, by: string): Promise<boolean | null> {
    const [rows] = (await manager.query(
      `UPDATE certificate SET revoked_at = now(), revocation_reason = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
      [id, reason, by],
    )) as [unknown[], number];
    if (rows.length > 0) return true;
    const exists = (await manager.query(`SELECT 1 FROM certificate WHERE id = $1`, [id])) as unknown[];
    return exists.length > 0 ? false : null;
  }

  /** Bits set in one status list: the revoked certificates' indices. */
  async revokedIndices(list: number): Promise<number[]> {
    const rows = (await this.dataSource.query(`SELECT status_index AS i FROM certificate WHERE status_list = $1 AND revoked_at IS NOT NULL`, [list])) as Array<{
      i: number;
    }>;
    return rows.map((r) => r.i);
  }

  async highestStatusList(): Promise<number> {
    const [row] = (await this.dataSource.query(`SELECT COALESCE(max(status_list), 1) AS n FROM certificate`)) as Array<{ n: number }>;
    return row.n;
  }

  /**
   * Marks up to `limit` unrevoked certificates expiring within `days` and not marked before;
   * returns their ids. SKIP LOCKED lets two sweeps run side by side without marking one twice.
   */
  async markExpiringSoon(manager: EntityManager, days: number, limit: number): Promise<string[]> {
    const [rows] = (await manager.query(
      `UPDATE certificate SET expiry_notified_at = now()
        WHERE id IN (SELECT id FROM certificate
                      WHERE revoked_at IS NULL AND expiry_notified_at IS NULL AND expires_at IS NOT NULL
                        AND expires_at > now() AND expires_at <= now() + make_interval(days => $1)
                      ORDER BY expires_at
                      LIMIT $2
                      FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [days, limit],
    )) as [Array<{ id: string }>, number];
    return rows.map((r) => r.id);
  }

  async schoolProfile(orgUnitId: string): Promise<{ id: string; code: string; name: string; institution: IssuingInstitution | null } | null> {
    const rows = (await this.dataSource.query(
      `SELECT o.id, o.code, o.name,
              CASE WHEN i.id IS NULL THEN NULL ELSE json_build_object('names', i.names, 'issuerName', i.issuer_name) END AS institution
         FROM org_unit o
         LEFT JOIN institution i ON i.root_org_unit_id = o.id
        WHERE o.id = $1 AND (o.kind = 'school' OR EXISTS (SELECT 1 FROM course c WHERE c.school_org_unit_id = o.id))`,
      [orgUnitId],
    )) as Array<{ id: string; code: string; name: string; institution: IssuingInstitution | null }>;
    return rows[0] ?? null;
  }
}
