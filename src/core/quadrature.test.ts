import { describe, expect, test } from 'vitest';
import { expectGaussian, expectGaussianSplit, gaussHermiteNormal, gaussLegendre } from './quadrature.ts';
import { EPS64 } from './tolerance.ts';

/** Double factorial (n − 1)!! = E z^n for even n. */
function normalMoment(n: number): number {
  if (n % 2 === 1) return 0;
  let m = 1;
  for (let k = n - 1; k > 1; k -= 2) m *= k;
  return m;
}

/** Exactness is checked to a multiple of ε64 times the size of the largest term summed (the moments grow fast). */
const EXACTNESS_ULPS = 64;

describe("Gauss–Hermite (probabilists') rules integrate polynomials of degree ≤ 2n − 1 exactly against N(0, 1)", () => {
  test.each([1, 2, 3, 5, 8, 16, 33])('n = %d', (n) => {
    const { nodes, weights } = gaussHermiteNormal(n);
    for (let deg = 0; deg <= 2 * n - 1 && deg <= 20; deg++) {
      let s = 0;
      let scale = 0;
      for (let i = 0; i < n; i++) {
        s += weights[i] * nodes[i] ** deg;
        scale += Math.abs(weights[i] * nodes[i] ** deg);
      }
      expect(Math.abs(s - normalMoment(deg))).toBeLessThanOrEqual(EXACTNESS_ULPS * EPS64 * Math.max(scale, 1));
    }
  });
});

describe('Gauss–Legendre rules integrate polynomials of degree ≤ 2n − 1 exactly', () => {
  test.each([1, 2, 4, 7, 20, 64])('n = %d on [−1, 3]', (n) => {
    const { nodes, weights } = gaussLegendre(n, -1, 3);
    for (let deg = 0; deg <= Math.min(2 * n - 1, 15); deg++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += weights[i] * nodes[i] ** deg;
      const exact = (3 ** (deg + 1) - (-1) ** (deg + 1)) / (deg + 1);
      expect(Math.abs(s - exact)).toBeLessThanOrEqual(EXACTNESS_ULPS * EPS64 * 3 ** (deg + 1));
    }
  });
});

describe('Gaussian expectations', () => {
  const cov = [
    [1.5, 0.4, -0.3],
    [0.4, 1.0, 0.2],
    [-0.3, 0.2, 0.8],
  ];
  test('E[x_i x_j] = C_ij (tensor Gauss–Hermite, 3-D)', () => {
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        expect(expectGaussian((x) => x[i] * x[j], cov, { points: 8 })).toBeCloseTo(cov[i][j], 13);
      }
    }
  });
  test('Isserlis: E[x1 x2 x3²] = C12 C33 + 2 C13 C23', () => {
    const want = cov[0][1] * cov[2][2] + 2 * cov[0][2] * cov[1][2];
    expect(expectGaussian((x) => x[0] * x[1] * x[2] ** 2, cov, { points: 8 })).toBeCloseTo(want, 13);
  });
  test('split rule: E[relu(x1)] = √(C11/(2π)) and P(x1 > 0, x2 > 0) = 1/4 + arcsin(ρ)/(2π)', () => {
    const c2 = [
      [1.5, 0.4],
      [0.4, 1.0],
    ];
    expect(expectGaussianSplit((x) => Math.max(x[0], 0), [[1.5]])).toBeCloseTo(Math.sqrt(1.5 / (2 * Math.PI)), 14);
    const rho = 0.4 / Math.sqrt(1.5);
    expect(expectGaussianSplit((x) => (x[0] > 0 && x[1] > 0 ? 1 : 0), c2)).toBeCloseTo(
      0.25 + Math.asin(rho) / (2 * Math.PI),
      14,
    );
  });
  test('bad sizes are ValidationErrors', () => {
    expect(() => gaussHermiteNormal(0)).toThrow(/points: received 0/);
    expect(() => expectGaussian(() => 1, [])).toThrow(/cov/);
  });
});
