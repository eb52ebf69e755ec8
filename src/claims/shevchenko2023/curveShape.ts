import { optimalRisk, shannonDistortion } from '../../theory/shevchenko2023/signRisk.ts';
import { defineClaim } from '../claim.ts';

/** Central-difference step for slopes and curvature. */
const STEP = 1e-4;
/** Tolerance of the one-sided slopes at r = 1 against −2/π and −(π/2 − 1)/(π/2)²: the forward difference has O(h) error. */
const SLOPE_TOLERANCE = 1e-3;
/** Round-off allowance for the shape inequalities (second differences of an O(1) function at h = 1e-4 lose ~1e-8). */
const ROUNDOFF = 1e-7;

/** R_opt is continuous, decreasing, convex, kinked at r = 1, and strictly above Shannon's 2^(−2r). */
export const curveShape = defineClaim({
  id: 'shevchenko2023.curve-shape',
  paper: 'shevchenko2023',
  title: 'R_opt(r): continuous, decreasing, convex, kinked at r = 1, above Shannon',
  statement:
    'R_opt is continuous with R_opt(1) = 1 − 2/π, strictly decreasing and convex, with slopes −2/π just below r = 1 and −(π/2 − 1)/(π/2)² just above, and R_opt(r) > 2^(−2r) for every r > 0.',
  source: { paper: 'shevchenko2023', where: '§3.3 properties; §3.5; §5 items 13–14', confidence: 'DER' },
  kind: 'exact',
  domain: {
    rate: { kind: 'float', min: 0.01, max: 20, log: true, doc: 'the rate r at which the local shape is checked' },
  },
  defaults: { rate: 1 },
  tolerance: {
    description: `shape inequalities up to ${ROUNDOFF}; kink slopes within ${SLOPE_TOLERANCE}`,
    reason: 'finite differences at h = 1e-4',
  },
  budget: { quick: { runs: 40, sizes: {} }, paper: { runs: 400, sizes: {} } },
  measure(params) {
    const r = params.rate;
    const f = optimalRisk;
    const lo = Math.max(r - STEP, STEP);
    const hi = r + STEP;
    const violations: number[] = [];
    // Strictly decreasing: f(hi) < f(lo).
    violations.push(f(hi) < f(lo) ? 0 : Number.POSITIVE_INFINITY);
    // Convex: the midpoint lies below the chord (up to round-off).
    violations.push(Math.max(0, 2 * f(0.5 * (lo + hi)) - f(lo) - f(hi)) / ROUNDOFF);
    // Strictly above Shannon.
    violations.push(f(r) > shannonDistortion(r) ? 0 : Number.POSITIVE_INFINITY);
    const leftSlope = (f(1) - f(1 - STEP)) / STEP;
    const rightSlope = (f(1 + STEP) - f(1)) / STEP;
    violations.push(Math.abs(leftSlope + 2 / Math.PI) / SLOPE_TOLERANCE);
    violations.push(Math.abs(rightSlope + (Math.PI / 2 - 1) / (Math.PI / 2) ** 2) / SLOPE_TOLERANCE);
    violations.push(Math.abs(f(1) - (1 - 2 / Math.PI)) / ROUNDOFF);
    return {
      predicted: f(r),
      observed: f(r) - shannonDistortion(r),
      error: Math.max(...violations.map((v) => (v > 1 ? v : 0))),
      allowed: 1,
      metric: 'largest normalised violation (0 = all hold)',
      details: {
        rate: r,
        optimalRisk: f(r),
        shannon: shannonDistortion(r),
        gapToShannon: f(r) - shannonDistortion(r),
        leftSlope,
        rightSlope,
      },
    };
  },
});
