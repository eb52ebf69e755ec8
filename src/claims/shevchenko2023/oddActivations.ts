import { rowErrors } from './rowErrors.ts';
import { haarOrthonormalRows } from '../../sim/shevchenko2023/constructions.ts';
import {
  type OddActivation,
  oddActivationDecoderScale,
  oddActivationMoments,
  oddActivationRisk,
} from '../../theory/shevchenko2023/oddActivations.ts';
import { defineClaim, type MeasureContext, type Measurement } from '../claim.ts';
import { monteCarloMean, Z_DEFAULT } from '../support/checks.ts';
import { gaussianSampleMean } from '../support/gaussianSampleMean.ts';

/** The predicted risk a claim checks: `oddActivationRisk`, or a broken stand-in. */
type OddRiskFn = (rate: number, activation: OddActivation) => number;

function measureWith(deps: { risk: OddRiskFn }) {
  return (
    params: { dim: number; rate: number; activation: OddActivation; seed: number },
    ctx: MeasureContext<{ samples: number }>,
  ): Measurement => {
    const d = params.dim;
    const n = Math.min(d, Math.max(1, Math.round(params.rate * d)));
    const activation = params.activation;
    const b = haarOrthonormalRows(n, d, ctx.rng.fork(params.seed));
    const predicted = deps.risk(n / d, activation);
    const scale = oddActivationDecoderScale(activation);
    const mc = gaussianSampleMean({
      dim: d,
      samples: ctx.sizes.samples,
      rng: ctx.rng.fork('samples'),
      progress: ctx.progress,
      values: (xs, rows, out) => {
        const codes = ctx.kernels.elementwise({
          op: activation,
          x: ctx.kernels.gemm({ m: rows, n, k: d, a: xs, b: b.data, transB: true }),
        });
        // x̂ = scale · Bᵀ σ(Bx): rows × d = codes (rows × n) · B (n × d).
        const recon = ctx.kernels.gemm({ m: rows, n: d, k: n, a: codes, b: b.data, alpha: scale });
        rowErrors(xs, recon, rows, d, out);
      },
    });
    return {
      checks: [monteCarloMean('monte-carlo', { mean: mc.mean, standardError: mc.standardError, expected: predicted })],
      details: { d, n, activation, decoderScale: scale, samples: mc.count, standardError: mc.standardError },
    };
  };
}

/** 1 − r μ₁² with the normalisation by E σ² forgotten (right for sign and linear, where E σ² = 1; wrong for erf). */
const riskWithoutSecondMoment: OddRiskFn = (rate, activation) => 1 - rate * oddActivationMoments(activation).mu1 ** 2;

/**
 * docs/theory-shevchenko2023.md (S12): odd activations on orthonormal rows, checked by Monte Carlo through the kernels.
 */
export const oddActivations = defineClaim({
  id: 'shevchenko2023.odd-activations',
  paper: 'shevchenko2023',
  title: 'Odd activations on orthonormal rows: risk 1 − r μ₁²/E σ² (linear: PCA)',
  statement:
    'For x ~ N(0, I_d), n = r·d ≤ d Haar orthonormal rows B and an odd activation σ (linear, erf(·/√2), sign), the decoder A = (μ₁/E σ²) Bᵀ has risk (1/d) E‖x − A σ(Bx)‖² = 1 − r μ₁²/E σ(z)² (μ₁ = E[z σ(z)]); for linear σ this is the PCA value 1 − r. Derived for this project (docs/shevchenko2023.md), not claimed to be in the paper.',
  source: {
    paper: 'shevchenko2023',
    where: 'docs/theory-shevchenko2023.md (S12) (derived; not the paper’s)',
    confidence: 'DER',
  },
  kind: 'statistical',
  domain: {
    dim: { kind: 'int', min: 4, max: 60, doc: 'input dimension d' },
    rate: {
      kind: 'float',
      min: 0.1,
      max: 0.9,
      doc: 'r = n/d ≤ 0.9 (n rounded, at least 1); r = 1 with linear σ has zero loss and no spread',
    },
    activation: { kind: 'choice', values: ['linear', 'erf', 'sign'] as const, doc: 'odd activation σ' },
    seed: { kind: 'seed', doc: 'seed of B' },
  },
  defaults: { dim: 40, rate: 0.5, activation: 'erf', seed: 1 },
  tolerance: {
    description: `|MC − (1 − r μ₁²/E σ²)| ≤ ${Z_DEFAULT}·SE`,
    reason: 'the per-sample loss has finite variance estimated from the samples; 4σ',
  },
  budget: { quick: { runs: 6, sizes: { samples: 20_000 } }, paper: { runs: 30, sizes: { samples: 1_000_000 } } },
  measure: measureWith({ risk: oddActivationRisk }),
  controls: [
    {
      name: 'second-moment-dropped',
      description: 'the prediction 1 − r μ₁² without dividing by E σ² (wrong for erf(·/√2), where E σ² = 1/3)',
      measure: measureWith({ risk: riskWithoutSecondMoment }),
      params: { activation: 'erf' },
      catches: ['monte-carlo'],
    },
  ],
});
