import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { createRng } from '../../core/rng.ts';
import { integrateOde } from './integrateOde.ts';
import { resolveActivation } from './odeActivation.ts';
import { randomOdeState } from './odeState.ts';
import { kappaOf, orderParametersInto } from './orderParameters.ts';
import { createRosenbrockStepper, RODAS4_ORDER } from './rosenbrockStepper.ts';
import { spikedSpectrum } from './spikedSpectrum.ts';
import { coefficientCount, createVectorField } from './vectorField.ts';

/** Sizes of the comparison problem: D = n = 40 distinct eigenvalues (no lumping), K = 3. */
const DIM = 40;
const HIDDEN = 3;
const LEARNING_RATE = 0.4;
/** Output times: the escape from the plateau, the approach to the fixed point and the stiff tail. */
const TIMES = [0, 1, 10, 100, 1000];
/** The Rosenbrock run's per-step tolerance, and the much tighter one of the Dormand–Prince reference. */
const STIFF_TOLERANCE = 1e-9;
const REFERENCE_TOLERANCE = 1e-12;
/** Global error allowed, in units of the per-step tolerance (empirical: the measured ratio is ≤ 3.4, see below). */
const GLOBAL_ERROR_FACTOR = 50;
/** At long times the stiff method should need at least this many times fewer steps than the explicit one. */
const STIFF_STEP_RATIO = 5;

/**
 * Three spikes on a bulk of distinct eigenvalues spread over [0.5, 1.5]·ρ_bulk, so that every direction is integrated on
 * its own and the bulk relaxes slowly (rate η κ_bulk) while the spikes' modes decay fast: a stiff problem at t ≫ 1.
 */
function stiffCase() {
  const spectrum = spikedSpectrum({ dim: DIM, spikes: [0.6, 0.25, 0.05], bulk: 0.02 });
  for (let i = 3; i < DIM; i++) spectrum.values[i] = 0.02 * (1.5 - (i - 3) / (DIM - 3));
  const initial = randomOdeState({
    hidden: HIDDEN,
    inputDim: DIM,
    directions: DIM,
    initialScale: 0.1,
    rng: createRng(3),
  });
  return { spectrum, initial };
}

