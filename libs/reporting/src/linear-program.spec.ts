import { maximise, minimise } from './linear-program.js';

describe('linear programme (two-phase simplex)', () => {
  it('finds the range of a variable in a small transportation table', () => {
    // x1 + x2 = 10, x3 + x4 = 6, x1 + x3 = 7, x2 + x4 = 9
    const A = [
      [1, 1, 0, 0],
      [0, 0, 1, 1],
      [1, 0, 1, 0],
      [0, 1, 0, 1],
    ];
    const b = [10, 6, 7, 9];
    expect(minimise([1, 0, 0, 0], A, b)).toEqual({ status: 'optimal', value: 1 });
    expect(maximise([1, 0, 0, 0], A, b)).toEqual({ status: 'optimal', value: 7 });
  });

  it('reports infeasible and unbounded problems', () => {
    expect(minimise([1, 1], [[1, 1]], [-1]).status).toBe('infeasible');
    expect(maximise([1, 0], [[1, -1]], [0]).status).toBe('unbounded');
    expect(minimise([0, 1], [[1, 1], [1, 1]], [4, 4])).toEqual({ status: 'optimal', value: 0 });
  });

  it('pins a variable that non-negativity forces to zero', () => {
    // x1 + x2 = 0 with x >= 0: both are 0 although the equation alone leaves x1 free.
    expect(maximise([1, 0], [[1, 1]], [0])).toEqual({ status: 'optimal', value: 0 });
  });
});
