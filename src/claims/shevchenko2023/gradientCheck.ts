import { type Matrix, matrix } from '../../core/matrix.ts';
import type { Rng } from '../../core/rng.ts';
import { gaussianMatrix } from '../../sim/shevchenko2023/constructions.ts';
import { pgdGradients } from '../../sim/shevchenko2023/projectedGd.ts';
import { normalizeRows, signRisk, signRiskGradients } from '../../theory/shevchenko2023/signRisk.ts';
import type { Check } from '../check.ts';
import { defineClaim, type MeasureContext } from '../claim.ts';
import { inBand } from '../support/checks.ts';
import { requireFloat64 } from './requireFloat64.ts';

/** Central-difference step; the error at h/2 is compared with the error at h. */
const STEP = 1e-3;
/** Central differences are second order: halving h divides the error by 4 (measured 3.99–4.01 over 720 directions). */
const ORDER_BAND: [number, number] = [3, 5.5];
/**
 * Relative errors below this are round-off (ε64·|L|/h ≈ 1e-12 at these sizes, with room): the order ratio is only
 * formed above it, and the agreement check allows it on top of the truncation estimate.
 */
const ROUNDOFF_FLOOR = 1e-9;
/**
 * The error of the h/2 difference must be at most this multiple of its Richardson estimate |D(h) − D(h/2)|/3 (the
 * leading O(h²) term; the O(h⁴) rest is ≤ 1% of it here, since the measured order ratio is 4 ± 0.01).
 */
const TRUNCATION_FACTOR = 2;

/** The gradient a claim checks: the one projected GD steps with, or a broken stand-in. */
type GradientsFn = typeof pgdGradients;

/** The comparison of an analytic gradient with central differences along random directions. */
interface DirectionalResult {
  agreement: Check;
  order?: Check;
  directions: number;
  belowFloor: number;
}

/**
 * Along `directions` random directions (dA, dB): D(h) = (L(θ + h·dθ) − L(θ − h·dθ))/(2h) against ⟨∇L, dθ⟩. The
 * agreement check takes the direction with the largest error relative to its truncation estimate; the order check the
 * direction whose e(h)/e(h/2) is furthest out of the band.
 */
function compareDirectional(options: {
  name: string;
  loss: (a: Float64Array, b: Float64Array) => number;
  a: Matrix;
  b: Matrix;
  gradA: Float64Array;
  gradB: Float64Array;
  directions: number;
  rng: Rng;
}): DirectionalResult {
  const { a, b, gradA, gradB, loss } = options;
  let agreement: Check | undefined;
  let order: Check | undefined;
  let belowFloor = 0;
  for (let t = 0; t < options.directions; t++) {
    const da = gaussianMatrix(a.rows, a.cols, options.rng).data;
    const db = gaussianMatrix(b.rows, b.cols, options.rng).data;
    let analytic = 0;
    for (let i = 0; i < da.length; i++) analytic += gradA[i] * da[i];
    for (let i = 0; i < db.length; i++) analytic += gradB[i] * db[i];
    const fd = (h: number) =>
      (loss(
        a.data.map((v, i) => v + h * da[i]),
        b.data.map((v, i) => v + h * db[i]),
      ) -
        loss(
          a.data.map((v, i) => v - h * da[i]),
          b.data.map((v, i) => v - h * db[i]),
        )) /
      (2 * h);
    const scale = Math.max(1, Math.abs(analytic));
    const d1 = fd(STEP);
    const d2 = fd(STEP / 2);
    const e1 = Math.abs(d1 - analytic) / scale;
    const e2 = Math.abs(d2 - analytic) / scale;
    const candidate: Check = {
      name: options.name,
      observed: d2,
      expected: analytic,
      error: e2,
      allowed: (TRUNCATION_FACTOR * Math.abs(d1 - d2)) / 3 / scale + ROUNDOFF_FLOOR,
      metric: `|D(h/2) − ⟨∇L, dθ⟩|/max(1, |⟨∇L, dθ⟩|) vs ${TRUNCATION_FACTOR}·|D(h) − D(h/2)|/3 + ${ROUNDOFF_FLOOR}`,
    };
    if (!agreement || candidate.error / candidate.allowed > agreement.error / agreement.allowed) agreement = candidate;
    if (e2 < ROUNDOFF_FLOOR) {
      belowFloor++;
      continue;
    }
    const ratio = inBand(`${options.name.replace(/-gradient$/, '')}-second-order`, e1 / e2, ...ORDER_BAND);
    if (!order || ratio.error / ratio.allowed > order.error / order.allowed) order = ratio;
  }
  if (!agreement) throw new RangeError(`gradient-check: directions must be ≥ 1, received ${options.directions}`);
  return { agreement, order, directions: options.directions, belowFloor };
}

