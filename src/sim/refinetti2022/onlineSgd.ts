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
import { BackendUnavailableError, ValidationError } from '../../core/errors.ts';
import type { Progress } from '../../core/progress.ts';
import { type Rng, zigguratAccess } from '../../core/rng.ts';
import { erf, SQRT2_OVER_PI } from '../../core/special.ts';
import { assertFinite } from '../../core/tolerance.ts';
import { type GaussianSource, sampleGaussianSource } from '../../data/gaussianSource.ts';
import { type ImageSource, sampleImageSource } from '../../data/imageSource.ts';
import type { KernelSet } from '../../kernels/kernelSpecs.ts';
import { createOnlineSgdWasm, probeOnlineSgdWasm, type WasmArray } from '../../kernels/wasm/onlineSgdWasm.ts';
import type { OrderParameters } from '../../theory/refinetti2022/orderParameters.ts';
import { empiricalTestError, gaussianTestError, orderParametersFromWeights } from './measure.ts';
import { type AutoencoderWeights, cloneWeights } from './weights.ts';

/** Activations of the simulator. */
export type SimActivation = 'linear' | 'erf' | 'relu';
/** Update rules. */
export type SgdRule = 'vanilla' | 'truncated';
/** Which implementation runs the step: WebAssembly SIMD or plain JavaScript (the same bits either way). */
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
   * 'wasm' (WebAssembly 128-bit SIMD) or 'js'; default: 'wasm' where the runtime supports it, else 'js'. Both do the
   * same floating-point operations in the same order, so the trajectory does not depend on the engine.
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
  /** The engine that ran the steps. */
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
  const useGaussianError = !options.testSet && omega !== undefined;
  if (!useGaussianError && !options.testSet) {
    throw new ValidationError({
      field: 'testSet',
      received: undefined,
      expected: 'a test set (N × D) for an image source without a Gaussian Ω',
      hint: 'pass testSet, or omega (the Gaussian whose exact error is wanted)',
    });
  }
  const measureOp = (options.orderParameters ?? true) && omega !== undefined;
  const probe = probeOnlineSgdWasm();
  if (options.engine === 'wasm' && !probe.available) {
    throw new BackendUnavailableError('wasm (online SGD)', probe.reason);
  }
  const engine: SgdEngine = options.engine ?? (probe.available ? 'wasm' : 'js');
  const act = activation === 'linear' ? 0 : activation === 'erf' ? 1 : 2;
  const stepper = (engine === 'wasm' ? wasmStepper : jsStepper)({
    weights,
    source,
    rng,
    act,
    truncated: rule === 'truncated',
    tied,
    tiedFull,
    trainBias,
    eta,
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

/** What the two engines share: the network (modified in place), the data and the rule. */
interface StepperSetup {
  weights: AutoencoderWeights;
  source: GaussianSource | ImageSource;
  rng: Rng;
  /** 0 linear, 1 erf, 2 ReLU. */
  act: number;
  truncated: boolean;
  tied: boolean;
  tiedFull: boolean;
  trainBias: boolean;
  eta: number;
}

/** Draws a sample and takes one step; `flush` applies the deferred encoder update; `finish` leaves the weights final. */
interface Stepper {
  step(): void;
  flush(): void;
  finish(): void;
}

/** The plain-JavaScript engine (TypedArrays, one fused function per step). */
function jsStepper(setup: StepperSetup): Stepper {
  const { weights, source, rng, act, truncated, tied, tiedFull, trainBias, eta } = setup;
  const { hidden: K, dim: D } = weights;
  const W = weights.W;
  const V = tied ? weights.W : weights.V;
  const beta = weights.bias ?? new Float64Array(K);
  let x = new Float64Array(D);
  // Lazy encoder update (untied): W_k += alpha_k · xPrev is applied inside the next forward pass (same arithmetic,
  // one pass over W instead of two) and flushed before every measurement.
  let xPrev = new Float64Array(D);
  const alpha = new Float64Array(K);
  let pending = false;
  const r = new Float64Array(D);
  const z = new Float64Array(source.kind === 'gaussian' ? Math.max(1, source.directions) : 1);
  const lam = new Float64Array(K);
  const h = new Float64Array(K);
  const dg = new Float64Array(K);
  const coef = new Float64Array(K);
  const invSqrtD = 1 / Math.sqrt(D);
  const etaD = eta / D;
  const etaD2 = eta / (D * D);
  const flush = (): void => {
    if (!pending) return;
    for (let k = 0; k < K; k++) {
      const a = alpha[k];
      const off = k * D;
      for (let i = 0; i < D; i++) W[off + i] += a * xPrev[i];
    }
    pending = false;
  };
  return {
    step() {
      if (source.kind === 'gaussian') sampleGaussianSource(source, rng, x, z);
      else sampleImageSource(source, rng, x);
      sgdStep(
        W,
        V,
        beta,
        x,
        xPrev,
        alpha,
        pending,
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
      pending = !tied;
      const swap = x;
      x = xPrev;
      xPrev = swap;
    },
    flush,
    finish: flush,
  };
}

/**
 * The WebAssembly SIMD engine: the weights, the samples and the spiked model's directions live in the module's
 * memory; the passes over D run there, the K activations and the bookkeeping here, in the JavaScript engine's order.
 * `weights.W`/`weights.V` point into that memory while the run lasts (so measurements read them directly) and are
 * copied out by `finish`.
 */
function wasmStepper(setup: StepperSetup): Stepper {
  const { weights, source, rng, act, truncated, tied, tiedFull, trainBias, eta } = setup;
  const { hidden: K, dim: D } = weights;
  const nDir = source.kind === 'gaussian' ? source.directions : 0;
  const { arrays, exports: wasm } = createOnlineSgdWasm({
    W: K * D,
    V: tied ? 0 : K * D,
    x: D,
    xPrev: D,
    r: D,
    alpha: K,
    lam: K,
    h: K,
    coef: K,
    basis: nDir * D,
    // the ziggurat's kn and wn (128 each), and the generator's state as five int32 (a, b, c, d, rejected)
    zigTables: 256,
    zigState: 3,
  });
  const zig = zigguratAccess(rng);
  const zigState = new Int32Array(arrays.zigState.view.buffer, arrays.zigState.ptr, 5);
  if (zig) {
    arrays.zigTables.view.set(zig.kn, 0);
    arrays.zigTables.view.set(zig.wn, 128);
  }
  /** x ← N(0, scale²) draws: the ziggurat's fast path in the module, rejected draws finished by the Rng's slow path. */
  const fillNormalX = (out: WasmArray, scale: number): void => {
    if (!zig) {
      rng.fillNormal(out.view, 0, D, scale);
      return;
    }
    const st = zig.state;
    zigState[0] = st.a;
    zigState[1] = st.b;
    zigState[2] = st.c;
    zigState[3] = st.d;
    let i = 0;
    for (;;) {
      i = wasm.normals(out.ptr, i, D, scale, arrays.zigState.ptr, arrays.zigTables.ptr);
      st.a = zigState[0];
      st.b = zigState[1];
      st.c = zigState[2];
      st.d = zigState[3];
      if (i === D) return;
      out.view[i] = scale * zig.slow(zigState[4]);
      zigState[0] = st.a;
      zigState[1] = st.b;
      zigState[2] = st.c;
      zigState[3] = st.d;
      i++;
    }
  };
  arrays.W.view.set(weights.W);
  if (!tied) arrays.V.view.set(weights.V);
  if (source.kind === 'gaussian') arrays.basis.view.set(source.basis.subarray(0, nDir * D));
  weights.W = arrays.W.view;
  if (!tied) weights.V = arrays.V.view;
  const W = arrays.W.view;
  const Wp = arrays.W.ptr;
  const Vp = tied ? Wp : arrays.V.ptr;
  const beta = weights.bias ?? new Float64Array(K);
  let x = arrays.x;
  let xPrev = arrays.xPrev;
  const { alpha, lam, h, coef } = arrays;
  const alphaV = alpha.view;
  const lamV = lam.view;
  const hV = h.view;
  const coefV = coef.view;
  const dg = new Float64Array(K);
  const z = new Float64Array(Math.max(1, nDir));
  const invSqrtD = 1 / Math.sqrt(D);
  const etaD = eta / D;
  const etaD2 = eta / (D * D);
  const rowBytes = D * 8;
  let pending = false;
  const flush = (): void => {
    if (!pending) return;
    for (let k = 0; k < K; k++) wasm.axpy(Wp + k * rowBytes, xPrev.ptr, alphaV[k], 0, 0, 0, D);
    pending = false;
  };
  return {
    step() {
      // --- draw x: sampleGaussianSource's operations, the additions of the directions in the module ---
      if (source.kind === 'gaussian') {
        if (source.bulk > 0) fillNormalX(x, Math.sqrt(source.bulk));
        else x.view.fill(0);
        rng.fillNormal(z, 0, nDir);
        const amp = source.amplitudes;
        // Directions with c ≠ 0 in pairs (one pass over x for two; the same additions in the same order).
        let pendingRow = -1;
        let pendingC = 0;
        for (let t = 0; t < nDir; t++) {
          const c = amp[t] * z[t];
          if (c === 0) continue;
          if (pendingRow < 0) {
            pendingRow = t;
            pendingC = c;
            continue;
          }
          wasm.axpy2(x.ptr, arrays.basis.ptr + pendingRow * rowBytes, pendingC, arrays.basis.ptr + t * rowBytes, c, D);
          pendingRow = -1;
        }
        if (pendingRow >= 0) wasm.axpy(x.ptr, arrays.basis.ptr + pendingRow * rowBytes, pendingC, 0, 0, 0, D);
      } else sampleImageSource(source, rng, x.view);
      // --- forward ---
      wasm.encoder(Wp, xPrev.ptr, alpha.ptr, x.ptr, lam.ptr, K, D, pending ? 1 : 0);
      for (let k = 0; k < K; k++) activate(act, lamV[k] * invSqrtD + beta[k], k, hV, dg);
      // --- residual, decoder update, coefficients ---
      if (truncated) wasm.decoderTruncated(Vp, x.ptr, h.ptr, arrays.r.ptr, coef.ptr, K, D, etaD);
      else wasm.decoderVanilla(Vp, x.ptr, h.ptr, arrays.r.ptr, coef.ptr, K, D, etaD, tied ? 1 : 0);
      // --- encoder (and bias) update ---
      for (let k = 0; k < K; k++) {
        const c = coefV[k];
        if (tied) {
          const ax = etaD * dg[k] * c * invSqrtD;
          wasm.axpy(Wp + k * rowBytes, x.ptr, ax, arrays.r.ptr, tiedFull ? etaD * hV[k] : 0, tiedFull ? 1 : 0, D);
        } else {
          alphaV[k] = etaD2 * dg[k] * c * invSqrtD;
        }
        if (trainBias) beta[k] += etaD2 * dg[k] * c;
      }
      pending = !tied;
      const swap = x;
      x = xPrev;
      xPrev = swap;
    },
    flush,
    finish() {
      flush();
      weights.W = Float64Array.from(W);
      if (!tied) weights.V = Float64Array.from(arrays.V.view);
    },
  };
}

/** h[k] = g(l), dg[k] = g'(l) for act 0 (linear), 1 (erf(x/√2)) or 2 (ReLU) — shared by both engines. */
function activate(act: number, l: number, k: number, h: Float64Array, dg: Float64Array): void {
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
    activate(act, l, k, h, dg);
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
    // w·r in two partial sums (even and odd i, the tail into the even one), as the WebAssembly engine's f64x2 lanes.
    for (let k = 0; k < K; k++) {
      const off = k * D;
      const a = etaD * h[k];
      let c0 = 0;
      let c1 = 0;
      let i = 0;
      if (tied) {
        for (; i + 1 < D; i += 2) {
          c0 += V[off + i] * r[i];
          c1 += V[off + i + 1] * r[i + 1];
        }
        if (i < D) c0 += V[off + i] * r[i];
      } else {
        for (; i + 1 < D; i += 2) {
          const r0 = r[i];
          const r1 = r[i + 1];
          const v0 = V[off + i];
          const v1 = V[off + i + 1];
          c0 += v0 * r0;
          c1 += v1 * r1;
          V[off + i] = v0 + a * r0;
          V[off + i + 1] = v1 + a * r1;
        }
        if (i < D) {
          const ri = r[i];
          const vi = V[off + i];
          c0 += vi * ri;
          V[off + i] = vi + a * ri;
        }
      }
      coef[k] = c0 + c1;
    }
  } else {
    for (let i = 0; i < D; i++) r[i] = x[i];
    for (let k = 0; k < K; k++) {
      const off = k * D;
      const hk = h[k];
      const a = etaD * hk;
      let c0 = 0;
      let c1 = 0;
      let i = 0;
      for (; i + 1 < D; i += 2) {
        const v0 = V[off + i];
        const v1 = V[off + i + 1];
        const r0 = r[i] - v0 * hk;
        const r1 = r[i + 1] - v1 * hk;
        r[i] = r0;
        r[i + 1] = r1;
        c0 += v0 * r0;
        c1 += v1 * r1;
        V[off + i] = v0 + a * r0;
        V[off + i + 1] = v1 + a * r1;
      }
      if (i < D) {
        const vi = V[off + i];
        const ri = r[i] - vi * hk;
        r[i] = ri;
        c0 += vi * ri;
        V[off + i] = vi + a * ri;
      }
      coef[k] = c0 + c1;
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
