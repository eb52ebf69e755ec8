import { type Matrix, matrix } from '../../core/matrix.ts';
import { EPS64 } from '../../core/tolerance.ts';
import { gaussianMatrix } from '../../sim/shevchenko2023/constructions.ts';
import {
  C_SIGN,
  normalizeRows,
  optimalDecoder as optimalDecoderOf,
  reducedRisk,
  signRisk,
  signRiskGradients,
} from '../../theory/shevchenko2023/signRisk.ts';
import { defineClaim, type MeasureContext, type Measurement } from '../claim.ts';
import { atLeast, closeTo } from '../support/checks.ts';

/** Exactness threshold for quantities with a matrix inverse at n, d ≤ 1000: 1e-9 absolute. */
const INVERSE_TOLERANCE = 1e-9;

/** The optimal decoder a claim checks: (A1) from theory/, or a broken stand-in. */
type DecoderFn = (encoder: Matrix) => Matrix;

function measureWith(deps: { decoder: DecoderFn }) {
  return (
    params: { dim: number; rate: number; perturbation: number; seed: number },
    ctx: MeasureContext<{ perturbations: number }>,
  ): Measurement => {
    const d = params.dim;
    const n = Math.max(1, Math.round(params.rate * d));
    const rng = ctx.rng.fork(params.seed);
    const b = gaussianMatrix(n, d, rng);
    const aStar = deps.decoder(b);
    const rStar = reducedRisk(b);
    const { gradA } = signRiskGradients(aStar, b);
    const gradMax = gradA.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0) / d; // ∂R/∂A = (∂L/∂A)/d
    const atStar = signRisk(aStar, b);
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
    }
    const allowed = INVERSE_TOLERANCE * Math.max(1, 1e3 * EPS64 * n * d);
    return {
      checks: [
        closeTo('gradient-zero', gradMax, 0, { atol: allowed, metric: 'max |∂R/∂A| at A*' }),
        closeTo('attains-reduced-risk', atStar, rStar, { atol: allowed, metric: '|R(A*, B) − R*(B)|' }),
        atLeast('minimum', minOther, rStar, allowed),
      ],
      details: { d, n, gradientMax: gradMax, riskAtOptimum: atStar, reducedRisk: rStar, bestPerturbed: minOther },
    };
  };
}

/** The tied decoder √(2/π)B̂ᵀ in place of A*(B): optimal only for orthonormal rows (the arcsin(M)⁻¹ forgotten). */
function tiedDecoder(encoder: Matrix): Matrix {
  const bHat = normalizeRows(encoder);
  const n = bHat.rows;
  const d = bHat.cols;
  const a = matrix(d, n);
  for (let k = 0; k < n; k++) for (let i = 0; i < d; i++) a.data[i * n + k] = C_SIGN * bHat.data[k * d + i];
  return a;
}

/**
 * (A1)–(R2): the optimal decoder zeroes ∂R/∂A, attains R*(B), and every other decoder does at least as badly.
 * Checks: |∂R/∂A|_max at A*, |R(A*) − R*|, and min over random perturbations E of R(A*+E) − R* ≥ 0.
 */
export const optimalDecoderClaim = defineClaim({
  id: 'shevchenko2023.optimal-decoder',
  paper: 'shevchenko2023',
  title: 'The optimal decoder A*(B) zeroes the gradient and lower-bounds every decoder',
  statement:
    'For any generic encoder B (no two rows parallel, so that arcsin(M) is invertible), A*(B) = √(π/2) B̂ᵀ arcsin(M)⁻¹ has ∂R/∂A = 0, R(A*, B) = R*(B) = 1 − tr(M arcsin(M)⁻¹)/d, and R(A, B) ≥ R*(B) for every A.',
  source: { paper: 'shevchenko2023', where: 'docs/theory-shevchenko2023.md (A1), (R2)', confidence: 'DER' },
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
    description: `|∂R/∂A|_max, |R(A*) − R*| and R* − min R(A* + E) each ≤ ${INVERSE_TOLERANCE}·max(1, 1e3·ε64·n·d)`,
    reason: 'float64 round-off through an n×n solve (1e-9 absolute at n, d ≤ 1000)',
  },
  budget: { quick: { runs: 20, sizes: { perturbations: 5 } }, paper: { runs: 100, sizes: { perturbations: 20 } } },
  measure: measureWith({ decoder: optimalDecoderOf }),
  controls: [
    {
      name: 'tied-decoder',
      description: 'A = √(2/π)B̂ᵀ in place of A*(B) (arcsin(M)⁻¹ forgotten) for a Gaussian encoder at r = 2',
      measure: measureWith({ decoder: tiedDecoder }),
      catches: ['gradient-zero', 'attains-reduced-risk'],
    },
  ],
});
