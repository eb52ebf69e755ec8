/**
 * Training the Persian rug's two scalars (Cowsik, Dolev, Infanger 2024; docs/persianrug2024.md): x̂ = ReLU(A·(W x + β)) with the Hadamard W fixed and
 * only A (init 1) and β (init 0) trained by Adam (eps 1e-7, the authors'), on fresh sparse data each step, with a
 * held-out evaluation on fresh samples (the authors reported the last minibatch). W x runs by two fast Walsh–Hadamard
 * transforms (O(n log n) per sample).
 */
import { ValidationError } from '../../core/errors.ts';
import type { Progress } from '../../core/progress.ts';
import type { Rng } from '../../core/rng.ts';
import { assertFinite } from '../../core/tolerance.ts';
import { sampleSparseUniform } from '../../data/sparseUniform.ts';
import { adamStep, BETA1, BETA2 } from './adam.ts';
import { type PersianRug, persianRugApply } from './hadamard.ts';

/** Options of {@link trainRugScalars}. */
export interface TrainRugScalarsOptions {
  rug: PersianRug;
  p: number;
  steps: number;
  /** Minibatch (default 512, the authors'). */
  batch?: number;
  /** Adam step (default 0.3/√n, the authors'). */
  learningRate?: number;
  /** Held-out samples for the final evaluation (default 8192). */
  evalSamples?: number;
  rng: Rng;
  progress?: Progress;
}

/** The trained scalars and the held-out loss at them. */
export interface TrainedRugScalars {
  a: number;
  beta: number;
  heldOutLoss: number;
  /** Its standard error over the held-out samples. */
  standardError: number;
}

/** Per-feature loss of x̂ = ReLU(a(Wx + β)) on `samples` fresh samples, with its standard error. */
export function rugLoss(
  rug: PersianRug,
  a: number,
  beta: number,
  p: number,
  samples: number,
  rng: Rng,
): { loss: number; standardError: number } {
  const { n } = rug;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let sum = 0;
  let sumSq = 0;
  for (let s = 0; s < samples; s++) {
    sampleSparseUniform(x, p, rng);
    persianRugApply(rug, x, y);
    let l = 0;
    for (let i = 0; i < n; i++) l += (Math.max(a * (y[i] + beta), 0) - x[i]) ** 2;
    l /= n;
    sum += l;
    sumSq += l * l;
  }
  const mean = sum / samples;
  const variance = Math.max(0, sumSq / samples - mean * mean);
  return { loss: mean, standardError: Math.sqrt(variance / Math.max(1, samples - 1)) };
}

/** Trains A and β by Adam and evaluates the held-out loss. */
export function trainRugScalars(options: TrainRugScalarsOptions): TrainedRugScalars {
  const { rug, p, steps, rng } = options;
  const { n } = rug;
  if (!(p > 0 && p <= 1)) throw new ValidationError({ field: 'p', received: p, expected: 'a probability in (0, 1]' });
  if (!Number.isInteger(steps) || steps < 0)
    throw new ValidationError({ field: 'steps', received: steps, expected: 'a non-negative integer' });
  const batch = options.batch ?? 512;
  const lr = options.learningRate ?? 0.3 / Math.sqrt(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  // θ = (A, β), from (1, 0); Adam's moments alongside.
  const theta = Float64Array.of(1, 0);
  const grad = new Float64Array(2);
  const mom = new Float64Array(2);
  const vel = new Float64Array(2);
  const scale = 2 / (batch * n);
  for (let t = 1; t <= steps; t++) {
    const a = theta[0];
    const beta = theta[1];
    let gA = 0;
    let gB = 0;
    for (let s = 0; s < batch; s++) {
      sampleSparseUniform(x, p, rng);
      persianRugApply(rug, x, y);
      // The ReLU's indicator as a factor, not a branch: which outputs are active is random, so a branch mispredicts on
      // a large share of them. An inactive output adds (r·u)·0 = ±0, which leaves the sums as they were (they start at
      // +0 and a sum of nonzero terms is never −0), so the bits are those of the branch (for finite values).
      for (let i = 0; i < n; i++) {
        const u = y[i] + beta;
        const pre = a * u;
        const on = +(pre > 0);
        const r = pre - x[i];
        gA += r * u * on;
        gB += r * a * on;
      }
    }
    grad[0] = gA * scale;
    grad[1] = gB * scale;
    adamStep(theta, grad, mom, vel, lr, 1 - BETA1 ** t, 1 - BETA2 ** t);
    assertFinite(theta, { step: t, quantity: 'A, β', config: { n, m: rug.m, p, learningRate: lr, batch } });
    options.progress?.(t, steps, 'Adam steps');
  }
  const held = rugLoss(rug, theta[0], theta[1], p, options.evalSamples ?? 8192, rng.fork('held-out'));
  return { a: theta[0], beta: theta[1], heldOutLoss: held.loss, standardError: held.standardError };
}
