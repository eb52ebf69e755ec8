import { describe, expect, test } from 'vitest';
import { bayesMmse, bestJumpRelu, jumpReluLoss } from './activationBounds.ts';

/**
 * Reference values from fixtures/scripts/persianrug2024-activation-reference.py (SciPy's adaptive quadrature and its own normal
 * functions, rtol 1e-13): the MMSE written as E[x²] − ∫ num²/den dy (not the posterior-variance form the code uses), and
 * JumpReLU's loss as nested integrals over u and y (not the closed-form Gaussian tails). They agree with the code to
 * 1.3e-14 relative; the claim's Monte Carlo (about 1.3% SE at quick scale) cannot see a quadrature error below a few
 * percent, so these pin the rule's accuracy. The small σ cases need the cut points near 0 and 1 and at θ.
 */
const BAYES: [p: number, sigma: number, mmse: number][] = [
  [0.05, 0.1, 0.0009081060736289143],
  [0.3, 0.2, 0.015973653133629695],
  [1e-3, 0.05, 5.609451595603096e-6],
  [0.01, 0.01, 1.219753126335387e-6],
];
const JUMP: [p: number, sigma: number, theta: number, loss: number][] = [
  [0.05, 0.1, 0.3, 0.001088893577627042],
  [0.3, 0.2, 0.5, 0.02576621156438837],
  [1e-3, 0.05, 1.2, 0.000333333001337464],
  [0.05, 0.005, 0.3, 0.00045125000000000005],
];
const RTOL = 1e-10;

describe('bayesMmse', () => {
  for (const [p, sigma, expected] of BAYES) {
    test(`matches an independent SciPy quadrature at p = ${p}, σ = ${sigma} (rtol ${RTOL})`, () => {
      expect(Math.abs(bayesMmse(p, sigma) / expected - 1)).toBeLessThan(RTOL);
    });
  }
});

describe('jumpReluLoss', () => {
  for (const [p, sigma, theta, expected] of JUMP) {
    test(`matches an independent SciPy quadrature at p = ${p}, σ = ${sigma}, θ = ${theta} (rtol ${RTOL})`, () => {
      expect(Math.abs(jumpReluLoss(p, sigma, theta) / expected - 1)).toBeLessThan(RTOL);
    });
  }
});

describe('bestJumpRelu', () => {
  // (0.5, 1.407) is r = 0.05, p = 0.5 of activation-gain's domain: there the loss still falls at the interval's end
  // 1 + 6σ = 9.44, where the best θ then lies, so a shorter interval gives a worse θ.
  // (0.9, 0.1): dense features, where the best threshold is 0 (JumpReLU is ReLU) and the search's bracket starts at the
  // interval's left end (the fifth session's mutation run: a bracket computed wrongly there gave NaN).
  for (const [p, sigma] of [
    [0.05, 0.1],
    [0.5, 1.407],
    [0.9, 0.1],
  ]) {
    test(`at p = ${p}, σ = ${sigma}: its loss is the loss at its θ, and no point of a fine grid of [0, 1 + 6σ] does better`, () => {
      const best = bestJumpRelu(p, sigma);
      // The loss is the smaller of the loss at θ and the grid's best (equal to round-off: 3e-16 apart at p = 0.5).
      const atTheta = jumpReluLoss(p, sigma, best.theta);
      expect(best.loss).toBeLessThanOrEqual(atTheta);
      expect(best.loss).toBeGreaterThanOrEqual(atTheta * (1 - 1e-14));
      for (let i = 0; i <= 400; i++) {
        expect(best.loss).toBeLessThanOrEqual(jumpReluLoss(p, sigma, ((1 + 6 * sigma) * i) / 400) * (1 + 1e-14));
      }
      expect(best.theta).toBeGreaterThanOrEqual(0);
      expect(best.theta).toBeLessThanOrEqual(1 + 6 * sigma);
    });
  }
});
