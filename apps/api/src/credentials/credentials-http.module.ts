import { Module } from '@nestjs/common';
import { CredentialsModule } from '@lms/credentials';
import { IdentityModule } from '@lms/identity';
import { CertificatesController } from './certificates.controller.js';
import { CredentialKeysController } from './credential-keys.controller.js';
import { CredentialsPublicController, JwksController } from './credentials-public.controller.js';
import { VerificationController } from './verification.controller.js';

/** HTTP for the credentials domain: certificates, verification, status lists, issuer keys. */
@Module({
  imports: [CredentialsModule, IdentityModule],
  controllers: [CertificatesController, VerificationController, CredentialsPublicController, JwksController, CredentialKeysController],
})
export class CredentialsHttpModule {}
