import type { Rng } from '../../core/rng.ts';
import { sampleGaussianSource } from '../../data/gaussianSource.ts';
import { onlineSgd, type SgdTrajectory } from '../../sim/refinetti2022/onlineSgd.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { atLeast, atMost } from '../support/checks.ts';
import { odeFromWeights, REFERENCE_LEARNING_RATE, spikedSetup } from './simSetup.ts';
import { errorPlot } from './errorPlot.ts';

/** Test samples for the Monte-Carlo ε (the authors use 10⁴). */
const TEST_SAMPLES = { quick: 3000, paper: 10_000 } as const;
/**
 * Smallest SGD gap ε_nobias − ε_bias (t = 800) counted as "lower" in a run whose bias left 0. The effect itself is
 * not bounded away from 0.01: the exact ODE from the same weights ends 0.0095–0.031 lower (t = 12800, 111 runs; 0.0095
 * and 0.0096 in two runs of verify seed 2094716836), and at t = 800 the biased network is still descending (β ≈ 1.0
 * of its final ≈ 1.5), so SGD gaps sit below the long-time ones: over 23 quick verify seeds (115 runs, 108 whose bias
 * left 0) 0.0070–0.14, below 0.01 in 7 runs (6.5%), never below 0.005. The old 0.01 failed 2 of those 23 seeds
 * (2094716836, 1788458060; the per-run rate predicts ≈ 1% of seeds).
 * 0.005 is half the smallest long-time gap and ≈ 2.5 paired Monte-Carlo standard errors at 3000 test samples
 * (ε ≈ 0.09–0.16, per-sample loss std ≈ 0.1 → SE ≈ 0.002). docs/refinetti2022-sim.md gives the false-FAIL estimate.
 */
const MIN_GAP = 0.005;
/** "Never worse": ε_bias ≤ ε_nobias + this in every run (≈ 2.5 paired Monte-Carlo standard errors). */
const NOT_WORSE = 0.005;
/**
 * The antipodal attractor: the two units settle on ±(first PC) — relu(z) − relu(−z) = z reconstructs that PC exactly —
 * where β = 0 is optimal and the trained β decays back to 0 (measured |β| ~ 1e-5 at t = 800 from β ≈ 0.3 at t = 100).
 * A run is in it when every final |β_k| is below this; otherwise β ≈ 1 (measured 0.95-1.1).
 */
const ANTIPODAL_BIAS = 0.05;
/** In the antipodal attractor the biased and bias-free ODEs end at the same ε (both ε_PCA(1) + O(1e-4)). */
const SAME_ERROR = 1e-3;
/**
 * In the β ≈ 1 attractor the ODE's ε_nobias − ε_bias is at least this. The ODE is exact, so any margin above its
 * integration error (~1e-8) would do; measured 0.0096–0.033 over 192 such runs (8–14% of ε_nobias): 0.01 is not a
 * floor of the effect itself, which is why the SGD part asks for MIN_GAP = 0.005.
 */
const ODE_MARGIN = 1e-3;
/**
 * The ODE runs on to this time (it costs no samples; ~1.3 s with the trained ReLU bias): some runs stay on the
 * half-rectified plateau (ε ≈ 0.245) past the SGD's t = 800 and only settle by t ≈ 3200, so their attractor is read here.
 */
const ODE_HORIZON = 12_800;
/**
 * A run has settled at the SGD's time when its trained bias is in one of the two attractors: every |β_k| below
 * ANTIPODAL_BIAS, or every |β_k| at least this. Before either, both networks are still on the half-rectified plateau
 * (ε ≈ 0.25, above ε_PCA(1)) that the ODE from some initial weights leaves only by t ≈ 3200: over 205 quick runs (41
 * verify seeds, 2026-12-01) the settled β ≈ 1 runs had every |β| in 0.84–1.09, and the 4 runs between the two
 * attractors had 0.29–0.76, 3 of them above ε_PCA(1) with and without the bias (seed 3086947857's runs 3 and 4: β
 * 0.33–0.45, ε 0.240/0.258 and 0.242/0.252). Such a run has not reached the long time the claim is about, so it runs
 * on (below). The rule reads the bias, never the errors that the checks compare, and it excludes no run: a run still
 * unsettled at the last extension is checked where it stands. Over 200 quick verifies with the rule (1000 runs,
 * 2026-12-01): 15 runs ran on, every one settled by t = 1600 (β 0.94–1.12), and all 200 verifies PASSed.
 */
