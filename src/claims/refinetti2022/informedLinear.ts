import { EPS64 } from '../../core/tolerance.ts';
import type { IntegralActivation } from '../../theory/refinetti2022/integrals.ts';
import { createVectorField } from '../../theory/refinetti2022/vectorField.ts';
import { resolveActivation } from '../../theory/refinetti2022/odeActivation.ts';
import { kappaOf, orderParametersFromState } from '../../theory/refinetti2022/orderParameters.ts';
import { pcaError } from '../../theory/refinetti2022/pcaError.ts';
import { testError } from '../../theory/refinetti2022/testError.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { closeTo } from '../support/checks.ts';

/** Allowed |ε − ε_PCA(K)| and ‖RHS‖ in units of ε(0)·EPS64: sums over D ≤ 1000 terms of O(1) round-off each. */
const ULPS = 1e4;

const domain = {
  hidden: { kind: 'int', min: 1, max: 6, doc: 'hidden units K' },
  dim: { kind: 'int', min: 6, max: 1000, doc: 'input dimension D (all D directions listed)' },
  seed: { kind: 'seed', doc: 'seed of the spectrum' },
} as const;

/** The state under test: the activation and the first eigenvector used (0: the top K, the informed solution). */
interface InformedDeps {
  activation: IntegralActivation;
  firstDirection: number;
}

function measureWith(deps: InformedDeps): MeasureFn<typeof domain, Record<string, never>> {
  return (params, ctx) => {
    const { hidden: K, dim: D } = params;
    const rng = ctx.rng.fork(params.seed);
    const values = new Float64Array(D);
    for (let i = 0; i < D; i++) values[i] = rng.uniform() * (i < K ? D : 1);
    values.sort().reverse();
    const spectrum = { dim: D, values };
    const a = new Float64Array(K * D);
    for (let k = 0; k < K; k++) a[k * D + k + deps.firstDirection] = 1;
    const state = { hidden: K, directions: D, a, b: Float64Array.from(a) };
    const op = orderParametersFromState(state, spectrum);
    let trace = 0;
    for (const v of values) trace += v;
    const eps = testError({ ...op, traceOmegaOverD: trace / D, activation: deps.activation });
    const predicted = pcaError({ spectrum, components: K });
    const field = createVectorField({
      hidden: K,
      directions: D,
      kappa: kappaOf(spectrum),
      activation: resolveActivation(deps.activation),
      rule: 'vanilla',
      learningRate: 1,
    });
    const y = new Float64Array(field.size);
    y.set(a, 0);
    y.set(a, K * D);
    const dy = new Float64Array(field.size);
    field.evaluate(y, dy);
    let rhs = 0;
    for (const v of dy) rhs = Math.max(rhs, Math.abs(v));
    const atol = ULPS * EPS64 * Math.max(0.5 * (trace / D), 1);
    return {
      checks: [
        closeTo('pca-error', eps, predicted, { atol, metric: '|ε − ε_PCA(K)|' }),
        closeTo('fixed-point', rhs, 0, { atol, metric: 'max |RHS| (η = 1)' }),
      ],
      details: { rhsMax: rhs, epsilonMinusPca: eps - predicted },
    };
  };
}

/**
 * The informed linear solution w^k = e_k, v^k = √D e_k (a_τ^k = b_τ^k = δ_{kτ}) has ε = ε_PCA(K) exactly and is a fixed
 * point of the vanilla ODE (docs/theory-refinetti2022.md (E6) "informed" solution, (E13), (E15)).
 */
export const informedLinear = defineClaim({
  id: 'refinetti2022.informed-linear-pca',
  paper: 'refinetti2022',
  title: 'The informed linear autoencoder has ε = ε_PCA(K) and is a fixed point',
  statement:
    'For linear g, the informed weights w^k = e_k, v^k = √D e_k (top-K eigenvectors) give ε = ε_PCA(K) exactly, and the vanilla vector-form right-hand side vanishes there.',
  source: {
    paper: 'refinetti2022',
    where: 'docs/theory-refinetti2022.md (E6) informed solution, (E13), (E15)',
    confidence: 'DERIVED',
  },
  kind: 'exact',
  domain,
  defaults: { hidden: 5, dim: 500, seed: 1 },
  tolerance: { description: `≤ ${ULPS}·EPS64·ε(0)`, reason: 'exact identity up to round-off of sums over D terms' },
  budget: { quick: { runs: 20, sizes: {} }, paper: { runs: 100, sizes: {} } },
  measure: measureWith({ activation: 'linear', firstDirection: 0 }),
  controls: [
    {
      name: 'next-eigenvectors',
      description: 'the weights on eigenvectors 2..K+1 instead of 1..K (an off-by-one in the informed state)',
      measure: measureWith({ activation: 'linear', firstDirection: 1 }),
      catches: ['pca-error'],
    },
    {
      name: 'erf-activation',
      description: 'the informed state with erf instead of linear g: not PCA, and not a fixed point',
      measure: measureWith({ activation: 'erf', firstDirection: 0 }),
      catches: ['pca-error', 'fixed-point'],
    },
  ],
});
