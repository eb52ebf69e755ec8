import { describe, expect, test } from 'vitest';
import { DivergenceError, ValidationError } from '../../core/errors.ts';
import { integrateOde } from './integrateOde.ts';

/**
 * Behaviour of integrateOde that the fifth session's mutation run found unchecked: Hairer's first trial step, the
 * Rosenbrock set-up (Jacobian per accepted point, rule and fixed bias passed to the stepper), the defaults that appear
 * in outputs and errors, and the shapes of the recorded states.
 */

/** One linear unit, one direction, a = b = x: both equations are dx/dt = ηκ x (1 − x²) (see integrateOdeExact.test.ts). */
function logistic(x0: number, learningRate = 1.3, rho = 4, dim = 5) {
  return {
    spectrum: { dim, values: Float64Array.from([rho]) },
    activation: 'linear' as const,
    rule: 'vanilla' as const,
    learningRate,
    initial: { hidden: 1, directions: 1, a: Float64Array.from([x0]), b: Float64Array.from([x0]) },
  };
}

/**
 * Hairer, Nørsett & Wanner I, §II.4 ("automatic step size selection"), computed here for y = (x, x), f = (g, g) with
 * g(x) = ηκ x(1 − x²), in the RMS norm with atol = rtol = tol: d0 = ‖y‖, d1 = ‖f(y)‖, h0 = 0.01 d0/d1 (1e-6 if either is
 * below 1e-5), clipped to the first output time; d2 = ‖f(y + h0 f) − f(y)‖/h0; h1 = (0.01/max(d1, d2))^(1/5)
 * (max(1e-6, h0·1e-3) if max(d1, d2) ≤ 1e-15); the first trial step is min(100 h0, h1).
 */
function hairerFirstStep(x0: number, etaKappa: number, tol: number, tFirst: number): number {
  const g = (x: number) => etaKappa * x * (1 - x * x);
  const norm = (v: number) => Math.abs(v / (tol + tol * Math.abs(x0))); // both components equal: RMS = |component|
  const d0 = norm(x0);
  const d1 = norm(g(x0));
  let h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : (0.01 * d0) / d1;
  h0 = Math.min(h0, tFirst);
  const d2 = norm(g(x0 + h0 * g(x0)) - g(x0)) / h0;
  const h1 = Math.max(d1, d2) <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : (0.01 / Math.max(d1, d2)) ** (1 / 5);
  return Math.min(100 * h0, h1);
}

describe("the adaptive method's first trial step is Hairer's estimate", () => {
  // Each case is accepted at its first attempt, so the first progress call reports t = the first step.
  test.each([
    ['x0 = 0.2, ηκ = 1.04 (h1 from d1 binds)', 0.2, 1.3],
    ['x0 = 0.2, ηκ = 10.4 (d2 > d1 binds)', 0.2, 13],
    ['x0 = 1, a fixed point (d1 = d2 = 0: h = 1e-6)', 1, 1.3],
    ['x0 = 1e-14 (d0 and d1 < 1e-5: h0 = 1e-6, 100·h0 binds)', 1e-14, 1.3],
    ['x0 = 1e-14, ηκ = 104 (d0 < 1e-5 only: h0 = 1e-6)', 1e-14, 130],
  ])('%s', (_label, x0, eta) => {
    const tol = 1e-8;
    const seen: number[] = [];
    integrateOde({
      ...logistic(x0, eta),
      times: [1],
      tolerance: tol,
      progress: (t) => {
        seen.push(t);
      },
    });
    const expected = hairerFirstStep(x0, eta * 0.8, tol, 1);
    expect(seen[0] / expected).toBeCloseTo(1, 12);
  });
});

