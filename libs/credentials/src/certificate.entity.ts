import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrgUnit, User } from '@lms/identity';
import { Course, CourseVersion, type LangMap } from '@lms/catalog';
import { Enrolment } from '@lms/learning';

export interface CompetencySnapshot {
  code: string;
  level: number;
}

/**
 * A certificate: exactly one per completed enrolment (unique `enrolment_id`, so a job that runs
 * twice inserts once). It carries a snapshot of the holder and the course as they were when it
 * was issued, so later edits (a renamed person, a new course version) never change an issued
 * certificate. `credentialJwt` is the signed Open Badges 3.0 credential (VC-JWT) issued with it.
 *
 * Status (valid, expired, revoked) is derived: revoked when `revokedAt` is set, expired when
 * `expiresAt` has passed. `statusList`/`statusIndex` is its bit in the revocation status list.
 */
@Entity('certificate')
@Index('uq_certificate_enrolment', ['enrolmentId'], { unique: true })
@Index('uq_certificate_serial', ['serial'], { unique: true })
@Index('uq_certificate_verification_code', ['verificationCode'], { unique: true })
@Index('uq_certificate_status_entry', ['statusList', 'statusIndex'], { unique: true })
@Index('idx_certificate_user', ['userId', 'issuedAt'])
@Index('idx_certificate_revoked', { synchronize: false })
@Index('idx_certificate_expiry_due', { synchronize: false })
@Check('ck_certificate_revocation', `(revoked_at IS NULL) = (revocation_reason IS NULL)`)
@Check('ck_certificate_status_index', `status_list >= 1 AND status_index >= 0`)
@Check('ck_certificate_result', `(result_score IS NULL OR result_score BETWEEN 0 AND 100) AND (result_source IS NULL OR result_source IN ('package', 'quiz'))`)
export class Certificate {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  enrolmentId!: string;

  @ManyToOne(() => Enrolment, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'enrolment_id' })
  enrolment?: Enrolment;

  @Column('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('uuid')
  courseId!: string;

  @ManyToOne(() => Course, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'course_id' })
  course?: Course;

  @Column('uuid')
  courseVersionId!: string;

  @ManyToOne(() => CourseVersion, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'course_version_id' })
  version?: CourseVersion;

  /** Human-readable, e.g. LMS-2026-000123 (from a sequence). */
  @Column('text')
  serial!: string;

  /** ≥ 160 random bits, base64url: the unguessable part of the verification URL. */
  @Column('text')
  verificationCode!: string;

  /** Which status list (1, 2, …) and which bit in it. */
  @Column('int')
  statusList!: number;

  @Column('int')
  statusIndex!: number;

  @Column('timestamptz')
  issuedAt!: Date;

  @Column('timestamptz')
  completedAt!: Date;

  @Column('timestamptz', { nullable: true })
  expiresAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  revokedAt!: Date | null;

  @Column('text', { nullable: true })
  revocationReason!: string | null;

  @Column('uuid', { nullable: true })
  revokedBy!: string | null;

  /**
   * Set when the holder's personal data was erased: the holder's name, the stored PDF and the signed
   * credential are gone; verification still answers truthfully (issued, status) without a name.
   */
  @Column('timestamptz', { nullable: true })
  holderErasedAt!: Date | null;

  /** Set once by the expiry sweep when the certificate comes within 30 days of expiry. */
  @Column('timestamptz', { nullable: true })
  expiryNotifiedAt!: Date | null;

  // Holder snapshot.
  @Column('text')
  holderName!: string;

  @Column('text')
  holderLocale!: string;

  // Course snapshot.
  @Column('text')
  courseSlug!: string;

  @Column('int')
  courseVersion!: number;

  @Column('jsonb')
  courseTitle!: LangMap;

  @Column('jsonb')
  courseSummary!: LangMap;

  @Column('text')
  defaultLanguage!: string;

  @Column('text')
  frameworkKey!: string;

  @Column('jsonb')
  competencies!: CompetencySnapshot[];

  @Column('uuid')
  schoolOrgUnitId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'school_org_unit_id' })
  school?: OrgUnit;

  @Column('text')
  schoolName!: string;

  /**
   * Result snapshot (issue #18): the course's packaged (SCORM/cmi5) score and passed when a package
   * reported one, else the best native quiz attempt; all null when the course result has neither.
   */
  @Column('int', { nullable: true })
  resultScore!: number | null;

  @Column('boolean', { nullable: true })
  resultPassed!: boolean | null;

  @Column('text', { nullable: true })
  resultSource!: 'package' | 'quiz' | null;

  /** The signed OpenBadgeCredential (compact JWS, EdDSA) and the key that signed it. */
  @Column('text')
  credentialJwt!: string;

  @Column('text')
  issuerKid!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
