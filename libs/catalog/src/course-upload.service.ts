import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ValidationError } from '@lms/platform';
import type { Principal } from '@lms/platform';
import { PackageZip, UnsafeZipError, type ZipLimits } from '@lms/storage';
import { CatalogImportError } from './catalog.errors.js';
import { CourseAuthoringService, type VersionSummary } from './course-authoring.service.js';
import { FrameworkSource } from './framework-source.js';
import { validatePackageFiles } from './package/package-validator.js';
import type { PackageProblem } from './package/package.types.js';

/**
 * Limits of a course-folder zip: a course is YAML and Markdown, so a few hundred small files at
 * most (the SCORM importer allows far more for media). Checked while reading, before inflating.
 */
export const COURSE_ZIP_LIMITS: ZipLimits = { maxEntries: 500, maxFileBytes: 2 * 1024 * 1024, maxTotalBytes: 20 * 1024 * 1024, maxRatio: 100 };
/** The largest upload accepted (compressed bytes). */
export const COURSE_ZIP_MAX_BYTES = 10 * 1024 * 1024;

export interface CourseUploadResult {
  slug: string;
  /** The saved draft; null for a dry run. */
  draft: VersionSummary | null;
  dryRun: boolean;
}

/**
 * An author uploads a zip of a `courses/<slug>/` folder (the curricula-as-code format). The zip is
 * read in memory (limits, zip-slip and symlinks refused), every file is validated with the same
 * rules as `npm run courses -- validate`, and only a package without a single problem becomes the
 * course's draft. Problems (422 catalog_import_failed) name the zip path, line, column and field.
 */
@Injectable()
export class CourseUploadService {
  constructor(
    @Inject(CourseAuthoringService) private readonly authoring: CourseAuthoringService,
    @Inject(FrameworkSource) private readonly frameworks: FrameworkSource,
  ) {}

  async upload(principal: Principal, zipBytes: Buffer, options: { dryRun?: boolean } = {}): Promise<CourseUploadResult> {
    if (zipBytes.length > COURSE_ZIP_MAX_BYTES) throw new CatalogImportError([{ file: '(zip)', field: '', message: `is ${zipBytes.length} bytes; at most ${COURSE_ZIP_MAX_BYTES} are allowed` }]);
    const entries = await readZip(zipBytes);
    const { package: pkg, problems } = validatePackageFiles(entries, this.frameworks.list());
    if (!pkg) throw new CatalogImportError(problems);
    const courseFile = [...entries.keys()].find((p) => p.endsWith(`${pkg.slug}/course.yaml`)) ?? 'course.yaml';
    try {
      const draft = await this.authoring.saveDraftFromPackage(principal, pkg, options.dryRun === true);
      return { slug: pkg.slug, draft, dryRun: options.dryRun === true };
    } catch (e) {
      // The school named in course.yaml is not one the author may write for: point at it.
      if (e instanceof ValidationError) throw new CatalogImportError(e.errors.map((x) => atField(entries.get(courseFile), courseFile, x.field.replace(/^course\./, ''), x.message)));
      throw e;
    }
  }
}

async function readZip(bytes: Buffer): Promise<Map<string, Uint8Array>> {
  const entries = new Map<string, Uint8Array>();
  try {
    const zip = await PackageZip.open(bytes, COURSE_ZIP_LIMITS);
    await zip.extract(async (path, stream) => {
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      entries.set(path, Buffer.concat(chunks));
    });
  } catch (e) {
    if (e instanceof UnsafeZipError) throw new CatalogImportError([{ file: e.problem.file, field: '', message: e.problem.message }]);
    if (e instanceof DomainError) throw e;
    throw new CatalogImportError([{ file: '(zip)', field: '', message: 'could not be read as a zip archive' }]);
  }
  return entries;
}

/** A problem at a top-level field of course.yaml, with the line of its key when it is there. */
function atField(bytes: Uint8Array | undefined, file: string, field: string, message: string): PackageProblem {
  const lines = bytes ? Buffer.from(bytes).toString('utf8').split('\n') : [];
  const index = lines.findIndex((l) => l.startsWith(`${field}:`));
  return { file, ...(index >= 0 ? { line: index + 1, column: 1 } : {}), field, message };
}
