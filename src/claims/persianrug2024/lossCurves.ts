import { createRng } from '../../core/rng.ts';
import { createPersianRug } from '../../sim/persianrug2024/hadamard.ts';
import { rugLoss } from '../../sim/persianrug2024/trainRugScalars.ts';
import { toyModelLoss, trainToyModel } from '../../sim/persianrug2024/trainToyModel.ts';
import { baselines, symmetricOptimum } from '../../theory/persianrug2024/symmetricLoss.ts';
import type { Check } from '../check.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import type { PlotSeries } from '../plotSpec.ts';
import { inBand, monteCarloMean, Z_DEFAULT } from '../support/checks.ts';
import { rugAtOptimum } from './rugAtOptimum.ts';

/**
 * Bands of docs/theory-persianrug2024.md §8 item 12: ±3% when p·n ≥ 50, MC/L* ∈ [1.0, 1.2] when 10 ≤ p·n < 50 (plus 4
 * SE each). Found here: at p·n ≈ 10 the loss depends on the rows S drawn (n = 1024, r = 1/8, p = 0.01: 1.13, 1.17, 1.26
 * for three seeds), so the [1.0, 1.2] band is asserted from p·n = 20 (measured 1.02–1.10) and the points below are
 * shown only. Found too: at p·n ≈ 51 the ±3% band does not hold for every S either (n = 1024, p = 0.05, 20 rug draws
 per r with 20 000 samples: r = 1/4 gave 1.001–1.037, r = 1/2 0.996–1.031; rerun with 200 000 samples, two r = 1/4
 draws lay at 1.0340 ± 0.0007 and 1.0309 ± 0.0007), while at p·n ≈ 102 all 40 draws (r = 1/8, 1/4) lay within 1.5%. So the ±3% band is asserted from p·n = 100, and the points with 50 ≤ p·n < 100 are shown only (docs/regimes.md).
 */
const DENSE_BAND = 0.03;
const DENSE_FROM_PN = 100;
const SHOWN_FROM_PN = 50;
const SPARSE_FROM_PN = 20;
const SPARSE_BAND: readonly [number, number] = [1.0, 1.2];
const RATIOS = [0.125, 0.25, 0.5] as const;
const PROBABILITIES = [0.01, 0.02, 0.05, 0.1, 0.2, 0.4] as const;

/** The rug's set-up at the optimum, and whether to train the (shown only) toy models. */
interface Deps {
  setUp: typeof rugAtOptimum;
  train: boolean;
  /** The compression ratios of the rug points (default all of RATIOS). */
  ratios?: readonly number[];
}
type Sizes = { n: number; samples: number; trainN: number; trainSteps: number };
const domain = { seed: { kind: 'seed', doc: 'seed of the rows S, the samples and the trained models' } } as const;

function measureWith(deps: Deps): MeasureFn<typeof domain, Sizes> {
  return (params, ctx) => {
    const { n, samples, trainN, trainSteps } = ctx.sizes;
    const rng = ctx.rng.fork(params.seed);
    const series: PlotSeries[] = [];
    const pGrid = Array.from({ length: 25 }, (_, i) => 10 ** (-2.3 + (i * 2) / 24)); // 0.005 … 0.5
    const ratios: number[] = [];
    const pns: number[] = [];
    const checks: Check[] = [];
    for (const r of deps.ratios ?? RATIOS) {
      const m = Math.round(r * n);
      series.push({ name: `L*, r = ${r}`, x: pGrid, y: pGrid.map((p) => symmetricOptimum(r, p).loss) });
      const rug = createPersianRug(n, m, rng.fork(`rug:${r}`));
      const mcX: number[] = [];
      const mcY: number[] = [];
      for (const p of PROBABILITIES) {
        const pn = p * n;
        if (pn < 10) continue;
        const opt = deps.setUp(rug, p);
        // Sparse p: few active features per sample make the per-sample loss heavy-tailed, and its standard error
        // from 1500 samples understated the spread (r = 1/8, p = 0.01 gave 1.21 × L*; 1.13 ± 0.007 from 20 000).
        const count = Math.round(samples * Math.min(10, Math.max(1, 0.1 / p)));
        const mc = rugLoss(rug, opt.scale, opt.beta, p, count, rng.fork(`mc:${r}:${p}`));
        const ratio = mc.loss / opt.loss;
        const name = `rug r=${r} p=${p}`;
        const zSe = Z_DEFAULT * mc.standardError;
        if (pn >= DENSE_FROM_PN) {
          checks.push(
            monteCarloMean(name, {
              mean: mc.loss,
              standardError: mc.standardError,
              expected: opt.loss,
              z: Z_DEFAULT,
              bias: DENSE_BAND * opt.loss,
            }),
          );
        } else if (pn < SHOWN_FROM_PN && pn >= SPARSE_FROM_PN) {
          checks.push(inBand(name, mc.loss, SPARSE_BAND[0] * opt.loss - zSe, SPARSE_BAND[1] * opt.loss + zSe));
        }
        ratios.push(ratio);
        pns.push(pn);
        mcX.push(p);
        mcY.push(mc.loss);
        ctx.progress(ratios.length, RATIOS.length * PROBABILITIES.length, 'Hadamard Monte Carlo');
      }
      series.push({ name: `Persian rug MC, r = ${r}, n = ${n}`, x: mcX, y: mcY, style: 'points' });
    }
    // Trained toy models (shown, not asserted), at r = 1/2 and the two densest p.
    const trainedX: number[] = [];
    const trainedY: number[] = [];
    for (const p of deps.train && trainSteps > 0 ? [0.2, 0.4] : []) {
      const m = Math.round(0.5 * trainN);
      const res = trainToyModel({
        n: trainN,
        m,
        p,
        steps: trainSteps,
        rng: rng.fork(`train:${p}`),
        kernels: ctx.kernels,
        evalSamples: 4096,
      });
      trainedX.push(p);
      trainedY.push(toyModelLoss(res, trainN, m, p, 4096, createRng(params.seed).fork(`eval:${p}`), ctx.kernels));
    }
    if (trainedX.length > 0) {
      series.push({
        name: `trained, r = 1/2, n = ${trainN}, ${trainSteps} steps`,
        x: trainedX,
        y: trainedY,
        style: 'points',
      });
    }
    const base = pGrid.map((p) => baselines(0.5, p));
    series.push({ name: 'zero model p/3', x: pGrid, y: base.map((b) => b.zero), style: 'dashed' });
    series.push({ name: 'best constant', x: pGrid, y: base.map((b) => b.constant), style: 'dashed' });
    series.push({ name: 'optimal linear, r = 1/2', x: pGrid, y: base.map((b) => b.linear), style: 'dashed' });
    return {
      checks,
      details: { n, mcOverOptimum: ratios, pn: pns, trainedLoss: trainedY },
      plots: [
        {
          kind: 'line',
          id: 'loss-curves',
          title: `L*(r, p) against p with the Persian rug (n = ${n}), trained models and baselines`,
          x: { label: 'p', log: true },
          y: { label: 'loss per feature', log: true },
          series,
        },
      ],
    };
  };
}

