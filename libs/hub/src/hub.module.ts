import { Module } from '@nestjs/common';
import { CatalogModule } from '@lms/catalog';
import { IdentityModule } from '@lms/identity';
import { CommunityService } from './community.service.js';
import { DirectoryService } from './directory.service.js';

/** The regional hub's people directory and communities of practice (docs/hub.md). Tables are used through SQL (no entities). */
@Module({
  imports: [IdentityModule, CatalogModule],
  providers: [DirectoryService, CommunityService],
  exports: [DirectoryService, CommunityService],
})
export class HubModule {}
