import { createVectorField } from '../../theory/refinetti2022/vectorField.ts';
import { resolveActivation } from '../../theory/refinetti2022/odeActivation.ts';
import { kappaOf, orderParametersFromState } from '../../theory/refinetti2022/orderParameters.ts';
import { testError } from '../../theory/refinetti2022/testError.ts';
import { defineClaim } from '../claim.ts';

/** Central-difference step, relative to max(1, |x|). */
const FD_STEP = 1e-5;
/**
 * Allowed relative (Euclidean) difference between the right-hand side and −η ∇ε. Central differences err by
 * O(h²·ε''') ≈ 1e-10 and by round-off ≈ EPS64·ε/h ≈ 1e-11, relative to a gradient of order 1e-2..1: 1e-6.
 * Closed-form activations only: with a custom g the RHS and ε use Gauss–Hermite integrals that satisfy the Stein
 * identities only to the quadrature error, which for tanh reaches 3% at Q^{kk} = 5 with 24 points (sech² is narrow
 * against the Gaussian), so the comparison would test the quadrature, not the ODE.
 */
const ALLOWED = 1e-6;

/**
 * The vanilla vector field is −η times the gradient of ε(a, b) = testError(orderParameters(a, b)) with respect to the
 * projections (digest §3.5 iii: dw/dt = −η∇_w ε and dv/dt = −ηD∇_v ε become da/dt = −η ∂ε/∂a, db/dt = −η ∂ε/∂b).
 * Checked against central finite differences of the test-error formula (§3.2), an independent route to the same ODE.
 */
export const odeIsGradient = defineClaim({
  id: 'refinetti2022.ode-is-gradient',
  paper: 'refinetti2022',
  title: 'The vanilla ODE right-hand side equals −η ∇ε (finite differences of the test error)',
  statement:
    'For vanilla SGD, the vector-form right-hand side (da/dt, db/dt) equals −η times the gradient of ε(a, b) = ½TrΩ/D − Σ J2 + ½ Σ T0 I2 with respect to the projections a_τ^k, b_τ^k, computed by central finite differences of the test-error formula alone.',
  source: { paper: 'refinetti2022', where: '§3.2, §3.5 (iii)', confidence: 'DERIVED' },
  kind: 'numerical',
  domain: {
    activation: { kind: 'choice', values: ['linear', 'erf', 'relu'] as const, doc: 'activation g' },
    hidden: { kind: 'int', min: 1, max: 4, doc: 'hidden units K' },
    directions: { kind: 'int', min: 5, max: 10, doc: 'directions n (> K: Q full rank, where ReLU’s I2 is smooth)' },
    learningRate: { kind: 'float', min: 0.05, max: 2, doc: 'η', log: true },
    seed: { kind: 'seed', doc: 'seed of the state and eigenvalues' },
  },
  defaults: { activation: 'relu', hidden: 3, directions: 6, learningRate: 0.4, seed: 2 },
  tolerance: {
    description: `relative error ≤ ${ALLOWED}`,
    reason: 'central differences O(h²) plus round-off',
  },
  budget: { quick: { runs: 16, sizes: { dim: 50 } }, paper: { runs: 100, sizes: { dim: 500 } } },
  measure(params, ctx) {
    const { hidden: K, directions: n } = params;
    const D = Math.max(ctx.sizes.dim, n);
    const rng = ctx.rng.fork(params.seed);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = (0.05 + rng.uniform()) * D;
    const spectrum = { dim: D, values };
    const a = new Float64Array(K * n);
    const b = new Float64Array(K * n);
    rng.fillNormal(a, 0, a.length, 0.7);
    rng.fillNormal(b, 0, b.length, 0.5);
    const activation = resolveActivation(params.activation);
    const trace = 2;
    const eps = (aa: Float64Array, bb: Float64Array) =>
      testError({
        ...orderParametersFromState({ hidden: K, directions: n, a: aa, b: bb }, spectrum),
        traceOmegaOverD: trace,
        activation,
      });
    const field = createVectorField({
      hidden: K,
      directions: n,
      kappa: kappaOf(spectrum),
      activation,
      rule: 'vanilla',
      learningRate: params.learningRate,
    });
    const y = new Float64Array(field.size);
    y.set(a, 0);
    y.set(b, K * n);
    const dy = new Float64Array(field.size);
    field.evaluate(y, dy);
    let num = 0;
    let den = 0;
    for (const [arr, offset] of [
      [a, 0],
      [b, K * n],
    ] as const) {
      for (let i = 0; i < arr.length; i++) {
        const x = arr[i];
        const h = FD_STEP * Math.max(1, Math.abs(x));
        arr[i] = x + h;
        const up = eps(a, b);
        arr[i] = x - h;
        const down = eps(a, b);
        arr[i] = x;
        const grad = (up - down) / (2 * h);
        const predicted = -params.learningRate * grad;
        num += (dy[offset + i] - predicted) ** 2;
        den += predicted ** 2;
      }
    }
    const rel = Math.sqrt(num / Math.max(den, 1e-300));
    return {
      predicted: 0,
      observed: rel,
      error: rel,
      allowed: ALLOWED,
      metric: '‖RHS + η∇ε‖ / ‖η∇ε‖',
      details: { gradientNorm: Math.sqrt(den) / params.learningRate },
    };
  },
});
