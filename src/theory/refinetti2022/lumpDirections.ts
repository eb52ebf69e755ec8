/**
 * Exact compression of degenerate directions for the vector-form ODE. Directions τ that share one eigenvalue ρ evolve
 * by the same linear map (the right-hand side of (a_τ, b_τ) depends on τ only through κ_τ), and they enter Q, R, T, T0
 * only through the 2K×2K Gram matrix G = Σ_τ u_τ u_τᵀ, u_τ = (a_τ, b_τ). Replacing such a group by the ≤ 2K directions
 * √λ_j v_j of G's eigen-decomposition (same eigenvalue ρ) therefore leaves every order parameter, ε(t) and the
 * dynamics unchanged. A spiked spectrum (M spikes on a flat bulk of D − M directions) shrinks from D to ≤ M + 2K
 * directions.
 */
import { ValidationError } from '../../core/errors.ts';
import { symmetricEigen } from '../../core/linalg.ts';
import { matrix } from '../../core/matrix.ts';
import type { Spectrum } from '../../core/spectrum.ts';
import type { OdeState } from './odeState.ts';

/** Options of {@link lumpDirections}. */
export interface LumpDirectionsOptions {
  state: OdeState;
  spectrum: Pick<Spectrum, 'dim' | 'values'>;
  /** Eigenvalues within this relative distance count as equal (default 0: exactly equal). */
  relativeTolerance?: number;
}

/** Relative size below which an eigenvalue of a group's Gram matrix is dropped (round-off of a rank-deficient G). */
const RANK_TOLERANCE = 1e-14;

/** The lumped state and spectrum (same D, same order parameters, fewer directions). */
export function lumpDirections(options: LumpDirectionsOptions): {
  state: OdeState;
  spectrum: { dim: number; values: Float64Array };
  groups: number;
} {
  const { state, spectrum } = options;
  const tol = options.relativeTolerance ?? 0;
  const { hidden: K, directions: n, a, b } = state;
  if (spectrum.values.length !== n) {
    throw new ValidationError({
      field: 'spectrum.values',
      received: `length ${spectrum.values.length}`,
      expected: `one eigenvalue per state direction (n = ${n})`,
    });
  }
  // Group directions by eigenvalue (sorted, consecutive within tolerance).
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => spectrum.values[j] - spectrum.values[i]);
  const groups: number[][] = [];
  for (const i of order) {
    const last = groups[groups.length - 1];
    const rho = spectrum.values[i];
    const ref = last ? spectrum.values[last[0]] : Number.NaN;
    if (last && Math.abs(rho - ref) <= tol * Math.max(Math.abs(ref), Number.MIN_VALUE)) last.push(i);
    else groups.push([i]);
  }
  const outValues: number[] = [];
  const columns: Float64Array[] = [];
  const m = 2 * K;
  for (const group of groups) {
    const rho = spectrum.values[group[0]];
    if (group.length <= m) {
      for (const tau of group) {
        const u = new Float64Array(m);
        for (let k = 0; k < K; k++) {
          u[k] = a[k * n + tau];
          u[K + k] = b[k * n + tau];
        }
        columns.push(u);
        outValues.push(spectrum.values[tau]);
      }
      continue;
    }
    const g = matrix(m, m);
    for (const tau of group) {
      for (let i = 0; i < m; i++) {
        const ui = i < K ? a[i * n + tau] : b[(i - K) * n + tau];
        for (let j = 0; j < m; j++) {
          const uj = j < K ? a[j * n + tau] : b[(j - K) * n + tau];
          g.data[i * m + j] += ui * uj;
        }
      }
    }
    const { values, vectors } = symmetricEigen(g);
    const top = Math.max(values[0], 0);
    for (let j = 0; j < m; j++) {
      if (!(values[j] > RANK_TOLERANCE * top)) continue;
      const s = Math.sqrt(values[j]);
      const u = new Float64Array(m);
      for (let i = 0; i < m; i++) u[i] = s * vectors.data[i * m + j];
      columns.push(u);
      outValues.push(rho);
    }
  }
  const n2 = columns.length;
  const a2 = new Float64Array(K * n2);
  const b2 = new Float64Array(K * n2);
  columns.forEach((u, tau) => {
    for (let k = 0; k < K; k++) {
      a2[k * n2 + tau] = u[k];
      b2[k * n2 + tau] = u[K + k];
    }
  });
  return {
    state: { hidden: K, directions: n2, a: a2, b: b2, ...(state.bias ? { bias: Float64Array.from(state.bias) } : {}) },
    spectrum: { dim: spectrum.dim, values: Float64Array.from(outValues) },
    groups: groups.length,
  };
}
