import { Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { AppConfig } from '@lms/platform';
import { CatalogImportError } from './catalog.errors.js';
import { CatalogImportService } from './catalog-import.service.js';
import type { FrameworkImportHook } from './catalog-import.service.js';
import { formatProblem } from './package/problem-list.js';

export const FRAMEWORK_IMPORT_HOOK = Symbol('FRAMEWORK_IMPORT_HOOK');

/**
 * First start (embedded `npm start`): when IMPORT_COURSES_ON_START is on and the catalog is
 * empty, import COURSES_DIR so the catalog is never empty. Runs on application bootstrap, after
 * the modules it depends on (identity creates the SPA school first). A problem (say, the school
 * unit is missing) is logged with the package and the reason; the API still starts.
 * Registered by the API app, not by CatalogModule, so the CLI and the worker never run it.
 */
@Injectable()
export class CatalogStartupImport implements OnApplicationBootstrap {
  private readonly logger = new Logger('CatalogImport');

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(CatalogImportService) private readonly importer: CatalogImportService,
    @Optional() @Inject(FRAMEWORK_IMPORT_HOOK) private readonly frameworkHook?: FrameworkImportHook,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.importCoursesOnStart) return;
    if (!(await this.importer.catalogIsEmpty())) return;
    try {
      const r = await this.importer.importDirectory(this.config.coursesDir, { frameworkHook: this.frameworkHook });
      this.logger.log(`first start: imported ${r.created} course(s) from ${this.config.coursesDir}`);
    } catch (e) {
      const detail = e instanceof CatalogImportError ? e.problems.map(formatProblem).join('\n') : e instanceof Error ? e.message : String(e);
      this.logger.error(`first start: courses in ${this.config.coursesDir} were NOT imported (nothing was written):\n${detail}`);
    }
  }
}
