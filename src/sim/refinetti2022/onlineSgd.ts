/**
 * Online SGD (batch size 1) for the shallow autoencoder x̂ = Σ_k v^k g(w^k·x/√D + β_k) of Refinetti & Goldt 2022 with
 * the paper's scalings (digest §1.2), r = x − x̂:
 *
 *   Δv^k = (η/D) g(λ^k) r,   Δw^k = (η/D²) g'(λ^k) (v^k·r/√D) x,   Δβ_k = (η/D²) g'(λ^k) v^k·r   (β = b/√D).
 *
 * Truncated rule (§3.8, the intended g'(λ^k) form, not the code's g'(λ^a)): unit k uses r_k = x − Σ_{a≤k} v^a g(λ^a).
 * Tied (v^k ≡ w^k; no theory, §7.7): 'full' (default) follows the full gradient of the tied loss,
 * Δw^k = (η/D)[g(λ^k) r + g'(λ^k)(w^k·r/√D) x]; 'encoderPath' reproduces the authors' detached decoder
 * (`.data`), Δw^k = (η/D) g'(λ^k)(w^k·r/√D) x. g ∈ {linear, erf(x/√2), ReLU}. Time t = steps/D.
 *
 * The step is one fused loop over flat arrays that allocates nothing. The simulator receives a KernelSet (used for
 * the test-set error); it never picks a backend. NaN/Inf throws a DivergenceError.
 */
import { z } from 'zod';
import { cleanZodMessage } from '../../claims/domain.ts';
import { ValidationError } from '../../core/errors.ts';
import type { Progress } from '../../core/progress.ts';
import type { Rng } from '../../core/rng.ts';
import { erf, SQRT2_OVER_PI } from '../../core/special.ts';
import { assertFinite } from '../../core/tolerance.ts';
import { type GaussianSource, sampleGaussianSource } from '../../data/gaussianSource.ts';
import { type ImageSource, sampleImageSource } from '../../data/imageSource.ts';
import type { KernelSet } from '../../kernels/kernelSpecs.ts';
import type { OrderParameters } from '../../theory/refinetti2022/orderParameters.ts';
import { empiricalTestError, gaussianTestError, orderParametersFromWeights } from './measure.ts';
import { type AutoencoderWeights, cloneWeights } from './weights.ts';

/** Activations of the simulator. */
export type SimActivation = 'linear' | 'erf' | 'relu';
/** Update rules. */
export type SgdRule = 'vanilla' | 'truncated';
/** Which tied gradient. */
export type TiedGradient = 'full' | 'encoderPath';

/** Options of {@link onlineSgd}. */
export interface OnlineSgdOptions {
  /** Kernels (the test-set error runs through `aeForward`). */
  kernels: KernelSet;
  /** Training distribution: a Gaussian source (spiked model, Ω of images) or real images. */
  source: GaussianSource | ImageSource;
  /** Ω for the order parameters and the exact error (default: `source` when Gaussian). */
  omega?: GaussianSource;
  /** Test set (N × D) for the empirical error; required for image sources and for a biased network. */
  testSet?: Float64Array;
  /** g: 'linear', 'erf' (erf(x/√2)) or 'relu'. */
  activation: SimActivation;
  /** 'vanilla' (default) or 'truncated'. */
  rule?: SgdRule;
  /** Tied weights v^k ≡ w^k (default false). */
  tied?: boolean;
  /** Tied gradient (default 'full'). */
  tiedGradient?: TiedGradient;
  /** Train the encoder bias (needs `initial.bias`; default: true iff `initial.bias` is present). */
  trainBias?: boolean;
  /** η. */
  learningRate: number;
  /** Initial weights (copied, not modified). */
  initial: AutoencoderWeights;
  /** Measurement times t (non-decreasing, ≥ 0), in units of steps/D. */
  times: readonly number[];
  /** Random stream for the samples. */
  rng: Rng;
  /** Measure Q, R, T, T0 (default true when a Gaussian Ω is known). */
  orderParameters?: boolean;
  progress?: Progress;
}

/** One run's measurements. */
export interface SgdTrajectory {
  times: number[];
  /** ε(t): exact Gaussian error if possible (bias-free, Gaussian Ω, no test set), else the test-set error. */
  error: number[];
  /** How ε was measured. */
  errorKind: 'gaussian' | 'testSet';
  orderParameters: OrderParameters[];
  /** Final weights. */
  weights: AutoencoderWeights;
  /** SGD steps taken. */
  steps: number;
}

const optionsSchema = z.object({
  activation: z.enum(['linear', 'erf', 'relu']),
  rule: z.enum(['vanilla', 'truncated']),
  learningRate: z.number().positive().finite(),
  times: z.array(z.number().finite().nonnegative()).min(1),
});

