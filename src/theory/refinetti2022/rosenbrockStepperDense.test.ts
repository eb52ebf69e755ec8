import { describe, expect, test } from 'vitest';
import { solve } from '../../core/linalg.ts';
import { matrix } from '../../core/matrix.ts';
import { createRng } from '../../core/rng.ts';
import { resolveActivation } from './odeActivation.ts';
import { createRosenbrockStepper } from './rosenbrockStepper.ts';
import { createVectorField, type VectorField } from './vectorField.ts';
import { smallRosenbrock } from '../../testing/smallRosenbrock.ts';

/**
 * One RODAS4 step computed the plain way, as a check of the stepper's structured linear algebra (the Woodbury solve
 * with the order-parameter coupling, `rosenbrockStepper.ts`): the Jacobian J of the right-hand side as a dense N × N
 * matrix by central differences of f itself, and each stage solved densely, (I/(hγ) − J) k_i = f(y + Σ_j a_ij k_j) +
 * Σ_j (c_ij/h) k_j. The stage coefficients are those of Hairer & Wanner's RODAS code (METH = 1, the transformed form
 * the stepper uses); that they make a method of order 4 is checked separately (the convergence-order tests and the
 * integrator-order claim), so here they are only the recipe shared by both computations.
 */
const GAMMA = 0.25;
const A = [
  [],
  [1.544],
  [0.9466785280815826, 0.2557011698983284],
  [3.314825187068521, 2.896124015972201, 0.9986419139977817],
  [1.221224509226641, 6.019134481288629, 12.53708332932087, -0.687886036105895],
];
const C = [
  [],
  [-5.6688],
  [-2.430093356833875, -0.2063599157091915],
  [-0.1073529058151375, -9.594562251023355, -20.47028614809616],
  [7.496443313967647, -10.24680431464352, -33.99990352819905, 11.7089089320616],
  [8.083246795921522, -7.981132988064893, -31.52159432874371, 16.31930543123136, -6.058818238834054],
];

function denseJacobian(field: VectorField, y: Float64Array): Float64Array {
  const N = y.length;
  const J = new Float64Array(N * N);
  const fp = new Float64Array(N);
  const fm = new Float64Array(N);
  const yp = Float64Array.from(y);
  for (let j = 0; j < N; j++) {
    const d = 1e-6 * Math.max(1, Math.abs(y[j]));
    yp[j] = y[j] + d;
    field.evaluate(yp, fp);
    yp[j] = y[j] - d;
    field.evaluate(yp, fm);
    yp[j] = y[j];
    for (let i = 0; i < N; i++) J[i * N + j] = (fp[i] - fm[i]) / (2 * d);
  }
  return J;
}

function denseRodas4(field: VectorField, y: Float64Array, h: number) {
  const N = y.length;
  const J = denseJacobian(field, y);
  const W = matrix(N, N);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) W.data[i * N + j] = (i === j ? 1 / (h * GAMMA) : 0) - J[i * N + j];
  const ks: Float64Array[] = [];
  const f = new Float64Array(N);
  let yt = Float64Array.from(y);
  for (let stage = 0; stage < 6; stage++) {
    if (stage > 0 && stage < 5) {
      yt = Float64Array.from(y);
      for (let j = 0; j < stage; j++) for (let i = 0; i < N; i++) yt[i] += A[stage][j] * ks[j][i];
    }
    if (stage === 5) for (let i = 0; i < N; i++) yt[i] += ks[4][i]; // the embedded solution, then the last stage
    field.evaluate(yt, f);
    const rhs = matrix(N, 1);
    for (let i = 0; i < N; i++) {
      let v = f[i];
      for (let j = 0; j < stage; j++) v += (C[stage][j] / h) * ks[j][i];
      rhs.data[i] = v;
    }
    ks.push(Float64Array.from(solve(W, rhs).data));
  }
  const ynew = Float64Array.from(yt, (v, i) => v + ks[5][i]);
  return { ynew, error: ks[5] };
}

/** One step of the stepper from y (a new point) and its largest difference from the dense step, with the state's scale. */
function stepAgainstDense(
  stepper: ReturnType<typeof createRosenbrockStepper>,
  field: VectorField,
  y: Float64Array,
  h: number,
) {
  const ynew = new Float64Array(field.size);
  const error = new Float64Array(field.size);
  expect(stepper.attempt(y, h, ynew, error, true)).toBe(true);
  const dense = denseRodas4(field, y, h);
  let dy = 0;
  for (let i = 0; i < field.size; i++) dy = Math.max(dy, Math.abs(ynew[i] - dense.ynew[i]));
  return { ynew, dy, scale: Math.max(...dense.ynew.map(Math.abs)) };
}

