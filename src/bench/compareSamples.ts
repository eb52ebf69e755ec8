/**
 * Decides whether a benchmark case got slower: a seeded bootstrap confidence interval of the ratio of medians
 * (current ÷ old, of times, so above 1 means slower), with a one-sided Mann–Whitney U test beside it for information.
 *
 * The bootstrap resamples each side with replacement (independently: the two runs are separate measurements), takes
 * each resample's median, and the percentile interval of the ratios is the confidence interval. The random stream is
 * seeded from the case's name, so the same two files always give the same interval and decision. A case regresses only
 * when the whole interval lies above 1 + failAbove: a slowdown that the noise could explain, or one smaller than the
 * threshold, passes.
 */
import { createRng, type Rng } from '../core/rng.ts';
import { normalCdf } from '../core/special.ts';
import { quantileSorted } from './summarizeSamples.ts';

/** Bootstrap resamples per comparison: the 2.5% and 97.5% percentiles then rest on 50 resamples each. */
export const BOOTSTRAP_RESAMPLES = 2000;
/** Two-sided confidence level of the interval. */
export const BOOTSTRAP_CONFIDENCE = 0.95;
/** Seed of the bootstrap's random stream (forked per case name). */
export const BOOTSTRAP_SEED = 20261130;

/** What {@link compareSamples} decided for one case. */
export type CaseDecision = 'regressed' | 'improved' | 'unchanged';

/** The comparison of one case's samples. */
export interface SampleComparison {
  /** median(current) ÷ median(old); above 1: slower now. */
  ratio: number;
  /** Lower end of the bootstrap confidence interval of the ratio. */
  low: number;
  /** Upper end. */
  high: number;
  /** Confidence level of [low, high]. */
  confidence: number;
  /** One-sided Mann–Whitney p-value for "current samples tend to be larger (slower)" (normal approximation, ties corrected). */
  mannWhitneyP: number;
  /**
   * `regressed`: the whole interval above 1 + failAbove; `improved`: the whole interval below 1 ÷ (1 + failAbove);
   * `unchanged`: anything else (no change beyond the threshold that the samples can tell from noise).
   */
  decision: CaseDecision;
}

/** Options of {@link compareSamples}. */
export interface CompareSamplesOptions {
  /** The saved run's samples (times: lower is better). */
  old: readonly number[];
  /** This run's samples, in the same unit. */
  current: readonly number[];
  /** Allowed slowdown as a fraction: 0.1 lets the ratio rise to 1.1 before a regression is called. */
  failAbove: number;
  /** Name of the case: seeds the bootstrap stream so that each case has its own, reproducible one. */
  name: string;
  /** Resamples (default {@link BOOTSTRAP_RESAMPLES}). */
  resamples?: number;
  /** Confidence level (default {@link BOOTSTRAP_CONFIDENCE}). */
  confidence?: number;
  /** Seed (default {@link BOOTSTRAP_SEED}). */
  seed?: number;
}

/** k-th smallest of a[0..n) (0-based), partially reordering `a` (Hoare's selection). */
function select(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** Median of a[0..n) (mean of the middle two when n is even); reorders `a`. */
function medianInPlace(a: Float64Array, n: number): number {
  const upper = select(a, n, n >> 1);
  if (n % 2 === 1) return upper;
  let lower = Number.NEGATIVE_INFINITY;
  // After selection every entry left of n/2 is ≤ the upper middle; the lower middle is the largest of them.
  for (let i = 0; i < n >> 1; i++) if (a[i] > lower) lower = a[i];
  return (lower + upper) / 2;
}

/** Median of one bootstrap resample of `values`, drawn into `scratch`. */
function resampledMedian(values: readonly number[], scratch: Float64Array, rng: Rng): number {
  const n = values.length;
  for (let i = 0; i < n; i++) scratch[i] = values[rng.int(n)];
  return medianInPlace(scratch, n);
}

/** Median of a list (not modified). */
function medianOf(values: readonly number[]): number {
  const a = Float64Array.from(values);
  return medianInPlace(a, a.length);
}

/**
 * One-sided Mann–Whitney U p-value that `current` is stochastically larger than `old`: the normal approximation with
 * the tie correction and a continuity correction of 1/2.
 */
export function mannWhitneyGreater(current: readonly number[], old: readonly number[]): number {
  const n1 = current.length;
  const n2 = old.length;
  const all = [...current.map((v) => ({ v, side: 1 })), ...old.map((v) => ({ v, side: 2 }))].sort((a, b) => a.v - b.v);
  const n = n1 + n2;
  let rankSum = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && all[j + 1].v === all[i].v) j++;
    const rank = (i + j) / 2 + 1;
    const t = j - i + 1;
    tieTerm += t ** 3 - t;
    for (let k = i; k <= j; k++) if (all[k].side === 1) rankSum += rank;
    i = j + 1;
  }
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return 0.5;
  return 1 - normalCdf((u - mean - 0.5) / Math.sqrt(variance));
}

/** Compares one case's samples (see the file's comment). */
export function compareSamples(options: CompareSamplesOptions): SampleComparison {
  const { old, current, failAbove, name } = options;
  const resamples = options.resamples ?? BOOTSTRAP_RESAMPLES;
  const confidence = options.confidence ?? BOOTSTRAP_CONFIDENCE;
  for (const [side, values] of [
    ['old', old],
    ['current', current],
  ] as const) {
    if (values.length === 0) throw new Error(`compareSamples(${name}): no ${side} samples`);
    if (!values.every((v) => Number.isFinite(v) && v > 0))
      throw new Error(`compareSamples(${name}): ${side} samples must be positive finite times`);
  }
  const rng = createRng(options.seed ?? BOOTSTRAP_SEED).fork(name);
  const scratchOld = new Float64Array(old.length);
  const scratchCurrent = new Float64Array(current.length);
  const ratios = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++)
    ratios[r] = resampledMedian(current, scratchCurrent, rng) / resampledMedian(old, scratchOld, rng);
  ratios.sort();
  const tail = (1 - confidence) / 2;
  const low = quantileSorted(ratios, tail);
  const high = quantileSorted(ratios, 1 - tail);
  const decision: CaseDecision =
    low > 1 + failAbove ? 'regressed' : high < 1 / (1 + failAbove) ? 'improved' : 'unchanged';
  return {
    ratio: medianOf(current) / medianOf(old),
    low,
    high,
    confidence,
    mannWhitneyP: mannWhitneyGreater(current, old),
    decision,
  };
}
