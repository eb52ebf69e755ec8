/**
 * The mean-field estimate (docs/theory-persianrug2024.md §4.2 (P10)) on a 3×3 model whose row statistics are worked out
 * by hand: a_i = W_ii, c_i = b_i + (p/2) Σ_{j≠i} W_ij, σ_i² = (p/3 − p²/4) Σ_{j≠i} W_ij², and the estimate is the mean of
 * the per-feature loss L(a_i, c_i, σ_i; p) (checked against SciPy in symmetricLoss.test.ts).
 */
import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { meanFieldLoss } from './meanField.ts';
import { lossByQuadrature } from './symmetricLoss.ts';

const P = 0.2;
const VARIANCE = P / 3 - (P * P) / 4;
// Row-major W; off-diagonal row sums 0.5 − 0.25 = 0.25, 0.3 + 0 = 0.3, −0.2 + 0.6 = 0.4.
const W = Float64Array.from([0.9, 0.5, -0.25, 0.3, 1.1, 0, -0.2, 0.6, 0.7]);
const BIAS = Float64Array.from([-0.1, 0.05, -0.3]);

describe('meanFieldLoss', () => {
  test('row statistics by hand, and the estimate is the mean per-feature loss', () => {
    const est = meanFieldLoss(3, W, BIAS, P);
    expect(Array.from(est.a)).toEqual([0.9, 1.1, 0.7]);
    const c = [-0.1 + 0.1 * 0.25, 0.05 + 0.1 * 0.3, -0.3 + 0.1 * 0.4];
    const sumSq = [0.25 + 0.0625, 0.09, 0.04 + 0.36];
    for (let i = 0; i < 3; i++) {
      expect(est.c[i]).toBeCloseTo(c[i], 15);
      expect(est.sigma[i]).toBeCloseTo(Math.sqrt(VARIANCE * sumSq[i]), 15);
    }
    const mean =
      (lossByQuadrature(0.9, c[0], est.sigma[0], P) +
        lossByQuadrature(1.1, c[1], est.sigma[1], P) +
        lossByQuadrature(0.7, c[2], est.sigma[2], P)) /
      3;
    expect(est.loss).toBeCloseTo(mean, 15);
  });
  test('n = 1: no interference, σ = 0 and c = b', () => {
    const est = meanFieldLoss(1, Float64Array.from([1]), Float64Array.from([0]), 0.5);
    expect([est.a[0], est.c[0], est.sigma[0]]).toEqual([1, 0, 0]);
    expect(est.loss).toBeCloseTo(0, 15);
  });
  test.each([
    [
      'n',
      () => meanFieldLoss(0, new Float64Array(0), new Float64Array(0), P),
      /n: received 0, expected an integer ≥ 1/,
    ],
    ['n', () => meanFieldLoss(1.5, W, BIAS, P), /n: received 1.5/],
    ['w', () => meanFieldLoss(3, W.subarray(0, 8), BIAS, P), /w: received "length 8", expected n² = 9/],
    ['bias', () => meanFieldLoss(3, W, BIAS.subarray(0, 2), P), /bias: received "length 2", expected n = 3/],
    ['p', () => meanFieldLoss(3, W, BIAS, 0), /p: received 0, expected a probability in \(0, 1\]/],
    ['p', () => meanFieldLoss(3, W, BIAS, 1.2), /p: received 1.2, expected a probability in \(0, 1\]/],
  ])('a bad %s is refused, naming it', (_field, f, message) => {
    expect(f).toThrow(ValidationError);
    expect(f).toThrow(message);
  });
  test('p = 1 is a valid probability', () => {
    expect(Number.isFinite(meanFieldLoss(3, W, BIAS, 1).loss)).toBe(true);
  });
});
