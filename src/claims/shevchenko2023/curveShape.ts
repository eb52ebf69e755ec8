import { EPS64 } from '../../core/tolerance.ts';
import { KAPPA, optimalRisk, shannonDistortion } from '../../theory/shevchenko2023/signRisk.ts';
import { defineClaim, type MeasureContext, type Measurement } from '../claim.ts';
import { atLeast, atMost, closeTo, withinUlps } from '../support/checks.ts';

/** Relative step of the chord tests (decrease, convexity): wide enough that curvature shows above round-off. */
const CHORD_STEP = 0.05;
/**
 * Error of one evaluation of R_opt in ulps of 1: R_opt = 1 − r/(π/2 + max(r − 1, 0)) subtracts from 1, so its
 * round-off is relative to 1, not to the (small, at large r) result; a division and two additions, with room.
 */
const EVAL_ULPS = 4;
/** R_opt(1) = 1 − 2/π to this many ulps. */
const VALUE_ULPS = 4;

/** The curve a claim checks: R_opt(r) from theory/, or a broken stand-in. */
type CurveFn = (rate: number) => number;

/** Slope of the branch that holds on the side of 1 where r lies: −2/π (r ≤ 1), −κ/(r + κ)² (r > 1). */
function branchSlope(rate: number): number {
  return rate <= 1 ? -2 / Math.PI : -KAPPA / (rate + KAPPA) ** 2;
}

/**
 * The one-sided three-point derivative at r, taken on the side of r's branch (backward for r ≤ 1, forward for r > 1,
 * so the stencil never straddles the kink), with what it should give and how far it may be from that.
 *
 * On the linear branch it is exact up to round-off. On the branch κ/(r + κ) the formula's error is exactly
 * −(h²/3)·f‴(ξ) for some ξ in [r, r + 2h] (its Peano kernel is one-signed), so the expected value carries the leading
 * term, f′(r) − (h²/3)·f‴(r), and the rest is bounded by (h²/3)·2h·max|f⁗| = 16κh³/(r + κ)⁵ (f⁗ = 24κ/(r + κ)⁵ is
 * largest at the left end). Round-off: 4·δf/h with δf = EVAL_ULPS·ε64·max(1, |f|) per evaluation.
 */
function oneSidedSlope(f: CurveFn, rate: number, h: number, side: 'left' | 'right') {
  const s = side === 'left' ? -1 : 1;
  const f0 = f(rate);
  const f1 = f(rate + s * h);
  const f2 = f(rate + 2 * s * h);
  const slope = (s * (-3 * f0 + 4 * f1 - f2)) / (2 * h);
  const roundOff = (4 * EVAL_ULPS * EPS64 * Math.max(1, Math.abs(f0), Math.abs(f1), Math.abs(f2))) / h;
  if (side === 'left') return { slope, expected: -2 / Math.PI, allowed: roundOff };
  const c = rate + KAPPA;
  const thirdDerivative = (-6 * KAPPA) / c ** 4;
  return {
    slope,
    expected: -KAPPA / c ** 2 - ((h * h) / 3) * thirdDerivative,
    allowed: (16 * KAPPA * h ** 3) / c ** 5 + roundOff,
  };
}

function measureWith(deps: { curve: CurveFn }) {
  return (params: { rate: number; step: number }, _ctx: MeasureContext<unknown>): Measurement => {
    const f = deps.curve;
    const r = params.rate;
    // Chord tests at r(1 ± CHORD_STEP): a convex curve has f(lo) + f(hi) − 2f(r) ≥ 0 (= 0 on the linear branch).
    const lo = r * (1 - CHORD_STEP);
    const hi = r * (1 + CHORD_STEP);
    const fr = f(r);
    const flo = f(lo);
    const fhi = f(hi);
    const chordRoundOff = 4 * EVAL_ULPS * EPS64 * Math.max(1, Math.abs(flo), Math.abs(fr), Math.abs(fhi));
    const atR = oneSidedSlope(f, r, params.step * r, r <= 1 ? 'left' : 'right');
    const left = oneSidedSlope(f, 1, params.step, 'left');
    const right = oneSidedSlope(f, 1, params.step, 'right');
    return {
      checks: [
        atMost('decreasing', fhi - flo, 0, chordRoundOff),
        atLeast('convexity', flo + fhi - 2 * fr, 0, chordRoundOff),
        atLeast('above-shannon', fr, shannonDistortion(r), EVAL_ULPS * EPS64 * Math.max(1, Math.abs(fr))),
        closeTo('slope', atR.slope, atR.expected, { atol: atR.allowed, metric: '|one-sided slope − branch slope|' }),
        closeTo('kink-left', left.slope, left.expected, { atol: left.allowed, metric: '|left slope at 1 + 2/π|' }),
        closeTo('kink-right', right.slope, right.expected, {
          atol: right.allowed,
          metric: '|right slope at 1 − (−κ/(π/2)² − (h²/3)·f‴(1))|',
        }),
        withinUlps('value-at-1', f(1), 1 - 2 / Math.PI, VALUE_ULPS),
      ],
      details: {
        rate: r,
        step: params.step,
        optimalRisk: fr,
        shannon: shannonDistortion(r),
        gapToShannon: fr - shannonDistortion(r),
        secondDifference: flo + fhi - 2 * fr,
        slopeAtRate: atR.slope,
        leftSlope: left.slope,
        rightSlope: right.slope,
      },
    };
  };
}

