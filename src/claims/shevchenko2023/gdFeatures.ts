import { type Matrix, matrix } from '../../core/matrix.ts';
import { projectedGd } from '../../sim/shevchenko2023/projectedGd.ts';
import { C_SIGN, optimalRisk, signRisk } from '../../theory/shevchenko2023/signRisk.ts';
import { maxCoordinateBound } from '../../theory/shevchenko2023/sphereCoordinate.ts';
import type { Check } from '../check.ts';
import { requireFloat64 } from './requireFloat64.ts';
import { defineClaim, type MeasureContext, type Measurement } from '../claim.ts';
import { monteCarloMean, Z_DEFAULT } from '../support/checks.ts';
import { FINITE_D_GAP_CONSTANT, gapToLimitChecks, gaussianStart, type ProjectedGdFn } from './gdSetup.ts';
import { noOpProjectedGd } from './noOpOptimisers.ts';

/**
 * r ≤ 1: GD ends on the limit up to round-off. It gets there at a seed-dependent iteration: at n = d a Gaussian start
 * can linger at a saddle where the n rows of B̂ span only d − 1 dimensions (gap 0.0102 at d = 40), so after the
 * fixed budget the gap of a few seeds is still falling geometrically (×0.896 per iteration) through 1e-9
 * (docs/shevchenko2023.md). Hence the stopping rule of {@link EXTRA_CHUNK}.
 */
const EXACT_GAP = 1e-9;
/**
 * For r ≤ 1, while the gap after `iterations` is above {@link EXACT_GAP}, GD continues in chunks of this many
 * iterations up to `maxIterations`; the gap check then says GD reached the limit within `maxIterations`. Seeds that
 * reached it within `iterations` run exactly as before.
 */
const EXTRA_CHUNK = 50;

/**
 * The max-entry check's false-FAIL probability per run if the learnt features are as delocalised as uniform unit
 * vectors: the bound on √d·max|B̂_ij| is where N coordinates of uniform unit vectors exceed it with probability at most
 * this (maxCoordinateBound: exact marginal, union bound over the N = n·d entries). The former bound √(2 ln 2nd) + 0.5
 * had no stated rate; under this null it was 1.8e-3 a run at paper scale (r = 2, N = 80 000) and 2.8e-3 at r = 0.5,
 * about 0.6% a paper verify. Measured (2026-12-01): over 80 paper-scale runs at r = 2 the maxima matched the null's
 * quantiles (median 4.34 against 4.36, 90th percentile 4.67 against 4.72, largest 4.87); a paper verify (seed
 * 748544296) had 5.208 against the old 5.395, a 0.6% event under the null. An encoder with a feature on a coordinate
 * axis has √d·max = √d (6.3 at d = 40, 14.1 at d = 200), far above either bound.
 */
const MAX_ENTRY_ALPHA = 1e-4;

const RATES = ['0.5', '1', '2'] as const;

