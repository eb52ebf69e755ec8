import { SkipClaim } from '../../core/errors.ts';
import { resolveActivation } from '../../theory/refinetti2022/odeActivation.ts';
import { kappaOf, orderParametersFromState } from '../../theory/refinetti2022/orderParameters.ts';
import { testError } from '../../theory/refinetti2022/testError.ts';
import { createVectorField } from '../../theory/refinetti2022/vectorField.ts';
import { defineClaim } from '../claim.ts';

/** Central-difference step, relative to max(1, |x|). */
const FD_STEP = 1e-5;
/**
 * Allowed relative difference between (da, db, dβ) and −η ∇ε. With a bias every smooth-activation integral is a
 * 120-point Gauss–Hermite quadrature of an entire function (erf, its derivatives and polynomials against a Gaussian),
 * accurate to ≤ 3e-10 for Q ≤ 8 (the states drawn here have Q ≲ 6); ReLU's are the conditional Gaussian in closed
 * form and a split 1-D rule (≤ 3e-13). So the Stein identities hold to that level; central differences add
 * O(h²) ≈ 1e-10: 1e-6.
 */
const ALLOWED = 1e-6;

/**
 * With a trained encoder bias (β = b/√D, learning rate η on b), the vanilla ODE of (a, b, β) is still the gradient
 * flow of ε: (da, db, dβ)/dt = −η ∇ε(a, b, β), where ε comes from the test-error formula with biased local fields.
 */
export const odeBiasIsGradient = defineClaim({
  id: 'refinetti2022.ode-bias-is-gradient',
  paper: 'refinetti2022',
  title: 'With a trained encoder bias, the vanilla ODE is −η ∇ε over (a, b, β)',
  statement:
    'For a network with a trained encoder bias (pre-activation w·x/√D + β, digest §1.2), the vector-form ODE extended with dβ_k/dt = η[R^{kk} E g″(λ^k) − Σ_a T0^{ka} E g′(λ^k) g(λ^a)] equals −η times the finite-difference gradient of ε(a, b, β) computed from the biased test-error formula, for linear, erf and ReLU activations (ReLU: E g″ is the density of λ^k at 0, E g′(λ^k) g(λ^a) a truncated-Gaussian moment).',
  source: {
    paper: 'refinetti2022',
    where: '§1.2 (bias scaling), §3.5 (iii), §4c',
    confidence: 'DERIVED',
    note: 'the authors have no bias ODEs (§7.8); derived here with Stein on the centred fields',
  },
  kind: 'numerical',
  domain: {
    activation: { kind: 'choice', values: ['linear', 'erf', 'relu'] as const, doc: 'activation g' },
    hidden: { kind: 'int', min: 1, max: 3, doc: 'hidden units K' },
    directions: { kind: 'int', min: 4, max: 8, doc: 'directions n (> K)' },
    biasScale: { kind: 'float', min: 0.01, max: 2, doc: 'std of the random biases β', log: true },
    seed: { kind: 'seed', doc: 'seed of the state and eigenvalues' },
  },
  defaults: { activation: 'erf', hidden: 2, directions: 5, biasScale: 0.8, seed: 4 },
  tolerance: {
    description: `relative error ≤ ${ALLOWED}`,
    reason: 'integrals ≤ 1e-9 (Gauss–Hermite; ReLU ≤ 3e-15) plus central differences O(h²)',
  },
  budget: { quick: { runs: 8, sizes: { dim: 50 } }, paper: { runs: 40, sizes: { dim: 500 } } },
  measure(params, ctx) {
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
    const eta = 0.7;
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
      bias: 'trained',
    });
    const y = new Float64Array(field.size);
    y.set(a, 0);
    y.set(b, K * n);
    y.set(beta, 2 * K * n);
    const dy = new Float64Array(field.size);
    field.evaluate(y, dy);
    let num = 0;
    let den = 0;
    let numBias = 0;
    for (const [arr, offset] of [
      [a, 0],
      [b, K * n],
      [beta, 2 * K * n],
    ] as const) {
      for (let i = 0; i < arr.length; i++) {
        const x = arr[i];
        const h = FD_STEP * Math.max(1, Math.abs(x));
        arr[i] = x + h;
        const up = eps();
        arr[i] = x - h;
        const down = eps();
        arr[i] = x;
        const predicted = (-eta * (up - down)) / (2 * h);
        const d = (dy[offset + i] - predicted) ** 2;
        num += d;
        if (arr === beta) numBias += d;
        den += predicted ** 2;
      }
    }
    const rel = Math.sqrt(num / Math.max(den, 1e-300));
    return {
      predicted: 0,
      observed: rel,
      error: rel,
      allowed: ALLOWED,
      metric: '‖RHS + η∇ε‖ / ‖η∇ε‖ over (a, b, β)',
      details: {
        biasPartRelative: Math.sqrt(numBias / Math.max(den, 1e-300)),
        dBeta: Array.from(dy.subarray(2 * K * n)),
      },
    };
  },
});
