import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { createRng } from '../../core/rng.ts';
import { lumpDirections } from './lumpDirections.ts';
import { orderParametersFromState } from './orderParameters.ts';

/**
 * Lumping is exact when Q, R, T and T0 are unchanged (docs/theory-refinetti2022.md (E6): they are sums over directions
 * of κ_τ-weighted products of u_τ = (a_τ, b_τ), so a group of directions with one eigenvalue enters only through its
 * Gram matrix Σ_τ u_τ u_τᵀ). Each case compares all four with the original state's.
 */
function randomState(K: number, n: number, seed: number, bias?: number[]) {
  const rng = createRng(seed);
  const a = Float64Array.from({ length: K * n }, () => rng.normal());
  const b = Float64Array.from({ length: K * n }, () => rng.normal() * 0.3);
  return { hidden: K, directions: n, a, b, ...(bias ? { bias: Float64Array.from(bias) } : {}) };
}

function expectSameOrderParameters(
  before: ReturnType<typeof randomState>,
  spectrum: { dim: number; values: Float64Array },
  lumped: ReturnType<typeof lumpDirections>,
): void {
  const x = orderParametersFromState(before, spectrum);
  const y = orderParametersFromState(lumped.state, lumped.spectrum);
  for (const key of ['Q', 'R', 'T', 'T0'] as const) {
    const scale = Math.max(...Array.from(x[key], Math.abs));
    for (let i = 0; i < x[key].length; i++) expect(Math.abs(y[key][i] - x[key][i])).toBeLessThan(1e-13 * scale);
  }
}

