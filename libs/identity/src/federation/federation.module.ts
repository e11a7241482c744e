import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity.module.js';
import { FederatedSignInService } from './federated-sign-in.service.js';
import { OidcSignInService } from './oidc-sign-in.service.js';
import { SamlSignInService } from './saml-sign-in.service.js';

/** Federated sign-in (OpenID Connect and SAML 2.0): linking people to identity providers (docs/sso.md). */
@Module({
  imports: [IdentityModule],
  providers: [FederatedSignInService, OidcSignInService, SamlSignInService],
  exports: [FederatedSignInService, OidcSignInService, SamlSignInService],
})
export class FederationModule {}
