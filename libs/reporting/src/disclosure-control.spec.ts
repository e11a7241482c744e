import { alternativeFor } from '../../../test/reporting/disclosure-witness.js';
import {
  derivableCells,
  GroupCounts,
  protectTable,
  protectTotals,
  PublishedTable,
  publishedCells,
  tableRelations,
  TotalCounts,
} from './disclosure-control.js';

/** A group where every enrolment is a different person (people = enrolments). */
function group(key: string, completed: number, notCompleted: number): GroupCounts {
  const cell = (value: number): { value: number; people: number } => ({ value, people: value });
  return { key, label: key, enrolled: cell(completed + notCompleted), completed: cell(completed), notCompleted: cell(notCompleted) };
}

function totalOf(groups: GroupCounts[]): TotalCounts {
  const sum = (col: 'enrolled' | 'completed' | 'notCompleted'): { value: number; people: number } => {
    const value = groups.reduce((s, g) => s + g[col].value, 0);
    return { value, people: groups.reduce((s, g) => s + g[col].people, 0) };
  };
  return { enrolled: sum('enrolled'), completed: sum('completed'), notCompleted: sum('notCompleted') };
}

function truthOf(groups: GroupCounts[]): number[] {
  const total = totalOf(groups);
  return [...groups, total].flatMap((g) => [g.enrolled.value, g.completed.value, g.notCompleted.value]);
}

/** Every published count is >= 5; every hidden cell has an alternative table; the LP audit agrees. */
function expectProtected(table: PublishedTable, groups: GroupCounts[]): void {
  const cells = publishedCells(table);
  for (const v of cells) if (v !== null) expect(v).toBeGreaterThanOrEqual(5);
  const relations = tableRelations(groups.length);
  const truth = truthOf(groups);
  // Published values are the true ones.
  cells.forEach((v, i) => {
    if (v !== null) expect(v).toBe(truth[i]);
  });
  expect(derivableCells(cells, relations)).toEqual([]);
  cells.forEach((v, i) => {
    if (v !== null) return;
    const other = alternativeFor(i, truth, cells, relations);
    expect(other).not.toBeNull();
    expect(other?.[i]).not.toBe(truth[i]);
  });
}

describe('disclosure control', () => {
  it('shows the differencing attack that primary suppression alone allows', () => {
    const groups = [group('female', 30, 12), group('male', 25, 10), group('other', 3, 1)];
    const truth = truthOf(groups);
    // Hide only the cells under 5 (the "other" row): every one of them is derivable from the totals.
    const naive = truth.map((v, i) => (i >= 6 && i < 9 ? null : v));
    expect(derivableCells(naive, tableRelations(3)).sort()).toEqual([6, 7, 8]);
  });

  it('hides small cells and the next-smallest complement so nothing can be derived', () => {
    const groups = [group('female', 30, 12), group('male', 25, 10), group('other', 3, 1), group('undisclosed', 9, 6)];
    const total = totalOf(groups);
    const table = protectTable(groups, total, protectTotals(total));
    expect(table.rows.find((r) => r.key === 'other')).toMatchObject({ enrolled: null, completed: null, notCompleted: null, completionRate: null });
    // The smallest other row is the complement; the large rows stay published.
    expect(table.rows.find((r) => r.key === 'undisclosed')).toMatchObject({ enrolled: null, completed: null, notCompleted: null });
    expect(table.rows.find((r) => r.key === 'female')).toEqual({ key: 'female', label: 'female', enrolled: 42, completed: 30, notCompleted: 12, completionRate: 0.7143 });
    expect(table.total).toEqual({ enrolled: 96, completed: 67, notCompleted: 29, completionRate: 0.6979 });
    expectProtected(table, groups);
  });

  it('hides only the split of a row whose total is large enough', () => {
    const groups = [group('a', 40, 2), group('b', 30, 20), group('c', 50, 25)];
    const total = totalOf(groups);
    const table = protectTable(groups, total, protectTotals(total));
    const a = table.rows[0];
    expect(a.enrolled).toBe(42);
    expect(a.completed).toBeNull();
    expect(a.notCompleted).toBeNull();
    expect(a.completionRate).toBeNull();
    expectProtected(table, groups);
  });

  it('counts people, not only enrolments: many enrolments of 2 people are hidden', () => {
    const groups = [group('x', 40, 30), group('y', 35, 22)];
    groups.push({ key: 'z', label: 'z', enrolled: { value: 12, people: 2 }, completed: { value: 8, people: 2 }, notCompleted: { value: 4, people: 2 } });
    const total = totalOf(groups);
    const table = protectTable(groups, total, protectTotals(total));
    expect(table.rows[2]).toMatchObject({ enrolled: null, completed: null, notCompleted: null });
    expectProtected(table, groups);
  });

  it('does not let hidden zeros be derived from a zero remainder', () => {
    const groups = [group('urban', 40, 30), group('rural', 35, 22), group('a', 0, 0), group('b', 0, 0)];
    const total = totalOf(groups);
    const table = protectTable(groups, total, protectTotals(total));
    expect(table.rows[2].enrolled).toBeNull();
    expect(table.rows[3].enrolled).toBeNull();
    // Two hidden zero rows alone sum to 0 and give themselves away: a real row must join them.
    expect(table.rows.filter((r) => r.enrolled === null).length).toBeGreaterThanOrEqual(3);
    expectProtected(table, groups);
  });

  it('hides the total split when fewer than 5 completed at all, and every completed cell with it', () => {
    const groups = [group('a', 2, 30), group('b', 1, 40), group('c', 0, 20)];
    const total = totalOf(groups);
    const totals = protectTotals(total);
    expect(totals).toEqual({ enrolled: false, completed: true, notCompleted: true });
    const table = protectTable(groups, total, totals);
    expect(table.total).toEqual({ enrolled: 93, completed: null, notCompleted: null, completionRate: null });
    for (const row of table.rows) expect(row.completed).toBeNull();
    expectProtected(table, groups);
  });

  it('hides everything when the whole population is under 5', () => {
    const groups = [group('a', 1, 1), group('b', 1, 0)];
    const total = totalOf(groups);
    const table = protectTable(groups, total, protectTotals(total));
    expect(publishedCells(table).every((v) => v === null)).toBe(true);
  });

  it('protects random tables (fuzz, fixed seed)', () => {
    let seed = 20_260_101;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    for (let round = 0; round < 60; round++) {
      const groups: GroupCounts[] = [];
      const size = 2 + random(5);
      for (let g = 0; g < size; g++) {
        const small = random(3) === 0;
        groups.push(group(`g${g}`, small ? random(6) : random(60), small ? random(6) : random(40)));
      }
      const total = totalOf(groups);
      const table = protectTable(groups, total, protectTotals(total));
      expectProtected(table, groups);
    }
  });
});