function measureWith(deps: { gd: ProjectedGdFn }) {
  return (
    params: { rate: (typeof RATES)[number]; seed: number },
    ctx: MeasureContext<{ dim: number; iterations: number; maxIterations: number }>,
  ): Measurement => {
    // Its `above-limit` check allows float64 round-off (1e-12): on a float32 backend the risk lands ~1e-9 below the
    // limit (measured on auto:f32: 4.2e-9), so the claim is skipped there, like the other GD claims.
    requireFloat64(ctx.kernels.precision);
    const r = Number(params.rate);
    const {
      d,
      n,
      decoder: a0,
      encoder: b0,
    } = gaussianStart({ dim: ctx.sizes.dim, rate: r, rng: ctx.rng.fork(params.seed) });
    const { iterations, maxIterations } = ctx.sizes;
    let done = 0;
    const run = (decoder: Matrix, encoder: Matrix, steps: number) => {
      const offset = done;
      const out = deps.gd({
        decoder,
        encoder,
        iterations: steps,
        kernels: ctx.kernels,
        progress: (t) => ctx.progress(offset + t, maxIterations, 'GD iterations'),
      });
      done += steps;
      return out;
    };
    let res = run(a0, b0, iterations);
    const startRisk = res.risk[0];
    const limit = optimalRisk(n / d);
    const gapAtBudget = res.risk[res.risk.length - 1] - limit;
    // The stopping rule (r ≤ 1 only; above 1 the gap allowance is the Θ(1/d) finite-d gap, reached within the budget).
    while (n <= d && res.risk[res.risk.length - 1] - limit > EXACT_GAP && done < maxIterations) {
      res = run(res.decoder, res.encoder, Math.min(EXTRA_CHUNK, maxIterations - done));
    }
    const e = res.encoder.data;
    const count = e.length;
    const sd = Math.sqrt(d);
    let s1 = 0;
    let s2 = 0;
    let s4 = 0;
    let maxAbs = 0;
    for (const v of e) {
      const x = sd * v;
      s1 += x;
      s2 += x * x;
      s4 += x ** 4;
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    const mean = s1 / count;
    const variance = s2 / count;
    const kurtosis = s4 / count / (variance * variance) - 3;
    const predictedKurtosis = -6 / (d + 2);
    const maxBound = maxCoordinateBound(d, n * d, MAX_ENTRY_ALPHA);
    const finalRisk = res.risk[res.risk.length - 1];
    const maxEntry: Check = {
      name: 'max-entry',
      observed: maxAbs * sd,
      expected: maxBound,
      error: maxAbs * sd,
      allowed: maxBound,
      metric: `√d·max|B̂_ij| vs the bound N uniform-sphere coordinates pass with probability ${MAX_ENTRY_ALPHA}`,
    };
    const checks: Check[] = [
      // Entries of √d·B̂ have variance exactly 1 (unit rows), so the standard error of their mean is 1/√N.
      monteCarloMean('mean', { mean, standardError: 1 / Math.sqrt(count), expected: 0 }),
      monteCarloMean('kurtosis', { mean: kurtosis, standardError: Math.sqrt(24 / count), expected: predictedKurtosis }),
      maxEntry,
      ...gapToLimitChecks({ risk: finalRisk, rate: n / d, d, exactGap: EXACT_GAP }),
    ];
    const edges = Array.from({ length: 25 }, (_, i) => -4 + (8 * i) / 24);
    const hist = new Array<number>(24).fill(0);
    for (const v of e) {
      const k = Math.floor(((sd * v + 4) / 8) * 24);
      if (k >= 0 && k < 24) hist[k] += 1;
    }
    const width = 8 / 24;
    const centres = edges.slice(0, 24).map((x) => x + width / 2);
    return {
      checks,
      details: {
        rate: r,
        d,
        n,
        entries: count,
        mean,
        variance,
        excessKurtosis: kurtosis,
        predictedKurtosis,
        maxAbsTimesSqrtD: maxAbs * sd,
        maxBoundTimesSqrtD: maxBound,
        startRisk,
        finalRisk,
        iterations: done,
        gapAtBudget,
      },
      plots: [
        {
          kind: 'line',
          id: 'feature-entries',
          title: `Entries of √d·B̂ after GD (r = ${r}, d = ${d}) against N(0, 1)`,
          x: { label: '√d·B̂_ij' },
          y: { label: 'density' },
          series: [
            { name: 'GD encoder', x: centres, y: hist.map((h) => h / count / width), style: 'points' },
            {
              name: 'N(0, 1)',
              x: centres,
              y: centres.map((x) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)),
              style: 'line',
            },
          ],
        },
      ],
    };
  };
}

/**
 * An optimiser that returns coordinate-aligned features: the first n unit vectors with A = √(2/π)Bᵀ (optimal for
 * r ≤ 1, so the risk is right; the features are the kind the claim says GD does not learn).
 */
function axisAlignedGd(options: Parameters<ProjectedGdFn>[0]): ReturnType<ProjectedGdFn> {
  const n = options.encoder.rows;
  const d = options.encoder.cols;
  if (n > d) throw new RangeError(`axisAlignedGd: needs n ≤ d, received n = ${n}, d = ${d}`);
  const encoder: Matrix = matrix(n, d);
  const decoder: Matrix = matrix(d, n);
  for (let k = 0; k < n; k++) {
    encoder.data[k * d + k] = 1;
    decoder.data[k * n + k] = C_SIGN;
  }
  const risk = signRisk(decoder, encoder);
  return { decoder, encoder, iterations: [0, options.iterations], risk: [risk, risk] };
}

/**
 * docs/theory-shevchenko2023.md (S9): the features learnt by projected GD from a rotation-invariant initialisation are
 * delocalised and look like a random rotation's: entries of √d·B̂ have mean 0, excess kurtosis at the unit-sphere value
 * −6/(d + 2), and no entry beyond the Gaussian-extreme scale (a coordinate-aligned encoder has entries 1).
 */
