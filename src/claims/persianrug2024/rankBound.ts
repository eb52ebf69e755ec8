import type { Rng } from '../../core/rng.ts';
import type { KernelSet } from '../../kernels/kernelSpecs.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { atMost, closeTo } from '../support/checks.ts';

/** Round-off of O(n²·m) products, in units of the backend's machine epsilon times the bound. */
const SLACK_ULPS = 1e3;

/**
 * Two factors W_out (n×m) and W_in (m×n) of inner dimension `inner`: Gaussian (a generic W) or an orthonormal frame
 * W_in = Q (rows orthonormal, Gram–Schmidt of a Gaussian) with W_out = Qᵀ, so that W = QᵀQ is a rank-`inner`
 * orthogonal projector — an equal-singular-value W, the case of equality.
 */
type Factors = (
  n: number,
  inner: number,
  kind: 'gaussian' | 'projector',
  rng: Rng,
) => { wOut: Float64Array; wIn: Float64Array; inner: number };

const factors: Factors = (n, inner, kind, rng) => {
  const wIn = new Float64Array(inner * n);
  rng.fillNormal(wIn);
  if (kind === 'gaussian') {
    const wOut = new Float64Array(n * inner);
    rng.fillNormal(wOut);
    return { wOut, wIn, inner };
  }
  // Modified Gram–Schmidt on the rows of W_in (inner ≤ n: Gaussian rows are independent with probability 1).
  for (let k = 0; k < inner; k++) {
    const row = wIn.subarray(k * n, (k + 1) * n);
    for (let pass = 0; pass < 2; pass++) {
      for (let l = 0; l < k; l++) {
        const prev = wIn.subarray(l * n, (l + 1) * n);
        let dot = 0;
        for (let j = 0; j < n; j++) dot += row[j] * prev[j];
        for (let j = 0; j < n; j++) row[j] -= dot * prev[j];
      }
    }
    let norm = 0;
    for (let j = 0; j < n; j++) norm += row[j] * row[j];
    const inv = 1 / Math.sqrt(norm);
    for (let j = 0; j < n; j++) row[j] *= inv;
  }
  const wOut = new Float64Array(n * inner);
  for (let k = 0; k < inner; k++) for (let i = 0; i < n; i++) wOut[i * inner + k] = wIn[k * n + i];
  return { wOut, wIn, inner };
};

/** The negative control's factors: inner dimension m + 1 while the bound is taken at m (a rank-(m + 1) W). */
const factorsOneTooWide: Factors = (n, inner, kind, rng) => factors(n, inner + 1, kind, rng);

/** (tr W)² and m‖W‖_F² of W = W_out W_in, through the backend's GEMM. */
function traceAndFrobenius(
  n: number,
  f: { wOut: Float64Array; wIn: Float64Array; inner: number },
  kernels: KernelSet,
): { trace: number; frob: number } {
  const w = kernels.gemm({ m: n, n, k: f.inner, a: f.wOut, b: f.wIn });
  let trace = 0;
  let frob = 0;
  for (let i = 0; i < n; i++) trace += w[i * n + i];
  for (const v of w) frob += v * v;
  return { trace, frob };
}

const domain = {
  n: { kind: 'int', min: 2, max: 40, doc: 'features n' },
  fraction: {
    kind: 'float',
    min: 0,
    max: 1,
    doc: 'm = clamp(round(fraction·n), 1, n − 1): the bound says something only for m < n',
  },
  seed: { kind: 'seed', doc: 'seed of W_out and W_in' },
} as const;

function measureWith(make: Factors): MeasureFn<typeof domain, Record<string, never>> {
  return (params, ctx) => {
    const { n } = params;
    const m = Math.min(n - 1, Math.max(1, Math.round(params.fraction * n)));
    const rng = ctx.rng.fork(params.seed);
    const gaussian = traceAndFrobenius(n, make(n, m, 'gaussian', rng), ctx.kernels);
    const projector = traceAndFrobenius(n, make(n, m, 'projector', rng), ctx.kernels);
    const ulp = SLACK_ULPS * (ctx.kernels.precision === 'float32' ? 2 ** -23 : Number.EPSILON);
    const gaussianRhs = m * gaussian.frob;
    const projectorRhs = m * projector.frob;
    // At a constant diagonal a the bound reads (1/n)Σ_{i≠j} W_ij² ≥ a²(n/m − 1): for the projector (diag m/n on
    // average) the off-diagonal energy is the bound's minimum when it holds with equality.
    return {
      checks: [
        atMost('bound-gaussian', gaussian.trace ** 2, gaussianRhs, ulp * gaussianRhs),
        closeTo('equality-projector', projector.trace ** 2, projectorRhs, {
          atol: ulp * projectorRhs,
          metric: '|(tr W)² − m‖W‖_F²|',
        }),
      ],
      details: {
        n,
        m,
        gaussianRatio: gaussian.trace ** 2 / gaussianRhs,
        projectorTrace: projector.trace,
        projectorFrobenius2: projector.frob,
      },
    };
  };
}

/**
 * docs/theory-persianrug2024.md §4.3 (P11): W = W_out W_in has rank ≤ m, so (tr W)² ≤ m ‖W‖_F² (Cauchy–Schwarz on the
 * singular values), with equality iff the m nonzero singular values are equal — an orthogonal projector up to scale, as
 * the Persian rug W = (n/m)P is; with a constant diagonal a this is the rank bound (1/n) Σ_{i≠j} W_ij² ≥ a²(1/r − 1).
 */
export const rankBound = defineClaim({
  id: 'persianrug2024.rank-bound',
  paper: 'persianrug2024',
  title: 'Rank bound: (tr W)² ≤ m‖W‖_F² for W = W_out W_in (m < n), with equality for a projector',
  statement:
    'For a factorisation W = W_out W_in with inner dimension m < n, (tr W)² ≤ m ‖W‖_F² (shown on Gaussian factors: a theorem, so this part checks the GEMM and the trace/energy sums), and equality holds when the m nonzero singular values are equal: a rank-m orthogonal projector QᵀQ (random orthonormal Q) attains the bound to round-off. At a constant diagonal a the bound forces the average off-diagonal energy (1/n)Σ_{i≠j} W_ij² ≥ a²(n/m − 1), tying the interference noise to the diagonal; the Persian rug attains it in every row (hadamard-exact, row norms n/m). For m ≥ n the bound says nothing and is not drawn.',
  source: {
    paper: 'persianrug2024',
    where: 'docs/theory-persianrug2024.md §4.3 (P11), §8 item 4',
    confidence: 'DERIVED',
  },
  kind: 'exact',
  domain,
  defaults: { n: 32, fraction: 0.25, seed: 15 },
  tolerance: {
    description: `(tr W)² − m‖W‖_F² ≤ ${SLACK_ULPS}·ε·m‖W‖_F² (ε of the backend's precision) (Gaussian); |difference| within the same for the projector`,
    reason: 'round-off of the O(n²·m) products and sums',
  },
  budget: { quick: { runs: 40, sizes: {} }, paper: { runs: 400, sizes: {} } },
  measure: measureWith(factors),
  controls: [
    {
      name: 'rank-m-plus-one',
      description:
        'factors of inner dimension m + 1 with the bound taken at m (a W of rank m + 1): the projector gives (tr W)² = (m + 1)², m‖W‖_F² = m(m + 1)',
      measure: measureWith(factorsOneTooWide),
      catches: ['equality-projector'],
    },
  ],
});
