import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { orderParametersFromState } from './orderParameters.ts';
import { pcaError, pcaErrors } from './pcaError.ts';
import { testError } from './testError.ts';

/** Eigenvalues listed out of order: the top m must be taken by value. */
const spectrum = { dim: 5, values: Float64Array.from([1, 4, 0.5, 9, 2]) };

describe('ε_PCA(m) = ½ (TrΩ − Σ_{top m} ρ)/D (docs/theory-refinetti2022.md (E15))', () => {
  test('hand values for m = 0..5, eigenvalues in any order', () => {
    // TrΩ = 16.5; the top eigenvalues are 9, 4, 2, 1, 0.5.
    const expected = [16.5, 7.5, 3.5, 1.5, 0.5, 0].map((rest) => rest / 10);
    expect(pcaErrors(spectrum, 5)).toHaveLength(6);
    pcaErrors(spectrum, 5).forEach((e, m) => {
      expect(Math.abs(e - expected[m])).toBeLessThan(1e-15);
      expect(pcaError({ spectrum, components: m })).toBe(e);
    });
  });

  test('an explicit TrΩ/D (unlisted directions) adds to every ε_PCA(m)', () => {
    // TrΩ/D = 4 over all directions: ε_PCA(2) = ½ (4 − 13/5).
    expect(pcaError({ spectrum, components: 2, traceOmegaOverD: 4 })).toBeCloseTo(0.7, 15);
  });

  test('the linear network whose decoder and encoder span the top m eigenvectors has ε = ε_PCA(m)', () => {
    // w^k = c e_{τ_k}, v^k = √D e_{τ_k}/c: x̂ = V W x/√D = P_m x. State: a_τ^k = c δ, b_τ^k = δ/c (b = v·e/√D).
    for (const m of [1, 2, 3]) {
      const top = [3, 1, 4].slice(0, m); // indices of 9, 4, 2
      const c = 0.7;
      const a = new Float64Array(m * 5);
      const b = new Float64Array(m * 5);
      top.forEach((tau, k) => {
        a[k * 5 + tau] = c;
        b[k * 5 + tau] = 1 / c;
      });
      const op = orderParametersFromState({ hidden: m, directions: 5, a, b }, spectrum);
      const eps = testError({ ...op, traceOmegaOverD: 16.5 / 5, activation: 'linear' });
      expect(Math.abs(eps - pcaError({ spectrum, components: m }))).toBeLessThan(1e-14);
    }
  });

  test.each([-1, 6, 1.5, Number.NaN])('components = %s: a ValidationError naming the field and the range', (m) => {
    expect(() => pcaError({ spectrum, components: m })).toThrow(ValidationError);
    expect(() => pcaError({ spectrum, components: m })).toThrow(/components.*\[0, 5\]/s);
  });
});
