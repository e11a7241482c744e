import { Module } from '@nestjs/common';
import { CatalogModule, CatalogStartupImport, FRAMEWORK_IMPORT_HOOK, FrameworkImportHook } from '@lms/catalog';
import { CompetencyModule, FrameworkImportService } from '@lms/competency';
import { CoursesController } from './courses.controller.js';

/**
 * HTTP for the catalog (browse, search, lessons, authoring) and the first-start import of
 * courses/. Frameworks are imported by the competency domain inside the same transaction.
 */
@Module({
  imports: [CatalogModule, CompetencyModule],
  controllers: [CoursesController],
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
    CatalogStartupImport,
  ],
})
export class CatalogHttpModule {}
