/**
 * GD on the encoder alone with the optimal decoder A = A*(B) (A1) at every step (Shevchenko et al. 2023;
 * docs/theory-shevchenko2023.md (S11c)), i.e. projected GD on the reduced risk R*(B) (R2). By the envelope theorem
 * ∇R*(B) = ∂R/∂B at A = A*(B), so the step uses the joint gradient of {@link pgdGradients} (Gram matrix, arcsin,
 * products through the kernels); the n×n solve of (A1) runs on the host in float64.
 */
import { ValidationError } from '../../core/errors.ts';
import { type Matrix, matrix } from '../../core/matrix.ts';
import type { Progress } from '../../core/progress.ts';
import { assertFinite } from '../../core/tolerance.ts';
import type { KernelSet } from '../../kernels/kernelSpecs.ts';
import { normalizeRows, optimalDecoder } from '../../theory/shevchenko2023/signRisk.ts';
import { DEFAULT_PGD_LEARNING_RATE, pgdGradients, stepOnSphere } from './projectedGd.ts';

/** Options of {@link reducedGd}. */
export interface ReducedGdOptions {
  /** Initial encoder B (n×d); its rows are normalised first. */
  encoder: Matrix;
  /** Step size on L = d·R (default 0.05, as for joint GD). */
  learningRate?: number;
  iterations: number;
  /** Iterations at which R*(B) is recorded (default: 0 and the last). */
  record?: readonly number[];
  kernels: KernelSet;
  progress?: Progress;
}

/** Result of {@link reducedGd}. */
export interface ReducedGdResult {
  /** The optimal decoder of the final encoder. */
  decoder: Matrix;
  /** The encoder with unit rows. */
  encoder: Matrix;
  iterations: number[];
  /** R*(B) before the step at each recorded iteration. */
  risk: number[];
}

/** Runs GD on R*(B) with row renormalisation; throws DivergenceError on NaN/Inf. */
export function reducedGd(options: ReducedGdOptions): ReducedGdResult {
  const { kernels, iterations } = options;
  const eta = options.learningRate ?? DEFAULT_PGD_LEARNING_RATE;
  if (!(eta > 0)) throw new ValidationError({ field: 'learningRate', received: eta, expected: 'a positive step size' });
  if (!Number.isInteger(iterations) || iterations < 0)
    throw new ValidationError({ field: 'iterations', received: iterations, expected: 'a non-negative integer' });
  const n = options.encoder.rows;
  const d = options.encoder.cols;
  const record = new Set(options.record ?? [0, iterations]);
  const bm = normalizeRows(options.encoder);
  const b = bm.data;
  const recIt: number[] = [];
  const recRisk: number[] = [];
  let a = optimalDecoder(bm);
  for (let t = 0; t <= iterations; t++) {
    a = optimalDecoder(bm);
    const { loss, gradB } = pgdGradients(a.data, b, d, n, kernels);
    assertFinite(loss, { step: t, quantity: 'reduced loss', config: { d, n, learningRate: eta } });
    if (record.has(t)) {
      recIt.push(t);
      recRisk.push(loss / d);
    }
    if (t === iterations) break;
    stepOnSphere(b, gradB, eta, n, d);
    options.progress?.(t + 1, iterations, 'reduced GD iterations');
  }
  return { decoder: a, encoder: matrix(n, d, Float64Array.from(b)), iterations: recIt, risk: recRisk };
}
