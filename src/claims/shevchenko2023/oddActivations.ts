import { RunningStats } from '../../core/stats.ts';
import { haarOrthonormalRows } from '../../sim/shevchenko2023/constructions.ts';
import {
  type OddActivation,
  oddActivationDecoderScale,
  oddActivationRisk,
} from '../../theory/shevchenko2023/oddActivations.ts';
import { defineClaim } from '../claim.ts';

/** z-score allowed: a 4σ test (two-sided false-failure probability 6e-5 per run). */
const Z_ALLOWED = 4;
/** Samples per kernel call. */
const CHUNK = 2048;

/** §3.7 / §5 items 21–22: odd activations on orthonormal rows, checked by Monte Carlo through the kernels. */
export const oddActivations = defineClaim({
  id: 'shevchenko2023.odd-activations',
  paper: 'shevchenko2023',
  title: 'Odd activations on orthonormal rows: risk 1 − r μ₁²/E σ² (linear: PCA)',
  statement:
    'For x ~ N(0, I_d), n = r·d ≤ d Haar orthonormal rows B and an odd activation σ (linear, erf(·/√2), sign), the decoder A = (μ₁/E σ²) Bᵀ has risk (1/d) E‖x − A σ(Bx)‖² = 1 − r μ₁²/E σ(z)² (μ₁ = E[z σ(z)]); for linear σ this is the PCA value 1 − r. Derived in the digest (§3.7), not claimed to be in the paper.',
  source: { paper: 'shevchenko2023', where: 'digest §3.7; §5 items 21–22', confidence: 'DER' },
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
    description: `z = |MC − (1 − r μ₁²/E σ²)| / SE ≤ ${Z_ALLOWED}`,
    reason: 'the per-sample loss has finite variance estimated from the samples; 4σ',
  },
  budget: { quick: { runs: 6, sizes: { samples: 20_000 } }, paper: { runs: 30, sizes: { samples: 1_000_000 } } },
  measure(params, ctx) {
    const d = params.dim;
    const n = Math.min(d, Math.max(1, Math.round(params.rate * d)));
    const activation = params.activation as OddActivation;
    const b = haarOrthonormalRows(n, d, ctx.rng.fork(params.seed));
    const predicted = oddActivationRisk(n / d, activation);
    const scale = oddActivationDecoderScale(activation);
    const stats = new RunningStats();
    const samples = ctx.rng.fork('samples');
    const x = new Float64Array(CHUNK * d);
    for (let done = 0; done < ctx.sizes.samples; done += CHUNK) {
      const rows = Math.min(CHUNK, ctx.sizes.samples - done);
      const xs = x.subarray(0, rows * d);
      samples.fillNormal(xs);
      const codes = ctx.kernels.elementwise({
        op: activation,
        x: ctx.kernels.gemm({ m: rows, n, k: d, a: xs, b: b.data, transB: true }),
      });
      // x̂ = scale · Bᵀ σ(Bx): rows × d = codes (rows × n) · B (n × d).
      const recon = ctx.kernels.gemm({ m: rows, n: d, k: n, a: codes, b: b.data, alpha: scale });
      for (let s = 0; s < rows; s++) {
        let e = 0;
        for (let j = 0; j < d; j++) e += (xs[s * d + j] - recon[s * d + j]) ** 2;
        stats.push(e / d);
      }
      ctx.progress(done + rows, ctx.sizes.samples, 'samples');
    }
    return {
      predicted,
      observed: stats.mean,
      error: Math.abs(stats.mean - predicted) / stats.standardError,
      allowed: Z_ALLOWED,
      metric: 'z-score',
      details: { d, n, activation, decoderScale: scale, samples: stats.count, standardError: stats.standardError },
    };
  },
});
