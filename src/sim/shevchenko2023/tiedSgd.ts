/**
 * Sample-based SGD for the tied sign autoencoder x̂ = Bᵀ sign(Bx) (Shevchenko et al. 2023;
 * docs/theory-shevchenko2023.md (S11b)): sign has zero derivative, so the code s = sign(Bx) is held fixed and B only
 * gets gradient through its decoder role: for a minibatch, ∇_B Σ‖x − Bᵀs‖² = −2 Σ s (x − Bᵀs)ᵀ. The row norms of B
 * become the decoder scale. Products run through the kernels.
 */
import { ValidationError } from '../../core/errors.ts';
import { type Matrix, matrix } from '../../core/matrix.ts';
import type { Progress } from '../../core/progress.ts';
import type { Rng } from '../../core/rng.ts';
import { assertFinite } from '../../core/tolerance.ts';
import type { KernelSet } from '../../kernels/kernelSpecs.ts';

/** Options of {@link tiedSgd}. */
export interface TiedSgdOptions {
  /** Initial encoder B (n×d); the decoder is Bᵀ. */
  encoder: Matrix;
  /** Step size (default 0.002, the setting of docs/theory-shevchenko2023.md (S11b)). */
  learningRate?: number;
  /** Samples per step (default 500). */
  batch?: number;
  steps: number;
  /**
   * Draws one minibatch into `out` (batch×d, row-major). Default: x ~ N(0, I_d) from `rng`. Real data passes its own
   * sampler (whitened images).
   */
  sample?: (out: Float64Array, rng: Rng) => void;
  rng: Rng;
  kernels: KernelSet;
  /** Called every `recordEvery` steps with the current encoder (default: never). */
  onRecord?: (step: number, encoder: Matrix) => void;
  recordEvery?: number;
  /**
   * Early stop: called every `checkEvery` steps with the current encoder (a view of the live weights, not a copy: read
   * it, do not keep it); training ends after the step at which it returns true. Default: never (all `steps` run).
   */
  stopWhen?: (step: number, encoder: Matrix) => boolean;
  checkEvery?: number;
  progress?: Progress;
}

/** Default step size of docs/theory-shevchenko2023.md (S11b). */
export const DEFAULT_TIED_LEARNING_RATE = 0.002;
/** Default minibatch of docs/theory-shevchenko2023.md (S11b). */
export const DEFAULT_TIED_BATCH = 500;

/**
 * Runs tied SGD and returns the final encoder (its transpose is the decoder): after `steps` steps, or at the step where
 * `stopWhen` returned true. Throws DivergenceError on NaN/Inf.
 */
export function tiedSgd(options: TiedSgdOptions): Matrix {
  const { kernels, rng, steps } = options;
  const lr = options.learningRate ?? DEFAULT_TIED_LEARNING_RATE;
  const batch = options.batch ?? DEFAULT_TIED_BATCH;
  if (!(lr > 0)) throw new ValidationError({ field: 'learningRate', received: lr, expected: 'a positive step size' });
  if (!Number.isInteger(batch) || batch < 1)
    throw new ValidationError({ field: 'batch', received: batch, expected: 'a positive integer' });
  if (!Number.isInteger(steps) || steps < 0)
    throw new ValidationError({ field: 'steps', received: steps, expected: 'a non-negative integer' });
  const checkEvery = options.checkEvery;
  if (options.stopWhen && !(Number.isInteger(checkEvery) && (checkEvery ?? 0) >= 1))
    throw new ValidationError({
      field: 'checkEvery',
      received: checkEvery,
      expected: 'a positive integer number of steps between calls of stopWhen',
      hint: 'pass checkEvery with stopWhen',
    });
  const n = options.encoder.rows;
  const d = options.encoder.cols;
  const b = Float64Array.from(options.encoder.data);
  const x = new Float64Array(batch * d);
  const sample = options.sample ?? ((out: Float64Array, r: Rng) => r.fillNormal(out));
  const scale = (2 * lr) / batch;
  // The step's buffers, reused: a fresh batch×n product and its sign every step meant about 2.5 MB of new typed
  // arrays per step at n = 200, whose zero-filling, page faults and collection took more time than the products.
  const s = new Float64Array(batch * n);
  const residual = new Float64Array(batch * d);
  const grad = new Float64Array(n * d);
  for (let t = 0; t < steps; t++) {
    sample(x, rng);
    kernels.gemm({ m: batch, n, k: d, a: x, b, transB: true, out: s }); // X Bᵀ, batch×n
    // S = sign(X Bᵀ) in place, without a branch (the signs are random, so a branch is mispredicted half the time);
    // NaN and ±0 give +0, as the kernels' `sign` does.
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      s[i] = +(v > 0) - +(v < 0);
    }
    kernels.gemm({ m: batch, n: d, k: n, a: s, b, alpha: -1, beta: 1, c: x, out: residual }); // X − S B, batch×d
    kernels.gemm({ m: n, n: d, k: batch, a: s, b: residual, transA: true, out: grad }); // Sᵀ (X − S B), n×d
    for (let i = 0; i < b.length; i++) b[i] += scale * grad[i];
    // Every 64 steps, and at the last step and an early stop, so that a run that diverged is never returned: a
    // non-finite weight stays non-finite under this update (NaN·anything), so the final check catches any divergence.
    const askStop = options.stopWhen !== undefined && checkEvery !== undefined && (t + 1) % checkEvery === 0;
    if (t % 64 === 0 || t === steps - 1 || askStop)
      assertFinite(b, { step: t, quantity: 'encoder', config: { n, d, learningRate: lr, batch } });
    if (options.onRecord && options.recordEvery && (t + 1) % options.recordEvery === 0)
      options.onRecord(t + 1, matrix(n, d, b.slice()));
    options.progress?.(t + 1, steps, 'SGD steps');
    if (askStop && options.stopWhen?.(t + 1, matrix(n, d, b))) break;
  }
  return matrix(n, d, b);
}
