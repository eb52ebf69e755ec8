import {
  baselines,
  lossByQuadrature,
  reluSecondMoment,
  unitDiagonalExpectations,
  unitDiagonalLoss,
} from '../../theory/persianrug2024/symmetricLoss.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { closeTo } from '../support/checks.ts';

/** Round-off of the quadrature sums relative to p/3. */
const ROUNDOFF = 1e-12;
/** Relative central-difference step on the output scale A (L is quadratic in A: differences are exact up to round-off). */
const SCALE_STEP = 1e-4;
/** The quadrature's minimum over A may sit this far (relative) from the closed-form A*: they agree to ~1e-9. */
const OPTIMUM_SHIFT_TOLERANCE = 1e-7;

/** What the identities are checked on: the loss L(a, c, σ; p) and the optimal output scale A*(μ_s, σ_s; p). */
interface Deps {
  loss: (a: number, c: number, sigma: number, p: number) => number;
  optimalScale: (mu: number, sigma: number, p: number) => number;
}

const theory: Deps = { loss: lossByQuadrature, optimalScale: (mu, sigma, p) => unitDiagonalLoss(mu, sigma, p).scale };

const domain = {
  p: { kind: 'float', min: 1e-4, max: 1, log: true, doc: 'feature probability p' },
  mu: { kind: 'float', min: -1, max: 1, doc: 'μ_s of the unit-diagonal form' },
  sigma: { kind: 'float', min: 0.01, max: 1, log: true, doc: 'σ_s of the unit-diagonal form' },
} as const;

function measureWith(deps: Deps): MeasureFn<typeof domain, Record<string, never>> {
  return (params) => {
    const { p, mu, sigma } = params;
    const zero = deps.loss(0, 0, 0, p);
    const constant = deps.loss(0, p / 2, 0, p);
    const perfect = deps.loss(1, 0, 0, p);
    const scale = deps.optimalScale(mu, sigma, p);
    // L(A) = loss(A, A·μ, A·σ, p) is the unit-diagonal loss at output scale A.
    const at = (A: number) => deps.loss(A, A * mu, A * sigma, p);
    // A relative step keeps A > 0 (σ·A must stay a standard deviation); L is quadratic in A, so the difference is exact.
    const h = SCALE_STEP * Math.max(scale, Number.MIN_VALUE);
    const l0 = at(scale);
    const lp = at(scale + h);
    const lm = at(scale - h);
    const derivative = (lp - lm) / (2 * h);
    const curvature = (lp - 2 * l0 + lm) / (h * h);
    // The minimum of the quadratic L(A) through the three points: A* − L'(A*)/L''; it is A* when A* minimises L.
    const argmin = scale - derivative / curvature;
    // The baselines of `baselines()` (r plays no part in the zero and constant outputs) against the quadrature.
    const base = baselines(0.5, p);
    const atol = (ROUNDOFF * p) / 3;
    return {
      checks: [
        closeTo('zero-output', zero, base.zero, { atol }),
        closeTo('best-constant', constant, base.constant, { atol }),
        closeTo('perfect-reconstruction', perfect, 0, { atol }),
        closeTo('optimal-scale', argmin, scale, {
          rtol: OPTIMUM_SHIFT_TOLERANCE,
          metric: '|argmin of the quadrature L(A) − A*|',
        }),
      ],
      details: {
        zeroOutput: zero,
        bestConstant: constant,
        perfect,
        optimalScale: scale,
        derivativeAtOptimum: derivative,
      },
    };
  };
}

/**
 * docs/theory-persianrug2024.md §4.2 edge cases (P7) and optimal scale (P8), §8 item 6: zero output gives p/3, the best
 * constant p/3 − p²/4, perfect reconstruction 0, and the optimal output scale A* zeroes ∂L/∂A.
 */
export const lossIdentities = defineClaim({
  id: 'persianrug2024.loss-identities',
  paper: 'persianrug2024',
  title: 'Loss identities: zero output, best constant, perfect reconstruction; A* zeroes ∂L/∂A',
  statement:
    'L(0, 0, 0; p) = p/3 and L(0, p/2, 0; p) = p/3 − p²/4 (the zero and best-constant baselines of `baselines()`, here computed independently by quadrature), L(1, 0, 0; p) = 0, and the optimal output scale A* = p E[G]/(p E[H] + (1 − p)E[ReLU²]) is where the loss, computed independently by quadrature, is minimal in A (its derivative vanishes there).',
  source: {
    paper: 'persianrug2024',
    where: 'docs/theory-persianrug2024.md §4.2 edge cases (P7) and unit-diagonal form (P8), §8 item 6',
    confidence: 'DERIVED',
  },
  kind: 'exact',
  domain,
  defaults: { p: 0.1, mu: -0.23, sigma: 0.18 },
  tolerance: {
    description: `identities within ${ROUNDOFF}·p/3; the minimum of L(A) within ${OPTIMUM_SHIFT_TOLERANCE} (relative) of A*`,
    reason: 'round-off; L is quadratic in A, and the quadrature and closed forms agree to ~1e-9',
  },
  budget: { quick: { runs: 30, sizes: {} }, paper: { runs: 300, sizes: {} } },
  measure: measureWith(theory),
  controls: [
    {
      name: 'off-case-weight-1',
      description:
        'a loss whose off case (x_i = 0) is weighted 1 instead of 1 − p: adds p·ReLU(c)² = p³/4 to the best constant',
      measure: measureWith({
        ...theory,
        loss: (a, c, sigma, p) => lossByQuadrature(a, c, sigma, p) + p * reluSecondMoment(c, sigma),
      }),
      catches: ['best-constant'],
    },
    {
      name: 'scale-without-off-term',
      description: 'A* = p E[G]/(p E[H]), the off case’s (1 − p)E[ReLU(s)²] dropped from the denominator',
      measure: measureWith({
        ...theory,
        optimalScale: (mu, sigma) => {
          const e = unitDiagonalExpectations(mu, sigma);
          return e.eg / e.eh;
        },
      }),
      catches: ['optimal-scale'],
    },
  ],
});
