import { Inject, Injectable } from '@nestjs/common';
import { GENDERS, LOCALITIES } from '@lms/identity';
import { CellCount, DEFAULT_THRESHOLD, GroupCounts, protectTable, protectTotals, PublishedCells, PublishedRow, PublishedTable, TotalCounts } from './disclosure-control.js';
import type { CsvColumn } from './csv.js';
import { OPEN_DATA_DIMENSIONS, OpenDataDimension } from './open-data-table.entity.js';
import { HubInstitution, OpenDataCount, OpenDataRepository } from './open-data.repository.js';

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
  /** The country the table is restricted to (ISO 3166-1 alpha-2), null = every country. */
  country: string | null;
  /** The hub institution the table is restricted to, null = every institution. */
  institution: OpenDataInstitution | null;
  rows: OpenDataRow[];
  total: PublishedCells;
}

export interface OpenDataInstitution {
  id: string;
  code: string;
  /** In the requested language (then English, then any). */
  name: string;
  country: string | null;
}

/** A published row, with the scope it was published in. */
export interface OpenDataRow extends PublishedRow {
  country: string | null;
  institution: { code: string; name: string } | null;
}

/** Name of an institution in `lang` (or its base language), then English, then any. */
export function institutionName(hub: HubInstitution, lang: string | undefined): string {
  const names = hub.names ?? {};
  const base = lang?.split('-')[0];
  return (lang && names[lang]) || (base && names[base]) || names.en || Object.values(names)[0] || hub.code;
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

export const OPEN_DATA_CSV_COLUMNS: ReadonlyArray<CsvColumn<OpenDataRow & { dimension: string }>> = [
  { header: 'country', value: (r) => r.country ?? '' },
  { header: 'institution_code', value: (r) => r.institution?.code ?? '' },
  { header: 'institution_name', value: (r) => r.institution?.name ?? '' },
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

  /** The hub institution with this id or root-unit code (codes compare without case); null when none. */
  async findInstitution(ref: string): Promise<HubInstitution | null> {
    const hubs = await this.repo.hubs();
    return hubs.find((h) => h.id === ref) ?? hubs.find((h) => h.code.toLowerCase() === ref.toLowerCase()) ?? null;
  }

  /** The hub institutions and countries a table can be restricted to (for selectors). */
  async scopes(lang?: string): Promise<{ countries: string[]; institutions: OpenDataInstitution[] }> {
    const hubs = await this.repo.hubs();
    const institutions = hubs.map((h) => ({ id: h.id, code: h.code, name: institutionName(h, lang), country: h.country }));
    institutions.sort((a, b) => a.name.localeCompare(b.name));
    return { countries: [...new Set(hubs.map((h) => h.country).filter((c): c is string => c !== null))].sort(), institutions };
  }

  /**
   * The stored table of one scope; built on the spot when none has been built yet (first start).
   * Null when there is no such scope (a country with no institution on this instance).
   */
  async table(
    dimension: OpenDataDimension,
    filter: { country?: string; institution?: HubInstitution; lang?: string } = {},
  ): Promise<OpenDataDocument | null> {
    const hub = filter.institution;
    const scope: OpenDataScope = hub ? { kind: 'institution', institutionId: hub.id } : filter.country ? { kind: 'country', country: filter.country } : { kind: 'all' };
    const key = tableKey(dimension, scope);
    let stored = await this.repo.table(key);
    if (!stored && !(await this.repo.lastGenerated())) {
      await this.refresh({ force: true, wait: true });
      stored = await this.repo.table(key);
    }
    const newScope = scope.kind === 'institution' || (scope.kind === 'country' && (await this.repo.hubs()).some((h) => h.country === scope.country));
    if (!stored && newScope) {
      // An institution (or a country's first one) added since the last build: build once now.
      await this.refresh({ force: true, wait: true });
      stored = await this.repo.table(key);
    }
    if (!stored) {
      if (scope.kind === 'all') throw new Error(`open-data table ${dimension} was not built`);
      return null;
    }
    const country = hub ? hub.country : (filter.country ?? null);
    const institution = hub ? { id: hub.id, code: hub.code, name: institutionName(hub, filter.lang), country: hub.country } : null;
    const rowScope = { country, institution: institution ? { code: institution.code, name: institution.name } : null };
    return {
      dimension,
      generatedAt: stored.generatedAt,
      unit: 'enrolment',
      threshold: DEFAULT_THRESHOLD,
      method: METHOD,
      country,
      institution,
      rows: stored.payload.rows.map((r) => ({ ...r, ...rowScope })),
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
      const hubs = await this.repo.hubs(manager);
      const tables = buildTables(counts, labels, DEFAULT_THRESHOLD, hubs);
      const generatedAt = await this.repo.store(manager, tables, Date.now() - started);
      return generatedAt;
    });
    return { generated: result !== null, generatedAt: result, durationMs: Date.now() - started };
  }
}

export type OpenDataLabels = { institutions: Map<string, string>; courses: Map<string, { slug: string; title: string }> };

/** Where a table is published: the whole instance, one country, or one hub institution. */
export type OpenDataScope = { kind: 'all' } | { kind: 'country'; country: string } | { kind: 'institution'; institutionId: string };

/** The storage key of a table (`open_data_table.dimension`). */
export function tableKey(dimension: OpenDataDimension, scope: OpenDataScope = { kind: 'all' }): string {
  if (scope.kind === 'country') return `${dimension}@country:${scope.country}`;
  if (scope.kind === 'institution') return `${dimension}@institution:${scope.institutionId}`;
  return dimension;
}