/**
 * docs/theory-persianrug2024.md §6.4: L*(r, p) against p for several r (log-log), with the Persian rug's Monte Carlo
 * loss at the analytic optimum, trained toy models and the baselines — the paper's loss-line plots. Asserted: the
 * Hadamard points lie in the bands of §8 item 12 (±3% for p·n ≥ 100, [1.0, 1.2]·L* for 20 ≤ p·n < 50; shown only below
 * p·n = 20 and for 50 ≤ p·n < 100, where each band fails for some rows S). Trained points are shown, not asserted (§8 item 15: at n ≤ 1024 trained models may lie well below L*), and
 * drawn at paper scale only.
 */
export const lossCurves = defineClaim({
  id: 'persianrug2024.loss-curves',
  paper: 'persianrug2024',
  title: 'L*(r, p) against p: the Persian rug’s Monte Carlo loss lies on it (p·n ≥ 100) or just above (20 ≤ p·n < 50)',
  statement:
    'For r ∈ {1/8, 1/4, 1/2} and p ∈ {0.01, …, 0.4}, the Hadamard model at the analytic optimum has Monte Carlo loss within ±3% of L*(r, p) when p·n ≥ 100 and between 1.0 and 1.2 × L* when 20 ≤ p·n < 50 (the interference is then heavier-tailed than Gaussian, so the loss lies above). Found: at p·n ≈ 10 the loss depends on the rows S drawn — 1.13 to 1.26 × L* at n = 1024, r = 1/8 over three seeds — so the [1.0, 1.2] band of docs/theory-persianrug2024.md §8 item 12 does not hold there for every S; those points are shown, not asserted. Found too: at p·n ≈ 51 (n = 1024, p = 0.05) the ±3% band of §8 item 12 (stated there for p·n ≥ 50) fails for some S — at r = 1/4, 2 of 20 draws lay 3.1–3.4% above L* (1.0340 ± 0.0007 and 1.0309 ± 0.0007 with 200 000 samples) — while at p·n ≈ 102 all 40 draws (r = 1/8, 1/4) lay within 1.5%; the points with 50 ≤ p·n < 100 are shown, not asserted. The plot adds trained toy models (not asserted; paper scale only) and the zero, constant and optimal-linear baselines.',
  source: {
    paper: 'persianrug2024',
    where: 'docs/theory-persianrug2024.md §6.4, §5.4, §8 item 12',
    confidence: 'DERIVED',
  },
  kind: 'statistical',
  domain,
  defaults: { seed: 11 },
  tolerance: {
    description: `p·n ≥ ${DENSE_FROM_PN}: |MC/L* − 1| ≤ ${DENSE_BAND} + ${Z_DEFAULT}·SE/L*; ${SPARSE_FROM_PN} ≤ p·n < ${SHOWN_FROM_PN}: MC/L* ∈ [${SPARSE_BAND[0]}, ${SPARSE_BAND[1]}] ± ${Z_DEFAULT}·SE`,
    reason:
      'docs/theory-persianrug2024.md §5.4: within 1–2% for p·n ≳ 50 (measured here: for every rows S drawn only from p·n ≈ 100), 10–15% above for p·n ≈ 10–20 (heavier-than-Gaussian interference)',
  },
  budget: {
    // Quick scale draws no trained points: they are shown, not asserted, and training them was 80% of the claim's
    // time (13 of 16 CPU seconds, measured). Paper scale draws them.
    quick: { runs: 1, cpuSeconds: 4, sizes: { n: 1024, samples: 1500, trainN: 128, trainSteps: 0 } },
    paper: { runs: 1, cpuSeconds: 780, sizes: { n: 4096, samples: 8000, trainN: 512, trainSteps: 4000 } },
  },
  measure: measureWith({ setUp: rugAtOptimum, train: true }),
  controls: [
    {
      name: 'no-output-scale',
      description:
        'the rug evaluated at A = 1 instead of A* (the output scale never applied: 5.2 × L* at r = 1/4, p = 0.4); only the r = 1/4 points are measured and the trained points (shown only) are skipped, to keep the control cheap',
      measure: measureWith({
        setUp: (rug, p) => ({ ...rugAtOptimum(rug, p), scale: 1 }),
        train: false,
        ratios: [0.25],
      }),
      catches: ['rug r=0.25 p=0.4'],
    },
  ],
});
