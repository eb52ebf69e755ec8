import { sampleSparseUniform } from '../../data/sparseUniform.ts';
import { toyModelForward } from '../../sim/persianrug2024/trainToyModel.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { closeTo } from '../support/checks.ts';

/**
 * Only the summation order changes under a permutation: each output is a sum of at most n + m products, so the
 * difference is a few units of round-off of the terms' magnitude (float64 unit 1.1e-16; a float32 backend 6e-8).
 */
const ULPS = 4;

/** Fisher–Yates permutation of 0..n−1 from the claim's stream. */
function permutation(n: number, uniform: () => number): Int32Array {
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm;
}

/** The model's forward pass, as `toyModelForward`. */
type Forward = typeof toyModelForward;

/** A broken forward pass for the negative control: the m×n buffer W_in read as if it were n×m. */
const forwardReadingWInTransposed: Forward = (model, x, batch, n, m, kernels) => {
  const wIn = new Float64Array(m * n);
  for (let k = 0; k < m; k++) for (let j = 0; j < n; j++) wIn[k * n + j] = model.wIn[j * m + k];
  return toyModelForward({ ...model, wIn }, x, batch, n, m, kernels);
};

const domain = {
  n: { kind: 'int', min: 2, max: 96, doc: 'features n' },
  m: { kind: 'int', min: 1, max: 48, doc: 'hidden units m' },
  p: { kind: 'float', min: 0.02, max: 1, doc: 'feature probability of the batch', log: true },
  seed: { kind: 'seed', doc: 'seed of the model, the permutations and the batch' },
} as const;

function measureWith(forward: Forward): MeasureFn<typeof domain, { batch: number }> {
  return (params, ctx) => {
    const { n, m, p } = params;
    const batch = ctx.sizes.batch;
    const rng = ctx.rng.fork(params.seed);
    const gauss = (len: number, scale: number) => {
      const a = new Float64Array(len);
      rng.fillNormal(a, 0, len, scale);
      return a;
    };
    const model = { wIn: gauss(m * n, 1 / Math.sqrt(n)), wOut: gauss(n * m, 1 / Math.sqrt(m)), bias: gauss(n, 0.3) };
    const x = new Float64Array(batch * n);
    const row = new Float64Array(n);
    for (let s = 0; s < batch; s++) {
      sampleSparseUniform(row, p, rng);
      x.set(row, s * n);
    }
    const pi = permutation(n, () => rng.uniform());
    const q = permutation(m, () => rng.uniform());
    // Feature permutation: (Πx)_i = x_{π(i)}; W_in' = W_in Πᵀ (columns), W_out' = Π W_out (rows), b' = Π b.
    const featurePermuted = {
      wIn: new Float64Array(m * n),
      wOut: new Float64Array(n * m),
      bias: new Float64Array(n),
    };
    for (let k = 0; k < m; k++) for (let i = 0; i < n; i++) featurePermuted.wIn[k * n + i] = model.wIn[k * n + pi[i]];
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < m; k++) featurePermuted.wOut[i * m + k] = model.wOut[pi[i] * m + k];
      featurePermuted.bias[i] = model.bias[pi[i]];
    }
    const xPermuted = new Float64Array(batch * n);
    for (let s = 0; s < batch; s++) for (let i = 0; i < n; i++) xPermuted[s * n + i] = x[s * n + pi[i]];
    // Hidden permutation: W_in' = Q W_in (rows), W_out' = W_out Qᵀ (columns).
    const hiddenPermuted = { wIn: new Float64Array(m * n), wOut: new Float64Array(n * m), bias: model.bias };
    for (let k = 0; k < m; k++) for (let j = 0; j < n; j++) hiddenPermuted.wIn[k * n + j] = model.wIn[q[k] * n + j];
    for (let i = 0; i < n; i++) for (let k = 0; k < m; k++) hiddenPermuted.wOut[i * m + k] = model.wOut[i * m + q[k]];

    const out = forward(model, x, batch, n, m, ctx.kernels);
    const outF = forward(featurePermuted, xPermuted, batch, n, m, ctx.kernels);
    const outQ = forward(hiddenPermuted, x, batch, n, m, ctx.kernels);
    // Scale of the terms: Σ_k |W_out||W_in||x| bounded by max entries.
    const maxAbs = (a: Float64Array) => a.reduce((mx, v) => Math.max(mx, Math.abs(v)), 0);
    const scale = n * m * maxAbs(model.wIn) * maxAbs(model.wOut) + maxAbs(model.bias) + 1;
    const u = ctx.kernels.precision === 'float32' ? 2 ** -24 : 2 ** -53;
    const bound = ULPS * (n + m) * u * scale;
    let equivariance = 0;
    let hidden = 0;
    let loss = 0;
    let lossF = 0;
    for (let s = 0; s < batch; s++) {
      for (let i = 0; i < n; i++) {
        equivariance = Math.max(equivariance, Math.abs(outF[s * n + i] - out[s * n + pi[i]]));
        hidden = Math.max(hidden, Math.abs(outQ[s * n + i] - out[s * n + i]));
        loss += (out[s * n + i] - x[s * n + i]) ** 2;
        lossF += (outF[s * n + i] - xPermuted[s * n + i]) ** 2;
      }
    }
    const lossGap = Math.abs(loss - lossF) / (batch * n);
    const lossBound = 2 * bound * (scale + 1) + ULPS * batch * n * u * (loss / (batch * n));
    return {
      checks: [
        closeTo('feature-map', equivariance, 0, { atol: bound, metric: 'max |x̂(Πx) − Πx̂(x)|' }),
        closeTo('hidden-map', hidden, 0, { atol: bound, metric: 'max |x̂ with Q − x̂|' }),
        closeTo('batch-loss', lossGap, 0, { atol: lossBound, metric: '|Δ batch loss| per entry' }),
      ],
      details: {
        n,
        m,
        batch,
        featureMapDifference: equivariance,
        hiddenMapDifference: hidden,
        lossDifference: lossGap,
        bound,
      },
    };
  };
}

