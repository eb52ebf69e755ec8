import { normalQuantile } from '../../core/special.ts';
import { SHEPPARD_LINEAR_COEFFICIENT } from '../../theory/shevchenko2023/sheppard.ts';
import { defineClaim } from '../claim.ts';
import { unitVectorsWithOverlap } from './unitVectors.ts';

/** Family-wise false-failure probability per run; Bonferroni over the d coordinates gives the z threshold. */
const FAMILY_WISE_ALPHA = 1e-4;
/** Samples per kernel call. */
const CHUNK = 4096;

/**
 * E[x sign(u·x)] = √(2/π) u for x ~ N(0, I_d) and a unit vector u, measured through the kernel registry:
 * s = sign(X u) by `gemm` + `elementwise`, then Xᵀ s by `gemm` with a transpose.
 */
export const sheppardLinear = defineClaim({
  id: 'shevchenko2023.sheppard-linear',
  paper: 'shevchenko2023',
  title: 'E[x sign(u·x)] = √(2/π) u',
  statement:
    'For x ~ N(0, I_d) and a unit vector u, E[x sign(u·x)] = √(2/π) u; every coordinate of the Monte Carlo mean agrees within a Bonferroni-corrected z threshold.',
  source: { paper: 'shevchenko2023', where: '§3.1', confidence: 'DER' },
  kind: 'statistical',
  domain: {
    dim: { kind: 'int', min: 1, max: 65, doc: 'input dimension d' },
    vectorSeed: { kind: 'seed', doc: 'seed of u' },
  },
  defaults: { dim: 32, vectorSeed: 9 },
  tolerance: {
    description: `max_i z_i ≤ Φ⁻¹(1 − ${FAMILY_WISE_ALPHA}/(2d))`,
    reason:
      'Var(x_i sign(u·x)) = 1 − (2/π)u_i² is known exactly; Bonferroni over d coordinates keeps the run-level false-failure rate ≤ 1e-4',
  },
  budget: { quick: { runs: 10, sizes: { samples: 32_768 } }, paper: { runs: 50, sizes: { samples: 1_048_576 } } },
  measure(params, ctx) {
    const d = params.dim;
    const { u } = unitVectorsWithOverlap(d, 0, ctx.rng.fork(params.vectorSeed));
    const rng = ctx.rng.fork('samples');
    const x = new Float64Array(CHUNK * d);
    const acc = new Float64Array(d);
    const total = ctx.sizes.samples;
    let n = 0;
    while (n < total) {
      const rows = Math.min(CHUNK, total - n);
      const xs = x.subarray(0, rows * d);
      rng.fillNormal(xs);
      const s = ctx.kernels.elementwise({ op: 'sign', x: ctx.kernels.gemm({ m: rows, n: 1, k: d, a: xs, b: u }) });
      const part = ctx.kernels.gemm({ m: d, n: 1, k: rows, a: xs, b: s, transA: true });
      for (let i = 0; i < d; i++) acc[i] += part[i];
      n += rows;
      ctx.progress(n, total, 'samples');
    }
    let worst = 0;
    let worstIndex = 0;
    for (let i = 0; i < d; i++) {
      const expected = SHEPPARD_LINEAR_COEFFICIENT * u[i];
      const sd = Math.sqrt((1 - (2 / Math.PI) * u[i] * u[i]) / n);
      const z = Math.abs(acc[i] / n - expected) / sd;
      if (z > worst || Number.isNaN(z)) {
        worst = z;
        worstIndex = i;
      }
    }
    const allowed = normalQuantile(1 - FAMILY_WISE_ALPHA / (2 * d));
    return {
      predicted: SHEPPARD_LINEAR_COEFFICIENT * u[worstIndex],
      observed: acc[worstIndex] / n,
      error: worst,
      allowed,
      metric: 'max z-score over coordinates',
      details: { worstCoordinate: worstIndex, samples: n },
    };
  },
});
