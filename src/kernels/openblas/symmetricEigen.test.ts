import { describe, expect, test } from 'vitest';
import { AecheckError, ValidationError } from '../../core/errors.ts';
import { type SymmetricEigen, symmetricEigen } from '../../core/linalg.ts';
import { type Matrix, matrix } from '../../core/matrix.ts';
import { createRng } from '../../core/rng.ts';
import { loadOpenblasLibrary } from './openblasLibrary.ts';
import { openblasSymmetricEigen } from './symmetricEigen.ts';
import { lapackAvailability } from '../../testing/lapackAvailability.ts';

const { available, skipNote, routines } = await lapackAvailability();

/** The contract: eigenvalues to a relative 1e-10 of the largest (|λ|max), as the brief of issue 12 asks. */
const VALUE_RTOL = 1e-10;
/** Eigenvalues closer than this (relative to |λ|max) form one eigenspace, compared as a subspace, not vector by vector. */
const CLUSTER_RTOL = 1e-6;
/** Largest entry of the difference of two eigenvectors (after the sign is matched) or of two eigenspace projectors. */
const VECTOR_ATOL = 1e-7;
/** ‖A v − λ v‖∞ and ‖VᵀV − I‖∞ of the native result, relative to |λ|max and absolute: a few hundred ulps of n. */
const RESIDUAL_RTOL = 1e-12;

/** A random symmetric n×n matrix with N(0, 1) entries. */
function randomSymmetric(n: number, seed: number): Matrix {
  const rng = createRng(seed);
  const m = matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = rng.normal();
      m.data[i * n + j] = v;
      m.data[j * n + i] = v;
    }
  }
  return m;
}

/** X Xᵀ for a random n×rank X: positive semi-definite of rank `rank`, so n − rank eigenvalues are 0 (a null space). */
function rankDeficient(n: number, rank: number, seed: number): Matrix {
  const rng = createRng(seed);
  const x = new Float64Array(n * rank);
  rng.fillNormal(x);
  const m = matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let r = 0; r < rank; r++) s += x[i * rank + r] * x[j * rank + r];
      m.data[i * n + j] = s;
      m.data[j * n + i] = s;
    }
  }
  return m;
}

/** Groups of consecutive (descending) eigenvalues closer than CLUSTER_RTOL·|λ|max: [start, end) index ranges. */
function clusters(values: Float64Array, scale: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (let t = 1; t <= values.length; t++) {
    if (t === values.length || values[t - 1] - values[t] > CLUSTER_RTOL * scale) {
      out.push([start, t]);
      start = t;
    }
  }
  return out;
}

/** Largest entry of V_c V_cᵀ(a) − V_c V_cᵀ(b) over the columns [start, end): eigenspaces compared basis-free. */
function projectorDifference(a: Matrix, b: Matrix, start: number, end: number): number {
  const n = a.rows;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let pa = 0;
      let pb = 0;
      for (let t = start; t < end; t++) {
        pa += a.data[i * n + t] * a.data[j * n + t];
        pb += b.data[i * n + t] * b.data[j * n + t];
      }
      worst = Math.max(worst, Math.abs(pa - pb));
    }
  }
  return worst;
}