/**
 * docs/theory-persianrug2024.md §3 (P3), §8 item 2: the model and the loss are permutation symmetric. Permuting
 * features (W_in' = W_in Πᵀ, W_out' = Π W_out, b' = Π b) maps Πx to Πx̂; permuting hidden units (W_in' = Q W_in,
 * W_out' = W_out Qᵀ) leaves x̂ unchanged; with common random numbers the batch losses agree — to round-off, since only
 * the order of the sums changes.
 */
export const permutationEquivariance = defineClaim({
  id: 'persianrug2024.permutation-equivariance',
  paper: 'persianrug2024',
  title: 'The toy model is permutation equivariant and its loss permutation invariant',
  statement:
    'For a random model (W_in, W_out, b) and random permutations Π of the n features and Q of the m hidden units, the model with W_in Πᵀ, Π W_out, Π b maps Πx to Πx̂(x), the model with Q W_in, W_out Qᵀ, b gives x̂(x) itself, and the batch loss on the permuted batch equals the original — up to the round-off of reordered sums (4·(n + m)·u of the terms’ magnitude).',
  source: { paper: 'persianrug2024', where: 'docs/theory-persianrug2024.md §3 (P3), §8 item 2', confidence: 'DERIVED' },
  kind: 'exact',
  domain,
  defaults: { n: 64, m: 16, p: 0.1, seed: 3 },
  tolerance: {
    description: `|difference| ≤ ${ULPS}·(n + m)·u·(scale of the terms)`,
    reason: 'the permuted computation adds the same products in another order',
  },
  budget: { quick: { runs: 8, sizes: { batch: 64 } }, paper: { runs: 40, sizes: { batch: 256 } } },
  measure: measureWith(toyModelForward),
  controls: [
    {
      name: 'w-in-read-transposed',
      description:
        'a forward pass that reads the m×n buffer W_in as if it were n×m (W_in[j·m + k] for entry (k, j)): feature j no longer owns column j, so permuting features does not permute the output',
      measure: measureWith(forwardReadingWInTransposed),
      catches: ['feature-map'],
    },
  ],
});
