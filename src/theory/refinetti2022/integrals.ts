/**
 * Gaussian integrals of Refinetti & Goldt 2022, docs/theory-refinetti2022.md (E8) (closed forms, float64).
 * C is the covariance of the jointly Gaussian (x1, x2[, x3]); the functions take its upper entries.
 *
 * | name | meaning |
 * |---|---|
 * | J2  | E[x1 g(x2)] |
 * | I2  | E[g(x1) g(x2)] |
 * | I21 | E[g'(x1) x1 x2] |
 * | I22 | E[g'(x1) x2²] |
 * | I3  | E[g'(x1) x2 g(x3)] |
 *
 * Activations: `linear` g(x) = x; `erf` g(x) = erf(x/√2); `relu` g(x) = max(x, 0). The ReLU forms are the correct ones
 * ([DERIVED; MC-checked] in docs/theory-refinetti2022.md (E8); tags: docs/confidence.md); the authors' `I2_relu`
 * returns exactly half of I2 (see {@link I2ReluAuthorsCode}).
 */

/** Activations with closed-form Gaussian integrals. */
export type IntegralActivation = 'linear' | 'erf' | 'relu';

/** Names of the integrals. */
export const INTEGRAL_NAMES = ['J2', 'I2', 'I21', 'I22', 'I3'] as const;
/** An integral's name. */
export type IntegralName = (typeof INTEGRAL_NAMES)[number];

const TWO_OVER_PI = 2 / Math.PI;
const SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);

/** Relative size below which a difference of two equal-magnitude variances is rounding noise. */
export const CANCELLATION_ULPS = 64;

/** Clamps a correlation into [−1, 1] against rounding (|c12| ≤ √(c11 c22) holds for any valid covariance). */
function corr(c: number, s: number): number {
  const r = c / s;
  return r > 1 ? 1 : Math.max(r, -1);
}

/** J2 = E[x1 g(x2)] = C12·E[g'(x2)] (Stein). */
export function J2(g: IntegralActivation, c11: number, c12: number, c22: number): number {
  void c11;
  switch (g) {
    case 'linear':
      return c12;
    case 'erf':
      return (c12 * Math.SQRT2) / Math.sqrt(Math.PI * (1 + c22));
    case 'relu':
      return c12 / 2;
  }
}

/** I2 = E[g(x1) g(x2)]. */
export function I2(g: IntegralActivation, c11: number, c12: number, c22: number): number {
  switch (g) {
    case 'linear':
      return c12;
    case 'erf':
      return TWO_OVER_PI * Math.asin(corr(c12, Math.sqrt((1 + c11) * (1 + c22))));
    case 'relu': {
      const s = Math.sqrt(c11 * c22);
      if (s === 0) return 0;
      const det = Math.max(c11 * c22 - c12 * c12, 0);
      return (Math.sqrt(det) + c12 * (Math.PI - Math.acos(corr(c12, s)))) / (2 * Math.PI);
    }
  }
}

/** I21 = E[g'(x1) x1 x2]. */
export function I21(g: IntegralActivation, c11: number, c12: number, c22: number): number {
  void c22;
  switch (g) {
    case 'linear':
      return c12;
    case 'erf':
      return (SQRT_TWO_OVER_PI * c12) / (1 + c11) ** 1.5;
    case 'relu':
      return c12 / 2;
  }
}

/** I22 = E[g'(x1) x2²]. */
export function I22(g: IntegralActivation, c11: number, c12: number, c22: number): number {
  switch (g) {
    case 'linear':
      return c22;
    case 'erf':
      return (SQRT_TWO_OVER_PI * (c22 * (1 + c11) - c12 * c12)) / (1 + c11) ** 1.5;
    case 'relu':
      return c22 / 2;
  }
}

/** I3 = E[g'(x1) x2 g(x3)]. For erf, Λ3 = (1 + C11)(1 + C33) − C13² > 0 for every valid covariance (no clamping). */
export function I3(
  g: IntegralActivation,
  c11: number,
  c12: number,
  c13: number,
  c22: number,
  c23: number,
  c33: number,
): number {
  void c22;
  switch (g) {
    case 'linear':
      return c23;
    case 'erf': {
      const lambda3 = (1 + c11) * (1 + c33) - c13 * c13;
      return (TWO_OVER_PI * (c23 * (1 + c11) - c12 * c13)) / ((1 + c11) * Math.sqrt(lambda3));
    }
    case 'relu': {
      // x1 ≡ 0 gives g'(x1) = 0 a.s.; x3 ≡ 0 gives g(x3) = 0.
      if (c11 === 0 || c33 === 0) return 0;
      // Conditional variance of x3 given x1; a value at rounding level (x3 ≡ x1 computed twice) is exactly 0, otherwise
      // the square root would turn 1 ulp into a 1e-8 relative error.
      const rawCond = c33 - (c13 * c13) / c11;
      const cond = rawCond <= CANCELLATION_ULPS * Number.EPSILON * c33 ? 0 : rawCond;
      return (
        (c12 * Math.sqrt(cond)) / (2 * Math.PI * Math.sqrt(c11)) +
        c23 * (0.25 + Math.asin(corr(c13, Math.sqrt(c11 * c33))) / (2 * Math.PI))
      );
    }
  }
}

/** Determinant below which the authors' I2_relu switches to its degenerate branch. */
const AUTHORS_DET_CUTOFF = 1e-6;

/**
 * The authors' `I2_relu(c11, c12, c22)` exactly as coded (src/ …; docs/theory-refinetti2022.md (K9)): it returns half
 * of the true I2 (and is discontinuous at det = 1e-6). Kept only so a test can show the bug; never used by the library.
 */
export function I2ReluAuthorsCode(c11: number, c12: number, c22: number): number {
  const det = c11 * c22 - c12 * c12;
  if (det < AUTHORS_DET_CUTOFF) return c11 / 2;
  const sdet = Math.sqrt(det);
  return (2 * sdet + Math.PI * c12 + 2 * c12 * Math.atan(c12 / sdet)) / (8 * Math.PI);
}

/** Evaluates an integral by name from the 3×3 covariance's upper entries (2-D integrals use c11, c12, c22). */
export function evaluateIntegral(
  name: IntegralName,
  g: IntegralActivation,
  c: { c11: number; c12: number; c22: number; c13?: number; c23?: number; c33?: number },
): number {
  switch (name) {
    case 'J2':
      return J2(g, c.c11, c.c12, c.c22);
    case 'I2':
      return I2(g, c.c11, c.c12, c.c22);
    case 'I21':
      return I21(g, c.c11, c.c12, c.c22);
    case 'I22':
      return I22(g, c.c11, c.c12, c.c22);
    case 'I3':
      return I3(g, c.c11, c.c12, c.c13 ?? 0, c.c22, c.c23 ?? 0, c.c33 ?? 0);
  }
}