describe('lumpDirections (exact compression of degenerate directions)', () => {
  test('groups larger than 2K shrink to ≤ 2K directions, smaller ones are kept as they are; Q, R, T, T0 unchanged', () => {
    // K = 2 (2K = 4): eigenvalue 3 on 6 directions (lumped to 4), 2 on 4 directions (kept), 1 on 1, 0.5 on 9 (lumped).
    const values = Float64Array.from([3, 2, 0.5, 3, 1, 2, 0.5, 3, 0.5, 3, 0.5, 2, 0.5, 3, 0.5, 2, 0.5, 3, 0.5, 0.5]);
    const spectrum = { dim: 40, values };
    const state = randomState(2, 20, 3, [0.1, -0.2]);
    const lumped = lumpDirections({ state, spectrum });
    expect(lumped.groups).toBe(4);
    expect(lumped.state.directions).toBe(4 + 4 + 1 + 4);
    expect(lumped.spectrum.dim).toBe(40);
    expect(Array.from(lumped.spectrum.values).sort((p, q) => q - p)).toEqual([
      ...Array(4).fill(3),
      ...Array(4).fill(2),
      1,
      ...Array(4).fill(0.5),
    ]);
    expectSameOrderParameters(state, spectrum, lumped);
    // The kept group of eigenvalue 2 is copied column by column.
    const kept = Array.from(lumped.spectrum.values).indexOf(2);
    expect(lumped.state.a[kept]).toBe(state.a[1]);
    expect(lumped.state.b[lumped.state.directions + kept]).toBe(state.b[20 + 1]);
    expect(Array.from(lumped.state.bias ?? [])).toEqual([0.1, -0.2]);
    expect(lumped.state.bias).not.toBe(state.bias);
  });

  test('a rank-deficient group keeps only its non-zero modes', () => {
    // 8 directions of eigenvalue 1 whose (a, b) all lie on one vector: one direction carries the whole group.
    const K = 2;
    const n = 8;
    const a = new Float64Array(K * n);
    const b = new Float64Array(K * n);
    for (let t = 0; t < n; t++) {
      const s = 1 + t;
      a[t] = s;
      a[n + t] = -2 * s;
      b[t] = 0.5 * s;
      b[n + t] = 0;
    }
    const state = { hidden: K, directions: n, a, b };
    const spectrum = { dim: 8, values: new Float64Array(n).fill(1) };
    const lumped = lumpDirections({ state, spectrum });
    expect(lumped.state.directions).toBe(1);
    expect(lumped.state.bias).toBeUndefined();
    expectSameOrderParameters(state, spectrum, lumped);
  });

  test('relativeTolerance merges eigenvalues that close; without it they stay apart', () => {
    const values = Float64Array.from({ length: 10 }, (_, i) => 1 + i * 1e-9);
    const spectrum = { dim: 10, values };
    const state = randomState(1, 10, 8);
    expect(lumpDirections({ state, spectrum }).groups).toBe(10);
    const merged = lumpDirections({ state, spectrum, relativeTolerance: 1e-7 });
    expect(merged.groups).toBe(1);
    expect(merged.state.directions).toBe(2);
    // Merged directions take the group's first (largest) eigenvalue: Q and T0 move by at most 1e-8 relative.
    expect(Array.from(merged.spectrum.values)).toEqual([values[9], values[9]]);
    const x = orderParametersFromState(state, spectrum);
    const y = orderParametersFromState(merged.state, merged.spectrum);
    expect(Math.abs(y.T0[0] - x.T0[0])).toBeLessThan(1e-13 * x.T0[0]);
    expect(Math.abs(y.Q[0] - x.Q[0])).toBeLessThan(1e-8 * x.Q[0]);
  });

  test('relativeTolerance is relative to the eigenvalue: at ρ ≈ 1000 a spacing of 1e-6 (1e-9 relative) merges at 1e-7', () => {
    const values = Float64Array.from({ length: 10 }, (_, i) => 1000 + i * 1e-6);
    const state = randomState(1, 10, 9);
    expect(lumpDirections({ state, spectrum: { dim: 10, values } }).groups).toBe(10);
    expect(lumpDirections({ state, spectrum: { dim: 10, values }, relativeTolerance: 1e-7 }).groups).toBe(1);
    // And at ρ ≈ 1e-3 a spacing of 1e-12 (1e-9 relative) as well.
    const small = Float64Array.from({ length: 10 }, (_, i) => 1e-3 + i * 1e-12);
    expect(lumpDirections({ state, spectrum: { dim: 10, values: small }, relativeTolerance: 1e-7 }).groups).toBe(1);
  });

  test('round-off modes of a rank-deficient group are dropped at any scale; an all-zero group leaves no direction', () => {
    // 12 directions of eigenvalue 2 whose (a, b) are random multiples of one vector, at scales 1e-3 and 1e3: the Gram
    // matrix has rank 1 exactly, and its other eigenvalues are round-off of either sign (about 1e-16 of the top one).
    const K = 2;
    const n = 12;
    const rng = createRng(21);
    for (const scale of [1e-3, 1e3]) {
      const a = new Float64Array(K * n);
      const b = new Float64Array(K * n);
      const v = [0.3, -1.7, 0.9, 0.45].map((x) => x * scale);
      for (let t = 0; t < n; t++) {
        const s = rng.normal();
        a[t] = s * v[0];
        a[n + t] = s * v[1];
        b[t] = s * v[2];
        b[n + t] = s * v[3];
      }
      const state = { hidden: K, directions: n, a, b };
      const spectrum = { dim: n, values: new Float64Array(n).fill(2) };
      const lumped = lumpDirections({ state, spectrum });
      expect(lumped.state.directions, `scale ${scale}`).toBe(1);
      expectSameOrderParameters(state, spectrum, lumped);
    }
    // A group whose projections are all zero (weights with no component there) carries nothing: no direction is kept.
    const zero = { hidden: K, directions: 6, a: new Float64Array(K * 6), b: new Float64Array(K * 6) };
    const lumped = lumpDirections({ state: zero, spectrum: { dim: 6, values: new Float64Array(6).fill(1) } });
    expect(lumped.state.directions).toBe(0);
    expect(lumped.groups).toBe(1);
  });

  test('a spectrum whose length differs from the state’s directions is a ValidationError naming the field', () => {
    const state = randomState(2, 5, 1);
    const bad = () => lumpDirections({ state, spectrum: { dim: 5, values: new Float64Array(4).fill(1) } });
    expect(bad).toThrow(ValidationError);
    expect(bad).toThrow(/spectrum\.values.*length 4.*n = 5/s);
  });
});
