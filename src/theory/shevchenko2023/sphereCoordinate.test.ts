import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { maxCoordinateBound, sphereCoordinateTail } from './sphereCoordinate.ts';

// Reference values: fixtures/scripts/shevchenko2023-sphere-coordinate-reference.py (mpmath's regularized incomplete
// beta, 30 digits; its output beside it). Tolerances: 1e-9 relative for the tails (Simpson's error on 8192 intervals
// is far below; the 1e-9 covers log1p/exp round-off summed over the grid), 1e-9 absolute for the bounds (bisection
// to 1e-12, and a tail error of 1e-9 relative moves the root by ~1e-9/b).
describe('coordinates of a uniform unit vector', () => {
  for (const [d, b, want] of [
    [40, 4.0, 9.158898673391094e-6],
    [40, 4.686658158805843, 3.01770858991073e-8],
    [200, 5.208456904782705, 7.482728174333797e-8],
    [200, 5.395493661361633, 2.2964421280077553e-8],
    [3, 1.0, 0.4226497308103742],
  ] as const) {
    test(`P(|√d·u₁| > ${b}) at d = ${d}`, () => {
      expect(Math.abs(sphereCoordinateTail(d, b) / want - 1)).toBeLessThan(1e-9);
    });
  }
  for (const [d, n, alpha, want] of [
    [40, 800, 1e-4, 4.542000390571019],
    [40, 3200, 1e-4, 4.683272213678681],
    [200, 80000, 1e-4, 5.823903630362533],
    [200, 20000, 1e-4, 5.62523339423721],
    [200, 80000, 1e-3, 5.488649392839332],
  ] as const) {
    test(`the bound with N·P = ${alpha} at d = ${d}, N = ${n}`, () => {
      expect(Math.abs(maxCoordinateBound(d, n, alpha) - want)).toBeLessThan(1e-9);
    });
  }
  test('d = 3: √3·u₁ is uniform on (−√3, √3), so the tail is 1 − b/√3 exactly', () => {
    for (const b of [0, 0.3, 1.2, 1.7]) expect(sphereCoordinateTail(3, b)).toBeCloseTo(1 - b / Math.sqrt(3), 12);
    expect(sphereCoordinateTail(3, 2)).toBe(0);
  });
  test('bad input names the field', () => {
    expect(() => sphereCoordinateTail(2, 1)).toThrow(ValidationError);
    expect(() => maxCoordinateBound(40, 0, 1e-4)).toThrow(/entries/);
    expect(() => maxCoordinateBound(40, 10, 0)).toThrow(/alpha/);
  });
});
