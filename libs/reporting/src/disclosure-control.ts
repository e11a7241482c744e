import { maximise, minimise } from './linear-program.js';

/**
 * Statistical disclosure control for the open-data tables (see docs/open-data.md).
 *
 * A table has one row per group (an institution, a course, a gender, ...) and three count
 * columns: enrolled (E), completed (C) and not completed (N = E − C), plus a total row. The
 * published numbers obey these sums, which an attacker can use to "difference" a hidden cell:
 *   E_g = C_g + N_g for every row g and the total row,
 *   C_total = Σ C_g,  N_total = Σ N_g,  E_total = Σ E_g.
 *
 * 1. Primary suppression: a cell is hidden when it counts fewer than `threshold` enrolments or
 *    fewer than `threshold` distinct people (0 included).
 * 2. Secondary suppression: while some hidden cell can be derived from what is published,
 *    hide one more cell: the smallest published cell that shares a sum with it (the
 *    "next-smallest" complement), never a total.
 * 3. "Can be derived" is decided by the attacker model itself: for each hidden cell, the
 *    smallest and largest value it can take over all non-negative tables that agree with every
 *    published number (two linear programmes). The sums form a totally unimodular system, so the
 *    extremes are whole numbers: a cell is safe only when at least two values remain possible.
 *
 * The grand totals are the same in every table, so they are decided once (protectTotals) and
 * passed to every table; a table never hides a total on its own.
 */
export const DEFAULT_THRESHOLD = 5;

export interface CellCount {
  /** Enrolments counted. */
  value: number;
  /** Distinct people behind them. */
  people: number;
}

export interface GroupCounts {
  key: string;
  label: string;
  enrolled: CellCount;
  completed: CellCount;
  notCompleted: CellCount;
}

export interface TotalCounts {
  enrolled: CellCount;
  completed: CellCount;
  notCompleted: CellCount;
}

export interface PublishedCells {
  enrolled: number | null;
  completed: number | null;
  notCompleted: number | null;
  /** completed / enrolled, 4 decimals; published only when both are. */
  completionRate: number | null;
}

export interface PublishedRow extends PublishedCells {
  key: string;
  label: string;
}

export interface PublishedTable {
  rows: PublishedRow[];
  total: PublishedCells;
}

export interface TotalsSuppression {
  enrolled: boolean;
  completed: boolean;
  notCompleted: boolean;
}

const COLUMNS = ['enrolled', 'completed', 'notCompleted'] as const;
const E = 0;
const C = 1;
const N = 2;

export function isSensitive(cell: CellCount, threshold = DEFAULT_THRESHOLD): boolean {
  return cell.value < threshold || cell.people < threshold;
}

/** Which grand totals are hidden (the same decision for every table). */
export function protectTotals(total: TotalCounts, threshold = DEFAULT_THRESHOLD): TotalsSuppression {
  if (isSensitive(total.enrolled, threshold)) return { enrolled: true, completed: true, notCompleted: true };
  // E is published, so C and N stand or fall together (C = E − N).
  const split = isSensitive(total.completed, threshold) || isSensitive(total.notCompleted, threshold);
  return { enrolled: false, completed: split, notCompleted: split };
}

/** A linear relation Σ coef·cell = 0 between cells (indices into the flat cell list). */
type Relation = Array<[cell: number, coef: number]>;

/**
 * Cells are numbered row by row: group g has E at 3g, C at 3g+1, N at 3g+2; the total row
 * follows the groups.
 */
export function tableRelations(groups: number): Relation[] {
  const t = 3 * groups;
  const relations: Relation[] = [];
  for (let g = 0; g <= groups; g++) relations.push([[3 * g + E, 1], [3 * g + C, -1], [3 * g + N, -1]]);
  for (const col of [E, C, N]) {
    const rel: Relation = [[t + col, 1]];
    for (let g = 0; g < groups; g++) rel.push([3 * g + col, -1]);
    relations.push(rel);
  }
  return relations;
}

/**
 * The attacker's view: for each hidden cell (null), the range of values it can take over every
 * non-negative table consistent with the published cells. Returns the hidden cells whose range
 * holds a single whole number, i.e. that can be derived.
 */
export function derivableCells(published: readonly (number | null)[], relations: readonly Relation[]): number[] {
  const unknown = published.map((v, i) => (v === null ? i : -1)).filter((i) => i >= 0);
  if (unknown.length === 0) return [];
  const column = new Map(unknown.map((cell, j) => [cell, j]));
  const A: number[][] = [];
  const b: number[] = [];
  for (const rel of relations) {
    const row = new Array<number>(unknown.length).fill(0);
    let rhs = 0;
    let hasUnknown = false;
    for (const [cell, coef] of rel) {
      const j = column.get(cell);
      if (j === undefined) rhs -= coef * (published[cell] as number);
      else {
        row[j] += coef;
        hasUnknown = true;
      }
    }
    if (hasUnknown) {
      A.push(row);
      b.push(rhs);
    }
  }
  const derivable: number[] = [];
  for (let j = 0; j < unknown.length; j++) {
    const objective = new Array<number>(unknown.length).fill(0);
    objective[j] = 1;
    const lo = minimise(objective, A, b);
    const hi = maximise(objective, A, b);
    if (lo.status === 'infeasible' || hi.status === 'infeasible') throw new Error('published table is inconsistent');
    if (hi.status === 'unbounded' || lo.status === 'unbounded') continue;
    const min = Math.ceil(lo.value - 1e-6);
    const max = Math.floor(hi.value + 1e-6);
    if (max - min < 1) derivable.push(unknown[j]);
  }
  return derivable;
}

