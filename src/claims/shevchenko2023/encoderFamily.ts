import { type Matrix, matrix } from '../../core/matrix.ts';
import type { Rng } from '../../core/rng.ts';
import type { KernelSet } from '../../kernels/kernelSpecs.ts';
import { gaussianMatrix, haarOrthonormalRows, haarTightFrame } from '../../sim/shevchenko2023/constructions.ts';
import { projectedGd } from '../../sim/shevchenko2023/projectedGd.ts';
import { gaussianStart } from './gdSetup.ts';

/**
 * Encoder families used to probe the lower bound (Shevchenko et al.; docs/theory-shevchenko2023.md (LB), (S4); see
 * docs/shevchenko2023.md).
 */
export const ENCODER_FAMILIES = ['gaussian', 'perturbed-frame', 'near-parallel', 'repeated-rows', 'optimised'] as const;
export type EncoderFamily = (typeof ENCODER_FAMILIES)[number];

/** Size of the perturbation of a Haar frame in the `perturbed-frame` family. */
const FRAME_PERTURBATION = 0.05;
/** Projected-GD iterations of the `optimised` family. */
const OPTIMISATION_STEPS = 300;
/** Spread of the rows around their common direction in the `near-parallel` family. */
const NEAR_PARALLEL_SPREAD = 0.1;

/**
 * An n×d encoder of the given family: i.i.d. Gaussian; a Haar frame (orthonormal rows or tight frame) plus a small
 * Gaussian perturbation; rows clustered around one direction; or rows repeated in pairs (with a tiny jitter so that
 * arcsin(M) stays invertible); or the end point of projected GD from a Gaussian start (small-d optimisation: the best
 * encoders the optimiser finds, which are the hardest test of the bound).
 */
export function encoderOfFamily(family: EncoderFamily, n: number, d: number, rng: Rng, kernels?: KernelSet): Matrix {
  switch (family) {
    case 'gaussian':
      return gaussianMatrix(n, d, rng);
    case 'perturbed-frame': {
      const base = n <= d ? haarOrthonormalRows(n, d, rng) : haarTightFrame(n, d, rng);
      const noise = gaussianMatrix(n, d, rng, FRAME_PERTURBATION / Math.sqrt(d));
      return matrix(
        n,
        d,
        base.data.map((v, i) => v + noise.data[i]),
      );
    }
    case 'near-parallel': {
      const dir = gaussianMatrix(1, d, rng);
      const noise = gaussianMatrix(n, d, rng, NEAR_PARALLEL_SPREAD);
      return matrix(
        n,
        d,
        noise.data.map((v, i) => v + dir.data[i % d]),
      );
    }
    case 'optimised': {
      if (!kernels) throw new Error('encoderOfFamily: the optimised family needs kernels');
      const start = gaussianStart({ dim: d, rate: n / d, rng });
      return projectedGd({
        decoder: start.decoder,
        encoder: start.encoder,
        iterations: OPTIMISATION_STEPS,
        kernels,
      }).encoder;
    }
    case 'repeated-rows': {
      const half = gaussianMatrix(Math.ceil(n / 2), d, rng);
      const jitter = gaussianMatrix(n, d, rng, 1e-3);
      const out = matrix(n, d);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < d; j++) out.data[i * d + j] = half.data[(i >> 1) * d + j] + jitter.data[i * d + j];
      return out;
    }
  }
}
