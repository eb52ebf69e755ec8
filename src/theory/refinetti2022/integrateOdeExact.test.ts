import { describe, expect, test } from 'vitest';
import { DivergenceError, ValidationError } from '../../core/errors.ts';
import { LOGISTIC_DIM, LOGISTIC_ETA, LOGISTIC_RHO, logisticOde } from '../../testing/logisticOde.ts';
import { integrateOde } from './integrateOde.ts';

/**
 * An exactly solvable case of the vector-form ODE (docs/theory-refinetti2022.md (E12)): one linear unit (K = 1) and one
 * direction (n = 1, κ = ρ/D) with a = b = x. Then Q = R = κx², T0 = x², and both equations reduce to
 * dx/dt = η κ x (1 − x²), so a = b for all t and x²(t) = 1 / (1 + (1/x0² − 1) e^{−2ηκt}) (logistic in x²).
 * ε = ½κ − R + ½ T0 Q = ½ κ (1 − x²)² ((E7) for linear g, TrΩ/D = κ).
 */
const ETA = LOGISTIC_ETA;
const D = LOGISTIC_DIM;
const RHO = LOGISTIC_RHO; // κ = 0.8
const KAPPA = RHO / D;
const X0 = 0.2;

function exactX(t: number): number {
  return 1 / Math.sqrt(1 + (1 / (X0 * X0) - 1) * Math.exp(-2 * ETA * KAPPA * t));
}

function logistic(x0 = X0) {
  return logisticOde(x0);
}

