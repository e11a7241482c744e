import { Inject, Injectable } from '@nestjs/common';
import { GENDERS, LOCALITIES } from '@lms/identity';
import { CellCount, DEFAULT_THRESHOLD, GroupCounts, protectTable, protectTotals, PublishedCells, PublishedRow, TotalCounts } from './disclosure-control.js';
import type { CsvColumn } from './csv.js';
import { OPEN_DATA_DIMENSIONS, OpenDataDimension } from './open-data-table.entity.js';
import { OpenDataCount, OpenDataRepository } from './open-data.repository.js';

/** Open data is rebuilt at most this often: a daily publication limits differencing over time. */
export const OPEN_DATA_MAX_AGE_MS = 24 * 60 * 60 * 1000;
export const NOT_RECORDED = 'not_recorded';
export const NO_INSTITUTION = '_none';
export const TOTAL_KEY = '_total';

export interface OpenDataDocument {
  dimension: OpenDataDimension;
  generatedAt: Date;
  /** What is counted: enrolments that are not withdrawn. */
  unit: 'enrolment';
  threshold: number;
  method: string;
  rows: PublishedRow[];
  total: PublishedCells;
}

export interface OpenDataRefresh {
  generated: boolean;
  generatedAt: Date | null;
  durationMs: number;
}

const METHOD =
  'Cell suppression: a cell counting fewer than 5 enrolments or fewer than 5 distinct people is hidden (null), and further cells are hidden until no hidden cell can be derived from the published rows and totals. See docs/open-data.md.';

const FIXED_GROUPS: Partial<Record<OpenDataDimension, readonly string[]>> = {
  gender: [...GENDERS, NOT_RECORDED],
  locality: [...LOCALITIES, NOT_RECORDED],
};

function words(key: string): string {
  const text = key.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const OPEN_DATA_CSV_COLUMNS: ReadonlyArray<CsvColumn<PublishedRow & { dimension: string }>> = [
  { header: 'dimension', value: (r) => r.dimension },
  { header: 'key', value: (r) => r.key },
  { header: 'label', value: (r) => r.label },
  { header: 'enrolled', value: (r) => r.enrolled },
  { header: 'completed', value: (r) => r.completed },
  { header: 'not_completed', value: (r) => r.notCompleted },
  { header: 'completion_rate', value: (r) => r.completionRate },
];

/**
 * Public, aggregate completion statistics. The tables are computed and protected by the
 * 'reports.refresh' job (at most once a day) and stored; the public endpoint only reads them, so
 * anonymous traffic never runs the heavy query and every reader sees the same protected numbers.
 */
@Injectable()
export class OpenDataService {
  constructor(@Inject(OpenDataRepository) private readonly repo: OpenDataRepository) {}

  /** The stored table; built on the spot when none has been built yet (first start). */
  async table(dimension: OpenDataDimension): Promise<OpenDataDocument> {
    let stored = await this.repo.table(dimension);
    if (!stored) {
      await this.refresh({ force: true, wait: true });
      stored = await this.repo.table(dimension);
    }
    if (!stored) throw new Error(`open-data table ${dimension} was not built`);
    return {
      dimension,
      generatedAt: stored.generatedAt,
      unit: 'enrolment',
      threshold: DEFAULT_THRESHOLD,
      method: METHOD,
      rows: stored.payload.rows,
      total: stored.payload.total,
    };
  }

  /**
   * Rebuilds every table when the last build is older than a day (or `force`). Concurrent callers
   * skip (or, with `wait`, queue) behind a build that is running.
   */
  async refresh(options: { force?: boolean; wait?: boolean } = {}): Promise<OpenDataRefresh> {
    if (!options.force) {
      const last = await this.repo.lastGenerated();
      if (last && Date.now() - last.getTime() < OPEN_DATA_MAX_AGE_MS) return { generated: false, generatedAt: last, durationMs: 0 };
    }
    const started = Date.now();
    const result = await this.repo.withLock(options.wait ?? false, async (manager) => {
      const counts = await this.repo.counts(manager);
      const labels = await this.repo.labels(manager);
      const tables = buildTables(counts, labels);
      const generatedAt = await this.repo.store(manager, tables, Date.now() - started);
      return generatedAt;
    });
    return { generated: result !== null, generatedAt: result, durationMs: Date.now() - started };
  }
}

/** Groups the raw counts into one protected table per dimension. Exported for tests. */
export function buildTables(
  counts: readonly OpenDataCount[],
  labels: { institutions: Map<string, string>; courses: Map<string, { slug: string; title: string }> },
  threshold = DEFAULT_THRESHOLD,
): Array<{ dimension: OpenDataDimension; payload: ReturnType<typeof protectTable> }> {
  const zero = (): CellCount => ({ value: 0, people: 0 });
  const cells = new Map<string, TotalCounts>();
  const at = (dimension: string, key: string): TotalCounts => {
    const id = `${dimension}\u0000${key}`;
    let c = cells.get(id);
    if (!c) cells.set(id, (c = { enrolled: zero(), completed: zero(), notCompleted: zero() }));
    return c;
  };
  for (const row of counts) {
    const target = at(row.dimension, row.key);
    const cell = { value: row.value, people: row.people };
    if (row.done === null) target.enrolled = cell;
    else if (row.done) target.completed = cell;
    else target.notCompleted = cell;
  }
  const total = at('total', '');
  const totals = protectTotals(total, threshold);

  return OPEN_DATA_DIMENSIONS.map((dimension) => {
    const observed = [...cells.keys()].filter((id) => id.startsWith(`${dimension}\u0000`)).map((id) => id.slice(dimension.length + 1));
    const fixed = FIXED_GROUPS[dimension] ?? [];
    const keys = [...fixed, ...observed.filter((k) => !fixed.includes(k)).sort()];
    const groups: GroupCounts[] = keys.map((key) => ({ ...label(dimension, key, labels), ...at(dimension, key) }));
    if (dimension === 'course') groups.sort((a, b) => a.key.localeCompare(b.key));
    if (dimension === 'institution') groups.sort((a, b) => (a.key === NO_INSTITUTION ? 1 : b.key === NO_INSTITUTION ? -1 : a.label.localeCompare(b.label)));
    if (dimension === 'year') groups.sort((a, b) => Number(a.key) - Number(b.key));
    return { dimension, payload: protectTable(groups, total, totals, threshold) };
  });
}

function label(
  dimension: OpenDataDimension,
  key: string,
  labels: { institutions: Map<string, string>; courses: Map<string, { slug: string; title: string }> },
): { key: string; label: string } {
  switch (dimension) {
    case 'institution':
      return { key, label: key === NO_INSTITUTION ? 'Not under an institution' : (labels.institutions.get(key) ?? key) };
    case 'course': {
      const course = labels.courses.get(key);
      return course ? { key: course.slug, label: course.title } : { key, label: key };
    }
    case 'year':
      return { key, label: key };
    case 'gender':
    case 'locality':
      return { key, label: words(key) };
  }
}
