import { describe, expect, test } from 'vitest';
import { expectGaussianSplit, gaussLegendre } from '../../core/quadrature.ts';
import { erf, normalCdf, normalPdf } from '../../core/special.ts';
import { createBiasQuadrature, createReluBiasIntegrals, type PointwiseActivation } from './biasIntegrals.ts';

/**
 * The biased integrals (local fields N(β, Q), docs/theory-refinetti2022.md (E1), (E3)) of smooth activations, computed
 * by tensor Gauss–Hermite, against closed forms and against split Gauss–Legendre quadrature of their definitions; and
 * the ReLU evaluator at the degenerate states the random draws of biasIntegrals.test.ts never reach.
 */
const SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);
const ERF: PointwiseActivation = {
  g: (x) => erf(x / Math.SQRT2),
  g1: (x) => SQRT_TWO_OVER_PI * Math.exp(-0.5 * x * x),
  g2: (x) => -x * SQRT_TWO_OVER_PI * Math.exp(-0.5 * x * x),
};
const LINEAR: PointwiseActivation = { g: (x) => x, g1: () => 1, g2: () => 0 };
const relu = (x: number) => (x > 0 ? x : 0);
const step = (x: number) => (x > 0 ? 1 : 0);

/** (μ1, μ2, c11, c12, c22): unequal means of both signs, unequal variances, both signs of correlation. */
const STATES = [
  [0.4, -0.7, 0.8, 0.3, 1.5],
  [-1.2, 0.5, 2.1, -1.3, 1.1],
  [0.05, 1.6, 0.2, 0.05, 0.6],
] as const;

describe('biased integrals of smooth activations by tensor Gauss–Hermite', () => {
  test('linear g: the moments are the Gaussian ones exactly (φ = 1, χ = 0, I2 = c12 + μ1μ2, N = μ2, M2 = 1)', () => {
    const quad = createBiasQuadrature(LINEAR, 8);
    for (const [mu1, mu2, c11, c12, c22] of STATES) {
      const one = quad.single(mu1, c11);
      expect(one.phi).toBeCloseTo(1, 14);
      expect(one.chi).toBe(0);
      expect(one.g2x).toBe(0);
      const p = quad.pair(mu1, mu2, c11, c12, c22);
      expect(p.i2).toBeCloseTo(c12 + mu1 * mu2, 13);
      expect(p.n).toBeCloseTo(mu2, 13);
      expect(p.m2).toBeCloseTo(1, 14);
      expect(p.m1).toBe(0);
    }
  });

  test('erf single moments equal their closed forms: φ = √(2/π)/√(1+q)·e^{−μ²/(2(1+q))}, χ = ∂μ φ, E[g″(λ)(λ − μ)] = q ∂²μ φ', () => {
    const quad = createBiasQuadrature(ERF, 60);
    for (const [mu, q] of [
      [0.4, 0.8],
      [-1.2, 2.1],
      [1.6, 0.05],
      [0, 1],
    ]) {
      const phi = (SQRT_TWO_OVER_PI / Math.sqrt(1 + q)) * Math.exp((-mu * mu) / (2 * (1 + q)));
      const chi = (-mu / (1 + q)) * phi;
      const g2x = q * phi * ((mu * mu) / (1 + q) ** 2 - 1 / (1 + q));
      const got = quad.single(mu, q);
      expect(got.phi).toBeCloseTo(phi, 14);
      expect(got.chi).toBeCloseTo(chi, 14);
      expect(got.g2x).toBeCloseTo(g2x, 14);
    }
  });

  test('erf pair moments equal split quadrature of their definitions (and M2 its closed form), to 1e-12', () => {
    const quad = createBiasQuadrature(ERF, 60);
    for (const [mu1, mu2, c11, c12, c22] of STATES) {
      const cov = [
        [c11, c12],
        [c12, c22],
      ];
      const e = (f: (x: Float64Array) => number) => expectGaussianSplit(f, cov, { mean: [mu1, mu2] });
      const want = {
        m1: e((x) => ERF.g2(x[0]) * ERF.g(x[1])),
        m2: e((x) => ERF.g1(x[0]) * ERF.g1(x[1])),
        i2: e((x) => ERF.g(x[0]) * ERF.g(x[1])),
        n: e((x) => ERF.g1(x[0]) * ERF.g(x[1])),
      };
      // E[g′(λ1) g′(λ2)] = (2/π) det(I + C)^{−1/2} exp(−½ μᵀ(I + C)⁻¹μ).
      const a = 1 + c11;
      const d = 1 + c22;
      const det = a * d - c12 * c12;
      const m2 =
        (2 / Math.PI / Math.sqrt(det)) * Math.exp((-0.5 * (d * mu1 * mu1 - 2 * c12 * mu1 * mu2 + a * mu2 * mu2)) / det);
      expect(want.m2).toBeCloseTo(m2, 13);
      const got = { ...quad.pair(mu1, mu2, c11, c12, c22) };
      for (const k of ['m1', 'm2', 'i2', 'n'] as const) {
        expect(Math.abs(got[k] - want[k]), `${k} at ${[mu1, mu2, c11, c12, c22]}`).toBeLessThan(1e-12);
      }
    }
  });

  test('a zero variance: λ is its mean (single, and the pair with λ1 constant, which must not divide by √c11 = 0)', () => {
    const quad = createBiasQuadrature(ERF, 40);
    for (const q of [0, -1e-17]) {
      const got = quad.single(0.7, q);
      expect(got.phi).toBeCloseTo(ERF.g1(0.7), 14);
      expect(got.chi).toBeCloseTo(ERF.g2(0.7), 14);
      expect(got.g2x).toBe(0);
    }
    // λ1 ≡ 0.3, λ2 ~ N(−0.4, 0.9): I2 = g(0.3)·E g(λ2), N = g′(0.3)·E g(λ2).
    const p = quad.pair(0.3, -0.4, 0, 0, 0.9);
    const eg = expectGaussianSplit((x) => ERF.g(x[0]), [[0.9]], { mean: [-0.4] });
    expect(p.i2).toBeCloseTo(ERF.g(0.3) * eg, 13);
    expect(p.n).toBeCloseTo(ERF.g1(0.3) * eg, 13);
  });

  test('λ2 ≡ λ1 with c22 − c12²/c11 one rounding below 0: I2 = E g(λ)², not NaN', () => {
    const quad = createBiasQuadrature(ERF, 60);
    const x = 0.10164400000000001;
    const l21 = x / Math.sqrt(x);
    expect(x - l21 * l21).toBeLessThan(0);
    const p = quad.pair(0.2, 0.2, x, x, x);
    expect(p.i2).toBeCloseTo(
      expectGaussianSplit((v) => ERF.g(v[0]) ** 2, [[x]], { mean: [0.2] }),
      13,
    );
    expect(p.m2).toBeCloseTo(
      expectGaussianSplit((v) => ERF.g1(v[0]) ** 2, [[x]], { mean: [0.2] }),
      13,
    );
  });
});

