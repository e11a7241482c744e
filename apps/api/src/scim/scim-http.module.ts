import { Module } from '@nestjs/common';
import { IdentityModule } from '@lms/identity';
import { CompetencyModule } from '@lms/competency';
import { ScimClientsController } from './scim-clients.controller.js';
import { ScimDiscoveryController } from './scim-discovery.controller.js';
import { ScimGroupsController } from './scim-groups.controller.js';
import { ScimHttp } from './scim-http.js';
import { ScimUsersController } from './scim-users.controller.js';

/** SCIM 2.0 provisioning at /scim/v2 (Users, Groups, discovery) and the admin API for its clients. */
@Module({
  imports: [IdentityModule, CompetencyModule],
  controllers: [ScimDiscoveryController, ScimUsersController, ScimGroupsController, ScimClientsController],
  providers: [ScimHttp],
})
export class ScimHttpModule {}
