/**
 * Sheppard's identity E[sign(u·x) sign(v·x)] = (2/π) arcsin(u·v) (docs/theory-shevchenko2023.md (S3)) at overlaps where it
 * has exact values: 0 for orthogonal, ±1 for (anti)parallel, 1/3 at u·v = 1/2 (arcsin(1/2) = π/6); overlaps a round-off
 * outside [−1, 1] are clipped rather than NaN. `aecheck theory shevchenko2023.sheppard` evaluates the same.
 */
import { describe, expect, test } from 'vitest';
import { sheppardSignCorrelation } from './sheppard.ts';
import { sheppardFunction } from './sheppardFunctions.ts';

describe('sheppardSignCorrelation', () => {
  test.each([
    [0, 0],
    [1, 1],
    [-1, -1],
    [0.5, 1 / 3],
    [-0.5, -1 / 3],
    [1 + 1e-12, 1],
    [-1 - 1e-12, -1],
  ])('overlap %s gives %s', (rho, expected) => {
    expect(sheppardSignCorrelation(rho)).toBeCloseTo(expected, 15);
  });
  test('the theory function: overlap 0.5 gives 1/3, and overlaps outside [−1, 1] are refused', () => {
    expect(sheppardFunction.evaluate(sheppardFunction.params.parse({ overlap: 0.5 }))).toBeCloseTo(1 / 3, 15);
    expect(sheppardFunction.params.safeParse({ overlap: 1.1 }).success).toBe(false);
  });
});
