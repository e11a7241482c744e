import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { OrgUnit } from '@lms/identity';
import { CatalogImportError } from './catalog.errors.js';
import { CatalogCache } from './catalog-cache.service.js';
import { CourseVersionRepository } from './course-version.repository.js';
import { contentHash, searchTextOf } from './package/package-digest.js';
import { validateCoursesDir, ValidationReport } from './package/package-validator.js';
import type { CoursePackage, FrameworkDefinition, PackageProblem } from './package/package.types.js';

/**
 * Extension point for the competency domain, which owns the framework tables: called inside the
 * import transaction, before the courses, with every framework of the folder. It must be
 * idempotent and write only through `manager` (all-or-nothing; PGlite has a single connection).
 * The app wiring (API start-up import, courses CLI) passes it; the catalog never imports competency.
 */
export interface FrameworkImportHook {
  importFrameworks(manager: EntityManager, frameworks: FrameworkDefinition[]): Promise<void>;
}

export type PackageOutcome = 'created' | 'new-version' | 'unchanged';

export interface ImportProgress {
  done: number;
  total: number;
  slug: string;
  outcome: PackageOutcome;
  version: number;
}

export interface ImportOptions {
  frameworkHook?: FrameworkImportHook;
  onProgress?: (p: ImportProgress) => void;
  /** Recorded as created_by of new versions. */
  importedBy?: string | null;
}

export interface ImportResult {
  packages: Array<{ slug: string; outcome: PackageOutcome; version: number }>;
  created: number;
  newVersions: number;
  unchanged: number;
  frameworks: number;
}

/** Any constant, the same in every process: one import at a time across replicas. */
const IMPORT_LOCK_KEY = 7_412_005_501;

/**
 * Imports curricula as code. All-or-nothing in ONE transaction; idempotent: a package whose
 * content hash equals the latest published version creates nothing, a changed one becomes the
 * next published (immutable) version. Enrolments keep pointing at the version they started on.
 */
@Injectable()
export class CatalogImportService {
  private readonly logger = new Logger(CatalogImportService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CourseVersionRepository) private readonly versions: CourseVersionRepository,
    @Inject(CatalogCache) private readonly cache: CatalogCache,
  ) {}

  /** Validates the folder (CatalogImportError with every problem when it is not valid), then imports it. */
  async importDirectory(dir: string, options: ImportOptions = {}): Promise<ImportResult> {
    const report = validateCoursesDir(dir);
    if (report.problems.length) throw new CatalogImportError(report.problems);
    return this.importReport(report, options);
  }

  /** Imports an already validated folder. */
  async importReport(report: ValidationReport, options: ImportOptions = {}): Promise<ImportResult> {
    if (report.problems.length) throw new CatalogImportError(report.problems);
    const frameworks = new Map(report.frameworks.map((f) => [f.key, f]));
    try {
      return await this.importInTransaction(report, frameworks, options);
    } finally {
      this.cache.published();
    }
  }

  private async importInTransaction(
    report: ValidationReport,
    frameworks: Map<string, ValidationReport['frameworks'][number]>,
    options: ImportOptions,
  ): Promise<ImportResult> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK_KEY]);
      const schools = await this.resolveSchools(manager, report);
      if (options.frameworkHook) await options.frameworkHook.importFrameworks(manager, report.frameworks);
      const result: ImportResult = { packages: [], created: 0, newVersions: 0, unchanged: 0, frameworks: report.frameworks.length };
      let done = 0;
      for (const pkg of report.packages) {
        const { outcome, version } = await this.importPackage(manager, pkg, schools.get(pkg.school)!, frameworks.get(pkg.framework), options.importedBy ?? null);
        result.packages.push({ slug: pkg.slug, outcome, version });
        if (outcome === 'created') result.created++;
        else if (outcome === 'new-version') result.newVersions++;
        else result.unchanged++;
        options.onProgress?.({ done: ++done, total: report.packages.length, slug: pkg.slug, outcome, version });
      }
      this.logger.log(`imported ${report.packages.length} course package(s): ${result.created} new, ${result.newVersions} new version(s), ${result.unchanged} unchanged`);
      return result;
    });
  }

  /** True when no course exists yet (the embedded first start imports courses/ then). */
  async catalogIsEmpty(): Promise<boolean> {
    const rows = (await this.dataSource.query(`SELECT NOT EXISTS (SELECT 1 FROM course) AS empty`)) as Array<{ empty: boolean }>;
    return rows[0].empty;
  }

  /** Every school code named by the packages must be an org unit of kind `school`; else nothing is imported. */
  private async resolveSchools(manager: EntityManager, report: ValidationReport): Promise<Map<string, OrgUnit>> {
    const packages = report.packages;
    const codes = [...new Set(packages.map((p) => p.school))];
    const units = codes.length ? await manager.getRepository(OrgUnit).createQueryBuilder('o').where('o.code IN (:...codes)', { codes }).getMany() : [];
    const byCode = new Map(units.map((u) => [u.code, u]));
    const problems: PackageProblem[] = [];
    for (const pkg of packages) {
      const unit = byCode.get(pkg.school);
      if (!unit) {
        problems.push({ file: join(report.dir, pkg.slug, 'course.yaml'), field: 'school', message: `no org unit with code "${pkg.school}": create the school (kind school) first, then import again` });
      } else if (unit.kind !== 'school') {
        problems.push({ file: join(report.dir, pkg.slug, 'course.yaml'), field: 'school', message: `org unit ${pkg.school} is a ${unit.kind}, not a school` });
      }
    }
    if (problems.length) throw new CatalogImportError(problems);
    return byCode;
  }

  private async importPackage(
    manager: EntityManager,
    pkg: CoursePackage,
    school: OrgUnit,
    framework: FrameworkDefinition | undefined,
    importedBy: string | null,
  ): Promise<{ outcome: PackageOutcome; version: number }> {
    const hash = contentHash(pkg);
    let course = await this.versions.findCourseBySlugForUpdate(manager, pkg.slug);
    const isNew = !course;
    if (!course) course = await this.versions.insertCourse(manager, pkg.slug, school.id);
    else if (course.schoolOrgUnitId !== school.id) await this.versions.moveCourse(manager, course.id, school.id);
    const latest = isNew ? null : await this.versions.latestPublished(manager, course.id);
    if (latest && latest.contentHash === hash) return { outcome: 'unchanged', version: latest.version };
    const created = await this.versions.insertPublished(manager, course.id, { pkg, contentHash: hash, searchText: searchTextOf(pkg, framework), createdBy: importedBy });
    return { outcome: isNew ? 'created' : 'new-version', version: created.version };
  }
}
