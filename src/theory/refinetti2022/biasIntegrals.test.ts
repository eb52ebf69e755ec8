import { describe, expect, test } from 'vitest';
import { expectGaussianSplit, gaussLegendre } from '../../core/quadrature.ts';
import { createRng } from '../../core/rng.ts';
import { normalCdf, normalPdf } from '../../core/special.ts';
import { createReluBiasIntegrals } from './biasIntegrals.ts';

const relu = (x: number) => (x > 0 ? x : 0);
const step = (x: number) => (x > 0 ? 1 : 0);

/**
 * Φ2(h, k; ρ) = P(Z1 < h, Z2 < k) for standard normals with correlation ρ, by Plackett's formula ∂Φ2/∂ρ = φ2:
 * Φ2 = Φ(h)Φ(k) + (1/2π) ∫_0^{asin ρ} exp(−(h² − 2hk sin θ + k²)/(2 cos² θ)) dθ. The integrand is smooth in θ but,
 * as |ρ| → 1, narrows at the upper end to a width ~cos θ, so the pieces shrink geometrically toward it.
 */
function bivariateNormalCdf(h: number, k: number, rho: number): number {
  const top = Math.asin(rho);
  const { nodes, weights } = gaussLegendre(64);
  let s = 0;
  for (let p = 0; p < 40; p++) {
    const a = top * (1 - 2 ** (-p / 2));
    const b = p === 39 ? top : top * (1 - 2 ** (-(p + 1) / 2));
    const half = 0.5 * (b - a);
    const mid = 0.5 * (b + a);
    for (let q = 0; q < nodes.length; q++) {
      const t = mid + half * nodes[q];
      const c = Math.cos(t);
      s += weights[q] * half * Math.exp(-(h * h - 2 * h * k * Math.sin(t) + k * k) / (2 * c * c));
    }
  }
  return normalCdf(h) * normalCdf(k) + s / (2 * Math.PI);
}

/** E max(Y, 0) for Y ~ N(m, v), v > 0. */
const reluMean = (m: number, v: number) => m * normalCdf(m / Math.sqrt(v)) + Math.sqrt(v) * normalPdf(m / Math.sqrt(v));

/**
 * Checks M2, N, I2 of `ri.pair` against closed forms, to 1e-11 relative to 1 + |value|. With λ = μ + s Z (h = μ1/s1,
 * k = μ2/s2): M2 = P(λ1 > 0, λ2 > 0) = Φ2(h, k; ρ); by Stein's lemma E[Z_i f(Z)] = E ∂_i f + ρ E ∂_j f,
 * N = μ2 M2 + s2 [φ(k) Φ((h − ρk)/√(1 − ρ²)) + ρ φ(h) Φ((k − ρh)/√(1 − ρ²))] and
 * I2 = μ1 N + s1 [φ(h) E max(λ2, 0 | λ1 = 0) + ρ s2 M2], λ2 | λ1 = 0 ~ N(μ2 − ρ s2 h, s2² (1 − ρ²)).
 */
function expectClosedForms(
  ri: ReturnType<typeof createReluBiasIntegrals>,
  mu1: number,
  mu2: number,
  c11: number,
  c22: number,
  rho: number,
): void {
  const s1 = Math.sqrt(c11);
  const s2 = Math.sqrt(c22);
  const h = mu1 / s1;
  const k = mu2 / s2;
  const r = Math.sqrt(1 - rho * rho);
  const m2 = bivariateNormalCdf(h, k, rho);
  const n =
    mu2 * m2 + s2 * (normalPdf(k) * normalCdf((h - rho * k) / r) + rho * normalPdf(h) * normalCdf((k - rho * h) / r));
  const i2 = mu1 * n + s1 * (normalPdf(h) * reluMean(mu2 - rho * s2 * h, c22 * (1 - rho * rho)) + rho * s2 * m2);
  const got = { ...ri.pair(mu1, mu2, c11, rho * s1 * s2, c22) };
  for (const [name, want] of Object.entries({ m2, n, i2 })) {
    const value = got[name as keyof typeof got];
    if (!(Math.abs(value - want) <= 1e-11 * (1 + Math.abs(want))))
      throw new Error(`${name}: ${value} vs ${want} (μ = (${mu1}, ${mu2}), c11 = ${c11}, c22 = ${c22}, ρ = ${rho})`);
  }
}

