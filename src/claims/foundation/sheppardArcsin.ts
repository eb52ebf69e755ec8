import { sheppardSignCorrelation } from '../../theory/shevchenko2023/sheppard.ts';
import { defineClaim } from '../claim.ts';
import { unitVectorsWithOverlap } from './unitVectors.ts';

/** z-score allowed (4σ: a correct identity fails a run with probability 6e-5). */
const Z_ALLOWED = 4;
/** Floor of the standard error: the closed form's round-off, used when every sample is identical. */
const ROUNDOFF_SE = 1e-12;
/** Samples per kernel call, so the sample matrix stays small. */
const CHUNK = 4096;

/**
 * Sheppard's identity E[sign(u·x) sign(v·x)] = (2/π) arcsin(u·v), measured through the kernel registry: the projections
 * X·[u v] by `gemm`, the signs by `elementwise`; the per-row products are accumulated in float64.
 */
export const sheppardArcsin = defineClaim({
  id: 'shevchenko2023.sheppard-arcsin',
  paper: 'shevchenko2023',
  title: "Sheppard's identity: E[sign(u·x) sign(v·x)] = (2/π) arcsin(u·v)",
  statement:
    'For x ~ N(0, I_d) and unit vectors u, v, the sign correlation E[sign(u·x) sign(v·x)] equals (2/π) arcsin(u·v); the Monte Carlo mean agrees within 4 standard errors.',
  source: { paper: 'shevchenko2023', where: '§3.1', confidence: 'DER' },
  kind: 'statistical',
  domain: {
    dim: { kind: 'int', min: 1, max: 65, doc: 'input dimension d' },
    overlap: { kind: 'float', min: -0.999, max: 0.999, doc: 'u·v (for d = 1 only ±1 exist)' },
    vectorSeed: { kind: 'seed', doc: 'seed of u and v' },
  },
  defaults: { dim: 20, overlap: 0.6, vectorSeed: 5 },
  tolerance: {
    description: `z ≤ ${Z_ALLOWED}`,
    reason: 'a 4σ test with the standard error estimated from the samples',
  },
  budget: { quick: { runs: 10, sizes: { samples: 32_768 } }, paper: { runs: 50, sizes: { samples: 1_048_576 } } },
  measure(params, ctx) {
    const d = params.dim;
    const { u, v, overlap } = unitVectorsWithOverlap(d, params.overlap, ctx.rng.fork(params.vectorSeed));
    const predicted = sheppardSignCorrelation(overlap);
    const uv = new Float64Array(d * 2);
    for (let i = 0; i < d; i++) {
      uv[2 * i] = u[i];
      uv[2 * i + 1] = v[i];
    }
    const rng = ctx.rng.fork('samples');
    const x = new Float64Array(CHUNK * d);
    let sum = 0;
    let sumSq = 0;
    let n = 0;
    const total = ctx.sizes.samples;
    while (n < total) {
      const rows = Math.min(CHUNK, total - n);
      const xs = x.subarray(0, rows * d);
      rng.fillNormal(xs);
      const proj = ctx.kernels.gemm({ m: rows, n: 2, k: d, a: xs, b: uv });
      const signs = ctx.kernels.elementwise({ op: 'sign', x: proj });
      for (let r = 0; r < rows; r++) {
        const p = signs[2 * r] * signs[2 * r + 1];
        sum += p;
        sumSq += p * p;
      }
      n += rows;
      ctx.progress(n, total, 'samples');
    }
    const mean = sum / n;
    const se = Math.sqrt(Math.max(sumSq / n - mean * mean, 0) / (n - 1));
    // When u = ±v (always at d = 1) every sample is ±1 and the standard error is 0: the comparison is then exact, up to the
    // round-off of (2/π)·arcsin(±1) (ROUNDOFF_SE).
    const error = Math.abs(mean - predicted) / Math.max(se, ROUNDOFF_SE);
    return {
      predicted,
      observed: mean,
      error,
      allowed: Z_ALLOWED,
      metric: 'z-score',
      details: { overlap, standardError: se, samples: n },
    };
  },
});
