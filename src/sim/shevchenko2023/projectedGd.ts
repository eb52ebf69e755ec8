/**
 * Projected gradient descent on the closed-form population risk of the sign autoencoder (Shevchenko et al. 2023;
 * docs/theory-shevchenko2023.md (S11a)): untied A and B, L = d·R, row renormalisation of B after every step. Every
 * dense product (the two Gram matrices, the two gradient products with their β terms) is one call of the KernelSet's
 * GEMM (OpenBLAS in the default set); the n×n elementwise work (clip, arcsin, the weights of ∂L/∂B) is one fused pass
 * over the upper triangle, and the O(n·d) glue runs along rows, on the host in float64.
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
  /** Step size on L = d·R (default 0.05; docs/shevchenko2023.md). */
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

/** Default step size on L = d·R (docs/theory-shevchenko2023.md (S11a); docs/shevchenko2023.md). */
export const DEFAULT_PGD_LEARNING_RATE = 0.05;

/** Buffers of one gradient evaluation, reused across iterations (no allocation per iteration). */
export interface PgdWorkspace {
  /** M = B̂ B̂ᵀ, n×n. */
  readonly gram: Float64Array;
  /** AᵀA, n×n. */
  readonly ata: Float64Array;
  /** arcsin(M) (clipped, unit diagonal), n×n, symmetric. */
  readonly arcsinM: Float64Array;
  /** The weights G_kl = c²(AᵀA)_kl/√(1 − M_kl²) (k ≠ l; 0 on the diagonal), n×n, symmetric. */
  readonly weights: Float64Array;
  /** ∂L/∂Aᵀ, n×d. */
  readonly gradAT: Float64Array;
  /** ∂L/∂B̂ projected on each row's tangent space, n×d. */
  readonly gradB: Float64Array;
}

/** The buffers for code length n and dimension d. */
export function pgdWorkspace(n: number, d: number): PgdWorkspace {
  return {
    gram: new Float64Array(n * n),
    ata: new Float64Array(n * n),
    arcsinM: new Float64Array(n * n),
    weights: new Float64Array(n * n),
    gradAT: new Float64Array(n * d),
    gradB: new Float64Array(n * d),
  };
}

/** Side of the square tiles of the fused n×n pass (its mirrored writes stay in cache). */
const TILE = 32;

/**
 * The fused elementwise pass over the upper triangle of the symmetric M and AᵀA: M clipped (unit diagonal), S =
 * arcsin(M) and the weights G written to both triangles, tile by tile; returns Σ_kl (AᵀA)_kl S_kl = Σ A∘(A S), the
 * quadratic term of L. One arcsin and one square root per pair instead of per entry, and no n×n temporaries.
 */
function arcsinAndWeights(
  gram: Float64Array,
  ata: Float64Array,
  s: Float64Array,
  g: Float64Array,
  n: number,
  d: number,
  c2: number,
): number {
  const lo = -1 + GRAM_CLIP;
  const hi = 1 - GRAM_CLIP;
  let off = 0;
  let diag = 0;
  for (let i0 = 0; i0 < n; i0 += TILE) {
    const i1 = Math.min(i0 + TILE, n);
    for (let j0 = i0; j0 < n; j0 += TILE) {
      const j1 = Math.min(j0 + TILE, n);
      for (let i = i0; i < i1; i++) {
        for (let j = Math.max(j0, i + 1); j < j1; j++) {
          const v = Math.max(lo, Math.min(hi, snapUnit(gram[i * n + j], d)));
          const a = ata[i * n + j];
          const sv = Math.asin(v);
          const gv = (c2 * a) / Math.sqrt(1 - v * v);
          s[i * n + j] = sv;
          s[j * n + i] = sv;
          g[i * n + j] = gv;
          g[j * n + i] = gv;
          off += a * sv;
        }
      }
    }
  }
  const halfPi = Math.asin(1);
  for (let i = 0; i < n; i++) {
    s[i * n + i] = halfPi;
    g[i * n + i] = 0;
    diag += ata[i * n + i] * halfPi;
  }
  return 2 * off + diag;
}

/**
 * L and its gradients at (A, B̂) through the kernels, with the decoder stored transposed (aT = Aᵀ, n×d: row k is A's
 * column k), so that every dense product is one GEMM with its α and β and every other loop runs along rows:
 * M = B̂B̂ᵀ and AᵀA are symmetric Gram products (?syrk on OpenBLAS), ∂L/∂Aᵀ = −2c B̂ + 2c² S Aᵀ and
 * ∂L/∂B̂ = −2c Aᵀ + 2 G B̂ are GEMMs with β = −2c, and the n×n elementwise work is one fused pass.
 * Writes into `ws` (default: new buffers) and returns its gradients; with `gramReady`, ws.gram already holds M's upper
 * triangle (the product above, of this B̂).
 */
