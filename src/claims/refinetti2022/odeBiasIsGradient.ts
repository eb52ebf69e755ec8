import { SkipClaim } from '../../core/errors.ts';
import { resolveActivation } from '../../theory/refinetti2022/odeActivation.ts';
import { kappaOf, orderParametersFromState } from '../../theory/refinetti2022/orderParameters.ts';
import { testError } from '../../theory/refinetti2022/testError.ts';
import { createVectorField } from '../../theory/refinetti2022/vectorField.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { centralGradient } from './centralGradient.ts';

/**
 * Allowed relative difference between (da, db, dβ) and −η ∇ε. With a bias every smooth-activation integral is a
 * 120-point Gauss–Hermite quadrature of an entire function (erf, its derivatives and polynomials against a Gaussian),
 * accurate to ≤ 3e-10 for Q ≤ 8 (the states drawn here have Q ≲ 6); ReLU's are the conditional Gaussian in closed
 * form and a split 1-D rule (≤ 3e-13). So the Stein identities hold to that level; central differences add
 * O(h²) ≈ 1e-10: 1e-6.
 */
const ALLOWED = 1e-6;

/** η of the comparison (the identity is linear in η). */
const LEARNING_RATE = 0.7;

const domain = {
  activation: { kind: 'choice', values: ['linear', 'erf', 'relu'] as const, doc: 'activation g' },
  hidden: { kind: 'int', min: 1, max: 3, doc: 'hidden units K' },
  directions: { kind: 'int', min: 4, max: 8, doc: 'directions n (> K)' },
  biasScale: { kind: 'float', min: 0.01, max: 2, doc: 'std of the random biases β', log: true },
  seed: { kind: 'seed', doc: 'seed of the state and eigenvalues' },
} as const;

/** The field under test: how its bias is treated ('trained' for the claim). */
interface BiasDeps {
  biasMode: 'trained' | 'fixed';
}

function measureWith(deps: BiasDeps): MeasureFn<typeof domain, { dim: number }> {
  return (params, ctx) => {
    const { hidden: K, directions: n } = params;
    if (n <= K) throw new SkipClaim('needs n > K');
    const D = ctx.sizes.dim;
    const rng = ctx.rng.fork(params.seed);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = (0.05 + rng.uniform()) * D;
    const spectrum = { dim: D, values };
    const a = new Float64Array(K * n);
    const b = new Float64Array(K * n);
    const beta = new Float64Array(K);
    rng.fillNormal(a, 0, a.length, 0.6);
    rng.fillNormal(b, 0, b.length, 0.5);
    rng.fillNormal(beta, 0, K, params.biasScale);
    const activation = resolveActivation(params.activation);
    const eta = LEARNING_RATE;
    const eps = () =>
      testError({
        ...orderParametersFromState({ hidden: K, directions: n, a, b }, spectrum),
        traceOmegaOverD: 2,
        activation,
        bias: beta,
      });
    const field = createVectorField({
      hidden: K,
      directions: n,
      kappa: kappaOf(spectrum),
      activation,
      rule: 'vanilla',
      learningRate: eta,
      bias: deps.biasMode,
    });
    const y = new Float64Array(field.size);
    y.set(a, 0);
    y.set(b, K * n);
    y.set(beta, 2 * K * n);
    const dy = new Float64Array(field.size);
    field.evaluate(y, dy);
    const predicted = centralGradient(eps, [a, b, beta]).map((g) => -eta * g);
    // Both parts are measured against the norm of the whole gradient, so their squares add up to the total.
    let den = 0;
    let numWeights = 0;
    let numBias = 0;
    for (let i = 0; i < predicted.length; i++) {
      den += predicted[i] ** 2;
      if (i < 2 * K * n) numWeights += (dy[i] - predicted[i]) ** 2;
      else numBias += (dy[i] - predicted[i]) ** 2;
    }
    const norm = Math.sqrt(Math.max(den, 1e-300));
    const part = (name: string, num: number, from: number, to: number, what: string) => ({
      name,
      observed: Math.hypot(...dy.subarray(from, to)),
      expected: Math.hypot(...predicted.subarray(from, to)),
      error: Math.sqrt(num) / norm,
      allowed: ALLOWED,
      metric: `‖${what} + η∇ε‖ / ‖η∇ε‖ (observed, expected: the part's norms)`,
    });
    return {
      checks: [
        part('weights-drift-is-gradient', numWeights, 0, 2 * K * n, '(da, db)'),
        part('bias-drift-is-gradient', numBias, 2 * K * n, 2 * K * n + K, 'dβ'),
      ],
      details: { dBeta: Array.from(dy.subarray(2 * K * n)), gradientNorm: norm / eta },
    };
  };
}

/**
 * With a trained encoder bias (β = b/√D, learning rate η on b), the vanilla ODE of (a, b, β) is still the gradient
 * flow of ε: (da, db, dβ)/dt = −η ∇ε(a, b, β), where ε comes from the test-error formula with biased local fields.
 */
export const odeBiasIsGradient = defineClaim({
  id: 'refinetti2022.ode-bias-is-gradient',
  paper: 'refinetti2022',
  title: 'With a trained encoder bias, the vanilla ODE is −η ∇ε over (a, b, β)',
  statement:
    'For a network with a trained encoder bias (pre-activation w·x/√D + β, docs/theory-refinetti2022.md (E1), (E3)), the vector-form ODE extended with dβ_k/dt = η[R^{kk} E g″(λ^k) − Σ_a T0^{ka} E g′(λ^k) g(λ^a)] equals −η times the finite-difference gradient of ε(a, b, β) computed from the biased test-error formula, for linear, erf and ReLU activations (ReLU: E g″ is the density of λ^k at 0, E g′(λ^k) g(λ^a) a truncated-Gaussian moment).',
  source: {
    paper: 'refinetti2022',
    where: 'docs/theory-refinetti2022.md (E1), (E3) (bias scaling), (E12) bias equation, (E13), (E19)',
    confidence: 'DERIVED',
    note: 'the authors have no bias ODEs (docs/theory-refinetti2022.md (K8)); derived here with Stein on the centred fields',
  },
  kind: 'numerical',
  domain,
  defaults: { activation: 'erf', hidden: 2, directions: 5, biasScale: 0.8, seed: 4 },
  tolerance: {
    description: `relative error ≤ ${ALLOWED}`,
    reason: 'integrals ≤ 1e-9 (Gauss–Hermite; ReLU ≤ 3e-15) plus central differences O(h²)',
  },
  budget: { quick: { runs: 8, sizes: { dim: 50 } }, paper: { runs: 40, sizes: { dim: 500 } } },
  measure: measureWith({ biasMode: 'trained' }),
  controls: [
    {
      name: 'bias-not-trained',
      description: 'the field with the bias held fixed (dβ/dt = 0), while ε still depends on β',
      measure: measureWith({ biasMode: 'fixed' }),
      catches: ['bias-drift-is-gradient'],
    },
  ],
});
