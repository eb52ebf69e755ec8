import { expect, test } from 'vitest';
import { orderParametersFromState } from './orderParameters.ts';

const state = { hidden: 1, directions: 2, a: Float64Array.from([1, 2]), b: Float64Array.from([3, 4]) };

test('a spectrum of the wrong length: the message says how to fix the state', () => {
  expect(() => orderParametersFromState(state, { dim: 4, values: Float64Array.from([1]) })).toThrow(
    'Invalid spectrum.values: received "length 1", expected one eigenvalue per state direction (n = 2) (fix: give the state one column per listed eigen-direction)',
  );
});

test('D ≤ 0: the message says what D must be', () => {
  expect(() => orderParametersFromState(state, { dim: 0, values: Float64Array.from([1, 1]) })).toThrow(
    'Invalid spectrum.dim: received 0, expected the input dimension D > 0',
  );
});
