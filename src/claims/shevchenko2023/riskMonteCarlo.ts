import { rowErrors } from './rowErrors.ts';
import { type Matrix, matrix } from '../../core/matrix.ts';
import { gaussianMatrix } from '../../sim/shevchenko2023/constructions.ts';
import { C_SIGN, gramOfRows, normalizeRows, signRisk } from '../../theory/shevchenko2023/signRisk.ts';
import { defineClaim, type MeasureContext, type Measurement } from '../claim.ts';
import { monteCarloMean, Z_DEFAULT } from '../support/checks.ts';
import { gaussianSampleMean } from '../support/gaussianSampleMean.ts';

/** The closed-form risk a claim checks: (R1) from theory/, or a broken stand-in. */
type RiskFn = (decoder: Matrix, encoder: Matrix) => number;

function measureWith(deps: { risk: RiskFn }) {
  return (
    params: { dim: number; rate: number; decoderScale: number; seed: number },
    ctx: MeasureContext<{ samples: number }>,
  ): Measurement => {
    const d = params.dim;
    const n = Math.max(1, Math.round(params.rate * d));
    const rng = ctx.rng.fork(params.seed);
    const a = gaussianMatrix(d, n, rng, params.decoderScale / Math.sqrt(d));
    const b = gaussianMatrix(n, d, rng);
    const predicted = deps.risk(a, b);
    const mc = gaussianSampleMean({
      dim: d,
      samples: ctx.sizes.samples,
      rng: ctx.rng.fork('samples'),
      progress: ctx.progress,
      values: (xs, rows, out) => {
        const codes = ctx.kernels.elementwise({
          op: 'sign',
          x: ctx.kernels.gemm({ m: rows, n, k: d, a: xs, b: b.data, transB: true }),
        });
        const recon = ctx.kernels.gemm({ m: rows, n: d, k: n, a: codes, b: a.data, transB: true });
        rowErrors(xs, recon, rows, d, out);
      },
    });
    return {
      checks: [monteCarloMean('monte-carlo', { mean: mc.mean, standardError: mc.standardError, expected: predicted })],
      details: { d, n, samples: mc.count, standardError: mc.standardError },
    };
  };
}

/**
 * (R1) with Sheppard's arcsin dropped: E[sign(u·x) sign(v·x)] taken as (2/π)·u·v, so the quadratic term uses M instead
 * of arcsin(M) (the Bussgang-only risk; on the diagonal it replaces π/2 by 1).
 */
function riskWithoutArcsin(decoder: Matrix, encoder: Matrix): number {
  const d = encoder.cols;
  const n = encoder.rows;
  const bHat = normalizeRows(encoder);
  const m = gramOfRows(bHat);
  let trAB = 0;
  for (let i = 0; i < d; i++) for (let k = 0; k < n; k++) trAB += decoder.data[i * n + k] * bHat.data[k * d + i];
  const am = matrix(d, n);
  for (let i = 0; i < d; i++)
    for (let k = 0; k < n; k++) {
      let s = 0;
      for (let l = 0; l < n; l++) s += decoder.data[i * n + l] * m.data[l * n + k];
      am.data[i * n + k] = s;
    }
  let quad = 0;
  for (let i = 0; i < d * n; i++) quad += am.data[i] * decoder.data[i];
  return 1 - (2 / d) * C_SIGN * trAB + (2 / (Math.PI * d)) * quad;
}

/** (R1) equals the Monte Carlo risk of x̂ = A sign(Bx), with the forward pass through the kernel registry. */
export const riskMonteCarlo = defineClaim({
  id: 'shevchenko2023.risk-monte-carlo',
  paper: 'shevchenko2023',
  title: 'Closed-form risk (R1) equals Monte Carlo',
  statement:
    'For x ~ N(0, I_d) and any decoder A and encoder B, R(A, B) = 1 − (2/d)√(2/π) tr(A B̂) + (2/(πd)) tr(A arcsin(M) Aᵀ) equals the mean of (1/d)‖x − A sign(Bx)‖² within 4 standard errors.',
  source: {
    paper: 'shevchenko2023',
    where: 'eq. (1.1) (model); docs/theory-shevchenko2023.md (S2), (R1)',
    confidence: 'DER',
  },
  kind: 'statistical',
  domain: {
    dim: { kind: 'int', min: 2, max: 40, doc: 'input dimension d' },
    rate: { kind: 'float', min: 0.25, max: 3, doc: 'compression rate r = n/d (n rounded)' },
    decoderScale: { kind: 'float', min: 0.1, max: 2, doc: 'entries of A are N(0, s²/d)' },
    seed: { kind: 'seed', doc: 'seed of A and B' },
  },
  defaults: { dim: 30, rate: 1.5, decoderScale: 1, seed: 1 },
  tolerance: {
    description: `|MC − R1| ≤ ${Z_DEFAULT}·SE`,
    reason: 'the per-sample loss has finite variance estimated from the samples; 4σ',
  },
  budget: { quick: { runs: 8, sizes: { samples: 20_000 } }, paper: { runs: 30, sizes: { samples: 1_000_000 } } },
  measure: measureWith({ risk: signRisk }),
  controls: [
    {
      name: 'arcsin-dropped',
      description: 'the closed form with Sheppard’s arcsin(M) replaced by M (π/2 → 1 on the diagonal)',
      measure: measureWith({ risk: riskWithoutArcsin }),
      catches: ['monte-carlo'],
    },
  ],
});
