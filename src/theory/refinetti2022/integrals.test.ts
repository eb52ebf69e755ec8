import { describe, expect, test } from 'vitest';
import { expectGaussianSplit } from '../../core/quadrature.ts';
import { erf } from '../../core/special.ts';
import {
  evaluateIntegral,
  I2,
  I2ReluAuthorsCode,
  I3,
  I21,
  I22,
  INTEGRAL_NAMES,
  type IntegralActivation,
  type IntegralName,
  J2,
} from './integrals.ts';

/**
 * The closed forms of docs/theory-refinetti2022.md (E8) against their definitions, integrated by a split tensor
 * Gauss–Legendre rule (`expectGaussianSplit`, 64 points per piece and dimension, split where a coordinate crosses 0).
 * The integrands below are written from the definitions only; nothing is shared with the code under test.
 */
const ACTIVATIONS: Record<IntegralActivation, { g: (x: number) => number; dg: (x: number) => number }> = {
  linear: { g: (x) => x, dg: () => 1 },
  erf: { g: (x) => erf(x / Math.SQRT2), dg: (x) => Math.sqrt(2 / Math.PI) * Math.exp(-0.5 * x * x) },
  relu: { g: (x) => (x > 0 ? x : 0), dg: (x) => (x > 0 ? 1 : 0) },
};

function definition(name: IntegralName, a: IntegralActivation): (x: Float64Array) => number {
  const { g, dg } = ACTIVATIONS[a];
  switch (name) {
    case 'J2':
      return (x) => x[0] * g(x[1]);
    case 'I2':
      return (x) => g(x[0]) * g(x[1]);
    case 'I21':
      return (x) => dg(x[0]) * x[0] * x[1];
    case 'I22':
      return (x) => dg(x[0]) * x[1] * x[1];
    case 'I3':
      return (x) => dg(x[0]) * x[1] * g(x[2]);
  }
}

/** Covariances with unequal, non-unit variances and both signs of correlation (all positive definite). */
const COVARIANCES3 = [
  { c11: 0.7, c12: 0.31, c13: -0.22, c22: 1.9, c23: 0.45, c33: 0.5 },
  { c11: 2.6, c12: -1.1, c13: 0.9, c22: 0.8, c23: -0.35, c33: 1.4 },
  { c11: 0.15, c12: 0.05, c13: 0.1, c22: 0.3, c23: 0.12, c33: 2.2 },
];

function reference(name: IntegralName, a: IntegralActivation, c: (typeof COVARIANCES3)[number]): number {
  const cov =
    name === 'I3'
      ? [
          [c.c11, c.c12, c.c13],
          [c.c12, c.c22, c.c23],
          [c.c13, c.c23, c.c33],
        ]
      : [
          [c.c11, c.c12],
          [c.c12, c.c22],
        ];
  return expectGaussianSplit(definition(name, a), cov);
}

describe('Gaussian integrals (E8): closed forms equal their definitions by quadrature', () => {
  for (const a of ['linear', 'erf', 'relu'] as const) {
    for (const name of INTEGRAL_NAMES) {
      test(`${name}, g = ${a}: three covariances, to 1e-11 of the scale`, () => {
        for (const c of COVARIANCES3) {
          const want = reference(name, a, c);
          const got = evaluateIntegral(name, a, c);
          expect(Math.abs(got - want), `${name} ${a} at ${JSON.stringify(c)}: ${got} vs ${want}`).toBeLessThan(1e-11);
        }
      });
    }
  }

  test('the named functions are the ones evaluateIntegral dispatches to (2-D integrals read c11, c12, c22 only)', () => {
    const c = COVARIANCES3[1];
    for (const a of ['linear', 'erf', 'relu'] as const) {
      expect(evaluateIntegral('J2', a, c)).toBe(J2(a, c.c11, c.c12, c.c22));
      expect(evaluateIntegral('I2', a, c)).toBe(I2(a, c.c11, c.c12, c.c22));
      expect(evaluateIntegral('I21', a, c)).toBe(I21(a, c.c11, c.c12, c.c22));
      expect(evaluateIntegral('I22', a, c)).toBe(I22(a, c.c11, c.c12, c.c22));
      expect(evaluateIntegral('I3', a, c)).toBe(I3(a, c.c11, c.c12, c.c13, c.c22, c.c23, c.c33));
    }
  });

  test('I3 with the third variable left out is I3 with x3 ≡ 0: zero for every activation', () => {
    for (const a of ['linear', 'erf', 'relu'] as const) {
      expect(evaluateIntegral('I3', a, { c11: 0.7, c12: 0.3, c22: 1.2 })).toBe(0);
    }
  });
});