/**
 * ∫ φ_N(z) f(z) dz over [−12, 12], Gauss–Legendre with 64 points on each piece between the given cuts: the reference
 * for integrands with kinks at known z.
 */
function normalIntegral(f: (z: number) => number, cuts: readonly number[]): number {
  const ends = [-12, ...cuts.filter((c) => c > -12 && c < 12).sort((a, b) => a - b), 12];
  let s = 0;
  for (let p = 0; p + 1 < ends.length; p++) {
    const { nodes, weights } = gaussLegendre(64, ends[p], ends[p + 1]);
    for (let i = 0; i < nodes.length; i++) s += weights[i] * normalPdf(nodes[i]) * f(nodes[i]);
  }
  return s;
}

describe('ReLU biased integrals at degenerate states', () => {
  test('single with q = 0: φ = 1(μ > 0), χ = 0 and E[δ(λ)(λ − μ)] = 0', () => {
    const ri = createReluBiasIntegrals();
    expect(ri.single(0.4, 0)).toEqual({ phi: 1, chi: 0, g2x: 0 });
    expect(ri.single(-0.4, 0)).toEqual({ phi: 0, chi: 0, g2x: 0 });
    expect(ri.single(0.4, -1e-17)).toEqual({ phi: 1, chi: 0, g2x: 0 });
  });

  test('pair with λ1 ≡ μ1 (zero variance): M1 = 0, M2 = 1(μ1 > 0)·Φ(μ2/√c22), N and I2 from E max(λ2, 0)', () => {
    const ri = createReluBiasIntegrals();
    for (const [mu1, mu2, c22] of [
      [0.6, -0.3, 0.8],
      [-0.6, 0.3, 0.8],
      [0.6, 0.5, 0],
      [0.6, -0.5, 0],
      [0.6, 0, 0], // λ2 ≡ 0: E max(λ2, 0) = 0, not 0/0
    ]) {
      const s2 = Math.sqrt(c22);
      const eRelu = s2 > 0 ? mu2 * normalCdf(mu2 / s2) + s2 * normalPdf(mu2 / s2) : relu(mu2);
      const pPos = s2 > 0 ? normalCdf(mu2 / s2) : step(mu2);
      const got = { ...ri.pair(mu1, mu2, 0, 0, c22) };
      expect(got.m1).toBe(0);
      expect(got.m2).toBeCloseTo(step(mu1) * pPos, 14);
      expect(got.n).toBeCloseTo(step(mu1) * eRelu, 14);
      expect(got.i2).toBeCloseTo(relu(mu1) * eRelu, 14);
    }
  });

  test('a unit with zero weights and zero bias (λ ≡ 0): g′(0) = 0 as in the simulator (1[x > 0]), on either side of the pair', () => {
    // φ = E g′(λ) = g′(0) = 0; with λ1 ≡ 0 or λ2 ≡ 0 every pair moment has a factor g′(0) = 0 or g(0) = 0, and
    // M1 = p_λ1(0)·E[max(λ2, 0) | λ1 = 0] = p_λ1(0)·max(0, 0) when λ2 ≡ 0.
    const ri = createReluBiasIntegrals();
    expect(ri.single(0, 0)).toEqual({ phi: 0, chi: 0, g2x: 0 });
    for (const [mu, c] of [
      [0.7, 0.5],
      [-0.4, 1.3],
      [0, 2],
    ]) {
      const zeroFirst = { ...ri.pair(0, mu, 0, 0, c) };
      const zeroSecond = { ...ri.pair(mu, 0, c, 0, 0) };
      for (const [side, got] of Object.entries({ zeroFirst, zeroSecond })) {
        for (const k of ['m1', 'm2', 'n', 'i2'] as const)
          expect(got[k], `${k} with ${side}, (μ, c) = (${mu}, ${c})`).toBe(0);
      }
    }
  });

  test('pair with λ2 an affine function of λ1 (c22 = c12²/c11) and not equal to it: the kink branch', () => {
    const ri = createReluBiasIntegrals();
    // λ1 = μ1 + s1 z, λ2 = μ2 + b z with b = c12/s1 (v = 0): kinks at z = −μ1/s1 and z = −μ2/b.
    for (const [mu1, mu2, c11, b] of [
      [0.3, -0.2, 0.64, 1.5],
      [0.3, 0.9, 0.64, -0.7],
      [-0.5, 0.1, 1.44, 2],
      [0.3, 0.3, 0.64, 1.6], // λ2 = 2λ1 − 0.3
      [0.3, -0.2, 0.5625, 0.75], // λ2 = λ1 − 0.5: equal variances (exact in binary), unequal means
      [0.3, 0.3, 0.5625, -0.75], // λ2 = 0.6 − λ1: equal means and variances, but antithetic (c12 = −c11), not λ1
      [0.5, 0, 0.64, 1.6], // λ2 = 1.6λ1 − 0.8: at λ1 = 0, λ2 = 0 exactly; M1 = p(0)·max(0, 0) = 0, not 0/0
    ]) {
      const s1 = Math.sqrt(c11);
      const c12 = b * s1;
      const c22 = b * b;
      const l1 = (z: number) => mu1 + s1 * z;
      const l2 = (z: number) => mu2 + b * z;
      const cuts = [-mu1 / s1, -mu2 / b];
      const got = { ...ri.pair(mu1, mu2, c11, c12, c22) };
      expect(got.m2).toBeCloseTo(
        normalIntegral((z) => step(l1(z)) * step(l2(z)), cuts),
        12,
      );
      expect(got.n).toBeCloseTo(
        normalIntegral((z) => step(l1(z)) * relu(l2(z)), cuts),
        12,
      );
      expect(got.i2).toBeCloseTo(
        normalIntegral((z) => relu(l1(z)) * relu(l2(z)), cuts),
        12,
      );
      // M1 = p_{λ1}(0)·max(λ2, 0) at λ1 = 0, i.e. at z = −μ1/s1.
      expect(got.m1).toBeCloseTo((normalPdf(mu1 / s1) / s1) * relu(l2(-mu1 / s1)), 13);
    }
  });

  test('pair with λ1 far below 0 (μ1 < −9 s1): every moment with 1(λ1 > 0) is below 1e-18', () => {
    const ri = createReluBiasIntegrals();
    const got = { ...ri.pair(-10, 0.5, 1, 0.3, 1) };
    expect(got.m2).toBe(0);
    expect(got.n).toBe(0);
    expect(got.i2).toBe(0);
    // M1 = p_{λ1}(0)·E[max(λ2, 0) | λ1 = 0], λ2 | λ1 = 0 ~ N(0.5 + 0.3·10, 1 − 0.09).
    const sv = Math.sqrt(0.91);
    const want = normalPdf(10) * (3.5 * normalCdf(3.5 / sv) + sv * normalPdf(3.5 / sv));
    expect(got.m1 / want).toBeCloseTo(1, 13);
  });
});

