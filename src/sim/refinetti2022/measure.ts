/**
 * Measurements on the weights (docs/theory-refinetti2022.md (E6), (E7)): the order parameters Q, R, T, T0 against a
 * Gaussian source's Ω, the exact Gaussian test error through the theory's ε(Q, R, T, T0), and the empirical test error
 * on a fixed test set (through the kernels' aeForward), which also covers the biased network and real images.
 */
import { ValidationError } from '../../core/errors.ts';
import type { GaussianSource } from '../../data/gaussianSource.ts';
import type { Activation, KernelSet } from '../../kernels/kernelSpecs.ts';
import type { OrderParameters } from '../../theory/refinetti2022/orderParameters.ts';
import { testError } from '../../theory/refinetti2022/testError.ts';
import type { AutoencoderWeights } from './weights.ts';

/**
 * Q = wΩwᵀ/D, R = vΩwᵀ/D^{3/2}, T = vΩvᵀ/D², T0 = vvᵀ/D with Ω = Σ_τ (ρ_τ − β) e_τe_τᵀ + β I. Cost O(K·D·(n + K)).
 */
export function orderParametersFromWeights(
  weights: AutoencoderWeights,
  source: GaussianSource,
  tied = false,
): OrderParameters {
  const { hidden: K, dim: D, W } = weights;
  const V = tied ? W : weights.V;
  const { directions: n, basis, values, bulk } = source;
  const pa = new Float64Array(K * n);
  const pv = new Float64Array(K * n);
  for (let k = 0; k < K; k++) {
    for (let t = 0; t < n; t++) {
      let sa = 0;
      let sv = 0;
      const off = t * D;
      for (let i = 0; i < D; i++) {
        const e = basis[off + i];
        sa += W[k * D + i] * e;
        sv += V[k * D + i] * e;
      }
      pa[k * n + t] = sa;
      pv[k * n + t] = sv;
    }
  }
  const Q = new Float64Array(K * K);
  const R = new Float64Array(K * K);
  const T = new Float64Array(K * K);
  const T0 = new Float64Array(K * K);
  for (let k = 0; k < K; k++) {
    for (let l = 0; l < K; l++) {
      let ww = 0;
      let vw = 0;
      let vv = 0;
      for (let i = 0; i < D; i++) {
        ww += W[k * D + i] * W[l * D + i];
        vw += V[k * D + i] * W[l * D + i];
        vv += V[k * D + i] * V[l * D + i];
      }
      let q = bulk * ww;
      let r = bulk * vw;
      let t2 = bulk * vv;
      for (let t = 0; t < n; t++) {
        const c = values[t] - bulk;
        q += c * pa[k * n + t] * pa[l * n + t];
        r += c * pv[k * n + t] * pa[l * n + t];
        t2 += c * pv[k * n + t] * pv[l * n + t];
      }
      Q[k * K + l] = q / D;
      R[k * K + l] = r / D ** 1.5;
      T[k * K + l] = t2 / D ** 2;
      T0[k * K + l] = vv / D;
    }
  }
  return { hidden: K, Q, R, T, T0 };
}

/**
 * Exact ε = (1/2D)E‖x − x̂‖² for x ~ N(0, Ω) (docs/theory-refinetti2022.md (E7)); with an encoder bias (effective β =
 * b/√D) the local fields are N(β, Q).
 */
export function gaussianTestError(
  op: OrderParameters,
  source: GaussianSource,
  activation: Activation,
  bias?: Float64Array,
): number {
  if (activation === 'sign') {
    throw new ValidationError({
      field: 'activation',
      received: activation,
      expected: "'linear', 'erf' or 'relu' (the sign activation has no Refinetti ODE)",
      hint: 'the sign autoencoder is Shevchenko et al. 2023 (src/theory/shevchenko2023)',
    });
  }
  return testError({
    Q: op.Q,
    R: op.R,
    T: op.T,
    T0: op.T0,
    traceOmegaOverD: source.traceOmegaOverD,
    activation,
    ...(bias ? { bias } : {}),
  });
}

/** Scratch for {@link empiricalTestError}. */
const TEST_CHUNK = 256;

/**
 * Checks that `testSet` holds N ≥ 1 samples of dimension D (N·D numbers), so that a wrong length is reported as the
 * test set's, not as a kernel's batch size or as a diverged run (an empty set gives ε = 0/0).
 */
export function checkTestSet(testSet: Float64Array, D: number, field = 'testSet'): void {
  if (testSet.length === 0 || testSet.length % D !== 0) {
    throw new ValidationError({
      field,
      received: `${testSet.length} numbers`,
      expected: `N × D = N × ${D} numbers with N ≥ 1 (samples row-major)`,
    });
  }
}

/** ε on a test set (N × D row-major): mean of ½‖x − x̂‖²/D, through `kernels.aeForward` in chunks. */
export function empiricalTestError(
  weights: AutoencoderWeights,
  testSet: Float64Array,
  activation: Activation,
  kernels: KernelSet,
  tied = false,
): number {
  const { hidden: K, dim: D, W } = weights;
  checkTestSet(testSet, D);
  const Vrows = tied ? W : weights.V;
  const v = new Float64Array(D * K);
  for (let k = 0; k < K; k++) for (let i = 0; i < D; i++) v[i * K + k] = Vrows[k * D + i];
  const N = testSet.length / D;
  let total = 0;
  for (let start = 0; start < N; start += TEST_CHUNK) {
    const B = Math.min(TEST_CHUNK, N - start);
    const x = testSet.subarray(start * D, (start + B) * D);
    const out = kernels.aeForward({
      batch: B,
      inputDim: D,
      hidden: K,
      x,
      w: W,
      v,
      activation,
      ...(weights.bias ? { bias: weights.bias } : {}),
    });
    const xh = out.out;
    for (let i = 0; i < B * D; i++) {
      const d = x[i] - xh[i];
      total += d * d;
    }
  }
  return total / (2 * D * N);
}
