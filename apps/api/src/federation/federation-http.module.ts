import { Module } from '@nestjs/common';
import { CatalogModule } from '@lms/catalog';
import { CompetencyModule } from '@lms/competency';
import { CredentialsModule } from '@lms/credentials';
import { FederationController, FederationPublicController } from './federation.controller.js';
import { FederationService } from './federation.service.js';

/** Federation between instances (docs/hub.md, issue #20 item 3). */
@Module({
  imports: [CatalogModule, CompetencyModule, CredentialsModule],
  providers: [FederationService],
  controllers: [FederationPublicController, FederationController],
})
export class FederationHttpModule {}