/** Runs online SGD and measures at the requested times. */
export function onlineSgd(options: OnlineSgdOptions): SgdTrajectory {
  const rule = options.rule ?? 'vanilla';
  const parsed = optionsSchema.safeParse({ ...options, rule, times: [...options.times] });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError({
      field: issue.path.join('.') || 'options',
      received: issue.path.reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k as string], {
        ...options,
        rule,
      }),
      expected: cleanZodMessage(issue.message),
    });
  }
  const { source, activation, learningRate: eta, rng, kernels } = options;
  const tied = options.tied ?? false;
  const tiedFull = (options.tiedGradient ?? 'full') === 'full';
  const weights = cloneWeights(options.initial);
  const { hidden: K, dim: D } = weights;
  if (source.dim !== D) {
    throw new ValidationError({ field: 'source.dim', received: source.dim, expected: `the weights' D = ${D}` });
  }
  if (tied && rule === 'truncated') {
    throw new ValidationError({
      field: 'rule',
      received: rule,
      expected: "'vanilla' for a tied network",
      hint: 'the truncated rule is defined for untied weights (§3.8)',
    });
  }
  const trainBias = options.trainBias ?? weights.bias !== undefined;
  if (trainBias && !weights.bias) {
    throw new ValidationError({
      field: 'trainBias',
      received: true,
      expected: 'initial weights with a bias',
      hint: 'initialWeights({ bias: true })',
    });
  }
  for (let i = 1; i < options.times.length; i++) {
    if (options.times[i] < options.times[i - 1]) {
      throw new ValidationError({ field: `times[${i}]`, received: options.times[i], expected: 'non-decreasing times' });
    }
  }
  const omega = options.omega ?? (source.kind === 'gaussian' ? source : undefined);
  const useGaussianError = !options.testSet && !weights.bias && omega !== undefined;
  if (!useGaussianError && !options.testSet) {
    throw new ValidationError({
      field: 'testSet',
      received: undefined,
      expected: 'a test set (N × D) for an image source or a biased network',
    });
  }
  const measureOp = (options.orderParameters ?? true) && omega !== undefined;

  const W = weights.W;
  const V = tied ? weights.W : weights.V;
  const beta = weights.bias ?? new Float64Array(K);
  let x = new Float64Array(D);
  // Lazy encoder update (untied): W_k += alpha_k · xPrev is applied inside the next forward pass (same arithmetic,
  // one pass over W instead of two) and flushed before every measurement.
  let xPrev = new Float64Array(D);
  const alpha = new Float64Array(K);
  const lazy = { pending: false };
  const r = new Float64Array(D);
  const z = new Float64Array(source.kind === 'gaussian' ? Math.max(1, source.directions) : 1);
  const lam = new Float64Array(K);
  const h = new Float64Array(K);
  const dg = new Float64Array(K);
  const coef = new Float64Array(K);
  const invSqrtD = 1 / Math.sqrt(D);
  const etaD = eta / D;
  const etaD2 = eta / (D * D);
  const act = activation === 'linear' ? 0 : activation === 'erf' ? 1 : 2;
  const truncated = rule === 'truncated';

  const result: SgdTrajectory = {
    times: [],
    error: [],
    errorKind: useGaussianError ? 'gaussian' : 'testSet',
    orderParameters: [],
    weights,
    steps: 0,
  };
  const flush = (): void => {
    if (!lazy.pending) return;
    for (let k = 0; k < K; k++) {
      const a = alpha[k];
      const off = k * D;
      for (let i = 0; i < D; i++) W[off + i] += a * xPrev[i];
    }
    lazy.pending = false;
  };
  const record = (t: number): void => {
    flush();
    assertFinite(W, { step: result.steps, quantity: 'W', config: { t } });
    if (!tied) assertFinite(weights.V, { step: result.steps, quantity: 'V', config: { t } });
    let op: OrderParameters | undefined;
    if (measureOp && omega) op = orderParametersFromWeights(weights, omega, tied);
    const err =
      useGaussianError && omega && op
        ? gaussianTestError(op, omega, activation)
        : useGaussianError && omega
          ? gaussianTestError(orderParametersFromWeights(weights, omega, tied), omega, activation)
          : empiricalTestError(weights, options.testSet as Float64Array, activation, kernels, tied);
    assertFinite(err, { step: result.steps, quantity: 'ε', config: { t } });
    result.times.push(t);
    result.error.push(err);
    if (op) result.orderParameters.push(op);
  };

  const tEnd = options.times[options.times.length - 1];
  const totalSteps = Math.round(tEnd * D);
  let next = 0;
  for (let step = 0; step <= totalSteps; step++) {
    while (next < options.times.length && Math.round(options.times[next] * D) <= step) {
      record(options.times[next]);
      next++;
    }
    if (step === totalSteps) break;
    // --- draw x ---
    if (source.kind === 'gaussian') sampleGaussianSource(source, rng, x, z);
    else sampleImageSource(source, rng, x);
    sgdStep(
      W,
      V,
      beta,
      x,
      xPrev,
      alpha,
      lazy.pending,
      r,
      lam,
      h,
      dg,
      coef,
      K,
      D,
      act,
      truncated,
      tied,
      tiedFull,
      trainBias,
      invSqrtD,
      etaD,
      etaD2,
    );
    lazy.pending = !tied;
    const swap = x;
    x = xPrev;
    xPrev = swap;
    result.steps = step + 1;
    if (options.progress && (step & 0xffff) === 0) options.progress(step, totalSteps);
  }
  flush();
  return result;
}

