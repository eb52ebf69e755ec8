/**
 * Online SGD (batch size 1) for the shallow autoencoder x̂ = Σ_k v^k g(w^k·x/√D + β_k) of Refinetti & Goldt 2022 with
 * the paper's scalings (docs/refinetti2022-sim.md), r = x − x̂:
 *
 *   Δv^k = (η/D) g(λ^k) r,   Δw^k = (η/D²) g'(λ^k) (v^k·r/√D) x,   Δβ_k = (η/D²) g'(λ^k) v^k·r   (β = b/√D).
 *
 * Truncated rule (docs/theory-refinetti2022.md (E14), the intended g'(λ^k) form, not the code's g'(λ^a)): unit k uses
 * r_k = x − Σ_{a≤k} v^a g(λ^a). Tied (v^k ≡ w^k; no theory, docs/theory-refinetti2022.md (K7)): 'full' (default)
 * follows the full gradient of the tied loss, Δw^k = (η/D)[g(λ^k) r + g'(λ^k)(w^k·r/√D) x]; 'encoderPath' reproduces
 * the authors' detached decoder (`.data`), Δw^k = (η/D) g'(λ^k)(w^k·r/√D) x. g ∈ {linear, erf(x/√2), ReLU}. Time t =
 * steps/D.
 *
 * The step is the KernelSet's `onlineSgdStepper` kernel (src/kernels/reference/onlineSgd.ts, src/kernels/wasm/onlineSgd.ts:
 * one fused pass over flat arrays that allocates nothing); the test-set error runs through its `aeForward`. The
 * simulator never picks a backend (the `engine` option overrides the step's kernel, for engine comparisons). NaN/Inf
 * throws a DivergenceError.
 */
import { z } from 'zod';
import { cleanZodMessage } from '../../core/zodMessage.ts';
import { BackendUnavailableError, ValidationError } from '../../core/errors.ts';
import type { Progress } from '../../core/progress.ts';
import type { Rng } from '../../core/rng.ts';
import { assertFinite } from '../../core/tolerance.ts';
import type { GaussianSource } from '../../data/gaussianSource.ts';
import { type ImageSource, sampleImageSource } from '../../data/imageSource.ts';
import type { KernelSet } from '../../kernels/kernelSpecs.ts';
import { onlineSgdStepper as referenceStepper } from '../../kernels/reference/onlineSgd.ts';
import { onlineSgdStepper as wasmStepper } from '../../kernels/wasm/onlineSgd.ts';
import { probeOnlineSgdWasm } from '../../kernels/wasm/onlineSgdWasm.ts';
import type { OrderParameters } from '../../theory/refinetti2022/orderParameters.ts';
import { checkTestSet, empiricalTestError, gaussianTestError, orderParametersFromWeights } from './measure.ts';
import { type AutoencoderWeights, cloneWeights } from './weights.ts';

/** Activations of the simulator. */
export type SimActivation = 'linear' | 'erf' | 'relu';
/** Update rules. */
export type SgdRule = 'vanilla' | 'truncated';
/** Which kernel runs the step: WebAssembly SIMD or the reference's plain JavaScript (the same bits either way). */
export type SgdEngine = 'wasm' | 'js';
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
  /** Test set (N × D) for the empirical error; required for image sources without `omega`. */
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
  /**
   * Measure ε at each time (default true). False leaves `error` empty: for callers that only want the weights, e.g.
   * many single steps from one state, where the exact error of a biased erf network (a 120² Gauss–Hermite rule per
   * pair of units) would cost far more than the step.
   */
  measureError?: boolean;
  /**
   * Overrides the KernelSet's SGD step: 'wasm' (WebAssembly 128-bit SIMD) or 'js' (the reference kernel). Default: the
   * KernelSet's `onlineSgdStepper` (`kernels.resolved.onlineSgdStepper` says which). Both do the same floating-point
   * operations in the same order, so the trajectory does not depend on the engine.
   */
  engine?: SgdEngine;
  progress?: Progress;
}

