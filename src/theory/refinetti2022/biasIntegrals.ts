/**
 * Gaussian integrals with a trained encoder bias (paper eq. (1) with the code's encoder bias,
 * docs/theory-refinetti2022.md (E1), (E3): the pre-activation is λ^k = w^k·x/√D + β_k with β_k = b_k/√D, trained with
 * learning rate η). The local fields are then N(β, Q) instead of N(0, Q); the Stein derivation of the vector form is
 * unchanged (it acts on the centred part), only the integrals move: φ_k = E g'(λ^k), χ_k = E g''(λ^k), ψ_k = E[g''(λ^k)
 * ν^k] = (R^{kk}/Q^{kk}) E[g''(λ^k)(λ^k − β_k)], M1^{ka} = E[g''(λ^k) g(λ^a)], M2^{ka} = E[g'(λ^k) g'(λ^a)], I2^{ka} =
 * E[g(λ^k) g(λ^a)], N^{ka} = E[g'(λ^k) g(λ^a)]. For smooth activations (linear, erf, custom) all are computed by tensor
 * Gauss–Hermite quadrature from pointwise g, g', g''. ReLU's g'' is a Dirac delta and its g' a step, so {@link
 * createReluBiasIntegrals} uses the conditional Gaussian in closed form and one smooth 1-D integral instead.
 */
import { gaussHermiteNormal, gaussLegendre } from '../../core/quadrature.ts';
import { normalCdf, normalPdf } from '../../core/special.ts';

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

/** The biased integrals the ODE and the test error need. */
export interface BiasIntegrals {
  /** E g'(λ), E g''(λ), E[g''(λ)(λ − μ)] for λ ~ N(μ, q). */
  single(mu: number, q: number): { phi: number; chi: number; g2x: number };
  /** Pair moments of (λ^k, λ^a) ~ N((μ1, μ2), [[c11, c12], [c12, c22]]); the returned object may be reused. */
  pair(mu1: number, mu2: number, c11: number, c12: number, c22: number): PairMoments;
  /**
   * Optional: the pair moments both ways, `forward` = pair(μ1, μ2, c11, c12, c22) and `backward` = pair(μ2, μ1, c22,
   * c12, c11), written into the given objects, at about the cost of one (M2 and I2 are symmetric, and both N's are
   * integrals over the same variable). The values agree with two `pair` calls to the integrals' accuracy.
   */
  pairBoth?(
    mu1: number,
    mu2: number,
    c11: number,
    c12: number,
    c22: number,
    forward: PairMoments,
    backward: PairMoments,
  ): void;
}

