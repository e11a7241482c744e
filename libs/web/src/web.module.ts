import { Module } from '@nestjs/common';
import { CatalogModule } from '@lms/catalog';
import { CompetencyModule } from '@lms/competency';
import { CredentialsModule } from '@lms/credentials';
import { FederationModule, IdentityModule } from '@lms/identity';
import { JobsModule } from '@lms/jobs';
import { LearningModule } from '@lms/learning';
import { NotificationsModule } from '@lms/notifications';
import { ReportingModule } from '@lms/reporting';
import { AccountPagesController, SignInSteps } from './account-pages.controller.js';
import { AssetsService } from './assets.service.js';
import { AuthPagesController } from './auth-pages.controller.js';
import { ConsoleAdminPagesController } from './console-admin-pages.controller.js';
import { ConsoleAuthorPagesController } from './console-author-pages.controller.js';
import { ConsoleHrPagesController } from './console-hr-pages.controller.js';
import { FederationPagesController } from './federation-pages.controller.js';
import { LearnerPagesController } from './learner-pages.controller.js';
import { PublicPagesController } from './public-pages.controller.js';
import { RecordsPagesController } from './records-pages.controller.js';
import { WebContextService } from './web-context.service.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { WebUploadParser } from './upload-body.js';
import { InteropModule } from '@lms/interop';
import { EventsModule } from '@lms/events';
import { ConsoleEventsPagesController } from './console-events-pages.controller.js';
import { ConsoleEventsFormsPagesController } from './console-events-forms-pages.controller.js';
import { EventsPagesController } from './events-pages.controller.js';
import { HubModule } from '@lms/hub';
import { DirectoryPagesController } from './directory-pages.controller.js';
import { CommunitiesPagesController, CourseDiscussionPagesController } from './communities-pages.controller.js';
import { FollowupPagesController } from './followup-pages.controller.js';
import { ConsoleHubAdminPagesController, ConsoleHubAuthorPagesController } from './console-hub-pages.controller.js';

/**
 * The learner's web app, served by the API process on the same origin as /api/v1: server-rendered
 * pages that work without JavaScript, enhanced by one small script and a service worker. Pages call
 * the domains through their public services only, under the same global guard as the API.
 */
@Module({
  imports: [IdentityModule, FederationModule, CatalogModule, LearningModule, CompetencyModule, CredentialsModule, NotificationsModule, ReportingModule, InteropModule, JobsModule, EventsModule, HubModule],
  providers: [AssetsService, WebContextService, WebExceptionFilter, SignInSteps, WebUploadParser],
  controllers: [
    AuthPagesController,
    FederationPagesController,
    AccountPagesController,
    LearnerPagesController,
    RecordsPagesController,
    PublicPagesController,
    ConsoleHrPagesController,
    ConsoleAdminPagesController,
    ConsoleAuthorPagesController,
    EventsPagesController,
    ConsoleEventsPagesController,
    ConsoleEventsFormsPagesController,
    DirectoryPagesController,
    CommunitiesPagesController,
    CourseDiscussionPagesController,
    FollowupPagesController,
    ConsoleHubAdminPagesController,
    ConsoleHubAuthorPagesController,
  ],
})
export class WebModule {}
