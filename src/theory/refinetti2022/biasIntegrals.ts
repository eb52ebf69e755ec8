/**
 * Gaussian integrals with a trained encoder bias (digest §1.1-1.2: the pre-activation is λ^k = w^k·x/√D + β_k with
 * β_k = b_k/√D, trained with learning rate η). The local fields are then N(β, Q) instead of N(0, Q); the Stein
 * derivation of the vector form is unchanged (it acts on the centred part), only the integrals move:
 * φ_k = E g'(λ^k), χ_k = E g''(λ^k), ψ_k = E[g''(λ^k) ν^k] = (R^{kk}/Q^{kk}) E[g''(λ^k)(λ^k − β_k)],
 * M1^{ka} = E[g''(λ^k) g(λ^a)], M2^{ka} = E[g'(λ^k) g'(λ^a)], I2^{ka} = E[g(λ^k) g(λ^a)], N^{ka} = E[g'(λ^k) g(λ^a)].
 * All are computed by tensor Gauss–Hermite quadrature from pointwise g, g', g'' — smooth activations only (linear, erf,
 * custom); ReLU's g'' is a Dirac delta and needs closed forms that are not implemented.
 */
import { gaussHermiteNormal } from '../../core/quadrature.ts';

/** Pointwise g, g', g''. */
export interface PointwiseActivation {
  g(x: number): number;
  g1(x: number): number;
  g2(x: number): number;
}

/** Biased pair moments of (λ^k, λ^a) ~ N((μ1, μ2), [[c11, c12], [c12, c22]]). */
export interface PairMoments {
  m1: number;
  m2: number;
  i2: number;
  n: number;
}

/** Quadrature for biased integrals with `points` Gauss–Hermite nodes per dimension. */
export function createBiasQuadrature(fns: PointwiseActivation, points: number) {
  const { nodes, weights } = gaussHermiteNormal(points);
  const P = nodes.length;
  const out: PairMoments = { m1: 0, m2: 0, i2: 0, n: 0 };
  return {
    /** E g'(λ), E g''(λ), E[g''(λ)(λ − μ)] for λ ~ N(μ, q). */
    single(mu: number, q: number): { phi: number; chi: number; g2x: number } {
      const s = Math.sqrt(Math.max(q, 0));
      let phi = 0;
      let chi = 0;
      let g2x = 0;
      for (let i = 0; i < P; i++) {
        const z = s * nodes[i];
        const x = mu + z;
        const w = weights[i];
        phi += w * fns.g1(x);
        const d2 = fns.g2(x);
        chi += w * d2;
        g2x += w * d2 * z;
      }
      return { phi, chi, g2x };
    },
    /** Pair moments; the returned object is reused between calls. */
    pair(mu1: number, mu2: number, c11: number, c12: number, c22: number): PairMoments {
      const l11 = Math.sqrt(Math.max(c11, 0));
      const l21 = l11 > 0 ? c12 / l11 : 0;
      const l22 = Math.sqrt(Math.max(c22 - l21 * l21, 0));
      let m1 = 0;
      let m2 = 0;
      let i2 = 0;
      let n = 0;
      for (let i = 0; i < P; i++) {
        const x1 = mu1 + l11 * nodes[i];
        const g = fns.g(x1);
        const d1 = fns.g1(x1);
        const d2 = fns.g2(x1);
        let sg = 0;
        let sd1 = 0;
        for (let j = 0; j < P; j++) {
          const x2 = mu2 + l21 * nodes[i] + l22 * nodes[j];
          sg += weights[j] * fns.g(x2);
          sd1 += weights[j] * fns.g1(x2);
        }
        const w = weights[i];
        m1 += w * d2 * sg;
        m2 += w * d1 * sd1;
        i2 += w * g * sg;
        n += w * d1 * sg;
      }
      out.m1 = m1;
      out.m2 = m2;
      out.i2 = i2;
      out.n = n;
      return out;
    },
  };
}
