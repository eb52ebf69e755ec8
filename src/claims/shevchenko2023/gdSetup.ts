/**
 * The set-up the gradient-method claims share (docs/theory-shevchenko2023.md (S11a)–(S11c)): the Gaussian start, the
 * checkpoint list, and the optimiser types a claim takes as a dependency so that its negative control can swap in a
 * broken optimiser (see `noOpOptimisers.ts`).
 */
import type { Matrix } from '../../core/matrix.ts';
import type { Rng } from '../../core/rng.ts';
import type { KernelSet } from '../../kernels/kernelSpecs.ts';
import { gaussianMatrix } from '../../sim/shevchenko2023/constructions.ts';
import { type ProjectedGdOptions, type ProjectedGdResult, pgdGradients } from '../../sim/shevchenko2023/projectedGd.ts';
import type { ReducedGdOptions, ReducedGdResult } from '../../sim/shevchenko2023/reducedGd.ts';
import type { TiedSgdOptions } from '../../sim/shevchenko2023/tiedSgd.ts';
import { normalizeRows, optimalRisk } from '../../theory/shevchenko2023/signRisk.ts';
import type { Check } from '../check.ts';
import { atLeast, atMost } from '../support/checks.ts';

/**
 * Projected GD on (A, B) (docs/theory-shevchenko2023.md (S11a)): `projectedGd`, or a broken stand-in in a negative
 * control.
 */
export type ProjectedGdFn = (options: ProjectedGdOptions) => ProjectedGdResult;
/** GD on B with A = A*(B) ((S11c)): `reducedGd`, or a broken stand-in. */
export type ReducedGdFn = (options: ReducedGdOptions) => ReducedGdResult;
/** Tied SGD ((S11b)): `tiedSgd`, or a broken stand-in. */
export type TiedSgdFn = (options: TiedSgdOptions) => Matrix;

/** The Gaussian start of (S11a): entries of A (d×n) and B (n×d) i.i.d. N(0, 1/d), n = round(r·d) (at least 1). */
export interface GaussianStart {
  d: number;
  n: number;
  /** A₀, d×n. */
  decoder: Matrix;
  /** B₀, n×d. */
  encoder: Matrix;
}

/** Options of {@link gaussianStart}. */
export interface GaussianStartOptions {
  /** Input dimension d. */
  dim: number;
  /** Rate r = n/d; n = max(1, round(r·d)). */
  rate: number;
  /** Stream of the entries: A₀ is drawn first, then B₀ (the order every GD claim used). */
  rng: Rng;
}

/** The code length the GD claims realise for rate r at dimension d: n = max(1, round(r·d)) (they judge at n/d). */
export function codeLength(dim: number, rate: number): number {
  return Math.max(1, Math.round(rate * dim));
}

/** A₀ and B₀ with i.i.d. N(0, 1/d) entries (the rotation-invariant initialisation of (S9)). */
export function gaussianStart(options: GaussianStartOptions): GaussianStart {
  const d = options.dim;
  const n = codeLength(d, options.rate);
  const scale = 1 / Math.sqrt(d);
  const decoder = gaussianMatrix(d, n, options.rng, scale);
  const encoder = gaussianMatrix(n, d, options.rng, scale);
  return { d, n, decoder, encoder };
}

/** The iterations at which the GD claims record the risk: the listed ones up to `iterations`, and `iterations`. */
export function checkpoints(iterations: number, candidates: readonly number[]): number[] {
  return Array.from(new Set(candidates.filter((t) => t <= iterations).concat([iterations])));
}

/** L = d·R and ‖∇L‖² at (A, B̂) with the gradient projected GD uses (`pgdGradients`, through the kernels). */
export function lossAndGradientNorm(
  decoder: Matrix,
  encoder: Matrix,
  kernels: KernelSet,
): { loss: number; gradientNormSquared: number } {
  const d = encoder.cols;
  const n = encoder.rows;
  const { loss, gradA, gradB } = pgdGradients(decoder.data, normalizeRows(encoder).data, d, n, kernels);
  let s = 0;
  for (const v of gradA) s += v * v;
  for (const v of gradB) s += v * v;
  return { loss, gradientNormSquared: s };
}

/** Round-off allowed below R_opt(r) (float64 sums of n² terms of the closed form). */
export const BELOW_LIMIT_ROUND_OFF = 1e-12;
/**
 * r > 1: the finite-d optimum sits Θ(1/d) above R_opt; the Haar tight frame's gap is ≈ 0.06·r/d
 * (docs/theory-shevchenko2023.md (S8), §8 finite-d gap) and the gradient methods beat the frame, so their gap stays
 * below 0.06·r/d.
 */
export const FINITE_D_GAP_CONSTANT = 0.06;

/** Options of {@link gapToLimitChecks}. */
export interface GapToLimitOptions {
  /** The risk reached. */
  risk: number;
  /** Rate n/d the risk was reached at. */
  rate: number;
  d: number;
  /** Largest gap allowed for r ≤ 1, where the limit is reached exactly (the trainer's noise floor or round-off). */
  exactGap: number;
}

/**
 * Two checks on the gap R − R_opt(r): `gap` (R − R_opt ≤ `exactGap` for r ≤ 1, ≤ 0.06·r/d for r > 1: the method
 * reached the limit) and `above-limit` (R ≥ R_opt − round-off: the lower bound (LB) holds).
 */
export function gapToLimitChecks(options: GapToLimitOptions): Check[] {
  const { rate, d, risk } = options;
  const limit = optimalRisk(rate);
  const upper = rate <= 1 ? options.exactGap : (FINITE_D_GAP_CONSTANT * rate) / d;
  return [atMost('gap', risk, limit, upper), atLeast('above-limit', risk, limit, BELOW_LIMIT_ROUND_OFF)];
}
