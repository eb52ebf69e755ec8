import type { Rng } from '../../core/rng.ts';
import { normalCdf, normalQuantile } from '../../core/special.ts';
import { EPS64 } from '../../core/tolerance.ts';
import { sampleSparseUniform } from '../../data/sparseUniform.ts';
import { sampleBatch } from '../../sim/persianrug2024/trainToyModel.ts';
import type { Check } from '../check.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { closeTo, monteCarloMean } from '../support/checks.ts';

/**
 * z of the pooled moments: 5 standard errors (docs/theory-persianrug2024.md §8 item 1), false-alarm rate below 1e-6 per
 * moment — wider than Z_DEFAULT because the claim runs four pooled tests and 2n per-feature tests per draw.
 */
const Z_MOMENTS = 5;
/**
 * Per-feature tests share the pooled tests' false-alarm rate among the n features (Bonferroni): each feature's z is
 * the two-sided normal quantile of P(|z| > 5)/n (5.9 at n = 256).
 */
function featureZ(n: number): number {
  return normalQuantile(1 - normalCdf(-Z_MOMENTS) / n);
}
/**
 * Samples per draw are raised to at least this many nonzeros per feature (N·p ≥ 100): a feature that is never active
 * is then √(N p/(1 − p)) ≥ 10 standard errors from p — below N·p ≈ 36 it could not be told from chance.
 */
const MIN_ACTIVE_PER_FEATURE = 100;
/** Round-off allowed when every sample is identical (p = 1: the nonzero fraction is exactly 1, its SE 0). */
const ROUNDOFF = 1e3 * EPS64;

/** Fills `b` samples (rows of x, b×n) and returns how many samples' listed nonzeros disagree with x (0 if none). */
type Sampler = (b: number, n: number, p: number, rng: Rng, x: Float64Array) => number;

/** The trainer's geometric-gap sampler; it also lists its nonzeros, which must be exactly the nonzero entries. */
const geometricSampler: Sampler = (() => {
  let nz = new Int32Array(0);
  let counts = new Int32Array(0);
  return (b, n, p, rng, x) => {
    if (nz.length < b * n) nz = new Int32Array(b * n);
    if (counts.length < b) counts = new Int32Array(b);
    sampleBatch(b, n, p, rng, x, nz, counts);
    let mismatches = 0;
    for (let s = 0; s < b; s++) {
      let c = 0;
      for (let i = 0; i < n; i++) if (x[s * n + i] !== 0) c++;
      let listed = counts[s] === c;
      for (let k = 0; listed && k < counts[s]; k++) listed = x[s * n + nz[s * n + k]] !== 0;
      if (!listed) mismatches++;
    }
    return mismatches;
  };
})();

/** Per-feature Bernoulli(p) then U[0, 1) (`sampleSparseUniform`, what the Monte Carlo claims use). */
const bernoulliSampler: Sampler = (b, n, p, rng, x) => {
  for (let s = 0; s < b; s++) sampleSparseUniform(x.subarray(s * n, (s + 1) * n), p, rng);
  return 0;
};

/** A broken generator for the negative control: the real one, then feature 0 switched off in every sample. */
function withFeatureNeverActive(sampler: Sampler): Sampler {
  return (b, n, p, rng, x) => {
    const mismatches = sampler(b, n, p, rng, x);
    for (let s = 0; s < b; s++) x[s * n] = 0;
    return mismatches;
  };
}

const domain = {
  sampler: { kind: 'choice', values: ['bernoulli', 'geometric'] as const, doc: 'which generator' },
  n: { kind: 'int', min: 8, max: 300, doc: 'features n' },
  p: { kind: 'float', min: 0.001, max: 1, doc: 'feature probability p', log: true },
  seed: { kind: 'seed', doc: 'seed of the samples' },
} as const;
type Sizes = { samples: number };

