import { trainToyModel } from '../../sim/persianrug2024/trainToyModel.ts';
import { meanFieldLoss } from '../../theory/persianrug2024/meanField.ts';
import { symmetricOptimum } from '../../theory/persianrug2024/symmetricLoss.ts';
import type { Check } from '../check.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { closeTo } from '../support/checks.ts';

/**
 * ±3% of L* on the plateau (docs/theory-persianrug2024.md §8 item 15; §6.4: every 500-step log from 1000 to 4000 within
 * 1.3% of L* at n = 512).
 */
const LOSS_BAND = 0.03;
/** Diagonal mean within 10% of a*, with std/mean < 0.1 (docs/theory-persianrug2024.md §8 item 15). */
const DIAG_BAND = 0.1;
const DIAG_SPREAD = 0.1;
/**
 * The spread bound is that of docs/theory-persianrug2024.md §8 item 15, for n = 512 (measured here: 0.013). At n = 128
 * the diagonal is still uneven at the window's end (std/mean 0.05–0.11 over 20 seeds), so below this n the spread is
 * reported, not asserted.
 */
const SPREAD_MIN_N = 512;
/**
 * Rank bound nearly saturated: mean Σ_{j≠i} W_ij² within 5% of mean(W_ii²)(n/m − 1) (docs/theory-persianrug2024.md §8
 * item 15).
 */
const RANK_BAND = 0.05;
/**
 * The mean-field estimate of the trained W and b within ±3% of the held-out loss at the window's end: the tolerance of
 * docs/theory-persianrug2024.md §8 items 12–13 (that of the Hadamard comparison, p·n ≥ 50; here p·n = 51 at n = 128).
 * Measured 1.014–1.022 at n = 128 (seeds 1–6) and 1.011 at n = 512; off the plateau it overestimates by 12–100% (see
 * mean-field-estimate).
 */
const MEAN_FIELD_BAND = 0.03;
/**
 * The plateau configuration of docs/theory-persianrug2024.md §6.4 and §8 item 15: r = 1/2, p = 0.4 (p·n ≥ 50 at both
 * scales).
 */
const R = 0.5;
const P = 0.4;

/**
 * The negative control's trainer: no Adam step. It evaluates the PyTorch initialisation once and reports that loss at
 * every requested step (a training loop that never updates the weights).
 */
const noOpTrainer: typeof trainToyModel = (options) => {
  const init = trainToyModel({ ...options, steps: 0, record: [0] });
  const steps = [...(options.record ?? [options.steps])];
  return { ...init, steps, heldOutLoss: steps.map(() => init.heldOutLoss[0]) };
};

const domain = { seed: { kind: 'seed', doc: 'seed of the init, the data and the held-out samples' } } as const;
type Sizes = { n: number; from: number; to: number; every: number; evalSamples: number };

function measureWith(train: typeof trainToyModel): MeasureFn<typeof domain, Sizes> {
  return (params, ctx) => {
    const { n, from, to, every, evalSamples } = ctx.sizes;
    const m = Math.round(R * n);
    const optimum = symmetricOptimum(m / n, P);
    const record: number[] = [0];
    for (let s = from; s <= to; s += every) record.push(s);
    const res = train({
      n,
      m,
      p: P,
      steps: to,
      record,
      evalSamples,
      rng: ctx.rng.fork(params.seed),
      kernels: ctx.kernels,
      progress: ctx.progress,
    });
    const window = res.steps
      .map((s, i) => ({ s, ratio: res.heldOutLoss[i] / optimum.loss }))
      .filter((e) => e.s >= from);
    // Statistics of W = W_out W_in at the window's end.
    const w = ctx.kernels.gemm({ m: n, n, k: m, a: res.wOut, b: res.wIn });
    let diagSum = 0;
    let diagSq = 0;
    let offSq = 0;
    for (let i = 0; i < n; i++) {
      const d = w[i * n + i];
      diagSum += d;
      diagSq += d * d;
      for (let j = 0; j < n; j++) if (j !== i) offSq += w[i * n + j] ** 2;
    }
    const diagMean = diagSum / n;
    const diagSpread = Math.sqrt(Math.max(0, diagSq / n - diagMean * diagMean)) / Math.abs(diagMean);
    const rankBound = (diagSq / n) * (n / m - 1);
    const rankRatio = offSq / n / rankBound;
    // The mean-field estimate from the row statistics against the held-out loss at the window's end.
    const heldOut = res.heldOutLoss[res.heldOutLoss.length - 1];
    const meanField = meanFieldLoss(n, w, res.bias, P).loss;
    const checks: Check[] = window.map((e) =>
      closeTo(`loss-step-${e.s}`, res.heldOutLoss[res.steps.indexOf(e.s)], optimum.loss, {
        rtol: LOSS_BAND,
        metric: '|held-out − L*|',
      }),
    );
    checks.push(closeTo('diag-mean', diagMean, optimum.scale, { rtol: DIAG_BAND, metric: '|mean W_ii − a*|' }));
    if (n >= SPREAD_MIN_N) {
      checks.push(closeTo('diag-spread', diagSpread, 0, { atol: DIAG_SPREAD, metric: 'std/mean of W_ii' }));
    }
    checks.push(
      closeTo('rank-bound-saturated', rankRatio, 1, {
        atol: RANK_BAND,
        metric: '|mean off-diagonal energy / (mean W_ii²)(n/m − 1) − 1|',
      }),
    );
    checks.push(closeTo('mean-field', meanField, heldOut, { rtol: MEAN_FIELD_BAND, metric: '|estimate − held-out|' }));
    return {
      checks,
      details: {
        n,
        m,
        p: P,
        windowSteps: window.map((e) => e.s),
        lossOverOptimum: window.map((e) => e.ratio),
        diagMean,
        aStar: optimum.scale,
        diagSpread,
        rankBoundRatio: rankRatio,
        meanField,
        meanFieldOverHeldOut: meanField / heldOut,
      },
      plots: [
        {
          kind: 'line',
          id: 'plateau',
          title: `Toy model n = ${n}, m = ${m}, p = ${P}: held-out loss against Adam steps, with L* ± 3%`,
          x: { label: 'step', log: false },
          y: { label: 'loss per feature', log: true },
          series: [
            { name: 'trained (held out)', x: res.steps, y: res.heldOutLoss, style: 'points' },
            { name: 'L*(1/2, 0.4)', x: [0, to], y: [optimum.loss, optimum.loss], style: 'dashed' },
            {
              name: '+3%',
              x: [from, to],
              y: [optimum.loss * (1 + LOSS_BAND), optimum.loss * (1 + LOSS_BAND)],
              style: 'dashed',
            },
            {
              name: '−3%',
              x: [from, to],
              y: [optimum.loss * (1 - LOSS_BAND), optimum.loss * (1 - LOSS_BAND)],
              style: 'dashed',
            },
          ],
        },
      ],
    };
  };
}

