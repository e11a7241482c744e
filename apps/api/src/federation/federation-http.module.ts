import { Global, Module } from '@nestjs/common';
import { CatalogModule } from '@lms/catalog';
import { CompetencyModule } from '@lms/competency';
import { CredentialsModule } from '@lms/credentials';
import { PeerCatalog } from '@lms/web';
import { FederationController, FederationPublicController } from './federation.controller.js';
import { FederationService } from './federation.service.js';

/**
 * Federation between instances (docs/hub.md, issue #20 item 3). Global so the console pages
 * (libs/web) get PeerCatalog — this service behind the port they declare — without importing the app.
 */
@Global()
@Module({
  imports: [CatalogModule, CompetencyModule, CredentialsModule],
  providers: [
    FederationService,
    {
      provide: PeerCatalog,
      inject: [FederationService],
      useFactory: (federation: FederationService): PeerCatalog => ({
        courses: async (url) => (await federation.peerFeed(federation.peer(url))).courses,
        importCourse: async (principal, input) => federation.importCourse(principal, input),
      }),
    },
  ],
  exports: [PeerCatalog],
  controllers: [FederationPublicController, FederationController],
})
export class FederationHttpModule {}
