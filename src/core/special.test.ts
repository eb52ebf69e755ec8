import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { erf, erfc, normalCdf, normalPdf, normalQuantile } from './special.ts';
import { EPS64 } from './tolerance.ts';

interface Reference {
  erf: [number, number][];
  erfc: [number, number][];
  normalCdf: [number, number][];
  normalQuantile: [number, number][];
}
const reference = JSON.parse(
  readFileSync(new URL('../../fixtures/reference/special.json', import.meta.url), 'utf8'),
) as Reference;

/** Relative error allowed against mpmath: a few ulp for erf (series and continued fraction sum ~50 rounded terms);
 * the quantile's Halley step inherits erfc's accuracy, divided by the density (large in the far tail). */
const ERF_ULPS = 8;
const QUANTILE_ULPS = 64;

describe('special functions against mpmath reference values (fixtures/reference/special.json)', () => {
  test.each(reference.erf)(`erf(%d) within ${ERF_ULPS} ulp`, (x, want) => {
    expect(Math.abs(erf(x) - want)).toBeLessThanOrEqual(ERF_ULPS * EPS64 * Math.max(Math.abs(want), 1e-300));
  });
  test.each(reference.erfc)(`erfc(%d) within ${ERF_ULPS} ulp (relative, also in the tail)`, (x, want) => {
    expect(Math.abs(erfc(x) - want)).toBeLessThanOrEqual(ERF_ULPS * EPS64 * Math.abs(want));
  });
  // Φ(x) has relative condition number |x φ(x)/Φ(x)| ≈ x² in the left tail: rounding x/√2 alone costs x² ulp there.
  test.each(reference.normalCdf)(`normalCdf(%d) within ${ERF_ULPS}·(1 + x²) ulp`, (x, want) => {
    expect(Math.abs(normalCdf(x) - want)).toBeLessThanOrEqual(ERF_ULPS * EPS64 * Math.abs(want) * (1 + x * x));
  });
  // A float p near 1 carries an absolute error of ε64 in 1 − p, which moves the quantile by ε64/φ(x): that conditioning
  // is inherent, so the bound is ulps of |x| plus ulps of 1/φ(x).
  test.each(reference.normalQuantile)(`normalQuantile(%d) within ${QUANTILE_ULPS} ulp of |x| + 1/φ(x)`, (p, want) => {
    const conditioning =
      Math.max(Math.abs(want), 1) + Math.min(p, 1 - p) / normalPdf(want) + (p > 0.5 ? 1 / normalPdf(want) : 0);
    expect(Math.abs(normalQuantile(p) - want)).toBeLessThanOrEqual(QUANTILE_ULPS * EPS64 * conditioning);
  });
  test('normalPdf integrates the density exactly at 0 and is symmetric', () => {
    expect(normalPdf(0)).toBe(1 / Math.sqrt(2 * Math.PI));
    expect(normalPdf(1.3)).toBe(normalPdf(-1.3));
  });
  test('erfc decreases across the edges of its Taylor range [1, 6) and the midpoints between its grid points', () => {
    // Each point of the range uses the grid point nearest to it; a wrong grid value or slope shows as a jump where
    // the choice of grid point changes (the midpoints), and a wrong range shows at 1 and 6.
    const edges = [1, 6, ...Array.from({ length: 80 }, (_, k) => 1 + (k + 0.5) / 16)];
    for (const x of edges) {
      // hi − lo is exact; it differs from 2e-12 by the rounding of x ± 1e-12 (a relative 4e-4 at x = 4.6).
      const lo = x - 1e-12;
      const hi = x + 1e-12;
      const below = erfc(lo);
      const above = erfc(hi);
      expect(below).toBeGreaterThan(above);
      // The drop is (2/√π) e^{−x²}·(hi − lo); allow a few ulps of erfc(x) besides (of 1 at x = 1, whose left side is
      // 1 − erf(x)).
      const drop = (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * (hi - lo);
      const ulpsOf = x === 1 ? 1 : erfc(x);
      expect(Math.abs(below - above - drop)).toBeLessThanOrEqual(ERF_ULPS * EPS64 * ulpsOf);
    }
  });
  test('erf is odd and NaN-preserving', () => {
    expect(erf(-0.7)).toBe(-erf(0.7));
    expect(Number.isNaN(erf(Number.NaN))).toBe(true);
  });
});
