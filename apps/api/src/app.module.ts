import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, PlatformModule } from '@lms/platform';
import { IdentityModule } from '@lms/identity';
import { JobsModule } from '@lms/jobs';
import { migrations } from '../../../migrations/index.js';
import { OperationsController } from './platform/health.controller.js';
import { JobsHttpModule } from './jobs/jobs-http.module.js';
import { IdentityHttpModule } from './identity/identity-http.module.js';
import { CompetencyHttpModule } from './competency/competency-http.module.js';
import { LearningHttpModule } from './learning/learning-http.module.js';
import { CatalogHttpModule } from './catalog/catalog-http.module.js';
import { CredentialsHttpModule } from './credentials/credentials-http.module.js';
import { FederationHttpModule } from './federation/federation-http.module.js';
import { NotificationsModule } from '@lms/notifications';
import { NotificationsHttpModule } from './notifications/notifications-http.module.js';
import { ReportingHttpModule } from './reporting/reporting-http.module.js';
import { ScimHttpModule } from './scim/scim-http.module.js';
import { WebModule } from '@lms/web';
import { PrivacyHttpModule } from './privacy/privacy-http.module.js';
import { InteropHttpModule } from './interop/interop-http.module.js';
import { EventsHttpModule } from './events/events-http.module.js';
import { HubHttpModule } from './hub/hub-http.module.js';

/**
 * The HTTP application: the API under /api/v1 and the learner's web pages at / (WebModule). In embedded mode the same process also runs the jobs in-process
 * (see the jobs module); in production the worker app runs them.
 */
@Module({})
export class AppModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ config, migrations }), JobsModule, JobsHttpModule, IdentityModule, IdentityHttpModule, CatalogHttpModule, NotificationsModule, NotificationsHttpModule, CredentialsHttpModule, FederationHttpModule, LearningHttpModule, CompetencyHttpModule, ReportingHttpModule, PrivacyHttpModule, ScimHttpModule, EventsHttpModule, InteropHttpModule, HubHttpModule, WebModule],
      controllers: [OperationsController],
    };
  }
}
