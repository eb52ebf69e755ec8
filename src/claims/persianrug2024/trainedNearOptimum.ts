import { createRng } from '../../core/rng.ts';
import { toyModelLoss, trainToyModel } from '../../sim/persianrug2024/trainToyModel.ts';
import { symmetricOptimum } from '../../theory/persianrug2024/symmetricLoss.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { atMost } from '../support/checks.ts';

/**
 * Trained models should not be much worse than the symmetric optimum once converged (docs/theory-persianrug2024.md §8
 * item 15: ≤ 1.1 × L*).
 */
const FACTOR = 1.1;

/** The negative control's trainer: no Adam step (the PyTorch initialisation, evaluated at step 0). */
const noOpTrainer: typeof trainToyModel = (options) => trainToyModel({ ...options, steps: 0, record: [0] });

const domain = {
  p: { kind: 'float', min: 0.4, max: 0.6, doc: 'feature probability p (p·n ≥ 50 at the quick n = 128)' },
  seed: { kind: 'seed', doc: 'seed of the initialisation and the data' },
} as const;
type Sizes = { n: number; r: number; steps: number; evalSamples: number };

function measureWith(train: typeof trainToyModel): MeasureFn<typeof domain, Sizes> {
  return (params, ctx) => {
    const { n, r, steps, evalSamples } = ctx.sizes;
    const m = Math.round(r * n);
    const record = Array.from(new Set([0, 100, 250, 500, 1000, 2000, 4000, steps].filter((s) => s <= steps)));
    const res = train({
      n,
      m,
      p: params.p,
      steps,
      rng: ctx.rng.fork(params.seed),
      kernels: ctx.kernels,
      record,
      evalSamples,
      progress: ctx.progress,
    });
    const optimum = symmetricOptimum(m / n, params.p).loss;
    // A second, independent held-out estimate of the final loss (fresh samples) for the verdict.
    const final = toyModelLoss(res, n, m, params.p, evalSamples, createRng(params.seed).fork('final'), ctx.kernels);
    return {
      checks: [atMost('trained-vs-optimum', final, optimum, (FACTOR - 1) * optimum)],
      details: { n, m, p: params.p, steps, ratioToOptimum: final / optimum },
      plots: [
        {
          kind: 'line',
          id: 'trained-loss',
          title: `Toy model, n = ${n}, m = ${m}, p = ${params.p}: held-out loss against Adam steps`,
          x: { label: 'step + 1', log: true },
          y: { label: 'loss per feature', log: true },
          series: [
            { name: 'trained (held out)', x: res.steps.map((s) => s + 1), y: res.heldOutLoss, style: 'points' },
            { name: 'L*(r, p)', x: [1, steps + 1], y: [optimum, optimum], style: 'dashed' },
            { name: '1.1 × L*', x: [1, steps + 1], y: [FACTOR * optimum, FACTOR * optimum], style: 'dashed' },
          ],
        },
        {
          // The trained W = W_out W_in, to set beside the Persian rug of hadamard-exact (the picture of
          // docs/theory-persianrug2024.md §6.2).
          kind: 'heatmap',
          id: 'trained-w',
          title: `Trained W = W_out W_in, n = ${n}, m = ${m}, p = ${params.p} (compare the Persian rug)`,
          rows: n,
          cols: n,
          values: Array.from(ctx.kernels.gemm({ m: n, n, k: m, a: res.wOut, b: res.wIn })),
          xLabel: 'feature j',
          yLabel: 'feature i',
        },
      ],
    };
  };
}

/**
 * docs/theory-persianrug2024.md §6.4, §8 item 15: the full toy model trained with Adam at the authors' settings reaches
 * a held-out loss ≤ 1.1 × L*(r, p) when p·n ≥ 50 and m ≥ 20. Found while building it: at n = 64, m = 16 (m < 20) the
 * loss stalls at 1.13 × L*; at n = 128, m = 32, p = 0.4 it ends 1.5% below L* (trained models can beat the symmetric
 * optimum, docs/theory-persianrug2024.md §6.4).
 */
export const trainedNearOptimum = defineClaim({
  id: 'persianrug2024.trained-near-optimum',
  paper: 'persianrug2024',
  title: 'Trained toy models reach ≤ 1.1 × L*(r, p) when p·n ≥ 50 and m ≥ 20',
  statement:
    'x̂ = ReLU(W_out W_in x + b) trained with Adam (lr 3e-3/√n, eps 1e-7, batch 1024, fresh data, PyTorch init) for a fixed budget reaches a held-out per-feature loss ≤ 1.1 × L*(m/n, p) where p·n ≥ 50 and m ≥ 20; it may end below L* (the symmetric optimum is not a lower bound for trained models).',
  source: {
    paper: 'persianrug2024',
    where: 'docs/theory-persianrug2024.md §6.4, §8 item 15',
    confidence: 'DERIVED',
    note: 'the regime (p·n ≥ 50, m ≥ 20) is that of docs/theory-persianrug2024.md §8 item 15; below it (n = 64, m = 16) 1.13 × L* was measured',
  },
  kind: 'statistical',
  domain,
  defaults: { p: 0.4, seed: 17 },
  tolerance: {
    description: `held-out loss − L* ≤ ${(FACTOR - 1).toFixed(1)}·L* (signed: negative when it ends below L*)`,
    reason: 'docs/theory-persianrug2024.md §8 item 15 (once converged in this regime)',
  },
  budget: {
    quick: { runs: 1, cpuSeconds: 8, sizes: { n: 128, r: 0.25, steps: 1000, evalSamples: 8192 } },
    paper: { runs: 3, cpuSeconds: 290, sizes: { n: 512, r: 0.25, steps: 6000, evalSamples: 32_768 } },
  },
  measure: measureWith(trainToyModel),
  controls: [
    {
      name: 'no-op-optimiser',
      description: 'a trainer that takes no Adam step: the PyTorch initialisation, far above 1.1 × L*',
      measure: measureWith(noOpTrainer),
      catches: ['trained-vs-optimum'],
    },
  ],
});
