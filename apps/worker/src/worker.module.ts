import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, PlatformModule } from '@lms/platform';
import { JobsModule, JobsWorkerModule } from '@lms/jobs';
import { IdentityModule } from '@lms/identity';
import { CatalogModule } from '@lms/catalog';
import { LearningModule } from '@lms/learning';
import { ReportingModule } from '@lms/reporting';
import { CompetencyModule } from '@lms/competency';
import { CredentialsModule } from '@lms/credentials';
import { NotificationsModule } from '@lms/notifications';
import { PrivacyModule } from '@lms/privacy';
import { EventsModule } from '@lms/events';
import { InteropModule } from '@lms/interop';
import { migrations } from '../../../migrations/index.js';

/**
 * The worker process: no HTTP server. It composes the same domain modules as the API, so their
 * @JobHandler providers are discovered here; JobsWorkerModule makes this process run the BullMQ
 * workers, the outbox relay, the job schedulers and the heartbeat.
 * A domain with job handlers adds its module to `domains` (one line).
 */
const domains = [IdentityModule, CatalogModule, LearningModule, ReportingModule, CompetencyModule, CredentialsModule, NotificationsModule, PrivacyModule, EventsModule, InteropModule];

@Module({})
export class WorkerModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot({ config, migrations }), JobsModule, JobsWorkerModule, ...domains],
    };
  }
}
