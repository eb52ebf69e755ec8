import { cholesky } from '../../core/linalg.ts';
import { matrixFromRows } from '../../core/matrix.ts';
import { RunningStats } from '../../core/stats.ts';
import { type IntegralActivation, type IntegralName, evaluateIntegral } from '../../theory/refinetti2022/integrals.ts';
import { defineClaim } from '../claim.ts';
import { covarianceEntries, INTEGRAL_DOMAIN, integralDimension, integrand } from './integrand.ts';
import { randomCovariance } from './randomCovariance.ts';

/** z-score allowed: a 4σ deviation has two-sided probability 6e-5 per run, so a correct closed form fails about once in
 * 16 000 runs, while a wrong one (such as the authors' I2_relu, off by a factor 2) gives z in the hundreds. */
const Z_ALLOWED = 4;

/** Refinetti & Goldt §3.3: the closed forms equal the Monte Carlo mean of their integrands. */
export const integralsMonteCarlo = defineClaim({
  id: 'refinetti2022.integrals-monte-carlo',
  paper: 'refinetti2022',
  title: 'Closed-form Gaussian integrals equal Monte Carlo',
  statement:
    'For g ∈ {linear, erf(x/√2), ReLU} and any covariance C, the Monte Carlo mean of each integrand over x ~ N(0, C) agrees with the closed form within 4 standard errors.',
  source: { paper: 'refinetti2022', where: '§3.3, table of Gaussian integrals', confidence: 'DERIVED' },
  kind: 'statistical',
  domain: INTEGRAL_DOMAIN,
  defaults: { activation: 'relu', integral: 'I2', scale: 1, covarianceSeed: 11 },
  tolerance: { description: `z = |MC − closed form| / SE ≤ ${Z_ALLOWED}`, reason: 'see Z_ALLOWED' },
  budget: { quick: { runs: 12, sizes: { samples: 200_000 } }, paper: { runs: 60, sizes: { samples: 4_000_000 } } },
  measure(params, ctx) {
    const name = params.integral as IntegralName;
    const g = params.activation as IntegralActivation;
    const d = integralDimension(name);
    const c = randomCovariance(d, params.scale, ctx.rng.fork(params.covarianceSeed));
    const predicted = evaluateIntegral(name, g, covarianceEntries(c));
    const f = integrand(name, g);
    const l = cholesky(matrixFromRows(c)).data;
    const z = new Float64Array(d);
    const x = new Float64Array(d);
    const stats = new RunningStats();
    const rng = ctx.rng.fork('samples');
    const n = ctx.sizes.samples;
    for (let s = 0; s < n; s++) {
      rng.fillNormal(z);
      for (let i = 0; i < d; i++) {
        let v = 0;
        for (let k = 0; k <= i; k++) v += l[i * d + k] * z[k];
        x[i] = v;
      }
      stats.push(f(x));
      if ((s & 0xffff) === 0) ctx.progress(s, n, 'samples');
    }
    const se = stats.standardError;
    return {
      predicted,
      observed: stats.mean,
      error: Math.abs(stats.mean - predicted) / se,
      allowed: Z_ALLOWED,
      metric: 'z-score',
      details: { standardError: se, samples: n, covariance: c.flat() },
    };
  },
});