function measureWith(deps: { gradients: GradientsFn }) {
  return (params: { dim: number; rate: number; seed: number }, ctx: MeasureContext<{ directions: number }>) => {
    requireFloat64(ctx.kernels.precision);
    const d = params.dim;
    const n = Math.max(1, Math.round(params.rate * d));
    const rng = ctx.rng.fork(params.seed);
    const a = gaussianMatrix(d, n, rng, 1 / Math.sqrt(d));
    const b = gaussianMatrix(n, d, rng);
    const bHat = normalizeRows(b);
    const loss = (aa: Float64Array, bb: Float64Array) => d * signRisk(matrix(d, n, aa), matrix(n, d, bb));
    // The gradient projected GD steps with, at unit rows (the GD iterate), through the kernels.
    const gd = deps.gradients(a.data, bHat.data, d, n, ctx.kernels);
    const gdResult = compareDirectional({
      name: 'gd-gradient',
      loss,
      a,
      b: bHat,
      gradA: gd.gradA,
      gradB: gd.gradB,
      directions: ctx.sizes.directions,
      rng,
    });
    // The theory's gradient at rows of any norm (the chain rule through B̂ = B/‖b‖), used by optimal-decoder.
    const theory = signRiskGradients(a, b);
    const theoryResult = compareDirectional({
      name: 'theory-gradient',
      loss,
      a,
      b,
      gradA: theory.gradA.data,
      gradB: theory.gradB.data,
      directions: ctx.sizes.directions,
      rng,
    });
    const checks: Check[] = [gdResult.agreement, theoryResult.agreement];
    if (gdResult.order) checks.push(gdResult.order);
    if (theoryResult.order) checks.push(theoryResult.order);
    return {
      checks,
      details: {
        d,
        n,
        directions: ctx.sizes.directions,
        gdDirectionsAtRoundOff: gdResult.belowFloor,
        theoryDirectionsAtRoundOff: theoryResult.belowFloor,
        gdLossMinusTheoryLoss: gd.loss - loss(a.data, bHat.data),
      },
    };
  };
}

/** The B gradient of projected GD with a factor 2 missing (the kind of slip a hand-derived gradient has). */
const halvedEncoderGradient: GradientsFn = (a, bHat, d, n, kernels) => {
  const g = pgdGradients(a, bHat, d, n, kernels);
  return { ...g, gradB: g.gradB.map((v) => v / 2) };
};

/** The gradients projected GD steps with, and the theory's, equal central finite differences of L = dR. */
export const gradientCheck = defineClaim({
  id: 'shevchenko2023.gradient-check',
  paper: 'shevchenko2023',
  title: 'The gradients projected GD uses equal finite differences of the closed-form risk (second order)',
  statement:
    'The gradients projected GD steps with (pgdGradients, through the kernels, at unit rows) and the theory gradients (signRiskGradients, rows of any norm) — ∂L/∂A = −2cB̂ᵀ + 2c²A arcsin(M) and ∂L/∂B through G = c²(AᵀA)∘(1 − M∘M)^(−1/2) and the row normalisation — equal central finite differences of the closed-form L = d·R along random directions: the error of the h/2 difference is its second-order truncation error, and halving h divides the error by 4.',
  source: {
    paper: 'shevchenko2023',
    where: 'docs/theory-shevchenko2023.md (S11a); gradients derived from (R1)',
    confidence: 'DER',
  },
  kind: 'numerical',
  domain: {
    dim: { kind: 'int', min: 2, max: 12, doc: 'input dimension d' },
    rate: { kind: 'float', min: 0.25, max: 3, doc: 'r = n/d' },
    seed: { kind: 'seed', doc: 'seed of A, B and the directions' },
  },
  defaults: { dim: 8, rate: 1.5, seed: 10 },
  tolerance: {
    description: `|D(h/2) − ⟨∇L, dθ⟩| ≤ ${TRUNCATION_FACTOR}·|D(h) − D(h/2)|/3 + ${ROUNDOFF_FLOOR} (relative); e(h)/e(h/2) ∈ [${ORDER_BAND.join(', ')}] where e(h/2) ≥ ${ROUNDOFF_FLOOR}; h = ${STEP}`,
    reason:
      'central differences are second order, so the error at h/2 is its Richardson estimate |D(h) − D(h/2)|/3 up to O(h⁴) (measured order ratio 4 ± 0.01); a wrong gradient leaves an O(1) error that no step removes',
  },
  budget: { quick: { runs: 10, sizes: { directions: 4 } }, paper: { runs: 50, sizes: { directions: 16 } } },
  measure: measureWith({ gradients: pgdGradients }),
  controls: [
    {
      name: 'gd-gradient-missing-factor',
      description: 'projected GD’s encoder gradient halved (a factor 2 dropped from ∂L/∂B)',
      measure: measureWith({ gradients: halvedEncoderGradient }),
      catches: ['gd-gradient', 'gd-second-order'],
    },
  ],
});
