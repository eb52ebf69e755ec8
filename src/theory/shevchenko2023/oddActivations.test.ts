import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import {
  linearAutoencoderRisk,
  oddActivationDecoderScale,
  oddActivationMoments,
  oddActivationRisk,
} from './oddActivations.ts';
import { optimalRisk } from './signRisk.ts';

describe('odd activations on orthonormal rows (docs/theory-shevchenko2023.md (S12))', () => {
  test('erf(x/√2): μ₁ = 1/√π and E σ² = (2/π) arcsin(1/2) = 1/3 (closed forms, independent of the quadrature)', () => {
    const { mu1, secondMoment } = oddActivationMoments('erf');
    expect(mu1).toBeCloseTo(1 / Math.sqrt(Math.PI), 12);
    expect(secondMoment).toBeCloseTo(1 / 3, 12);
    expect(oddActivationRisk(0.5, 'erf')).toBeCloseTo(1 - 0.5 * (3 / Math.PI), 12);
    expect(oddActivationDecoderScale('erf')).toBeCloseTo(3 / Math.sqrt(Math.PI), 12);
  });
  test('sign agrees with R_opt for r ≤ 1; linear is PCA', () => {
    for (const r of [0.1, 0.5, 1]) {
      expect(oddActivationRisk(r, 'sign')).toBeCloseTo(optimalRisk(r), 14);
      expect(oddActivationRisk(r, 'linear')).toBeCloseTo(linearAutoencoderRisk(r), 14);
    }
    expect(linearAutoencoderRisk(3)).toBe(0);
  });
  test('Cauchy–Schwarz: every non-linear odd σ is worse than linear', () => {
    expect(oddActivationRisk(0.7, 'erf')).toBeGreaterThan(oddActivationRisk(0.7, 'linear'));
    expect(oddActivationRisk(0.7, 'sign')).toBeGreaterThan(oddActivationRisk(0.7, 'erf'));
  });
  test('rates outside (0, 1] are a ValidationError', () => {
    expect(() => oddActivationRisk(1.5, 'erf')).toThrow(ValidationError);
    expect(() => oddActivationRisk(0, 'sign')).toThrow(ValidationError);
    expect(() => linearAutoencoderRisk(-1)).toThrow(ValidationError);
  });
});
