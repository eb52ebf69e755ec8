import { describe, expect, test } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { frobeniusRelativeError } from '../../core/tolerance.ts';
import {
  type Densities,
  densitiesFromState,
  densityDerivativeCodeForm,
  densityDerivativeFromVector,
  densityDerivativeSteinForm,
} from './densityForms.ts';
import { resolveActivation } from './odeActivation.ts';

/**
 * The density forms of docs/theory-refinetti2022.md (E10)–(E12): the densities of a rank-one state by hand, and the
 * three right-hand sides (the authors' code form with its 1/Δ factors, the Stein form, and the product rule on the
 * vector form, three separate derivations) equal at fixed states for every activation, rule and K ∈ {1, 2, 3}. The
 * claim refinetti2022.ode-forms-agree samples such states; here each combination runs every time.
 */
describe('densitiesFromState', () => {
  test('q = a aᵀ, r = b aᵀ, t = b bᵀ per direction (τ-major) and T0 = Σ_τ t', () => {
    // K = 2 units, n = 2 directions; a[k·n + τ].
    const a = Float64Array.from([1, 2, 3, 4]);
    const b = Float64Array.from([0.5, -1, 2, 0.25]);
    const d = densitiesFromState({ hidden: 2, directions: 2, a, b });
    expect(d.hidden).toBe(2);
    expect(d.directions).toBe(2);
    // τ = 0: a = (1, 3), b = (0.5, 2); τ = 1: a = (2, 4), b = (−1, 0.25).
    expect([...d.q]).toEqual([1, 3, 3, 9, 4, 8, 8, 16]);
    expect([...d.r]).toEqual([0.5, 1.5, 2, 6, -2, -4, 0.5, 1]);
    expect([...d.t]).toEqual([0.25, 1, 1, 4, 1, -0.25, -0.25, 0.0625]);
    expect([...d.T0]).toEqual([1.25, 0.75, 0.75, 4.0625]);
  });
});

const FIELDS = ['q', 'r', 't', 'T0'] as const;

function worst(x: Densities, y: Densities): number {
  return Math.max(...FIELDS.map((f) => frobeniusRelativeError(x[f], y[f])));
}

describe('the code, Stein and vector forms agree', () => {
  for (const activation of ['linear', 'erf', 'relu'] as const) {
    for (const rule of ['vanilla', 'truncated'] as const) {
      test(`${activation}, ${rule}: K = 1, 2, 3 at n = 4, to 1e-10 relative`, () => {
        for (const K of [1, 2, 3]) {
          const n = 4;
          const rng = createRng(1000 * K + 7);
          const a = new Float64Array(K * n);
          const b = new Float64Array(K * n);
          rng.fillNormal(a);
          rng.fillNormal(b, 0, K * n, 0.5);
          const kappa = Float64Array.from([1.3, 0.7, 0.4, 0.15]);
          const state = { hidden: K, directions: n, a, b };
          const options = { kappa, activation: resolveActivation(activation), rule, learningRate: 0.3 };
          const d = densitiesFromState(state);
          const code = densityDerivativeCodeForm(d, options);
          const stein = densityDerivativeSteinForm(d, options);
          const vector = densityDerivativeFromVector(state, options);
          for (const f of FIELDS)
            expect(
              vector[f].some((v) => v !== 0),
              `${f} all zero`,
            ).toBe(true);
          expect(worst(code, stein), `K = ${K}: code vs Stein`).toBeLessThan(1e-10);
          expect(worst(stein, vector), `K = ${K}: Stein vs vector`).toBeLessThan(1e-10);
          expect(worst(code, vector), `K = ${K}: code vs vector`).toBeLessThan(1e-10);
        }
      });
    }
  }

  test('they agree when the target has no weight on some directions (b^k_τ = 0 for τ ≥ 2, so t_τ = 0 there)', () => {
    // A target started on the top directions only. T^{kk} = Σ_τ κ_τ (b^k_τ)² stays positive and Δ_k = Q^{kk}T^{kk} −
    // (R^{kk})² > 0 (b^k is not proportional to a^k), so the code form's 1/Δ factors are finite.
    const K = 2;
    const n = 4;
    const a = Float64Array.from([0.9, -0.4, 0.3, 1.1, -0.2, 0.8, 0.5, -0.6]);
    const b = Float64Array.from([0.7, 0.2, 0, 0, -0.3, 0.5, 0, 0]);
    const state = { hidden: K, directions: n, a, b };
    const d = densitiesFromState(state);
    expect(d.t.slice(2 * K * K).every((v) => v === 0)).toBe(true);
    for (const activation of ['linear', 'erf', 'relu'] as const) {
      const options = {
        kappa: Float64Array.from([1.3, 0.7, 0.4, 0.15]),
        activation: resolveActivation(activation),
        rule: 'vanilla' as const,
        learningRate: 0.3,
      };
      const code = densityDerivativeCodeForm(d, options);
      const stein = densityDerivativeSteinForm(d, options);
      const vector = densityDerivativeFromVector(state, options);
      expect(worst(code, stein), `${activation}: code vs Stein`).toBeLessThan(1e-10);
      expect(worst(stein, vector), `${activation}: Stein vs vector`).toBeLessThan(1e-10);
    }
  });

  test('the truncated rule differs from the vanilla one for K ≥ 2 (so the comparison above sees the rule)', () => {
    const n = 4;
    const rng = createRng(2007);
    const a = new Float64Array(2 * n);
    const b = new Float64Array(2 * n);
    rng.fillNormal(a);
    rng.fillNormal(b, 0, 2 * n, 0.5);
    const state = { hidden: 2, directions: n, a, b };
    const base = {
      kappa: Float64Array.from([1.3, 0.7, 0.4, 0.15]),
      activation: resolveActivation('erf'),
      learningRate: 0.3,
    };
    const d = densitiesFromState(state);
    for (const form of [densityDerivativeCodeForm, densityDerivativeSteinForm]) {
      const v = form(d, { ...base, rule: 'vanilla' });
      const t = form(d, { ...base, rule: 'truncated' });
      expect(worst(v, t)).toBeGreaterThan(1e-3);
    }
  });

  test('the learning rate scales every form linearly', () => {
    const n = 3;
    const rng = createRng(31);
    const a = new Float64Array(2 * n);
    const b = new Float64Array(2 * n);
    rng.fillNormal(a);
    rng.fillNormal(b);
    const state = { hidden: 2, directions: n, a, b };
    const base = {
      kappa: Float64Array.from([1, 0.5, 0.2]),
      activation: resolveActivation('relu'),
      rule: 'vanilla' as const,
    };
    const d = densitiesFromState(state);
    for (const form of [densityDerivativeCodeForm, densityDerivativeSteinForm]) {
      const one = form(d, { ...base, learningRate: 1 });
      const three = form(d, { ...base, learningRate: 3 });
      for (const f of FIELDS) {
        for (let i = 0; i < one[f].length; i++) expect(three[f][i]).toBeCloseTo(3 * one[f][i], 12);
      }
    }
  });
});
