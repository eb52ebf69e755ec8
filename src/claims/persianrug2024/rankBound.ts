import { defineClaim } from '../claim.ts';

/** An inequality up to round-off of O(n²·m) products. */
const SLACK_ULPS = 1e3;

/**
 * §4.3: W = W_out W_in has rank ≤ m, so (tr W)² ≤ m ‖W‖_F² (Cauchy–Schwarz on the singular values); with a constant
 * diagonal a this is the rank bound (1/n) Σ_{i≠j} W_ij² ≥ a²(1/r − 1).
 */
export const rankBound = defineClaim({
  id: 'persianrug2024.rank-bound',
  paper: 'persianrug2024',
  title: 'Rank bound: (tr W)² ≤ m‖W‖_F² for every W = W_out W_in',
  statement:
    'For every factorisation W = W_out W_in with inner dimension m, (tr W)² ≤ m ‖W‖_F²; at a constant diagonal a this forces the average off-diagonal energy (1/n)Σ_{i≠j} W_ij² ≥ a²(n/m − 1), which ties the interference noise to the diagonal.',
  source: { paper: 'persianrug2024', where: '§4.3', confidence: 'DERIVED' },
  kind: 'exact',
  domain: {
    n: { kind: 'int', min: 1, max: 40, doc: 'features n' },
    m: { kind: 'int', min: 1, max: 40, doc: 'hidden width m' },
    seed: { kind: 'seed', doc: 'seed of W_out and W_in' },
  },
  defaults: { n: 32, m: 8, seed: 15 },
  tolerance: { description: `max(0, (tr W)² − m‖W‖_F²) ≤ ${SLACK_ULPS}·ε64·m‖W‖_F²`, reason: 'round-off' },
  budget: { quick: { runs: 40, sizes: {} }, paper: { runs: 400, sizes: {} } },
  measure(params, ctx) {
    const { n, m } = params;
    const rng = ctx.rng.fork(params.seed);
    const wout = new Float64Array(n * m);
    const win = new Float64Array(m * n);
    rng.fillNormal(wout);
    rng.fillNormal(win);
    const w = ctx.kernels.gemm({ m: n, n, k: m, a: wout, b: win });
    let trace = 0;
    let frob = 0;
    for (let i = 0; i < n; i++) trace += w[i * n + i];
    for (const v of w) frob += v * v;
    const lhs = trace * trace;
    const rhs = m * frob;
    return {
      predicted: rhs,
      observed: lhs,
      error: Math.max(0, lhs - rhs),
      allowed: SLACK_ULPS * Number.EPSILON * rhs,
      metric: 'violation of (tr W)² ≤ m‖W‖_F²',
      details: { n, m, ratio: lhs / rhs },
    };
  },
});
