/**
 * Gaussian integrals of the Stein form of the Refinetti & Goldt 2022 ODEs (docs/theory-refinetti2022.md (E9), (E11)),
 * closed forms for g ∈ {linear, erf(x/√2), ReLU}. C is the covariance of (x1, x2); entries c11, c12, c22.
 *
 * | name | meaning | erf | linear | ReLU |
 * |---|---|---|---|---|
 * | phi  | E[g'(x)], x ~ N(0, q)  | √(2/π)/√(1+q) | 1 | 1/2 |
 * | psi  | E[g''(x1) x2]          | −√(2/π) c12/(1+c11)^{3/2} | 0 | 0 |
 * | M1   | E[g''(x1) g(x2)]       | −I3(cov of (x1, x1, x2)) | 0 | √(c22 − c12²/c11)/(2π√c11) |
 * | M2   | E[g'(x1) g'(x2)]       | (2/π)/√((1+c11)(1+c22) − c12²) | 1 | 1/4 + arcsin(c12/√(c11c22))/(2π) |
 *
 * For ReLU, g'' is the Dirac delta at 0 (g' is a step): E[δ(x1) ν] = 0 because E[ν | x1 = 0] = 0.
 */
import { CANCELLATION_ULPS, type IntegralActivation, I3 } from './integrals.ts';

const TWO_OVER_PI = 2 / Math.PI;
const SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_TWO_PI = 1 / (2 * Math.PI);

/** φ = E[g'(x)], x ~ N(0, q). */
export function steinPhi(g: IntegralActivation, q: number): number {
  switch (g) {
    case 'linear':
      return 1;
    case 'erf':
      return SQRT_TWO_OVER_PI / Math.sqrt(1 + q);
    case 'relu':
      return 0.5;
  }
}

/** ψ = E[g''(x1) x2] with Var x1 = c11, Cov(x1, x2) = c12. */
export function steinPsi(g: IntegralActivation, c11: number, c12: number): number {
  switch (g) {
    case 'linear':
    case 'relu':
      return 0;
    case 'erf':
      return (-SQRT_TWO_OVER_PI * c12) / (1 + c11) ** 1.5;
  }
}

/** M1 = E[g''(x1) g(x2)]. */
export function steinM1(g: IntegralActivation, c11: number, c12: number, c22: number): number {
  switch (g) {
    case 'linear':
      return 0;
    case 'erf':
      // g''(x) = −x g'(x) for g = erf(x/√2), so E[g''(x1) g(x2)] = −E[g'(x1) x1 g(x2)] = −I3(x1, x1, x2).
      return -I3('erf', c11, c11, c12, c11, c12, c22);
    case 'relu': {
      if (c11 <= 0) return 0;
      // A conditional variance at rounding level (x2 ≡ x1, the a = k term) is exactly 0: √(1 ulp) would be 1e-8.
      const rawCond = c22 - (c12 * c12) / c11;
      const cond = rawCond <= CANCELLATION_ULPS * Number.EPSILON * c22 ? 0 : rawCond;
      return (Math.sqrt(cond) * INV_TWO_PI) / Math.sqrt(c11);
    }
  }
}

/** M2 = E[g'(x1) g'(x2)]. */
export function steinM2(g: IntegralActivation, c11: number, c12: number, c22: number): number {
  switch (g) {
    case 'linear':
      return 1;
    case 'erf':
      return TWO_OVER_PI / Math.sqrt((1 + c11) * (1 + c22) - c12 * c12);
    case 'relu': {
      const s = Math.sqrt(c11 * c22);
      if (s === 0) return 0.25;
      const rho = Math.min(1, Math.max(-1, c12 / s));
      return 0.25 + Math.asin(rho) * INV_TWO_PI;
    }
  }
}
