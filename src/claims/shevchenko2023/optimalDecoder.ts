import { matrix } from '../../core/matrix.ts';
import { EPS64 } from '../../core/tolerance.ts';
import { gaussianMatrix } from '../../sim/shevchenko2023/constructions.ts';
import {
  optimalDecoder as optimalDecoderOf,
  reducedRisk,
  signRisk,
  signRiskGradients,
} from '../../theory/shevchenko2023/signRisk.ts';
import { defineClaim } from '../claim.ts';

/** Exactness threshold of the digest for quantities with a matrix inverse at n, d ≤ 1000 (§5): 1e-9 absolute. */
const INVERSE_TOLERANCE = 1e-9;

/**
 * (A1)–(R2): the optimal decoder zeroes ∂R/∂A, attains R*(B), and every other decoder does at least as badly.
 * The metric is the largest of |∂R/∂A|_max at A*, |R(A*) − R*|, and max(0, R* − R(A*+E)) over random perturbations E.
 */
export const optimalDecoderClaim = defineClaim({
  id: 'shevchenko2023.optimal-decoder',
  paper: 'shevchenko2023',
  title: 'The optimal decoder A*(B) zeroes the gradient and lower-bounds every decoder',
  statement:
    'For any generic encoder B (no two rows parallel, so that arcsin(M) is invertible), A*(B) = √(π/2) B̂ᵀ arcsin(M)⁻¹ has ∂R/∂A = 0, R(A*, B) = R*(B) = 1 − tr(M arcsin(M)⁻¹)/d, and R(A, B) ≥ R*(B) for every A.',
  source: { paper: 'shevchenko2023', where: '§3.2 (A1), (R2); §5 item 6', confidence: 'DER' },
  kind: 'exact',
  domain: {
    dim: {
      kind: 'int',
      min: 2,
      max: 30,
      doc: 'input dimension d (≥ 2: at d = 1 all rows are parallel and arcsin(M) is singular)',
    },
    rate: { kind: 'float', min: 0.1, max: 3, doc: 'r = n/d' },
    perturbation: { kind: 'float', min: 1e-4, max: 1, log: true, doc: 'size of the random decoder perturbations' },
    seed: { kind: 'seed', doc: 'seed of B and the perturbations' },
  },
  defaults: { dim: 20, rate: 2, perturbation: 0.01, seed: 3 },
  tolerance: {
    description: `every violation ≤ ${INVERSE_TOLERANCE}`,
    reason: 'float64 round-off through an n×n solve (digest §5: 1e-9 absolute)',
  },
  budget: { quick: { runs: 20, sizes: { perturbations: 5 } }, paper: { runs: 100, sizes: { perturbations: 20 } } },
  measure(params, ctx) {
    const d = params.dim;
    const n = Math.max(1, Math.round(params.rate * d));
    const rng = ctx.rng.fork(params.seed);
    const b = gaussianMatrix(n, d, rng);
    const aStar = optimalDecoderOf(b);
    const rStar = reducedRisk(b);
    const { gradA } = signRiskGradients(aStar, b);
    const gradMax = gradA.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0) / d; // ∂R/∂A = (∂L/∂A)/d
    const atStar = signRisk(aStar, b);
    let worstBelow = 0;
    let minOther = Number.POSITIVE_INFINITY;
    for (let t = 0; t < ctx.sizes.perturbations; t++) {
      const e = gaussianMatrix(d, n, rng, params.perturbation);
      const other = signRisk(
        matrix(
          d,
          n,
          aStar.data.map((v, i) => v + e.data[i]),
        ),
        b,
      );
      minOther = Math.min(minOther, other);
      worstBelow = Math.max(worstBelow, rStar - other);
    }
    const error = Math.max(gradMax, Math.abs(atStar - rStar), worstBelow);
    return {
      predicted: rStar,
      observed: atStar,
      error,
      allowed: INVERSE_TOLERANCE * Math.max(1, 1e3 * EPS64 * n * d),
      metric: 'largest violation',
      details: { d, n, gradientMax: gradMax, riskAtOptimum: atStar, reducedRisk: rStar, bestPerturbed: minOther },
    };
  },
});