/** K = 2 erf units on n = 3 directions (D = 6), from a fixed non-symmetric start. */
function twoUnits(rule: 'vanilla' | 'truncated', bias?: Float64Array) {
  const K = 2;
  const n = 3;
  const a = new Float64Array(K * n);
  const b = new Float64Array(K * n);
  for (let i = 0; i < K * n; i++) {
    a[i] = 0.3 * Math.sin(1 + i);
    b[i] = 0.25 * Math.cos(2 + i);
  }
  return {
    spectrum: { dim: 6, values: Float64Array.from([3, 1.5, 0.7]) },
    activation: 'erf' as const,
    rule,
    learningRate: 1,
    initial: { hidden: K, directions: n, a, b, ...(bias ? { bias } : {}) },
    times: [0, 2, 20],
  };
}

function maxStateDiff(x: ReturnType<typeof integrateOde>, y: ReturnType<typeof integrateOde>): number {
  let m = 0;
  x.states.forEach((s, j) => {
    for (let i = 0; i < s.a.length; i++) {
      m = Math.max(m, Math.abs(s.a[i] - y.states[j].a[i]), Math.abs(s.b[i] - y.states[j].b[i]));
    }
  });
  return m;
}

describe("'rosenbrock' runs RODAS4 with the exact Jacobian of the run's rule and bias", () => {
  test.each([
    ['vanilla', undefined],
    ['vanilla', Float64Array.from([0.4, -0.2])],
    ['truncated', undefined],
  ] as const)('%s rule, bias %s: matches Dormand–Prince at 1e-12 within 1e-8, one Jacobian per point', (rule, bias) => {
    // A biased run uses quadratures (slow): it goes to t = 1 only.
    const times = bias ? [0, 1] : [0, 2, 20];
    const reference = integrateOde({ ...twoUnits(rule, bias), times, method: 'adaptive', tolerance: 1e-12 });
    const r = integrateOde({ ...twoUnits(rule, bias), times, method: 'rosenbrock', tolerance: 1e-8 });
    expect(maxStateDiff(r, reference)).toBeLessThan(1e-8);
    // RODAS4 evaluates the Jacobian once at every point it steps from (each accepted step's start).
    expect(r.stats.jacobians).toBe(r.stats.steps);
    expect(r.stats.factorizations).toBeGreaterThanOrEqual(r.stats.steps);
    if (bias) return;
    // Measured 119 and 121 steps; a wrong Jacobian (a vanilla run treated as truncated) needs about 5000.
    expect(r.stats.steps).toBeLessThan(200);
    expect(r.stats.steps).toBeGreaterThan(50);
  });

  test('the step-size controller (SAFETY 0.9, exponent −1/(3 + 1) for the order-3 estimate) gives 119 steps, 1 rejected', () => {
    // Pins the controller: with exponent −1/2 or −4 the same run takes a different number of steps.
    const r = integrateOde({ ...twoUnits('vanilla'), method: 'rosenbrock', tolerance: 1e-8 });
    expect(r.stats.steps).toBe(119);
    expect(r.stats.rejected).toBe(1);
  });
});

describe('defaults and recorded shapes', () => {
  test("the default method is 'adaptive' and is named so in a DivergenceError's config", () => {
    let caught: unknown;
    try {
      integrateOde({ ...logistic(0.2), times: [5], maxSteps: 1 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DivergenceError);
    const info = (caught as DivergenceError).info;
    expect(info.quantity).toBe('steps');
    expect((info.config as { method: string }).method).toBe('adaptive');
  });

  test('recorded states have a and b of K·n entries and no bias when the run has none', () => {
    const r = integrateOde({ ...twoUnits('vanilla'), times: [0, 1] });
    for (const s of r.states) {
      expect(s.a.length).toBe(6);
      expect(s.b.length).toBe(6);
      expect(s.bias).toBeUndefined();
    }
  });

  test('trainBias without initial.bias starts the bias at 0', () => {
    const r = integrateOde({ ...twoUnits('vanilla'), times: [0, 0.5], trainBias: true });
    expect(Array.from(r.states[0].bias ?? [])).toEqual([0, 0]);
    expect(r.states[1].bias?.length).toBe(2);
  });

  test("a zod bound's message keeps its 'Too small: expected …' text whole", () => {
    let caught: unknown;
    try {
      integrateOde({ ...logistic(0.2), learningRate: 0, times: [1] });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).message).toContain('Too small: expected number to be >0');
  });
});
