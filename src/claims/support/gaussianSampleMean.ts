import type { Progress } from '../../core/progress.ts';
import type { Rng } from '../../core/rng.ts';
import { RunningStats } from '../../core/stats.ts';

/** Rows of x per block: the block matrix stays small (≤ 4096·d doubles) whatever the sample count. */
export const SAMPLE_BLOCK = 4096;

/** Options of {@link gaussianSampleMean}. */
export interface GaussianSampleMeanOptions {
  /** Dimension d of x ~ N(0, I_d). */
  dim: number;
  /** Number of samples. */
  samples: number;
  /** Stream of the samples. */
  rng: Rng;
  /**
   * Writes one value per row of the block `x` (rows × dim, row-major) into `out[0..rows)`; may call kernels. The
   * block buffer is reused: copy anything kept.
   */
  values(x: Float64Array, rows: number, out: Float64Array): void;
  progress?: Progress;
  /** Rows per block (default {@link SAMPLE_BLOCK}). */
  block?: number;
}

/** Result of {@link gaussianSampleMean}. */
export interface SampleMean {
  mean: number;
  /** Standard error of the mean from the samples' variance (Welford). */
  standardError: number;
  count: number;
}

/**
 * The Monte Carlo mean of f(x) over x ~ N(0, I_d), drawn in blocks so memory stays bounded: the one loop the
 * statistical claims shared as copies (each with its own `CHUNK`).
 */
export function gaussianSampleMean(options: GaussianSampleMeanOptions): SampleMean {
  const { dim, samples, rng } = options;
  const block = options.block ?? SAMPLE_BLOCK;
  const x = new Float64Array(block * dim);
  const out = new Float64Array(block);
  const stats = new RunningStats();
  for (let done = 0; done < samples; done += block) {
    const rows = Math.min(block, samples - done);
    const xs = x.subarray(0, rows * dim);
    rng.fillNormal(xs);
    options.values(xs, rows, out);
    for (let r = 0; r < rows; r++) stats.push(out[r]);
    options.progress?.(done + rows, samples, 'samples');
  }
  return { mean: stats.mean, standardError: stats.standardError, count: stats.count };
}
