import type { Matrix } from './matrix.ts';

/**
 * The spectrum of an input distribution's second-moment matrix Ω = Σ_τ ρ_τ e_τ e_τᵀ: one object that the theory
 * (ODEs over directions τ) and the simulation (sampling x = Σ_τ √ρ_τ z_τ e_τ) both use, so they share Ω exactly.
 */
export interface Spectrum {
  /** Input dimension D. */
  dim: number;
  /** Eigenvalues ρ_τ, descending, one per direction τ (length ≤ D). */
  values: Float64Array;
  /** Unit eigenvectors as columns, D × values.length; absent when only the eigenvalues are needed. */
  vectors?: Matrix;
}
