import { integrateOde } from '../../theory/refinetti2022/integrateOde.ts';
import { resolveActivation } from '../../theory/refinetti2022/odeActivation.ts';
import { randomOdeState } from '../../theory/refinetti2022/odeState.ts';
import { pcaErrors } from '../../theory/refinetti2022/pcaError.ts';
import { spikedSpectrum } from '../../theory/refinetti2022/spikedSpectrum.ts';
import type { Check } from '../check.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { atLeast, closeTo, inBand } from '../support/checks.ts';
import { errorPlot } from './errorPlot.ts';
import { logTimes } from './logTimes.ts';

/**
 * Allowed |ε − ε_PCA(m)|/ε_PCA(m) on the m-th plateau (ε taken at the geometric mid-time √(t_m t_{m+1}) between two
 * steps). On a finite spike gap the next component has already started when the plateau is sampled (ε dips below
 * ε_PCA(m)), and erf has not finished its rescaling (ε sits above); this project's reference runs
 * (docs/theory-refinetti2022.md §7, K = M = 5) show deviations up to 17%
 * (erf, ε ≈ 0.0121–0.0128 against ε_PCA(3) = 0.0109). Band: 30%.
 */
const PLATEAU_BAND = 0.3;
/**
 * Band of η κ_m t_m in units of ln(1/o_m)/φ(0), o_m the run's own initial overlap with component m (see
 * {@link growthOverlaps}) and φ(0) = E g'(0) (1 linear, √(2/π) erf). Linearising at small weights, the mode a_τ + b_τ
 * grows like e^{η κ_τ φ t} from its initial size, so the step of component m happens at η κ_m t_m ≈ ln(1/o_m)/φ up to
 * O(1) terms. Over 580 random draws of the regime (the draws of `verify --runs 81/101 --seed 11…15`, s set to 0.1 and
 * 0.05 in the last two sets) plus 200 seeds of one 2-spike setting (measurements in docs/refinetti2022-theory.md,
 * "Sequential learning") these units gave 0.68–2.59 where
 * the initial std s in place of o_m gave 0.67–4.90 (the old unit's failures). The band stays [0.5, 4]: the 2.59 (seed
 * field 1076, o_2 = 0.069 s) is not yet explained, and the lower end was reached at 0.68 (truncated rule).
 */
const C_BAND: readonly [number, number] = [0.5, 4];
/**
 * Truncated rule: a learned component whose gain exceeds 1 + this at the plateau's mid-time is held in part by a later
 * unit (a race, see `measure`); vanilla gains stay below it on the plateaus.
 */
const RACE_GAIN = 0.1;
/** The order check is strict: only round-off separates a tie (the learned-at times are interpolated on the output grid). */
const ORDER_SLACK = 1e-12;
/** Output times per decade. */
const PER_DECADE = 40;
/** A component counts as learned when its reconstruction gain Σ_k φ_k a_τ^k b_τ^k first exceeds this. */
const GAIN_LEARNED = 0.5;
/**
 * The regime: initial std s ≤ 0.1 (the constant; 0.05 before). The (s, η) maps of docs/regimes.md ("Refinetti and
 * Shevchenko maps", quick scale, s ∈ [0.01, 1] × η ∈ [0.1, 1], cells of 1/64 of each log axis) first fail at s = 0.21
 * (erf, defaults) and s = 0.18 (linear, κ₁ = 0.3, ratio 3, bulk 0.2), nearly always on the last step time (ln(1/s)
 * shrinks to O(1), so the time law loses its leading term); from s ≈ 0.56 up some steps are not seen at all (ε never
 * crosses the level between two plateaus: a non-finite step time). Random draws over the
 * rest of the domain (60 per s, quick scale) failed once each at s = 0.05, 0.1 (a slow step time: the tail of the random
 * initial overlap, removed since by reading step times in units of the run's own overlap, see C_BAND) and 0.14 (a
 * plateau, linear): the plateaus hold to s = 0.1 with a margin of less than 1.5× in s.
 */