type ScopeCells = Map<string, TotalCounts>;
type ScopeTables = Map<OpenDataDimension, PublishedTable>;
const COLS = ['enrolled', 'completed', 'notCompleted'] as const;
const REST = '\u0000rest';

/**
 * Groups the raw counts into protected tables: per dimension for the whole instance, for every
 * country that has institutions and for every hub institution. Exported for tests.
 *
 * Protection across levels (docs/open-data.md, "Countries and institutions"): the people are
 * partitioned by hub institution (plus "the rest": people in no institution's tree). Each part's
 * tables are protected on their own. A country's or the instance's table starts with every cell
 * hidden whose parts are not all published (and then gets its own primary and secondary
 * suppression), so every number published above an institution is the sum of numbers already
 * published for its parts: subtracting published tables can never give a hidden cell.
 */
export function buildTables(
  counts: readonly OpenDataCount[],
  labels: OpenDataLabels,
  threshold = DEFAULT_THRESHOLD,
  hubs: ReadonlyArray<{ id: string; country: string | null }> = [],
): Array<{ dimension: string; payload: PublishedTable }> {
  const zero = (): CellCount => ({ value: 0, people: 0 });
  const parts = new Map<string, ScopeCells>();
  const at = (cells: ScopeCells, dimension: string, key: string): TotalCounts => {
    const id = `${dimension}\u0000${key}`;
    let c = cells.get(id);
    if (!c) cells.set(id, (c = { enrolled: zero(), completed: zero(), notCompleted: zero() }));
    return c;
  };
  for (const row of counts) {
    const part = row.hub ?? REST;
    let cells = parts.get(part);
    if (!cells) parts.set(part, (cells = new Map()));
    const target = at(cells, row.dimension, row.key);
    const cell = { value: row.value, people: row.people };
    if (row.done === null) target.enrolled = cell;
    else if (row.done) target.completed = cell;
    else target.notCompleted = cell;
  }

  /** Protects the union of `members` (disjoint parts); cells not published in every child table start hidden. */
  const protectScope = (members: readonly string[], children: readonly ScopeTables[]): ScopeTables => {
    const cells: ScopeCells = new Map();
    for (const m of members) {
      for (const [id, c] of parts.get(m) ?? []) {
        const [dimension, key] = id.split('\u0000');
        const target = at(cells, dimension, key);
        for (const col of COLS) target[col] = { value: target[col].value + c[col].value, people: target[col].people + c[col].people };
      }
    }
    const total = at(cells, 'total', '');
    const own = protectTotals(total, threshold);
    const hide = (col: (typeof COLS)[number]): boolean => own[col] || children.some((t) => t.get('course')!.total[col] === null);
    let totals = { enrolled: hide('enrolled'), completed: hide('completed'), notCompleted: hide('notCompleted') };
    if (totals.enrolled) totals = { enrolled: true, completed: true, notCompleted: true };
    else if (totals.completed || totals.notCompleted) totals = { enrolled: false, completed: true, notCompleted: true };
    const out: ScopeTables = new Map();
    for (const dimension of OPEN_DATA_DIMENSIONS) {
      const observed = [...cells.keys()].filter((id) => id.startsWith(`${dimension}\u0000`)).map((id) => id.slice(dimension.length + 1));
      const fixed = FIXED_GROUPS[dimension] ?? [];
      const keys = [...fixed, ...observed.filter((k) => !fixed.includes(k)).sort()];
      const groups: GroupCounts[] = keys.map((key) => ({ ...label(dimension, key, labels), ...at(cells, dimension, key) }));
      if (dimension === 'course') groups.sort((a, b) => a.key.localeCompare(b.key));
      if (dimension === 'institution') groups.sort((a, b) => (a.key === NO_INSTITUTION ? 1 : b.key === NO_INSTITUTION ? -1 : a.label.localeCompare(b.label)));
      if (dimension === 'year') groups.sort((a, b) => Number(a.key) - Number(b.key));
      const forced = new Set<number>();
      for (const child of children) {
        const rows = new Map(child.get(dimension)!.rows.map((r) => [r.key, r]));
        groups.forEach((g, i) => {
          const row = rows.get(g.key);
          // A group a part does not list is 0 there, and known to be.
          if (row) COLS.forEach((col, c) => row[col] === null && forced.add(3 * i + c));
        });
      }
      out.set(dimension, protectTable(groups, total, totals, threshold, forced));
    }
    return out;
  };

  const result: Array<{ dimension: string; payload: PublishedTable }> = [];
  const emit = (scope: OpenDataScope, tables: ScopeTables): void => {
    for (const [dimension, payload] of tables) result.push({ dimension: tableKey(dimension, scope), payload });
  };
  const partTables = new Map<string, ScopeTables>();
  for (const part of parts.keys()) partTables.set(part, protectScope([part], []));
  for (const hub of hubs) emit({ kind: 'institution', institutionId: hub.id }, partTables.get(hub.id) ?? protectScope([hub.id], []));
  const countries = [...new Set(hubs.map((h) => h.country).filter((c): c is string => c !== null))].sort();
  for (const country of countries) {
    const members = hubs.filter((h) => h.country === country && parts.has(h.id)).map((h) => h.id);
    emit({ kind: 'country', country }, protectScope(members, members.map((m) => partTables.get(m)!)));
  }
  const all = [...parts.keys()];
  // With a single part the instance table is that part's table (the same protection).
  emit({ kind: 'all' }, all.length === 1 ? partTables.get(all[0])! : protectScope(all, all.map((m) => partTables.get(m)!)));
  return result;
}

function label(dimension: OpenDataDimension, key: string, labels: OpenDataLabels): { key: string; label: string } {
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
