/**
 * Location and spread of repeated timings: median, quartiles, interquartile range and median absolute deviation, and
 * the bounded set of samples a saved benchmark keeps (`aecheck bench --save`).
 */

/** Most samples a saved benchmark case keeps: enough for a bootstrap of the median, small enough for a CI artifact. */
export const MAX_KEPT_SAMPLES = 200;

/** Location and spread of a set of samples (in the samples' unit). */
export interface SampleSummary {
  /** Number of samples. */
  count: number;
  /** Median (the mean of the two middle values when the count is even). */
  median: number;
  /** First quartile (linear interpolation between order statistics, like numpy's default). */
  q1: number;
  /** Third quartile. */
  q3: number;
  /** Interquartile range q3 − q1. */
  iqr: number;
  /** Median absolute deviation from the median (not scaled by the normal-consistency factor 1.4826). */
  mad: number;
  min: number;
  max: number;
}

/** The p-quantile (0 ≤ p ≤ 1) of sorted values, interpolated linearly between order statistics. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/** Summary of non-empty finite samples; throws on an empty list or a non-finite value (a benchmark bug). */
export function summarizeSamples(samples: readonly number[]): SampleSummary {
  if (samples.length === 0) throw new Error('summarizeSamples: no samples (a case must be timed at least once)');
  const bad = samples.find((v) => !Number.isFinite(v));
  if (bad !== undefined) throw new Error(`summarizeSamples: non-finite sample ${bad}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const median = quantileSorted(sorted, 0.5);
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const deviations = sorted.map((v) => Math.abs(v - median)).sort((a, b) => a - b);
  return {
    count: sorted.length,
    median,
    q1,
    q3,
    iqr: q3 - q1,
    mad: quantileSorted(deviations, 0.5),
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}

/**
 * At most `max` (default {@link MAX_KEPT_SAMPLES}) of the samples, sorted: all of them when there are few enough,
 * otherwise evenly spaced order statistics (the smallest and the largest included), which keep the distribution's
 * quantiles — its median and spread — while bounding the file's size.
 */
export function keepSamples(samples: readonly number[], max = MAX_KEPT_SAMPLES): number[] {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length <= max) return sorted;
  return Array.from({ length: max }, (_, i) => sorted[Math.round((i * (sorted.length - 1)) / (max - 1))]);
}
