import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@lms/identity';
import { CertificateDocument } from './certificate-document.entity.js';
import { CertificateIssuer } from './certificate-issuer.service.js';
import { CertificatePdfRenderer } from './certificate-pdf.renderer.js';
import { Certificate } from './certificate.entity.js';
import { CertificateRepository } from './certificate.repository.js';
import { CertificateService } from './certificate.service.js';
import { CredentialIssuerKey } from './credential-issuer-key.entity.js';
import { CertificateExpirySweepHandler } from './expiry-sweep.processor.js';
import { IssueCertificateHandler } from './issue-certificate.processor.js';
import { IssuerKeys } from './issuer-keys.service.js';
import { VerificationHit } from './verification-hit.entity.js';
import { VerificationThrottle } from './verification-throttle.service.js';

/**
 * Certificates as signed, verifiable credentials: issuance (job handlers), PDF, Open Badges 3.0
 * VC-JWT with Ed25519 issuer keys, verification, revocation status lists, expiry sweep.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Certificate, CertificateDocument, CredentialIssuerKey, VerificationHit]), IdentityModule],
  providers: [
    CertificateRepository,
    IssuerKeys,
    CertificatePdfRenderer,
    CertificateIssuer,
    CertificateService,
    VerificationThrottle,
    IssueCertificateHandler,
    CertificateExpirySweepHandler,
  ],
  exports: [CertificateService, CertificateIssuer, IssuerKeys, VerificationThrottle, IssueCertificateHandler, CertificateExpirySweepHandler],
})
export class CredentialsModule {}
