import { cholesky } from '../../core/linalg.ts';
import { matrixFromRows } from '../../core/matrix.ts';
import type { Progress } from '../../core/progress.ts';
import type { Rng } from '../../core/rng.ts';
import { gaussianSampleMean, type SampleMean } from '../support/gaussianSampleMean.ts';

/** Options of {@link covarianceSampleMean}. */
export interface CovarianceSampleMeanOptions {
  /** The covariance C (d×d, symmetric positive definite), as rows. */
  covariance: number[][];
  /** The integrand f(x) of a vector x ∈ R^d (may not keep x: its buffer is reused). */
  integrand: (x: Float64Array) => number;
  /** Number of samples. */
  samples: number;
  /** Stream of the samples. */
  rng: Rng;
  progress?: Progress;
}

/**
 * The Monte Carlo mean of f(x) over x ~ N(0, C): z ~ N(0, I_d) in blocks ({@link gaussianSampleMean}), x = L z with
 * C = L Lᵀ (Cholesky, float64). The loop the integral claims (integrals-monte-carlo, authors-i2-relu-is-half) share.
 */
export function covarianceSampleMean(options: CovarianceSampleMeanOptions): SampleMean {
  const c = options.covariance;
  const d = c.length;
  const l = cholesky(matrixFromRows(c)).data;
  const x = new Float64Array(d);
  const f = options.integrand;
  return gaussianSampleMean({
    dim: d,
    samples: options.samples,
    rng: options.rng,
    progress: options.progress,
    values(z, rows, out) {
      for (let r = 0; r < rows; r++) {
        const o = r * d;
        for (let i = 0; i < d; i++) {
          let v = 0;
          for (let k = 0; k <= i; k++) v += l[i * d + k] * z[o + k];
          x[i] = v;
        }
        out[r] = f(x);
      }
    },
  });
}
