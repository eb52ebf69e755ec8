/**
 * Weights of the shallow autoencoder x̂ = Σ_k v^k g(w^k·x/√D + β_k) of Refinetti & Goldt 2022 (paper eq. (1);
 * docs/theory-refinetti2022.md (E1)), and their projections on a source's eigen-directions (the ODE's initial state, so
 * ODE and SGD start from the same weights).
 */
import { ValidationError } from '../../core/errors.ts';
import type { Rng } from '../../core/rng.ts';
import type { Spectrum } from '../../core/spectrum.ts';
import type { GaussianSource } from '../../data/gaussianSource.ts';
import type { OdeState } from '../../theory/refinetti2022/odeState.ts';

/** Network weights, flat row-major. */
export interface AutoencoderWeights {
  /** Hidden units K. */
  hidden: number;
  /** Input dimension D. */
  dim: number;
  /** Encoder, K × D (row k is w^k). */
  W: Float64Array;
  /** Decoder, K × D (row k is v^k). Tied networks ignore it and use W. */
  V: Float64Array;
  /**
   * Effective encoder bias β_k = b_k/√D (the code's bias b enters as b/√D, docs/theory-refinetti2022.md (E1)); absent:
   * no bias.
   */
  bias?: Float64Array;
}

/** Options of {@link initialWeights}. */
export interface InitialWeightsOptions {
  hidden: number;
  dim: number;
  /** Std of every weight entry (the authors' `init`, default 0.1). */
  initialScale?: number;
  /**
   * Add an encoder bias, drawn as PyTorch's default U(−1/√D, 1/√D) for b (so β = b/√D ~ U(−1/D, 1/D)), as the authors'
   * code does whatever `bias0` says (docs/theory-refinetti2022.md (K8)). Default false.
   */
  bias?: boolean;
  rng: Rng;
}

/** i.i.d. N(0, init²) weights as in `nn.init.normal_` (docs/theory-refinetti2022.md (E1)). */
export function initialWeights(options: InitialWeightsOptions): AutoencoderWeights {
  const { hidden: K, dim: D, rng } = options;
  const s = options.initialScale ?? 0.1;
  if (!Number.isInteger(K) || K < 1)
    throw new ValidationError({ field: 'hidden', received: K, expected: 'an integer K ≥ 1' });
  if (!Number.isInteger(D) || D < 1)
    throw new ValidationError({ field: 'dim', received: D, expected: 'an integer D ≥ 1' });
  const W = new Float64Array(K * D);
  const V = new Float64Array(K * D);
  rng.fillNormal(W, 0, W.length, s);
  rng.fillNormal(V, 0, V.length, s);
  const weights: AutoencoderWeights = { hidden: K, dim: D, W, V };
  if (options.bias) {
    const bias = new Float64Array(K);
    for (let k = 0; k < K; k++) bias[k] = (2 * rng.uniform() - 1) / Math.sqrt(D) / Math.sqrt(D);
    weights.bias = bias;
  }
  return weights;
}

/** A deep copy. */
export function cloneWeights(w: AutoencoderWeights): AutoencoderWeights {
  return {
    hidden: w.hidden,
    dim: w.dim,
    W: Float64Array.from(w.W),
    V: Float64Array.from(w.V),
    ...(w.bias ? { bias: Float64Array.from(w.bias) } : {}),
  };
}

/** The ODE's view of the weights: the state, the spectrum it lives on, and TrΩ/D. */
export interface ProjectedWeights {
  state: OdeState;
  spectrum: Spectrum;
  traceOmegaOverD: number;
}

/** Relative norm under which a bulk component is dropped in Gram–Schmidt (it is round-off). */
const BULK_DROP = 1e-12;

/**
 * Projects the weights on the source's directions: a_τ^k = w^k·e_τ, b_τ^k = v^k·e_τ/√D (docs/theory-refinetti2022.md
 * (E6)). When the source has a flat bulk (n < D), the parts of w^k, v^k orthogonal to the listed directions are
 * represented exactly by up to 2K orthonormal bulk directions f_j spanning them (all carry eigenvalue β; the ODE acts
 * on bulk directions of one eigenvalue by the same linear map, so their Gram matrix is all that matters — see
 * orderParameters.ts). The returned spectrum lists the n source directions then the bulk representatives.
 */
