import { DynamicModule, Global, Module } from '@nestjs/common';
import { CatalogModule, FRAMEWORK_IMPORT_HOOK, FrameworkImportHook } from '@lms/catalog';
import { CompetencyModule, FrameworkImportService } from '@lms/competency';
import { Outbox } from '@lms/jobs';
import { AppConfig, PlatformModule } from '@lms/platform';
import { migrations } from '../../../migrations/index.js';

/**
 * The outbox writer without the job runtime: the CLI starts no workers, relays nothing and needs
 * no handler for every job. Events it writes wait in outbox_event for the API or worker to relay.
 */
@Global()
@Module({ providers: [Outbox], exports: [Outbox] })
class CliOutboxModule {}

/** What `courses import` needs: config, database (migrated), catalog, and the competency framework import. */
@Module({})
export class CoursesCliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoursesCliModule,
      imports: [PlatformModule.forRoot({ config, migrations }), CliOutboxModule, CatalogModule, CompetencyModule],
      providers: [
        {
          provide: FRAMEWORK_IMPORT_HOOK,
          inject: [FrameworkImportService],
          useFactory: (frameworks: FrameworkImportService): FrameworkImportHook => ({
            async importFrameworks(manager, list) {
              for (const framework of list) await frameworks.importFramework(framework, { manager });
            },
          }),
        },
      ],
    };
  }
}