describe('ReLU pairBoth: both orders of a pair from one integral', () => {
  const ri = createReluBiasIntegrals();
  const pairBoth = ri.pairBoth;
  const both = (mu1: number, mu2: number, c11: number, c12: number, c22: number) => {
    const forward = { m1: 0, m2: 0, i2: 0, n: 0 };
    const backward = { m1: 0, m2: 0, i2: 0, n: 0 };
    pairBoth?.(mu1, mu2, c11, c12, c22, forward, backward);
    return { forward, backward };
  };

  test('it exists for ReLU (the vector field then integrates each off-diagonal pair once)', () => {
    expect(pairBoth).toBeDefined();
  });

  test('equals pair(μ1, μ2, …) and pair(μ2, μ1, c22, c12, c11): forward bit for bit, backward to the integrals’ accuracy', () => {
    // Random states as in biasIntegrals.test.ts: both signs of the means and the correlation, one in five near |ρ| = 1.
    let seed = 2024;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    let worst = 0;
    for (let i = 0; i < 400; i++) {
      const c11 = 0.1 + 2 * rnd();
      const c22 = 0.1 + 2 * rnd();
      const rho = (2 * rnd() - 1) * (i % 5 === 0 ? 0.9999 : 0.95);
      const mu1 = 3 * rnd() - 1.5;
      const mu2 = 3 * rnd() - 1.5;
      const c12 = rho * Math.sqrt(c11 * c22);
      const { forward, backward } = both(mu1, mu2, c11, c12, c22);
      expect(forward).toEqual({ ...ri.pair(mu1, mu2, c11, c12, c22) });
      const want = { ...ri.pair(mu2, mu1, c22, c12, c11) };
      // M1 the other way is the same closed form, so exact; M2 and I2 are symmetric expectations; N the other way is
      // the same quantity integrated over the other variable.
      expect(backward.m1).toBe(want.m1);
      for (const key of ['m2', 'i2', 'n'] as const) {
        worst = Math.max(worst, Math.abs(backward[key] - want[key]) / (1 + Math.abs(want[key])));
      }
    }
    // Each one-way integral is within 1.2e-14 of the closed forms (RELU_PIECE_POINTS); two of them differ by at most
    // about twice that.
    expect(worst).toBeLessThan(3e-14);
    expect(worst).toBeGreaterThan(0); // the backward N, M2, I2 really come from the other integral
  });

  test('N the other way is E[1(λ2 > 0) max(λ1, 0)], checked against a split Gauss–Legendre integral of its definition', () => {
    const [mu1, mu2, c11, c12, c22] = [0.4, -0.7, 0.8, 0.3, 1.5];
    const s1 = Math.sqrt(c11);
    const b = c12 / s1;
    const sv = Math.sqrt(c22 - b * b);
    const { backward } = both(mu1, mu2, c11, c12, c22);
    const want = normalIntegral((z) => relu(mu1 + s1 * z) * normalCdf((mu2 + b * z) / sv), [-mu1 / s1, -mu2 / b]);
    expect(backward.n).toBeCloseTo(want, 12);
  });

  test('degenerate pairs (a unit with Q = 0, λ2 affine in λ1, the diagonal) take the two one-way paths exactly', () => {
    for (const [mu1, mu2, c11, c12, c22] of [
      [0.3, -0.4, 0, 0, 0.9],
      [0.3, -0.4, 0.9, 0, 0],
      [0.3, -0.2, 0.64, 1.2, 2.25], // λ2 = μ2 + 1.5 z: v = 0
      [0.2, 0.2, 0.7, 0.7, 0.7], // the diagonal
    ] as const) {
      const { forward, backward } = both(mu1, mu2, c11, c12, c22);
      expect(forward).toEqual({ ...ri.pair(mu1, mu2, c11, c12, c22) });
      expect(backward).toEqual({ ...ri.pair(mu2, mu1, c22, c12, c11) });
    }
  });

  test('the quadrature of smooth activations offers no pairBoth (the vector field then calls pair both ways)', () => {
    expect(createBiasQuadrature(ERF, 8).pairBoth).toBeUndefined();
  });
});
