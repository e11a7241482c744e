import { Module } from '@nestjs/common';
import { InteropModule } from '@lms/interop';
import { LrsAuthGuard } from './lrs-auth.guard.js';
import { LrsClientsController } from './lrs-clients.controller.js';
import { LrsEndpointsController } from './lrs-endpoints.controller.js';
import { XapiDocumentBodyParser } from './xapi-body.js';
import { PackageBodyParser } from './package-body.js';
import { PackagesController } from './packages.controller.js';
import { ScormController } from './scorm.controller.js';
import { ContentController } from './content.controller.js';
import { Cmi5Controller } from './cmi5.controller.js';
import { XapiActivityProfileController, XapiAgentProfileController, XapiStateController } from './xapi-documents.controller.js';
import { XapiResourcesController } from './xapi-resources.controller.js';
import { XapiStatementsController } from './xapi-statements.controller.js';
import { XapiMethodNotAllowed } from './xapi-methods.js';

/** The built-in LRS at /xapi (version-neutral, fixed by the xAPI spec), its admin routes, and package import. */
@Module({
  imports: [InteropModule],
  controllers: [XapiStatementsController, XapiStateController, XapiActivityProfileController, XapiAgentProfileController, XapiResourcesController, LrsClientsController, LrsEndpointsController, PackagesController, ScormController, ContentController, Cmi5Controller],
  providers: [LrsAuthGuard, XapiDocumentBodyParser, PackageBodyParser, XapiMethodNotAllowed],
})
export class InteropHttpModule {}
