import { describe, expect, test } from 'vitest';
import { expectGaussianSplit } from '../../core/quadrature.ts';
import { erf } from '../../core/special.ts';
import { I3 } from './integrals.ts';
import { steinM1, steinM2, steinPhi, steinPsi } from './steinIntegrals.ts';

/**
 * The Stein-form integrals of docs/theory-refinetti2022.md (E9), (E11) against their definitions by split
 * Gauss–Legendre quadrature (`expectGaussianSplit`). g, g', g'' are written out here from the definitions. ReLU's g''
 * is a Dirac delta, which quadrature cannot sample; for it Stein's lemma E[x1 h(x)] = c11 E[∂1 h] + c12 E[∂2 h] with
 * h = 1(x1 > 0) max(x2, 0) gives M1 = (E[x1 1(x1 > 0) max(x2, 0)] − c12 M2)/c11 from integrals of steps and kinks only.
 */
const SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);
const erfG = {
  g: (x: number) => erf(x / Math.SQRT2),
  g1: (x: number) => SQRT_TWO_OVER_PI * Math.exp(-0.5 * x * x),
  g2: (x: number) => -x * SQRT_TWO_OVER_PI * Math.exp(-0.5 * x * x),
};
const step = (x: number) => (x > 0 ? 1 : 0);
const relu = (x: number) => (x > 0 ? x : 0);

const COVARIANCES = [
  [0.7, 0.31, 1.9],
  [2.6, -1.1, 0.8],
  [0.15, 0.05, 0.3],
  [1.2, 0, 0.4],
] as const;

const e2 = (f: (x: Float64Array) => number, c11: number, c12: number, c22: number) =>
  expectGaussianSplit(f, [
    [c11, c12],
    [c12, c22],
  ]);

describe('Stein-form integrals (E11) equal their definitions', () => {
  test('φ = E g′(x), x ~ N(0, q): √(2/π)/√(1+q) for erf, 1 for linear, ½ for ReLU', () => {
    for (const q of [0.05, 0.7, 3.2]) {
      const e1 = (f: (x: number) => number) => expectGaussianSplit((x) => f(x[0]), [[q]]);
      expect(steinPhi('erf', q)).toBeCloseTo(e1(erfG.g1), 13);
      expect(steinPhi('linear', q)).toBe(1);
      expect(steinPhi('relu', q)).toBeCloseTo(e1(step), 13);
    }
  });

  test('ψ = E[g″(x1) x2]: erf by quadrature; 0 for linear (g″ = 0) and ReLU (E[x2 | x1 = 0] = 0)', () => {
    for (const [c11, c12, c22] of COVARIANCES) {
      expect(steinPsi('erf', c11, c12)).toBeCloseTo(
        e2((x) => erfG.g2(x[0]) * x[1], c11, c12, c22),
        13,
      );
      expect(steinPsi('linear', c11, c12)).toBe(0);
      expect(steinPsi('relu', c11, c12)).toBe(0);
    }
  });

  test('M1 = E[g″(x1) g(x2)]: erf by quadrature, ReLU by Stein over steps, 0 for linear', () => {
    for (const [c11, c12, c22] of COVARIANCES) {
      expect(steinM1('erf', c11, c12, c22)).toBeCloseTo(
        e2((x) => erfG.g2(x[0]) * erfG.g(x[1]), c11, c12, c22),
        12,
      );
      expect(steinM1('linear', c11, c12, c22)).toBe(0);
      const m2 = e2((x) => step(x[0]) * step(x[1]), c11, c12, c22);
      const m1 = (e2((x) => x[0] * step(x[0]) * relu(x[1]), c11, c12, c22) - c12 * m2) / c11;
      expect(Math.abs(steinM1('relu', c11, c12, c22) - m1)).toBeLessThan(1e-12);
    }
  });

  test('M1 for erf is −I3 of (x1, x1, x2) (g″(x) = −x g′(x))', () => {
    const [c11, c12, c22] = COVARIANCES[1];
    expect(steinM1('erf', c11, c12, c22)).toBe(-I3('erf', c11, c11, c12, c11, c12, c22));
  });

  test('M2 = E[g′(x1) g′(x2)]: erf and ReLU by quadrature, 1 for linear', () => {
    for (const [c11, c12, c22] of COVARIANCES) {
      expect(steinM2('erf', c11, c12, c22)).toBeCloseTo(
        e2((x) => erfG.g1(x[0]) * erfG.g1(x[1]), c11, c12, c22),
        13,
      );
      expect(steinM2('linear', c11, c12, c22)).toBe(1);
      expect(steinM2('relu', c11, c12, c22)).toBeCloseTo(
        e2((x) => step(x[0]) * step(x[1]), c11, c12, c22),
        13,
      );
    }
  });
});

describe('Stein-form integrals at degenerate covariances', () => {
  test('ReLU M1 with x1 ≡ 0 is 0 (no density at 0 to speak of; the closed form would divide by 0)', () => {
    expect(steinM1('relu', 0, 0, 1.3)).toBe(0);
  });

  test('ReLU M1 of the a = k term (x2 ≡ x1) is exactly 0: E[max(x1, 0) | x1 = 0] = 0, not √(1 ulp)', () => {
    // At these x, x − x²/x is +1 ulp of rounding; its square root would give M1 ≈ 1e-9 instead of 0.
    for (const x of [0.10095900000000001, 50.02877]) {
      expect(x - (x * x) / x).toBeGreaterThan(0);
      expect(steinM1('relu', x, x, x)).toBe(0);
    }
  });

  test('ReLU M1 with a small genuine conditional variance keeps it', () => {
    // x2 = x1 + independent noise of variance v = 2⁻³⁰ ≈ 9e-10 (c11 + v is exact in binary):
    // M1 = p_{x1}(0)·E[max(x2, 0) | x1 = 0] = (1/√(2π c11))·√(v/(2π)).
    const c11 = 0.75;
    const v = 2 ** -30;
    const want = (1 / Math.sqrt(2 * Math.PI * c11)) * Math.sqrt(v / (2 * Math.PI));
    expect(steinM1('relu', c11, c11, c11 + v) / want).toBeCloseTo(1, 13);
  });

  test('ReLU M2 with a zero variance is ¼, and with |ρ| rounded past 1 is ½ or 0', () => {
    expect(steinM2('relu', 0, 0, 1.1)).toBe(0.25);
    expect(steinM2('relu', 1.1, 0, 0)).toBe(0.25);
    const [c11, c22] = [0.7, 1.9];
    const s = Math.sqrt(c11 * c22);
    const up = s * (1 + 2 * Number.EPSILON);
    expect(up / s).toBeGreaterThan(1);
    // x2 = ±√(c22/c11)·x1: P(x1 > 0, x2 > 0) = ½ or 0.
    expect(steinM2('relu', c11, up, c22)).toBeCloseTo(0.5, 15);
    expect(steinM2('relu', c11, -up, c22)).toBeCloseTo(0, 15);
  });
});
