import { Module } from '@nestjs/common';
import { CatalogModule, CatalogStartupImport, FRAMEWORK_IMPORT_HOOK, FrameworkImportHook } from '@lms/catalog';
import { CompetencyModule, FrameworkImportService } from '@lms/competency';
import { CourseTranslationsController } from './course-translations.controller.js';
import { CoursesController } from './courses.controller.js';
import { CourseSharingController } from './course-sharing.controller.js';
import { XliffBodyParser } from './xliff-body.js';

/**
 * HTTP for the catalog (browse, search, lessons, authoring) and the first-start import of
 * courses/. Frameworks are imported by the competency domain inside the same transaction.
 */
@Module({
  imports: [CatalogModule, CompetencyModule],
  controllers: [CoursesController, CourseTranslationsController, CourseSharingController],
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
    XliffBodyParser,
  ],
})
export class CatalogHttpModule {}