/**
 * docs/theory-persianrug2024.md §6.4, §8 item 15, the affordable plateau test: the trained toy model passes through the
 * symmetric optimum. With the authors' init and lr, its held-out loss stays within ±3% of L*(1/2, 0.4) over a window of
 * steps, its diagonal sits at a* and the rank bound is saturated — the Persian rug's statistics — before (at finite n)
 * it leaves towards non-symmetric solutions below L*.
 */
export const plateau = defineClaim({
  id: 'persianrug2024.plateau',
  paper: 'persianrug2024',
  title: 'Trained toy models plateau at the symmetric optimum L*(1/2, 0.4) with the rug’s statistics',
  statement:
    'Training x̂ = ReLU(W_out W_in x + b) with the authors’ init and Adam settings at r = m/n = 1/2, p = 0.4, the held-out loss stays within ±3% of L*(1/2, 0.4) at every recorded step of a window (paper scale, n = 512 as in docs/theory-persianrug2024.md §8 item 15: steps 1000–4000; quick scale n = 128, where the dynamics are about twice as fast: steps 750–1500), and at the window’s end W = W_out W_in has diagonal mean within 10% of a* (std/mean < 0.1 at n = 512, 0.013 measured; at n = 128 it is 0.05–0.11 and only reported) and mean off-diagonal row energy within 5% of mean(W_ii²)(n/m − 1) (the rank bound saturated). Found: at n = 128 the loss then leaves the plateau downwards (0.97 L* at step 2000, 0.63 L* at 5000) — finite-n models find non-symmetric solutions below L*, so the window, not the end of training, is asserted. The mean-field estimate of the trained W and b from their row statistics is within ±3% of the held-out loss at the window’s end (the tolerance of docs/theory-persianrug2024.md §8 items 12–13; measured 1.014–1.022 at n = 128 over seeds 1–6 and 1.01 at n = 512, 0.0404 against 0.0400, seed 1): the symmetric algorithm’s signature; off the plateau it overestimates (see mean-field-estimate).',
  source: { paper: 'persianrug2024', where: 'docs/theory-persianrug2024.md §6.4, §8 item 15', confidence: 'NUM' },
  kind: 'statistical',
  domain,
  defaults: { seed: 1 },
  tolerance: {
    description: `held-out loss within ±${LOSS_BAND * 100}% of L* on the window; diag mean within ${DIAG_BAND * 100}% of a*, std/mean < ${DIAG_SPREAD} (n ≥ ${SPREAD_MIN_N}); rank bound within ${RANK_BAND * 100}%; mean-field estimate within ±${MEAN_FIELD_BAND * 100}% of the held-out loss`,
    reason:
      'docs/theory-persianrug2024.md §8 item 15 (§6.4: an independent re-implementation at n = 512 stayed within 1.3% of 0.04028 from step 1000 to 4000); measured here: n = 512, seed 1, steps 1000–4500 within −0.9% … +1.4%; n = 128, 20 seeds, steps 750–1500 within −2.4% … +2.0% (the loss starts to leave the plateau downwards after 1500)',
  },
  budget: {
    quick: { runs: 1, cpuSeconds: 13, sizes: { n: 128, from: 750, to: 1500, every: 250, evalSamples: 8192 } },
    paper: { runs: 1, cpuSeconds: 400, sizes: { n: 512, from: 1000, to: 4000, every: 500, evalSamples: 16_384 } },
  },
  measure: measureWith(trainToyModel),
  controls: [
    {
      name: 'no-op-optimiser',
      description:
        'a training loop that never updates the weights: the initialisation’s loss at every step of the window',
      measure: measureWith(noOpTrainer),
      catches: ['loss-step-750', 'loss-step-1500'],
    },
  ],
});
