import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CourseAuthoringService, type VersionSummary } from '@lms/catalog';
import { DomainError, type Principal } from '@lms/platform';
import { manifestFileOf, type ParsedPackage, parseCmi5, parseScormManifest } from './package-manifest.js';
import { DEFAULT_ZIP_LIMITS, FileStorage, PackageZip, type ZipProblem as PackageProblem, UnsafeZipError, type ZipLimits } from '@lms/storage';

/** A package the importer refuses: every problem by file and element (400). */
export class PackageInvalidError extends DomainError {
  constructor(problems: PackageProblem[]) {
    super(
      'package_invalid',
      'The package is not a valid SCORM 1.2, SCORM 2004 (3rd or 4th edition) or cmi5 package',
      400,
      { errors: problems.slice(0, 100).map((p) => ({ field: p.element ? `${p.file} ${p.element}` : p.file, message: p.message })) },
    );
  }
}

export interface ImportedPackage {
  id: string;
  standard: ParsedPackage['standard'];
  edition: string | null;
  title: string;
  fileCount: number;
  activities: Array<{ identifier: string; title: string; lessonSlug: string; kind: string }>;
  draft: VersionSummary;
}

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8', htm: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8', json: 'application/json', xml: 'application/xml', xsd: 'application/xml', txt: 'text/plain; charset=utf-8',
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', svg: 'image/svg+xml', webp: 'image/webp', ico: 'image/x-icon',
  mp3: 'audio/mpeg', mp4: 'video/mp4', webm: 'video/webm', ogg: 'audio/ogg', wav: 'audio/wav', vtt: 'text/vtt',
  woff: 'font/woff', woff2: 'font/woff2', ttf: 'font/ttf', otf: 'font/otf', pdf: 'application/pdf',
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[path.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

/**
 * Imports a package zip into a course (docs/interop.md): checks the zip (limits, zip-slip,
 * symlinks), validates the manifest, stores the files under `packages/<id>/`, records the
 * package and its activities, and appends one lesson per activity to the course's draft
 * (through the catalog's authoring service, so the same author rules and validation apply).
 */
@Injectable()
export class PackageImportService {
  private readonly logger = new Logger(PackageImportService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CourseAuthoringService) private readonly authoring: CourseAuthoringService,
    @Inject(FileStorage) private readonly storage: FileStorage,
  ) {}

  async import(principal: Principal, slug: string, zipBytes: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ImportedPackage> {
    // The author rule and the draft come from the catalog (404 without a draft, 403 for another school).
    const draft = await this.authoring.getDraft(principal, slug);
    const parsed = await this.check(zipBytes, limits);
    const { zip, pkg } = parsed;
    const [{ id: courseId }] = (await this.ds.query(`SELECT id FROM course WHERE slug = $1`, [slug])) as Array<{ id: string }>;
    const [{ id }] = (await this.ds.query(`SELECT gen_random_uuid() AS id`)) as Array<{ id: string }>;
    const prefix = `packages/${id}/`;
    let bytes = 0;
    try {
      await zip.extract(async (path, stream) => {
        const chunks: Buffer[] = [];
        for await (const c of stream) chunks.push(c as Buffer);
        const data = Buffer.concat(chunks);
        bytes += data.length;
        await this.storage.put(`${prefix}${path}`, data, contentTypeOf(path));
      });
      const short = id.replace(/-/g, '').slice(0, 8);
      const activities = pkg.activities.map((a, i) => ({ ...a, lessonSlug: `pkg-${short}-${i + 1}` }));
      await this.ds.transaction(async (m) => {
        await m.query(
          `INSERT INTO content_package (id, course_id, standard, edition, identifier, title, file_count, byte_size, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [id, courseId, pkg.standard, pkg.edition, pkg.identifier, pkg.title, zip.files.length, bytes, principal.userId],
        );
        await m.query(
          `INSERT INTO package_activity (package_id, course_id, position, identifier, title, launch, kind, mastery_score, move_on, lesson_slug)
           SELECT $1, $2, r.position, r.identifier, r.title, r.launch, r.kind, r.mastery_score, r.move_on, r.lesson_slug
             FROM jsonb_to_recordset($3::jsonb) AS r(position int, identifier text, title text, launch text, kind text, mastery_score float8, move_on text, lesson_slug text)`,
          [id, courseId, JSON.stringify(activities.map((a, i) => ({ position: i + 1, identifier: a.identifier, title: a.title, launch: a.launch, kind: a.kind, mastery_score: a.masteryScore, move_on: a.moveOn, lesson_slug: a.lessonSlug })))],
        );
      });
      const languages = (draft.course.languages as string[] | undefined) ?? [String(draft.course.defaultLanguage)];
      const lessons = [
        ...draft.lessons,
        ...activities.map((a) => ({
          slug: a.lessonSlug,
          title: Object.fromEntries(languages.map((l) => [l, a.title.slice(0, 200)])),
          minutes: 15,
          required: true,
          body: Object.fromEntries(languages.map((l) => [l, a.title])),
        })),
      ];
      const body = { course: { ...draft.course, lessons: lessons.map((l) => (l as { slug: string }).slug) }, lessons, ...(draft.quiz ? { quiz: draft.quiz } : {}) };
      const summary = await this.authoring.putDraft(principal, slug, body);
      this.logger.log(`package ${id} (${pkg.standard}, ${zip.files.length} files) imported into the draft of ${slug}`);
      return { id, standard: pkg.standard, edition: pkg.edition, title: pkg.title, fileCount: zip.files.length, activities: activities.map((a) => ({ identifier: a.identifier, title: a.title, lessonSlug: a.lessonSlug, kind: a.kind })), draft: summary };
    } catch (e) {
      // Nothing half-imported stays: the package rows and its files go.
      await this.ds.query(`DELETE FROM content_package WHERE id = $1`, [id]).catch(() => undefined);
      await this.storage.deletePrefix(prefix).catch(() => undefined);
      if (e instanceof UnsafeZipError) throw new PackageInvalidError([e.problem]);
      throw e;
    }
  }

  /** Opens the zip and validates its manifest, without storing anything. */
  check(zipBytes: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<{ zip: PackageZip; pkg: ParsedPackage }> {
    return checkPackage(zipBytes, limits);
  }
}

/** Opens a package zip and validates its manifest (no database, no storage: also `courses package <zip>`). */
export async function checkPackage(zipBytes: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<{ zip: PackageZip; pkg: ParsedPackage }> {
  try {
    const zip = await PackageZip.open(zipBytes, limits);
    const names = new Set(zip.files.map((f) => f.path));
    const manifest = manifestFileOf(names);
    if (!manifest) throw new PackageInvalidError([{ file: '(zip)', message: 'has neither imsmanifest.xml (SCORM) nor cmi5.xml (cmi5) at its root' }]);
    const xml = await zip.read(manifest);
    const result = manifest === 'cmi5.xml' ? parseCmi5(xml, names) : parseScormManifest(xml, names);
    if (!result.package) throw new PackageInvalidError(result.problems);
    return { zip, pkg: result.package };
  } catch (e) {
    if (e instanceof UnsafeZipError) throw new PackageInvalidError([e.problem]);
    throw e;
  }
}
