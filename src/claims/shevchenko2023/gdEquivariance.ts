import { haarOrthogonal } from '../../core/linalg.ts';
import { matmul, transpose } from '../../core/matrix.ts';
import { EPS64 } from '../../core/tolerance.ts';
import { DEFAULT_PGD_LEARNING_RATE, projectedGd } from '../../sim/shevchenko2023/projectedGd.ts';
import { defineClaim, type MeasureContext } from '../claim.ts';
import { atLeast, closeTo } from '../support/checks.ts';
import { gaussianStart, lossAndGradientNorm, type ProjectedGdFn } from './gdSetup.ts';
import { noOpProjectedGd } from './noOpOptimisers.ts';
import { requireFloat64 } from './requireFloat64.ts';

/** Round-off grows with the steps: about 1e-10 × steps is allowed; float64 gives ~1e3·ε64 per step here. */
const PER_STEP_TOLERANCE = 1e-10;
/**
 * Sufficient decrease: after t ≥ 1 steps of size η the risk fell by at least ½·η‖∇L(θ₀)‖²/d (Armijo's condition with
 * c = ½ on the first step's linear model), with a shortfall of up to ¼ of the model allowed. Measured: the fall is
 * ≥ 0.47 of η‖∇L(θ₀)‖²/d over 480 starts (d = 2–20, r = 0.25–3, 1–40 steps; the worst is d = 2, r = 3 after one
 * step), so the check passes when the fall is ≥ ¼ of the model and a GD that does not move fails at twice the slack.
 */
const ARMIJO_FRACTION = 0.5;
const ARMIJO_SLACK = 0.25;

function measureWith(deps: { gd: ProjectedGdFn }) {
  return (params: { dim: number; rate: number; steps: number; seed: number }, ctx: MeasureContext<unknown>) => {
    requireFloat64(ctx.kernels.precision);
    const rng = ctx.rng.fork(params.seed);
    const { d, n, decoder: a0, encoder: b0 } = gaussianStart({ dim: params.dim, rate: params.rate, rng });
    const u = haarOrthogonal(d, rng);
    const plain = deps.gd({ decoder: a0, encoder: b0, iterations: params.steps, kernels: ctx.kernels });
    const rotated = deps.gd({
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
    const start = lossAndGradientNorm(a0, b0, ctx.kernels);
    const promised = (DEFAULT_PGD_LEARNING_RATE * start.gradientNormSquared) / d;
    const fall = plain.risk[0] - plain.risk[plain.risk.length - 1];
    return {
      checks: [
        closeTo('equivariance', dev, 0, {
          atol: Math.max(PER_STEP_TOLERANCE * params.steps, 1e3 * EPS64),
          metric: 'max |U A_t − A′_t|, |B_t Uᵀ − B′_t|',
        }),
        atLeast('descended', fall, ARMIJO_FRACTION * promised, ARMIJO_SLACK * promised),
      ],
      details: { d, n, steps: params.steps, riskFall: fall, firstStepModelFall: promised, startRisk: plain.risk[0] },
    };
  };
}

/** GD is rotation-equivariant: from (UA₀, B₀Uᵀ) it produces (UA_t, B_tUᵀ) at every step. */
export const gdEquivariance = defineClaim({
  id: 'shevchenko2023.gd-equivariance',
  paper: 'shevchenko2023',
  title: 'Projected GD is rotation-equivariant (learned features are a rotation taken at random)',
  statement:
    'For orthogonal U, projected GD started from (UA₀, B₀Uᵀ) gives (UA_t, B_tUᵀ) at every step, so under a Gaussian initialisation the law of the learned encoder is rotation invariant and nothing aligns it with the coordinate axes; and the GD compared really descends: after t ≥ 1 steps the risk fell by at least ¼·η‖∇L(θ₀)‖²/d (Armijo’s ½ less a ¼ slack).',
  source: {
    paper: 'shevchenko2023',
    where: 'docs/theory-shevchenko2023.md (S9), equivariance of GD',
    confidence: 'DER',
  },
  kind: 'exact',
  domain: {
    dim: { kind: 'int', min: 2, max: 20, doc: 'input dimension d' },
    rate: { kind: 'float', min: 0.25, max: 3, doc: 'r = n/d' },
    steps: { kind: 'int', min: 1, max: 40, doc: 'GD steps' },
    seed: { kind: 'seed', doc: 'seed of the initialisation and U' },
  },
  defaults: { dim: 12, rate: 2, steps: 20, seed: 9 },
  tolerance: {
    description: `max|U A_t − A'_t|, max|B_t Uᵀ − B'_t| ≤ ${PER_STEP_TOLERANCE}·steps; R₀ − R_t ≥ (${ARMIJO_FRACTION} − ${ARMIJO_SLACK})·η‖∇L(θ₀)‖²/d`,
    reason:
      'round-off accumulated over the steps; sufficient decrease: Armijo c = ½ with ¼ slack (measured ≥ 0.47 over the domain)',
  },
  budget: { quick: { runs: 8, sizes: {} }, paper: { runs: 40, sizes: {} } },
  measure: measureWith({ gd: projectedGd }),
  controls: [
    {
      name: 'no-op-optimiser',
      description: 'a GD that returns its start (trivially equivariant)',
      measure: measureWith({ gd: noOpProjectedGd }),
      catches: ['descended'],
    },
  ],
});
