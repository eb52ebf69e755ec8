/**
 * Linear-algebra glue over ml-matrix (a maintained library: eigendecomposition, QR, Cholesky, LU). Float64.
 */
import {
  CholeskyDecomposition,
  EigenvalueDecomposition,
  Matrix as MlMatrix,
  QrDecomposition,
  inverse as mlInverse,
  solve as mlSolve,
} from 'ml-matrix';
import { ValidationError } from './errors.ts';
import { type Matrix, matrix } from './matrix.ts';
import type { Rng } from './rng.ts';

function toMl(m: Matrix): MlMatrix {
  const out = new MlMatrix(m.rows, m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out.set(i, j, m.data[i * m.cols + j]);
  return out;
}

function fromMl(m: MlMatrix): Matrix {
  const out = matrix(m.rows, m.columns);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.columns; j++) out.data[i * m.columns + j] = m.get(i, j);
  return out;
}

/** Eigenvalues (descending) and unit eigenvectors (column j of `vectors` belongs to `values[j]`). */
export interface SymmetricEigen {
  values: Float64Array;
  vectors: Matrix;
}

/**
 * A symmetric eigensolver with {@link symmetricEigen}'s contract: the data side takes one as an option (default
 * {@link symmetricEigen}) so that a caller may pass a native one (src/sim/symmetricEigenSolver.ts).
 */
export type SymmetricEigenFn = (m: Matrix) => SymmetricEigen;

/** Relative asymmetry above which {@link symmetricEigen} refuses its input. */
const SYMMETRY_TOLERANCE = 1e-10;

/**
 * Throws a ValidationError unless `m` is square and symmetric to a relative 1e-10 of its largest entry (the input
 * check of every symmetric eigensolver: this one and the native one of the OpenBLAS kernels).
 */
export function assertSymmetric(m: Matrix): void {
  if (m.rows !== m.cols) {
    throw new ValidationError({ field: 'matrix', received: `${m.rows}×${m.cols}`, expected: 'a square matrix' });
  }
  const n = m.rows;
  let scale = 0;
  let asym = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      scale = Math.max(scale, Math.abs(m.data[i * n + j]));
      asym = Math.max(asym, Math.abs(m.data[i * n + j] - m.data[j * n + i]));
    }
  }
  if (asym > SYMMETRY_TOLERANCE * Math.max(scale, 1e-300)) {
    throw new ValidationError({
      field: 'matrix',
      received: `asymmetry ${asym.toExponential(2)}`,
      expected: 'a symmetric matrix',
      hint: 'symmetrise it as (M + Mᵀ)/2',
    });
  }
}

/** Eigendecomposition of a symmetric matrix, eigenvalues sorted in descending order. */
export function symmetricEigen(m: Matrix): SymmetricEigen {
  assertSymmetric(m);
  const n = m.rows;
  const evd = new EigenvalueDecomposition(toMl(m), { assumeSymmetric: true });
  const vals = evd.realEigenvalues;
  const vecs = evd.eigenvectorMatrix;
  const order = vals.map((_, i) => i).sort((a, b) => vals[b] - vals[a]);
  const values = new Float64Array(n);
  const vectors = matrix(n, n);
  order.forEach((src, dst) => {
    values[dst] = vals[src];
    for (let i = 0; i < n; i++) vectors.data[i * n + dst] = vecs.get(i, src);
  });
  return { values, vectors };
}

/** Lower-triangular L with L·Lᵀ = m, for a symmetric positive-definite m. */
export function cholesky(m: Matrix): Matrix {
  const c = new CholeskyDecomposition(toMl(m));
  if (!c.isPositiveDefinite()) {
    throw new ValidationError({
      field: 'matrix',
      received: 'not positive definite',
      expected: 'a symmetric positive-definite matrix',
    });
  }
  return fromMl(c.lowerTriangularMatrix);
}

/** Thin QR decomposition m = q·r (m is rows × cols with rows ≥ cols). */
export function qr(m: Matrix): { q: Matrix; r: Matrix } {
  const d = new QrDecomposition(toMl(m));
  return { q: fromMl(d.orthogonalMatrix), r: fromMl(d.upperTriangularMatrix) };
}

/** Solution x of a·x = b (least squares when a is not square). */
export function solve(a: Matrix, b: Matrix): Matrix {
  return fromMl(mlSolve(toMl(a), toMl(b)));
}

/** Inverse of a square matrix. */
export function inverse(a: Matrix): Matrix {
  return fromMl(mlInverse(toMl(a)));
}

/**
 * A Haar-random n × n orthogonal matrix: QR of a Gaussian matrix with the signs of diag(R) moved into Q
 * (Mezzadri 2007), so the distribution is exactly Haar.
 */
export function haarOrthogonal(n: number, rng: Rng): Matrix {
  return haarColumns(n, n, rng);
}

/**
 * The first `cols` columns of the n × n Haar matrix that {@link haarOrthogonal} would draw from the same `rng`, bit
 * for bit, at a fraction of its cost. The rng draws the whole n × n Gaussian matrix (so the stream advances as
 * before), but only its first `cols` columns are factored: Householder QR builds column j of Q from columns 0..j of
 * the input alone, with the same operations, so the thin QR of an n × cols matrix gives those columns exactly
 * (2n·cols² flops instead of (4/3)n³: 12× fewer for n = 1600, cols = 400).
 */
export function haarColumns(n: number, cols: number, rng: Rng): Matrix {
  if (!Number.isInteger(cols) || cols < 1 || cols > n) {
    throw new ValidationError({
      field: 'cols',
      received: cols,
      expected: `an integer in [1, n = ${n}]`,
      hint: 'ask for at most as many columns as the matrix has rows',
    });
  }
  const g = matrix(n, n);
  rng.fillNormal(g.data);
  let a = g;
  if (cols < n) {
    a = matrix(n, cols);
    for (let i = 0; i < n; i++) a.data.set(g.data.subarray(i * n, i * n + cols), i * cols);
  }
  const { q, r } = qr(a);
  for (let j = 0; j < cols; j++) {
    if (r.data[j * cols + j] < 0) for (let i = 0; i < n; i++) q.data[i * cols + j] = -q.data[i * cols + j];
  }
  return q;
}
