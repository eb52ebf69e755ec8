import type { Matrix } from '../../core/matrix.ts';
import type { Rng } from '../../core/rng.ts';
import { gaussianMatrix, haarOrthonormalRows } from '../../sim/shevchenko2023/constructions.ts';
import { C_SIGN, normalizeRows, optimalDecoder, reducedRisk } from '../../theory/shevchenko2023/signRisk.ts';
import { defineClaim, type MeasureContext, type Measurement } from '../claim.ts';
import { closeTo } from '../support/checks.ts';

/** Exactness threshold (1e-9 absolute with an inverse at n, d ≤ 1000; here 1e-10 suffices for d ≤ 60). */
const EXACT_TOLERANCE = 1e-10;

/** The construction of n orthonormal rows in R^d: `haarOrthonormalRows`, or a broken stand-in. */
type RowsFn = (codeLength: number, dim: number, rng: Rng) => Matrix;

function measureWith(deps: { rows: RowsFn }) {
  return (params: { dim: number; rate: number; seed: number }, ctx: MeasureContext<unknown>): Measurement => {
    const d = params.dim;
    const n = Math.min(d, Math.max(1, Math.round(params.rate * d)));
    const b = normalizeRows(deps.rows(n, d, ctx.rng.fork(params.seed)));
    const predicted = 1 - (2 * n) / (Math.PI * d);
    const observed = reducedRisk(b);
    const a = optimalDecoder(b);
    let decoderError = 0;
    for (let i = 0; i < d; i++)
      for (let k = 0; k < n; k++)
        decoderError = Math.max(decoderError, Math.abs(a.data[i * n + k] - C_SIGN * b.data[k * d + i]));
    return {
      checks: [
        closeTo('reduced-risk', observed, predicted, { atol: EXACT_TOLERANCE, metric: '|R* − (1 − 2n/(πd))|' }),
        closeTo('decoder-tied', decoderError, 0, { atol: EXACT_TOLERANCE, metric: 'max |A* − √(2/π)B̂ᵀ|' }),
      ],
      details: { d, n, riskDeviation: Math.abs(observed - predicted), decoderDeviation: decoderError },
    };
  };
}

/** Rows that were never orthogonalised: i.i.d. Gaussian (unit after the row normalisation, but not orthogonal). */
const gaussianRows: RowsFn = (n, d, rng) => gaussianMatrix(n, d, rng);

/** docs/theory-shevchenko2023.md (S7), r ≤ 1: orthonormal rows give R* = 1 − 2r/π and A* = √(2/π) B̂ᵀ exactly. */
export const orthonormalRows = defineClaim({
  id: 'shevchenko2023.orthonormal-rows',
  paper: 'shevchenko2023',
  title: 'Orthonormal rows attain 1 − 2r/π with A* = √(2/π) B̂ᵀ (r ≤ 1)',
  statement: 'If B̂ has orthonormal rows (n ≤ d), then R*(B) = 1 − 2n/(πd) and A*(B) = √(2/π) B̂ᵀ exactly, for every d.',
  source: { paper: 'shevchenko2023', where: 'docs/theory-shevchenko2023.md (S7) (r ≤ 1)', confidence: 'DER' },
  kind: 'exact',
  domain: {
    dim: { kind: 'int', min: 1, max: 60, doc: 'input dimension d' },
    rate: { kind: 'float', min: 0.01, max: 1, doc: 'r = n/d ≤ 1 (n rounded, at least 1)' },
    seed: { kind: 'seed', doc: 'seed of the Haar rows' },
  },
  defaults: { dim: 40, rate: 0.5, seed: 4 },
  tolerance: {
    description: `|R* − (1 − 2r/π)| ≤ ${EXACT_TOLERANCE}; max|A* − √(2/π)B̂ᵀ| ≤ ${EXACT_TOLERANCE}`,
    reason: 'float64 round-off',
  },
  budget: { quick: { runs: 20, sizes: {} }, paper: { runs: 100, sizes: {} } },
  measure: measureWith({ rows: haarOrthonormalRows }),
  controls: [
    {
      name: 'rows-not-orthogonalised',
      description: 'Gaussian rows in place of the Haar construction (the QR step skipped), d = 40, r = 0.5',
      measure: measureWith({ rows: gaussianRows }),
      catches: ['reduced-risk', 'decoder-tied'],
    },
  ],
});
