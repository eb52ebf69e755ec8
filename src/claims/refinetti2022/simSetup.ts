/**
 * Shared set-up of the refinetti2022 simulation claims: the standardised random spiked model (paper eq. (3);
 * docs/theory-refinetti2022.md (E4), as in `truncated_vanilla_SGD.py`), initial weights at the authors' init 0.1, and
 * the vector-form ODE from the same weights (so ODE and SGD start from exactly the same state).
 */
import type { Rng } from '../../core/rng.ts';
import type { GaussianSource } from '../../data/gaussianSource.ts';
import { spikedCovariance } from '../../data/spikedCovariance.ts';
import { type AutoencoderWeights, initialWeights, projectWeights } from '../../sim/refinetti2022/weights.ts';
import { integrateOde, type OdeTrajectory } from '../../theory/refinetti2022/integrateOde.ts';
import type { OdeRule } from '../../theory/refinetti2022/vectorField.ts';

/** The authors' init std (`--init`/`--std0` default 0.1). */
export const INIT_SCALE = 0.1;
/** The authors' η in `truncated_vanilla_SGD.py`. */
export const REFERENCE_LEARNING_RATE = 0.4;

/** A spiked problem and initial weights. */
export interface SpikedSetup {
  source: GaussianSource;
  weights: AutoencoderWeights;
  /** ε_PCA(m), m = 0..M. */
  pca: number[];
}

/** Standardised random spiked model with M spikes and K units at init 0.1. */
export function spikedSetup(options: {
  dim: number;
  spikes: number;
  hidden: number;
  rng: Rng;
  bias?: boolean;
}): SpikedSetup {
  const { dim, spikes, hidden, rng } = options;
  const source = spikedCovariance({ dim, spikes, rng: rng.fork('data') });
  const weights = initialWeights({
    hidden,
    dim,
    initialScale: INIT_SCALE,
    rng: rng.fork('weights'),
    bias: options.bias ?? false,
  });
  // ε_PCA(m) = ½(TrΩ − Σ_{top m} ρ)/D ((E15)); the bulk is not listed in source.values, so TrΩ comes from the source.
  const pca = Array.from(
    { length: spikes + 1 },
    (_, m) => 0.5 * (source.traceOmegaOverD - sumTop(source.values, m) / dim),
  );
  return { source, weights, pca };
}

function sumTop(values: Float64Array, m: number): number {
  let s = 0;
  for (let i = 0; i < m; i++) s += values[i];
  return s;
}

/**
 * The ODE from the same weights; a bias in the weights is the ODE's initial β and is trained (as the simulator's is)
 * unless `trainBias` is false.
 */
export function odeFromWeights(options: {
  source: GaussianSource;
  weights: AutoencoderWeights;
  activation: 'linear' | 'erf' | 'relu';
  rule?: OdeRule;
  learningRate: number;
  times: readonly number[];
  /** Train the bias in `weights` (default true when there is one; false holds it fixed, as a control does). */
  trainBias?: boolean;
}): OdeTrajectory {
  const p = projectWeights(options.weights, options.source);
  return integrateOde({
    spectrum: p.spectrum,
    activation: options.activation,
    rule: options.rule ?? 'vanilla',
    learningRate: options.learningRate,
    initial: options.weights.bias ? { ...p.state, bias: Float64Array.from(options.weights.bias) } : p.state,
    ...(options.weights.bias && (options.trainBias ?? true) ? { trainBias: true } : {}),
    times: options.times,
    traceOmegaOverD: p.traceOmegaOverD,
  });
}
