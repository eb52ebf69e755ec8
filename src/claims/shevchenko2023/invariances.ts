import { haarOrthogonal } from '../../core/linalg.ts';
import { matmul, matrix, transpose } from '../../core/matrix.ts';
import { EPS64 } from '../../core/tolerance.ts';
import { gaussianMatrix } from '../../sim/shevchenko2023/constructions.ts';
import { gramOfRows, largestOverlap, normalizeRows, signRisk } from '../../theory/shevchenko2023/signRisk.ts';
import type { Matrix } from '../../core/matrix.ts';
import type { Rng } from '../../core/rng.ts';
import { defineClaim, type MeasureContext, type Measurement } from '../claim.ts';
import { closeTo } from '../support/checks.ts';

/** Exact identities up to round-off: the closed form sums O(n·d + n²·d) products, so allow 1e3·ε64·(n + d) relative,
 * times arcsin's condition number 1/√(1 − m²) at the largest overlap m < 1 between two rows (near-parallel rows
 * amplify the round-off of M; this is the function's own sensitivity, not an error of the identity). */
const ROUNDOFF_PER_DIM = 1e3;

const TRANSFORMS = ['row-scaling', 'rotation', 'permutation-signs'] as const;
type Transform = (typeof TRANSFORMS)[number];

/**
 * Applies a symmetry of docs/theory-shevchenko2023.md (S9) to (A, B): `symmetry`, or a broken stand-in in a negative
 * control.
 */
type ApplyFn = (transform: Transform, a: Matrix, b: Matrix, rng: Rng) => { a: Matrix; b: Matrix };

/** The symmetries: B → DB (D positive diagonal); (A, B) → (UA, BUᵀ); (A, B) → (A S Pᵀ, P S B). */
function symmetry(transform: Transform, a: Matrix, b: Matrix, rng: Rng): { a: Matrix; b: Matrix } {
  const n = b.rows;
  const d = b.cols;
  if (transform === 'row-scaling') {
    const scaled = matrix(
      n,
      d,
      b.data.map((v, i) => v * Math.exp(2 * rng.fork(Math.floor(i / d)).normal())),
    );
    return { a, b: scaled };
  }
  if (transform === 'rotation') {
    const u = haarOrthogonal(d, rng);
    return { a: matmul(u, a), b: matmul(b, transpose(u)) };
  }
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  const signs = perm.map(() => (rng.uniform() < 0.5 ? -1 : 1));
  // (P S B)_i = s_{π(i)} b_{π(i)};  (A S Pᵀ)_{:, i} = s_{π(i)} a_{:, π(i)}.
  const pb = matrix(n, d);
  const ap = matrix(d, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) pb.data[i * d + j] = signs[i] * b.data[perm[i] * d + j];
    for (let j = 0; j < d; j++) ap.data[j * n + i] = signs[i] * a.data[j * n + perm[i]];
  }
  return { a: ap, b: pb };
}

/** The symmetry applied to the encoder only: the decoder keeps its old basis / unit order (not a symmetry). */
const encoderOnly: ApplyFn = (transform, a, b, rng) => ({ a, b: symmetry(transform, a, b, rng).b });

function measureWith(deps: { apply: ApplyFn }) {
  return (
    params: { transform: Transform; dim: number; rate: number; seed: number },
    ctx: MeasureContext<unknown>,
  ): Measurement => {
    const d = params.dim;
    const n = Math.max(1, Math.round(params.rate * d));
    const rng = ctx.rng.fork(params.seed);
    const a = gaussianMatrix(d, n, rng, 1 / Math.sqrt(d));
    const b = gaussianMatrix(n, d, rng);
    const base = signRisk(a, b);
    const overlap = largestOverlap(gramOfRows(normalizeRows(b)));
    const conditioning = 1 / Math.sqrt(1 - overlap * overlap);
    const t = deps.apply(params.transform, a, b, rng);
    const moved = signRisk(t.a, t.b);
    return {
      checks: [
        closeTo('invariance', moved, base, {
          atol: ROUNDOFF_PER_DIM * (n + d) * EPS64 * Math.max(1, Math.abs(base)) * conditioning,
          metric: '|R(T(A, B)) − R(A, B)|',
        }),
      ],
      details: { d, n, transform: params.transform, largestOverlap: overlap },
    };
  };
}

/**
 * The symmetries of docs/theory-shevchenko2023.md (S9): R(A, DB) = R(A, B), R(UA, BUᵀ) = R(A, B),
 * R(A S Pᵀ, P S B) = R(A, B).
 */
export const invariances = defineClaim({
  id: 'shevchenko2023.invariances',
  paper: 'shevchenko2023',
  title: 'Risk invariances: row scaling, rotations, hidden-unit permutations and signs',
  statement:
    'R(A, DB) = R(A, B) for positive diagonal D; R(UA, BUᵀ) = R(A, B) for orthogonal U; R(A S Pᵀ, P S B) = R(A, B) for a permutation P and diagonal signs S — exactly, up to round-off.',
  source: { paper: 'shevchenko2023', where: 'docs/theory-shevchenko2023.md (S9), symmetries', confidence: 'DER' },
  kind: 'exact',
  domain: {
    transform: { kind: 'choice', values: TRANSFORMS, doc: 'the symmetry applied' },
    dim: { kind: 'int', min: 1, max: 30, doc: 'input dimension d' },
    rate: { kind: 'float', min: 0.1, max: 3, doc: 'r = n/d (n rounded, at least 1)' },
    seed: { kind: 'seed', doc: 'seed of A, B and the transform' },
  },
  defaults: { transform: 'rotation', dim: 12, rate: 1.5, seed: 2 },
  tolerance: {
    description: `|R(T(A, B)) − R(A, B)| ≤ ${ROUNDOFF_PER_DIM}·(n + d)·ε64·max(1, |R|)/√(1 − m²)`,
    reason: 'round-off of the closed form',
  },
  budget: { quick: { runs: 30, sizes: {} }, paper: { runs: 200, sizes: {} } },
  measure: measureWith({ apply: symmetry }),
  controls: [
    {
      name: 'rotation-of-encoder-only',
      description: 'B → BUᵀ with the decoder left as A (the rotation applied to one side)',
      measure: measureWith({ apply: encoderOnly }),
      params: { transform: 'rotation' },
      catches: ['invariance'],
    },
    {
      name: 'permutation-of-encoder-only',
      description: 'B → P S B with the decoder left as A (hidden units permuted on one side)',
      measure: measureWith({ apply: encoderOnly }),
      params: { transform: 'permutation-signs' },
      catches: ['invariance'],
    },
  ],
});
