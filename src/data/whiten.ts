/**
 * Centring, average pooling and whitening of image data (Shevchenko et al. 2023; docs/theory-shevchenko2023.md (S13),
 * this project's protocol): per-pixel means removed, then x ← Σ^(−1/2)(x − μ) with Σ the training covariance plus a
 * ridge (pixel covariances are ill-conditioned). Float64; eigendecomposition by ml-matrix through core/linalg, or by the
 * solver the caller passes; the dense products on the `gemm` the caller passes (a run's kernels).
 */
import { ValidationError } from '../core/errors.ts';
import { type SymmetricEigenFn, symmetricEigen } from '../core/linalg.ts';
import { matrix } from '../core/matrix.ts';
import { gemm as referenceGemm } from '../kernels/reference/gemm.ts';
import { BLOCK_ROWS, blockedGram, type DataGemm } from './blockedGram.ts';

/** A fitted whitening transform. */
export interface Whitener {
  dim: number;
  mean: Float64Array;
  /** Σ_ridge^(−1/2), dim×dim, row-major. */
  transform: Float64Array;
  /** The ridge added to Σ's eigenvalues. */
  ridge: number;
}

/** Default ridge as a fraction of the mean eigenvalue (docs/theory-shevchenko2023.md (S13): 1e-3). */
export const DEFAULT_RIDGE_FRACTION = 1e-3;

/**
 * Average-pools square images of side `side` by `factor` (side must be divisible by factor). Each input value is read
 * as `images[k] / divisor` (default 1: the values themselves), so raw bytes with their scale (e.g. FashionMNIST's
 * bytes and 255) give the same bits as the converted float64 images, without converting them all first.
 */
export function poolImages(
  images: Float64Array | Uint8Array,
  count: number,
  side: number,
  factor: number,
  divisor = 1,
): { images: Float64Array; side: number } {
  if (!Number.isInteger(factor) || factor < 1 || side % factor !== 0) {
    throw new ValidationError({
      field: 'factor',
      received: factor,
      expected: `a positive divisor of the image side ${side}`,
    });
  }
  const out = side / factor;
  const res = new Float64Array(count * out * out);
  const inv = 1 / (factor * factor);
  for (let s = 0; s < count; s++) {
    for (let i = 0; i < out; i++) {
      for (let j = 0; j < out; j++) {
        let acc = 0;
        for (let a = 0; a < factor; a++)
          for (let b = 0; b < factor; b++)
            acc += images[s * side * side + (i * factor + a) * side + j * factor + b] / divisor;
        res[s * out * out + i * out + j] = acc * inv;
      }
    }
  }
  return { images: res, side: out };
}

/**
 * Resizes square images of side `side` to side `outSide` ≤ `side` by area averaging: output pixel (i, j) is the mean of
 * the input over the square [i·f, (i+1)·f) × [j·f, (j+1)·f), f = side/outSide, pixels cut by the edge weighted by the
 * part inside. When `outSide` divides `side` this is {@link poolImages} (which it then calls, so the result is the
 * same to the bit). Input values are read as `images[k] / divisor`, as in {@link poolImages}.
 */
export function resampleImages(
  images: Float64Array | Uint8Array,
  count: number,
  side: number,
  outSide: number,
  divisor = 1,
): { images: Float64Array; side: number } {
  if (!Number.isInteger(outSide) || outSide < 1 || outSide > side) {
    throw new ValidationError({
      field: 'outSide',
      received: outSide,
      expected: `an integer side between 1 and the image side ${side}`,
    });
  }
  if (side % outSide === 0) return poolImages(images, count, side, side / outSide, divisor);
  // weights[i·side + a]: the share of input row (or column) a in output row i (the two axes use the same weights).
  const f = side / outSide;
  const weights = new Float64Array(outSide * side);
  for (let i = 0; i < outSide; i++) {
    const lo = i * f;
    const hi = (i + 1) * f;
    for (let a = Math.floor(lo); a < Math.min(side, Math.ceil(hi)); a++) {
      weights[i * side + a] = (Math.min(hi, a + 1) - Math.max(lo, a)) / f;
    }
  }
  const out = outSide;
  const rows = new Float64Array(out * side);
  const res = new Float64Array(count * out * out);
  for (let s = 0; s < count; s++) {
    const img = s * side * side;
    // Rows first (out × side), then columns.
    rows.fill(0);
    for (let i = 0; i < out; i++)
      for (let a = 0; a < side; a++) {
        const w = weights[i * side + a];
        if (w === 0) continue;
        for (let b = 0; b < side; b++) rows[i * side + b] += w * (images[img + a * side + b] / divisor);
      }
    for (let i = 0; i < out; i++)
      for (let j = 0; j < out; j++) {
        let acc = 0;
        for (let b = 0; b < side; b++) acc += weights[j * side + b] * rows[i * side + b];
        res[s * out * out + i * out + j] = acc;
      }
  }
  return { images: res, side: out };
}

