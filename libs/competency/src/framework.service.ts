import { Inject, Injectable } from '@nestjs/common';
import { Page, pageOf } from '@lms/platform';
import { FrameworkNotFoundError } from './competency.errors.js';
import { buildCompetencyTree, CompetencyTreeNode, FrameworkLevel, LangMap } from './framework-file.js';
import { FrameworkRepository, FrameworkSummaryRow } from './framework.repository.js';

export interface FrameworkView {
  key: string;
  version: number;
  /** Every version kept, oldest first. */
  versions: number[];
  title: LangMap;
  description: LangMap | null;
  source: string | null;
  importedAt: Date;
  levels: FrameworkLevel[];
  competencies: CompetencyTreeNode[];
}

/** Reading frameworks: the list and one version with levels, tree and crosswalk. */
@Injectable()
export class FrameworkService {
  constructor(@Inject(FrameworkRepository) private readonly frameworks: FrameworkRepository) {}

  async list(query: { page: number; limit: number }): Promise<Page<FrameworkSummaryRow>> {
    const { rows, total } = await this.frameworks.listLatest((query.page - 1) * query.limit, query.limit);
    return pageOf(rows, total, query);
  }

  /** The latest version, or the one asked for. */
  async get(key: string, version?: number): Promise<FrameworkView> {
    const framework = version === undefined ? await this.frameworks.findLatest(key) : await this.frameworks.findVersion(key, version);
    if (!framework) throw new FrameworkNotFoundError(key, version);
    const [versions, rows] = await Promise.all([this.frameworks.versionsOf(key), this.frameworks.competenciesOf(framework.id)]);
    return {
      key: framework.key,
      version: framework.version,
      versions,
      title: framework.title,
      description: framework.description,
      source: framework.source,
      importedAt: framework.importedAt,
      levels: framework.levels,
      competencies: buildCompetencyTree(rows),
    };
  }
}
