import { describe, expect, test } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { resolveActivation } from './odeActivation.ts';
import { kappaOf, orderParametersFromState } from './orderParameters.ts';
import { testError } from './testError.ts';
import { createVectorField } from './vectorField.ts';

/**
 * Vanilla SGD's ODE is the gradient flow of the test error (docs/theory-refinetti2022.md (E12), (E13); with a trained
 * bias (E3)): (da, db, dβ)/dt = −η ∇ε(a, b, β), the gradient over the flat state. The gradient here is a central
 * difference of ε from `testError` (checked on its own against closed forms and a Monte Carlo in testError.test.ts),
 * so this checks the right-hand side's non-linear coefficients (φ, ψ, M1, M2, I2 and the biased ones) without
 * re-deriving them. A fixed bias gives the same (da, db) and dβ = 0.
 */
function gradientCase(activation: 'erf' | 'relu', bias: 'none' | 'fixed' | 'trained') {
  const K = 2;
  const n = 5;
  const D = 50;
  const rng = createRng(activation === 'erf' ? 17 : 23);
  const values = Float64Array.from({ length: n }, () => (0.05 + rng.uniform()) * D);
  const spectrum = { dim: D, values };
  const a = Float64Array.from({ length: K * n }, () => 0.6 * rng.normal());
  const b = Float64Array.from({ length: K * n }, () => 0.5 * rng.normal());
  const beta = Float64Array.from({ length: K }, () => 0.8 * rng.normal());
  const g = resolveActivation(activation);
  const eta = 0.7;
  const eps = () =>
    testError({
      ...orderParametersFromState({ hidden: K, directions: n, a, b }, spectrum),
      traceOmegaOverD: 2,
      activation: g,
      ...(bias === 'none' ? {} : { bias: beta }),
    });
  const arrays = bias === 'none' ? [a, b] : [a, b, beta];
  const predicted: number[] = [];
  for (const arr of arrays) {
    for (let i = 0; i < arr.length; i++) {
      const x = arr[i];
      const h = 1e-5 * Math.max(1, Math.abs(x));
      arr[i] = x + h;
      const up = eps();
      arr[i] = x - h;
      const down = eps();
      arr[i] = x;
      predicted.push((-eta * (up - down)) / (2 * h));
    }
  }
  const field = createVectorField({
    hidden: K,
    directions: n,
    kappa: kappaOf(spectrum),
    activation: g,
    rule: 'vanilla',
    learningRate: eta,
    bias,
  });
  const y = new Float64Array(field.size);
  y.set(a, 0);
  y.set(b, K * n);
  if (bias !== 'none') y.set(beta, 2 * K * n);
  const dy = new Float64Array(field.size).fill(Number.NaN);
  field.evaluate(y, dy);
  return { dy, predicted, weights: 2 * K * n };
}

describe('vanilla vector field = −η ∇ε (finite differences of the test error)', () => {
  // Allowed: 1e-6 of ‖η∇ε‖, as in the claim refinetti2022.ode-bias-is-gradient (quadrature ≤ 3e-10, differences
  // O(h²) ≈ 1e-10).
  test.each([
    ['erf', 'none'],
    ['erf', 'trained'],
    ['relu', 'none'],
    ['relu', 'trained'],
  ] as const)('%s, bias %s', (activation, bias) => {
    const { dy, predicted } = gradientCase(activation, bias);
    const norm = Math.hypot(...predicted);
    expect(norm).toBeGreaterThan(1e-3);
    for (let i = 0; i < predicted.length; i++) expect(Math.abs(dy[i] - predicted[i])).toBeLessThan(1e-6 * norm);
  });

  test.each(['erf', 'relu'] as const)('%s, fixed bias: (da, db) = −η ∇_(a,b) ε and dβ = 0', (activation) => {
    const { dy, predicted, weights } = gradientCase(activation, 'fixed');
    const norm = Math.hypot(...predicted.slice(0, weights));
    for (let i = 0; i < weights; i++) expect(Math.abs(dy[i] - predicted[i])).toBeLessThan(1e-6 * norm);
    for (let i = weights; i < dy.length; i++) expect(dy[i]).toBe(0);
    // The bias gradient is not zero here: a fixed bias is a choice, not a stationary point.
    expect(Math.hypot(...predicted.slice(weights))).toBeGreaterThan(1e-4);
  });
});
