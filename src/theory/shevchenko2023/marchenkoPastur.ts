/**
 * Asymptotic risk of a random Gaussian encoder with the optimal decoder (docs/theory-shevchenko2023.md (S6)): by the
 * Bussgang reading, R* ≈ 1 − E[λ/(λ + κ)] over the eigenvalues λ of B̂ᵀB̂ (d of them, trace n), whose law for i.i.d.
 * Gaussian rows is r·MP(γ = 1/r): Marchenko–Pastur with ratio γ = d/n, plus an atom of mass 1 − r at 0 when r < 1.
 */
import { ValidationError } from '../../core/errors.ts';
import { gaussLegendre } from '../../core/quadrature.ts';
import { KAPPA } from './signRisk.ts';

/** Gauss–Legendre points for the MP integral; the substitution w = w₋ + (w₊ − w₋)(1 − cos θ)/2 removes the square-root
 * endpoints, so the integrand is smooth and 200 points give ~1e-14. */
const MP_POINTS = 200;

/** E f(λ) for λ = r·w, w ~ Marchenko–Pastur with ratio γ = 1/r (unit variance), atom at 0 included. */
export function marchenkoPasturExpectation(rate: number, f: (lambda: number) => number): number {
  if (!(rate > 0))
    throw new ValidationError({ field: 'rate', received: rate, expected: 'a positive compression rate r = n/d' });
  const gamma = 1 / rate;
  const lo = (1 - Math.sqrt(gamma)) ** 2;
  const hi = (1 + Math.sqrt(gamma)) ** 2;
  const { nodes, weights } = gaussLegendre(MP_POINTS, 0, Math.PI);
  let s = 0;
  for (let q = 0; q < nodes.length; q++) {
    const theta = nodes[q];
    const w = lo + ((hi - lo) * (1 - Math.cos(theta))) / 2;
    const dw = ((hi - lo) * Math.sin(theta)) / 2;
    const density = Math.sqrt(Math.max((hi - w) * (w - lo), 0)) / (2 * Math.PI * gamma * w);
    s += weights[q] * density * dw * f(rate * w);
  }
  const atom = Math.max(0, 1 - rate);
  return s + atom * f(0);
}

/** 1 − E_MP[λ/(λ + κ)]: the large-d risk of a random Gaussian encoder with its optimal decoder. */
export function randomEncoderRisk(rate: number): number {
  return 1 - marchenkoPasturExpectation(rate, (l) => l / (l + KAPPA));
}
