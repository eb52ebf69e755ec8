import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { haarOrthogonal } from '../../core/linalg.ts';
import { createRng } from '../../core/rng.ts';
import { kappaOf, orderParametersFromState, orderParametersInto } from './orderParameters.ts';

/**
 * Weights W (K×D), V (D×K) and a covariance Ω = E diag(ρ) Eᵀ with a random orthonormal E, written out in D dimensions.
 * The vector-form state is their projection on the eigenvectors: a_τ^k = w^k·e_τ, b_τ^k = v^k·e_τ/√D
 * (docs/theory-refinetti2022.md (E12)). The order parameters are then computed from their definitions (E6) with D-dim
 * products, without the state: Q = WΩWᵀ/D, R^{kl} = v^k Ω w^l / D^{3/2}, T = VᵀΩV/D², T0 = VᵀV/D.
 */
function network(K: number, D: number, seed: number) {
  const rng = createRng(seed);
  const e = haarOrthogonal(D, rng); // column τ = e_τ
  const rho = Array.from({ length: D }, () => 0.3 + 2.7 * rng.uniform());
  const w = Array.from({ length: K }, () => Array.from({ length: D }, () => rng.normal()));
  const v = Array.from({ length: K }, () => Array.from({ length: D }, () => rng.normal()));
  const omega = (x: number[], y: number[]): number => {
    // x Ω y = Σ_τ ρ_τ (x·e_τ)(y·e_τ), summed over the D×D matrix entries.
    let s = 0;
    for (let i = 0; i < D; i++) {
      for (let j = 0; j < D; j++) {
        let om = 0;
        for (let t = 0; t < D; t++) om += e.data[i * D + t] * rho[t] * e.data[j * D + t];
        s += x[i] * om * y[j];
      }
    }
    return s;
  };
  const dot = (x: number[], y: number[]): number => x.reduce((s, xi, i) => s + xi * y[i], 0);
  const a = new Float64Array(K * D);
  const b = new Float64Array(K * D);
  for (let k = 0; k < K; k++) {
    for (let t = 0; t < D; t++) {
      let pw = 0;
      let pv = 0;
      for (let i = 0; i < D; i++) {
        pw += w[k][i] * e.data[i * D + t];
        pv += v[k][i] * e.data[i * D + t];
      }
      a[k * D + t] = pw;
      b[k * D + t] = pv / Math.sqrt(D);
    }
  }
  const expected = { Q: [] as number[], R: [] as number[], T: [] as number[], T0: [] as number[] };
  for (let k = 0; k < K; k++) {
    for (let l = 0; l < K; l++) {
      expected.Q.push(omega(w[k], w[l]) / D);
      expected.R.push(omega(v[k], w[l]) / D ** 1.5);
      expected.T.push(omega(v[k], v[l]) / D ** 2);
      expected.T0.push(dot(v[k], v[l]) / D);
    }
  }
  return { state: { hidden: K, directions: D, a, b }, spectrum: { dim: D, values: Float64Array.from(rho) }, expected };
}

describe('order parameters of the vector-form state (docs/theory-refinetti2022.md (E6))', () => {
  test('Q, R, T, T0 equal their definitions from the D-dimensional weights (K = 3, D = 7; R is not symmetric)', () => {
    const { state, spectrum, expected } = network(3, 7, 20261130);
    const op = orderParametersFromState(state, spectrum);
    expect(op.hidden).toBe(3);
    for (const key of ['Q', 'R', 'T', 'T0'] as const) {
      expect(op[key].length).toBe(9);
      for (let i = 0; i < 9; i++) {
        const scale = Math.max(...expected[key].map(Math.abs));
        expect(Math.abs(op[key][i] - expected[key][i])).toBeLessThan(1e-13 * scale);
      }
    }
    // R^{kl} ≠ R^{lk} for these weights: a transposed R cannot pass the check above.
    expect(Math.abs(expected.R[1] - expected.R[3])).toBeGreaterThan(1e-3);
  });

  test('without T, orderParametersInto writes the same Q, R, T0 and leaves T to the caller', () => {
    const { state, spectrum, expected } = network(3, 5, 7);
    const q = new Float64Array(9);
    const r = new Float64Array(9);
    const t0 = new Float64Array(9);
    orderParametersInto(3, 5, kappaOf(spectrum), state.a, state.b, q, r, t0);
    for (let i = 0; i < 9; i++) {
      expect(Math.abs(q[i] - expected.Q[i])).toBeLessThan(1e-13 * Math.max(...expected.Q.map(Math.abs)));
      expect(Math.abs(r[i] - expected.R[i])).toBeLessThan(1e-13 * Math.max(...expected.R.map(Math.abs)));
      expect(Math.abs(t0[i] - expected.T0[i])).toBeLessThan(1e-13 * Math.max(...expected.T0.map(Math.abs)));
    }
  });

  test('κ_τ = ρ_τ / D', () => {
    expect(Array.from(kappaOf({ dim: 4, values: Float64Array.from([8, 2, 1]) }))).toEqual([2, 0.5, 0.25]);
  });

  test('a spectrum that does not match the state, or D ≤ 0, is a ValidationError naming the field', () => {
    const { state, spectrum } = network(2, 3, 1);
    const short = { dim: 3, values: spectrum.values.subarray(0, 2) };
    expect(() => orderParametersFromState(state, short)).toThrow(ValidationError);
    expect(() => orderParametersFromState(state, short)).toThrow(/spectrum\.values.*length 2.*n = 3/s);
    for (const dim of [0, Number.NaN]) {
      expect(() => orderParametersFromState(state, { dim, values: spectrum.values })).toThrow(/spectrum\.dim/);
    }
  });
});
