import {
  baselines,
  rankBoundNoiseVariance,
  symmetricOptimum,
  unitDiagonalLoss,
} from '../../theory/persianrug2024/symmetricLoss.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { atMost, closeTo } from '../support/checks.ts';

/** The minimisation is accurate to ~1e-15 relative; inequalities are checked with this slack relative to p/3. */
const SLACK = 1e-10;

/** L*(r, p), as `symmetricOptimum(r, p).loss`. */
type Optimum = (r: number, p: number) => number;

/**
 * The negative control's optimiser: the grid over μ_s stops at 4 + 10σ0, without the dense regime's
 * "linear plus a positive bias" optimum μ_s ≈ (1/r − 1)p/2 — the bug found while building `symmetricOptimum`
 * (L*(0.011, 1) came out 0.05% of p/3 above the linear baseline). 4000 grid points, no refinement.
 */
const optimumWithoutDenseRegime: Optimum = (r, p) => {
  const sigma = Math.sqrt(rankBoundNoiseVariance(r, p));
  const lo = -1 - 10 * sigma;
  const hi = 4 + 10 * sigma;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i <= 4000; i++) best = Math.min(best, unitDiagonalLoss(lo + (i * (hi - lo)) / 4000, sigma, p).loss);
  return best;
};

const domain = {
  r: { kind: 'float', min: 0.01, max: 0.99, doc: 'compression ratio r = m/n' },
  dr: { kind: 'float', min: 0.001, max: 0.5, doc: 'the second ratio is min(r + dr, 1)' },
  p: { kind: 'float', min: 1e-5, max: 1, log: true, doc: 'feature probability p' },
} as const;

function measureWith(optimum: Optimum): MeasureFn<typeof domain, Record<string, never>> {
  return (params) => {
    const { r, dr, p } = params;
    const r2 = Math.min(r + dr, 1);
    const l1 = optimum(r, p);
    const l2 = optimum(r2, p);
    const full = optimum(1, p);
    const b = baselines(r, p);
    const slack = (SLACK * p) / 3;
    // linear ≤ constant ≤ zero holds for every r and p by the formulas of baselines() (they are checked against the
    // quadrature in loss-identities); what can fail is where L* sits.
    return {
      checks: [
        atMost('optimum-below-linear', l1, b.linear, slack),
        atMost('decreasing-in-r', l2, l1, slack),
        closeTo('zero-at-full-rank', full, 0, { atol: slack, metric: '|L*(1, p)|' }),
      ],
      details: {
        optimum: l1,
        optimumAtLargerR: l2,
        largerR: r2,
        linear: b.linear,
        constant: b.constant,
        zero: b.zero,
        ratioLinearToOptimum: b.linear / l1,
      },
    };
  };
}

/** docs/theory-persianrug2024.md §4.4 (P13), §8 item 8: L* ≤ linear, L*(1, p) = 0, and L* decreasing in r. */
export const optimumOrdering = defineClaim({
  id: 'persianrug2024.optimum-ordering',
  paper: 'persianrug2024',
  title: 'L*(r, p) lies below the optimal linear model, decreases in r and vanishes at r = 1',
  statement:
    'The symmetric optimum L*(r, p) ≤ (1 − r)(p/3 − p²/4) (the optimal linear model with bias; in the dense, small-r regime L* equals it, so the inequality is tight there), L*(1, p) = 0, and L*(r₁, p) ≥ L*(r₂, p) for r₁ < r₂. (The chain linear ≤ best constant p/3 − p²/4 ≤ zero output p/3 holds by the formulas for every r and p, so it is not a check; the constant and zero baselines are checked against the quadrature in loss-identities.)',
  source: {
    paper: 'persianrug2024',
    where:
      "docs/theory-persianrug2024.md §4.4 (P13), §7 (P18), §9 item 4 (the authors' own linear baseline is wrong; this is the exact one)",
    confidence: 'DERIVED',
  },
  kind: 'exact',
  domain,
  defaults: { r: 0.5, dr: 0.1, p: 0.1 },
  tolerance: { description: `every inequality with slack ${SLACK}·p/3`, reason: 'round-off of the minimisation' },
  budget: { quick: { runs: 40, sizes: {} }, paper: { runs: 400, sizes: {} } },
  measure: measureWith((r, p) => symmetricOptimum(r, p).loss),
  controls: [
    {
      name: 'grid-without-dense-regime',
      description:
        'an optimiser whose μ_s grid ends at 4 + 10σ0 (misses the linear-plus-positive-bias optimum): at r = 0.011, p = 1 it lies 5e-4·p/3 above the linear model',
      measure: measureWith(optimumWithoutDenseRegime),
      params: { r: 0.011, p: 1 },
      catches: ['optimum-below-linear'],
    },
  ],
});
