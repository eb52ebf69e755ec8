/**
 * Linear-algebra glue over ml-matrix (a maintained library: eigendecomposition, QR, Cholesky, LU). Float64.
 */
import {
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

/**
 * Refuses a matrix that is not square or not exactly symmetric (m_ij ≠ m_ji in any bit): the check of {@link cholesky}
 * and of its native twin, which read one triangle only and would silently factor a different matrix.
 */
export function assertExactlySymmetric(m: Matrix): void {
  const n = m.rows;
  if (m.cols !== n) {
    throw new ValidationError({ field: 'matrix', received: `${m.rows}×${m.cols}`, expected: 'a square matrix' });
  }
  const a = m.data;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (a[i * n + j] !== a[j * n + i]) {
        throw new ValidationError({
          field: 'matrix',
          received: `m[${i}][${j}] = ${a[i * n + j]} ≠ m[${j}][${i}] = ${a[j * n + i]}`,
          expected: 'a symmetric positive-definite matrix',
          hint: 'symmetrise it as (M + Mᵀ)/2',
        });
      }
    }
  }
}

/** The error of a Cholesky factorisation whose pivot j (m_jj − Σ_k L_jk²) fell to or below its floor. */
export function notPositiveDefinite(j: number, pivot: number, diagonal: number): ValidationError {
  return new ValidationError({
    field: 'matrix',
    received: `not positive definite (pivot ${j} is ${pivot.toExponential(3)} against a diagonal entry of ${diagonal})`,
    expected: 'a symmetric positive-definite matrix',
  });
}

/**
 * Lower-triangular L (row-major, zeros above the diagonal) with L·Lᵀ = m, for a symmetric positive-definite m.
 *
 * The row-oriented Cholesky–Banachiewicz recurrence, with the same operations in the same order as ml-matrix's
 * `CholeskyDecomposition` (so the same bits: a test checks it), on the Float64Arrays themselves: both inner loops
 * run over contiguous rows, which makes it about 30× faster than ml-matrix's element accessors at n = 1600.
 *
 * A pivot m_jj − Σ_k L_jk² must exceed `minRelativePivot`·m_jj. The default 0 is ml-matrix's test (pivot > 0); a
 * caller whose singular matrices come out of round-off with a tiny positive pivot passes a larger one.
 */
export function cholesky(m: Matrix, minRelativePivot = 0): Matrix {
  assertExactlySymmetric(m);
  const n = m.rows;
  const a = m.data;
  const out = matrix(n, n);
  const l = out.data;
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let d = 0;
    for (let k = 0; k < j; k++) {
      const rowK = k * n;
      let s = 0;
      for (let i = 0; i < k; i++) s += l[rowK + i] * l[rowJ + i];
      s = (a[rowJ + k] - s) / l[rowK + k];
      l[rowJ + k] = s;
      d = d + s * s;
    }
    d = a[rowJ + j] - d;
    if (!(d > minRelativePivot * a[rowJ + j])) throw notPositiveDefinite(j, d, a[rowJ + j]);
    l[rowJ + j] = Math.sqrt(d);
  }
  return out;
}

/** Y with L·Y = B, for lower-triangular L (n×n, nonzero diagonal) and B (n×k): forward substitution by rows. */
export function solveLower(l: Matrix, b: Matrix): Matrix {
  const n = l.rows;
  const k = b.cols;
  if (l.cols !== n || b.rows !== n) {
    throw new ValidationError({
      field: 'b',
      received: `${b.rows}×${b.cols} against L ${l.rows}×${l.cols}`,
      expected: `a square L and B with ${n} rows`,
    });
  }
  const y = matrix(n, k);
  const yd = y.data;
  yd.set(b.data);
  for (let i = 0; i < n; i++) {
    const rowY = i * k;
    for (let p = 0; p < i; p++) {
      const c = l.data[i * n + p];
      if (c === 0) continue;
      const rowP = p * k;
      for (let q = 0; q < k; q++) yd[rowY + q] -= c * yd[rowP + q];
    }
    const diag = l.data[i * n + i];
    for (let q = 0; q < k; q++) yd[rowY + q] /= diag;
  }
  return y;
}

/** X with Lᵀ·X = Y, for lower-triangular L (n×n, nonzero diagonal) and Y (n×k): back substitution by rows. */
export function solveLowerTransposed(l: Matrix, y: Matrix): Matrix {
  const n = l.rows;
  const k = y.cols;
  if (l.cols !== n || y.rows !== n) {
    throw new ValidationError({
      field: 'y',
      received: `${y.rows}×${y.cols} against L ${l.rows}×${l.cols}`,
      expected: `a square L and Y with ${n} rows`,
    });
  }
  const x = matrix(n, k);
  const xd = x.data;
  xd.set(y.data);
  for (let i = n - 1; i >= 0; i--) {
    const rowX = i * k;
    const diag = l.data[i * n + i];
    for (let q = 0; q < k; q++) xd[rowX + q] /= diag;
    // Row i of X is final: remove its share from the rows above (L_ip for p < i is column p of Lᵀ's row i).
    for (let p = 0; p < i; p++) {
      const c = l.data[i * n + p];
      if (c === 0) continue;
      const rowP = p * k;
      for (let q = 0; q < k; q++) xd[rowP + q] -= c * xd[rowX + q];
    }
  }
  return x;
}

/**
 * X = S⁻¹B for a symmetric positive-definite S (n×n) and B (n×k): {@link cholesky} (with its `minRelativePivot`), then
 * {@link solveLower} and {@link solveLowerTransposed}. The JavaScript reference of the simulations' positive-definite
 * solve (src/sim/spdSolver.ts), whose native twin is LAPACK's dpotrf/dpotrs.
 */
export function choleskySolve(s: Matrix, b: Matrix, minRelativePivot = 0): Matrix {
  // A B without n rows is refused by solveLower (field `b`, "a square L and B with n rows").
  const l = cholesky(s, minRelativePivot);
  return solveLowerTransposed(l, solveLower(l, b));
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
