/**
 * A claim of your own, in a few dozen lines: a tied linear autoencoder x̂ = WᵀW x trained by online SGD on
 * ½‖x − x̂‖² learns the top-k PCA subspace of its data (Oja's subspace rule; Baldi & Hornik 1989). In your project,
 * import from 'aecheck' instead of the relative path.
 */
import { atMost, defineClaim, type Rng } from '../../src/index.ts';

/** Online SGD on ½‖x − WᵀWx‖² for x ~ N(0, diag(1 + gap on the first k coordinates, 1 elsewhere)); W is k×D. */
function trainTied(dim: number, k: number, gap: number, steps: number, rate: number, rng: Rng): Float64Array {
  const w = new Float64Array(k * dim);
  rng.fillNormal(w, 0, w.length, 1 / Math.sqrt(dim));
  const x = new Float64Array(dim);
  const y = new Float64Array(k);
  const r = new Float64Array(dim);
  for (let t = 0; t < steps; t++) {
    rng.fillNormal(x);
    for (let i = 0; i < k; i++) x[i] *= Math.sqrt(1 + gap);
    for (let a = 0; a < k; a++) y[a] = w.subarray(a * dim, (a + 1) * dim).reduce((s, v, i) => s + v * x[i], 0);
    for (let i = 0; i < dim; i++) r[i] = x[i] - y.reduce((s, ya, a) => s + w[a * dim + i] * ya, 0);
    for (let a = 0; a < k; a++) {
      const wr = w.subarray(a * dim, (a + 1) * dim).reduce((s, v, i) => s + v * r[i], 0);
      for (let i = 0; i < dim; i++) w[a * dim + i] += rate * (y[a] * r[i] + wr * x[i]);
    }
  }
  return w;
}

/** 1 − tr(P_W P_k)/k: 0 when the rows of W span the top-k coordinates, up to 1 − k/D for a random subspace. */
function subspaceDistance(w: Float64Array, dim: number, k: number): number {
  const q = Float64Array.from(w); // Gram–Schmidt on the rows
  for (let a = 0; a < k; a++) {
    const row = q.subarray(a * dim, (a + 1) * dim);
    for (let b = 0; b < a; b++) {
      const prev = q.subarray(b * dim, (b + 1) * dim);
      const dot = row.reduce((s, v, i) => s + v * prev[i], 0);
      for (let i = 0; i < dim; i++) row[i] -= dot * prev[i];
    }
    const norm = Math.hypot(...row);
    for (let i = 0; i < dim; i++) row[i] /= norm;
  }
  let inside = 0;
  for (let a = 0; a < k; a++) for (let i = 0; i < k; i++) inside += q[a * dim + i] ** 2;
  return 1 - inside / k;
}

/** SGD's stationary fluctuations keep the subspace a distance O(rate·D) away; 0.1 leaves room for them. */
const TOLERANCE = 0.1;

function measureWith(rate: number) {
  return (p: { dim: number; k: number; gap: number; seed: number }, ctx: { rng: Rng; sizes: { steps: number } }) => {
    const w = trainTied(p.dim, p.k, p.gap, ctx.sizes.steps, rate, ctx.rng.fork(p.seed));
    return { checks: [atMost('subspace-distance', subspaceDistance(w, p.dim, p.k), 0, TOLERANCE)] };
  };
}

export const linearPcaSubspace = defineClaim({
  id: 'examples.linear-pca-subspace',
  paper: 'examples',
  title: 'A tied linear autoencoder trained by SGD learns the top-k PCA subspace',
  statement:
    'Online SGD on ½‖x − WᵀWx‖² with a spectral gap converges to rows spanning the top-k eigenvectors of the covariance.',
  source: { paper: 'examples', where: 'Baldi & Hornik 1989; Oja 1982', confidence: 'DER' },
  kind: 'statistical',
  domain: {
    dim: { kind: 'int', min: 8, max: 32, doc: 'input dimension D' },
    k: { kind: 'int', min: 1, max: 3, doc: 'hidden units = PCA components' },
    gap: { kind: 'float', min: 2, max: 8, doc: 'spectral gap: the top-k variances are 1 + gap' },
    seed: { kind: 'seed', doc: 'seed of the initial weights and the data' },
  },
  defaults: { dim: 16, k: 2, gap: 3, seed: 1 },
  tolerance: { description: `subspace distance ≤ ${TOLERANCE}`, reason: 'stationary SGD noise at rate 0.002' },
  budget: { quick: { runs: 4, sizes: { steps: 20_000 } }, paper: { runs: 20, sizes: { steps: 200_000 } } },
  measure: measureWith(0.002),
  controls: [
    {
      name: 'no-training',
      description: 'learning rate 0: W stays at its random start',
      measure: measureWith(0),
      catches: ['subspace-distance'],
    },
  ],
});