/** One run's measurements. */
export interface SgdTrajectory {
  times: number[];
  /** ε(t): exact Gaussian error if possible (Gaussian Ω, no test set; a bias shifts the local fields), else the test-set error; empty when `measureError` is false. */
  error: number[];
  /** How ε was measured. */
  errorKind: 'gaussian' | 'testSet';
  orderParameters: OrderParameters[];
  /** Final weights. */
  weights: AutoencoderWeights;
  /** SGD steps taken. */
  steps: number;
  /** The engine that ran the steps ('js': the reference kernel). */
  engine: SgdEngine;
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
  const { dim: D } = weights;
  if (source.dim !== D) {
    throw new ValidationError({ field: 'source.dim', received: source.dim, expected: `the weights' D = ${D}` });
  }
  if (tied && rule === 'truncated') {
    throw new ValidationError({
      field: 'rule',
      received: rule,
      expected: "'vanilla' for a tied network",
      hint: 'the truncated rule is defined for untied weights (docs/theory-refinetti2022.md (E14))',
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
  const useGaussianError = !options.testSet && omega !== undefined;
  if (!useGaussianError && !options.testSet) {
    throw new ValidationError({
      field: 'testSet',
      received: undefined,
      expected: 'a test set (N × D) for an image source without a Gaussian Ω',
      hint: 'pass testSet, or omega (the Gaussian whose exact error is wanted)',
    });
  }
  // Checked here, before any step, and not only when the first measurement reaches it.
  if (options.testSet) checkTestSet(options.testSet, D);
  const measureOp = (options.orderParameters ?? true) && omega !== undefined;
  const { engine, createStepper } = stepperOf(kernels, options.engine);
  const stepper = createStepper({
    network: weights,
    sampler: source.kind === 'gaussian' ? source : { kind: 'draw', draw: (x) => sampleImageSource(source, rng, x) },
    rng,
    activation,
    truncated: rule === 'truncated',
    tied,
    tiedFull,
    trainBias,
    learningRate: eta,
  });

  const result: SgdTrajectory = {
    times: [],
    error: [],
    errorKind: useGaussianError ? 'gaussian' : 'testSet',
    orderParameters: [],
    weights,
    steps: 0,
    engine,
  };
  const record = (t: number): void => {
    stepper.flush();
    assertFinite(weights.W, { step: result.steps, quantity: 'W', config: { t } });
    if (!tied) assertFinite(weights.V, { step: result.steps, quantity: 'V', config: { t } });
    let op: OrderParameters | undefined;
    if (measureOp && omega) op = orderParametersFromWeights(weights, omega, tied);
    if (options.measureError !== false) {
      const err =
        useGaussianError && omega
          ? gaussianTestError(op ?? orderParametersFromWeights(weights, omega, tied), omega, activation, weights.bias)
          : empiricalTestError(weights, options.testSet as Float64Array, activation, kernels, tied);
      assertFinite(err, { step: result.steps, quantity: 'ε', config: { t } });
      result.error.push(err);
    }
    result.times.push(t);
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
    stepper.step();
    result.steps = step + 1;
    if (options.progress && (step & 0xffff) === 0) options.progress(step, totalSteps);
  }
  stepper.finish();
  return result;
}

/**
 * The SGD step's kernel: the KernelSet's `onlineSgdStepper` (so `--backend reference` runs the reference step and `wasm`
 * the WebAssembly one), or the one `engine` names explicitly ('js' is the reference kernel). Both give the same bits.
 */
function stepperOf(
  kernels: KernelSet,
  engine: SgdEngine | undefined,
): { engine: SgdEngine; createStepper: KernelSet['onlineSgdStepper'] } {
  if (engine === 'js') return { engine, createStepper: referenceStepper };
  if (engine === 'wasm') {
    const probe = probeOnlineSgdWasm();
    if (!probe.available) throw new BackendUnavailableError('wasm (online SGD)', probe.reason);
    return { engine, createStepper: wasmStepper };
  }
  return {
    engine: kernels.resolved.onlineSgdStepper === 'wasm' ? 'wasm' : 'js',
    createStepper: kernels.onlineSgdStepper,
  };
}
