import { describe, expect, test } from 'vitest';
import { integrateOde } from './integrateOde.ts';
import { finiteDifference } from './rosenbrockStepper.ts';

/**
 * The RODAS4 stepper's Jacobian of the ODE's coefficients with respect to the order parameters θ = (Q, R, T0) is taken
 * by finite differences. Where a perturbation leaves the integrals' domain the central difference is NaN and the
 * stepper falls back to a one-sided one (rosenbrockStepper.ts, `finiteDifference`). That happens for a ReLU unit whose
 * encoder projection is zero or nearly so (Q^{kk} − δ < 0), a state that the other tests never reach.
 */
describe('RODAS4: finite differences at the edge of the integrals’ domain', () => {
  test('central difference when both sides are finite; else the finite one-sided one; else 0', () => {
    // f(θ − δ) = 0.5, f(θ) = 2, f(θ + δ) = 3, δ = 0.25: central (3 − 0.5)/0.5, right (3 − 2)/0.25, left (2 − 0.5)/0.25.
    expect(finiteDifference(3, 2, 0.5, 0.25)).toBe(5);
    expect(finiteDifference(3, 2, Number.NaN, 0.25)).toBe(4);
    expect(finiteDifference(Number.NaN, 2, 0.5, 0.25)).toBe(6);
    expect(finiteDifference(Number.POSITIVE_INFINITY, 2, 0.5, 0.25)).toBe(6);
    expect(finiteDifference(3, 2, Number.NEGATIVE_INFINITY, 0.25)).toBe(4);
    expect(finiteDifference(Number.NaN, 2, Number.NaN, 0.25)).toBe(0);
    // A non-finite centre leaves no one-sided difference either.
    expect(finiteDifference(Number.NaN, Number.NaN, 0.5, 0.25)).toBe(0);
  });

  test('ReLU with a unit of zero encoder projection: RODAS4 runs through the one-sided differences and agrees with Dormand–Prince', () => {
    // Unit 2 starts with a = 0 (Q^{22} = 0) and a nonzero decoder, so its projection grows from 0 and the Jacobians
    // perturb Q^{22} below 0 (measured: the central difference was NaN 292 times over the run's 91 Jacobians, the
    // right-hand difference finite every time).
    const base = {
      spectrum: { dim: 100, values: Float64Array.from([3, 2, 1]) },
      activation: 'relu' as const,
      rule: 'vanilla' as const,
      learningRate: 1,
      initial: {
        hidden: 2,
        directions: 3,
        a: Float64Array.from([0.4, 0.2, -0.1, 0, 0, 0]),
        b: Float64Array.from([0.3, 0.1, 0.05, 0.2, 0.1, 0]),
      },
      times: [1],
    };
    const stiff = integrateOde({ ...base, method: 'rosenbrock' });
    const reference = integrateOde({ ...base, method: 'adaptive', tolerance: 1e-12 });
    let diff = 0;
    for (let i = 0; i < 6; i++) {
      diff = Math.max(diff, Math.abs(stiff.states[0].a[i] - reference.states[0].a[i]));
      diff = Math.max(diff, Math.abs(stiff.states[0].b[i] - reference.states[0].b[i]));
    }
    // Tolerance 1e-8 per step; measured 8.2e-8 after 91 steps (the state's scale is about 0.5).
    expect(diff).toBeLessThan(1e-6);
    // The cost of the approximate Jacobian near Q^{22} = 0: measured 91 steps, 10 rejected. Dropping the one-sided
    // derivatives (0 instead) costs 93; a wrong one-sided formula ((c₊ + c₀)/δ) 136; none at all (NaN) ends the run.
    // The count is deterministic; it moves when the finite-difference steps change (it was 89 before their scale floor).
    expect(stiff.stats.steps).toBeLessThanOrEqual(92);
    expect(stiff.stats.jacobians).toBe(stiff.stats.steps);
  });
});
