import { RunningStats } from '../../core/stats.ts';
import { gaussianMatrix } from '../../sim/shevchenko2023/constructions.ts';
import { signRisk } from '../../theory/shevchenko2023/signRisk.ts';
import { defineClaim } from '../claim.ts';

/** z-score allowed: a 4σ test (two-sided false-failure probability 6e-5 per run). */
const Z_ALLOWED = 4;
/** Samples per kernel call. */
const CHUNK = 2048;

/** (R1) equals the Monte Carlo risk of x̂ = A sign(Bx), with the forward pass through the kernel registry. */
export const riskMonteCarlo = defineClaim({
  id: 'shevchenko2023.risk-monte-carlo',
  paper: 'shevchenko2023',
  title: 'Closed-form risk (R1) equals Monte Carlo',
  statement:
    'For x ~ N(0, I_d) and any decoder A and encoder B, R(A, B) = 1 − (2/d)√(2/π) tr(A B̂) + (2/(πd)) tr(A arcsin(M) Aᵀ) equals the mean of (1/d)‖x − A sign(Bx)‖² within 4 standard errors.',
  source: { paper: 'shevchenko2023', where: '§3.1 (R1); §5 item 2', confidence: 'DER' },
  kind: 'statistical',
  domain: {
    dim: { kind: 'int', min: 2, max: 40, doc: 'input dimension d' },
    rate: { kind: 'float', min: 0.25, max: 3, doc: 'compression rate r = n/d (n rounded)' },
    decoderScale: { kind: 'float', min: 0.1, max: 2, doc: 'entries of A are N(0, s²/d)' },
    seed: { kind: 'seed', doc: 'seed of A and B' },
  },
  defaults: { dim: 30, rate: 1.5, decoderScale: 1, seed: 1 },
  tolerance: {
    description: `z = |MC − R1| / SE ≤ ${Z_ALLOWED}`,
    reason: 'the per-sample loss has finite variance estimated from the samples; 4σ',
  },
  budget: { quick: { runs: 8, sizes: { samples: 20_000 } }, paper: { runs: 30, sizes: { samples: 1_000_000 } } },
  measure(params, ctx) {
    const d = params.dim;
    const n = Math.max(1, Math.round(params.rate * d));
    const rng = ctx.rng.fork(params.seed);
    const a = gaussianMatrix(d, n, rng, params.decoderScale / Math.sqrt(d));
    const b = gaussianMatrix(n, d, rng);
    const predicted = signRisk(a, b);
    const stats = new RunningStats();
    const samples = ctx.rng.fork('samples');
    const x = new Float64Array(CHUNK * d);
    for (let done = 0; done < ctx.sizes.samples; done += CHUNK) {
      const rows = Math.min(CHUNK, ctx.sizes.samples - done);
      const xs = x.subarray(0, rows * d);
      samples.fillNormal(xs);
      const codes = ctx.kernels.elementwise({
        op: 'sign',
        x: ctx.kernels.gemm({ m: rows, n, k: d, a: xs, b: b.data, transB: true }),
      });
      const recon = ctx.kernels.gemm({ m: rows, n: d, k: n, a: codes, b: a.data, transB: true });
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
      details: { d, n, samples: stats.count, standardError: stats.standardError },
    };
  },
});