const SMALL_INITIAL_SCALE = 0.1;
/**
 * Plateau m is judged only when the step times predicted from the run's own overlaps, t̂_m ∝ ln(1/o_m)/κ_m, are at
 * least this factor apart (t̂_{m+1}/t̂_m ≥ 2): closer steps merge and the mid-time falls on the drop, not on a plateau
 * (seed 461179542, erf, s = 0.044: o_2 = 0.028 s, predicted separation 1.35, measured 1.52, ε 39% below ε_PCA(2)).
 * Over the same 580 draws every judged plateau without a race was within 17.5% of ε_PCA(m); the two with a
 * predicted separation below 2 (1.35, 1.71) were 39% and 27% below it.
 */
const MIN_SEPARATION = 2;
/** Horizon in units of 1/(η κ_M) (a few times the largest expected step time). */
const HORIZON = 40;

/** First time the series drops below `level`, log-interpolated between outputs; NaN if never. */
function crossing(times: readonly number[], values: readonly number[], level: number, above = false): number {
  for (let i = 1; i < times.length; i++) {
    const hit = above ? values[i] > level : values[i] < level;
    if (hit) {
      const prevHit = above ? values[i - 1] > level : values[i - 1] < level;
      if (prevHit || times[i - 1] <= 0) return times[i];
      const f = (level - values[i - 1]) / (values[i] - values[i - 1]);
      return Math.exp(Math.log(times[i - 1]) + f * (Math.log(times[i]) - Math.log(times[i - 1])));
    }
  }
  return Number.NaN;
}

/**
 * The initial overlaps that set the step times: o_m = ‖P_m u_m‖, u_τ = (a_τ + b_τ)/2 ∈ R^K the growing mode of
 * component τ over the K units at t = 0 and P_m the projector orthogonal (in unit space) to u_1 … u_{m−1}. Linearised
 * (E12) at small weights, da_τ/dt ≈ η κ_τ φ b_τ and db_τ/dt ≈ η κ_τ φ a_τ, so the whole K-vector u_τ grows as
 * e^{η κ_τ φ t}; once the earlier components hold the unit directions of u_1 … u_{m−1}, component m grows only in
 * the rest, so its effective start is the Gram–Schmidt residual. With K = 2 units o_2/s is the size of one Gaussian
 * coordinate, often ≪ 1: at s = 0.05 a residual of 0.03 s delays step 2 by ln(33) ≈ 3.5 units of 1/(η κ_2 φ).
 */
export function growthOverlaps(
  a: Float64Array,
  b: Float64Array,
  hidden: number,
  stride: number,
  count: number,
): number[] {
  const basis: Float64Array[] = [];
  const out: number[] = [];
  for (let tau = 0; tau < count; tau++) {
    const u = new Float64Array(hidden);
    for (let k = 0; k < hidden; k++) u[k] = (a[k * stride + tau] + b[k * stride + tau]) / 2;
    for (const e of basis) {
      let dot = 0;
      for (let k = 0; k < hidden; k++) dot += u[k] * e[k];
      for (let k = 0; k < hidden; k++) u[k] -= dot * e[k];
    }
    const norm = Math.hypot(...u);
    out.push(norm);
    if (norm > 0) basis.push(u.map((x) => x / norm));
  }
  return out;
}

const domain = {
  activation: { kind: 'choice', values: ['linear', 'erf'] as const, doc: 'activation g' },
  rule: { kind: 'choice', values: ['vanilla', 'truncated'] as const, doc: 'SGD rule' },
  spikes: { kind: 'int', min: 2, max: 3, doc: 'number of spikes M (= K)' },
  topSpike: { kind: 'float', min: 0.3, max: 0.8, doc: 'κ_1 = ρ_1/D' },
  ratio: { kind: 'float', min: 3, max: 5, doc: 'κ_m/κ_{m+1}' },
  bulk: { kind: 'float', min: 0.01, max: 0.2, doc: 'bulk eigenvalue ρ_bulk', log: true },
  initialScale: {
    kind: 'float',
    min: 0.01,
    max: 1,
    doc: 'initial weight std s (the claim holds for small s only: see the regime)',
    log: true,
  },
  learningRate: { kind: 'float', min: 0.1, max: 1, doc: 'η', log: true },
  seed: { kind: 'seed', doc: 'seed of the initial weights' },
} as const;