describe('integrateOde against the exact logistic solution (K = 1, n = 1, linear, a = b)', () => {
  const times = [0, 0.5, 1, 3, 8];

  test.each([
    ['adaptive', 1e-12, 1e-10],
    ['rosenbrock', 1e-11, 1e-9],
    ['auto', 1e-12, 1e-10],
  ] as const)(
    '%s at tolerance %s: a, b, ε and the order parameters within %s of the exact solution',
    (method, tolerance, allowed) => {
      const r = integrateOde({ ...logistic(), times, method, tolerance });
      expect(r.times).toEqual(times);
      times.forEach((t, i) => {
        const x = exactX(t);
        expect(Math.abs(r.states[i].a[0] - x)).toBeLessThan(allowed);
        expect(Math.abs(r.states[i].b[0] - x)).toBeLessThan(allowed);
        expect(Math.abs(r.error[i] - 0.5 * KAPPA * (1 - x * x) ** 2)).toBeLessThan(allowed);
        expect(Math.abs(r.orderParameters[i].Q[0] - KAPPA * x * x)).toBeLessThan(allowed);
        expect(Math.abs(r.orderParameters[i].T0[0] - x * x)).toBeLessThan(allowed);
      });
      // The run has left the plateau and nearly converged: x(8) ≈ 1.
      expect(exactX(8)).toBeGreaterThan(0.99);
    },
  );

  test("'auto' switches to RODAS4 once the solution has converged (Dormand–Prince then limited by stability)", () => {
    // Near the fixed point x = 1 the accuracy allows any step, but DP5's stability does not (the mode decays at rate
    // 2ηκ ≈ 2.1): the stiffness test must switch, and the run then needs far fewer steps than Dormand–Prince alone.
    // Measured: a switch at t ≈ 52, 106 steps against 382.
    const times = [0, 5, 50, 500];
    const auto = integrateOde({ ...logistic(), times, method: 'auto', tolerance: 1e-9 });
    const dp = integrateOde({ ...logistic(), times, method: 'adaptive', tolerance: 1e-9 });
    expect(auto.stats.switchedAt).toBeGreaterThan(5);
    expect(auto.stats.switchedAt).toBeLessThan(500);
    expect(dp.stats.switchedAt).toBeUndefined();
    expect(dp.stats.jacobians).toBeUndefined();
    expect(auto.stats.jacobians).toBeGreaterThan(0);
    expect(auto.stats.factorizations).toBeGreaterThanOrEqual(auto.stats.jacobians ?? 0);
    expect(auto.stats.steps).toBeLessThan(dp.stats.steps / 2);
    times.forEach((t, i) => {
      expect(Math.abs(auto.states[i].a[0] - exactX(t))).toBeLessThan(1e-8);
    });
  });

  test('RK4 converges at order 4: halving h divides the error at t = 4 by about 16 (within [14, 18])', () => {
    const err = (step: number) => {
      const r = integrateOde({ ...logistic(), times: [4], method: 'rk4', step });
      return Math.abs(r.states[0].a[0] - exactX(4));
    };
    // Measured: errors 1.8e-7, 1.1e-8, 6.4e-10 (ratios 17.2 and 16.6; at h = 0.4 and 0.2 the ratio is still 22 and 19,
    // before the asymptotic regime). Order 3 would give 8, order 5 32.
    const e1 = err(0.1);
    const e2 = err(0.05);
    const e3 = err(0.025);
    expect(e3).toBeGreaterThan(1e-11); // far above round-off, so the ratios measure truncation
    for (const ratio of [e1 / e2, e2 / e3]) {
      expect(ratio).toBeGreaterThan(14);
      expect(ratio).toBeLessThan(18);
    }
  });

  test('RK4 with a step that does not divide the output times lands exactly on them', () => {
    const r = integrateOde({ ...logistic(), times: [0.25, 1], method: 'rk4', step: 0.1 });
    expect(r.times).toEqual([0.25, 1]);
    // 0.25 = 2 steps + a last one of 0.05; then 0.75 = 7 steps + 0.05: 3 + 8 = 11 steps, 4 evaluations each.
    expect(r.stats.steps).toBe(11);
    expect(r.stats.evaluations).toBe(44);
    // RK4's error at h = 0.1 is of order 1e-7 here (see the order test above).
    expect(Math.abs(r.states[1].a[0] - exactX(1))).toBeLessThan(1e-6);
  });

  test('Dormand–Prince counts: 2 evaluations for the first step estimate, then 6 per attempt (first same as last)', () => {
    const r = integrateOde({ ...logistic(), times: [1, 5], tolerance: 1e-9 });
    expect(r.stats.evaluations).toBe(2 + 6 * (r.stats.steps + r.stats.rejected));
    // With a given first step there is no estimate: 1 evaluation of f(y0), then 6 per attempt.
    const s = integrateOde({ ...logistic(), times: [1, 5], tolerance: 1e-9, step: 0.01 });
    expect(s.stats.evaluations).toBe(1 + 6 * (s.stats.steps + s.stats.rejected));
    expect(Math.abs(s.states[1].a[0] - exactX(5))).toBeLessThan(1e-7);
  });

  test('a looser tolerance takes fewer steps and a larger error, still bounded by the tolerance times a modest factor', () => {
    const loose = integrateOde({ ...logistic(), times: [5], tolerance: 1e-5 });
    const tight = integrateOde({ ...logistic(), times: [5], tolerance: 1e-10 });
    expect(loose.stats.steps).toBeLessThan(tight.stats.steps);
    expect(Math.abs(loose.states[0].a[0] - exactX(5))).toBeLessThan(1e-3);
    expect(Math.abs(tight.states[0].a[0] - exactX(5))).toBeLessThan(1e-8);
  });

  test('progress is called with (t, t_end, "ode"), t rising to t_end', () => {
    const calls: [number, number, string | undefined][] = [];
    integrateOde({
      ...logistic(),
      times: [0.5, 2],
      tolerance: 1e-8,
      progress: (t, end, label) => calls.push([t, end, label]),
    });
    expect(calls.length).toBeGreaterThan(2);
    for (let i = 1; i < calls.length; i++) expect(calls[i][0]).toBeGreaterThan(calls[i - 1][0]);
    expect(calls[calls.length - 1]).toEqual([2, 2, 'ode']);
    expect(calls.every(([, end, label]) => end === 2 && label === 'ode')).toBe(true);
  });

  test('an explicit TrΩ/D shifts every ε by half its difference from the default (Σρ/D over the listed directions)', () => {
    const base = integrateOde({ ...logistic(), times: [0, 2], tolerance: 1e-10 });
    const shifted = integrateOde({ ...logistic(), times: [0, 2], tolerance: 1e-10, traceOmegaOverD: KAPPA + 0.6 });
    for (let i = 0; i < 2; i++) expect(shifted.error[i] - base.error[i]).toBeCloseTo(0.3, 12);
  });

  test('the returned states are copies: later changes to the input or to one output leave the others alone', () => {
    const input = logistic();
    const r = integrateOde({ ...input, times: [0, 0, 1], tolerance: 1e-9 });
    expect(r.states[0].a).not.toBe(input.initial.a);
    input.initial.a[0] = 7;
    r.states[0].a[0] = 9;
    expect(r.states[1].a[0]).toBe(X0);
    expect(r.states[2].a[0]).toBeCloseTo(exactX(1), 7);
  });

  test('a fixed bias stays fixed and changes ε; a trained one moves', () => {
    const bias = Float64Array.from([0.4]);
    const withBias = { ...logistic(), initial: { ...logistic().initial, bias } };
    const fixed = integrateOde({ ...withBias, times: [0, 2], tolerance: 1e-9 });
    expect(Array.from(fixed.states[1].bias ?? [])).toEqual([0.4]);
    // Linear g with bias: ε gains ½ T0 β² at t = 0 (x0² · 0.16 / 2 = 0.0032).
    const free = integrateOde({ ...logistic(), times: [0, 2], tolerance: 1e-9 });
    expect(fixed.error[0] - free.error[0]).toBeCloseTo(0.5 * X0 * X0 * 0.16, 14);
    expect(free.states[1].bias).toBeUndefined();
    const trained = integrateOde({ ...withBias, times: [0, 2], tolerance: 1e-9, trainBias: true });
    // dβ/dt = −η T0 β for linear g: β falls.
    expect(trained.states[1].bias?.[0]).toBeLessThan(0.39);
    expect(trained.states[1].bias?.[0]).toBeGreaterThan(0);
    for (const method of ['rk4', 'rosenbrock', 'auto'] as const) {
      const r = integrateOde({ ...withBias, times: [0, 1], method, step: 0.05, tolerance: 1e-9 });
      expect(Array.from(r.states[1].bias ?? [])).toEqual([0.4]);
    }
  });
});

