import { fillSparseUniform, type Rng } from '../core/rng.ts';

/**
 * Sparse permutation-symmetric data of the toy model (Cowsik et al. 2024; docs/theory-persianrug2024.md §3 (P3)): each
 * of the n features is nonzero with probability p, and then uniform on [0, 1). Fills `out` (length n) in place.
 */
export function sampleSparseUniform(out: Float64Array, p: number, rng: Rng): void {
  // Each feature: rng.uniform() < p ? rng.uniform() : 0, in order (fillSparseUniform keeps the generator in registers).
  fillSparseUniform(rng, out, p);
}