function rate(completed: number | null, enrolled: number | null): number | null {
  if (completed === null || enrolled === null || enrolled === 0) return null;
  return Math.round((completed / enrolled) * 10_000) / 10_000;
}

/**
 * Protects one table: primary suppression, then complementary suppression until no hidden cell
 * can be derived. Totals are suppressed as `totals` says (decided once for all tables).
 */
export function protectTable(
  groups: readonly GroupCounts[],
  total: TotalCounts,
  totals: TotalsSuppression,
  threshold = DEFAULT_THRESHOLD,
  /** Group cells hidden from the start, numbered as in tableRelations (3g + column): see forcedByParts. */
  forced: ReadonlySet<number> = new Set(),
): PublishedTable {
  const g = groups.length;
  const t = 3 * g;
  const truth: number[] = [];
  const hidden: boolean[] = [];
  for (const group of groups) {
    for (const col of COLUMNS) {
      truth.push(group[col].value);
      hidden.push(isSensitive(group[col], threshold) || forced.has(hidden.length));
    }
  }
  for (const col of COLUMNS) {
    truth.push(total[col].value);
    hidden.push(totals[col]);
  }
  const relations = tableRelations(g);
  const isTotal = (cell: number): boolean => cell >= t;
  const view = (): Array<number | null> => truth.map((v, i) => (hidden[i] ? null : v));

  for (let guard = 0; guard <= truth.length; guard++) {
    const derivable = derivableCells(view(), relations);
    if (derivable.length === 0) break;
    const complement = pickComplement(derivable, relations, truth, hidden, isTotal);
    if (complement === null) {
      // Nothing left to hide but the totals (which are fixed): hide every group cell.
      for (let i = 0; i < t; i++) hidden[i] = true;
      if (derivableCells(view(), relations).length > 0) hidden.fill(true);
      break;
    }
    hidden[complement] = true;
  }

  const cells = view();
  const published = (base: number): PublishedCells => ({
    enrolled: cells[base + E],
    completed: cells[base + C],
    notCompleted: cells[base + N],
    completionRate: rate(cells[base + C], cells[base + E]),
  });
  return {
    rows: groups.map((group, i) => ({ key: group.key, label: group.label, ...published(3 * i) })),
    total: published(t),
  };
}

/**
 * The complement to hide next: the smallest published non-total cell of a sum in which a
 * derivable cell is the only hidden one (the sum that gives it away); failing that, of any sum the
 * first derivable cell is in, of any sum holding a derivable cell, and finally any group cell.
 */
function pickComplement(
  derivable: readonly number[],
  relations: readonly Relation[],
  truth: readonly number[],
  hidden: readonly boolean[],
  isTotal: (cell: number) => boolean,
): number | null {
  const smallest = (candidates: Iterable<number>): number | null => {
    let best: number | null = null;
    for (const c of candidates) {
      if (hidden[c] || isTotal(c)) continue;
      if (best === null || truth[c] < truth[best] || (truth[c] === truth[best] && c < best)) best = c;
    }
    return best;
  };
  const cellsOf = (rels: readonly Relation[]): number[] => rels.flatMap((rel) => rel.map(([cell]) => cell));
  const relationsOf = (cell: number): Relation[] => relations.filter((rel) => rel.some(([c]) => c === cell));
  // A sum in which a derivable cell is the only hidden one gives it away directly: close that first.
  for (const cell of derivable) {
    const revealing = relationsOf(cell).filter((rel) => rel.every(([c]) => c === cell || !hidden[c]));
    const pick = smallest(cellsOf(revealing));
    if (pick !== null) return pick;
  }
  const anyDerivable = relations.filter((rel) => rel.some(([cell]) => derivable.includes(cell)));
  for (const scope of [relationsOf(derivable[0]), anyDerivable]) {
    const pick = smallest(cellsOf(scope));
    if (pick !== null) return pick;
  }
  return smallest(truth.keys());
}

/** Flattens a published table into the cell list `derivableCells` reads. */
export function publishedCells(table: PublishedTable): Array<number | null> {
  const out: Array<number | null> = [];
  for (const row of [...table.rows, table.total]) out.push(row.enrolled, row.completed, row.notCompleted);
  return out;
}