const SETTLED_BIAS = 0.8;
/**
 * An unsettled run's two networks continue from their weights, the SGD's time doubling each round (800 → 1600 → …),
 * until the bias settles or the time reaches this many times the SGD's (16: t = 12800 at quick scale, the ODE's
 * horizon, by which every measured ODE run has settled).
 */
const MAX_EXTENSION = 16;
/** Slack of the checks on run counts (integers): ½, so “≥ needed” and “= 0” hold exactly. */
const COUNT_SLACK = 0.5;

const domain = { seed: { kind: 'seed', doc: 'seed' } } as const;
type Sizes = { dim: number; tMax: number; scale: 'quick' | 'paper'; repeats: number };

/** The two arms' models (the claim: a trained bias against no bias). */
interface Deps {
  /** Whether the "with bias" arm trains its bias (false: the bias stays at its small init). */
  trainBias: boolean;
  /** A control: the "no bias" arm is the "with bias" arm itself, so every gap is 0 (default false). */
  biasInBothArms?: boolean;
}

/** Whether a trained bias is in one of the two attractors (see SETTLED_BIAS); a network without one always is. */
export function biasSettled(bias: ArrayLike<number> | undefined): boolean {
  const b = Array.from(bias ?? [], Math.abs);
  return b.every((v) => v < ANTIPODAL_BIAS) || b.every((v) => v >= SETTLED_BIAS);
}

/**
 * The samples of a run's continuation from time t: a stream of its own, so that the continuation never replays the
 * samples the run has already seen (run.fork('samples') is the first phase's).
 */
export function continuationSamples(run: Rng, t: number): Rng {
  return run.fork(`samples after t = ${t}`);
}

/** A trajectory continued by `next`, which started from its weights at time t0 (its times are relative to t0). */
function appendTrajectory(first: SgdTrajectory, next: SgdTrajectory, t0: number): SgdTrajectory {
  return {
    ...next,
    times: [...first.times, ...next.times.map((t) => t0 + t)],
    error: [...first.error, ...next.error],
    orderParameters: [...first.orderParameters, ...next.orderParameters],
    steps: first.steps + next.steps,
  };
}

