import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, Page, pageOf, Principal } from '@lms/platform';
import { CompletionFactRepository } from './completion-fact.repository.js';
import { CompletionFilter, CompletionReportRepository, CompletionRow } from './completion-report.repository.js';
import type { CsvColumn } from './csv.js';
import { ReportScope, ScopeUnit } from './report-scope.service.js';

export interface CompletionReportQuery {
  orgUnitId?: string;
  courseSlug?: string;
  source?: 'all' | 'assignment' | 'self';
  rollup?: boolean;
  page: number;
  limit: number;
}

export interface CompletionReportPage extends Page<CompletionRow> {
  /** When the numbers were computed (the last 'reports.refresh'). */
  asOf: Date | null;
  rollup: boolean;
  /** The units whose subtrees the report covers. */
  scope: Array<Pick<ScopeUnit, 'id' | 'code' | 'name'>>;
}

export const COMPLETION_CSV_COLUMNS: ReadonlyArray<CsvColumn<CompletionRow>> = [
  { header: 'org_unit_id', value: (r) => r.orgUnitId },
  { header: 'org_unit_code', value: (r) => r.orgUnitCode },
  { header: 'org_unit_name', value: (r) => r.orgUnitName },
  { header: 'depth', value: (r) => r.depth },
  { header: 'course_slug', value: (r) => r.courseSlug },
  { header: 'course_title', value: (r) => r.courseTitle },
  { header: 'enrolled', value: (r) => r.enrolled },
  { header: 'assigned', value: (r) => r.assigned },
  { header: 'not_started', value: (r) => r.notStarted },
  { header: 'in_progress', value: (r) => r.inProgress },
  { header: 'completed', value: (r) => r.completed },
  { header: 'overdue', value: (r) => r.overdue },
  { header: 'completion_rate', value: (r) => r.completionRate },
];

/**
 * Completion per unit and course, for HR within its scope and for admins. Reads the aggregate
 * that 'reports.refresh' keeps (report_completion_fact); the first report after installation
 * builds it on the spot.
 */
@Injectable()
export class CompletionReportService {
  constructor(
    @Inject(ReportScope) private readonly scope: ReportScope,
    @Inject(CompletionReportRepository) private readonly reports: CompletionReportRepository,
    @Inject(CompletionFactRepository) private readonly facts: CompletionFactRepository,
  ) {}

  async page(principal: Principal, query: CompletionReportQuery): Promise<CompletionReportPage> {
    const { filter, units } = await this.prepare(principal, query);
    const asOf = await this.ensureBuilt();
    const { items, total } = await this.reports.page(filter, (query.page - 1) * query.limit, query.limit);
    return {
      ...pageOf(items, total, query),
      asOf,
      rollup: filter.rollup,
      scope: units.map((u) => ({ id: u.id, code: u.code, name: u.name })),
    };
  }

  /** Checks scope and filters first (so errors are proper 4xx answers), then streams every row. */
  async export(principal: Principal, query: Omit<CompletionReportQuery, 'page' | 'limit'>): Promise<AsyncGenerator<CompletionRow[]>> {
    const { filter } = await this.prepare(principal, query);
    await this.ensureBuilt();
    return this.reports.stream(filter);
  }

  private async prepare(principal: Principal, query: Omit<CompletionReportQuery, 'page' | 'limit'>): Promise<{ filter: CompletionFilter; units: ScopeUnit[] }> {
    const { units, prefixes } = await this.scope.resolve(principal, query.orgUnitId);
    let courseId: string | null = null;
    if (query.courseSlug) {
      courseId = await this.reports.courseIdBySlug(query.courseSlug);
      if (!courseId) throw new NotFoundError('Course', query.courseSlug);
    }
    const source = query.source && query.source !== 'all' ? query.source : null;
    return { units, filter: { prefixes, courseId, source, rollup: query.rollup ?? false } };
  }

  private async ensureBuilt(): Promise<Date | null> {
    const last = await this.facts.lastRefreshed();
    if (last) return last;
    return (await this.facts.rebuild({ wait: true })).refreshedAt ?? (await this.facts.lastRefreshed());
  }
}
