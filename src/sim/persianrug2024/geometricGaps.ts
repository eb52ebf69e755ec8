/**
 * The geometric gaps of the toy model's sampler (`sampleBatch`): the number of zeros before the next nonzero feature is
 * gap(u) = ⌊ln(1 − u)/ln(1 − p)⌋ for a uniform u, which is Geometric(p). At the densities of the trained claims
 * (p = 0.2–0.6) the logarithm was most of the sampler's time (a third of a training step at p = 0.5; node --cpu-prof,
 * 2026-11-30), and the gap is small: so its first values are looked up in a table of thresholds instead.
 *
 * The table gives the formula's own integers, bit for bit, not an approximation of them. Every u the generator returns
 * is N/2⁵³ for an integer N (src/core/rng.ts), and gap(u), evaluated in float64 exactly as written, is non-decreasing
 * in u: 1 − u is exact, the division by the negative ln(1 − p) turns the decreasing logarithm around, and ⌊·⌋ keeps the
 * order. So gap(u) ≥ k exactly when u ≥ T_k, the smallest grid point where the evaluated formula reaches k, which a
 * binary search over N finds. Monotone "as written" rests on Math.log being monotone; a logarithm within one ulp of the
 * truth can only fail that between grid points whose exact logarithms lie within a few ulps of each other, so
 * {@link gapThresholds} checks the formula on the 1024 grid points either side of every threshold and refuses the
 * table (the formula is then used for every draw) if any disagrees. Beyond that window the exact values differ by
 * hundreds of ulps.
 */

/** Thresholds per table: gaps 0..63 are looked up; a draw past the last threshold uses the formula. */
export const GAP_TABLE_SIZE = 64;
/**
 * The table is used from this density up. Side by side in one process (batch 1024, n = 512, best of 55 batches,
 * 2026-11-30): 34 → 20 ns a nonzero at p = 0.5, 35 → 20 at p = 0.4, 33 → 24 at p = 0.2, but 32 → 33 at p = 0.1, where
 * a fifth of the draws pass the eighth threshold and take the branchy path.
 */
export const GAP_TABLE_MIN_P = 0.2;
/** The sampler compares a draw with the first eight thresholds without branches: a shorter table is not used. */
export const MIN_TABLE = 8;
/** Grid points checked on each side of every threshold. */
const CHECK_WINDOW = 1024;
/** The generator's uniforms are multiples of 2⁻⁵³ in [0, 1). */
const GRID = 2 ** 53;

/** gap(u) = ⌊ln(1 − u)/logq⌋ with logq = ln(1 − p): the formula the table reproduces. */
export function gapFormula(u: number, logq: number): number {
  return Math.floor(Math.log(1 - u) / logq);
}

/**
 * T_1..T_size for density p (T_k = the smallest u = N/2⁵³ with gap(u) ≥ k, as entry k − 1; fewer when the grid's
 * largest u does not reach gap size), or null when p is outside (0, 1), fewer than {@link MIN_TABLE} gaps are reachable,
 * or the window check finds the evaluated formula not monotone around a threshold. `formula` is {@link gapFormula}
 * (a test passes a broken one, to see the check refuse it).
 */
export function gapThresholds(p: number, size = GAP_TABLE_SIZE, formula = gapFormula): Float64Array | null {
  if (!(p > 0 && p < 1)) return null;
  const logq = Math.log1p(-p);
  const table = new Float64Array(size);
  let lo = 0;
  for (let k = 1; k <= size; k++) {
    // The smallest N in [lo, 2⁵³) with gap(N/2⁵³) ≥ k; the thresholds increase with k, so the search starts at the last.
    let a = lo;
    let b = GRID;
    while (a < b) {
      const mid = a + Math.floor((b - a) / 2);
      if (formula(mid / GRID, logq) >= k) b = mid;
      else a = mid + 1;
    }
    // Gap k is never reached on the grid (at p = 0.5 the largest gap is 53, at u = 1 − 2⁻⁵³): the table ends here, and
    // the formula, which the sampler uses past the last threshold, never sees such a draw either.
    if (a >= GRID) return k - 1 >= MIN_TABLE ? table.subarray(0, k - 1) : null;
    for (let d = 1; d <= CHECK_WINDOW; d++) {
      if (a - d >= 0 && formula((a - d) / GRID, logq) >= k) return null;
      if (a + d < GRID && formula((a + d) / GRID, logq) < k) return null;
    }
    table[k - 1] = a / GRID;
    lo = a;
  }
  return table;
}

let cached: { p: number; table: Float64Array | null } | undefined;

/** {@link gapThresholds} for p at the default size, kept for the last p asked (a training run asks for one p). */
export function cachedGapThresholds(p: number): Float64Array | null {
  if (cached?.p !== p) cached = { p, table: p >= GAP_TABLE_MIN_P ? gapThresholds(p) : null };
  return cached.table;
}