function measureWith(deps: Deps): MeasureFn<typeof domain, Sizes> {
  return (params, ctx) => {
    const { dim: D, tMax, scale, repeats } = ctx.sizes;
    const N = TEST_SAMPLES[scale];
    const times = [0, 1, 3, 10, 30, 100, tMax / 4, tMax / 2, (3 * tMax) / 4, tMax].sort((a, b) => a - b);
    const withB: number[] = [];
    const withoutB: number[] = [];
    const biases: number[] = [];
    const odeB: number[] = [];
    const odeN: number[] = [];
    const odeBias: number[] = [];
    const sgdGap: number[] = [];
    const odeGap: number[] = [];
    const pca1PerRun: number[] = [];
    const sgdAntipodalRuns: number[] = [];
    const extendedRuns: number[] = [];
    const extendedTo: number[] = [];
    let odeFailures = 0;
    let antipodalOde = 0;
    let antipodalSgd = 0;
    let sameAttractor = 0;
    let improved = 0;
    let smallestOdeGain = Number.POSITIVE_INFINITY;
    let worstExcess = Number.NEGATIVE_INFINITY;
    let belowPca2 = 0;
    let pca: number[] = [];
    let plot: ReturnType<typeof errorPlot> | undefined;
    for (let run = 0; run < repeats; run++) {
      const rng = ctx.rng.fork(`${params.seed}:${run}`);
      const setup = spikedSetup({ dim: D, spikes: 2, hidden: 2, rng, bias: true });
      const testSet = new Float64Array(N * D);
      const x = new Float64Array(D);
      const z = new Float64Array(setup.source.directions);
      const testRng = rng.fork('test');
      for (let i = 0; i < N; i++) {
        sampleGaussianSource(setup.source, testRng, x, z);
        testSet.set(x, i * D);
      }
      const common = {
        kernels: ctx.kernels,
        source: setup.source,
        activation: 'relu' as const,
        learningRate: REFERENCE_LEARNING_RATE,
        times,
        testSet,
      };
      const { bias: _drop, ...noBiasWeights } = setup.weights;
      let withBias = onlineSgd({
        ...common,
        initial: setup.weights,
        trainBias: deps.trainBias,
        rng: rng.fork('samples'),
      });
      // The control's second arm would repeat the first step for step (same weights, samples and rule): reuse it.
      let noBias = deps.biasInBothArms
        ? withBias
        : onlineSgd({ ...common, initial: noBiasWeights, rng: rng.fork('samples') });
      // A run still between the attractors (see SETTLED_BIAS) runs on, both networks on the same fresh samples.
      let tEnd = tMax;
      while (!biasSettled(withBias.weights.bias) && tEnd < MAX_EXTENSION * tMax) {
        const more = { ...common, times: [tEnd], rng: continuationSamples(rng, tEnd) };
        const nextWith = onlineSgd({ ...more, initial: withBias.weights, trainBias: deps.trainBias });
        const nextNo = deps.biasInBothArms ? nextWith : onlineSgd({ ...more, initial: noBias.weights });
        withBias = appendTrajectory(withBias, nextWith, tEnd);
        noBias = deps.biasInBothArms ? withBias : appendTrajectory(noBias, nextNo, tEnd);
        tEnd *= 2;
      }
      if (tEnd > tMax) {
        extendedRuns.push(run);
        extendedTo.push(tEnd);
      }
      const odeTimes = [...times, ...[2, 4, 8].map((f) => f * tMax).filter((t) => t < ODE_HORIZON), ODE_HORIZON];
      const ode = {
        activation: 'relu' as const,
        source: setup.source,
        learningRate: REFERENCE_LEARNING_RATE,
        times: odeTimes,
      };
      const odeWithBias = odeFromWeights({ ...ode, weights: setup.weights, trainBias: deps.trainBias });
      const odeNoBias = deps.biasInBothArms ? odeWithBias : odeFromWeights({ ...ode, weights: noBiasWeights });
      const oB = odeWithBias.error[odeWithBias.error.length - 1];
      const oN = odeNoBias.error[odeNoBias.error.length - 1];
      odeB.push(oB);
      odeN.push(oN);
      odeBias.push(...Array.from(odeWithBias.states[odeWithBias.states.length - 1].bias ?? []));
      const eB = withBias.error[withBias.error.length - 1];
      const eN = noBias.error[noBias.error.length - 1];
      const [, pca1, pca2] = setup.pca;
      withB.push(eB);
      withoutB.push(eN);
      biases.push(...Array.from(withBias.weights.bias ?? []));

      worstExcess = Math.max(worstExcess, eB - eN);
      if (eB <= pca2) belowPca2++;
      const odeFinalBias = odeWithBias.states[odeWithBias.states.length - 1].bias ?? new Float64Array(0);
      const inAntipodal = (b: ArrayLike<number>) => Array.from(b).every((v) => Math.abs(v) < ANTIPODAL_BIAS);
      const odeAntipodal = inAntipodal(odeFinalBias);
      const sgdAntipodal = inAntipodal(withBias.weights.bias ?? []);
      sgdGap.push(eN - eB);
      odeGap.push(oN - oB);
      pca1PerRun.push(pca1);
      if (odeAntipodal) antipodalOde++;
      if (sgdAntipodal) {
        antipodalSgd++;
        sgdAntipodalRuns.push(run);
      }
      if (odeAntipodal === sgdAntipodal) sameAttractor++;
      if (!sgdAntipodal && eN - eB >= MIN_GAP && eB < pca1) improved++;
      if (!odeAntipodal) smallestOdeGain = Math.min(smallestOdeGain, (oN - oB) / oN);
      const odeHolds = odeAntipodal ? Math.abs(oB - oN) <= SAME_ERROR : oN - oB >= ODE_MARGIN && oB < pca1 && oB > pca2;
      if (!odeHolds) odeFailures++;
      if (run === 0) {
        pca = setup.pca;
        plot = errorPlot(
          'relu-bias',
          `ReLU, K = M = 2, D = ${D}: trained bias vs no bias (SGD: test-set ε; ODE from the same weights), run 0`,
          [
            { name: 'ODE, trained bias', times: odeWithBias.times, error: odeWithBias.error },
            { name: 'ODE, no bias', times: odeNoBias.times, error: odeNoBias.error },
            { name: 'SGD, trained bias', times: withBias.times, error: withBias.error, style: 'points' },
            { name: 'SGD, no bias', times: noBias.times, error: noBias.error, style: 'points' },
          ],
          setup.pca,
        );
      }
    }
    // A majority of the runs whose bias left 0 (if all fell into the antipodal attractor, probability ~0.04⁵, nothing
    // shows the effect and the claim fails).
    const needed = Math.floor((repeats - antipodalSgd) / 2) + 1;
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    return {
      // Counts are integers: a slack of ½ makes "≥ needed" and "= 0" exact.
      checks: [
        atLeast('sgd-majority-improved', improved, needed, COUNT_SLACK),
        atMost('sgd-never-worse', worstExcess, 0, NOT_WORSE),
        atMost('sgd-runs-at-or-below-pca2', belowPca2, 0, COUNT_SLACK),
        atMost('ode-runs-outside-both-attractors', odeFailures, 0, COUNT_SLACK),
      ],
      details: {
        meanErrorWithBias: mean(withB),
        meanErrorWithoutBias: mean(withoutB),
        errorWithBias: withB,
        errorWithoutBias: withoutB,
        runsImproved: improved,
        sgdGapPerRun: sgdGap,
        odeGapPerRun: odeGap,
        pca1PerRun,
        sgdAntipodalRuns,
        smallestOdeRelativeGain: smallestOdeGain,
        runsNeeded: needed,
        largestExcessOfBias: worstExcess,
        pcaRun0: pca,
        finalEffectiveBias: biases,
        odeErrorWithBias: odeB,
        odeErrorWithoutBias: odeN,
        odeFinalEffectiveBias: odeBias,
        odeRunsFailing: odeFailures,
        antipodalRunsOde: antipodalOde,
        antipodalRunsSgd: antipodalSgd,
        runsSgdAndOdeInSameAttractor: sameAttractor,
        testSamples: N,
        sgdRunsExtended: extendedRuns,
        sgdTimeOfRunsExtended: extendedTo,
      },
      plots: plot ? [plot] : [],
    };
  };
}

