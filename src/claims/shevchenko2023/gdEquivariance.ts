import { haarOrthogonal } from '../../core/linalg.ts';
import { requireFloat64 } from './requireFloat64.ts';
import { matmul, transpose } from '../../core/matrix.ts';
import { EPS64 } from '../../core/tolerance.ts';
import { gaussianMatrix } from '../../sim/shevchenko2023/constructions.ts';
import { projectedGd } from '../../sim/shevchenko2023/projectedGd.ts';
import { defineClaim } from '../claim.ts';

/** Round-off grows with the steps: the digest allows about 1e-10 × steps; float64 gives ~1e3·ε64 per step here. */
const PER_STEP_TOLERANCE = 1e-10;

/** GD is rotation-equivariant: from (UA₀, B₀Uᵀ) it produces (UA_t, B_tUᵀ) at every step. */
export const gdEquivariance = defineClaim({
  id: 'shevchenko2023.gd-equivariance',
  paper: 'shevchenko2023',
  title: 'Projected GD is rotation-equivariant (learned features are a rotation taken at random)',
  statement:
    'For orthogonal U, projected GD started from (UA₀, B₀Uᵀ) gives (UA_t, B_tUᵀ) at every step, so under a Gaussian initialisation the law of the learned encoder is rotation invariant and nothing aligns it with the coordinate axes.',
  source: { paper: 'shevchenko2023', where: '§3.4 "features learnt"; §5 item 19', confidence: 'DER' },
  kind: 'exact',
  domain: {
    dim: { kind: 'int', min: 2, max: 20, doc: 'input dimension d' },
    rate: { kind: 'float', min: 0.25, max: 3, doc: 'r = n/d' },
    steps: { kind: 'int', min: 1, max: 40, doc: 'GD steps' },
    seed: { kind: 'seed', doc: 'seed of the initialisation and U' },
  },
  defaults: { dim: 12, rate: 2, steps: 20, seed: 9 },
  tolerance: {
    description: `max|U A_t − A'_t|, max|B_t Uᵀ − B'_t| ≤ ${PER_STEP_TOLERANCE}·steps`,
    reason: 'round-off accumulated over the steps',
  },
  budget: { quick: { runs: 8, sizes: {} }, paper: { runs: 40, sizes: {} } },
  measure(params, ctx) {
    requireFloat64(ctx.kernels.precision);
    const d = params.dim;
    const n = Math.max(1, Math.round(params.rate * d));
    const rng = ctx.rng.fork(params.seed);
    const a0 = gaussianMatrix(d, n, rng, 1 / Math.sqrt(d));
    const b0 = gaussianMatrix(n, d, rng, 1 / Math.sqrt(d));
    const u = haarOrthogonal(d, rng);
    const plain = projectedGd({ decoder: a0, encoder: b0, iterations: params.steps, kernels: ctx.kernels });
    const rotated = projectedGd({
      decoder: matmul(u, a0),
      encoder: matmul(b0, transpose(u)),
      iterations: params.steps,
      kernels: ctx.kernels,
    });
    const ua = matmul(u, plain.decoder);
    const bu = matmul(plain.encoder, transpose(u));
    let dev = 0;
    ua.data.forEach((v, i) => {
      dev = Math.max(dev, Math.abs(v - rotated.decoder.data[i]));
    });
    bu.data.forEach((v, i) => {
      dev = Math.max(dev, Math.abs(v - rotated.encoder.data[i]));
    });
    return {
      predicted: 0,
      observed: dev,
      error: dev,
      allowed: Math.max(PER_STEP_TOLERANCE * params.steps, 1e3 * EPS64),
      metric: 'max deviation from equivariance',
      details: { d, n, steps: params.steps },
    };
  },
});
