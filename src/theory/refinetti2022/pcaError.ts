/**
 * PCA baseline of Refinetti & Goldt 2022 (docs/theory-refinetti2022.md (E15)): the error of x̂ = P_m x with P_m the
 * projector onto the top m eigenvectors, ε_PCA(m) = (1/2D) Σ_{τ ∉ top m} ρ_τ = ½ (TrΩ − Σ_{top m} ρ_τ)/D, in the ε =
 * ½·MSE convention. (The authors' `truncated_vanilla_SGD.py` reports 2·ε_PCA, (K2); this function does not.)
 */
import { ValidationError } from '../../core/errors.ts';
import type { Spectrum } from '../../core/spectrum.ts';

/** Options of {@link pcaError}. */
export interface PcaErrorOptions {
  /** The spectrum (eigenvalues in any order; the top m are taken by value). */
  spectrum: Pick<Spectrum, 'dim' | 'values'>;
  /** Number of principal components m ≥ 0. */
  components: number;
  /** TrΩ/D over all D directions (default: Σ of the listed eigenvalues / D, unlisted ones taken as 0). */
  traceOmegaOverD?: number;
}

/** ε_PCA(m). */
export function pcaError(options: PcaErrorOptions): number {
  const { spectrum, components: m } = options;
  const n = spectrum.values.length;
  if (!Number.isInteger(m) || m < 0 || m > n) {
    throw new ValidationError({
      field: 'components',
      received: m,
      expected: `an integer m in [0, ${n}] (the number of listed eigenvalues)`,
    });
  }
  const sorted = Float64Array.from(spectrum.values).sort().reverse();
  let total = 0;
  for (let i = 0; i < n; i++) total += sorted[i];
  const trace = options.traceOmegaOverD ?? total / spectrum.dim;
  let top = 0;
  for (let i = 0; i < m; i++) top += sorted[i];
  return 0.5 * (trace - top / spectrum.dim);
}

/** ε_PCA(m) for m = 0..M. */
export function pcaErrors(spectrum: Pick<Spectrum, 'dim' | 'values'>, maxComponents: number): number[] {
  const out: number[] = [];
  for (let m = 0; m <= maxComponents; m++) out.push(pcaError({ spectrum, components: m }));
  return out;
}
