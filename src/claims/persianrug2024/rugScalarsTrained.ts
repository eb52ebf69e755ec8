import { createPersianRug } from '../../sim/persianrug2024/hadamard.ts';
import { trainRugScalars } from '../../sim/persianrug2024/trainRugScalars.ts';
import { symmetricOptimum } from '../../theory/persianrug2024/symmetricLoss.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { monteCarloMean, Z_DEFAULT } from '../support/checks.ts';

/** ±5% of L* when p·n ≥ 50 (docs/theory-persianrug2024.md §8 item 14). */
const RELATIVE_BAND = 0.05;

/**
 * The regime p ≥ P_MIN: p·n ≥ 51 at the quick n = 256 (≥ 205 at the paper n = 1024). The domain reaches down to
 * p = 0.02 (p·n = 5) so that a map can cross it (docs/regimes.md).
 */
const P_MIN = 0.2;
/**
 * And r ≥ R_MIN. The map over (r, p) in docs/regimes.md ("Persian Rug maps") found the claim failing inside p ≥ 0.2 at
 * r = 0.05 (m = 13 rows at n = 256): 5 of 6 runs (p = 0.2, 0.4; seeds 1–3) end with A ≈ 0.15, 2.6–3.0× a*, held-out
 * loss 1.06–1.15 × L*; at r = 0.075 (m = 19) 1 of 6 fails the same way. At r = 0.1 all 6 pass but A ends 37% above
 * a* (loss 1.3% above L*); at r = 0.125 and 0.15 all 12 pass with A within 15% and 5% of a*. 0.15 is twice the
 * largest r seen failing. (Runs replayed with `verify --params … --outside-regime --backend reference`.)
 */
const R_MIN = 0.15;

const domain = {
  r: {
    kind: 'float',
    min: 0.05,
    max: 0.9,
    doc: 'r = m/n, snapped to m = round(r·n) rows (the prediction is L*(m/n, p) at the snapped ratio)',
  },
  p: { kind: 'float', min: 0.02, max: 0.4, log: true, doc: 'feature probability p (regime p ≥ 0.2)' },
  seed: { kind: 'seed', doc: 'seed of S, the data and the held-out samples' },
} as const;

function measureWith(
  train: typeof trainRugScalars,
): MeasureFn<typeof domain, { n: number; steps: number; evalSamples: number }> {
  return (params, ctx) => {
    const { n, steps, evalSamples } = ctx.sizes;
    // n·r need not be an integer: m = round(r·n) rows (at least 1), and L* is taken at m/n.
    const m = Math.max(1, Math.round(params.r * n));
    const rng = ctx.rng.fork(params.seed);
    const rug = createPersianRug(n, m, rng);
    const trained = train({ rug, p: params.p, steps, evalSamples, rng, progress: ctx.progress });
    const opt = symmetricOptimum(m / n, params.p);
    return {
      checks: [
        monteCarloMean('held-out-vs-optimum', {
          mean: trained.heldOutLoss,
          standardError: trained.standardError,
          expected: opt.loss,
          z: Z_DEFAULT,
          bias: RELATIVE_BAND * opt.loss,
        }),
      ],
      details: {
        n,
        m,
        p: params.p,
        pn: params.p * n,
        ratio: trained.heldOutLoss / opt.loss,
        a: trained.a,
        aStar: opt.scale,
        beta: trained.beta,
        standardError: trained.standardError,
      },
    };
  };
}

/**
 * docs/theory-persianrug2024.md §5.3, §8 item 14: training only the rug's two scalars (A from 1, β from 0; Adam, lr
 * 0.3/√n, batch 512) reaches L*(r, p): the Hadamard W is the symmetric model, and two numbers are all the optimum
 * needs.
 */
export const rugScalarsTrained = defineClaim({
  id: 'persianrug2024.rug-scalars-trained',
  paper: 'persianrug2024',
  title: "Training the Persian rug's two scalars (A, β) reaches L*(r, p) within ±5% when p·n ≥ 50",
  statement:
    'With the Hadamard W fixed (n = 2^k, m = round(r·n) random rows, r ∈ [0.15, 0.9]) and only A (init 1) and β (init 0) of x̂ = ReLU(A(Wx + β)) trained by Adam (lr 0.3/√n, eps 1e-7, batch 512, fresh data every step), the held-out per-feature loss is within ±5% of L*(m/n, p) when p·n ≥ 50 (the regime p ≥ 0.2 at the quick n = 256) and r ≥ 0.15 (regime found by the map over (r, p) in docs/regimes.md: at r = 0.05, m = 13, training stops with A ≈ 3 a* and the loss 6–15% above L*), and A approaches a* = the optimum’s output scale (A is reported, not asserted: measured within 0.5% of a* at n = 256).',
  source: { paper: 'persianrug2024', where: 'docs/theory-persianrug2024.md §5.3, §8 item 14', confidence: 'DERIVED' },
  kind: 'statistical',
  domain,
  regime: {
    description: `p ≥ ${P_MIN} (p·n ≥ 51 at the quick n = 256) and r ≥ ${R_MIN} (below, A does not reach a* in the step budget: the map in docs/regimes.md)`,
    holds: ({ r, p }) => p >= P_MIN && r >= R_MIN,
  },
  defaults: { r: 0.5, p: 0.3, seed: 4 },
  tolerance: {
    description: `|held-out − L*| ≤ ${RELATIVE_BAND}·L* + ${Z_DEFAULT}·SE`,
    reason:
      'docs/theory-persianrug2024.md §8 item 14 (§5.4: the Hadamard loss at the analytic optimum is within 1–2% of L* for p·n ≳ 50; training two scalars adds little); measured here 0.996–1.028 × L* at n = 256–512',
  },
  budget: {
    quick: { runs: 2, cpuSeconds: 3.5, sizes: { n: 256, steps: 600, evalSamples: 8192 } },
    paper: { runs: 4, cpuSeconds: 45, sizes: { n: 1024, steps: 2000, evalSamples: 20_000 } },
  },
  measure: measureWith(trainRugScalars),
  controls: [
    {
      name: 'no-op-optimiser',
      description:
        'a trainer that takes no Adam step (A = 1, β = 0 as initialised): 1.7–9 × L* at r = 1/4, p = 0.4, depending on whether row 0 is in S',
      measure: measureWith((options) => trainRugScalars({ ...options, steps: 0 })),
      params: { r: 0.25, p: 0.4 },
      catches: ['held-out-vs-optimum'],
    },
  ],
});
