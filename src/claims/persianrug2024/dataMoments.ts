import { sampleSparseUniform } from '../../data/sparseUniform.ts';
import { sampleBatch } from '../../sim/persianrug2024/trainToyModel.ts';
import { defineClaim } from '../claim.ts';

/** CLT band: 5 standard errors (digest §8 item 1). */
const Z = 5;

/**
 * §3/§8 item 1: the generated data have the stated moments — each feature nonzero with probability p, then U[0, 1):
 * E x = p/2, E x² = p/3, P(x ≠ 0) = p, and the number of nonzeros per sample is Binomial(n, p) (variance n p (1 − p)).
 * Checked for both generators: per-feature Bernoulli draws (Monte Carlo claims) and geometric gaps (the trainer).
 */
export const dataMoments = defineClaim({
  id: 'persianrug2024.data-moments',
  paper: 'persianrug2024',
  title: 'Sparse data have mean p/2, second moment p/3, nonzero fraction p, Binomial nonzero counts',
  statement:
    'For data with each of n features nonzero with probability p and then uniform on [0, 1), the empirical mean, second moment and nonzero fraction over N samples are within 5 standard errors of p/2, p/3 and p, and the variance of the per-sample nonzero count within 5 standard errors of n p (1 − p) — for the per-feature Bernoulli sampler and for the trainer’s geometric-gap sampler (which must be the same distribution).',
  source: { paper: 'persianrug2024', where: '§3 (data.py); digest §8 item 1', confidence: 'CODE' },
  kind: 'statistical',
  domain: {
    sampler: { kind: 'choice', values: ['bernoulli', 'geometric'] as const, doc: 'which generator' },
    n: { kind: 'int', min: 8, max: 300, doc: 'features n' },
    p: { kind: 'float', min: 0.001, max: 1, doc: 'feature probability p', log: true },
    seed: { kind: 'seed', doc: 'seed of the samples' },
  },
  defaults: { sampler: 'geometric', n: 256, p: 0.05, seed: 2 },
  tolerance: {
    description: `every moment within ${Z} standard errors`,
    reason: 'CLT on N·n entries (N per-sample counts); 5 SE keeps the false-alarm rate below 1e-5 per moment',
  },
  budget: {
    quick: { runs: 6, sizes: { samples: 4000 } },
    paper: { runs: 20, sizes: { samples: 100_000 } },
  },
  measure(params, ctx) {
    const { n, p } = params;
    const N = ctx.sizes.samples;
    const rng = ctx.rng.fork(params.seed);
    let sum = 0;
    let sumSq = 0;
    let nonzero = 0;
    let countSum = 0;
    let countSq = 0;
    const chunk = 256;
    const x = new Float64Array(chunk * n);
    const nz = new Int32Array(chunk * n);
    const counts = new Int32Array(chunk);
    const row = new Float64Array(n);
    for (let done = 0; done < N; done += chunk) {
      const b = Math.min(chunk, N - done);
      if (params.sampler === 'geometric') sampleBatch(b, n, p, rng, x, nz, counts);
      else {
        for (let s = 0; s < b; s++) {
          sampleSparseUniform(row, p, rng);
          x.set(row, s * n);
        }
      }
      for (let s = 0; s < b; s++) {
        let c = 0;
        for (let i = 0; i < n; i++) {
          const v = x[s * n + i];
          sum += v;
          sumSq += v * v;
          if (v !== 0) c++;
        }
        // The geometric sampler also lists its nonzeros: they must be exactly the nonzero entries.
        if (params.sampler === 'geometric' && counts[s] !== c) {
          throw new Error(`sampleBatch listed ${counts[s]} nonzeros for a sample with ${c}`);
        }
        nonzero += c;
        countSum += c;
        countSq += c * c;
      }
    }
    const entries = N * n;
    const q = p / 3 - (p * p) / 4; // Var x
    const mean = sum / entries;
    const second = sumSq / entries;
    const frac = nonzero / entries;
    const countMean = countSum / N;
    const countVar = (countSq - N * countMean * countMean) / (N - 1);
    const binVar = n * p * (1 - p);
    // SE of each estimator: Var x = p/3 − p²/4, Var x² = p/5 − p²/9, Var 1[x ≠ 0] = p(1 − p); the sample variance of
    // the counts has variance ≈ (κ₄ + 2σ⁴)/N with σ² = npq and the Binomial fourth cumulant κ₄ = npq(1 − 6pq).
    const pq = p * (1 - p);
    const kappa4 = n * pq * (1 - 6 * pq);
    const z = [
      Math.abs(mean - p / 2) / Math.sqrt(q / entries),
      Math.abs(second - p / 3) / Math.sqrt(Math.max(1e-300, p / 5 - (p * p) / 9) / entries),
      Math.abs(frac - p) / Math.sqrt(Math.max(1e-300, pq) / entries),
      binVar > 0 ? Math.abs(countVar - binVar) / Math.sqrt((kappa4 + 2 * binVar * binVar) / N + 1e-300) : 0,
    ];
    const worst = Math.max(...z.map((v) => (Number.isFinite(v) ? v : 0)));
    return {
      predicted: p / 2,
      observed: mean,
      error: worst,
      allowed: Z,
      metric: 'largest |moment − prediction| / SE (mean, second moment, nonzero fraction, count variance)',
      details: {
        n,
        p,
        samples: N,
        mean,
        secondMoment: second,
        nonzeroFraction: frac,
        countVariance: countVar,
        zScores: z,
      },
    };
  },
});