export const gdFeatures = defineClaim({
  id: 'shevchenko2023.gd-features-delocalised',
  paper: 'shevchenko2023',
  title: 'GD features are delocalised, like a random rotation',
  statement:
    'After projected GD from Gaussian initialisation has reached the limit (final risk within the gaps of gd-reaches-limit; for r ≤ 1, GD continues past the budget in chunks of 50 iterations while the gap is above 1e-9, up to a cap, since at r = 1 a few starts reach the limit only after the budget), the N = n·d entries of √d·B̂ have mean 0 and excess kurtosis −6/(d + 2) (the value for uniform unit vectors) within 4 standard errors (1/√N and √(24/N)), and √d·max |B̂_ij| below the level that the N coordinates of uniform unit vectors exceed with probability 1e-4 (the exact marginal of √d·u₁, u₁² ~ Beta(1/2, (d − 1)/2), and a union bound: 4.54–4.68 at d = 40, 5.63–5.82 at d = 200): nothing aligns the learnt features with the coordinate axes.',
  source: {
    paper: 'shevchenko2023',
    where: 'docs/theory-shevchenko2023.md (S9), §8 (learned features delocalised)',
    confidence: 'NUM',
    note: 'a statistical statement about the law of the GD output, not a distributional identity',
  },
  kind: 'statistical',
  domain: {
    rate: { kind: 'choice', values: RATES, doc: 'r = n/d' },
    seed: { kind: 'seed', doc: 'seed of the Gaussian initialisation' },
  },
  defaults: { rate: '2', seed: 5 },
  tolerance: {
    description: `|mean| ≤ ${Z_DEFAULT}/√N; |kurtosis + 6/(d+2)| ≤ ${Z_DEFAULT}·√(24/N); √d·max|B̂_ij| ≤ b with N·P(|√d·u₁| > b) = ${MAX_ENTRY_ALPHA} for u uniform on the sphere; final risk − R_opt ≤ ${EXACT_GAP} (r ≤ 1, within the cap maxIterations) or ${FINITE_D_GAP_CONSTANT}·r/d (r > 1)`,
    reason:
      'standard errors of i.i.d. entries (variance exactly 1 for unit rows); the max bound is the level that the coordinates of uniform unit vectors pass with probability 1e-4 a run (so that is the false-FAIL rate of the check if the learnt features are as delocalised as uniform ones; 80 paper-scale runs at r = 2 matched the quantiles of that null, median 4.34 against 4.36; it replaced √(2 ln 2nd) + 0.5, whose rate under the null was 1.8e-3 a paper-scale run); the gap bounds are those of gd-reaches-limit (r = 2: 0.0017 after 300 iterations at d = 40). For r ≤ 1 the gap falls to round-off, but when depends on the start: the first iteration with gap ≤ 1e-9 at d = 40 was 172 at most for r = 0.5 (300 seeds) and, for r = 1, median 212, 99th percentile 297, largest 363 (1500 seeds; 111 above 250, 13 above 300, 2 above 350): the slow starts linger at a saddle where the n = d rows of B̂ span d − 1 dimensions. The tail falls about 7-fold per 50 iterations, so the quick cap of 1000 iterations (paper: 3000 at d = 200, where the largest of 12 seeds was 285) is not reached in practice; the no-op control still reaches it and fails the gap',
  },
  budget: {
    quick: { runs: 3, sizes: { dim: 40, iterations: 300, maxIterations: 1000 } },
    paper: { runs: 3, sizes: { dim: 200, iterations: 1500, maxIterations: 3000 } },
  },
  measure: measureWith({ gd: projectedGd }),
  controls: [
    {
      name: 'no-op-optimiser',
      description: 'a GD that returns its (already delocalised) Gaussian start',
      measure: measureWith({ gd: noOpProjectedGd }),
      catches: ['gap'],
    },
    {
      name: 'axis-aligned-features',
      description:
        'an optimiser that returns the optimal but coordinate-aligned encoder (first n unit vectors), r = 0.5',
      measure: measureWith({ gd: axisAlignedGd }),
      params: { rate: '0.5' },
      catches: ['max-entry', 'kurtosis'],
    },
  ],
});
