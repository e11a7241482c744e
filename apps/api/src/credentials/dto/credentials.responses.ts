import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class CertificateSummaryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() courseSlug!: string;
  @ApiProperty({ description: "Course title in the holder's language" }) courseTitle!: string;
  @ApiProperty({ example: 'LMS-2026-000123' }) serial!: string;
  @ApiProperty({ enum: ['valid', 'expired', 'revoked'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) expiresAt!: string | null;
  @ApiProperty({ example: 'https://lms.example.org/verify/3q2-7w…' }) verificationUrl!: string;
}

export class CertificatePageResponse {
  @ApiProperty({ type: [CertificateSummaryResponse] }) items!: CertificateSummaryResponse[];
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() total!: number;
}

class CompetencyLevel {
  @ApiProperty() code!: string;
  @ApiProperty() level!: number;
}

class CertificateResultResponse {
  @ApiPropertyOptional({ nullable: true, type: Number, minimum: 0, maximum: 100, description: 'Percent' }) score!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Boolean }) passed!: boolean | null;
  @ApiProperty({ enum: ['package', 'quiz'], description: 'package: the SCORM/cmi5 result on the enrolment; quiz: the best native quiz attempt' }) source!: string;
}

export class CertificateDetailResponse extends CertificateSummaryResponse {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() holderName!: string;
  @ApiProperty() courseVersion!: number;
  @ApiProperty() school!: string;
  @ApiProperty({ type: [CompetencyLevel] }) competencies!: CompetencyLevel[];
  @ApiProperty({ format: 'date-time' }) completedAt!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) revokedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) revocationReason!: string | null;
  @ApiProperty({ format: 'uuid' }) enrolmentId!: string;
  @ApiPropertyOptional({ type: CertificateResultResponse, nullable: true, description: 'The course result the certificate carries (issue #18); null without one' })
  result!: CertificateResultResponse | null;
}

export class CredentialResponse {
  @ApiProperty({ description: 'The OpenBadgeCredential as a VC-JWT (compact JWS, EdDSA/Ed25519); verify with /.well-known/jwks.json' })
  jwt!: string;
  @ApiProperty({ description: 'The JWT payload: the OpenBadgeCredential (W3C VC 2.0)', type: 'object', additionalProperties: true })
  credential!: Record<string, unknown>;
}

class VerificationHolder {
  @ApiProperty() name!: string;
}

class VerificationCourse {
  @ApiProperty() slug!: string;
  @ApiProperty() version!: number;
  @ApiProperty() title!: string;
  @ApiProperty() school!: string;
  @ApiProperty({ type: [CompetencyLevel] }) competencies!: CompetencyLevel[];
}

export class VerificationResponse {
  @ApiProperty({ enum: ['valid', 'expired', 'revoked'] }) status!: string;
  @ApiProperty() serial!: string;
  @ApiProperty({ type: VerificationHolder }) holder!: VerificationHolder;
  @ApiProperty({ type: VerificationCourse }) course!: VerificationCourse;
  @ApiPropertyOptional({ type: CertificateResultResponse, nullable: true, description: 'The course result on the certificate; null without one' })
  result!: CertificateResultResponse | null;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) expiresAt!: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) revokedAt!: string | null;
  @ApiProperty() locale!: string;
}

export class IssuerKeyResponse {
  @ApiProperty() kid!: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: "The institution whose key this is; null for the instance's" }) institutionId!: string | null;
  @ApiProperty() algorithm!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) retiredAt!: string | null;
  @ApiProperty() active!: boolean;
}

export class RotateKeyResponse {
  @ApiProperty({ description: 'kid of the new active key' }) kid!: string;
  @ApiPropertyOptional({ nullable: true, description: 'kid of the key retired (still published in the JWKS)' }) previousKid!: string | null;
}
