import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.ts';
import type { Domain } from './claim.ts';
import { domainArbitrary, stratifiedDraws } from './domain.ts';

/** An int field on a log scale (a dimension), as `refinetti2022.ode-matches-sgd` declares D. */
const dims = { dim: { kind: 'int', min: 10, max: 1000, log: true, doc: 'D' } } as const satisfies Domain;

describe('an int field with `log`', () => {
  it('draws integers in range, spread evenly in log space (about half of them below the geometric mean)', () => {
    const draws = stratifiedDraws(dims, 400, createRng(3)).map((p) => p.dim);
    for (const d of draws) {
      expect(Number.isInteger(d)).toBe(true);
      expect(d).toBeGreaterThanOrEqual(10);
      expect(d).toBeLessThanOrEqual(1000);
    }
    // Log-uniform: 200 of 400 below √(10·1000) = 100 (a uniform int draw would put 36 there); both ends reached (the
    // top stratum of 400 spans 1000·(1 − e^(−ln(100)/400)) ≈ 11 integers, so the largest draw is within 12 of 1000).
    const below = draws.filter((d) => d < 100).length;
    expect(below).toBeGreaterThan(180);
    expect(below).toBeLessThan(220);
    expect(draws).toContain(10);
    expect(Math.max(...draws)).toBeGreaterThanOrEqual(988);
  });
  it('gives fast-check integers in range', () => {
    fc.assert(
      fc.property(domainArbitrary(dims), (p) => Number.isInteger(p.dim) && p.dim >= 10 && p.dim <= 1000),
      { numRuns: 200, seed: 4 },
    );
  });
});
