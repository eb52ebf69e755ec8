/**
 * Projected gradient descent on the closed-form population risk of the sign autoencoder (Shevchenko et al. §3.6 a):
 * untied A and B, L = d·R, row renormalisation of B after every step. The matrix work (Gram matrix, entrywise arcsin,
 * products) runs through the kernel registry; the O(n·d) and O(n²) glue runs on the host in float64.
 */
import { ValidationError } from '../../core/errors.ts';
import { type Matrix, matrix } from '../../core/matrix.ts';
import type { Progress } from '../../core/progress.ts';
import { assertFinite } from '../../core/tolerance.ts';
import type { KernelSet } from '../../kernels/kernelSpecs.ts';
import { C_SIGN, GRAM_CLIP, normalizeRows, snapUnit } from '../../theory/shevchenko2023/signRisk.ts';

/** Options of {@link projectedGd}. */
export interface ProjectedGdOptions {
  /** Initial decoder A (d×n). */
  decoder: Matrix;
  /** Initial encoder B (n×d); its rows are normalised first. */
  encoder: Matrix;
  /** Step size on L = d·R (default 0.05, the digest's setting). */
  learningRate?: number;
  /** Iterations. */
  iterations: number;
  /** Iterations at which the risk R = L/d is recorded (default: 0 and the last). */
  record?: readonly number[];
  kernels: KernelSet;
  progress?: Progress;
}

/** Result of {@link projectedGd}. */
export interface ProjectedGdResult {
  decoder: Matrix;
  /** The encoder with unit rows. */
  encoder: Matrix;
  /** Recorded iterations and the risk R = L/d before the step at each. */
  iterations: number[];
  risk: number[];
}

/** Default step size on L = d·R (digest §3.6 a). */
export const DEFAULT_PGD_LEARNING_RATE = 0.05;

/** One evaluation of L and its gradients at (A, B̂) through the kernels. */
export function pgdGradients(
  a: Float64Array,
  bHat: Float64Array,
  d: number,
  n: number,
  kernels: KernelSet,
): { loss: number; gradA: Float64Array; gradB: Float64Array } {
  const c = C_SIGN;
  const c2 = c * c;
  // M = B̂ B̂ᵀ, clipped, unit diagonal.
  const m = kernels.gemm({ m: n, n, k: d, a: bHat, b: bHat, transB: true, symmetric: true });
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = m[i * n + j];
      m[i * n + j] = i === j ? 1 : Math.max(-1 + GRAM_CLIP, Math.min(1 - GRAM_CLIP, snapUnit(v, d)));
    }
  }
  const s = kernels.elementwise({ op: 'arcsin', x: m });
  const as = kernels.gemm({ m: d, n, k: n, a, b: s, transB: true }); // A arcsin(M), d×n (arcsin(M) is symmetric)
  const ata = kernels.gemm({ m: n, n, k: d, a, b: a, transA: true, symmetric: true }); // AᵀA, n×n
  let trAB = 0;
  let quad = 0;
  const gradA = new Float64Array(d * n);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < n; k++) {
      const bki = bHat[k * d + i];
      const aik = a[i * n + k];
      trAB += aik * bki;
      quad += aik * as[i * n + k];
      gradA[i * n + k] = -2 * c * bki + 2 * c2 * as[i * n + k];
    }
  }
  const g = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    for (let l = 0; l < n; l++) {
      if (k === l) continue;
      const v = m[k * n + l];
      g[k * n + l] = (c2 * ata[k * n + l]) / Math.sqrt(1 - v * v);
    }
  }
  const gb = kernels.gemm({ m: n, n: d, k: n, a: g, b: bHat }); // G B̂, n×d
  const gradB = new Float64Array(n * d);
  for (let k = 0; k < n; k++) {
    let dot = 0;
    for (let j = 0; j < d; j++) {
      const v = -2 * c * a[j * n + k] + 2 * gb[k * d + j];
      gradB[k * d + j] = v;
      dot += v * bHat[k * d + j];
    }
    for (let j = 0; j < d; j++) gradB[k * d + j] -= dot * bHat[k * d + j];
  }
  return { loss: d - 2 * c * trAB + c2 * quad, gradA, gradB };
}

/** b ← rows of (b − η·gradB) renormalised to the unit sphere (the projection of §3.6 a), in place. */
export function stepOnSphere(b: Float64Array, gradB: Float64Array, eta: number, n: number, d: number): void {
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const v = b[k * d + j] - eta * gradB[k * d + j];
      b[k * d + j] = v;
      norm += v * v;
    }
    const inv = 1 / Math.sqrt(norm);
    for (let j = 0; j < d; j++) b[k * d + j] *= inv;
  }
}

/** Runs projected GD and records the risk; throws DivergenceError on NaN/Inf. */
export function projectedGd(options: ProjectedGdOptions): ProjectedGdResult {
  const { kernels, iterations } = options;
  const eta = options.learningRate ?? DEFAULT_PGD_LEARNING_RATE;
  if (!(eta > 0)) throw new ValidationError({ field: 'learningRate', received: eta, expected: 'a positive step size' });
  if (!Number.isInteger(iterations) || iterations < 0)
    throw new ValidationError({ field: 'iterations', received: iterations, expected: 'a non-negative integer' });
  const n = options.encoder.rows;
  const d = options.encoder.cols;
  if (options.decoder.rows !== d || options.decoder.cols !== n) {
    throw new ValidationError({
      field: 'decoder',
      received: `${options.decoder.rows}×${options.decoder.cols}`,
      expected: `${d}×${n}`,
    });
  }
  const record = new Set(options.record ?? [0, iterations]);
  const a = Float64Array.from(options.decoder.data);
  const b = Float64Array.from(normalizeRows(options.encoder).data);
  const recIt: number[] = [];
  const recRisk: number[] = [];
  for (let t = 0; t <= iterations; t++) {
    const { loss, gradA, gradB } = pgdGradients(a, b, d, n, kernels);
    assertFinite(loss, { step: t, quantity: 'loss', config: { d, n, learningRate: eta } });
    if (record.has(t)) {
      recIt.push(t);
      recRisk.push(loss / d);
    }
    if (t === iterations) break;
    for (let i = 0; i < a.length; i++) a[i] -= eta * gradA[i];
    stepOnSphere(b, gradB, eta, n, d);
    options.progress?.(t + 1, iterations, 'GD iterations');
  }
  return { decoder: matrix(d, n, a), encoder: matrix(n, d, b), iterations: recIt, risk: recRisk };
}
