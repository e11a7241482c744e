/**
 * An independent check of "no hidden cell can be derived", used by the tests next to the
 * linear-programming audit: for each hidden cell, look for ANOTHER non-negative whole-number
 * table that agrees with every published number and all the sums but differs in that cell. Finding
 * one proves the cell cannot be derived (two tables fit what was published). The search moves
 * hidden cells by -1, 0 or +1 (the elementary moves of a table with fixed margins) by depth-first
 * search with pruning on each sum as soon as all its hidden cells are set.
 */
export type Relation = Array<[cell: number, coef: number]>;

export function alternativeFor(
  hiddenCell: number,
  truth: readonly number[],
  published: readonly (number | null)[],
  relations: readonly Relation[],
): number[] | null {
  const hidden = published.map((v, i) => (v === null ? i : -1)).filter((i) => i >= 0);
  const order = [hiddenCell, ...hidden.filter((h) => h !== hiddenCell)];
  const position = new Map(order.map((cell, i) => [cell, i]));
  // Relations that involve hidden cells, keyed by the position of their last hidden cell.
  const closing = new Map<number, Relation[]>();
  for (const rel of relations) {
    const positions = rel.map(([cell]) => position.get(cell)).filter((p): p is number => p !== undefined);
    if (positions.length === 0) continue;
    const last = Math.max(...positions);
    closing.set(last, [...(closing.get(last) ?? []), rel]);
  }
  const delta = new Array<number>(truth.length).fill(0);
  const search = (i: number): boolean => {
    if (i === order.length) return true;
    const cell = order[i];
    const steps = i === 0 ? [1, -1] : [0, 1, -1];
    for (const step of steps) {
      if (truth[cell] + step < 0) continue;
      delta[cell] = step;
      const ok = (closing.get(i) ?? []).every((rel) => rel.reduce((s, [c, coef]) => s + coef * delta[c], 0) === 0);
      if (ok && search(i + 1)) return true;
    }
    delta[cell] = 0;
    return false;
  };
  return search(0) ? truth.map((v, i) => v + delta[i]) : null;
}
