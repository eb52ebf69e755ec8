import { matrix } from '../../core/matrix.ts';
import { gaussianMatrix } from '../../sim/shevchenko2023/constructions.ts';
import { signRisk, signRiskGradients } from '../../theory/shevchenko2023/signRisk.ts';
import { defineClaim } from '../claim.ts';

/** Central differences at step h have error O(h²); halving h must divide the error by ≈ 4 (order 2), checked within
 * [3, 5.5] unless the error is already at round-off (below 1e-9 relative). */
const STEP = 1e-3;
const ORDER_BAND: [number, number] = [3, 5.5];
const ROUNDOFF_FLOOR = 1e-9;

/** The analytic gradients of L = dR used by projected GD equal finite differences, with second-order convergence. */
export const gradientCheck = defineClaim({
  id: 'shevchenko2023.gradient-check',
  paper: 'shevchenko2023',
  title: 'Analytic gradients of the risk equal finite differences (second order)',
  statement:
    'The gradients ∂L/∂A = −2cB̂ᵀ + 2c²A arcsin(M) and ∂L/∂B (through G = c²(AᵀA)∘(1 − M∘M)^(−1/2) and the row normalisation) equal central finite differences of L = d·R; halving the step divides the error by 4.',
  source: { paper: 'shevchenko2023', where: '§3.6 (a); the digest checked them to 1e-10', confidence: 'DER' },
  kind: 'numerical',
  domain: {
    dim: { kind: 'int', min: 2, max: 12, doc: 'input dimension d' },
    rate: { kind: 'float', min: 0.25, max: 3, doc: 'r = n/d' },
    seed: { kind: 'seed', doc: 'seed of A and B' },
  },
  defaults: { dim: 8, rate: 1.5, seed: 10 },
  tolerance: {
    description: `error(h)/error(h/2) ∈ [${ORDER_BAND.join(', ')}] or error below ${ROUNDOFF_FLOOR}`,
    reason: 'central differences are second order',
  },
  budget: { quick: { runs: 10, sizes: { directions: 4 } }, paper: { runs: 50, sizes: { directions: 16 } } },
  measure(params, ctx) {
    const d = params.dim;
    const n = Math.max(1, Math.round(params.rate * d));
    const rng = ctx.rng.fork(params.seed);
    const a = gaussianMatrix(d, n, rng, 1 / Math.sqrt(d));
    const b = gaussianMatrix(n, d, rng);
    const { gradA, gradB } = signRiskGradients(a, b);
    const loss = (aa: Float64Array, bb: Float64Array) => d * signRisk(matrix(d, n, aa), matrix(n, d, bb));
    let worst = 0;
    let worstRatio = 4;
    for (let t = 0; t < ctx.sizes.directions; t++) {
      const da = gaussianMatrix(d, n, rng).data;
      const db = gaussianMatrix(n, d, rng).data;
      let analytic = 0;
      for (let i = 0; i < da.length; i++) analytic += gradA.data[i] * da[i];
      for (let i = 0; i < db.length; i++) analytic += gradB.data[i] * db[i];
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
      const e1 = Math.abs(fd(STEP) - analytic) / Math.max(1, Math.abs(analytic));
      const e2 = Math.abs(fd(STEP / 2) - analytic) / Math.max(1, Math.abs(analytic));
      if (e2 < ROUNDOFF_FLOOR) continue;
      const ratio = e1 / e2;
      const violation =
        ratio < ORDER_BAND[0] ? ORDER_BAND[0] / ratio : ratio > ORDER_BAND[1] ? ratio / ORDER_BAND[1] : 0;
      if (violation > worst) {
        worst = violation;
        worstRatio = ratio;
      }
    }
    return {
      predicted: 4,
      observed: worstRatio,
      error: worst,
      allowed: 1,
      metric: 'normalised violation of second-order convergence',
      details: { d, n },
    };
  },
});
