import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FrameworkVersionChangedError } from './competency.errors.js';
import { diffCompetencies, flattenFramework, frameworkContentHash, FrameworkFile, parseFrameworkYaml, validateFrameworkFile } from './framework-file.js';
import { FrameworkRepository } from './framework.repository.js';

export interface FrameworkImportResult {
  key: string;
  version: number;
  /** `created`: a new version was stored; `unchanged`: the same version with the same content was there already. */
  status: 'created' | 'unchanged';
  competencies: number;
  /** The version the new one is compared with (the highest below it), null for the first. */
  previousVersion: number | null;
  added: string[];
  removed: string[];
  changed: string[];
}

export interface FrameworkImportOptions {
  /** Run inside the caller's transaction (the courses CLI imports everything all-or-nothing). */
  manager?: EntityManager;
}

/**
 * Imports competency frameworks (`courses/frameworks/<key>.yaml`). Versioned and idempotent:
 * importing the same version again with the same content does nothing; a new version is stored next
 * to the old ones (evidence recorded under an old version keeps its meaning) and the result names
 * the codes added, removed and changed. Changing the content of an imported version is refused.
 *
 * The courses CLI (catalog) calls `importFramework(parsed, { manager })` for each framework file,
 * before the courses, in its own transaction.
 */
@Injectable()
export class FrameworkImportService {
  private readonly logger = new Logger(FrameworkImportService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(FrameworkRepository) private readonly frameworks: FrameworkRepository,
  ) {}

  /** Imports one parsed framework file (any object; it is validated here, ValidationError on problems). */
  async importFramework(input: FrameworkFile | unknown, options: FrameworkImportOptions = {}): Promise<FrameworkImportResult> {
    const file = validateFrameworkFile(input);
    const result = options.manager ? await this.importIn(options.manager, file) : await this.dataSource.transaction((m) => this.importIn(m, file));
    if (result.status === 'created') {
      this.logger.log(
        `framework ${result.key} v${result.version}: ${result.competencies} competencies` +
          (result.previousVersion ? ` (vs v${result.previousVersion}: +${result.added.length} -${result.removed.length} ~${result.changed.length})` : ''),
      );
    }
    return result;
  }

  /** Reads, parses and imports one YAML file. */
  async importFile(path: string, options: FrameworkImportOptions = {}): Promise<FrameworkImportResult> {
    const text = await readFile(path, 'utf8');
    return this.importFramework(parseFrameworkYaml(text, basename(path)), options);
  }

  /** Every `*.yaml`/`*.yml` in a directory (e.g. `courses/frameworks`), in name order. */
  async importDirectory(dir: string, options: FrameworkImportOptions = {}): Promise<FrameworkImportResult[]> {
    const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
    const files = await Promise.all(names.map(async (n) => parseFrameworkYaml(await readFile(join(dir, n), 'utf8'), n)));
    const run = async (manager: EntityManager): Promise<FrameworkImportResult[]> => {
      const out: FrameworkImportResult[] = [];
      for (const f of files) out.push(await this.importFramework(f, { manager }));
      return out;
    };
    return options.manager ? run(options.manager) : this.dataSource.transaction(run);
  }

  private async importIn(manager: EntityManager, file: FrameworkFile): Promise<FrameworkImportResult> {
    await this.frameworks.lockKey(manager, file.key);
    const hash = frameworkContentHash(file);
    const flat = flattenFramework(file);
    const existing = await this.frameworks.findVersion(file.key, file.version, manager);
    const previous = await this.frameworks.findPreviousVersion(file.key, file.version, manager);
    const base = { key: file.key, version: file.version, competencies: flat.length, previousVersion: previous?.version ?? null };
    if (existing) {
      if (existing.contentHash !== hash) throw new FrameworkVersionChangedError(file.key, file.version);
      return { ...base, status: 'unchanged', added: [], removed: [], changed: [] };
    }
    const id = await this.frameworks.insertFramework(manager, file, hash);
    await this.frameworks.insertCompetencies(manager, id, flat);
    const diff = previous ? diffCompetencies(await this.frameworks.competenciesOf(previous.id, manager), flat) : { added: flat.map((c) => c.code), removed: [], changed: [] };
    return { ...base, status: 'created', ...diff };
  }
}
