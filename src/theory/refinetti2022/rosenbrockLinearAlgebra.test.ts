import { describe, expect, test } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { invertSmall, luFactor, luSolve } from './rosenbrockStepper.ts';

/**
 * The dense linear algebra of the RODAS4 stepper (its stage systems and the K × K blocks of the block-diagonal
 * Jacobian): LU with partial pivoting and Gauss–Jordan inversion. The stepper's own tests never needed a row swap (their
 * matrices I − hγJ are diagonally dominant), so the pivoting paths are checked here on matrices that need them
 * (a zero or small diagonal), against the definitions: M·M⁻¹ = I and M·x = v.
 */
function product(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) c[i * n + j] += a[i * n + k] * b[k * n + j];
  return c;
}

/** A matrix that needs pivoting: random entries, a zero diagonal, and rows in an order with the largest below. */
function needsPivoting(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const m = Float64Array.from({ length: n * n }, () => rng.normal());
  for (let i = 0; i < n; i++) m[i * n + i] = 0;
  m[(n - 1) * n] = 10; // the first column's largest entry in the last row
  return m;
}

describe('RODAS4 linear algebra with row swaps', () => {
  for (const n of [2, 3, 5, 8]) {
    test(`invertSmall, n = ${n}: M·M⁻¹ = I within 1e-12 on a matrix with a zero diagonal`, () => {
      const m = needsPivoting(n, n);
      const inv = new Float64Array(n * n);
      expect(invertSmall(Float64Array.from(m), inv, n)).toBe(true);
      const id = product(m, inv, n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) expect(Math.abs(id[i * n + j] - (i === j ? 1 : 0))).toBeLessThan(1e-12);
    });

    test(`luFactor + luSolve, n = ${n}: M·x = v within 1e-12 on a matrix with a zero diagonal`, () => {
      const m = needsPivoting(n, 100 + n);
      const rng = createRng(200 + n);
      const x = Float64Array.from({ length: n }, () => rng.normal());
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) v[i] += m[i * n + j] * x[j];
      const lu = Float64Array.from(m);
      const pivots = new Int32Array(n);
      expect(luFactor(lu, n, pivots)).toBe(true);
      expect(Array.from(pivots).some((p, i) => p !== i)).toBe(true); // a row swap happened
      luSolve(lu, n, pivots, v);
      for (let i = 0; i < n; i++) expect(Math.abs(v[i] - x[i])).toBeLessThan(1e-12 * (1 + Math.abs(x[i])));
    });
  }

  test('every 4 × 4 permutation matrix: invertSmall gives exactly its transpose, luFactor + luSolve solve it exactly', () => {
    // Each column has one nonzero entry, so the pivot must be that entry, wherever it lies: any other candidate is a
    // zero pivot. With entries 0 and 1 every operation is exact, hence exact equality.
    const n = 4;
    const perms: number[][] = [];
    const extend = (p: number[]) => {
      if (p.length === n) perms.push(p);
      for (let i = 0; i < n; i++) if (!p.includes(i)) extend([...p, i]);
    };
    extend([]);
    expect(perms).toHaveLength(24);
    for (const p of perms) {
      const m = new Float64Array(n * n);
      for (let i = 0; i < n; i++) m[i * n + p[i]] = 1; // row i has its 1 in column p[i]
      const inv = new Float64Array(n * n);
      expect(invertSmall(Float64Array.from(m), inv, n)).toBe(true);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(inv[i * n + j]).toBe(m[j * n + i]);
      const lu = Float64Array.from(m);
      const pivots = new Int32Array(n);
      expect(luFactor(lu, n, pivots)).toBe(true);
      const v = Float64Array.from([1, 2, 3, 4]);
      luSolve(lu, n, pivots, v);
      // m·x = (1, 2, 3, 4): row i reads x[p[i]], so x[p[i]] = i + 1.
      for (let i = 0; i < n; i++) expect(v[p[i]]).toBe(i + 1);
    }
  });

  test('a tie between pivot candidates keeps the upper row: no row swap for a diagonal as large as any below', () => {
    // Partial pivoting takes the first of the largest candidates (as LAPACK's idamax): in column 0, |1| = |−1|, so row 0
    // stays and the pivots record no swap. The solve is exact here: M·(1, 1) = (3, 2) with L = [[1, 0], [−1, 1]],
    // U = [[1, 2], [0, 5]].
    const m = Float64Array.from([1, 2, -1, 3]);
    const pivots = new Int32Array(2);
    expect(luFactor(m, 2, pivots)).toBe(true);
    expect(Array.from(pivots)).toEqual([0, 1]);
    const v = Float64Array.from([3, 2]);
    luSolve(m, 2, pivots, v);
    expect(Array.from(v)).toEqual([1, 1]);
  });

  test('a singular or non-finite matrix is refused by both (false), never inverted into Inf/NaN', () => {
    const singular = Float64Array.from([1, 2, 2, 4]);
    expect(invertSmall(Float64Array.from(singular), new Float64Array(4), 2)).toBe(false);
    expect(luFactor(Float64Array.from(singular), 2, new Int32Array(2))).toBe(false);
    const infinite = Float64Array.from([Number.POSITIVE_INFINITY, 0, 0, 1]);
    expect(invertSmall(Float64Array.from(infinite), new Float64Array(4), 2)).toBe(false);
    expect(luFactor(Float64Array.from(infinite), 2, new Int32Array(2))).toBe(false);
    // Off the pivots' path: the pivots 1 and 1 are finite, but the inverse would hold −∞ and NaN, U would hold +∞.
    const offPivot = Float64Array.from([1, Number.POSITIVE_INFINITY, 0, 1]);
    expect(invertSmall(Float64Array.from(offPivot), new Float64Array(4), 2)).toBe(false);
    expect(luFactor(Float64Array.from(offPivot), 2, new Int32Array(2))).toBe(false);
  });
});