function maxAbsDiff(x: Float64Array, y: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

describe('RODAS4 (method "rosenbrock") against Dormand–Prince 5(4) at tight tolerance', () => {
  const cases = (['linear', 'erf', 'relu'] as const).flatMap((activation) =>
    (['vanilla', 'truncated'] as const).map((rule) => [activation, rule] as const),
  );
  test.each(cases)(
    '%s, %s: ε(t) and the final state agree within the accumulated per-step tolerances',
    (activation, rule) => {
      const { spectrum, initial } = stiffCase();
      const base = { spectrum, activation, rule, learningRate: LEARNING_RATE, initial, times: TIMES };
      const reference = integrateOde({ ...base, tolerance: REFERENCE_TOLERANCE });
      const stiff = integrateOde({ ...base, method: 'rosenbrock', tolerance: STIFF_TOLERANCE });
      // Each accepted step commits a local error ≤ tol·(1 + |y|) (RMS over components). A worst-case bound on the
      // global error is √N (1 + max|y|) Σ_steps tol (N = state size, the flow taken non-expansive): ≈ 1e-5 here. The
      // errors measured are far smaller, ≤ 3.4·tol_stiff over these six cases (the dynamics are dissipative, errors
      // do not add up), so the check uses an empirical allowance of GLOBAL_ERROR_FACTOR·tol_stiff (≈ 15× margin) plus
      // the same for the reference; ε is quadratic in the state with O(1) coefficients (|y| ≤ 1): twice that.
      const last = TIMES.length - 1;
      const allowed = GLOBAL_ERROR_FACTOR * (STIFF_TOLERANCE + REFERENCE_TOLERANCE);
      for (let i = 0; i < TIMES.length; i++) {
        expect(Math.abs(stiff.error[i] - reference.error[i])).toBeLessThan(2 * allowed);
      }
      expect(maxAbsDiff(stiff.states[last].a, reference.states[last].a)).toBeLessThan(allowed);
      expect(maxAbsDiff(stiff.states[last].b, reference.states[last].b)).toBeLessThan(allowed);
      // Not a trivial agreement: ε moves by far more than the allowance.
      expect(reference.error[0] - reference.error[last]).toBeGreaterThan(1e3 * allowed);
    },
  );

  test('the stiff tail: at the same tolerance (1e-8) to t = 10⁴, RODAS4 takes far fewer steps than Dormand–Prince', () => {
    const { spectrum, initial } = stiffCase();
    const base = {
      spectrum,
      activation: 'erf' as const,
      rule: 'vanilla' as const,
      learningRate: LEARNING_RATE,
      initial,
    };
    const times = [0, 1e4];
    const explicit = integrateOde({ ...base, times, tolerance: 1e-8 });
    const stiff = integrateOde({ ...base, times, method: 'rosenbrock', tolerance: 1e-8 });
    // Measured: see the numbers printed on failure; the explicit step is bounded by stability (≈ 3.3/|λ_max|).
    expect(stiff.stats.steps * STIFF_STEP_RATIO, `${stiff.stats.steps} vs ${explicit.stats.steps}`).toBeLessThan(
      explicit.stats.steps,
    );
  });

  test.each(['vanilla', 'truncated'] as const)(
    "'auto' (erf, %s): switches to RODAS4 in the stiff tail and agrees with Dormand–Prince",
    (rule) => {
      const { spectrum, initial } = stiffCase();
      const base = {
        spectrum,
        activation: 'erf' as const,
        rule,
        learningRate: LEARNING_RATE,
        initial,
        times: [0, 1e4],
      };
      const reference = integrateOde({ ...base, tolerance: REFERENCE_TOLERANCE });
      const auto = integrateOde({ ...base, method: 'auto', tolerance: STIFF_TOLERANCE });
      expect(auto.stats.switchedAt).toBeGreaterThan(0);
      expect(auto.stats.switchedAt).toBeLessThan(1e4);
      expect(auto.stats.jacobians).toBeGreaterThan(0);
      const allowed = GLOBAL_ERROR_FACTOR * (STIFF_TOLERANCE + REFERENCE_TOLERANCE);
      expect(Math.abs(auto.error[1] - reference.error[1])).toBeLessThan(2 * allowed);
      expect(maxAbsDiff(auto.states[1].a, reference.states[1].a)).toBeLessThan(allowed);
      expect(maxAbsDiff(auto.states[1].b, reference.states[1].b)).toBeLessThan(allowed);
    },
  );

  test('a fixed encoder bias (ReLU): agrees with Dormand–Prince as well', () => {
    const { spectrum, initial } = stiffCase();
    const biased = { ...initial, bias: new Float64Array([0.2, -0.1, 0.05]) };
    const base = { spectrum, activation: 'relu' as const, rule: 'vanilla' as const, learningRate: LEARNING_RATE };
    const times = [0, 10, 100];
    const reference = integrateOde({ ...base, initial: biased, times, tolerance: REFERENCE_TOLERANCE });
    const stiff = integrateOde({ ...base, initial: biased, times, method: 'rosenbrock', tolerance: STIFF_TOLERANCE });
    const allowed = GLOBAL_ERROR_FACTOR * (STIFF_TOLERANCE + REFERENCE_TOLERANCE);
    for (let i = 0; i < times.length; i++)
      expect(Math.abs(stiff.error[i] - reference.error[i])).toBeLessThan(2 * allowed);
    expect(maxAbsDiff(stiff.states[2].a, reference.states[2].a)).toBeLessThan(allowed);
    expect(Array.from(stiff.states[2].bias ?? [])).toEqual([0.2, -0.1, 0.05]);
  });
});

describe('RODAS4 convergence order (fixed steps, exact structured Jacobian)', () => {
  test.each(['erf', 'relu'] as const)('%s, truncated: halving h divides the error at t = 4 by ≈ 2⁴', (activation) => {
    const spectrum = spikedSpectrum({ dim: 12, spikes: [0.6, 0.25], bulk: 0.2 });
    for (let i = 2; i < 12; i++) spectrum.values[i] = 0.2 * (1.5 - (i - 2) / 10);
    const initial = randomOdeState({ hidden: 2, inputDim: 12, directions: 12, initialScale: 0.3, rng: createRng(5) });
    const kappa = kappaOf(spectrum);
    const field = createVectorField({
      hidden: 2,
      directions: 12,
      kappa,
      activation: resolveActivation(activation),
      rule: 'truncated',
      learningRate: 1,
    });
    const horizon = 4;
    const reference = integrateOde({
      spectrum,
      activation,
      rule: 'truncated',
      learningRate: 1,
      initial,
      times: [horizon],
      tolerance: 1e-13,
    }).states[0];
    const errorWith = (steps: number, jacobian: 'exact' | 'block-diagonal' = 'exact'): number => {
      const stepper = createRosenbrockStepper({
        field,
        hidden: 2,
        directions: 12,
        kappa,
        learningRate: 1,
        truncated: true,
        fixedBias: false,
        jacobian,
      });
      const y = new Float64Array(field.size);
      y.set(initial.a);
      y.set(initial.b, initial.a.length);
      const ynew = new Float64Array(field.size);
      const err = new Float64Array(field.size);
      for (let s = 0; s < steps; s++) {
        expect(stepper.attempt(y, horizon / steps, ynew, err, true)).toBe(true);
        y.set(ynew);
      }
      return Math.max(
        maxAbsDiff(y.subarray(0, reference.a.length), reference.a),
        maxAbsDiff(y.subarray(reference.a.length), reference.b),
      );
    };
    const errors = [16, 32, 64].map((steps) => errorWith(steps));
    const orders = [Math.log2(errors[0] / errors[1]), Math.log2(errors[1] / errors[2])];
    // The asymptotic order is 4; at h = 1/4 … 1/16 the observed one was 3.74–3.99 (erf, ReLU), so ±0.35 leaves room
    // for the pre-asymptotic term and still tells order 4 from 3 (an inexact Jacobian lowers a Rosenbrock method's
    // order: W − J enters its order conditions from order 2 on).
    for (const p of orders) expect(Math.abs(p - RODAS4_ORDER)).toBeLessThan(0.35);
    // Negative control: without the coupling through the order parameters the same check fails (observed order
    // 1.92–1.97 for erf and ReLU: W − J enters the order conditions from order 2 on).
    const partial = [16, 32, 64].map((steps) => errorWith(steps, 'block-diagonal'));
    const partialOrders = [Math.log2(partial[0] / partial[1]), Math.log2(partial[1] / partial[2])];
    expect(Math.max(...partialOrders.map((p) => Math.abs(p - RODAS4_ORDER)))).toBeGreaterThan(0.35);
    // The reference (Dormand–Prince at 1e-13 per step) is far more accurate than the finest run.
    expect(errors[2]).toBeGreaterThan(1e2 * 1e-13);
  });
});

describe('the structure the Jacobian relies on', () => {
  test.each(['linear', 'erf', 'relu'] as const)('%s: the coefficients read R only on its diagonal', (activation) => {
    const K = 3;
    for (const bias of ['none', 'fixed'] as const) {
      const field = createVectorField({
        hidden: K,
        directions: 5,
        kappa: new Float64Array(5).fill(0.1),
        activation: resolveActivation(activation),
        rule: 'vanilla',
        learningRate: 1,
        bias,
      });
      const state = randomOdeState({ hidden: K, inputDim: 5, directions: 5, initialScale: 0.5, rng: createRng(9) });
      const Q = new Float64Array(K * K);
      const R = new Float64Array(K * K);
      const T0 = new Float64Array(K * K);
      orderParametersInto(K, 5, new Float64Array(5).fill(0.1), state.a, state.b, Q, R, T0);
      const beta = bias === 'fixed' ? new Float64Array([0.1, -0.2, 0.3]) : undefined;
      const before = new Float64Array(coefficientCount(K));
      const after = new Float64Array(coefficientCount(K));
      field.coefficients(Q, R, T0, beta, before);
      for (let k = 0; k < K; k++) for (let l = 0; l < K; l++) if (k !== l) R[k * K + l] += 0.37;
      field.coefficients(Q, R, T0, beta, after);
      expect(Array.from(after)).toEqual(Array.from(before));
      if (activation === 'erf') {
        // The diagonal does matter (through ψ_k = E[g''(λ^k) ν^k]; zero for linear g and, without a bias, for ReLU).
        R[0] += 0.01;
        field.coefficients(Q, R, T0, beta, after);
        expect(Array.from(after)).not.toEqual(Array.from(before));
      }
    }
  });

  test('a trained bias is refused with a ValidationError naming the method', () => {
    const { spectrum, initial } = stiffCase();
    const runOptions = () => ({
      spectrum,
      activation: 'erf' as const,
      rule: 'vanilla' as const,
      learningRate: LEARNING_RATE,
      initial: { ...initial, bias: new Float64Array(HIDDEN) },
      trainBias: true,
      times: [1],
    });
    const run = () => integrateOde({ ...runOptions(), method: 'rosenbrock' });
    expect(run).toThrow(ValidationError);
    expect(run).toThrow(/method/);
    expect(() => integrateOde({ ...runOptions(), method: 'auto' })).toThrow(/trainBias/);
    expect(() =>
      integrateOde({
        spectrum,
        activation: 'erf',
        rule: 'vanilla',
        learningRate: LEARNING_RATE,
        initial,
        times: [1],
        method: 'stiff' as 'rosenbrock',
      }),
    ).toThrow(/rosenbrock/);
  });
});
