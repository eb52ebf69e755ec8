/**
 * Macroscopic order parameters of Refinetti & Goldt 2022 from the vector-form state (docs/theory-refinetti2022.md
 * (E6)): Q^{kl} = Σ_τ κ_τ a_τ^k a_τ^l, R^{kl} = Σ_τ κ_τ b_τ^k a_τ^l, T^{kl} = Σ_τ κ_τ b_τ^k b_τ^l, T0^{kl} = Σ_τ b_τ^k
 * b_τ^l, with κ_τ = ρ_τ/D.
 *
 * Directions not listed in the spectrum: T0 = v^k·v^l/D is an unweighted sum over all D directions, but the state
 * carries only the n listed ones. The unlisted D − n directions are taken to have zero projections (a = b = 0); the
 * ODE is linear and homogeneous in each direction's (a_τ, b_τ), so they stay zero and contribute nothing to Q, R, T
 * or T0 at any time. To describe weights with mass outside the listed directions, list those directions in the
 * spectrum (a degenerate bulk may be listed as up to 2K representative directions carrying the bulk's Gram matrix of
 * (a, b); the dynamics of directions sharing one eigenvalue are the same linear map, so that Gram matrix is all that
 * matters).
 */
import { ValidationError } from '../../core/errors.ts';
import type { Spectrum } from '../../core/spectrum.ts';
import type { OdeState } from './odeState.ts';

/** Q, R, T, T0, each K × K row-major. R^{kl} = v^k Ω w^l / D^{3/2} is not symmetric. */
export interface OrderParameters {
  /** Number of hidden units K. */
  hidden: number;
  /** Q^{kl} = w^k Ω w^l / D = E[λ^k λ^l]. */
  Q: Float64Array;
  /** R^{kl} = v^k Ω w^l / D^{3/2} = E[ν^k λ^l]. */
  R: Float64Array;
  /** T^{kl} = v^k Ω v^l / D² = E[ν^k ν^l]. */
  T: Float64Array;
  /** T0^{kl} = v^k·v^l / D. */
  T0: Float64Array;
}

/** Checks that the state and the spectrum have the same number of directions. */
export function checkSpectrumMatchesState(state: OdeState, spectrum: Spectrum): void {
  if (spectrum.values.length !== state.directions) {
    throw new ValidationError({
      field: 'spectrum.values',
      received: `length ${spectrum.values.length}`,
      expected: `one eigenvalue per state direction (n = ${state.directions})`,
      hint: 'give the state one column per listed eigen-direction',
    });
  }
  if (!(spectrum.dim > 0)) {
    throw new ValidationError({ field: 'spectrum.dim', received: spectrum.dim, expected: 'the input dimension D > 0' });
  }
}

/**
 * Writes Q, R, T0 (and T when `t` is given) of the state (a, b) into the K×K outputs. Allocates nothing.
 * `kappa[τ]` = ρ_τ/D.
 */
export function orderParametersInto(
  K: number,
  n: number,
  kappa: Float64Array,
  a: Float64Array,
  b: Float64Array,
  q: Float64Array,
  r: Float64Array,
  t0: Float64Array,
  t?: Float64Array,
): void {
  // Q, T0 and T are symmetric: fill k ≤ l and mirror; R is full.
  for (let k = 0; k < K; k++) {
    const ok = k * n;
    for (let l = 0; l < K; l++) {
      const ol = l * n;
      let sr = 0;
      if (l < k) {
        for (let tau = 0; tau < n; tau++) sr += kappa[tau] * b[ok + tau] * a[ol + tau];
        r[k * K + l] = sr;
        q[k * K + l] = q[l * K + k];
        t0[k * K + l] = t0[l * K + k];
        if (t) t[k * K + l] = t[l * K + k];
        continue;
      }
      let sq = 0;
      let st0 = 0;
      let st = 0;
      if (t) {
        for (let tau = 0; tau < n; tau++) {
          const c = kappa[tau];
          const al = a[ol + tau];
          const bk = b[ok + tau];
          const bl = b[ol + tau];
          sq += c * a[ok + tau] * al;
          sr += c * bk * al;
          st0 += bk * bl;
          st += c * bk * bl;
        }
      } else {
        // The right-hand side needs no T: three accumulators only.
        for (let tau = 0; tau < n; tau++) {
          const ca = kappa[tau] * a[ol + tau];
          const bk = b[ok + tau];
          sq += ca * a[ok + tau];
          sr += ca * bk;
          st0 += bk * b[ol + tau];
        }
      }
      q[k * K + l] = sq;
      r[k * K + l] = sr;
      t0[k * K + l] = st0;
      if (t) t[k * K + l] = st;
    }
  }
}

/** κ_τ = ρ_τ / D. */
export function kappaOf(spectrum: Spectrum): Float64Array {
  const kappa = new Float64Array(spectrum.values.length);
  for (let i = 0; i < kappa.length; i++) kappa[i] = spectrum.values[i] / spectrum.dim;
  return kappa;
}

/** Q, R, T, T0 of a vector-form state (docs/theory-refinetti2022.md (E6), (E12)). */
export function orderParametersFromState(state: OdeState, spectrum: Spectrum): OrderParameters {
  checkSpectrumMatchesState(state, spectrum);
  const K = state.hidden;
  const Q = new Float64Array(K * K);
  const R = new Float64Array(K * K);
  const T = new Float64Array(K * K);
  const T0 = new Float64Array(K * K);
  orderParametersInto(K, state.directions, kappaOf(spectrum), state.a, state.b, Q, R, T0, T);
  return { hidden: K, Q, R, T, T0 };
}
