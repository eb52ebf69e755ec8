import { lossByQuadrature, unitDiagonalLoss } from '../../theory/persianrug2024/symmetricLoss.ts';
import { defineClaim } from '../claim.ts';

/** Round-off of the quadrature sums relative to p/3. */
const ROUNDOFF = 1e-12;
/** Relative central-difference step on the output scale A (L is quadratic in A: differences are exact up to round-off). */
const SCALE_STEP = 1e-4;
/** The quadrature's minimum over A may sit this far (relative) from the closed-form A*: they agree to ~1e-9. */
const OPTIMUM_SHIFT_TOLERANCE = 1e-7;

/**
 * §4.2 edge cases and §4.2 optimal scale: zero output gives p/3, the best constant p/3 − p²/4, perfect reconstruction 0,
 * and the optimal output scale A* zeroes ∂L/∂A.
 */
export const lossIdentities = defineClaim({
  id: 'persianrug2024.loss-identities',
  paper: 'persianrug2024',
  title: 'Loss identities: zero output, best constant, perfect reconstruction; A* zeroes ∂L/∂A',
  statement:
    'L(0, 0, 0; p) = p/3, L(0, p/2, 0; p) = p/3 − p²/4, L(1, 0, 0; p) = 0, and the optimal output scale A* = p E[G]/(p E[H] + (1 − p)E[ReLU²]) is where the loss, computed independently by quadrature, is minimal in A (its derivative vanishes there).',
  source: { paper: 'persianrug2024', where: '§4.2 edge cases and unit-diagonal form', confidence: 'DERIVED' },
  kind: 'exact',
  domain: {
    p: { kind: 'float', min: 1e-4, max: 1, log: true, doc: 'feature probability p' },
    mu: { kind: 'float', min: -1, max: 1, doc: 'μ_s of the unit-diagonal form' },
    sigma: { kind: 'float', min: 0.01, max: 1, log: true, doc: 'σ_s of the unit-diagonal form' },
  },
  defaults: { p: 0.1, mu: -0.23, sigma: 0.18 },
  tolerance: {
    description: `identities within ${ROUNDOFF}·p/3; the minimum of L(A) within ${OPTIMUM_SHIFT_TOLERANCE} (relative) of A*`,
    reason: 'round-off; L is quadratic in A, and the quadrature and closed forms agree to ~1e-9',
  },
  budget: { quick: { runs: 30, sizes: {} }, paper: { runs: 300, sizes: {} } },
  measure(params) {
    const { p, mu, sigma } = params;
    const zero = lossByQuadrature(0, 0, 0, p);
    const constant = lossByQuadrature(0, p / 2, 0, p);
    const perfect = lossByQuadrature(1, 0, 0, p);
    const { scale } = unitDiagonalLoss(mu, sigma, p);
    // L(A) = lossByQuadrature(A, A·μ, A·σ, p) is the unit-diagonal loss at output scale A.
    const at = (A: number) => lossByQuadrature(A, A * mu, A * sigma, p);
    // A relative step keeps A > 0 (σ·A must stay a standard deviation); L is quadratic in A, so the difference is exact.
    const h = SCALE_STEP * Math.max(scale, Number.MIN_VALUE);
    const l0 = at(scale);
    const lp = at(scale + h);
    const lm = at(scale - h);
    const derivative = scale > 0 ? (lp - lm) / (2 * h) : 0;
    const curvature = scale > 0 ? (lp - 2 * l0 + lm) / (h * h) : 1;
    // Where the quadrature's own minimum lies relative to A*: −L'(A*)/(L''·A*), zero when A* minimises it.
    const optimumShift = scale > 0 ? Math.abs(derivative / curvature) / scale : 0;
    const violations = [
      Math.abs(zero - p / 3) / ((ROUNDOFF * p) / 3),
      Math.abs(constant - (p / 3 - (p * p) / 4)) / ((ROUNDOFF * p) / 3),
      Math.abs(perfect) / ((ROUNDOFF * p) / 3),
      optimumShift / OPTIMUM_SHIFT_TOLERANCE,
    ];
    const worst = Math.max(...violations);
    return {
      predicted: p / 3,
      observed: zero,
      error: worst > 1 ? worst : 0,
      allowed: 1,
      metric: 'largest normalised violation (0 = all hold)',
      details: {
        zeroOutput: zero,
        bestConstant: constant,
        perfect,
        optimalScale: scale,
        derivativeAtOptimum: derivative,
      },
    };
  },
});
