/**
 * The Marchenko–Pastur expectation behind the random-encoder risk (docs/theory-shevchenko2023.md (S6)), against
 * independent values: the law's moments in closed form (E w = 1, E w² = 1 + γ, E w³ = 1 + 3γ + γ² for ratio γ = 1/r, the
 * atom at 0 included, so E λ^k for λ = r·w), and the risk 1 − E[λ/(λ + κ)] from
 * fixtures/scripts/shevchenko2023-marchenko-pastur-reference.py (mpmath quadrature of the density without the code's change of
 * variable, 30 digits, agreeing with the law's closed-form Stieltjes transform to 1e-20).
 */
import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { marchenkoPasturExpectation, randomEncoderRisk } from './marchenkoPastur.ts';

/** The code's rule: 200 Gauss–Legendre points after the cosine substitution, about 1e-14 (module comment). */
const RTOL = 1e-12;
const close = (got: number, expected: number) =>
  expect(Math.abs(got - expected)).toBeLessThan(RTOL * Math.abs(expected));

const REFERENCE: [rate: number, risk: number][] = [
  [0.25, 0.8504072098205956],
  [0.5, 0.7209412820678858],
  [1, 0.5222208299809474],
  [2, 0.30439383595976],
  [4, 0.1532722388777497],
];

describe('marchenkoPasturExpectation', () => {
  test.each([0.25, 0.5, 1, 2, 4])('r = %s: total mass 1 and moments r, r² + r, r³ + 3r² + r', (r) => {
    close(
      marchenkoPasturExpectation(r, () => 1),
      1,
    );
    close(
      marchenkoPasturExpectation(r, (l) => l),
      r,
    );
    close(
      marchenkoPasturExpectation(r, (l) => l * l),
      r * r + r,
    );
    close(
      marchenkoPasturExpectation(r, (l) => l ** 3),
      r ** 3 + 3 * r * r + r,
    );
  });
  test('r < 1: the atom 1 − r sits at λ = 0', () => {
    close(
      marchenkoPasturExpectation(0.25, (l) => (l === 0 ? 1 : 0)),
      0.75,
    );
    expect(marchenkoPasturExpectation(2, (l) => (l === 0 ? 1 : 0))).toBe(0);
  });
  test.each([0, -0.5, Number.NaN])('the rate %s is refused, naming the field', (r) => {
    expect(() => marchenkoPasturExpectation(r, () => 1)).toThrow(ValidationError);
    expect(() => randomEncoderRisk(r)).toThrow(/rate: received .*, expected a positive compression rate r = n\/d/);
  });
});

describe('randomEncoderRisk', () => {
  test.each(REFERENCE)('r = %s: matches the mpmath reference (rtol 1e-12)', (r, expected) => {
    close(randomEncoderRisk(r), expected);
  });
});