function measureWith(samplers: Record<'bernoulli' | 'geometric', Sampler>): MeasureFn<typeof domain, Sizes> {
  return (params, ctx) => {
    const { n, p } = params;
    const sample = samplers[params.sampler];
    const N = Math.max(ctx.sizes.samples, Math.ceil(MIN_ACTIVE_PER_FEATURE / p));
    const rng = ctx.rng.fork(params.seed);
    let sum = 0;
    let sumSq = 0;
    let nonzero = 0;
    let countSq = 0;
    let mismatches = 0;
    const featureSum = new Float64Array(n);
    const featureActive = new Float64Array(n);
    const chunk = 256;
    const x = new Float64Array(chunk * n);
    for (let done = 0; done < N; done += chunk) {
      const b = Math.min(chunk, N - done);
      mismatches += sample(b, n, p, rng, x);
      for (let s = 0; s < b; s++) {
        let c = 0;
        for (let i = 0; i < n; i++) {
          const v = x[s * n + i];
          sum += v;
          sumSq += v * v;
          featureSum[i] += v;
          if (v !== 0) {
            c++;
            featureActive[i]++;
          }
        }
        nonzero += c;
        countSq += c * c;
      }
    }
    const entries = N * n;
    const pq = p * (1 - p);
    const q = p / 3 - (p * p) / 4; // Var x
    const mean = sum / entries;
    const second = sumSq / entries;
    const frac = nonzero / entries;
    const countMean = nonzero / N;
    const countVar = (countSq - N * countMean * countMean) / (N - 1);
    const binVar = n * pq;
    // SE of each estimator: Var x = p/3 − p²/4, Var x² = p/5 − p²/9, Var 1[x ≠ 0] = p(1 − p); the sample variance of
    // the counts has variance ≈ (κ₄ + 2σ⁴)/N with σ² = npq and the Binomial fourth cumulant κ₄ = npq(1 − 6pq).
    const kappa4 = n * pq * (1 - 6 * pq);
    const bias = (expected: number) => ROUNDOFF * Math.max(Math.abs(expected), 1);
    // The worst feature: the largest |z| of its mean and of its nonzero fraction over N samples.
    const zf = featureZ(n);
    let worstMean = 0;
    let worstFrac = 0;
    let worstMeanZ = -1;
    let worstFracZ = -1;
    for (let i = 0; i < n; i++) {
      const zm = Math.abs(featureSum[i] / N - p / 2) / Math.sqrt(q / N);
      const zq = Math.abs(featureActive[i] / N - p) / Math.sqrt(Math.max(pq, Number.MIN_VALUE) / N);
      if (zm > worstMeanZ) [worstMeanZ, worstMean] = [zm, i];
      if (zq > worstFracZ) [worstFracZ, worstFrac] = [zq, i];
    }
    const checks: Check[] = [
      monteCarloMean('mean', { mean, standardError: Math.sqrt(q / entries), expected: p / 2, z: Z_MOMENTS }),
      monteCarloMean('second-moment', {
        mean: second,
        standardError: Math.sqrt((p / 5 - (p * p) / 9) / entries),
        expected: p / 3,
        z: Z_MOMENTS,
      }),
      monteCarloMean('nonzero-fraction', {
        mean: frac,
        standardError: Math.sqrt(pq / entries),
        expected: p,
        z: Z_MOMENTS,
        bias: bias(p),
      }),
      monteCarloMean('count-variance', {
        mean: countVar,
        standardError: Math.sqrt((kappa4 + 2 * binVar * binVar) / N),
        expected: binVar,
        z: Z_MOMENTS,
        bias: bias(n),
      }),
      monteCarloMean('worst-feature-mean', {
        mean: featureSum[worstMean] / N,
        standardError: Math.sqrt(q / N),
        expected: p / 2,
        z: zf,
      }),
      monteCarloMean('worst-feature-fraction', {
        mean: featureActive[worstFrac] / N,
        standardError: Math.sqrt(pq / N),
        expected: p,
        z: zf,
        bias: bias(p),
      }),
    ];
    if (params.sampler === 'geometric') {
      checks.push(
        closeTo('listed-nonzeros', mismatches, 0, { atol: 0.5, metric: 'samples whose listed nonzeros differ' }),
      );
    }
    return {
      checks,
      details: {
        n,
        p,
        samples: N,
        mean,
        secondMoment: second,
        nonzeroFraction: frac,
        countVariance: countVar,
        featureZ: zf,
        worstFeatureByMean: worstMean,
        worstFeatureMeanZ: worstMeanZ,
        worstFeatureByFraction: worstFrac,
        worstFeatureFractionZ: worstFracZ,
      },
    };
  };
}

