import { optimalRisk, reducedRisk, tiedRisk } from '../../theory/shevchenko2023/signRisk.ts';
import { defineClaim } from '../claim.ts';
import { ENCODER_FAMILIES, type EncoderFamily, encoderOfFamily } from './encoderFamily.ts';

/** The bound is checked as an inequality up to round-off (digest §5 items 8–10: 1e-12). */
const BOUND_SLACK = 1e-12;

/** (LB): no encoder beats R_opt(r) with the optimal decoder, and the tied decoder's exact bound holds. */
export const lowerBound = defineClaim({
  id: 'shevchenko2023.lower-bound',
  paper: 'shevchenko2023',
  title: 'No encoder beats R_opt(r); the tied-decoder bound holds for every B',
  statement:
    'For every encoder B (Gaussian, perturbed frames, near-parallel rows, repeated rows, and the end points of small-d optimisation by projected GD) R*(B) ≥ R_opt(r) = 1 − r/(π/2 + max(r − 1, 0)), and R_tied(B) = 1 − n²/(d S) ≥ R_opt(r).',
  source: {
    paper: 'shevchenko2023',
    where: '§3.3 (LB) and the tied-decoder proof; §5 items 8–10',
    confidence: 'DER',
    note: 'untied bound: numerical evidence; tied bound: proved',
  },
  kind: 'exact',
  domain: {
    family: { kind: 'choice', values: ENCODER_FAMILIES, doc: 'how B is drawn' },
    dim: { kind: 'int', min: 2, max: 40, doc: 'input dimension d' },
    rate: { kind: 'float', min: 0.1, max: 4, doc: 'r = n/d' },
    seed: { kind: 'seed', doc: 'seed of B' },
  },
  defaults: { family: 'perturbed-frame', dim: 20, rate: 1.5, seed: 5 },
  tolerance: {
    description: `max(0, R_opt − R*, R_opt − R_tied) ≤ ${BOUND_SLACK}`,
    reason: 'an inequality, up to round-off',
  },
  budget: { quick: { runs: 40, sizes: {} }, paper: { runs: 300, sizes: {} } },
  measure(params, ctx) {
    const d = params.dim;
    const n = Math.max(1, Math.round(params.rate * d));
    const r = n / d;
    const b = encoderOfFamily(params.family as EncoderFamily, n, d, ctx.rng.fork(params.seed), ctx.kernels);
    const bound = optimalRisk(r);
    const rStar = reducedRisk(b);
    const rTied = tiedRisk(b).risk;
    return {
      predicted: bound,
      observed: rStar,
      error: Math.max(0, bound - rStar, bound - rTied),
      allowed: BOUND_SLACK,
      metric: 'violation of the bound',
      details: { d, n, rate: r, reducedRisk: rStar, tiedRisk: rTied, margin: rStar - bound },
    };
  },
});