describe('integrateOde input checks and divergence', () => {
  const base = { ...logistic(), times: [1] };
  const message = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      return (e as Error).message;
    }
    throw new Error('no error thrown');
  };

  test.each([
    [{ learningRate: -1 }, /learningRate: received -1/],
    [{ learningRate: Number.POSITIVE_INFINITY }, /learningRate/],
    [{ rule: 'sequential' }, /rule: received "?sequential/],
    [{ times: [] }, /times/],
    [{ times: [1, -0.5] }, /times\.1: received -0\.5/],
    [
      { times: [0, 2, 1] },
      /times\[2\]: received 1, expected a time ≥ times\[1\] = 2 \(non-decreasing\).*sort the output times/,
    ],
    [{ method: 'stiff' }, /method/],
    [{ tolerance: 0.5 }, /tolerance: received 0\.5.*fix: use e\.g\. 1e-8/],
    [{ tolerance: 0 }, /tolerance.*fix: use e\.g\. 1e-8/],
    [{ step: 0 }, /step: received 0/],
    [{ maxSteps: 1.5 }, /maxSteps/],
    [{ traceOmegaOverD: Number.NaN }, /traceOmegaOverD/],
    [{ tied: true }, /tied: received true, expected false/],
    [
      { method: 'rosenbrock', trainBias: true },
      /method: received "?rosenbrock"?, expected 'adaptive' or 'rk4' when trainBias/,
    ],
    [{ method: 'auto', trainBias: true }, /method: received "?auto/],
    [
      { spectrum: { dim: D, values: Float64Array.from([-1]) } },
      /spectrum\.values\[0\]: received -1, expected a finite eigenvalue ≥ 0/,
    ],
    [{ spectrum: { dim: D, values: Float64Array.from([Number.NaN]) } }, /spectrum\.values\[0\]/],
    [{ spectrum: { dim: D, values: Float64Array.from([Number.POSITIVE_INFINITY]) } }, /spectrum\.values\[0\]/],
    [{ spectrum: { dim: D, values: Float64Array.from([1, 2]) } }, /spectrum\.values.*length 2/],
    [
      { initial: { hidden: 1, directions: 1, a: Float64Array.from([Number.NaN]), b: Float64Array.from([0]) } },
      /initial\.a\[0\]/,
    ],
  ])('%o: a ValidationError naming the field', (edit, pattern) => {
    expect(message(() => integrateOde({ ...base, ...(edit as object) }))).toMatch(pattern);
  });

  test('accepted: a trained bias with adaptive or rk4, tolerance 1e-2, equal times, t = 0 only, zero eigenvalues', () => {
    const bias = { initial: { ...base.initial, bias: Float64Array.from([0.1]) }, trainBias: true };
    expect(() => integrateOde({ ...base, ...bias, method: 'adaptive' })).not.toThrow();
    expect(() => integrateOde({ ...base, ...bias, method: 'rk4' })).not.toThrow();
    expect(() => integrateOde({ ...base, tolerance: 1e-2 })).not.toThrow();
    expect(integrateOde({ ...base, times: [1, 1] }).times).toEqual([1, 1]);
    expect(integrateOde({ ...base, times: [0] }).stats.steps).toBe(0);
    expect(() => integrateOde({ ...base, spectrum: { dim: D, values: Float64Array.from([0]) } })).not.toThrow();
  });

  test('maxSteps: exactly maxSteps steps pass, one fewer allowed throws a DivergenceError on "steps"', () => {
    // RK4 with h = 0.1 to t = 1: 10 steps.
    const rk4 = { ...base, method: 'rk4' as const, step: 0.1 };
    expect(integrateOde({ ...rk4, maxSteps: 10 }).stats.steps).toBe(10);
    expect(() => integrateOde({ ...rk4, maxSteps: 9 })).toThrow(DivergenceError);
    expect(() => integrateOde({ ...rk4, maxSteps: 9 })).toThrow(/steps = 10/);
    const steps = integrateOde({ ...base, tolerance: 1e-9 }).stats.steps;
    expect(integrateOde({ ...base, tolerance: 1e-9, maxSteps: steps }).stats.steps).toBe(steps);
    expect(() => integrateOde({ ...base, tolerance: 1e-9, maxSteps: steps - 1 })).toThrow(/steps = /);
  });

  test('blow-up: RK4 beyond its stability region names the diverging quantity and the run config', () => {
    const f = () => integrateOde({ ...base, learningRate: 1e3, method: 'rk4', step: 1, times: [200] });
    expect(f).toThrow(DivergenceError);
    expect(f).toThrow(/(a \(encoder projection\)|b \(decoder projection\)|epsilon) = .*"method":\s*"rk4"/s);
  });
});
