/**
 * GD on the encoder alone with the optimal decoder A = A*(B) (A1) at every step (Shevchenko et al. 2023;
 * docs/theory-shevchenko2023.md (S11c)), i.e. projected GD on the reduced risk R*(B) (R2). By the envelope theorem
 * ∇R*(B) = ∂R/∂B at A = A*(B), so the step uses the joint gradient of {@link pgdGradientsT} (Gram matrix, arcsin,
 * products through the kernels). A*(B) is solved on the run's side too: M = B̂B̂ᵀ through the kernels' GEMM, arcsin(M)
 * on the host, and the n×n positive-definite solve by the run's {@link spdSolver} (LAPACK's dpotrf/dpotrs where the run
 * uses OpenBLAS, a JavaScript Cholesky otherwise). The theory's `optimalDecoder` and `reducedRisk` stay the independent
 * check (the claim's envelope check compares them).
 */
import { ValidationError } from '../../core/errors.ts';
import { type Matrix, matrix } from '../../core/matrix.ts';
import type { Progress } from '../../core/progress.ts';
import { assertFinite } from '../../core/tolerance.ts';
import type { KernelSet } from '../../kernels/kernelSpecs.ts';
import { normalizeRows, SINGULAR_PIVOT, singularEncoder, snapUnit } from '../../theory/shevchenko2023/signRisk.ts';
import { type SpdSolver, spdSolver } from '../spdSolver.ts';
import { DEFAULT_PGD_LEARNING_RATE, pgdGradientsT, pgdWorkspace, stepOnSphere } from './projectedGd.ts';

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
  /** Which positive-definite solve gave A*(B), and why ({@link SpdSolver}'s note), for the claim's details. */
  decoderSolve: string;
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
  const solver = spdSolver(kernels);
  const ws = pgdWorkspace(n, d);
  const arcsinM = matrix(n, n);
  const recIt: number[] = [];
  const recRisk: number[] = [];
  let aT: Float64Array = new Float64Array(0);
  for (let t = 0; t <= iterations; t++) {
    aT = optimalDecoderT(bm, kernels, solver, ws.gram, arcsinM);
    // ws.gram holds M of this B̂ already (optimalDecoderT made it by the same product): not made twice.
    const { loss, gradB } = pgdGradientsT(aT, b, d, n, kernels, ws, true);
    assertFinite(loss, { step: t, quantity: 'reduced loss', config: { d, n, learningRate: eta } });
    if (record.has(t)) {
      recIt.push(t);
      recRisk.push(loss / d);
    }
    if (t === iterations) break;
    stepOnSphere(b, gradB, eta, n, d);
    options.progress?.(t + 1, iterations, 'reduced GD iterations');
  }
  const decoder = matrix(d, n);
  for (let k = 0; k < n; k++) for (let i = 0; i < d; i++) decoder.data[i * n + k] = aT[k * d + i];
  return {
    decoder,
    encoder: matrix(n, d, Float64Array.from(b)),
    iterations: recIt,
    risk: recRisk,
    decoderSolve: solver.note,
  };
}

/**
 * A*(B)ᵀ = √(π/2) arcsin(M)⁻¹ B̂ (n×d) for unit rows B̂ (n×d): M through the kernels' GEMM into `gram` (upper
 * triangle), arcsin(M) written to `arcsinM` as the theory builds it (entries snapped to ±1 within round-off, clipped
 * to [−1, 1], π/2 on the diagonal), then the run's positive-definite solve, with the theory's singular-pivot floor.
 */
export function optimalDecoderT(
  bHat: Matrix,
  kernels: KernelSet,
  solver: SpdSolver,
  gram: Float64Array,
  arcsinM: Matrix,
): Float64Array {
  const n = bHat.rows;
  const d = bHat.cols;
  // The product pgdGradientsT makes for M, with the same arguments (so the same bits), which it then reuses.
  kernels.gemm({
    m: n,
    n,
    k: d,
    a: bHat.data,
    b: bHat.data,
    transB: true,
    symmetric: true,
    upperOnly: true,
    out: gram,
  });
  const s = arcsinM.data;
  const halfPi = Math.asin(1);
  for (let i = 0; i < n; i++) {
    s[i * n + i] = halfPi;
    for (let j = i + 1; j < n; j++) {
      const v = Math.asin(Math.max(-1, Math.min(1, snapUnit(gram[i * n + j], d))));
      s[i * n + j] = v;
      s[j * n + i] = v;
    }
  }
  let x: Matrix;
  try {
    x = solver.solve(arcsinM, bHat, SINGULAR_PIVOT);
  } catch (e) {
    throw singularEncoder(e);
  }
  const scale = Math.sqrt(Math.PI / 2);
  const out = x.data;
  for (let i = 0; i < out.length; i++) out[i] *= scale;
  return out;
}
