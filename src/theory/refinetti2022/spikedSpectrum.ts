/**
 * A spiked spectrum for the ODEs (paper eq. (3); docs/theory-refinetti2022.md (E4)): M spikes ρ_m = κ_m D (κ_m = O(1))
 * on top of a flat bulk of D − M eigenvalues ρ_bulk = O(1). Eigenvalues only (the ODEs need no eigenvectors),
 * descending.
 */
import { ValidationError } from '../../core/errors.ts';
import type { Spectrum } from '../../core/spectrum.ts';

/** Options of {@link spikedSpectrum}. */
export interface SpikedSpectrumOptions {
  /** Input dimension D. */
  dim: number;
  /** Rescaled spikes κ_m = ρ_m / D, descending, each > 0. */
  spikes: readonly number[];
  /** Bulk eigenvalue ρ_bulk ≥ 0 (the same for the D − M other directions; default 1). */
  bulk?: number;
}

/** Eigenvalues (κ_1 D, …, κ_M D, ρ_bulk, …, ρ_bulk), length D. */
export function spikedSpectrum(options: SpikedSpectrumOptions): Spectrum {
  const { dim, spikes } = options;
  const bulk = options.bulk ?? 1;
  if (!Number.isInteger(dim) || dim < spikes.length || dim < 1) {
    throw new ValidationError({
      field: 'dim',
      received: dim,
      expected: `an integer D ≥ number of spikes (${spikes.length})`,
    });
  }
  if (!(bulk >= 0) || !Number.isFinite(bulk)) {
    throw new ValidationError({ field: 'bulk', received: bulk, expected: 'a finite bulk eigenvalue ≥ 0' });
  }
  const values = new Float64Array(dim).fill(bulk);
  for (let m = 0; m < spikes.length; m++) {
    if (!(spikes[m] > 0) || !Number.isFinite(spikes[m]) || (m > 0 && spikes[m] > spikes[m - 1])) {
      throw new ValidationError({
        field: `spikes[${m}]`,
        received: spikes[m],
        expected: 'a positive κ, not larger than the previous spike (descending order)',
      });
    }
    values[m] = spikes[m] * dim;
  }
  return { dim, values };
}
