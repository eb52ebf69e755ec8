import { describe, expect, test } from 'vitest';
import { maxRelativeDiff } from './tolerance.ts';

describe('maxRelativeDiff', () => {
  test('the largest difference over the reference’s largest magnitude, not entry by entry', () => {
    // The second entry cancels to near zero: relative to itself it would be off by 100%; to the scale, by 1e-3.
    expect(maxRelativeDiff([10, 0.01], [10, 0.02])).toBeCloseTo(1e-3, 15);
    expect(maxRelativeDiff([-4, 2], [-4, 2])).toBe(0);
  });

  test('NaN propagates, and unequal lengths are refused', () => {
    expect(maxRelativeDiff([Number.NaN, 1], [1, 1])).toBeNaN();
    expect(() => maxRelativeDiff([1], [1, 2])).toThrow(/lengths differ/);
  });
});
