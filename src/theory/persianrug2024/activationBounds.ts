/**
 * What changing the activation can buy (docs/theory-persianrug2024.md §4.6 (P15)): for a feature x ~ (1 − p)δ₀ + p·U[0,
 * 1) seen through Gaussian interference, y = x + σz, the Bayes posterior mean E[x | y] is the best any elementwise
 * function can do (its MMSE lower-bounds ReLU, JumpReLU and learned nonlinearities); JumpReLU y·1[y > θ] at its best
 * threshold is a common alternative. Float64, quadrature only.
 */
import { gaussLegendre } from '../../core/quadrature.ts';
import { normalCdf, normalPdf } from '../../core/special.ts';

/** Gauss–Legendre nodes per piece of the y-integral. */
const NODES = 120;
/** Integration half-width in noise standard deviations. */
const WIDTH = 12;

function integrate(f: (y: number) => number, cuts: number[]): number {
  const sorted = [...cuts].sort((a, b) => a - b);
  let s = 0;
  for (let i = 0; i + 1 < sorted.length; i++) {
    if (!(sorted[i + 1] > sorted[i])) continue;
    const { nodes, weights } = gaussLegendre(NODES, sorted[i], sorted[i + 1]);
    for (let q = 0; q < nodes.length; q++) s += weights[q] * f(nodes[q]);
  }
  return s;
}

/**
 * Bayes MMSE E[(x − E[x|y])²] = ∫ (p·m₂(y) − num(y)²/den(y)) dy, the posterior variance integrated against the density
 * of y (written this way, not as E[x²] − ∫num²/den, which cancels catastrophically for small p). With a = −y/σ,
 * b = (1 − y)/σ and I₀ = Φ(b) − Φ(a): den(y) = (1 − p)φ_σ(y) + p·I₀, num(y) = p[y·I₀ + σ(φ(a) − φ(b))],
 * m₂(y) = y²I₀ + 2yσ(φ(a) − φ(b)) + σ²(aφ(a) − bφ(b) + I₀). The y-axis is split near 0 and 1 so the narrow peaks are
 * resolved.
 */
export function bayesMmse(p: number, sigma: number): number {
  const f = (y: number) => {
    const a = -y / sigma;
    const b = (1 - y) / sigma;
    const i0 = normalCdf(b) - normalCdf(a);
    const pa = normalPdf(a);
    const pb = normalPdf(b);
    const den = ((1 - p) * normalPdf(y / sigma)) / sigma + p * i0;
    const num = p * (y * i0 + sigma * (pa - pb));
    const m2 = y * y * i0 + 2 * y * sigma * (pa - pb) + sigma * sigma * (a * pa - b * pb + i0);
    return den > 0 ? Math.max(p * m2 - (num * num) / den, 0) : 0;
  };
  const s = sigma;
  const cuts = [-WIDTH * s, -s, 0, s, 3 * s, 10 * s, 1 - s, 1, 1 + s, 1 + WIDTH * s].filter(
    (c) => c >= -WIDTH * s && c <= 1 + WIDTH * s,
  );
  return integrate(f, cuts);
}

/**
 * JumpReLU loss at threshold θ: E[(x − y·1[y > θ])²] = (1 − p)σ²[τ₀φ(τ₀) + 1 − Φ(τ₀)] + p∫₀¹ [u²Φ(τ) + σ²(τφ(τ) + 1 − Φ(τ))] du,
 * with τ = (θ − u)/σ and τ₀ = θ/σ.
 */
export function jumpReluLoss(p: number, sigma: number, theta: number): number {
  const tail = (t: number) => t * normalPdf(t) + 1 - normalCdf(t);
  const off = (1 - p) * sigma * sigma * tail(theta / sigma);
  const cuts = [0, Math.min(Math.max(theta, 0), 1), 1];
  const on = integrate((u) => {
    const t = (theta - u) / sigma;
    return u * u * normalCdf(t) + sigma * sigma * tail(t);
  }, cuts);
  return off + p * on;
}

/** Golden-section iterations for the threshold. */
const GOLDEN_ITERATIONS = 70;

/** The best JumpReLU threshold θ ∈ [0, 1 + 6σ] and its loss (golden section after a coarse grid). */
export function bestJumpRelu(p: number, sigma: number): { loss: number; theta: number } {
  const hi = 1 + 6 * sigma;
  const grid = 200;
  let best = 0;
  let bestValue = Number.POSITIVE_INFINITY;
  for (let i = 0; i <= grid; i++) {
    const v = jumpReluLoss(p, sigma, (hi * i) / grid);
    if (v < bestValue) {
      bestValue = v;
      best = i;
    }
  }
  let x0 = (hi * Math.max(best - 1, 0)) / grid;
  let x3 = (hi * Math.min(best + 1, grid)) / grid;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < GOLDEN_ITERATIONS; it++) {
    const x1 = x3 - g * (x3 - x0);
    const x2 = x0 + g * (x3 - x0);
    if (jumpReluLoss(p, sigma, x1) <= jumpReluLoss(p, sigma, x2)) x3 = x2;
    else x0 = x1;
  }
  const theta = 0.5 * (x0 + x3);
  return { loss: Math.min(jumpReluLoss(p, sigma, theta), bestValue), theta };
}