/**
 * docs/theory-persianrug2024.md §3 (P3), §8 item 1: the generated data have the stated moments — each feature nonzero
 * with probability p, then U[0, 1): E x = p/2, E x² = p/3, P(x ≠ 0) = p, and the number of nonzeros per sample is
 * Binomial(n, p) (variance n p (1 − p)). Checked pooled and per feature (the worst feature), for both generators:
 * per-feature Bernoulli draws (Monte Carlo claims) and geometric gaps (the trainer).
 */
export const dataMoments = defineClaim({
  id: 'persianrug2024.data-moments',
  paper: 'persianrug2024',
  title: 'Sparse data have mean p/2, second moment p/3, nonzero fraction p, Binomial nonzero counts — in every feature',
  statement:
    'For data with each of n features nonzero with probability p and then uniform on [0, 1), the empirical mean, second moment and nonzero fraction over N samples are within 5 standard errors of p/2, p/3 and p, the variance of the per-sample nonzero count within 5 standard errors of n p (1 − p), and the worst single feature’s mean and nonzero fraction within the Bonferroni z of n features (5.9 at n = 256) of p/2 and p — for the per-feature Bernoulli sampler and for the trainer’s geometric-gap sampler (which must be the same distribution, and must list exactly its nonzero entries). N is raised to at least 100/p so that a feature that is never active is ≥ 10 standard errors out.',
  source: {
    paper: 'persianrug2024',
    where: 'docs/theory-persianrug2024.md §3 (P3) (the authors’ data.py), §8 item 1',
    confidence: 'CODE',
  },
  kind: 'statistical',
  domain,
  defaults: { sampler: 'geometric', n: 256, p: 0.05, seed: 2 },
  tolerance: {
    description: `pooled moments within ${Z_MOMENTS} SE; each feature within the Bonferroni z of n features`,
    reason:
      'CLT on N·n entries (N per-sample counts, N per feature); 5 SE keeps the false-alarm rate below 1e-6 per moment, and the per-feature z shares it among the n features',
  },
  budget: {
    quick: { runs: 6, sizes: { samples: 4000 } },
    paper: { runs: 20, sizes: { samples: 100_000 } },
  },
  measure: measureWith({ bernoulli: bernoulliSampler, geometric: geometricSampler }),
  controls: [
    {
      name: 'feature-never-active',
      description:
        'the trainer’s sampler with feature 0 switched off in every sample (pooled moments move by 1/n only)',
      measure: measureWith({
        bernoulli: withFeatureNeverActive(bernoulliSampler),
        geometric: withFeatureNeverActive(geometricSampler),
      }),
      params: { sampler: 'geometric' },
      catches: ['worst-feature-mean', 'worst-feature-fraction'],
    },
    {
      name: 'bernoulli-feature-never-active',
      description: 'the Bernoulli sampler with feature 0 switched off in every sample',
      measure: measureWith({
        bernoulli: withFeatureNeverActive(bernoulliSampler),
        geometric: withFeatureNeverActive(geometricSampler),
      }),
      params: { sampler: 'bernoulli' },
      catches: ['worst-feature-mean', 'worst-feature-fraction'],
    },
  ],
});
