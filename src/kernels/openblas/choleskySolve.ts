/**
 * X with S·X = B for a symmetric positive-definite S, by LAPACK's dpotrf (Cholesky factor) and dpotrs (the two
 * triangular solves) in the system OpenBLAS: the native twin of core/linalg's `choleskySolve` (the same input checks,
 * the same relative pivot floor, the same result layout). At n = 400 with 100 right-hand sides it replaces about 90 ms
 * of JavaScript loops by about 2 ms (the solve of reduced-gd-limit's r = 4 run, once per iteration). The result agrees
 * with the JavaScript solve to round-off, not bit for bit (blocked factorisation); choleskySolve.test.ts holds both to
 * that. Float64 only.
 */
import { ValidationError } from '../../core/errors.ts';
import { assertExactlySymmetric, notPositiveDefinite } from '../../core/linalg.ts';
import { type Matrix, matrix } from '../../core/matrix.ts';
import type { LapackRoutines } from './openblasLibrary.ts';

/**
 * S⁻¹B (n×k) for the symmetric positive-definite S (n×n) and B (n×k), by dpotrf and dpotrs of `lapack`. Refuses what
 * core/linalg's `choleskySolve` refuses: a non-square or not exactly symmetric S, a B without n rows, and an S with a pivot
 * d_j = L_jj² ≤ minRelativePivot·S_jj (not positive definite, or singular to that floor; dpotrf's own failure on a
 * pivot ≤ 0 is reported the same way). Neither input is modified.
 */
export function openblasCholeskySolve(s: Matrix, b: Matrix, lapack: LapackRoutines, minRelativePivot = 0): Matrix {
  assertExactlySymmetric(s);
  const n = s.rows;
  const k = b.cols;
  if (b.rows !== n) {
    throw new ValidationError({
      field: 'b',
      received: `${b.rows}×${b.cols} against S ${s.rows}×${s.cols}`,
      expected: `B with ${n} rows`,
    });
  }
  if (n === 0 || k === 0) return matrix(n, k);
  // Row-major symmetric data read as column-major is the same matrix; 'L' factors its lower triangle.
  const factor = Float64Array.from(s.data);
  const size = Int32Array.of(n);
  const info = new Int32Array(1);
  lapack.dpotrf('L', size, factor, size, info, 1);
  if (info[0] < 0) throw new Error(`unreachable: dpotrf rejected argument ${-info[0]}`);
  if (info[0] > 0) {
    // The leading minor of order info[0] is not positive definite: its last pivot is ≤ 0 (or NaN).
    const j = info[0] - 1;
    throw notPositiveDefinite(j, factor[j * n + j], s.data[j * n + j]);
  }
  for (let j = 0; j < n; j++) {
    const l = factor[j * n + j];
    const pivot = l * l;
    if (!(pivot > minRelativePivot * s.data[j * n + j])) throw notPositiveDefinite(j, pivot, s.data[j * n + j]);
  }
  // B row-major n×k, transposed: column-major n×k for dpotrs, which overwrites it with X (column-major).
  const x = new Float64Array(n * k);
  const bd = b.data;
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) x[c * n + i] = bd[i * k + c];
  lapack.dpotrs('L', size, Int32Array.of(k), factor, size, x, size, info, 1);
  if (info[0] !== 0) throw new Error(`unreachable: dpotrs rejected argument ${-info[0]}`);
  const out = matrix(n, k);
  const od = out.data;
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) od[i * k + c] = x[c * n + i];
  return out;
}