/** What is measured: the factor on η inside the ODE (1), and a shift of the ε_PCA levels (0) — both for controls. */
interface StaircaseDeps {
  rateFactor: number;
  pcaShift: number;
}

function measureWith(deps: StaircaseDeps): MeasureFn<typeof domain, { dim: number }> {
  return (params, ctx) => {
    const D = ctx.sizes.dim;
    const M = params.spikes;
    const K = M;
    const eta = params.learningRate;
    const kappas = Array.from({ length: M }, (_, m) => params.topSpike / params.ratio ** m);
    const spectrum = spikedSpectrum({ dim: D, spikes: kappas, bulk: params.bulk });
    const initial = randomOdeState({
      hidden: K,
      inputDim: D,
      directions: D,
      initialScale: params.initialScale,
      rng: ctx.rng.fork(params.seed),
    });
    const horizon = HORIZON / (eta * kappas[M - 1]);
    const first = 0.05 / (eta * kappas[0]);
    const decades = Math.log10(horizon / first);
    const times = logTimes(first, horizon, Math.ceil(decades * PER_DECADE) + 1);
    const r = integrateOde({
      spectrum,
      activation: params.activation,
      rule: params.rule,
      learningRate: eta * deps.rateFactor,
      initial,
      times,
      tolerance: 1e-8,
      progress: ctx.progress,
    });
    const pca = pcaErrors(spectrum, M);
    // The levels the plateaus are judged against (shifted by the off-by-one control).
    const level = (m: number) => pca[Math.max(0, m - deps.pcaShift)];
    const g = resolveActivation(params.activation);
    // Step times t_m and normalised η κ_m t_m.
    const overlaps = growthOverlaps(initial.a, initial.b, K, D, M);
    const unit = overlaps.map((o) => Math.log(1 / o) / g.phi(0));
    const stepTimes: number[] = [];
    const cNorm: number[] = [];
    for (let m = 1; m <= M; m++) {
      const t = crossing(r.times, r.error, Math.sqrt(pca[m - 1] * pca[m]));
      stepTimes.push(t);
      cNorm.push((eta * kappas[m - 1] * t) / unit[m - 1]);
    }
    // Predicted separation of consecutive steps, t̂_{m+1}/t̂_m, from the overlaps alone.
    const separation = Array.from({ length: M - 1 }, (_, j) => (kappas[j] * unit[j + 1]) / (kappas[j + 1] * unit[j]));
    // Order: time each component's gain Σ_k φ_k a_τ^k b_τ^k first exceeds 1/2.
    const gains: number[][] = Array.from({ length: M }, () => []);
    for (let i = 0; i < r.states.length; i++) {
      const { a, b } = r.states[i];
      const Q = r.orderParameters[i].Q;
      for (let tau = 0; tau < M; tau++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += g.phi(Q[k * K + k]) * a[k * D + tau] * b[k * D + tau];
        gains[tau].push(s);
      }
    }
    // Plateaus between steps, sampled at the geometric mid-time. Truncated rule only: a "race" — a later unit that
    // started with the larger overlap learns component τ ≤ m too, and gives it back once unit τ has it (the deflation
    // of (E14)) — over-reconstructs τ (gain > 1 + RACE_GAIN) and lifts ε above ε_PCA(m) in between (seed 1182951222:
    // gain 1.30, ε 32% above). The plateau is then only required not to lie below the band; races are counted.
    const plateau: number[] = [];
    const plateauError: number[] = [];
    const race: boolean[] = [];
    for (let m = 1; m < M; m++) {
      const tm = Math.sqrt(stepTimes[m - 1] * stepTimes[m]);
      let i = r.times.findIndex((t) => t >= tm);
      if (i < 0) i = r.times.length - 1;
      plateau.push((r.error[i] - level(m)) / level(m));
      plateauError.push(r.error[i]);
      let maxGain = 0;
      for (let tau = 0; tau < m; tau++) maxGain = Math.max(maxGain, gains[tau][i]);
      race.push(params.rule === 'truncated' && maxGain > 1 + RACE_GAIN);
    }
    const learnedAt = gains.map((gs) => crossing(r.times, gs, GAIN_LEARNED, true));
    const checks: Check[] = [];
    // Plateaus: within 30% of ε_PCA(m); during a race only not below the band (ε ≥ 0.7·ε_PCA(m)). A plateau whose
    // predicted steps are less than MIN_SEPARATION apart is not judged (it is reported in unresolvedPlateaus).
    plateau.forEach((_, j) => {
      const m = j + 1;
      if (!(separation[j] >= MIN_SEPARATION)) return;
      checks.push(
        race[j]
          ? atLeast(`plateau-${m}`, plateauError[j], level(m), PLATEAU_BAND * level(m))
          : closeTo(`plateau-${m}`, plateauError[j], level(m), {
              rtol: PLATEAU_BAND,
              metric: '|ε − ε_PCA(m)| at the mid-time',
            }),
      );
    });
    // Step times: η κ_m t_m / (ln(1/o_m)/φ(0)) in [0.5, 4]. After a race on any plateau before step m, the racing unit
    // learns its own component only once it has handed the earlier one back, which delays t_m (seed 14: η κ₃ t₃ = 4.41
    // units after a race on plateau 1): only the band's lower end is asserted for those steps, as c ≥ 1 within 0.5.
    cNorm.forEach((c, j) => {
      const afterRace = race.slice(0, j).some(Boolean);
      checks.push(
        afterRace
          ? atLeast(`step-time-${j + 1}`, c, 1, 1 - C_BAND[0])
          : inBand(`step-time-${j + 1}`, c, C_BAND[0], C_BAND[1]),
      );
    });
    // Order: each component is learned after the previous one (smallest log-ratio of consecutive learned-at times).
    let minLogRatio = Number.POSITIVE_INFINITY;
    for (let m = 1; m < M; m++) minLogRatio = Math.min(minLogRatio, Math.log(learnedAt[m] / learnedAt[m - 1]));
    checks.push(atLeast('order', minLogRatio, 0, ORDER_SLACK));
    return {
      checks,
      details: {
        stepTimes,
        etaKappaT: stepTimes.map((t, m) => eta * kappas[m] * t),
        initialOverlaps: overlaps,
        etaKappaTOverLogOverlap: cNorm,
        predictedSeparation: separation,
        unresolvedPlateaus: separation.filter((x) => !(x >= MIN_SEPARATION)).length,
        plateauRelativeDeviation: plateau,
        truncatedRaces: race.filter(Boolean).length,
        learnedAt,
        pcaErrors: pca,
        finalError: r.error[r.error.length - 1],
      },
      plots: [
        errorPlot('epsilon', `ε(t), ${params.activation}, K = M = ${M}, D = ${D}`, [{ name: 'ODE', ...r }], pca),
        {
          kind: 'line',
          id: 'gains',
          title: 'Reconstruction gain Σ_k φ_k a_τ^k b_τ^k of each spike',
          x: { label: 't = steps/D', log: true },
          y: { label: 'gain' },
          series: gains.map((gs, tau) => ({
            name: `PC ${tau + 1}`,
            x: r.times.slice(1),
            y: gs.slice(1),
          })),
        },
      ],
    };
  };
}

