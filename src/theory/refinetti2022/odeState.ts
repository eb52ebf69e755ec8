/**
 * State of the rank-one "vector" form of the Refinetti & Goldt 2022 ODEs (docs/theory-refinetti2022.md (E12)).
 *
 * For every direction τ of the input spectrum (eigenvalue ρ_τ, unit eigenvector e_τ) and hidden unit k:
 * - a_τ^k = w^k·e_τ (encoder projection, O(1) along spikes),
 * - b_τ^k = v^k·e_τ/√D (decoder projection, rescaled so that it is O(1) along spikes).
 * Optionally the effective encoder bias β_k = b_k/√D (the bias enters the pre-activation as b/√D, (E1)).
 */
import { ValidationError } from '../../core/errors.ts';
import type { Rng } from '../../core/rng.ts';

/** The state of the vector-form ODE. Arrays are row-major over (unit k, direction τ): index k·n + τ. */
export interface OdeState {
  /** Number of hidden units K. */
  hidden: number;
  /** Number of directions n (one per entry of the spectrum's `values`). */
  directions: number;
  /** a_τ^k = w^k·e_τ, K × n row-major. */
  a: Float64Array;
  /** b_τ^k = v^k·e_τ/√D, K × n row-major. */
  b: Float64Array;
  /** Effective encoder bias β_k = b_k/√D (length K); absent when the network has no bias. */
  bias?: Float64Array;
}

/** A deep copy of a state. */
export function cloneOdeState(state: OdeState): OdeState {
  return {
    hidden: state.hidden,
    directions: state.directions,
    a: Float64Array.from(state.a),
    b: Float64Array.from(state.b),
    ...(state.bias ? { bias: Float64Array.from(state.bias) } : {}),
  };
}

/** Throws a ValidationError unless the array lengths match K and n and every entry is finite. */
export function validateOdeState(state: OdeState, field = 'initial'): void {
  const { hidden: K, directions: n } = state;
  if (!Number.isInteger(K) || K < 1) {
    throw new ValidationError({ field: `${field}.hidden`, received: K, expected: 'a positive integer K' });
  }
  if (!Number.isInteger(n) || n < 1) {
    throw new ValidationError({ field: `${field}.directions`, received: n, expected: 'a positive integer n' });
  }
  for (const key of ['a', 'b'] as const) {
    const arr = state[key];
    if (!(arr instanceof Float64Array) || arr.length !== K * n) {
      throw new ValidationError({
        field: `${field}.${key}`,
        received: arr instanceof Float64Array ? `length ${arr.length}` : typeof arr,
        expected: `a Float64Array of length K·n = ${K * n}`,
        hint: 'store the projections row-major: index k·n + τ',
      });
    }
    for (let i = 0; i < arr.length; i++) {
      if (!Number.isFinite(arr[i])) {
        throw new ValidationError({
          field: `${field}.${key}[${i}]`,
          received: arr[i],
          expected: 'a finite number',
        });
      }
    }
  }
  if (state.bias !== undefined && (!(state.bias instanceof Float64Array) || state.bias.length !== K)) {
    throw new ValidationError({
      field: `${field}.bias`,
      received: state.bias,
      expected: `a Float64Array of length K = ${K}`,
    });
  }
}

/** Options of {@link randomOdeState}. */
export interface RandomOdeStateOptions {
  /** Hidden units K. */
  hidden: number;
  /** Input dimension D (the decoder projections are rescaled by 1/√D). */
  inputDim: number;
  /** Number of directions n (≤ D): the first n eigen-directions. */
  directions: number;
  /** Std of every weight entry, as in the authors' `init` (default 0.1). */
  initialScale?: number;
  /** Random stream. */
  rng: Rng;
}

/**
 * The projections of i.i.d. N(0, s²) weights on n orthonormal directions: a_τ^k ~ N(0, s²) exactly (w^k·e_τ of a
 * Gaussian vector is Gaussian with the same variance) and b_τ^k = v^k·e_τ/√D ~ N(0, s²/D), all independent.
 */
export function randomOdeState(options: RandomOdeStateOptions): OdeState {
  const { hidden, inputDim, directions, rng } = options;
  const s = options.initialScale ?? 0.1;
  const a = new Float64Array(hidden * directions);
  const b = new Float64Array(hidden * directions);
  rng.fillNormal(a, 0, a.length, s);
  rng.fillNormal(b, 0, b.length, s / Math.sqrt(inputDim));
  return { hidden, directions, a, b };
}