/** Where the concave control touches R_opt. */
const CONCAVE_TOUCH = 2;

/**
 * R_opt reflected in its tangent at r₀ = 2: g(x) = 2(f(r₀) + f'(r₀)(x − r₀)) − f(x). It has the value, slope and
 * |curvature| of R_opt at r₀, but is concave there.
 */
const concaveCurve: CurveFn = (x) =>
  2 * (optimalRisk(CONCAVE_TOUCH) + branchSlope(CONCAVE_TOUCH) * (x - CONCAVE_TOUCH)) - optimalRisk(x);

/** (LB) with the max(r − 1, 0) dropped: the linear branch 1 − 2r/π at every r (no kink). */
const noKinkCurve: CurveFn = (x) => 1 - x / (Math.PI / 2);

/** R_opt is continuous, decreasing, convex, kinked at r = 1, and strictly above Shannon's 2^(−2r). */
export const curveShape = defineClaim({
  id: 'shevchenko2023.curve-shape',
  paper: 'shevchenko2023',
  title: 'R_opt(r): continuous, decreasing, convex, kinked at r = 1, above Shannon',
  statement:
    'R_opt is continuous with R_opt(1) = 1 − 2/π, decreasing and convex, with slope −2/π for r ≤ 1 and −(π/2 − 1)/(r + π/2 − 1)² for r > 1 (so −(π/2 − 1)/(π/2)² just above the kink), and R_opt(r) > 2^(−2r) for every r > 0. The slopes are measured by one-sided differences at the drawn step, never across the kink.',
  source: {
    paper: 'shevchenko2023',
    where: 'docs/theory-shevchenko2023.md (LB) and its properties; (S10), above Shannon',
    confidence: 'DER',
  },
  kind: 'exact',
  domain: {
    rate: { kind: 'float', min: 0.01, max: 20, log: true, doc: 'the rate r at which the local shape is checked' },
    step: {
      kind: 'float',
      min: 1e-6,
      max: 1e-2,
      log: true,
      doc: 'finite-difference step (relative to r at r; absolute at the kink)',
    },
  },
  defaults: { rate: 1, step: 1e-4 },
  tolerance: {
    description: `chord tests at r(1 ± ${CHORD_STEP}) up to ${4 * EVAL_ULPS} ulps of 1; one-sided slopes (leading h² term included) within 16κh³/(r + κ)⁵ + 4·${EVAL_ULPS}·ε64·max(1, |f|)/h; R_opt(1) within ${VALUE_ULPS} ulps`,
    reason:
      'the remainder bound of the one-sided three-point difference after its leading term (0 on the linear branch) plus the round-off of three evaluations',
  },
  budget: { quick: { runs: 40, sizes: {} }, paper: { runs: 400, sizes: {} } },
  measure: measureWith({ curve: optimalRisk }),
  controls: [
    {
      name: 'concave-curve',
      description: 'R_opt reflected in its tangent at r = 2 (same value, slope and |curvature| there, but concave)',
      measure: measureWith({ curve: concaveCurve }),
      params: { rate: CONCAVE_TOUCH },
      catches: ['convexity'],
    },
    {
      name: 'no-kink',
      description: 'the linear branch 1 − 2r/π at every r (the max(r − 1, 0) dropped), r = 2',
      measure: measureWith({ curve: noKinkCurve }),
      params: { rate: 2 },
      catches: ['slope', 'kink-right'],
    },
  ],
});