/** Autoencoders learn the leading principal components one after the other (docs/theory-refinetti2022.md (E16)). */
export const sequentialLearning = defineClaim({
  id: 'refinetti2022.sequential-pcs',
  paper: 'refinetti2022',
  title: 'Sequential learning: plateaus at ε_PCA(m), components in eigenvalue order, η κ_m t_m in a band',
  statement:
    'On spiked spectra with well-separated spikes (κ_{m+1} ≤ κ_m/3) and K = M, from a small initialisation (weight std s ≤ 0.1, the claim’s regime; it was s ≤ 0.05 until the maps of docs/regimes.md, which find the staircase breaking from s ≈ 0.18–0.21 up — the step times first, the plateaus from s ≈ 0.14 in 1 of 60 random draws — while an earlier hand-found 39% dip below ε_PCA(1) at s = 0.1 (linear, spikes 3.6 apart, η = 0.1) did not recur in 80 random draws of that setting at quick scale), ε(t) of the vanilla or truncated ODE is a staircase: between the m-th and (m+1)-th steps it sits within 30% of ε_PCA(m) whenever the overlaps predict the two steps at least a factor 2 apart (κ_m ln(1/o_{m+1}) ≥ 2 κ_{m+1} ln(1/o_m); closer steps merge, as in 2 of 580 random draws, and that plateau is reported as unresolved, not judged) (truncated rule: or above it during a race, when a later unit briefly holds part of an earlier component — gain > 1.1 at the mid-time, in about a quarter of random truncated draws — which can lift ε more than 30% above ε_PCA(m) and delays the next step; races are reported as truncatedRaces); the components are learned in the order of their eigenvalues; and η κ_m t_m lies in [0.5, 4]·ln(1/o_m)/φ(0) (t_m: ε crosses √(ε_PCA(m−1) ε_PCA(m)); o_m: the run’s initial overlap with component m, measured — the part of the K-vector (a_m + b_m)/2 orthogonal to those of the earlier components — since the step waits ln(1/o_m), not ln(1/s), growth times; after a race only the lower end).',
  source: {
    paper: 'refinetti2022',
    where: 'abstract claim 2; docs/theory-refinetti2022.md (E16)',
    confidence: 'PAPER',
    note: 'band of η κ t calibrated on random draws of the regime, in units of the runs’ own initial overlaps (docs/refinetti2022-sim.md) [NUM]',
  },
  kind: 'numerical',
  domain,
  regime: {
    description: `initial std s ≤ ${SMALL_INITIAL_SCALE} (the maps of docs/regimes.md: the staircase breaks from s ≈ 0.18–0.21)`,
    holds: (p) => p.initialScale <= SMALL_INITIAL_SCALE,
  },
  defaults: {
    activation: 'erf',
    rule: 'vanilla',
    spikes: 3,
    topSpike: 0.7,
    ratio: 3.5,
    bulk: 0.05,
    initialScale: 0.05,
    learningRate: 0.4,
    seed: 7,
  },
  tolerance: {
    description: `plateau within ${PLATEAU_BAND * 100}% (steps predicted ≥ ${MIN_SEPARATION}× apart), ordered, ηκt/(ln(1/o_m)/φ) in [${C_BAND[0]}, ${C_BAND[1]}]`,
    reason:
      'plateau band from the finite spike gap and erf rescaling (docs/theory-refinetti2022.md (E17)) seen in its §7 reference runs; the time band is empirical (the O(1) terms of the log-dependence on the measured initial overlap)',
  },
  budget: { quick: { runs: 10, sizes: { dim: 60 } }, paper: { runs: 10, sizes: { dim: 500 } } },
  measure: measureWith({ rateFactor: 1, pcaShift: 0 }),
  controls: [
    {
      name: 'learning-rate-x10',
      description:
        'the ODE run at 10η while the step times are read at η (a wrong learning-rate scaling); the band [0.5, 4] spans a factor 8, so a factor 10 cannot pass',
      measure: measureWith({ rateFactor: 10, pcaShift: 0 }),
      catches: ['step-time-1', 'step-time-2', 'step-time-3'],
    },
    {
      name: 'pca-levels-off-by-one',
      description: 'plateau m judged against ε_PCA(m − 1) (an off-by-one in the PCA levels)',
      measure: measureWith({ rateFactor: 1, pcaShift: 1 }),
      catches: ['plateau-1', 'plateau-2'],
    },
  ],
});
