import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { choleskySolve } from '../../core/linalg.ts';
import { type Matrix, matrix } from '../../core/matrix.ts';
import { createRng } from '../../core/rng.ts';
import { openblasCholeskySolve } from './choleskySolve.ts';
import { lapackAvailability } from '../../testing/lapackAvailability.ts';

const { available, skipNote, routines } = await lapackAvailability();

/**
 * The contract between the two solves: ‖X_native − X_js‖∞ ≤ RTOL·‖X_js‖∞. Both are backward-stable Cholesky solves of
 * the same well-conditioned S (S = GGᵀ/k + I/2 has condition number below 10), so they differ by round-off in the
 * order of the sums: measured 5e-16 at n = 33 and 1.4e-15 at n = 300 (2.3e-15 at n = 400); 1e-13 leaves a factor of 70.
 */
const RTOL = 1e-13;

/** S = G Gᵀ/k + I/2 for a random n×k G: symmetric positive definite, exactly symmetric. */
function randomSpd(n: number, seed: number): Matrix {
  const rng = createRng(seed);
  const k = n + 3;
  const g = new Float64Array(n * k);
  rng.fillNormal(g);
  const s = matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let v = 0;
      for (let p = 0; p < k; p++) v += g[i * k + p] * g[j * k + p];
      v /= k;
      if (i === j) v += 0.5;
      s.data[i * n + j] = v;
      s.data[j * n + i] = v;
    }
  }
  return s;
}

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const m = matrix(rows, cols);
  createRng(seed).fillNormal(m.data);
  return m;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

describe('core/linalg choleskySolve (the JavaScript reference)', () => {
  test('solves S X = B: the residual is round-off', () => {
    for (const [n, k] of [
      [1, 1],
      [5, 3],
      [40, 7],
    ]) {
      const s = randomSpd(n, n);
      const b = randomMatrix(n, k, 100 + n);
      const x = choleskySolve(s, b);
      let res = 0;
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < k; c++) {
          let v = -b.data[i * k + c];
          for (let p = 0; p < n; p++) v += s.data[i * n + p] * x.data[p * k + c];
          res = Math.max(res, Math.abs(v));
        }
      }
      expect(res).toBeLessThanOrEqual(1e-12 * maxAbs(b.data) * n);
    }
  });
  test('refuses B without n rows, an asymmetric S and a pivot at or below the floor, naming the field', () => {
    const s = randomSpd(4, 1);
    expect(() => choleskySolve(s, matrix(3, 2))).toThrow(ValidationError);
    expect(() => choleskySolve(s, matrix(3, 2))).toThrow(/B with 4 rows/);
    const asym = matrix(2, 2, Float64Array.of(2, 1, 1 + 2 ** -52, 2));
    expect(() => choleskySolve(asym, matrix(2, 1))).toThrow(/m\[1\]\[0\]/);
    const singular = matrix(2, 2, Float64Array.of(1, 1, 1, 1));
    expect(() => choleskySolve(singular, matrix(2, 1))).toThrow(/not positive definite \(pivot 1 is 0\.000e\+0/);
    // Pivot 1 of [[1, c], [c, 1]] is 1 − c²: 1e-10 relative, refused at a floor of 1e-9 and accepted at 1e-11.
    const c = Math.sqrt(1 - 1e-10);
    const near = matrix(2, 2, Float64Array.of(1, c, c, 1));
    expect(() => choleskySolve(near, matrix(2, 1), 1e-9)).toThrow(/pivot 1/);
    expect(() => choleskySolve(near, matrix(2, 1), 1e-11)).not.toThrow();
  });
});

describe(`openblasCholeskySolve (LAPACK dpotrf/dpotrs)${skipNote}`, () => {
  test.skipIf(!available)('agrees with the JavaScript solve to round-off, and leaves its inputs as they were', () => {
    for (const [n, k] of [
      [1, 1],
      [2, 5],
      [33, 4],
      [300, 100],
    ]) {
      const s = randomSpd(n, 7 * n);
      const b = randomMatrix(n, k, 11 * n);
      const sCopy = Float64Array.from(s.data);
      const bCopy = Float64Array.from(b.data);
      const native = openblasCholeskySolve(s, b, routines());
      const js = choleskySolve(s, b);
      expect([native.rows, native.cols]).toEqual([n, k]);
      let diff = 0;
      for (let i = 0; i < js.data.length; i++) diff = Math.max(diff, Math.abs(native.data[i] - js.data[i]));
      expect(diff).toBeLessThanOrEqual(RTOL * maxAbs(js.data));
      expect(s.data).toEqual(sCopy);
      expect(b.data).toEqual(bCopy);
    }
  });
  test.skipIf(!available)('refuses what the JavaScript solve refuses, with the same messages', () => {
    const lib = routines();
    const s = randomSpd(4, 1);
    expect(() => openblasCholeskySolve(s, matrix(3, 2), lib)).toThrow(/B with 4 rows/);
    const asym = matrix(2, 2, Float64Array.of(2, 1, 1 + 2 ** -52, 2));
    expect(() => openblasCholeskySolve(asym, matrix(2, 1), lib)).toThrow(/m\[1\]\[0\]/);
    // dpotrf's own failure (a pivot ≤ 0): an indefinite S, reported as pivot 1.
    const indefinite = matrix(2, 2, Float64Array.of(1, 2, 2, 1));
    expect(() => openblasCholeskySolve(indefinite, matrix(2, 1), lib)).toThrow(ValidationError);
    expect(() => openblasCholeskySolve(indefinite, matrix(2, 1), lib)).toThrow(/not positive definite \(pivot 1 is -3/);
    const c = Math.sqrt(1 - 1e-10);
    const near = matrix(2, 2, Float64Array.of(1, c, c, 1));
    expect(() => openblasCholeskySolve(near, matrix(2, 1), lib, 1e-9)).toThrow(/pivot 1/);
    expect(() => openblasCholeskySolve(near, matrix(2, 1), lib, 1e-11)).not.toThrow();
    expect(openblasCholeskySolve(matrix(0, 0), matrix(0, 3), lib).data.length).toBe(0);
  });
});
