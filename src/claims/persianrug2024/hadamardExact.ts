import { createPersianRug, persianRugApply, persianRugMatrix } from '../../sim/persianrug2024/hadamard.ts';
import { defineClaim } from '../claim.ts';

/** Entries are multiples of 1/m formed from ±1 sums, so float64 holds them exactly; W² sums n such products. */
const EXACT_ULPS = 64;

/**
 * §5.2: for any n = 2^k, m and S, W = (1/m)H_SᵀH_S has unit diagonal, row norms² n/m, W² = (n/m)W, W symmetric and
 * invariant under XOR-translation of both indices, and the FWHT forward pass equals the dense product.
 */
export const hadamardExact = defineClaim({
  id: 'persianrug2024.hadamard-exact',
  paper: 'persianrug2024',
  title: 'The Persian rug W: unit diagonal, row norms n/m, W² = (n/m)W, XOR symmetry, FWHT = dense',
  statement:
    'For every n = 2^k, m ≤ n and row set S, W = (1/m)H_SᵀH_S is symmetric with W_ii = 1, Σ_j W_ij² = n/m (the rank bound met in every row), W² = (n/m)W, W_{i⊕t, j⊕t} = W_ij, and Wx computed by two fast Walsh–Hadamard transforms equals the dense product.',
  source: { paper: 'persianrug2024', where: '§5.1–§5.2', confidence: 'DERIVED' },
  kind: 'exact',
  domain: {
    log2n: { kind: 'int', min: 1, max: 7, doc: 'n = 2^log2n features' },
    fraction: { kind: 'float', min: 0, max: 1, doc: 'm = max(1, round(fraction·n))' },
    seed: { kind: 'seed', doc: 'seed of the row set S and the test vector' },
  },
  defaults: { log2n: 6, fraction: 0.375, seed: 14 },
  tolerance: {
    description: `every identity within ${EXACT_ULPS}·n·ε64·(n/m)`,
    reason: 'round-off of sums of n exactly represented terms',
  },
  budget: { quick: { runs: 20, sizes: {} }, paper: { runs: 100, sizes: {} } },
  measure(params, ctx) {
    const n = 2 ** params.log2n;
    const m = Math.max(1, Math.round(params.fraction * n));
    const rng = ctx.rng.fork(params.seed);
    const rug = createPersianRug(n, m, rng);
    const w = persianRugMatrix(rug);
    let dev = 0;
    const t = rng.int(n);
    for (let i = 0; i < n; i++) {
      dev = Math.max(dev, Math.abs(w[i * n + i] - 1));
      let norm = 0;
      for (let j = 0; j < n; j++) {
        norm += w[i * n + j] ** 2;
        dev = Math.max(dev, Math.abs(w[i * n + j] - w[j * n + i]), Math.abs(w[(i ^ t) * n + (j ^ t)] - w[i * n + j]));
        let sq = 0;
        for (let k = 0; k < n; k++) sq += w[i * n + k] * w[k * n + j];
        dev = Math.max(dev, Math.abs(sq - (n / m) * w[i * n + j]));
      }
      dev = Math.max(dev, Math.abs(norm - n / m));
    }
    const x = new Float64Array(n);
    rng.fillNormal(x);
    const y = new Float64Array(n);
    persianRugApply(rug, x, y);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += w[i * n + j] * x[j];
      dev = Math.max(dev, Math.abs(s - y[i]) / Math.max(1, Math.abs(s)));
    }
    return {
      predicted: 0,
      observed: dev,
      error: dev,
      allowed: EXACT_ULPS * n * Number.EPSILON * (n / m),
      metric: 'largest deviation from the identities',
      details: { n, m, rows: rug.rows.length },
      plots: [
        {
          kind: 'heatmap',
          id: 'persian-rug',
          title: `The Persian rug: W = (1/m)H_SᵀH_S, n = ${n}, m = ${m}`,
          rows: n,
          cols: n,
          values: Array.from(w),
          xLabel: 'feature j',
          yLabel: 'feature i',
        },
      ],
    };
  },
});
