/**
 * Centring, average pooling and whitening of image data (Shevchenko et al. 2023; docs/theory-shevchenko2023.md (S13),
 * this project's protocol): per-pixel means removed, then x ← Σ^(−1/2)(x − μ) with Σ the training covariance plus a
 * ridge (pixel covariances are ill-conditioned). Float64; eigendecomposition by ml-matrix through core/linalg, or by the
 * solver the caller passes.
 */
import { ValidationError } from '../core/errors.ts';
import { type SymmetricEigenFn, symmetricEigen } from '../core/linalg.ts';
import { matrix } from '../core/matrix.ts';

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

/**
 * Fits the whitening transform on `count` rows of `data` (count×dim); `eigen` decomposes the covariance (default:
 * core/linalg's JavaScript `symmetricEigen`; a run may pass OpenBLAS's, see src/sim/symmetricEigenSolver.ts).
 */
export function fitWhitener(
  data: Float64Array,
  count: number,
  dim: number,
  ridgeFraction = DEFAULT_RIDGE_FRACTION,
  eigen: SymmetricEigenFn = symmetricEigen,
): Whitener {
  if (count < 2) throw new ValidationError({ field: 'count', received: count, expected: 'at least 2 samples' });
  const mean = new Float64Array(dim);
  for (let s = 0; s < count; s++) for (let j = 0; j < dim; j++) mean[j] += data[s * dim + j] / count;
  const cov = matrix(dim, dim);
  for (let s = 0; s < count; s++) {
    for (let i = 0; i < dim; i++) {
      const xi = data[s * dim + i] - mean[i];
      if (xi === 0) continue;
      for (let j = i; j < dim; j++) cov.data[i * dim + j] += xi * (data[s * dim + j] - mean[j]);
    }
  }
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const v = cov.data[i * dim + j] / (count - 1);
      cov.data[i * dim + j] = v;
      cov.data[j * dim + i] = v;
    }
  }
  const { values, vectors } = eigen(cov);
  let meanEig = 0;
  for (const v of values) meanEig += Math.max(v, 0) / dim;
  const ridge = ridgeFraction * meanEig;
  const transform = new Float64Array(dim * dim);
  for (let t = 0; t < dim; t++) {
    const w = 1 / Math.sqrt(Math.max(values[t], 0) + ridge);
    for (let i = 0; i < dim; i++) {
      const vi = vectors.data[i * dim + t] * w;
      for (let j = 0; j < dim; j++) transform[i * dim + j] += vi * vectors.data[j * dim + t];
    }
  }
  return { dim, mean, transform, ridge };
}

/** Applies a whitener to `count` rows of `data`; returns a new count×dim array. */
export function applyWhitener(w: Whitener, data: Float64Array, count: number): Float64Array {
  const { dim } = w;
  const out = new Float64Array(count * dim);
  const centred = new Float64Array(dim);
  for (let s = 0; s < count; s++) {
    for (let j = 0; j < dim; j++) centred[j] = data[s * dim + j] - w.mean[j];
    for (let i = 0; i < dim; i++) {
      let acc = 0;
      for (let j = 0; j < dim; j++) acc += w.transform[i * dim + j] * centred[j];
      out[s * dim + i] = acc;
    }
  }
  return out;
}
