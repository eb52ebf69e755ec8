import { EPS64 } from '../../core/tolerance.ts';
import { sheppardSignCorrelation } from '../../theory/shevchenko2023/sheppard.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { monteCarloMean, withinUlps, Z_DEFAULT } from '../support/checks.ts';
import { gaussianSampleMean } from '../support/gaussianSampleMean.ts';
import { unitVectorsWithOverlap } from './unitVectors.ts';

/**
 * Round-off of the closed form, the allowance when the standard error is 0: at u = ±v (always at d = 1) every sample
 * is ±1 exactly, so the comparison is exact up to the few ulps of (2/π)·arcsin(±1).
 */
const CLOSED_FORM_ROUNDOFF = 8 * EPS64;
/**
 * ulps (of 1) allowed between the constructed u·v and the requested overlap, per coordinate: u·v is a sum of d
 * products of entries normalised in float64, each off by a few ulps.
 */
const OVERLAP_ULPS_PER_DIM = 8;
/** Overlap of the `linear-correlation` and `transposed-packing` controls: far from 0, where the wrong answers differ. */
const CONTROL_OVERLAP = 0.9;

const DOMAIN = {
  dim: { kind: 'int', min: 1, max: 65, doc: 'input dimension d' },
  overlap: { kind: 'float', min: -0.999, max: 0.999, doc: 'u·v (for d = 1 only ±1 exist)' },
  vectorSeed: { kind: 'seed', doc: 'seed of u and v' },
} as const;

/** Sizes of {@link sheppardArcsin}. */
interface Sizes {
  samples: number;
}

/** Writes u and v as the d×2 row-major matrix [u v] that the projection X·[u v] reads. */
function packColumns(u: Float64Array, v: Float64Array): Float64Array {
  const d = u.length;
  const uv = new Float64Array(d * 2);
  for (let i = 0; i < d; i++) {
    uv[2 * i] = u[i];
    uv[2 * i + 1] = v[i];
  }
  return uv;
}

/** A layout bug: u and v written one after the other (2×d), then read as d×2. */
function packRows(u: Float64Array, v: Float64Array): Float64Array {
  const uv = new Float64Array(u.length * 2);
  uv.set(u, 0);
  uv.set(v, u.length);
  return uv;
}

/** The claim's measurement with the closed form and the packing of [u v] passed in (real, or broken for a control). */
function measureWith(deps: {
  closedForm: (overlap: number) => number;
  pack: (u: Float64Array, v: Float64Array) => Float64Array;
  vectors: typeof unitVectorsWithOverlap;
}): MeasureFn<typeof DOMAIN, Sizes> {
  return (params, ctx) => {
    const d = params.dim;
    const { u, v, overlap } = deps.vectors(d, params.overlap, ctx.rng.fork(params.vectorSeed));
    const predicted = deps.closedForm(overlap);
    const uv = deps.pack(u, v);
    const { kernels } = ctx;
    const mc = gaussianSampleMean({
      dim: d,
      samples: ctx.sizes.samples,
      rng: ctx.rng.fork('samples'),
      progress: ctx.progress,
      values(x, rows, out) {
        const proj = kernels.gemm({ m: rows, n: 2, k: d, a: x, b: uv });
        const signs = kernels.elementwise({ op: 'sign', x: proj });
        for (let r = 0; r < rows; r++) out[r] = signs[2 * r] * signs[2 * r + 1];
      },
    });
    // For d = 1 the only unit vectors are ±1, so u·v is ±1 whatever was asked (see unitVectorsWithOverlap).
    const requested = d === 1 ? (params.overlap >= 0 ? 1 : -1) : params.overlap;
    return {
      checks: [
        monteCarloMean('sign-correlation', {
          mean: mc.mean,
          standardError: mc.standardError,
          expected: predicted,
          bias: CLOSED_FORM_ROUNDOFF,
        }),
        // The set-up must build the overlap asked for, or the draws would not explore the domain.
        withinUlps('overlap-as-requested', overlap, requested, OVERLAP_ULPS_PER_DIM * d, { scale: 1 }),
      ],
      details: { overlap, standardError: mc.standardError, samples: mc.count },
    };
  };
}

/** The first-order term of arcsin: (2/π)·u·v, what a linear (Pearson) reading of the identity would predict. */
const linearCorrelation = (overlap: number) => (2 / Math.PI) * overlap;

/** A set-up bug: v = u whatever overlap is asked (the identity then holds trivially, at u·v = 1). */
const sameVector: typeof unitVectorsWithOverlap = (d, rho, rng) => {
  const { u } = unitVectorsWithOverlap(d, rho, rng);
  let overlap = 0;
  for (let i = 0; i < d; i++) overlap += u[i] * u[i];
  return { u, v: u, overlap };
};

const REAL = { closedForm: sheppardSignCorrelation, pack: packColumns, vectors: unitVectorsWithOverlap };

/**
 * Sheppard's identity E[sign(u·x) sign(v·x)] = (2/π) arcsin(u·v), measured through the kernel registry: the
 * projections X·[u v] by `gemm`, the signs by `elementwise`; the per-row products are averaged in float64
 * ({@link gaussianSampleMean}).
 */
export const sheppardArcsin = defineClaim({
  id: 'shevchenko2023.sheppard-arcsin',
  paper: 'shevchenko2023',
  title: "Sheppard's identity: E[sign(u·x) sign(v·x)] = (2/π) arcsin(u·v)",
  statement:
    'For x ~ N(0, I_d) and unit vectors u, v, the sign correlation E[sign(u·x) sign(v·x)] equals (2/π) arcsin(u·v); the Monte Carlo mean agrees within 4 standard errors.',
  source: { paper: 'shevchenko2023', where: 'docs/theory-shevchenko2023.md (S3), second identity', confidence: 'DER' },
  kind: 'statistical',
  domain: DOMAIN,
  defaults: { dim: 20, overlap: 0.6, vectorSeed: 5 },
  tolerance: {
    description: `sign-correlation: |MC − (2/π) arcsin(u·v)| ≤ ${Z_DEFAULT}·SE + 8ε64; overlap-as-requested: ≤ ${OVERLAP_ULPS_PER_DIM}·d ulps`,
    reason:
      'a 4σ test with the standard error estimated from the samples; the 8ε64 is the closed form’s round-off, the whole allowance when u = ±v makes every sample ±1 (SE = 0)',
  },
  budget: { quick: { runs: 10, sizes: { samples: 32_768 } }, paper: { runs: 50, sizes: { samples: 1_048_576 } } },
  measure: measureWith(REAL),
  controls: [
    {
      name: 'linear-correlation',
      description: `(2/π)·u·v instead of (2/π)·arcsin(u·v), at u·v = ${CONTROL_OVERLAP} (0.573 against 0.713)`,
      measure: measureWith({ ...REAL, closedForm: linearCorrelation }),
      params: { overlap: CONTROL_OVERLAP },
      catches: ['sign-correlation'],
    },
    {
      name: 'transposed-packing',
      description: `[u v] written as 2×d and read as d×2 by gemm, at u·v = ${CONTROL_OVERLAP}`,
      measure: measureWith({ ...REAL, pack: packRows }),
      params: { overlap: CONTROL_OVERLAP },
      catches: ['sign-correlation'],
    },
    {
      name: 'same-vector',
      description: 'unit vectors built with v = u whatever overlap is asked (the identity then holds at u·v = 1)',
      measure: measureWith({ ...REAL, vectors: sameVector }),
      catches: ['overlap-as-requested'],
    },
  ],
});