/** Quadrature for biased integrals with `points` Gauss–Hermite nodes per dimension. */
export function createBiasQuadrature(fns: PointwiseActivation, points: number): BiasIntegrals {
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

/** Half-width, in standard deviations, of the 1-D integrals of {@link createReluBiasIntegrals} (tail mass < 1e-18). */
const RELU_HALF_WIDTH = 9;
/**
 * Gauss–Legendre points per smooth piece of the ReLU pair integrals. With the cuts below, 16 are within 1.2e-14
 * (relative to 1 + |value|) of closed forms in the bivariate normal distribution function over 2000 random states,
 * half of them with 1 − ρ² between 1e-6 and 1e-2 (biasIntegrals.test.ts checks both regimes).
 */
const RELU_PIECE_POINTS = 16;
/**
 * Cuts in z fixed in the Gaussian bulk: φ_N(z) varies on a scale of 1, and one 24-point piece over [−9, 9] (a unit
 * with |β| ≫ √Q, λ1 = 0 far in the tail) was off by 2e-8 in M2 and 3e-7 in I2.
 */
const RELU_BULK_CUTS = [-3, 0, 3];
/**
 * Transition width w (in z) of P(λ2 > 0 | z) below which the transition gets its own cuts at 0, ±w, ±4w and ±8w:
 * without the ±8w cuts, the Φ tail beyond 4w sat at the end of a long piece and M2 was off by up to 6e-8 near
 * |ρ| = 0.9995.
 */
const RELU_WIDE_TRANSITION = 1;
/** Relative conditional variance below which λ^a is taken as a deterministic function of λ^k (v = c22 − c12²/c11 ≈ 0). */
const DEGENERATE_VARIANCE = 1e-13;

/** The cuts around a narrow transition at z_c, in widths w: z_c + f·w. */
const TRANSITION_CUTS = [-8, -4, -1, 0, 1, 4, 8];

/**
 * Inserts c into the ascending `cuts` (whose first entry is lo) when lo < c < RELU_HALF_WIDTH: an insertion sort, as
 * there are at most eleven cuts (equal cuts keep either order: they are the same number). cuts[0] = lo < c stops it.
 */
function addCut(cuts: number[], c: number, lo: number): void {
  if (!(c > lo && c < RELU_HALF_WIDTH)) return;
  let i = cuts.length;
  cuts.push(c);
  while (cuts[i - 1] > c) {
    cuts[i] = cuts[i - 1];
    i--;
  }
  cuts[i] = c;
}

/** E max(Y, 0) for Y ~ N(m, v). */
function reluMean(m: number, v: number): number {
  if (!(v > 0)) return m > 0 ? m : 0;
  const s = Math.sqrt(v);
  return m * normalCdf(m / s) + s * normalPdf(m / s);
}

/** P(Y > 0) for Y ~ N(m, v). */
function positiveProbability(m: number, v: number): number {
  if (!(v > 0)) return m > 0 ? 1 : 0;
  return normalCdf(m / Math.sqrt(v));
}

/**
 * The biased integrals of ReLU (g = max(x, 0), g' = 1[x > 0], g'' = δ(x)), for (λ1, λ2) ~ N((μ1, μ2), C):
 * - single: φ = Φ(μ/s), χ = p_λ(0) = φ_N(μ/s)/s, E[δ(λ)(λ − μ)] = −μ χ (s = √q);
 * - M1 = E[δ(λ1) g(λ2)] = p_λ1(0) · E[max(λ2, 0) | λ1 = 0] (the conditional Gaussian in closed form);
 * - M2 = P(λ1 > 0, λ2 > 0), N = E[1[λ1 > 0] max(λ2, 0)], I2 = E[max(λ1, 0) max(λ2, 0)]: with λ1 = μ1 + s1 z,
 *   λ2 | z ~ N(μ2 + b z, v) (b = c12/s1, v = c22 − b²), each is ∫_{z > −μ1/s1} φ_N(z) h(z) dz with h in closed form
 *   (P(λ2 > 0 | z), E[max(λ2, 0) | z], times λ1). The integrand is smooth on that half-line except near where the
 *   conditional mean μ2 + b z crosses 0 (a kink when v = 0, as for k = a; a transition of width √v/|b| otherwise),
 *   so Gauss–Legendre runs on pieces split there, for a narrow transition also one, four and eight widths either
 *   side, and at z = −3, 0, 3.
 *   The diagonal pair (λ2 = λ1) is one unit's truncated moments, in closed form.
 */
export function createReluBiasIntegrals(points = RELU_PIECE_POINTS): BiasIntegrals {
  const base = gaussLegendre(points);
  const out: PairMoments = { m1: 0, m2: 0, i2: 0, n: 0 };
  const cuts: number[] = [];
  /**
   * M2, N and I2 of the general path into `target`, over z with λ1 = μ1 + s1 z and λ2 | z ~ N(μ2 + b z, v); returns
   * N the other way, E[1[λ2 > 0] max(λ1, 0)] = ∫ φ_N(z) λ1 P(λ2 > 0 | z) dz over the same pieces (its integrand is
   * M2's times the linear λ1, so the same cuts serve it).
   */
  const integrate = (mu1: number, mu2: number, s1: number, b: number, v: number, zOn: number, target: PairMoments) => {
    let m2 = 0;
    let n = 0;
    let i2 = 0;
    let nBack = 0;
    const lo = Math.max(zOn, -RELU_HALF_WIDTH);
    if (lo < RELU_HALF_WIDTH) {
      cuts.length = 0;
      cuts.push(lo);
      for (const c of RELU_BULK_CUTS) if (c > lo) cuts.push(c);
      if (b !== 0) {
        const zc = -mu2 / b;
        const w = Math.sqrt(v) / Math.abs(b);
        if (v > 0 && w < RELU_WIDE_TRANSITION) {
          for (const f of TRANSITION_CUTS) addCut(cuts, zc + f * w, lo);
        } else addCut(cuts, zc, lo);
      }
      cuts.push(RELU_HALF_WIDTH);
      const sv = Math.sqrt(v);
      for (let p = 0; p + 1 < cuts.length; p++) {
        const half = 0.5 * (cuts[p + 1] - cuts[p]);
        if (!(half > 0)) continue;
        const mid = 0.5 * (cuts[p + 1] + cuts[p]);
        for (let q = 0; q < base.nodes.length; q++) {
          const z = mid + half * base.nodes[q];
          const w = base.weights[q] * half * normalPdf(z);
          const m = mu2 + b * z;
          // P(λ2 > 0 | z) and E[max(λ2, 0) | z], sharing one Φ.
          let p: number;
          let r: number;
          if (v > 0) {
            p = normalCdf(m / sv);
            r = m * p + sv * normalPdf(m / sv);
          } else {
            p = m > 0 ? 1 : 0;
            r = m > 0 ? m : 0;
          }
          const lambda1 = mu1 + s1 * z;
          m2 += w * p;
          n += w * r;
          i2 += w * lambda1 * r;
          nBack += w * lambda1 * p;
        }
      }
    }
    target.m2 = m2;
    target.n = n;
    target.i2 = i2;
    return nBack;
  };
  /** M1 = p_λ1(0)·E[max(λ2, 0) | λ1 = 0] (the conditional Gaussian in closed form). */
  const m1Of = (mu2: number, s1: number, b: number, v: number, zOn: number) =>
    (normalPdf(zOn) / s1) * reluMean(mu2 + b * zOn, v);
  /** v = c22 − c12²/c11, set to 0 below its degeneracy threshold. */
  const conditionalVariance = (c22: number, b: number) => {
    const v = c22 - b * b;
    return v <= DEGENERATE_VARIANCE * Math.max(c22, 0) ? 0 : v;
  };
  const pair = (mu1: number, mu2: number, c11: number, c12: number, c22: number): PairMoments => {
    const s1 = Math.sqrt(Math.max(c11, 0));
    if (s1 === 0) {
      // λ1 = μ1: δ(μ1) vanishes unless μ1 = 0, a measure-zero state (zero weights and zero bias).
      const on = mu1 > 0 ? 1 : 0;
      const r = reluMean(mu2, c22);
      out.m1 = 0;
      out.m2 = on * positiveProbability(mu2, c22);
      out.n = on * r;
      out.i2 = (mu1 > 0 ? mu1 : 0) * r;
      return out;
    }
    const b = c12 / s1;
    const v = conditionalVariance(c22, b);
    const zOn = -mu1 / s1; // λ1 = 0
    // λ2 = λ1 needs c12 = c11 as well: with c12 = −c11 (v = 0 too) λ2 = 2μ1 − λ1, which the general path handles.
    if (v === 0 && mu1 === mu2 && c11 === c22 && c12 === c11) {
      // λ2 = λ1 (the diagonal k = a): one unit's truncated moments in closed form.
      const h = mu1 / s1;
      const cdf = normalCdf(h);
      const pdf = normalPdf(h);
      out.m1 = 0;
      out.m2 = cdf;
      out.n = mu1 * cdf + s1 * pdf;
      out.i2 = (mu1 * mu1 + c11) * cdf + mu1 * s1 * pdf;
      return out;
    }
    out.m1 = m1Of(mu2, s1, b, v, zOn);
    integrate(mu1, mu2, s1, b, v, zOn, out);
    return out;
  };
  const copy = (from: PairMoments, to: PairMoments) => {
    to.m1 = from.m1;
    to.m2 = from.m2;
    to.i2 = from.i2;
    to.n = from.n;
  };
  return {
    single(mu, q) {
      const s = Math.sqrt(Math.max(q, 0));
      if (s === 0) return { phi: mu > 0 ? 1 : 0, chi: 0, g2x: 0 };
      const chi = normalPdf(mu / s) / s;
      return { phi: normalCdf(mu / s), chi, g2x: -mu * chi };
    },
    pair,
    pairBoth(mu1, mu2, c11, c12, c22, forward, backward) {
      const s1 = Math.sqrt(Math.max(c11, 0));
      const b = s1 > 0 ? c12 / s1 : 0;
      const v = s1 > 0 ? conditionalVariance(c22, b) : 0;
      // The shared integral only for a proper bivariate normal (v > 0, hence c22 > 0 and c11 − c12²/c22 = v·c11/c22 > 0);
      // a degenerate one (a unit with Q = 0, λ2 a function of λ1, the diagonal) takes the two one-way paths, which have
      // their own closed forms.
      if (!(v > 0)) {
        copy(pair(mu1, mu2, c11, c12, c22), forward);
        copy(pair(mu2, mu1, c22, c12, c11), backward);
        return;
      }
      const s2 = Math.sqrt(c22);
      const bBack = c12 / s2;
      const zOn = -mu1 / s1;
      forward.m1 = m1Of(mu2, s1, b, v, zOn);
      backward.n = integrate(mu1, mu2, s1, b, v, zOn, forward);
      backward.m2 = forward.m2;
      backward.i2 = forward.i2;
      // M1 the other way: p_λ2(0)·E[max(λ1, 0) | λ2 = 0], exactly as pair(μ2, μ1, c22, c12, c11) computes it.
      backward.m1 = m1Of(mu1, s2, bBack, conditionalVariance(c11, bBack), -mu2 / s2);
    },
  };
}
