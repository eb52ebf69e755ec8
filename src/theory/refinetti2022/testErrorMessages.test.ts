import { describe, expect, test } from 'vitest';
import { testError } from './testError.ts';

/** K = 1: Q = 0.5, R = 0.2, T = 0.3, T0 = 0.4, TrΩ/D = 1. */
const base = { Q: [0.5], R: [0.2], T: [0.3], T0: [0.4], traceOmegaOverD: 1 };

describe('testError: a custom activation and the exact error messages', () => {
  test("a custom expression ('x') gives the linear ε: ½TrΩ/D − R + ½ T0 Q", () => {
    const expected = 0.5 - 0.2 + 0.5 * 0.4 * 0.5;
    expect(testError({ ...base, activation: 'linear' })).toBeCloseTo(expected, 14);
    expect(testError({ ...base, activation: { expression: 'x', points: 8 } })).toBeCloseTo(expected, 12);
  });

  test('arrays of different sizes: the message lists the four lengths and what is expected', () => {
    expect(() => testError({ ...base, T0: [0.4, 0], activation: 'erf' })).toThrow(
      'Invalid Q, R, T, T0: received [1,1,1,2], expected four K×K row-major arrays of the same length',
    );
  });

  test('a non-finite TrΩ/D: the message says a finite number is expected', () => {
    expect(() => testError({ ...base, traceOmegaOverD: Number.NaN, activation: 'erf' })).toThrow(
      /traceOmegaOverD: received NaN, expected a finite number/,
    );
  });
});
