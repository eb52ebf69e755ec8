/**
 * The coordinates of a uniform unit vector: the null model of "delocalised" learnt features (Shevchenko et al. 2023;
 * docs/theory-shevchenko2023.md §8). For u uniform on the unit sphere of R^d, u₁² ~ Beta(1/2, (d − 1)/2), so √d·u₁ has
 * the density c_d (1 − t²/d)^{(d−3)/2} on (−√d, √d) — Gaussian as d → ∞, with lighter tails at finite d. The largest of
 * N such coordinates exceeds b with probability at most N·P(|√d·u₁| > b) whatever their dependence (a union bound), so
 * {@link maxCoordinateBound} gives a bound on a maximum whose false-alarm probability is known.
 *
 * Float64 quadrature, no backend: the claim side compares a measured maximum with it.
 */
import { ValidationError } from '../../core/errors.ts';

/** Simpson intervals of each integral (even); ample: the integrand is smooth and the tail decays like e^{−t²/2}. */
const INTERVALS = 8192;

/** ∫_a^c (1 − t²/d)^{(d−3)/2} dt by composite Simpson (c ≤ √d). */
function integral(d: number, a: number, c: number): number {
  const e = (d - 3) / 2;
  const g = (t: number) => Math.exp(e * Math.log1p(-(t * t) / d));
  const h = (c - a) / INTERVALS;
  let s = g(a) + (c * c >= d ? 0 : g(c));
  for (let i = 1; i < INTERVALS; i++) s += (i % 2 === 1 ? 4 : 2) * g(a + i * h);
  return (s * h) / 3;
}

function checkDimension(d: number): void {
  if (!Number.isInteger(d) || d < 3)
    throw new ValidationError({
      field: 'd',
      received: d,
      expected: 'an integer ≥ 3 (the density of √d·u₁ is bounded from d = 3)',
    });
}

/** P(|√d·u₁| > b) for u uniform on the unit sphere of R^d (d ≥ 3). */
export function sphereCoordinateTail(d: number, b: number): number {
  checkDimension(d);
  const top = Math.sqrt(d);
  if (!(b >= 0)) throw new ValidationError({ field: 'b', received: b, expected: 'a number ≥ 0' });
  if (b >= top) return 0;
  return integral(d, b, top) / integral(d, 0, top);
}

/**
 * The b at which N coordinates of uniform unit vectors in R^d exceed b (in absolute value, after scaling by √d) with
 * probability at most α by the union bound: N·P(|√d·u₁| > b) = α, by bisection to 1e-12.
 */
export function maxCoordinateBound(d: number, entries: number, alpha: number): number {
  checkDimension(d);
  if (!Number.isInteger(entries) || entries < 1)
    throw new ValidationError({ field: 'entries', received: entries, expected: 'a positive integer' });
  if (!(alpha > 0 && alpha < 1))
    throw new ValidationError({ field: 'alpha', received: alpha, expected: 'a probability in (0, 1)' });
  const total = integral(d, 0, Math.sqrt(d));
  let lo = 0;
  let hi = Math.sqrt(d);
  while (hi - lo > 1e-12) {
    const mid = (lo + hi) / 2;
    if ((entries * integral(d, mid, Math.sqrt(d))) / total > alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
