import { normalQuantile } from '../../core/special.ts';
import type { KernelSet } from '../../kernels/kernelSpecs.ts';
import { SHEPPARD_LINEAR_COEFFICIENT } from '../../theory/shevchenko2023/sheppard.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { monteCarloMean, Z_DEFAULT } from '../support/checks.ts';
import { gaussianSampleMean } from '../support/gaussianSampleMean.ts';
import { unitVectorsWithOverlap } from './unitVectors.ts';

/** Family-wise false-failure probability per run of the coordinate check; Bonferroni over the d coordinates gives z. */
const FAMILY_WISE_ALPHA = 1e-4;

const DOMAIN = {
  dim: { kind: 'int', min: 1, max: 65, doc: 'input dimension d' },
  vectorSeed: { kind: 'seed', doc: 'seed of u' },
} as const;

/** Sizes of {@link sheppardLinear}. */
interface Sizes {
  samples: number;
}

/** Xᵀ s (d values) for a block X (rows×d, row-major) and s (rows): one `gemm` with A transposed. */
function transposedProduct(kernels: KernelSet, x: Float64Array, rows: number, d: number, s: Float64Array) {
  return kernels.gemm({ m: d, n: 1, k: rows, a: x, b: s, transA: true });
}

/** A transpose bug: the same product with the flag left off (X read as d×rows). */
function untransposedProduct(kernels: KernelSet, x: Float64Array, rows: number, d: number, s: Float64Array) {
  return kernels.gemm({ m: d, n: 1, k: rows, a: x, b: s });
}

/** The claim's measurement with the coefficient and the product Xᵀs passed in (real, or broken for a control). */
function measureWith(deps: {
  coefficient: number;
  product: typeof transposedProduct;
}): MeasureFn<typeof DOMAIN, Sizes> {
  return (params, ctx) => {
    const d = params.dim;
    const { u } = unitVectorsWithOverlap(d, 0, ctx.rng.fork(params.vectorSeed));
    const { kernels } = ctx;
    const acc = new Float64Array(d);
    // Each row's value is u·x sign(u·x) = |u·x|, the component of x sign(u·x) along u; the full vector mean is
    // accumulated beside it, block by block, as Xᵀ s.
    const along = gaussianSampleMean({
      dim: d,
      samples: ctx.sizes.samples,
      rng: ctx.rng.fork('samples'),
      progress: ctx.progress,
      values(x, rows, out) {
        const proj = kernels.gemm({ m: rows, n: 1, k: d, a: x, b: u });
        const s = kernels.elementwise({ op: 'sign', x: proj });
        const part = deps.product(kernels, x, rows, d, s);
        for (let i = 0; i < d; i++) acc[i] += part[i];
        for (let r = 0; r < rows; r++) out[r] = proj[r] * s[r];
      },
    });
    const n = along.count;
    // Coordinates: Var(x_i sign(u·x)) = 1 − (2/π)u_i² exactly, so each coordinate's z uses the exact standard error.
    let worst = 0;
    let worstZ = -1;
    for (let i = 0; i < d; i++) {
      const sd = Math.sqrt((1 - (2 / Math.PI) * u[i] * u[i]) / n);
      const z = Math.abs(acc[i] / n - deps.coefficient * u[i]) / sd;
      if (!(z <= worstZ)) {
        worst = i;
        worstZ = z;
        if (Number.isNaN(z)) break;
      }
    }
    const zCoordinates = normalQuantile(1 - FAMILY_WISE_ALPHA / (2 * d));
    return {
      checks: [
        monteCarloMean('along-u', {
          mean: along.mean,
          standardError: along.standardError,
          expected: deps.coefficient,
        }),
        monteCarloMean('worst-coordinate', {
          mean: acc[worst] / n,
          standardError: Math.sqrt((1 - (2 / Math.PI) * u[worst] * u[worst]) / n),
          expected: deps.coefficient * u[worst],
          z: zCoordinates,
        }),
      ],
      details: { worstCoordinate: worst, worstZ, zCoordinates, samples: n },
    };
  };
}

/**
 * E[x sign(u·x)] = √(2/π) u for x ~ N(0, I_d) and a unit vector u, measured through the kernel registry:
 * s = sign(X u) by `gemm` + `elementwise`, then Xᵀ s by `gemm` with a transpose, in blocks ({@link gaussianSampleMean}).
 */
export const sheppardLinear = defineClaim({
  id: 'shevchenko2023.sheppard-linear',
  paper: 'shevchenko2023',
  title: 'E[x sign(u·x)] = √(2/π) u',
  statement:
    'For x ~ N(0, I_d) and a unit vector u, E[x sign(u·x)] = √(2/π) u: the Monte Carlo mean of its component along u, E|u·x|, agrees with √(2/π) within 4 standard errors, and every coordinate within a Bonferroni-corrected z threshold.',
  source: { paper: 'shevchenko2023', where: 'docs/theory-shevchenko2023.md (S3), first identity', confidence: 'DER' },
  kind: 'statistical',
  domain: DOMAIN,
  defaults: { dim: 32, vectorSeed: 9 },
  tolerance: {
    description: `along-u: ${Z_DEFAULT}·SE; worst-coordinate: z ≤ Φ⁻¹(1 − ${FAMILY_WISE_ALPHA}/(2d))`,
    reason:
      'Var(x_i sign(u·x)) = 1 − (2/π)u_i² is known exactly; Bonferroni over d coordinates keeps the coordinate check’s false-failure rate ≤ 1e-4 a run, and the 4σ test along u adds 6e-5. The coordinate check is weak on a wrong constant (each coordinate carries about 1/√d of it: 2/π for √(2/π) is 1.6× its allowance at d = 65); the check along u carries all of it (≥ 11× for every d)',
  },
  budget: { quick: { runs: 10, sizes: { samples: 32_768 } }, paper: { runs: 50, sizes: { samples: 1_048_576 } } },
  measure: measureWith({ coefficient: SHEPPARD_LINEAR_COEFFICIENT, product: transposedProduct }),
  controls: [
    {
      name: 'coefficient-2-over-pi',
      description: 'the coefficient 2/π (that of the arcsin identity) instead of √(2/π)',
      measure: measureWith({ coefficient: 2 / Math.PI, product: transposedProduct }),
      catches: ['along-u'],
    },
    {
      name: 'untransposed-product',
      description: 'Xᵀs computed by gemm without the transpose flag (X read as d×rows)',
      measure: measureWith({ coefficient: SHEPPARD_LINEAR_COEFFICIENT, product: untransposedProduct }),
      catches: ['worst-coordinate'],
    },
  ],
});
