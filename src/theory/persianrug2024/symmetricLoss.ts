/**
 * The loss of the toy model of superposition from its large-scale statistics (Cowsik, Dolev, Infanger 2024;
 * docs/theory-persianrug2024.md §4.2–§4.5). Data: each of n features is on with probability p, then U[0, 1). Under the
 * symmetric, Gaussian assumption every feature sees pre-activation a·x_i + c + σz, and
 *   L(a, c, σ; p) = (1 − p) E[ReLU(c + σz)²] + p E_{u,z}[(ReLU(au + c + σz) − u)²].
 * Float64, deterministic, no backend.
 */
import { ValidationError } from '../../core/errors.ts';
import { gaussLegendre } from '../../core/quadrature.ts';
import { normalCdf, normalPdf } from '../../core/special.ts';

/**
 * Gauss–Legendre nodes over u ∈ [0, 1] for the on-term; 50–200 nodes are exact to ~1e-10 (docs/theory-persianrug2024.md
 * (P7)).
 */
const U_NODES = 200;

function checkP(p: number): void {
  if (!(p > 0 && p <= 1))
    throw new ValidationError({ field: 'p', received: p, expected: 'a feature probability in (0, 1]' });
}

/** E[ReLU(m + σz)] = mΦ(m/σ) + σφ(m/σ) (σ = 0: ReLU(m)). */
export function reluMean(m: number, sigma: number): number {
  if (sigma === 0) return Math.max(m, 0);
  const t = m / sigma;
  return m * normalCdf(t) + sigma * normalPdf(t);
}

/** E[ReLU(m + σz)²] = (m² + σ²)Φ(m/σ) + mσφ(m/σ) (σ = 0: ReLU(m)²). */
export function reluSecondMoment(m: number, sigma: number): number {
  if (sigma === 0) return Math.max(m, 0) ** 2;
  const t = m / sigma;
  return (m * m + sigma * sigma) * normalCdf(t) + m * sigma * normalPdf(t);
}

/**
 * L(a, c, σ; p) by Gauss–Legendre quadrature over u with the closed-form Gaussian moments
 * (docs/theory-persianrug2024.md (P6), (P7)).
 */
export function lossByQuadrature(a: number, c: number, sigma: number, p: number): number {
  checkP(p);
  if (!(sigma >= 0))
    throw new ValidationError({ field: 'sigma', received: sigma, expected: 'a noise standard deviation ≥ 0' });
  // The integrand bends where au + c crosses 0 (a kink when σ = 0): integrate on each side of u* = −c/a so every
  // piece is smooth and Gauss–Legendre keeps its spectral accuracy.
  const kink = a !== 0 ? -c / a : Number.NaN;
  const pieces: [number, number][] =
    kink > 0 && kink < 1
      ? [
          [0, kink],
          [kink, 1],
        ]
      : [[0, 1]];
  let on = 0;
  for (const [lo, hi] of pieces) {
    const { nodes, weights } = gaussLegendre(U_NODES, lo, hi);
    for (let q = 0; q < nodes.length; q++) {
      const u = nodes[q];
      const m = a * u + c;
      on += weights[q] * (reluSecondMoment(m, sigma) - 2 * u * reluMean(m, sigma) + u * u);
    }
  }
  return (1 - p) * reluSecondMoment(c, sigma) + p * on;
}

/** I_k(α, β) = E[z^k 1{α < z < β}] for k = 0..3, z ~ N(0, 1) (±∞ allowed). */
function truncatedNormalMoments(alpha: number, beta: number): [number, number, number, number] {
  const pa = Number.isFinite(alpha) ? normalPdf(alpha) : 0;
  const pb = Number.isFinite(beta) ? normalPdf(beta) : 0;
  const fa = (k: number) => (Number.isFinite(alpha) ? alpha ** k * pa : 0);
  const fb = (k: number) => (Number.isFinite(beta) ? beta ** k * pb : 0);
  const i0 = normalCdf(beta) - normalCdf(alpha);
  const i1 = pa - pb;
  const i2 = fa(1) - fb(1) + i0;
  const i3 = fa(2) - fb(2) + 2 * i1;
  return [i0, i1, i2, i3];
}

/** M_k = E[s^k 1{lo < s < hi}] for s ~ N(μ, σ²), k = 0..3 (σ > 0). */
function intervalMoments(mu: number, sigma: number, lo: number, hi: number): [number, number, number, number] {
  const [i0, i1, i2, i3] = truncatedNormalMoments((lo - mu) / sigma, (hi - mu) / sigma);
  return [
    i0,
    mu * i0 + sigma * i1,
    mu * mu * i0 + 2 * mu * sigma * i1 + sigma * sigma * i2,
    mu ** 3 * i0 + 3 * mu * mu * sigma * i1 + 3 * mu * sigma * sigma * i2 + sigma ** 3 * i3,
  ];
}

/**
 * G(s) = ∫₀¹ u ReLU(u + s) du and H(s) = ∫₀¹ ReLU(u + s)² du (piecewise cubics, docs/theory-persianrug2024.md (P8)).
 */
function gh(s: number): { g: number; h: number } {
  if (s <= -1) return { g: 0, h: 0 };
  if (s < 0) return { g: (2 + 3 * s - s ** 3) / 6, h: (1 + s) ** 3 / 3 };
  return { g: (2 + 3 * s) / 6, h: (1 + 3 * s + 3 * s * s) / 3 };
}

/**
 * E[G(s)], E[H(s)], E[ReLU(s)²] for s ~ N(μ, σ²), in closed form by truncated normal moments
 * (docs/theory-persianrug2024.md (P9)).
 */