export function pgdGradientsT(
  aT: Float64Array,
  bHat: Float64Array,
  d: number,
  n: number,
  kernels: KernelSet,
  ws: PgdWorkspace = pgdWorkspace(n, d),
  gramReady = false,
): { loss: number; gradAT: Float64Array; gradB: Float64Array } {
  const c = C_SIGN;
  const c2 = c * c;
  // The fused pass below reads the upper triangles only (upperOnly: no mirroring). `gramReady`: the caller has just
  // written M = B̂B̂ᵀ of this B̂ into ws.gram by the same call (reduced GD, for A*(B)), so it is not made twice.
  if (!gramReady) {
    kernels.gemm({ m: n, n, k: d, a: bHat, b: bHat, transB: true, symmetric: true, upperOnly: true, out: ws.gram }); // M
  }
  kernels.gemm({ m: n, n, k: d, a: aT, b: aT, transB: true, symmetric: true, upperOnly: true, out: ws.ata }); // AᵀA
  const quad = arcsinAndWeights(ws.gram, ws.ata, ws.arcsinM, ws.weights, n, d, c2);
  // (∂L/∂A)ᵀ = −2c B̂ + 2c² arcsin(M) Aᵀ (arcsin(M) is symmetric).
  kernels.gemm({ m: n, n: d, k: n, a: ws.arcsinM, b: aT, alpha: 2 * c2, beta: -2 * c, c: bHat, out: ws.gradAT });
  // ∂L/∂B̂ = −2c Aᵀ + 2 G B̂, then its component along each row of B̂ removed (the sphere's tangent space).
  const gradB = kernels.gemm({
    m: n,
    n: d,
    k: n,
    a: ws.weights,
    b: bHat,
    alpha: 2,
    beta: -2 * c,
    c: aT,
    out: ws.gradB,
  });
  let trAB = 0;
  for (let k = 0; k < n; k++) {
    const row = k * d;
    let dot = 0;
    for (let j = 0; j < d; j++) {
      dot += gradB[row + j] * bHat[row + j];
      trAB += aT[row + j] * bHat[row + j];
    }
    for (let j = 0; j < d; j++) gradB[row + j] -= dot * bHat[row + j];
  }
  return { loss: d - 2 * c * trAB + c2 * quad, gradAT: ws.gradAT, gradB };
}

/** One evaluation of L and its gradients at (A, B̂) through the kernels (A d×n; see {@link pgdGradientsT}). */
export function pgdGradients(
  a: Float64Array,
  bHat: Float64Array,
  d: number,
  n: number,
  kernels: KernelSet,
): { loss: number; gradA: Float64Array; gradB: Float64Array } {
  const aT = new Float64Array(n * d);
  transpose(a, d, n, aT);
  const { loss, gradAT, gradB } = pgdGradientsT(aT, bHat, d, n, kernels);
  const gradA = new Float64Array(d * n);
  transpose(gradAT, n, d, gradA);
  return { loss, gradA, gradB };
}

/** dst (cols×rows) = srcᵀ, src rows×cols. */
function transpose(src: Float64Array, rows: number, cols: number, dst: Float64Array): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) dst[c * rows + r] = src[r * cols + c];
}

/**
 * b ← rows of (b − η·gradB) renormalised to the unit sphere (the projection of docs/theory-shevchenko2023.md (S11a)),
 * in place.
 */
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
  // The decoder is trained transposed (Aᵀ, n×d; see pgdGradientsT) and returned as A.
  const aT = new Float64Array(n * d);
  transpose(options.decoder.data, d, n, aT);
  const b = Float64Array.from(normalizeRows(options.encoder).data);
  const ws = pgdWorkspace(n, d);
  const recIt: number[] = [];
  const recRisk: number[] = [];
  for (let t = 0; t <= iterations; t++) {
    const { loss, gradAT, gradB } = pgdGradientsT(aT, b, d, n, kernels, ws);
    assertFinite(loss, { step: t, quantity: 'loss', config: { d, n, learningRate: eta } });
    if (record.has(t)) {
      recIt.push(t);
      recRisk.push(loss / d);
    }
    if (t === iterations) break;
    for (let i = 0; i < aT.length; i++) aT[i] -= eta * gradAT[i];
    stepOnSphere(b, gradB, eta, n, d);
    options.progress?.(t + 1, iterations, 'GD iterations');
  }
  const a = new Float64Array(d * n);
  transpose(aT, n, d, a);
  return { decoder: matrix(d, n, a), encoder: matrix(n, d, b), iterations: recIt, risk: recRisk };
}
