import { expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { testError } from './testError.ts';

test('four arrays of one length that is not a square (K×K) are refused', () => {
  const two = [0.5, 0.1];
  const f = () => testError({ Q: two, R: two, T: two, T0: two, traceOmegaOverD: 1, activation: 'erf' });
  expect(f).toThrow(ValidationError);
  expect(f).toThrow('received [2,2,2,2], expected four K×K row-major arrays of the same length');
});

test('a null activation is a ValidationError naming the activation, not a TypeError', () => {
  const f = () => testError({ Q: [0.5], R: [0.2], T: [0.3], T0: [0.4], traceOmegaOverD: 1, activation: null as never });
  expect(f).toThrow(ValidationError);
  expect(f).toThrow(/^Invalid activation: received null/);
});
