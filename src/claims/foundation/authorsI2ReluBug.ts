import { I2, I2ReluAuthorsCode } from '../../theory/refinetti2022/integrals.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { monteCarloMean, Z_DEFAULT } from '../support/checks.ts';
import { covarianceSampleMean } from './covarianceSampleMean.ts';
import { integrand } from './integrand.ts';
import { randomCovariance } from './randomCovariance.ts';

const DOMAIN = {
  scale: { kind: 'float', min: 0.05, max: 5, log: true, doc: 'overall scale of the covariance' },
  covarianceSeed: { kind: 'seed', doc: 'seed of the random covariance' },
} as const;

/** Sizes of {@link authorsI2ReluBug}. */
interface Sizes {
  samples: number;
}

/** What the measurement compares the Monte Carlo truth with. */
interface Deps {
  /** The authors' coded I2_relu(c11, c12, c22). */
  authorsCode: (c11: number, c12: number, c22: number) => number;
  /** The factor the claim says the code is off by (2). */
  factor: number;
  /** The library's corrected I2 for ReLU. */
  corrected: (c11: number, c12: number, c22: number) => number;
}

/** The claim's measurement with the values it checks passed in (the real ones, or broken ones for a control). */
function measureWith(deps: Deps): MeasureFn<typeof DOMAIN, Sizes> {
  return (params, ctx) => {
    const c = randomCovariance(2, params.scale, ctx.rng.fork(params.covarianceSeed));
    const [[c11, c12], [, c22]] = c;
    const coded = deps.authorsCode(c11, c12, c22);
    const corrected = deps.corrected(c11, c12, c22);
    const mc = covarianceSampleMean({
      covariance: c,
      integrand: integrand('I2', 'relu'),
      samples: ctx.sizes.samples,
      rng: ctx.rng.fork('samples'),
      progress: ctx.progress,
    });
    const sample = { mean: mc.mean, standardError: mc.standardError };
    return {
      checks: [
        monteCarloMean('twice-authors-code', { ...sample, expected: deps.factor * coded }),
        monteCarloMean('corrected-i2', { ...sample, expected: corrected }),
      ],
      details: {
        authorsCode: coded,
        corrected,
        ratioToCode: mc.mean / coded,
        zOfAuthorsCode: Math.abs(mc.mean - coded) / mc.standardError,
        standardError: mc.standardError,
        samples: mc.count,
      },
    };
  };
}

const relu2 = (c11: number, c12: number, c22: number) => I2('relu', c11, c12, c22);

/**
 * The authors' `I2_relu` returns exactly half of E[relu(x1) relu(x2)] (Refinetti & Goldt; see
 * docs/theory-refinetti2022.md (E8), (K9) and docs/foundation.md): 2·I2_relu(code) and the library's corrected I2 are
 * the same function, and this claim measures the truth by Monte Carlo and checks it against both.
 */
export const authorsI2ReluBug = defineClaim({
  id: 'refinetti2022.authors-i2-relu-is-half',
  paper: 'refinetti2022',
  title: "The authors' I2_relu is half the true value",
  statement:
    "For a non-degenerate covariance, Monte Carlo gives E[relu(x1) relu(x2)] = 2 × the authors' coded I2_relu (which is therefore wrong), and equals the library's corrected I2.",
  source: {
    paper: 'refinetti2022',
    where: 'docs/theory-refinetti2022.md (E8) ReLU I2, code bug (K9)',
    confidence: 'DERIVED',
  },
  kind: 'statistical',
  domain: DOMAIN,
  defaults: { scale: 1, covarianceSeed: 3 },
  tolerance: {
    description: `twice-authors-code, corrected-i2: |MC − value| ≤ ${Z_DEFAULT}·SE`,
    reason:
      'two 4σ tests on the same sample mean (false-failure probability ≤ 1.3e-4 a run); see integrals-monte-carlo',
  },
  budget: { quick: { runs: 4, sizes: { samples: 40_000 } }, paper: { runs: 20, sizes: { samples: 2_000_000 } } },
  measure: measureWith({ authorsCode: I2ReluAuthorsCode, factor: 2, corrected: relu2 }),
  controls: [
    {
      name: 'code-taken-as-true',
      description: "the authors' coded I2_relu taken at face value (factor 1, not 2)",
      measure: measureWith({ authorsCode: I2ReluAuthorsCode, factor: 1, corrected: relu2 }),
      catches: ['twice-authors-code'],
    },
    {
      name: 'library-copies-the-bug',
      description: "the library's I2 for ReLU replaced by the authors' code",
      measure: measureWith({ authorsCode: I2ReluAuthorsCode, factor: 2, corrected: I2ReluAuthorsCode }),
      catches: ['corrected-i2'],
    },
  ],
});
