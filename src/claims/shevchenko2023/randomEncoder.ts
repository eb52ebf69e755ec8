import { gaussianMatrix } from '../../sim/shevchenko2023/constructions.ts';
import { marchenkoPasturExpectation, randomEncoderRisk } from '../../theory/shevchenko2023/marchenkoPastur.ts';
import { optimalRisk, reducedRisk } from '../../theory/shevchenko2023/signRisk.ts';
import { defineClaim, type MeasureContext, type Measurement } from '../claim.ts';
import { atLeast, closeTo } from '../support/checks.ts';

/**
 * Agreement with the Marchenko–Pastur value: ±0.01 at d ≥ 100 (seed spread a few 1e-3,
 * docs/theory-shevchenko2023.md §8); at the quick d = 60 the finite-size term is larger, about 0.6/d from the measured
 * drift, so quick allows 0.01 + 0.6/d.
 */
const MP_TOLERANCE = 0.01;
const FINITE_SIZE_CONSTANT = 0.6;
/** R* − R_opt is checked as an inequality up to round-off (float64 sums of n² terms of (R2)). */
const ROUND_OFF = 1e-12;

/** The large-d prediction a claim checks: `randomEncoderRisk`, or a broken stand-in. */
type PredictionFn = (rate: number) => number;

function measureWith(deps: { prediction: PredictionFn }) {
  return (params: { rate: number; seed: number }, ctx: MeasureContext<{ dim: number }>): Measurement => {
    const d = ctx.sizes.dim;
    const n = Math.max(1, Math.round(params.rate * d));
    const r = n / d;
    const observed = reducedRisk(gaussianMatrix(n, d, ctx.rng.fork(params.seed)));
    const predicted = deps.prediction(r);
    const bound = optimalRisk(r);
    return {
      checks: [
        atLeast('above-limit', observed, bound, ROUND_OFF),
        closeTo('marchenko-pastur', observed, predicted, {
          atol: MP_TOLERANCE + FINITE_SIZE_CONSTANT / d,
          metric: '|R* − (1 − E_MP[λ/(λ + κ)])|',
        }),
      ],
      details: { d, n, predicted, optimalRisk: bound, excessOverLimit: observed - bound },
    };
  };
}

/** 1 − E_MP[λ/(λ + 1)]: the Bussgang noise ratio κ = π/2 − 1 replaced by 1. */
const predictionWithUnitKappa: PredictionFn = (rate) => 1 - marchenkoPasturExpectation(rate, (l) => l / (l + 1));

/** A random Gaussian encoder with the optimal decoder is strictly worse than R_opt and matches Marchenko–Pastur. */
export const randomEncoder = defineClaim({
  id: 'shevchenko2023.random-encoder',
  paper: 'shevchenko2023',
  title: 'A random Gaussian encoder is strictly worse than R_opt and matches its Marchenko–Pastur value',
  statement:
    'For i.i.d. Gaussian B with the optimal decoder, R*(B) > R_opt(r), and R*(B) agrees with 1 − E_MP[λ/(λ + π/2 − 1)] over the Marchenko–Pastur law of B̂ᵀB̂.',
  source: {
    paper: 'shevchenko2023',
    where: 'docs/theory-shevchenko2023.md (S6), random-encoder baseline',
    confidence: 'DER',
  },
  kind: 'statistical',
  domain: {
    rate: { kind: 'float', min: 0.2, max: 4, doc: 'r = n/d' },
    seed: { kind: 'seed', doc: 'seed of B' },
  },
  defaults: { rate: 2, seed: 7 },
  tolerance: {
    description: `|R* − MP| ≤ ${MP_TOLERANCE} + ${FINITE_SIZE_CONSTANT}/d and R* > R_opt`,
    reason: 'seed spread of a few 1e-3 plus a finite-size term',
  },
  budget: { quick: { runs: 4, sizes: { dim: 60 } }, paper: { runs: 10, sizes: { dim: 300 } } },
  measure: measureWith({ prediction: randomEncoderRisk }),
  controls: [
    {
      name: 'kappa-one',
      description: 'the Marchenko–Pastur prediction with κ = π/2 − 1 replaced by 1',
      measure: measureWith({ prediction: predictionWithUnitKappa }),
      catches: ['marchenko-pastur'],
    },
  ],
});
