/**
 * A zero-mean Gaussian input distribution given by its eigendecomposition: n listed directions e_τ (eigenvalues ρ_τ)
 * and one flat "bulk" eigenvalue β for every direction orthogonal to them,
 *
 *   Ω = Σ_τ ρ_τ e_τ e_τᵀ + β (I − Σ_τ e_τ e_τᵀ),   x = √β ξ + Σ_τ √(ρ_τ − β) z_τ e_τ,   ξ ~ N(0, I_D), z ~ N(0, I_n).
 *
 * Sampling costs D normals plus O(D·n): for the spiked model (n = M spikes, docs/theory-refinetti2022.md (E4)) that is
 * O(D·M) per sample, with no D×D square root. The same object hands the theory its {@link Spectrum}, so theory and
 * simulation share Ω.
 */
import { ValidationError } from '../core/errors.ts';
import { matrix } from '../core/matrix.ts';
import type { Rng } from '../core/rng.ts';
import type { Spectrum } from '../core/spectrum.ts';

/** A Gaussian source in spectral form. */
export interface GaussianSource {
  readonly kind: 'gaussian';
  /** Input dimension D. */
  readonly dim: number;
  /** Number of listed directions n. */
  readonly directions: number;
  /** ρ_τ, descending, length n. */
  readonly values: Float64Array;
  /** e_τ as rows: n × D row-major (row τ is the unit eigenvector e_τ). */
  readonly basis: Float64Array;
  /** β, the eigenvalue of every direction orthogonal to the listed ones (0 when n = D). */
  readonly bulk: number;
  /** √(ρ_τ − β), length n (precomputed for sampling). */
  readonly amplitudes: Float64Array;
  /** TrΩ/D over all D directions. */
  readonly traceOmegaOverD: number;
  /** A short description (for reports). */
  readonly label: string;
}

/** Options of {@link createGaussianSource}. */
export interface GaussianSourceOptions {
  dim: number;
  /** ρ_τ (descending; each ≥ bulk). */
  values: Float64Array;
  /** n × D row-major orthonormal rows. */
  basis: Float64Array;
  /** β (default 0). */
  bulk?: number;
  label?: string;
}

/** Builds a {@link GaussianSource}, checking shapes and ρ_τ ≥ β. */
export function createGaussianSource(options: GaussianSourceOptions): GaussianSource {
  const { dim, values, basis } = options;
  const bulk = options.bulk ?? 0;
  const n = values.length;
  if (basis.length !== n * dim) {
    throw new ValidationError({ field: 'basis', received: `length ${basis.length}`, expected: `n·D = ${n * dim}` });
  }
  if (n < dim && !(bulk >= 0)) {
    throw new ValidationError({ field: 'bulk', received: bulk, expected: 'a bulk eigenvalue ≥ 0' });
  }
  const amplitudes = new Float64Array(n);
  let trace = (dim - n) * bulk;
  for (let t = 0; t < n; t++) {
    const excess = values[t] - bulk;
    if (!(excess >= -1e-12 * Math.max(1, Math.abs(values[t])))) {
      throw new ValidationError({
        field: `values[${t}]`,
        received: values[t],
        expected: `an eigenvalue ≥ the bulk ${bulk}`,
      });
    }
    amplitudes[t] = Math.sqrt(Math.max(0, excess));
    trace += values[t];
  }
  return {
    kind: 'gaussian',
    dim,
    directions: n,
    values,
    basis,
    bulk,
    amplitudes,
    traceOmegaOverD: trace / dim,
    label: options.label ?? `gaussian(D=${dim}, n=${n})`,
  };
}

/**
 * Draws one sample into `out[0..D)`; `z` is scratch of length ≥ n. Allocates nothing. Consumes D normals when β > 0,
 * then n normals.
 */
export function sampleGaussianSource(source: GaussianSource, rng: Rng, out: Float64Array, z: Float64Array): void {
  const { dim: D, directions: n, basis, amplitudes, bulk } = source;
  if (bulk > 0) rng.fillNormal(out, 0, D, Math.sqrt(bulk));
  else out.fill(0, 0, D);
  rng.fillNormal(z, 0, n);
  for (let t = 0; t < n; t++) {
    const c = amplitudes[t] * z[t];
    if (c === 0) continue;
    const off = t * D;
    for (let i = 0; i < D; i++) out[i] += c * basis[off + i];
  }
}

/**
 * The {@link Spectrum} of the source for the theory: the n listed directions (vectors D × n) — the bulk directions
 * are not listed; use `projectOnSource` in the simulator to represent the weights' bulk part exactly.
 */
export function sourceSpectrum(source: GaussianSource): Spectrum {
  const { dim: D, directions: n, basis } = source;
  const vectors = matrix(D, n);
  for (let t = 0; t < n; t++) for (let i = 0; i < D; i++) vectors.data[i * n + t] = basis[t * D + i];
  return { dim: D, values: Float64Array.from(source.values), vectors };
}