/** The product the whitener's three dense steps run on: a kernel set's `gemm` (default: the reference one). */
export type WhitenGemm = DataGemm;

/** Copies rows [from, from + rows) of `data` (·×dim) into `block`, minus `mean`. */
function centredBlock(
  data: Float64Array,
  from: number,
  rows: number,
  dim: number,
  mean: Float64Array,
  block: Float64Array,
) {
  for (let s = 0; s < rows; s++) {
    const o = (from + s) * dim;
    const b = s * dim;
    for (let j = 0; j < dim; j++) block[b + j] = data[o + j] - mean[j];
  }
}

/**
 * Fits the whitening transform on `count` rows of `data` (count×dim); `eigen` decomposes the covariance (default:
 * core/linalg's JavaScript `symmetricEigen`; a run may pass OpenBLAS's, see src/sim/symmetricEigenSolver.ts), and
 * `gemm` makes its two dense products: the covariance Σ = XcᵀXc/(count − 1) as a Gram product over blocks of centred
 * rows, and Σ_ridge^(−1/2) = (V·diag(w))·Vᵀ. A run passes its kernels' `gemm`: on OpenBLAS the whole fit at d = 784 over
 * 55 000 images takes about a second, where plain loops took 64 CPU s (node --cpu-prof, 2026-11-30).
 */
export function fitWhitener(
  data: Float64Array,
  count: number,
  dim: number,
  ridgeFraction = DEFAULT_RIDGE_FRACTION,
  eigen: SymmetricEigenFn = symmetricEigen,
  gemm: WhitenGemm = referenceGemm,
): Whitener {
  if (count < 2) throw new ValidationError({ field: 'count', received: count, expected: 'at least 2 samples' });
  const mean = new Float64Array(dim);
  for (let s = 0; s < count; s++) for (let j = 0; j < dim; j++) mean[j] += data[s * dim + j] / count;
  const scratch = new Float64Array(Math.min(count, BLOCK_ROWS) * dim);
  const acc = blockedGram(
    count,
    dim,
    (from, rows) => {
      centredBlock(data, from, rows, dim, mean, scratch);
      return rows * dim === scratch.length ? scratch : scratch.subarray(0, rows * dim);
    },
    gemm,
  );
  const cov = matrix(dim, dim);
  // Symmetrise from the upper triangle, so that the eigensolver sees an exactly symmetric matrix.
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const v = acc[i * dim + j] / (count - 1);
      cov.data[i * dim + j] = v;
      cov.data[j * dim + i] = v;
    }
  }
  const { values, vectors } = eigen(cov);
  let meanEig = 0;
  for (const v of values) meanEig += Math.max(v, 0) / dim;
  const ridge = ridgeFraction * meanEig;
  // V·diag(w), w_t = (λ_t + ridge)^(−1/2), then times Vᵀ.
  const scaled = new Float64Array(dim * dim);
  const w = new Float64Array(dim);
  for (let t = 0; t < dim; t++) w[t] = 1 / Math.sqrt(Math.max(values[t], 0) + ridge);
  for (let i = 0; i < dim; i++) for (let t = 0; t < dim; t++) scaled[i * dim + t] = vectors.data[i * dim + t] * w[t];
  const product = gemm({ m: dim, n: dim, k: dim, a: scaled, b: vectors.data, transB: true });
  // Exactly symmetric, like Σ_ridge^(−1/2) itself (the two triangles differ by round-off otherwise).
  const transform = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const v = product[i * dim + j];
      transform[i * dim + j] = v;
      transform[j * dim + i] = v;
    }
  }
  return { dim, mean, transform, ridge };
}

/**
 * Applies a whitener to `count` rows of `data`; returns a new count×dim array: (x − μ)·Σ_ridge^(−1/2) by blocks of
 * rows, one `gemm` per block written into the result (the transform is symmetric, so no transpose).
 */
export function applyWhitener(
  w: Whitener,
  data: Float64Array,
  count: number,
  gemm: WhitenGemm = referenceGemm,
): Float64Array {
  const { dim } = w;
  const out = new Float64Array(count * dim);
  const block = new Float64Array(Math.min(count, BLOCK_ROWS) * dim);
  for (let from = 0; from < count; from += BLOCK_ROWS) {
    const rows = Math.min(BLOCK_ROWS, count - from);
    centredBlock(data, from, rows, dim, w.mean, block);
    const xc = rows * dim === block.length ? block : block.subarray(0, rows * dim);
    const target = out.subarray(from * dim, (from + rows) * dim);
    const got = gemm({ m: rows, n: dim, k: dim, a: xc, b: w.transform, out: target });
    if (got !== target) target.set(got);
  }
  return out;
}
