import { bayesMmse, bestJumpRelu } from '../../theory/persianrug2024/activationBounds.ts';
import { rankBoundNoiseVariance, symmetricOptimum } from '../../theory/persianrug2024/symmetricLoss.ts';
import { defineClaim } from '../claim.ts';

/** Quadrature round-off allowed in the inequalities, relative to the Bayes MMSE. */
const SLACK = 1e-8;

/**
 * §4.6: at the rank-bound noise σ² = (1/r − 1)(p/3 − p²/4), the Bayes MMSE lower-bounds JumpReLU and ReLU, and ReLU's loss
 * is within a factor 1 + ln(1/p) of it: changing the activation helps by a modest factor that grows like ln(1/p)/2.
 */
export const activationGain = defineClaim({
  id: 'persianrug2024.activation-gain',
  paper: 'persianrug2024',
  title: 'Changing the activation helps by at most a factor 1 + ln(1/p) (Bayes ≤ JumpReLU, Bayes ≤ ReLU)',
  statement:
    'With interference noise at the rank bound, the Bayes MMSE E[(x − E[x|y])²] ≤ the best JumpReLU loss and ≤ the symmetric ReLU optimum L*(r, p), and 1 ≤ L*/MMSE ≤ 1 + ln(1/p). The gain is not a constant: it grows like ln(1/p)/2 as p → 0 (measured 1.13 at p = 0.1, 2.30 at 1e-3, 4.75 at 1e-5 for r = 0.5), while the p²/r power law is unchanged.',
  source: {
    paper: 'persianrug2024',
    where: '§4.6, §9.2',
    confidence: 'DERIVED',
    note: '"constant factor" read as "same power law; gain ≤ O(ln 1/p)"',
  },
  kind: 'exact',
  domain: {
    r: { kind: 'float', min: 0.05, max: 0.9, doc: 'compression ratio r' },
    p: { kind: 'float', min: 1e-5, max: 0.5, log: true, doc: 'feature probability p' },
  },
  defaults: { r: 0.5, p: 1e-3 },
  tolerance: { description: `inequalities within ${SLACK}·MMSE`, reason: 'quadrature round-off' },
  budget: { quick: { runs: 12, sizes: {} }, paper: { runs: 100, sizes: {} } },
  measure(params) {
    const { r, p } = params;
    const sigma = Math.sqrt(rankBoundNoiseVariance(r, p));
    const relu = symmetricOptimum(r, p).loss;
    const bayes = bayesMmse(p, sigma);
    const jump = bestJumpRelu(p, sigma);
    const gain = relu / bayes;
    const slack = SLACK * bayes;
    const violations = [bayes - jump.loss, bayes - relu, 1 - gain, gain - (1 + Math.log(1 / p))].map((v, i) =>
      i < 2 ? Math.max(0, v) / slack : Math.max(0, v) / SLACK,
    );
    const worst = Math.max(...violations);
    return {
      predicted: 1 + Math.log(1 / p),
      observed: gain,
      error: worst > 1 ? worst : 0,
      allowed: 1,
      metric: 'largest normalised violation (0 = all hold)',
      details: { relu, jumpRelu: jump.loss, jumpThreshold: jump.theta, bayes, gain, halfLogGain: Math.log(1 / p) / 2 },
    };
  },
});
