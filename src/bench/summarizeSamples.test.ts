import { describe, expect, test } from 'vitest';
import { keepSamples, MAX_KEPT_SAMPLES, summarizeSamples } from './summarizeSamples.ts';

describe('sample summaries', () => {
  test('median, quartiles (linear interpolation), IQR and MAD of a known list', () => {
    const s = summarizeSamples([5, 1, 4, 2, 3, 100]);
    expect(s.count).toBe(6);
    expect(s.median).toBe(3.5);
    expect(s.q1).toBe(2.25);
    expect(s.q3).toBe(4.75);
    expect(s.iqr).toBe(2.5);
    // |x − 3.5| = 2.5, 1.5, 0.5, 0.5, 1.5, 96.5 → median 1.5: the outlier does not move it.
    expect(s.mad).toBe(1.5);
    expect([s.min, s.max]).toEqual([1, 100]);
  });

  test('no samples, or a non-finite one, is an error', () => {
    expect(() => summarizeSamples([])).toThrow(/no samples/);
    expect(() => summarizeSamples([1, Number.NaN])).toThrow(/non-finite/);
  });

  test('keepSamples bounds the count and keeps the extremes and the median', () => {
    const many = Array.from({ length: 1001 }, (_, i) => 1000 - i);
    const kept = keepSamples(many);
    expect(kept.length).toBe(MAX_KEPT_SAMPLES);
    expect(kept[0]).toBe(0);
    expect(kept[kept.length - 1]).toBe(1000);
    expect(Math.abs(summarizeSamples(kept).median - 500)).toBeLessThanOrEqual(3);
    expect(keepSamples([3, 1, 2])).toEqual([1, 2, 3]);
  });
});
