import { lossByQuadrature, unitDiagonalExpectations } from '../../theory/persianrug2024/symmetricLoss.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { closeTo } from '../support/checks.ts';

/**
 * The closed form equals the quadrature to 1e-9 (docs/theory-persianrug2024.md §4.2 (P9)); both are float64 sums of
 * O(200) terms.
 */
const RELATIVE_TOLERANCE = 1e-9;

/** The unit-diagonal closed form p/3 − 2ap E[G(s)] + a²(p E[H(s)] + (1 − p)E[ReLU(s)²]), s ~ N(c/a, (σ/a)²). */
function closedForm(a: number, c: number, sigma: number, p: number): number {
  const e = unitDiagonalExpectations(c / a, sigma / a);
  return p / 3 - 2 * a * p * e.eg + a * a * (p * e.eh + (1 - p) * e.er2);
}

/** The negative control's closed form: the noise not rescaled to the unit diagonal (s ~ N(c/a, σ²), not (σ/a)²). */
function closedFormSigmaNotRescaled(a: number, c: number, sigma: number, p: number): number {
  const e = unitDiagonalExpectations(c / a, sigma);
  return p / 3 - 2 * a * p * e.eg + a * a * (p * e.eh + (1 - p) * e.er2);
}

const domain = {
  a: { kind: 'float', min: 0.05, max: 3, doc: 'diagonal a > 0' },
  c: { kind: 'float', min: -1, max: 1, doc: 'effective bias c = b + μ' },
  sigma: { kind: 'float', min: 0.001, max: 1, log: true, doc: 'noise standard deviation σ' },
  p: { kind: 'float', min: 1e-4, max: 1, log: true, doc: 'feature probability p' },
} as const;

function measureWith(closed: typeof closedForm): MeasureFn<typeof domain, Record<string, never>> {
  return (params) => {
    const { a, c, sigma, p } = params;
    const expected = closed(a, c, sigma, p);
    const quad = lossByQuadrature(a, c, sigma, p);
    return {
      checks: [
        closeTo('quadrature-vs-closed-form', quad, expected, {
          atol: RELATIVE_TOLERANCE * Math.max(Math.abs(expected), p * p),
          metric: '|quadrature − closed form|',
        }),
      ],
      details: { relativeDifference: Math.abs(quad - expected) / Math.max(Math.abs(expected), p * p) },
    };
  };
}

/**
 * docs/theory-persianrug2024.md §4.2 (P6)–(P9), §8 item 5: the loss from large-scale statistics in closed form
 * (truncated normal moments) equals the quadrature form.
 */
export const closedFormQuadrature = defineClaim({
  id: 'persianrug2024.closed-form-equals-quadrature',
  paper: 'persianrug2024',
  title: 'Loss from large-scale statistics: closed form = quadrature',
  statement:
    'For a > 0, L(a, c, σ; p) = (1 − p)E[ReLU(c + σz)²] + p E[(ReLU(au + c + σz) − u)²] computed by Gauss–Legendre over u equals the unit-diagonal closed form p/3 − 2ap E[G(s)] + a²(p E[H(s)] + (1 − p)E[ReLU(s)²]) with s ~ N(c/a, (σ/a)²) by truncated normal moments.',
  source: {
    paper: 'persianrug2024',
    where: 'docs/theory-persianrug2024.md §4.2 (P6)–(P9) (closed pieces, unit-diagonal form), §8 item 5',
    confidence: 'DERIVED',
  },
  kind: 'exact',
  domain,
  defaults: { a: 1.2, c: -0.25, sigma: 0.12, p: 0.1 },
  tolerance: {
    description: `|quadrature − closed form| ≤ ${RELATIVE_TOLERANCE}·max(L, p²)`,
    reason: 'both are exact up to round-off and the u-quadrature (≈1e-10 with 200 nodes)',
  },
  budget: { quick: { runs: 60, sizes: {} }, paper: { runs: 1000, sizes: {} } },
  measure: measureWith(closedForm),
  controls: [
    {
      name: 'sigma-not-rescaled',
      description:
        'the closed form with s ~ N(c/a, σ²) instead of N(c/a, (σ/a)²): the noise not divided by the diagonal (a = 1.2 at the defaults: a 20% error in σ_s)',
      measure: measureWith(closedFormSigmaNotRescaled),
      catches: ['quadrature-vs-closed-form'],
    },
  ],
});
