import {
  createPersianRug,
  type PersianRug,
  persianRugApply,
  persianRugMatrix,
} from '../../sim/persianrug2024/hadamard.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { closeTo } from '../support/checks.ts';

/** Entries are multiples of 1/m formed from ±1 sums, so float64 holds them exactly; W² sums n such products. */
const EXACT_ULPS = 64;

/** The rug's dense W and its fast forward pass. */
interface Deps {
  matrix: (rug: PersianRug) => Float64Array;
  apply: (rug: PersianRug, x: Float64Array, y: Float64Array) => void;
}

/** The negative control's W: normalised by 1/n instead of 1/m (W = (1/n)H_SᵀH_S, a projector, not the rug). */
function matrixOverN(rug: PersianRug): Float64Array {
  const w = persianRugMatrix(rug);
  for (let i = 0; i < w.length; i++) w[i] *= rug.m / rug.n;
  return w;
}

/** The negative control's forward pass: the mask applied to the wrong rows (row k ⊕ 1 kept instead of row k). */
function applyShiftedMask(rug: PersianRug, x: Float64Array, y: Float64Array): void {
  const mask = new Uint8Array(rug.n);
  for (let k = 0; k < rug.n; k++) mask[k ^ 1] = rug.mask[k];
  persianRugApply({ ...rug, mask }, x, y);
}

const domain = {
  log2n: { kind: 'int', min: 1, max: 7, doc: 'n = 2^log2n features' },
  fraction: { kind: 'float', min: 0, max: 1, doc: 'm = max(1, round(fraction·n))' },
  seed: { kind: 'seed', doc: 'seed of the row set S and the test vector' },
} as const;

function measureWith(deps: Deps): MeasureFn<typeof domain, Record<string, never>> {
  return (params, ctx) => {
    const n = 2 ** params.log2n;
    const m = Math.max(1, Math.round(params.fraction * n));
    const rng = ctx.rng.fork(params.seed);
    const rug = createPersianRug(n, m, rng);
    const w = deps.matrix(rug);
    const t = rng.int(n);
    let diagonal = 0;
    let symmetric = 0;
    let rowNorms = 0;
    let square = 0;
    let xor = 0;
    for (let i = 0; i < n; i++) {
      diagonal = Math.max(diagonal, Math.abs(w[i * n + i] - 1));
      let norm = 0;
      for (let j = 0; j < n; j++) {
        norm += w[i * n + j] ** 2;
        symmetric = Math.max(symmetric, Math.abs(w[i * n + j] - w[j * n + i]));
        xor = Math.max(xor, Math.abs(w[(i ^ t) * n + (j ^ t)] - w[i * n + j]));
        let sq = 0;
        for (let k = 0; k < n; k++) sq += w[i * n + k] * w[k * n + j];
        square = Math.max(square, Math.abs(sq - (n / m) * w[i * n + j]));
      }
      rowNorms = Math.max(rowNorms, Math.abs(norm - n / m));
    }
    const x = new Float64Array(n);
    rng.fillNormal(x);
    const y = new Float64Array(n);
    deps.apply(rug, x, y);
    let fwht = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += w[i * n + j] * x[j];
      fwht = Math.max(fwht, Math.abs(s - y[i]) / Math.max(1, Math.abs(s)));
    }
    const atol = EXACT_ULPS * n * Number.EPSILON * (n / m);
    const check = (name: string, deviation: number, metric: string) => closeTo(name, deviation, 0, { atol, metric });
    return {
      checks: [
        check('unit-diagonal', diagonal, 'max |W_ii − 1|'),
        check('symmetric', symmetric, 'max |W_ij − W_ji|'),
        check('row-norms', rowNorms, 'max |Σ_j W_ij² − n/m|'),
        check('square', square, 'max |(W²)_ij − (n/m)W_ij|'),
        check('xor-invariance', xor, `max |W_{i⊕t, j⊕t} − W_ij|, t = ${t}`),
        check('fwht-equals-dense', fwht, 'max |(Wx)_i − FWHT_i| / max(1, |(Wx)_i|)'),
      ],
      details: { n, m, rows: rug.rows.length, xorShift: t },
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
  };
}

/**
 * docs/theory-persianrug2024.md §5.2 (P17): for any n = 2^k, m and S, W = (1/m)H_SᵀH_S has unit diagonal, row norms²
 * n/m, W² = (n/m)W, W symmetric and invariant under XOR-translation of both indices, and the FWHT forward pass equals
 * the dense product.
 */
export const hadamardExact = defineClaim({
  id: 'persianrug2024.hadamard-exact',
  paper: 'persianrug2024',
  title: 'The Persian rug W: unit diagonal, row norms n/m, W² = (n/m)W, XOR symmetry, FWHT = dense',
  statement:
    'For every n = 2^k, m ≤ n and row set S, W = (1/m)H_SᵀH_S is symmetric with W_ii = 1, Σ_j W_ij² = n/m (the rank bound met in every row), W² = (n/m)W, W_{i⊕t, j⊕t} = W_ij, and Wx computed by two fast Walsh–Hadamard transforms equals the dense product.',
  source: {
    paper: 'persianrug2024',
    where: 'docs/theory-persianrug2024.md §5.1–§5.2 (P16)–(P17), §8 item 3',
    confidence: 'DERIVED',
  },
  kind: 'exact',
  domain,
  defaults: { log2n: 6, fraction: 0.375, seed: 14 },
  tolerance: {
    description: `every identity within ${EXACT_ULPS}·n·ε64·(n/m)`,
    reason: 'round-off of sums of n exactly represented terms',
  },
  budget: { quick: { runs: 20, sizes: {} }, paper: { runs: 100, sizes: {} } },
  measure: measureWith({ matrix: persianRugMatrix, apply: persianRugApply }),
  controls: [
    {
      name: 'normalised-by-n',
      description: 'W = (1/n)H_SᵀH_S instead of (1/m)H_SᵀH_S: diagonal m/n, row norms m/n, W² = W',
      measure: measureWith({ matrix: matrixOverN, apply: persianRugApply }),
      catches: ['unit-diagonal', 'row-norms', 'square', 'fwht-equals-dense'],
    },
    {
      name: 'fwht-mask-shifted',
      description:
        'a forward pass that keeps Hadamard row k ⊕ 1 where row k is selected: a different rug than the dense W',
      measure: measureWith({ matrix: persianRugMatrix, apply: applyShiftedMask }),
      catches: ['fwht-equals-dense'],
    },
  ],
});
