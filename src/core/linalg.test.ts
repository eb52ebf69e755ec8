import { describe, expect, test } from 'vitest';
import { CholeskyDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import {
  cholesky,
  haarColumns,
  haarOrthogonal,
  qr,
  solveLower,
  solveLowerTransposed,
  symmetricEigen,
} from './linalg.ts';
import { identityMatrix, matmul, matrix, matrixFromRows, transpose } from './matrix.ts';
import { createRng } from './rng.ts';
import { EPS64, maxAbsDiff } from './tolerance.ts';

/** Orthogonality and reconstruction hold to rounding: a multiple of ε64 times n. */
const ULPS_PER_DIM = 64;

describe('linear algebra', () => {
  test('symmetricEigen: descending values, A V = V Λ, orthonormal V', () => {
    const rng = createRng(4);
    const n = 17;
    const g = matrix(n, n);
    rng.fillNormal(g.data);
    const a = matmul(g, transpose(g));
    const { values, vectors } = symmetricEigen(a);
    for (let i = 1; i < n; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
    const av = matmul(a, vectors);
    const vl = matrix(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vl.data[i * n + j] = vectors.data[i * n + j] * values[j];
    expect(maxAbsDiff(av.data, vl.data)).toBeLessThan(ULPS_PER_DIM * n * EPS64 * values[0]);
    expect(maxAbsDiff(matmul(transpose(vectors), vectors).data, identityMatrix(n).data)).toBeLessThan(
      ULPS_PER_DIM * n * EPS64,
    );
  });
  test('symmetricEigen rejects a non-symmetric matrix with a clear error', () => {
    expect(() =>
      symmetricEigen(
        matrixFromRows([
          [1, 2],
          [0, 1],
        ]),
      ),
    ).toThrow(/symmetric/);
  });
  test('qr reconstructs the matrix', () => {
    const rng = createRng(8);
    const m = matrix(9, 5);
    rng.fillNormal(m.data);
    const { q, r } = qr(m);
    expect(maxAbsDiff(matmul(q, r).data, m.data)).toBeLessThan(ULPS_PER_DIM * 9 * EPS64 * 10);
  });
  test('haarOrthogonal is orthogonal and deterministic per seed', () => {
    const q = haarOrthogonal(12, createRng(9));
    expect(maxAbsDiff(matmul(transpose(q), q).data, identityMatrix(12).data)).toBeLessThan(ULPS_PER_DIM * 12 * EPS64);
    expect(haarOrthogonal(12, createRng(9)).data).toEqual(q.data);
  });
  test('haarColumns gives the first columns of haarOrthogonal bit for bit, and advances the stream the same', () => {
    for (const [n, cols] of [
      [12, 1],
      [12, 5],
      [30, 29],
      [40, 10],
    ]) {
      const fullRng = createRng(n + cols);
      const thinRng = createRng(n + cols);
      const full = haarOrthogonal(n, fullRng);
      const thin = haarColumns(n, cols, thinRng);
      expect([thin.rows, thin.cols]).toEqual([n, cols]);
      for (let i = 0; i < n; i++) {
        expect(Array.from(thin.data.subarray(i * cols, (i + 1) * cols))).toEqual(
          Array.from(full.data.subarray(i * n, i * n + cols)),
        );
      }
      expect(thinRng.uniform()).toBe(fullRng.uniform());
    }
  });
  test('cholesky: the same bits as ml-matrix (same operations, same order), L·Lᵀ = m', () => {
    for (const n of [1, 2, 7, 33]) {
      const g = matrix(n, n + 3);
      createRng(n).fillNormal(g.data);
      const m = matmul(g, transpose(g));
      const ml = new CholeskyDecomposition(
        new MlMatrix(Array.from({ length: n }, (_, i) => Array.from(m.data.subarray(i * n, (i + 1) * n)))),
      );
      const l = cholesky(m);
      expect(Array.from(l.data)).toEqual(ml.lowerTriangularMatrix.to1DArray());
      expect(maxAbsDiff(matmul(l, transpose(l)).data, m.data)).toBeLessThan(ULPS_PER_DIM * (n + 3) * EPS64 * 10 * n);
    }
  });
  test('cholesky refuses an asymmetric, a non-square and an indefinite matrix, naming the field', () => {
    expect(() =>
      cholesky(
        matrixFromRows([
          [1, 0.5],
          [0.4, 1],
        ]),
      ),
    ).toThrow(/matrix.*m\[1\]\[0\] = 0.4.*symmetric/s);
    expect(() => cholesky(matrix(2, 3))).toThrow(/matrix.*2×3.*square/s);
    expect(() =>
      cholesky(
        matrixFromRows([
          [1, 2],
          [2, 1],
        ]),
      ),
    ).toThrow(/not positive definite \(pivot 1 is -3/);
    // A singular positive semi-definite matrix leaves an exact zero pivot: refused (pivot > 0, as ml-matrix), not a zero
    // diagonal entry in L that a later solve would divide by.
    const singular = matrixFromRows([
      [1, 1],
      [1, 1],
    ]);
    expect(() => cholesky(singular)).toThrow(/pivot 1 is 0\.000e\+0/);
    // A pivot that is positive but not above minRelativePivot times its diagonal entry is refused too.
    const nearSingular = matrixFromRows([
      [1, 1 - 1e-9],
      [1 - 1e-9, 1],
    ]);
    expect(() => cholesky(nearSingular)).not.toThrow();
    expect(() => cholesky(nearSingular, 1e-6)).toThrow(/pivot 1/);
  });
  test('solveLower and solveLowerTransposed invert L and Lᵀ', () => {
    const n = 9;
    const g = matrix(n, n + 2);
    createRng(4).fillNormal(g.data);
    const l = cholesky(matmul(g, transpose(g)));
    const b = matrix(n, 4);
    createRng(5).fillNormal(b.data);
    expect(maxAbsDiff(matmul(l, solveLower(l, b)).data, b.data)).toBeLessThan(1e-12);
    expect(maxAbsDiff(matmul(transpose(l), solveLowerTransposed(l, b)).data, b.data)).toBeLessThan(1e-12);
    expect(() => solveLower(l, matrix(n + 1, 2))).toThrow(/b.*10×2/s);
    expect(() => solveLowerTransposed(l, matrix(n - 1, 2))).toThrow(/y.*8×2/s);
  });
  test('haarColumns names the field when more columns than rows are asked for', () => {
    expect(() => haarColumns(4, 5, createRng(1))).toThrow(/cols.*5.*\[1, n = 4\]/s);
    expect(() => haarColumns(4, 0, createRng(1))).toThrow(/cols/);
  });
});
