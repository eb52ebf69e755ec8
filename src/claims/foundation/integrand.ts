import { erf } from '../../core/special.ts';
import { INTEGRAL_NAMES, type IntegralActivation, type IntegralName } from '../../theory/refinetti2022/integrals.ts';

/** g and g' of an activation, written out independently of the closed forms they check. */
export function activationPair(g: IntegralActivation): { f: (x: number) => number; df: (x: number) => number } {
  switch (g) {
    case 'linear':
      return { f: (x) => x, df: () => 1 };
    case 'erf':
      return { f: (x) => erf(x / Math.SQRT2), df: (x) => Math.sqrt(2 / Math.PI) * Math.exp(-0.5 * x * x) };
    case 'relu':
      return { f: (x) => Math.max(x, 0), df: (x) => (x > 0 ? 1 : 0) };
  }
}

/** Dimension of the Gaussian vector an integral averages over. */
export function integralDimension(name: IntegralName): 2 | 3 {
  return name === 'I3' ? 3 : 2;
}

/**
 * The integrand of an integral, as a function of the Gaussian vector x (the definitions of docs/theory-refinetti2022.md
 * (E8)).
 */
export function integrand(name: IntegralName, g: IntegralActivation): (x: Float64Array) => number {
  const { f, df } = activationPair(g);
  switch (name) {
    case 'J2':
      return (x) => x[0] * f(x[1]);
    case 'I2':
      return (x) => f(x[0]) * f(x[1]);
    case 'I21':
      return (x) => df(x[0]) * x[0] * x[1];
    case 'I22':
      return (x) => df(x[0]) * x[1] * x[1];
    case 'I3':
      return (x) => df(x[0]) * x[1] * f(x[2]);
  }
}

/** The covariance's upper entries by name, for the closed forms. */
export function covarianceEntries(c: number[][]): {
  c11: number;
  c12: number;
  c22: number;
  c13?: number;
  c23?: number;
  c33?: number;
} {
  return c.length === 3
    ? { c11: c[0][0], c12: c[0][1], c22: c[1][1], c13: c[0][2], c23: c[1][2], c33: c[2][2] }
    : { c11: c[0][0], c12: c[0][1], c22: c[1][1] };
}

/** The parameter domain shared by the integral claims: activation, integral, covariance scale and seed. */
export const INTEGRAL_DOMAIN = {
  activation: { kind: 'choice', values: ['linear', 'erf', 'relu'], doc: 'activation g' },
  integral: { kind: 'choice', values: INTEGRAL_NAMES, doc: 'which integral' },
  scale: { kind: 'float', min: 0.05, max: 5, log: true, doc: 'overall scale of the covariance' },
  covarianceSeed: { kind: 'seed', doc: 'seed of the random covariance' },
} as const;
