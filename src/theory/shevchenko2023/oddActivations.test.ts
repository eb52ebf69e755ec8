import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import {
  linearAutoencoderRisk,
  oddActivation,
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

describe('the activations and their moments (closed forms)', () => {
  test('σ(t): linear is t, erf is erf(t/√2) = 2Φ(t) − 1, sign is ±1 with sign(0) = 0', () => {
    expect(oddActivation('linear', -1.7)).toBe(-1.7);
    // 2Φ(1) − 1 and 2Φ(−2) − 1 (mpmath, 30 digits).
    expect(oddActivation('erf', 1)).toBeCloseTo(0.6826894921370859, 15);
    expect(oddActivation('erf', -2)).toBeCloseTo(-0.9544997361036416, 15);
    expect([oddActivation('sign', 3), oddActivation('sign', -0.2), oddActivation('sign', 0)]).toEqual([1, -1, 0]);
  });
  test('μ₁ and E σ²: linear 1 and 1; sign √(2/π) and 1', () => {
    expect(oddActivationMoments('linear')).toEqual({ mu1: 1, secondMoment: 1 });
    expect(oddActivationMoments('sign')).toEqual({ mu1: Math.sqrt(2 / Math.PI), secondMoment: 1 });
    expect(oddActivationDecoderScale('sign')).toBe(Math.sqrt(2 / Math.PI));
  });
  test('linear risk 1 − min(r, 1); a bad rate names the field and the range', () => {
    expect(linearAutoencoderRisk(0.3)).toBeCloseTo(0.7, 15);
    expect(linearAutoencoderRisk(1)).toBe(0);
    expect(() => linearAutoencoderRisk(0)).toThrow(/rate: received 0, expected r > 0/);
    expect(() => oddActivationRisk(1.5, 'erf')).toThrow(
      /rate: received 1.5, expected r in \(0, 1\] \(orthonormal rows need n ≤ d\)/,
    );
    expect(() => oddActivationRisk(Number.NaN, 'erf')).toThrow(ValidationError);
  });
});