/**
 * The reference is independent of the code under test: a tensor Gauss–Legendre rule split at every kink
 * (`expectGaussianSplit`), and, for the integrals with a Dirac delta, Stein's lemma
 * E[(λ1 − μ1) h(λ)] = c11 E[∂1 h] + c12 E[∂2 h], which turns them into integrals of steps and kinks only.
 */
describe('ReLU biased integrals', () => {
  test('single and pair moments equal the split-quadrature reference on 200 random (μ, C), to 1e-9', () => {
    const rng = createRng(20261128);
    const ri = createReluBiasIntegrals();
    for (let draw = 0; draw < 200; draw++) {
      const c11 = 0.05 + 4 * rng.uniform();
      const c22 = 0.05 + 4 * rng.uniform();
      const rho = (2 * rng.uniform() - 1) * 0.999;
      const c12 = rho * Math.sqrt(c11 * c22);
      const mu1 = 6 * rng.uniform() - 3;
      const mu2 = 6 * rng.uniform() - 3;
      const cov = [
        [c11, c12],
        [c12, c22],
      ];
      const mean = [mu1, mu2];
      // 160 points per piece: the reference splits the outer level at λ1 = 0 only, so at |ρ| → 1 its outer integrand
      // has an unsplit transition of width ~√(1 − ρ²); 64 points were off by 2e-6 at ρ = −0.994 (draw 102).
      const e = (f: (x: Float64Array) => number) => expectGaussianSplit(f, cov, { mean, points: 160 });
      const m2 = e((x) => step(x[0]) * step(x[1]));
      const n = e((x) => step(x[0]) * relu(x[1]));
      const i2 = e((x) => relu(x[0]) * relu(x[1]));
      // Stein with h = 1[λ1 > 0] max(λ2, 0): E[(λ1 − μ1) h] = c11 M1 + c12 M2.
      const m1 = (e((x) => (x[0] - mu1) * step(x[0]) * relu(x[1])) - c12 * m2) / c11;
      const got = { ...ri.pair(mu1, mu2, c11, c12, c22) };
      const context = `draw ${draw}: μ = (${mu1}, ${mu2}), C = (${c11}, ${c12}, ${c22})`;
      for (const [name, want] of Object.entries({ m1, m2, n, i2 })) {
        const value = got[name as keyof typeof got];
        if (!(Math.abs(value - want) <= 1e-9 * (1 + Math.abs(want))))
          throw new Error(`${name}: ${value} vs ${want} (${context})`);
      }
      // Single: E 1[λ > 0] = φ; Stein: E[(λ − μ) 1[λ > 0]] = q χ and E[(λ − μ)² 1[λ > 0]] = q (E[δ(λ)(λ − μ)] + φ).
      const one = ri.single(mu1, c11);
      const e1 = (f: (x: Float64Array) => number) => expectGaussianSplit(f, [[c11]], { mean: [mu1] });
      const phi = e1((x) => step(x[0]));
      expect(one.phi).toBeCloseTo(phi, 11);
      expect(one.chi).toBeCloseTo(e1((x) => (x[0] - mu1) * step(x[0])) / c11, 10);
      expect(one.g2x).toBeCloseTo(e1((x) => (x[0] - mu1) ** 2 * step(x[0])) / c11 - phi, 9);
    }
  });

  test('near-degenerate correlation (|ρ| from 0.99 to 1 − 5e-7) with biases: M2, N, I2 equal their closed forms in Φ2, to 1e-11', () => {
    // λ2's transition in z (width √(1 − ρ²)/|ρ|) is narrow; its Φ tail must not sit on a long piece's end.
    const ri = createReluBiasIntegrals();
    for (const [mu1, mu2, c11, c22] of [
      [0.2, -0.5, 1, 1],
      [0.3, -0.4, 1, 1],
      [1.5, -1.2, 2, 0.7],
      [-0.6, 0.9, 0.5, 1.8],
    ])
      for (const e of [1e-2, 4e-3, 2e-3, 1e-3, 3e-4, 1e-4, 2e-5, 1e-6])
        for (const rho of [Math.sqrt(1 - e), -Math.sqrt(1 - e)]) expectClosedForms(ri, mu1, mu2, c11, c22, rho);
  });

  test('a unit almost always active (μ1 from 5 to 30 s1, λ1 = 0 far in the tail): M2, N, I2 equal their closed forms, to 1e-11', () => {
    // The integral over z > −μ1/s1 then spans the whole Gaussian bulk, with no transition of λ2 inside to cut at.
    const ri = createReluBiasIntegrals();
    for (const [mu1, mu2, c11, c22] of [
      [1.7632770538330078, 2.063444137573242, 0.06198959350585938, 3.265091811493039], // μ1 = 7.1 s1
      [2.886014699935913, 2.6734142303466797, 0.30835800170898436, 1.6036233186721802], // μ1 = 5.2 s1
      [3, -0.5, 0.01, 1], // μ1 = 30 s1
      [1.5, 0.8, 0.04, 0.5],
    ])
      for (const rho of [0.035, -0.11, 0.5, -0.8, 0.97]) expectClosedForms(ri, mu1, mu2, c11, c22, rho);
  });

  test('ReLU is positively homogeneous: scaling λ by α leaves M1, M2 and multiplies N by α, I2 by α², also at 1 − ρ² = 1e-6', () => {
    // g(αx) = α g(x), g′(αx) = g′(x), δ(αx) = δ(x)/α; the test for a degenerate conditional variance (v ≈ 0) is relative
    // to c22, so it must not depend on the scale: at α = 1e-2 a pair with 1 − ρ² = 1e-6 is not λ2 = affine(λ1).
    const ri = createReluBiasIntegrals();
    for (const e of [0.5, 1e-2, 1e-6])
      for (const [mu1, mu2, c11, c22] of [
        [0.3, -0.4, 1, 1.3],
        [-0.5, 0.7, 0.6, 2],
      ]) {
        const c12 = Math.sqrt((1 - e) * c11 * c22);
        const one = { ...ri.pair(mu1, mu2, c11, c12, c22) };
        for (const alpha of [1e-3, 1e-2, 10, 1e3]) {
          const a2 = alpha * alpha;
          const got = ri.pair(alpha * mu1, alpha * mu2, a2 * c11, a2 * c12, a2 * c22);
          const context = `α = ${alpha}, 1 − ρ² = ${e}, μ = (${mu1}, ${mu2})`;
          expect(got.m1, `M1 at ${context}`).toBeCloseTo(one.m1, 12);
          expect(got.m2, `M2 at ${context}`).toBeCloseTo(one.m2, 12);
          expect(got.n / alpha, `N at ${context}`).toBeCloseTo(one.n, 12);
          expect(got.i2 / a2, `I2 at ${context}`).toBeCloseTo(one.i2, 12);
        }
      }
  });

  test('the degenerate pair k = a (λ2 = λ1) gives the closed forms of one unit', () => {
    const ri = createReluBiasIntegrals();
    for (const [mu, q] of [
      [0.3, 1.2],
      [-1.1, 0.4],
      [0, 2],
      [2.5, 0.01],
      [-4, 3],
    ]) {
      const s = Math.sqrt(q);
      const h = mu / s;
      const got = ri.pair(mu, mu, q, q, q);
      expect(got.m1).toBeCloseTo(0, 14); // δ(λ) max(λ, 0) = 0, up to the rounding of μ − s·(μ/s)
      expect(got.m2).toBeCloseTo(normalCdf(h), 12);
      expect(got.n).toBeCloseTo(mu * normalCdf(h) + s * normalPdf(h), 12);
      expect(got.i2).toBeCloseTo((mu * mu + q) * normalCdf(h) + mu * s * normalPdf(h), 12);
    }
  });

  test('without bias the pair moments are the unbiased ReLU integrals (M2 = ¼ + asin(ρ)/(2π))', () => {
    const ri = createReluBiasIntegrals();
    for (const rho of [-0.9, -0.3, 0, 0.5, 0.95]) {
      const got = ri.pair(0, 0, 1, rho, 1);
      expect(got.m2).toBeCloseTo(0.25 + Math.asin(rho) / (2 * Math.PI), 12);
      // E[max(x1,0) max(x2,0)] = (√(1−ρ²) + ρ(π − arccos ρ)) / (2π) for unit variances.
      expect(got.i2).toBeCloseTo((Math.sqrt(1 - rho * rho) + rho * (Math.PI - Math.acos(rho))) / (2 * Math.PI), 12);
    }
  });
});
