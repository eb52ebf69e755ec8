import { expectGaussian, expectGaussianSplit } from '../../core/quadrature.ts';
import { EPS64 } from '../../core/tolerance.ts';
import { type IntegralActivation, type IntegralName, evaluateIntegral } from '../../theory/refinetti2022/integrals.ts';
import { defineClaim } from '../claim.ts';
import { covarianceEntries, INTEGRAL_DOMAIN, integralDimension, integrand } from './integrand.ts';
import { randomCovariance } from './randomCovariance.ts';

/** Multiple of machine epsilon allowed, times the scale of the covariance: quadrature with 64 points per piece and
 * dimension reaches ~1e-14 relative on these integrands; the sum over up to 128³ terms adds O(√N·EPS) rounding. */
const QUADRATURE_EPS_MULTIPLE = 1e5;
/** Refinement stops when the n-vs-2n difference is below this fraction of the scale. */
const REFINE_TARGET = 1e-11;
/** The rule must have converged: its self-estimated truncation error below 1e-6 of the scale, else the run fails. */
const CONVERGENCE_LIMIT = 1e-6;

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
  domain: INTEGRAL_DOMAIN,
  defaults: { activation: 'relu', integral: 'I3', scale: 1, covarianceSeed: 7 },
  tolerance: {
    description: `|Q_2n − closed form| ≤ ${QUADRATURE_EPS_MULTIPLE}·ε64·max(1, max|C_ij|) + |Q_2n − Q_n|, with |Q_2n − Q_n| ≤ ${CONVERGENCE_LIMIT}·max(1, max|C_ij|)`,
    reason:
      'quadrature converges spectrally on smooth pieces to ~1e-14; the allowance covers rounding in the weighted sum',
  },
  budget: {
    quick: { runs: 24, sizes: { points: 32, points3d: 16, maxPoints: 400, maxPoints3d: 128 } },
    paper: { runs: 200, sizes: { points: 32, points3d: 16, maxPoints: 400, maxPoints3d: 160 } },
  },
  measure(params, ctx) {
    const name = params.integral as IntegralName;
    const g = params.activation as IntegralActivation;
    const d = integralDimension(name);
    const c = randomCovariance(d, params.scale, ctx.rng.fork(params.covarianceSeed));
    const predicted = evaluateIntegral(name, g, covarianceEntries(c));
    const f = integrand(name, g);
    // Two rule sizes: the difference estimates the truncation error of the smaller one, which bounds that of the larger
    // for a converging (spectral) rule. Gauss–Hermite converges more slowly for large variances (erf(σz/√2) grows off
    // the real axis), so the estimate, not a fixed count of points, decides how close the quadrature is.
    const quadrature = (points: number) =>
      g === 'relu' ? expectGaussianSplit(f, c, { points }) : expectGaussian(f, c, { points });
    // Doubling the rule until the n-vs-2n difference is below the target: large variances make the integrand narrow or
    // steep in standard coordinates (e.g. e^{−σ²z²/2} with σ² ≈ 10), which needs more nodes.
    const target = REFINE_TARGET * Math.max(1, ...c.flat().map(Math.abs));
    let small = d === 3 ? ctx.sizes.points3d : ctx.sizes.points;
    const largest = d === 3 ? ctx.sizes.maxPoints3d : ctx.sizes.maxPoints;
    let coarse = quadrature(small);
    let observed = quadrature(2 * small);
    while (Math.abs(observed - coarse) > target && 4 * small <= largest) {
      small *= 2;
      coarse = observed;
      observed = quadrature(2 * small);
    }
    const truncation = Math.abs(observed - coarse);
    const scale = Math.max(1, ...c.flat().map(Math.abs));
    const converged = truncation <= CONVERGENCE_LIMIT * scale;
    return {
      predicted,
      observed,
      error: converged ? Math.abs(observed - predicted) : Number.POSITIVE_INFINITY,
      allowed: QUADRATURE_EPS_MULTIPLE * EPS64 * scale + truncation,
      metric: 'absolute error',
      details: {
        dimension: d,
        method: g === 'relu' ? 'Gauss–Legendre split at the kink' : 'Gauss–Hermite',
        covariance: c.flat(),
      },
    };
  },
});
