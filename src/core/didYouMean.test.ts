import { describe, expect, test } from 'vitest';
import { closestNames, didYouMean, editDistance } from './didYouMean.ts';

describe('did you mean', () => {
  test('edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
  test('a typo finds the name; nothing close gives the fallback', () => {
    expect(closestNames('refinetti2021', ['refinetti2022', 'shevchenko2023', 'persianrug2024'])).toEqual([
      'refinetti2022',
    ]);
    expect(closestNames('dimm', ['dim', 'rate', 'seed'])).toEqual(['dim']);
    expect(closestNames('sequential', ['refinetti2022.sequential-pcs', 'x.y'])).toEqual([
      'refinetti2022.sequential-pcs',
    ]);
    expect(didYouMean('zzzzzz', ['dim', 'rate'], 'see the list')).toBe('see the list');
  });
});