describe('degenerate covariances: the closed forms stay finite and exact', () => {
  test('ReLU I2 of a variable with zero variance is 0 (x1 ≡ 0 gives g(x1) = 0)', () => {
    expect(I2('relu', 0, 0, 1.3)).toBe(0);
    expect(I2('relu', 1.3, 0, 0)).toBe(0);
  });

  test('ReLU I2 of perfectly correlated variables whose rounding puts |ρ| above 1 or det below 0', () => {
    // x2 = √(c22/c11)·x1: E[max(x1, 0) max(x2, 0)] = √(c11 c22)/2; x2 = −√(c22/c11)·x1: the product is 0.
    // c12 = √(c11 c22) one rounding up: c12/√(c11 c22) > 1, which arccos would turn into NaN.
    const [c11, c22] = [0.7, 1.9];
    const s = Math.sqrt(c11 * c22);
    const up = s * (1 + 2 * Number.EPSILON);
    expect(up / s).toBeGreaterThan(1);
    expect(I2('relu', c11, up, c22)).toBeCloseTo(s / 2, 14);
    expect(I2('relu', c11, -up, c22)).toBeCloseTo(0, 14);
    // Here c11·c22 − c12² = −1.1e-16 though c12/√(c11 c22) = 1: √det would be NaN.
    const [d11, d22] = [0.301477, 1.6996269];
    const d12 = Math.sqrt(d11 * d22);
    expect(d11 * d22 - d12 * d12).toBeLessThan(0);
    expect(I2('relu', d11, d12, d22)).toBeCloseTo(d12 / 2, 14);
  });

  test('ReLU I3 with x1 ≡ 0 or x3 ≡ 0 is 0', () => {
    expect(I3('relu', 0, 0, 0, 1.2, 0.4, 0.9)).toBe(0);
    expect(I3('relu', 0.9, 0.4, 0, 1.2, 0, 0)).toBe(0);
  });

  test('ReLU I3 with x3 ≡ x1 (computed twice) is E[1(x1 > 0) x2 x1] = c12/2 exactly, not off by √(1 ulp)', () => {
    // At these x, x − x²/x is +1 ulp of rounding, not 0: its square root would add a 1e-9 relative error.
    for (const x of [0.10095900000000001, 50.02877]) {
      expect(x - (x * x) / x).toBeGreaterThan(0);
      const c12 = 0.4 * x;
      expect(I3('relu', x, c12, x, 1.3 * x, c12, x)).toBeCloseTo(c12 / 2, 14);
      expect(Math.abs(I3('relu', x, c12, x, 1.3 * x, c12, x) - c12 / 2)).toBeLessThanOrEqual(1e-15 * x);
    }
  });

  test('ReLU I3 with a small but genuine conditional variance keeps it (the cancellation cut is at rounding level)', () => {
    // x3 = x1 + small independent noise of variance 1e-10·c11: the √(conditional variance) term is 1e-5 relative.
    const c11 = 1.1;
    const c33 = c11 * (1 + 1e-10);
    const c = { c11, c12: 0.5, c13: c11, c22: 1.4, c23: 0.5, c33 };
    const cov = [
      [c.c11, c.c12, c.c13],
      [c.c12, c.c22, c.c23],
      [c.c13, c.c23, c.c33],
    ];
    const want = expectGaussianSplit(definition('I3', 'relu'), cov);
    // The conditional-variance term c12·√(c33 − c13²/c11)/(2π√c11) is about 8e-7 here: a cut that zeroed it is seen.
    expect((c.c12 * Math.sqrt(c33 - (c11 * c11) / c11)) / (2 * Math.PI * Math.sqrt(c11))).toBeGreaterThan(5e-7);
    expect(Math.abs(I3('relu', c.c11, c.c12, c.c13, c.c22, c.c23, c.c33) - want)).toBeLessThan(1e-11);
  });
});

describe("the authors' I2_relu (kept to show its bug)", () => {
  test('returns exactly half of the true ReLU I2 when det ≥ 1e-6 (asin ρ = atan(c12/√det))', () => {
    for (const c of COVARIANCES3) {
      const want = reference('I2', 'relu', c) / 2;
      expect(Math.abs(I2ReluAuthorsCode(c.c11, c.c12, c.c22) - want)).toBeLessThan(1e-12);
    }
  });

  test('returns c11/2 when det < 1e-6, and is discontinuous there', () => {
    // det = 1 − c12² at c11 = c22 = 1.
    expect(I2ReluAuthorsCode(1.3, Math.sqrt(1.3 * 0.8), 0.8)).toBe(0.65);
    const below = Math.sqrt(1 - 0.9e-6);
    const above = Math.sqrt(1 - 1.1e-6);
    expect(I2ReluAuthorsCode(1, below, 1)).toBe(0.5);
    const half = I2('relu', 1, above, 1) / 2;
    expect(I2ReluAuthorsCode(1, above, 1)).toBeCloseTo(half, 12);
    expect(0.5 - I2ReluAuthorsCode(1, above, 1)).toBeGreaterThan(0.2);
  });
});
