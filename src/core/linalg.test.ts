import { describe, expect, test } from 'vitest';
import { haarOrthogonal, qr, symmetricEigen } from './linalg.ts';
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
});