describe('one RODAS4 step: the structured solve equals a dense solve with a finite-difference Jacobian', () => {
  const cases = (['erf', 'relu'] as const).flatMap((activation) =>
    (['vanilla', 'truncated'] as const).flatMap((rule) =>
      [false, true].map((fixedBias) => ({ activation, rule, fixedBias })),
    ),
  );
  test.each(cases)('$activation, $rule, fixed bias $fixedBias', ({ activation, rule, fixedBias }) => {
    const K = 2;
    const n = 3;
    const kappa = Float64Array.from([2, 0.8, 0.3]);
    const eta = 1;
    const field = createVectorField({
      hidden: K,
      directions: n,
      kappa,
      activation: resolveActivation(activation),
      rule,
      learningRate: eta,
      bias: fixedBias ? 'fixed' : 'none',
    });
    const rng = createRng(41);
    const y = Float64Array.from({ length: field.size }, (_, i) =>
      i < 2 * K * n ? 0.5 * rng.normal() : 0.3 * rng.normal(),
    );
    const options = {
      field,
      hidden: K,
      directions: n,
      kappa,
      learningRate: eta,
      truncated: rule === 'truncated',
      fixedBias,
    };
    const stepper = createRosenbrockStepper(options);
    const control = createRosenbrockStepper({ ...options, jacobian: 'block-diagonal' });
    // Two step sizes from the same point: the second reuses the Jacobian and sets up the stage matrix again.
    for (const [h, newPoint] of [
      [0.6, true],
      [0.25, false],
    ] as const) {
      const ynew = new Float64Array(field.size);
      const error = new Float64Array(field.size);
      expect(stepper.attempt(y, h, ynew, error, newPoint)).toBe(true);
      const dense = denseRodas4(field, y, h);
      const scale = Math.max(...dense.ynew.map(Math.abs));
      const errScale = Math.max(...dense.error.map(Math.abs));
      let dy = 0;
      let de = 0;
      for (let i = 0; i < field.size; i++) {
        dy = Math.max(dy, Math.abs(ynew[i] - dense.ynew[i]));
        de = Math.max(de, Math.abs(error[i] - dense.error[i]));
      }
      // Both Jacobians are central differences. Measured: the steps agree to ≤ 2e-11 of the state's scale for erf, and
      // to ≤ 2e-9 for ReLU with a bias, whose coefficients come from a quadrature (their differences carry its error).
      expect(dy).toBeLessThan(1e-8 * scale);
      // The error estimate k6 is small, so relatively less precise: measured ≤ 3.2e-8 of its scale (ReLU with a bias).
      expect(de).toBeLessThan(1e-7 * errScale);
      // The fixed bias does not move.
      for (let i = 2 * K * n; i < field.size; i++) expect(ynew[i]).toBe(y[i]);
      // Control: without the coupling through the order parameters the step differs by ≥ 7e-5 of the scale at h = 0.6
      // (measured), far beyond the agreement above; at h = 0.25 the difference can be as small as 1.5e-6.
      const cy = new Float64Array(field.size);
      const ce = new Float64Array(field.size);
      expect(control.attempt(y, h, cy, ce, newPoint)).toBe(true);
      let dc = 0;
      for (let i = 0; i < field.size; i++) dc = Math.max(dc, Math.abs(cy[i] - dense.ynew[i]));
      if (h === 0.6) expect(dc).toBeGreaterThan(1e-5 * scale);
    }
    expect(stepper.stats.jacobians).toBe(1);
    expect(stepper.stats.factorizations).toBe(2);
    expect(stepper.stats.evaluations).toBe(12);
  });
});

describe('one RODAS4 step at the smallest sizes, K = 1 and n = 2', () => {
  // With K = 1 the diagonal scale of each order-parameter matrix is its one entry, and with 2Kn = 4 the a and b parts
  // are each two numbers: sizes where an index or a finite-difference step that is wrong by the entry's own size shows.
  test.each([false, true])('erf, vanilla, fixed bias %s: the structured step equals the dense one', (fixedBias) => {
    const kappa = Float64Array.from([2, 0.5]);
    const field = createVectorField({
      hidden: 1,
      directions: 2,
      kappa,
      activation: resolveActivation('erf'),
      rule: 'vanilla',
      learningRate: 1,
      bias: fixedBias ? 'fixed' : 'none',
    });
    const y = Float64Array.from([0.6, -0.4, 0.3, 0.5, 0.2].slice(0, field.size));
    const stepper = createRosenbrockStepper({
      field,
      hidden: 1,
      directions: 2,
      kappa,
      learningRate: 1,
      truncated: false,
      fixedBias,
    });
    const { ynew, dy, scale } = stepAgainstDense(stepper, field, y, 0.6);
    // Measured: ≤ 3.7e-13 of the state's scale (both Jacobians central differences, as above). A finite-difference step
    // of 1e-12 for Q^{11} (its floor: a step relative to |entry| − scale, which is 0 at K = 1) gives 4.3e-7 (measured).
    expect(dy).toBeLessThan(1e-10 * scale);
    if (fixedBias) expect(ynew[4]).toBe(y[4]);
  });
});

describe('one RODAS4 step where an order-parameter matrix is 0', () => {
  // The finite-difference step for an entry of Q, R or T0 is relative to |entry| + the matrix's mean |diagonal|. When
  // every b^k is κ-orthogonal to its a^k, R's diagonal is 0 (up to round-off: 7e-18 here), and at b = 0 so are R's and
  // T0's; the step would then fall to its floor, 1e-12, where round-off in the coefficients dominates the difference.
  // The stepper keeps each scale at least 0.1 × the largest of the three.
  test.each([
    ['erf', true],
    ['relu', true],
    ['erf', false],
    ['relu', false],
  ] as const)(
    '%s, K = 2, n = 3, b = 0: %s (else b^k ⟂ a^k, R = 0): the structured step equals the dense one',
    (activation, zeroB) => {
      const { field, stepper } = smallRosenbrock(activation);
      const a = [0.5, -0.3, 0.2, 0.1, 0.4, -0.6];
      // Σ_τ κ_τ b^k_τ a^k_τ = 0 for k = 1, 2 (0.09·1 − 0.072 − 0.018 = 0; −0.046 + 0.064 − 0.018 = 0).
      const b = zeroB ? [0, 0, 0, 0, 0, 0] : [0.09, 0.3, -0.3, -0.23, 0.2, 0.1];
      const y = Float64Array.from([...a, ...b]);
      const { dy, scale } = stepAgainstDense(stepper, field, y, 0.6);
      // Measured: 2.9e-13 and 1.5e-13 (b = 0), 5.1e-13 and 9.9e-14 (R = 0) of the state's scale. With the steps at
      // their floor (R = 0, erf) it was 2.7e-8.
      expect(dy).toBeLessThan(1e-11 * scale);
    },
  );
});
