import { describe, expect, test } from 'vitest';
import { expectGaussianSplit } from '../../core/quadrature.ts';
import { createRng } from '../../core/rng.ts';
import { normalCdf, normalPdf } from '../../core/special.ts';
import { createReluBiasIntegrals } from './biasIntegrals.ts';

const relu = (x: number) => (x > 0 ? x : 0);
const step = (x: number) => (x > 0 ? 1 : 0);

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