/**
 * One SGD step on the sample in `x` (see the module comment), in place on W, V (≡ W when tied) and β. A separate
 * small function so that V8 optimises it on its own; it allocates nothing.
 */
function sgdStep(
  W: Float64Array,
  V: Float64Array,
  beta: Float64Array,
  x: Float64Array,
  xPrev: Float64Array,
  alpha: Float64Array,
  pending: boolean,
  r: Float64Array,
  lam: Float64Array,
  h: Float64Array,
  dg: Float64Array,
  coef: Float64Array,
  K: number,
  D: number,
  act: number,
  truncated: boolean,
  tied: boolean,
  tiedFull: boolean,
  trainBias: boolean,
  invSqrtD: number,
  etaD: number,
  etaD2: number,
): void {
  // --- forward: λ, g, g' ---
  for (let k = 0; k < K; k++) {
    const off = k * D;
    // Four accumulators break the add dependency chain (≈2× on V8); the tail is summed separately.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let i = 0;
    if (pending) {
      // Apply the previous step's encoder update W_k += α_k x_prev on the way (the same operation as an eager update).
      const a = alpha[k];
      for (; i + 3 < D; i += 4) {
        const w0 = W[off + i] + a * xPrev[i];
        const w1 = W[off + i + 1] + a * xPrev[i + 1];
        const w2 = W[off + i + 2] + a * xPrev[i + 2];
        const w3 = W[off + i + 3] + a * xPrev[i + 3];
        W[off + i] = w0;
        W[off + i + 1] = w1;
        W[off + i + 2] = w2;
        W[off + i + 3] = w3;
        s0 += w0 * x[i];
        s1 += w1 * x[i + 1];
        s2 += w2 * x[i + 2];
        s3 += w3 * x[i + 3];
      }
      for (; i < D; i++) {
        const w = W[off + i] + a * xPrev[i];
        W[off + i] = w;
        s0 += w * x[i];
      }
    } else {
      for (; i + 3 < D; i += 4) {
        s0 += W[off + i] * x[i];
        s1 += W[off + i + 1] * x[i + 1];
        s2 += W[off + i + 2] * x[i + 2];
        s3 += W[off + i + 3] * x[i + 3];
      }
      for (; i < D; i++) s0 += W[off + i] * x[i];
    }
    const l = (s0 + s1 + (s2 + s3)) * invSqrtD + beta[k];
    lam[k] = l;
    if (act === 0) {
      h[k] = l;
      dg[k] = 1;
    } else if (act === 1) {
      h[k] = erf(l * Math.SQRT1_2);
      dg[k] = SQRT2_OVER_PI * Math.exp(-0.5 * l * l);
    } else {
      h[k] = l > 0 ? l : 0;
      dg[k] = l > 0 ? 1 : 0;
    }
  }
  // --- residual and decoder update ---
  if (!truncated) {
    for (let i = 0; i < D; i++) r[i] = x[i];
    for (let k = 0; k < K; k++) {
      const hk = h[k];
      if (hk === 0) continue;
      const off = k * D;
      for (let i = 0; i < D; i++) r[i] -= V[off + i] * hk;
    }
    for (let k = 0; k < K; k++) {
      const off = k * D;
      const a = etaD * h[k];
      let c = 0;
      if (tied) {
        for (let i = 0; i < D; i++) c += V[off + i] * r[i];
      } else {
        for (let i = 0; i < D; i++) {
          const ri = r[i];
          c += V[off + i] * ri;
          V[off + i] += a * ri;
        }
      }
      coef[k] = c;
    }
  } else {
    for (let i = 0; i < D; i++) r[i] = x[i];
    for (let k = 0; k < K; k++) {
      const off = k * D;
      const hk = h[k];
      const a = etaD * hk;
      let c = 0;
      for (let i = 0; i < D; i++) {
        const vi = V[off + i];
        const ri = r[i] - vi * hk;
        r[i] = ri;
        c += vi * ri;
        if (!tied) V[off + i] = vi + a * ri;
      }
      coef[k] = c;
    }
  }
  // --- encoder (and bias) update ---
  for (let k = 0; k < K; k++) {
    const off = k * D;
    const c = coef[k];
    if (tied) {
      // coef = w^k·r (v ≡ w). The tied loss has lr η (§1.2): encoder path (η/D) g' (w·r/√D) x.
      const ax = etaD * dg[k] * c * invSqrtD;
      if (tiedFull) {
        const ar = etaD * h[k];
        for (let i = 0; i < D; i++) W[off + i] += ax * x[i] + ar * r[i];
      } else {
        for (let i = 0; i < D; i++) W[off + i] += ax * x[i];
      }
    } else {
      // Deferred to the next forward pass (or the flush before a measurement): W_k += α_k x.
      alpha[k] = etaD2 * dg[k] * c * invSqrtD;
    }
    if (trainBias) beta[k] += etaD2 * dg[k] * c;
  }
}
