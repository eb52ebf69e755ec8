import { RunningStats } from '../../core/stats.ts';
import { I2, I2ReluAuthorsCode } from '../../theory/refinetti2022/integrals.ts';
import { defineClaim } from '../claim.ts';
import { randomCovariance } from './randomCovariance.ts';

/** z-score allowed for the ratio test (as for the integrals' Monte Carlo claim). */
const Z_ALLOWED = 4;

/**
 * The authors' `I2_relu` returns exactly half of E[relu(x1) relu(x2)] (digest §3.3, "Code bug"). This claim measures
 * the truth by Monte Carlo and checks that it is twice the coded value — and equal to the library's corrected I2.
 */
export const authorsI2ReluBug = defineClaim({
  id: 'refinetti2022.authors-i2-relu-is-half',
  paper: 'refinetti2022',
  title: "The authors' I2_relu is half the true value",
  statement:
    "For a non-degenerate covariance, Monte Carlo gives E[relu(x1) relu(x2)] = 2 × the authors' coded I2_relu (which is therefore wrong), and equals the library's corrected I2.",
  source: { paper: 'refinetti2022', where: '§3.3, code bug in I2_relu; §7', confidence: 'DERIVED' },
  kind: 'statistical',
  domain: {
    scale: { kind: 'float', min: 0.05, max: 5, log: true, doc: 'overall scale of the covariance' },
    covarianceSeed: { kind: 'seed', doc: 'seed of the random covariance' },
  },
  defaults: { scale: 1, covarianceSeed: 3 },
  tolerance: {
    description: `z = |MC − 2·I2_relu(code)| / SE ≤ ${Z_ALLOWED}`,
    reason: 'a 4σ test; see integrals-monte-carlo',
  },
  budget: { quick: { runs: 4, sizes: { samples: 40_000 } }, paper: { runs: 20, sizes: { samples: 2_000_000 } } },
  measure(params, ctx) {
    const c = randomCovariance(2, params.scale, ctx.rng.fork(params.covarianceSeed));
    const [[c11, c12], [, c22]] = c;
    const coded = I2ReluAuthorsCode(c11, c12, c22);
    const l11 = Math.sqrt(c11);
    const l21 = c12 / l11;
    const l22 = Math.sqrt(c22 - l21 * l21);
    const rng = ctx.rng.fork('samples');
    const stats = new RunningStats();
    for (let s = 0; s < ctx.sizes.samples; s++) {
      const z1 = rng.normal();
      const z2 = rng.normal();
      const x1 = l11 * z1;
      const x2 = l21 * z1 + l22 * z2;
      stats.push(Math.max(x1, 0) * Math.max(x2, 0));
    }
    return {
      predicted: 2 * coded,
      observed: stats.mean,
      error: Math.abs(stats.mean - 2 * coded) / stats.standardError,
      allowed: Z_ALLOWED,
      metric: 'z-score',
      details: { authorsCode: coded, corrected: I2('relu', c11, c12, c22), ratioToCode: stats.mean / coded },
    };
  },
});