export function unitDiagonalExpectations(mu: number, sigma: number): { eg: number; eh: number; er2: number } {
  if (sigma === 0) {
    const { g, h } = gh(mu);
    return { eg: g, eh: h, er2: Math.max(mu, 0) ** 2 };
  }
  const [a0, a1, a2, a3] = intervalMoments(mu, sigma, -1, 0);
  const [b0, b1, b2] = intervalMoments(mu, sigma, 0, Number.POSITIVE_INFINITY);
  return {
    eg: (2 * a0 + 3 * a1 - a3) / 6 + (2 * b0 + 3 * b1) / 6,
    eh: (a0 + 3 * a1 + 3 * a2 + a3) / 3 + (b0 + 3 * b1 + 3 * b2) / 3,
    er2: b2,
  };
}

/**
 * The noise variance the rank bound forces at unit diagonal (docs/theory-persianrug2024.md (P11)): σ0² = (1/r − 1)(p/3
 * − p²/4).
 */
export function rankBoundNoiseVariance(r: number, p: number): number {
  if (!(r > 0 && r <= 1))
    throw new ValidationError({ field: 'r', received: r, expected: 'a compression ratio m/n in (0, 1]' });
  checkP(p);
  return (1 / r - 1) * (p / 3 - (p * p) / 4);
}

/**
 * Unit-diagonal form (docs/theory-persianrug2024.md (P8)): with s ~ N(μ_s, σ_s²), L(A, μ_s) = p/3 − 2Ap E[G] + A²(p
 * E[H] + (1 − p)E[ReLU(s)²]); the optimal output scale A* = p E[G]/(p E[H] + (1 − p) E[ReLU²]) gives L(μ_s) = p/3 − p²
 * E[G]²/(p E[H] + (1 − p) E[ReLU²]).
 */
export function unitDiagonalLoss(mu: number, sigma: number, p: number): { loss: number; scale: number } {
  checkP(p);
  const { eg, eh, er2 } = unitDiagonalExpectations(mu, sigma);
  const den = p * eh + (1 - p) * er2;
  if (den <= 0) return { loss: p / 3, scale: 0 }; // the output is identically 0
  return { loss: p / 3 - (p * p * eg * eg) / den, scale: (p * eg) / den };
}

/** Grid points of the robust 1-D minimisation, before golden-section refinement. */
const GRID_POINTS = 400;
/** Golden-section iterations (each shrinks the bracket by 0.618: 80 reach machine precision). */
const GOLDEN_ITERATIONS = 80;

/**
 * L*(r, p) = min over μ_s of the unit-diagonal loss with σ_s = σ0 (docs/theory-persianrug2024.md (P12)): a grid over
 * μ_s ∈ [−1 − 10σ0, 4 + 10σ0 + p/(2r)] (the loss is flat beyond: everything filtered below, linear above), then
 * golden-section search in the best bracket.
 */
export function symmetricOptimum(r: number, p: number): { loss: number; mu: number; scale: number; sigma: number } {
  const sigma = Math.sqrt(rankBoundNoiseVariance(r, p));
  const lo = -1 - 10 * sigma;
  // Dense regime: the optimum is 'linear plus a positive bias', μ_s ≈ (1/r − 1)p/2, which must lie inside the grid.
  const hi = 4 + 10 * sigma + p / (2 * r);
  const f = (mu: number) => unitDiagonalLoss(mu, sigma, p).loss;
  let best = 0;
  let bestValue = Number.POSITIVE_INFINITY;
  const step = (hi - lo) / GRID_POINTS;
  for (let i = 0; i <= GRID_POINTS; i++) {
    const v = f(lo + i * step);
    if (v < bestValue) {
      bestValue = v;
      best = i;
    }
  }
  let x0 = lo + Math.max(best - 1, 0) * step;
  let x3 = lo + Math.min(best + 1, GRID_POINTS) * step;
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = x3 - g * (x3 - x0);
  let x2 = x0 + g * (x3 - x0);
  let f1 = f(x1);
  let f2 = f(x2);
  for (let it = 0; it < GOLDEN_ITERATIONS; it++) {
    if (f1 <= f2) {
      x3 = x2;
      x2 = x1;
      f2 = f1;
      x1 = x3 - g * (x3 - x0);
      f1 = f(x1);
    } else {
      x0 = x1;
      x1 = x2;
      f1 = f2;
      x2 = x0 + g * (x3 - x0);
      f2 = f(x2);
    }
  }
  const mu = f1 <= f2 ? x1 : x2;
  const { loss, scale } = unitDiagonalLoss(mu, sigma, p);
  return { loss: Math.min(loss, bestValue), mu, scale, sigma };
}

/** The high-sparsity asymptote (docs/theory-persianrug2024.md (P14)): L* ≈ (1/r − 1) p² ln(1/p)/6 as p → 0. */
export function highSparsityAsymptote(r: number, p: number): number {
  return ((1 / r - 1) * p * p * Math.log(1 / p)) / 6;
}

/**
 * Baselines (docs/theory-persianrug2024.md (P13), (P18)): zero output p/3; best constant p/3 − p²/4; the optimal linear
 * model with bias (1 − r)(p/3 − p²/4).
 */
export function baselines(r: number, p: number): { zero: number; constant: number; linear: number } {
  checkP(p);
  const variance = p / 3 - (p * p) / 4;
  return { zero: p / 3, constant: variance, linear: (1 - r) * variance };
}
