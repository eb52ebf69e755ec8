import { expectGaussian, expectGaussianSplit } from '../../core/quadrature.ts';
import { EPS64 } from '../../core/tolerance.ts';
import {
  type IntegralActivation,
  type IntegralName,
  INTEGRAL_NAMES,
  evaluateIntegral,
} from '../../theory/refinetti2022/integrals.ts';
import { defineClaim } from '../claim.ts';
import { covarianceEntries, integralDimension, integrand } from './integrand.ts';
import { randomCovariance } from './randomCovariance.ts';

/** Multiple of machine epsilon allowed, times the scale of the covariance: quadrature with 64 points per piece and
 * dimension reaches ~1e-14 relative on these integrands; the sum over up to 128³ terms adds O(√N·EPS) rounding. */
const QUADRATURE_EPS_MULTIPLE = 1e5;

/**
 * Refinetti & Goldt §3.3: the closed forms of J2, I2, I21, I22, I3 equal numerical quadrature over random covariances.
 * Smooth g (linear, erf): tensor-product Gauss–Hermite. ReLU: its kink at 0 limits Gauss–Hermite to algebraic
 * convergence (about 3e-3 error at 64 points on I2), so the ReLU integrals use Gauss–Legendre split at the kink.
 */
export const integralsQuadrature = defineClaim({
  id: 'refinetti2022.integrals-quadrature',
  paper: 'refinetti2022',
  title: 'Closed-form Gaussian integrals equal quadrature',
  statement:
    'For g ∈ {linear, erf(x/√2), ReLU} and any covariance C, the closed forms of J2, I2, I21, I22 and I3 (§3.3, with the corrected I2_relu) equal their defining Gaussian expectations computed by quadrature.',
  source: { paper: 'refinetti2022', where: '§3.3, table of Gaussian integrals', confidence: 'DERIVED' },
  kind: 'numerical',
  domain: {
    activation: { kind: 'choice', values: ['linear', 'erf', 'relu'], doc: 'activation g' },
    integral: { kind: 'choice', values: INTEGRAL_NAMES, doc: 'which integral' },
    scale: { kind: 'float', min: 0.05, max: 5, log: true, doc: 'overall scale of the covariance' },
    covarianceSeed: { kind: 'seed', doc: 'seed of the random covariance' },
  },
  defaults: { activation: 'relu', integral: 'I3', scale: 1, covarianceSeed: 7 },
  tolerance: {
    description: `|quadrature − closed form| ≤ ${QUADRATURE_EPS_MULTIPLE}·ε64·max(1, max|C_ij|)`,
    reason:
      'quadrature converges spectrally on smooth pieces to ~1e-14; the allowance covers rounding in the weighted sum',
  },
  budget: { quick: { runs: 24, sizes: { points: 64 } }, paper: { runs: 200, sizes: { points: 96 } } },
  measure(params, ctx) {
    const name = params.integral as IntegralName;
    const g = params.activation as IntegralActivation;
    const d = integralDimension(name);
    const c = randomCovariance(d, params.scale, ctx.rng.fork(params.covarianceSeed));
    const predicted = evaluateIntegral(name, g, covarianceEntries(c));
    const f = integrand(name, g);
    const observed =
      g === 'relu'
        ? expectGaussianSplit(f, c, { points: ctx.sizes.points })
        : expectGaussian(f, c, { points: d === 3 ? Math.min(ctx.sizes.points, 48) : ctx.sizes.points });
    const scale = Math.max(1, ...c.flat().map(Math.abs));
    return {
      predicted,
      observed,
      error: Math.abs(observed - predicted),
      allowed: QUADRATURE_EPS_MULTIPLE * EPS64 * scale,
      metric: 'absolute error',
      details: {
        dimension: d,
        method: g === 'relu' ? 'Gauss–Legendre split at the kink' : 'Gauss–Hermite',
        covariance: c.flat(),
      },
    };
  },
});