/** docs/theory-refinetti2022.md (E19): a trained encoder bias lowers the long-time error of a ReLU autoencoder. */
export const reluBias = defineClaim({
  id: 'refinetti2022.relu-bias',
  paper: 'refinetti2022',
  title: 'ReLU autoencoders: a trained encoder bias reaches a lower long-time error than no bias',
  statement:
    "A ReLU autoencoder with K = M = 2 (standardised random spikes, η = 0.4, init 0.1) and a trained encoder bias (the code's model: bias inside the activation, no decoder bias) ends in one of two attractors, found here with the ODE from the same initial weights (D → ∞, with the bias ODE dβ_k/dt = η[R^{kk} p_{λ^k}(0) − Σ_a T0^{ka} E 1[λ^k > 0] g(λ^a)]): β ≈ 1, where its error is below the same network's without bias and below ε_PCA(1); or, in about 4% of runs, the antipodal pair (the units on ±PC 1, relu(z) − relu(−z) = z), where β = 0 is optimal, the trained bias decays back to 0 and both networks end at ε_PCA(1). Checked: the ODE ends (t = 12800) in one of the two in every run (β ≈ 1: ε_nobias − ε_bias ≥ 0.001 and ε_PCA(2) < ε_bias < ε_PCA(1); antipodal: equal within 0.001); SGD (finite D, t = 800, test-set ε; a run whose trained bias is still between the attractors, some |β| in [0.05, 0.8), has not left the half-rectified plateau and runs on, both networks on the same fresh samples, its time doubling up to 16× (t = 12800), because the claim is about the long time: seed 3086947857 failed at t = 800 on two such runs, ε ≈ 0.24 with and 0.25 without the bias) is never worse with the bias (+0.005) and, in a majority of the runs whose bias left 0, at least 0.005 lower and below ε_PCA(1) (not 0.01: the exact ODE gain itself is below 0.01 in some draws, e.g. 0.0095 in two runs of verify seed 2094716836, and SGD at t = 800 is still short of it; measured over 23 quick verify seeds: SGD gaps 0.0070–0.14 in the 108 runs whose bias left 0, none below 0.005; the old 0.01 failed ≈ 1%; then, with runs continued past the plateau, over 200 quick verifies: 0 FAILs, 3 of the 942 runs whose bias left 0 not counted (β ≈ 1 but SGD still at ε_PCA(1) + 0.002 at t = 800, the ODE's gain 0.013–0.014), so ≈ 1e-4 false FAILs per verify from the binomial model). Regime, stated honestly: neither reaches ε_PCA(2) with K = 2 (docs/theory-refinetti2022.md §7: 0.137 with bias, 0.159 ≈ ε_PCA(1) without, against ε_PCA(2) = 0.0155); the claim checks ε_bias > ε_PCA(2) too.",
  source: {
    paper: 'refinetti2022',
    where: 'abstract claim 3; docs/theory-refinetti2022.md (E19), (K8)',
    confidence: 'NUM',
  },
  kind: 'statistical',
  domain,
  defaults: { seed: 11 },
  tolerance: {
    description: `every run: ε_bias ≤ ε_nobias + ${NOT_WORSE} and ε_bias > ε_PCA(2); a majority of the runs whose SGD bias left 0 (some |β| ≥ ${ANTIPODAL_BIAS}): ε_nobias − ε_bias ≥ ${MIN_GAP} and ε_bias < ε_PCA(1); the ODE (exact, D → ∞) in every run, at t = ${ODE_HORIZON}: either some |β| ≥ ${ANTIPODAL_BIAS} with ε_nobias − ε_bias ≥ ${ODE_MARGIN} and ε_PCA(2) < ε_bias < ε_PCA(1), or every |β| < ${ANTIPODAL_BIAS} (antipodal attractor) with |ε_bias − ε_nobias| ≤ ${SAME_ERROR}`,
    reason:
      'the gap threshold is ≈ 5 Monte-Carlo standard errors of the paired test-set difference; the PCA levels and the ODE are exact (no sampling), so every ODE run must end in one of the two attractors',
  },
  budget: {
    // cpuSeconds: measured 7.8 (run 0, seed 7, load 11–15; 10.1 before erfc's Taylor range, 2026-11-30).
    quick: { runs: 1, cpuSeconds: 8, sizes: { dim: 100, tMax: 800, scale: 'quick' as const, repeats: 5 } },
    paper: { runs: 1, cpuSeconds: 61, sizes: { dim: 500, tMax: 3000, scale: 'paper' as const, repeats: 5 } },
  },
  measure: measureWith({ trainBias: true }),
  controls: [
    {
      name: 'bias-not-trained',
      description: 'the "with bias" arm with its bias frozen at the small initial value (SGD and ODE)',
      measure: measureWith({ trainBias: false }),
      catches: ['sgd-majority-improved'],
    },
    {
      name: 'bias-in-both-arms',
      description:
        'the "no bias" arm is the trained-bias network itself (SGD and ODE), so there is no effect to find: exercises the gap thresholds, which bias-not-trained never reaches (its frozen |β| < 0.05 leaves no run to count)',
      measure: measureWith({ trainBias: true, biasInBothArms: true }),
      catches: ['sgd-majority-improved', 'ode-runs-outside-both-attractors'],
    },
  ],
});
