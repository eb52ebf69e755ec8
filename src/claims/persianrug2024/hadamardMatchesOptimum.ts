import { createPersianRug } from '../../sim/persianrug2024/hadamard.ts';
import { rugLoss } from '../../sim/persianrug2024/trainRugScalars.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { monteCarloMean, Z_DEFAULT } from '../support/checks.ts';
import { type RugAtOptimum, rugAtOptimum } from './rugAtOptimum.ts';

/**
 * ±3% when p·n ≥ 50 (docs/theory-persianrug2024.md §8 item 12; the Gaussian limit is within 1–2% there, §5.4, heavier
 * tails push the MC up).
 */
const RELATIVE_BAND = 0.03;

/**
 * The regime p ≥ P_MIN: p·n ≥ 102 at the quick n = 1024 (≥ 819 at the paper n = 8192), where the ±3% band holds for
 * every rows S drawn. At p·n ≈ 51 (p = 0.05, the regime's edge until the fifth session) it does not: at r = 1/4, 2 of 20 rug
 * draws lay 3.1–3.4% above L* (1.0340 ± 0.0007 and 1.0309 ± 0.0007 with 200 000 samples), which the check's 4 SE passed
 * at quick scale only by its Monte Carlo allowance; at p·n ≈ 102 all 40 draws lay within 1.5% (docs/regimes.md). The domain
 * reaches down to p = 0.005 (p·n = 5) so that a map can cross it.
 */
const P_MIN = 0.1;

const domain = {
  r: {
    kind: 'float',
    min: 0.05,
    max: 0.9,
    doc: 'r = m/n, snapped to m = round(r·n) rows (the prediction is L*(m/n, p) at the snapped ratio)',
  },
  p: { kind: 'float', min: 0.005, max: 0.4, log: true, doc: 'feature probability p (regime p ≥ 0.1)' },
  seed: { kind: 'seed', doc: 'seed of S and the samples' },
} as const;

function measureWith(setUp: typeof rugAtOptimum): MeasureFn<typeof domain, { n: number; samples: number }> {
  return (params, ctx) => {
    const n = ctx.sizes.n;
    const { p } = params;
    // n·r need not be an integer: m = round(r·n) rows (at least 1), and L* is taken at m/n (rugAtOptimum).
    const m = Math.max(1, Math.round(params.r * n));
    const rng = ctx.rng.fork(params.seed);
    const rug = createPersianRug(n, m, rng);
    const opt: RugAtOptimum = setUp(rug, p);
    const mc = rugLoss(rug, opt.scale, opt.beta, p, ctx.sizes.samples, rng);
    return {
      checks: [
        monteCarloMean('mc-vs-optimum', {
          mean: mc.loss,
          standardError: mc.standardError,
          expected: opt.loss,
          z: Z_DEFAULT,
          bias: RELATIVE_BAND * opt.loss,
        }),
      ],
      details: { n, m, p, pn: p * n, ratio: mc.loss / opt.loss, standardError: mc.standardError },
    };
  };
}

/**
 * docs/theory-persianrug2024.md §5.2–§5.4: the Hadamard model at the analytic optimum (A = A*, β = μ_s* − μ_ν) has
 * Monte Carlo loss within ±3% of L*(r, p) when p·n ≥ 100 (the theory says p·n ≥ 50; see P_MIN); the forward pass runs by
 * FWHT.
 */
export const hadamardMatchesOptimum = defineClaim({
  id: 'persianrug2024.hadamard-matches-optimum',
  paper: 'persianrug2024',
  title: "The Persian rug's loss at the analytic optimum matches L*(r, p) (p·n ≥ 100)",
  statement:
    'With n = 2^k features, m = round(r·n) random Hadamard rows (r ∈ [0.05, 0.9]) and p·n ≥ 100 (the regime p ≥ 0.1 at the quick n = 1024), the per-feature loss of x̂ = ReLU(A(Wx + β)) at the analytic optimum, measured on fresh sparse samples, is within ±3% of L*(m/n, p) (plus Monte Carlo error). The theory states the band from p·n ≥ 50 and the map of the check in docs/regimes.md passes there, but at p·n ≈ 51 the ratio depends on the rows S drawn: at r = 1/4, 2 of 20 draws lay 3.1–3.4% above L* (1.0340 ± 0.0007 and 1.0309 ± 0.0007 with 200 000 samples), passed only by the check’s 4 SE Monte Carlo allowance; at p·n ≈ 102 all 40 lay within 1.5%. Below p·n ≈ 20 the interference is not Gaussian enough and the Hadamard loss lies above L* (docs/theory-persianrug2024.md §5.4: 10–15% above for p·n ≈ 10–20, 1.115 × L* at n = 1024, m = 512, p = 0.01).',
  source: {
    paper: 'persianrug2024',
    where: 'docs/theory-persianrug2024.md §5.2–§5.4, §8 item 12',
    confidence: 'DERIVED',
  },
  kind: 'statistical',
  domain,
  regime: {
    description: `p ≥ ${P_MIN} (p·n ≥ 102 at the quick n = 1024, ≥ 819 at the paper n = 8192)`,
    holds: ({ p }) => p >= P_MIN,
  },
  defaults: { r: 0.5, p: 0.1, seed: 16 },
  tolerance: {
    description: `|MC − L*| ≤ ${RELATIVE_BAND}·L* + ${Z_DEFAULT}·SE`,
    reason:
      'the Gaussian limit is within 1–2% for p·n ≳ 50 (for every rows S drawn only from p·n ≈ 100: 40 of 40 within 1.5%); SE from the samples',
  },
  budget: {
    quick: { runs: 3, sizes: { n: 1024, samples: 8000 } },
    paper: { runs: 6, sizes: { n: 8192, samples: 20_000 } },
  },
  measure: measureWith(rugAtOptimum),
  controls: [
    {
      name: 'no-output-scale',
      description:
        'the rug evaluated at A = 1 instead of A* (the output scale never applied): 5.2 × L* at r = 1/4, p = 0.4 (A* = 0.32)',
      measure: measureWith((rug, p) => ({ ...rugAtOptimum(rug, p), scale: 1 })),
      params: { r: 0.25, p: 0.4 },
      catches: ['mc-vs-optimum'],
    },
  ],
});
