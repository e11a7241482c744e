/**
 * A small dense two-phase simplex for `minimise c·x subject to A·x = b, x ≥ 0`, with Bland's rule
 * (no cycling). It is the attacker model of the disclosure audit: the range a suppressed cell can
 * take given every published number is [min x_i, max x_i] over that polytope. The tables it sees
 * are small (a few hundred unknowns at most), so a dense tableau is plenty.
 */
export type LpResult = { status: 'optimal'; value: number } | { status: 'infeasible' } | { status: 'unbounded' };

const EPS = 1e-9;

/** Minimises c·x over { A·x = b, x ≥ 0 }. A is m×n, b has m entries, c has n. */
export function minimise(c: readonly number[], A: readonly (readonly number[])[], b: readonly number[]): LpResult {
  const m = A.length;
  const n = c.length;
  if (m === 0) {
    // No constraints: bounded below only if every cost is ≥ 0 (then x = 0 is optimal).
    return c.some((v) => v < -EPS) ? { status: 'unbounded' } : { status: 'optimal', value: 0 };
  }
  // Tableau: m constraint rows, then the objective row; columns: n originals, m artificials, rhs.
  const width = n + m + 1;
  const rhs = n + m;
  const t: number[][] = [];
  for (let i = 0; i < m; i++) {
    const sign = b[i] < 0 ? -1 : 1;
    const row = new Array<number>(width).fill(0);
    for (let j = 0; j < n; j++) row[j] = sign * (A[i][j] ?? 0);
    row[n + i] = 1;
    row[rhs] = sign * b[i];
    t.push(row);
  }
  const basis = Array.from({ length: m }, (_, i) => n + i);

  // Phase 1: minimise the sum of the artificials. Reduced costs = -(sum of rows) on the originals.
  const phase1 = new Array<number>(width).fill(0);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) phase1[j] -= t[i][j];
    phase1[rhs] -= t[i][rhs];
  }
  t.push(phase1);
  if (run(t, basis, n + m) === 'unbounded') return { status: 'infeasible' }; // cannot happen in phase 1
  if (-t[m][rhs] > 1e-7) return { status: 'infeasible' };

  // Drive the artificials out of the basis (or drop redundant rows).
  for (let i = m - 1; i >= 0; i--) {
    if (basis[i] < n) continue;
    let entering = -1;
    for (let j = 0; j < n; j++) {
      if (Math.abs(t[i][j]) > EPS) {
        entering = j;
        break;
      }
    }
    if (entering >= 0) pivot(t, basis, i, entering);
    else {
      t.splice(i, 1);
      basis.splice(i, 1);
    }
  }
  const rows = basis.length;

  // Phase 2: the real objective, artificial columns may not enter.
  const obj = new Array<number>(width).fill(0);
  for (let j = 0; j < n; j++) obj[j] = c[j];
  for (let i = 0; i < rows; i++) {
    const cb = c[basis[i]] ?? 0;
    if (cb === 0) continue;
    for (let j = 0; j < width; j++) obj[j] -= cb * t[i][j];
  }
  t[rows] = obj;
  t.length = rows + 1;
  if (run(t, basis, n) === 'unbounded') return { status: 'unbounded' };
  return { status: 'optimal', value: -t[rows][rhs] + 0 };
}

/** Maximises c·x over the same polytope. */
export function maximise(c: readonly number[], A: readonly (readonly number[])[], b: readonly number[]): LpResult {
  const r = minimise(
    c.map((v) => -v),
    A,
    b,
  );
  return r.status === 'optimal' ? { status: 'optimal', value: -r.value + 0 } : r;
}

/** Simplex iterations with Bland's rule; columns >= `enterable` may not enter. */
function run(t: number[][], basis: number[], enterable: number): 'optimal' | 'unbounded' {
  const m = basis.length;
  const objRow = t[m];
  const rhs = t[0].length - 1;
  for (let guard = 0; guard < 50_000; guard++) {
    let entering = -1;
    for (let j = 0; j < enterable; j++) {
      if (objRow[j] < -EPS) {
        entering = j;
        break;
      }
    }
    if (entering < 0) return 'optimal';
    let leave = -1;
    let best = Infinity;
    for (let i = 0; i < m; i++) {
      const a = t[i][entering];
      if (a <= EPS) continue;
      const ratio = t[i][rhs] / a;
      if (ratio < best - EPS || (Math.abs(ratio - best) <= EPS && leave >= 0 && basis[i] < basis[leave])) {
        best = ratio;
        leave = i;
      }
    }
    if (leave < 0) return 'unbounded';
    pivot(t, basis, leave, entering);
  }
  throw new Error('simplex did not converge');
}

function pivot(t: number[][], basis: number[], row: number, col: number): void {
  const p = t[row][col];
  const pr = t[row];
  for (let j = 0; j < pr.length; j++) pr[j] /= p;
  for (let i = 0; i < t.length; i++) {
    if (i === row) continue;
    const f = t[i][col];
    if (Math.abs(f) <= EPS) continue;
    const ri = t[i];
    for (let j = 0; j < ri.length; j++) ri[j] -= f * pr[j];
  }
  basis[row] = col;
}