/** Checks `native` against `js` for the matrix `m`: values, vectors up to sign, eigenspaces, residual, orthonormality. */
function expectConforms(m: Matrix, native: SymmetricEigen, js: SymmetricEigen): void {
  const n = m.rows;
  const scale = Math.max(Math.abs(js.values[0]), Math.abs(js.values[n - 1]), Number.MIN_VALUE);
  for (let t = 0; t < n; t++) expect(Math.abs(native.values[t] - js.values[t])).toBeLessThanOrEqual(VALUE_RTOL * scale);
  for (const [start, end] of clusters(js.values, scale)) {
    if (end - start === 1) {
      // A simple eigenvalue: the same unit vector, up to sign.
      let dot = 0;
      for (let i = 0; i < n; i++) dot += native.vectors.data[i * n + start] * js.vectors.data[i * n + start];
      const sign = dot < 0 ? -1 : 1;
      let worst = 0;
      for (let i = 0; i < n; i++)
        worst = Math.max(worst, Math.abs(sign * native.vectors.data[i * n + start] - js.vectors.data[i * n + start]));
      expect(worst).toBeLessThanOrEqual(VECTOR_ATOL);
    } else {
      // A repeated eigenvalue (a null space): any orthonormal basis of the same eigenspace is right.
      expect(projectorDifference(native.vectors, js.vectors, start, end)).toBeLessThanOrEqual(VECTOR_ATOL);
    }
  }
  // The native result on its own: A v = λ v and VᵀV = I, to round-off.
  let residual = 0;
  let orthogonality = 0;
  for (let t = 0; t < n; t++) {
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let j = 0; j < n; j++) av += m.data[i * n + j] * native.vectors.data[j * n + t];
      residual = Math.max(residual, Math.abs(av - native.values[t] * native.vectors.data[i * n + t]));
    }
    for (let u = 0; u < n; u++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += native.vectors.data[i * n + t] * native.vectors.data[i * n + u];
      orthogonality = Math.max(orthogonality, Math.abs(dot - (t === u ? 1 : 0)));
    }
  }
  expect(residual).toBeLessThanOrEqual(RESIDUAL_RTOL * scale * n);
  expect(orthogonality).toBeLessThanOrEqual(RESIDUAL_RTOL * n);
  for (let t = 1; t < n; t++) expect(native.values[t]).toBeLessThanOrEqual(native.values[t - 1]);
}

describe('openblasSymmetricEigen conforms to the JavaScript symmetricEigen', () => {
  test.skipIf(!available).each([1, 2, 3, 7, 40, 131])(
    `random symmetric n = %i: eigenvalues to 1e-10 of the largest, eigenvectors up to sign${skipNote}`,
    (n) => {
      for (const seed of [1, 2, 3]) {
        const m = randomSymmetric(n, 1000 * n + seed);
        expectConforms(m, openblasSymmetricEigen(m, routines()), symmetricEigen(m));
      }
    },
  );

  test.skipIf(!available).each([
    [5, 1],
    [12, 4],
    [60, 17],
    [100, 99],
  ])(
    `rank-deficient n = %i, rank %i (X Xᵀ): the null space as a subspace, the rest up to sign${skipNote}`,
    (n, rank) => {
      const m = rankDeficient(n, rank, 7 * n + rank);
      expectConforms(m, openblasSymmetricEigen(m, routines()), symmetricEigen(m));
    },
  );

  test.skipIf(!available)(`the zero matrix and a multiple of the identity${skipNote}`, () => {
    for (const m of [
      matrix(6, 6),
      matrix(
        4,
        4,
        Float64Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 3 : 0)),
      ),
    ]) {
      expectConforms(m, openblasSymmetricEigen(m, routines()), symmetricEigen(m));
    }
  });

  test.skipIf(!available)(
    `a non-square or asymmetric matrix is refused as the JavaScript solver refuses it${skipNote}`,
    () => {
      const asym = matrix(2, 2, Float64Array.of(1, 2, 3, 4));
      expect(() => openblasSymmetricEigen(asym, routines())).toThrow(ValidationError);
      expect(() => openblasSymmetricEigen(asym, routines())).toThrow(/asymmetry.*symmetrise/);
      expect(() => openblasSymmetricEigen(matrix(2, 3), routines())).toThrow(/2×3/);
    },
  );
});

test('a failing dsyevd (info ≠ 0) is an error that says so and names the fallback, not a wrong result', () => {
  const failing = { dsyevd: (...args: unknown[]) => ((args[10] as Int32Array)[0] = 3) } as unknown as Parameters<
    typeof openblasSymmetricEigen
  >[1];
  const call = () => openblasSymmetricEigen(randomSymmetric(4, 1), failing);
  expect(call).toThrow(AecheckError);
  expect(call).toThrow(/info = 3.*did not converge.*--backend reference/);
});

test('a library that cannot load is reported, with the fix', () => {
  expect(() => loadOpenblasLibrary('libopenblas-missing.so.0')).toThrow(/apt-get install libopenblas0-pthread/);
});