export function projectWeights(weights: AutoencoderWeights, source: GaussianSource, tied = false): ProjectedWeights {
  const { hidden: K, dim: D, W } = weights;
  const V = tied ? W : weights.V;
  const { directions: n, basis, values, bulk } = source;
  const sqrtD = Math.sqrt(D);
  // the 2K weight vectors (their bulk parts are found below) and their squared norms
  const vecs: Float64Array[] = [];
  const norms: number[] = [];
  const projA = new Float64Array(K * n);
  const projB = new Float64Array(K * n);
  for (let k = 0; k < K; k++) {
    for (let t = 0; t < n; t++) {
      const e = basis.subarray(t * D, (t + 1) * D);
      let aw = 0;
      let av = 0;
      for (let i = 0; i < D; i++) {
        aw += W[k * D + i] * e[i];
        av += V[k * D + i] * e[i];
      }
      projA[k * n + t] = aw;
      projB[k * n + t] = av / sqrtD;
    }
    vecs.push(W.subarray(k * D, (k + 1) * D), V.subarray(k * D, (k + 1) * D));
    let nw = 0;
    let nv = 0;
    for (let i = 0; i < D; i++) {
      nw += W[k * D + i] * W[k * D + i];
      nv += V[k * D + i] * V[k * D + i];
    }
    norms.push(nw, nv);
  }
  const bulkDirs: Float64Array[] = [];
  if (n < D) {
    const listed = Array.from({ length: n }, (_, t) => basis.subarray(t * D, (t + 1) * D));
    for (const [idx, v0] of vecs.entries()) {
      const u = Float64Array.from(v0);
      // Gram–Schmidt twice against every direction taken so far, the listed ones and the bulk ones. One pass leaves
      // u's overlap with them at round-off of the weight vector, ε‖w‖: normalised, a bulk part far smaller than the
      // weight vector (‖u‖ ≪ ‖w‖) would point partly along the spikes (by ε‖w‖/‖u‖) and get a wrong coordinate (one
      // pass: 4.9e-6 for a bulk part of 1e-10 at D = 12, −2.0e-3 for 1e-11 at D = 500). The second pass brings the
      // overlap to ε ("twice is enough").
      for (let pass = 0; pass < 2; pass++) {
        for (const f of [...listed, ...bulkDirs]) {
          let d = 0;
          for (let i = 0; i < D; i++) d += u[i] * f[i];
          for (let i = 0; i < D; i++) u[i] -= d * f[i];
        }
      }
      // Dropped relative to the weight vector, not to its bulk part: the bulk part of a vector inside the listed
      // directions is round-off, which is no direction at all.
      const norm0 = norms[idx];
      let norm = 0;
      for (let i = 0; i < D; i++) norm += u[i] * u[i];
      if (norm > BULK_DROP * BULK_DROP * Math.max(norm0, 1e-300) && norm > 0) {
        const inv = 1 / Math.sqrt(norm);
        for (let i = 0; i < D; i++) u[i] *= inv;
        bulkDirs.push(u);
      }
    }
  }
  const m = n + bulkDirs.length;
  const a = new Float64Array(K * m);
  const b = new Float64Array(K * m);
  for (let k = 0; k < K; k++) {
    for (let t = 0; t < n; t++) {
      a[k * m + t] = projA[k * n + t];
      b[k * m + t] = projB[k * n + t];
    }
    for (let j = 0; j < bulkDirs.length; j++) {
      const f = bulkDirs[j];
      let aw = 0;
      let av = 0;
      for (let i = 0; i < D; i++) {
        aw += W[k * D + i] * f[i];
        av += V[k * D + i] * f[i];
      }
      a[k * m + n + j] = aw;
      b[k * m + n + j] = av / sqrtD;
    }
  }
  const specValues = new Float64Array(m);
  specValues.set(values, 0);
  specValues.fill(bulk, n);
  const state: OdeState = { hidden: K, directions: m, a, b };
  if (weights.bias) state.bias = Float64Array.from(weights.bias);
  return { state, spectrum: { dim: D, values: specValues }, traceOmegaOverD: source.traceOmegaOverD };
}
