import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { createRng } from '../../core/rng.ts';
import { validationIssue } from '../../testing/validationIssue.ts';
import { cloneOdeState, type OdeState, randomOdeState, validateOdeState } from './odeState.ts';

function valid(bias?: number[]): OdeState {
  return {
    hidden: 2,
    directions: 3,
    a: Float64Array.from([1, 2, 3, 4, 5, 6]),
    b: Float64Array.from([-1, -2, -3, -4, -5, -6]),
    ...(bias ? { bias: Float64Array.from(bias) } : {}),
  };
}

describe('OdeState', () => {
  test('cloneOdeState is a deep copy; a state without a bias gets no bias key', () => {
    const s = valid([0.5, -0.5]);
    const c = cloneOdeState(s);
    expect(c).toEqual(s);
    c.a[0] = 99;
    c.b[0] = 99;
    (c.bias as Float64Array)[0] = 99;
    expect([s.a[0], s.b[0], s.bias?.[0]]).toEqual([1, -1, 0.5]);
    const plain = cloneOdeState(valid());
    expect('bias' in plain).toBe(false);
    expect(plain).toEqual(valid());
  });

  test('a valid state passes, with or without a bias', () => {
    expect(() => validateOdeState(valid())).not.toThrow();
    expect(() => validateOdeState(valid([0, 1]))).not.toThrow();
    // One direction (n = 1) is a valid state.
    const one = { hidden: 2, directions: 1, a: Float64Array.from([1, 2]), b: Float64Array.from([3, 4]) };
    expect(() => validateOdeState(one)).not.toThrow();
  });

  test('each error says what is expected and, for a wrong length, how the projections are stored', () => {
    expect(validationIssue(() => validateOdeState({ ...valid(), hidden: 0 })).expected).toBe('a positive integer K');
    expect(validationIssue(() => validateOdeState({ ...valid(), directions: 0 })).expected).toBe(
      'a positive integer n',
    );
    expect(validationIssue(() => validateOdeState({ ...valid(), a: new Float64Array(5) })).hint).toBe(
      'store the projections row-major: index k·n + τ',
    );
  });

  test.each([
    { name: 'K = 0', edit: (s: OdeState) => Object.assign(s, { hidden: 0 }), field: /initial\.hidden/ },
    { name: 'K = 1.5', edit: (s: OdeState) => Object.assign(s, { hidden: 1.5 }), field: /initial\.hidden/ },
    { name: 'n = 0', edit: (s: OdeState) => Object.assign(s, { directions: 0 }), field: /initial\.directions/ },
    { name: 'n = 2.5', edit: (s: OdeState) => Object.assign(s, { directions: 2.5 }), field: /initial\.directions/ },
    {
      name: 'a too short',
      edit: (s: OdeState) => Object.assign(s, { a: new Float64Array(5) }),
      field: /initial\.a.*length 5.*K·n = 6/s,
    },
    {
      name: 'b too long',
      edit: (s: OdeState) => Object.assign(s, { b: new Float64Array(7) }),
      field: /initial\.b.*length 7/s,
    },
    {
      name: 'a plain array',
      edit: (s: OdeState) => Object.assign(s, { a: [1, 2, 3, 4, 5, 6] }),
      field: /initial\.a.*object/s,
    },
    {
      name: 'NaN in a',
      edit: (s: OdeState) => {
        s.a[4] = Number.NaN;
      },
      field: /initial\.a\[4\].*finite/s,
    },
    {
      name: '∞ in b',
      edit: (s: OdeState) => {
        s.b[0] = Number.POSITIVE_INFINITY;
      },
      field: /initial\.b\[0\].*finite/s,
    },
    {
      name: 'bias of length 3',
      edit: (s: OdeState) => Object.assign(s, { bias: new Float64Array(3) }),
      field: /initial\.bias.*length K = 2/s,
    },
    { name: 'bias a plain array', edit: (s: OdeState) => Object.assign(s, { bias: [0, 0] }), field: /initial\.bias/ },
  ])('$name: a ValidationError naming the field', ({ edit, field }) => {
    const s = valid();
    edit(s);
    expect(() => validateOdeState(s)).toThrow(ValidationError);
    expect(() => validateOdeState(s)).toThrow(field);
  });

  test('the field prefix is the caller’s', () => {
    const s = valid();
    s.b[2] = Number.NaN;
    expect(() => validateOdeState(s, 'state')).toThrow(/state\.b\[2\]/);
  });

  test('randomOdeState: a ~ N(0, s²), b ~ N(0, s²/D), independent (sample moments within 5 standard errors)', () => {
    for (const [scale, expectedScale] of [
      [0.3, 0.3],
      [undefined, 0.1],
    ] as const) {
      const D = 400;
      const s = randomOdeState({ hidden: 5, inputDim: D, directions: 400, initialScale: scale, rng: createRng(21) });
      expect([s.hidden, s.directions, s.a.length, s.b.length]).toEqual([5, 400, 2000, 2000]);
      expect(s.bias).toBeUndefined();
      const moments = (x: Float64Array) => {
        const m = x.reduce((p, v) => p + v, 0) / x.length;
        const v = x.reduce((p, u) => p + u * u, 0) / x.length;
        return { m, v };
      };
      // For N(0, σ²) and n = 2000 draws: SE of the mean σ/√n, SE of the mean square σ²√(2/n).
      const a = moments(s.a);
      const sa = expectedScale ** 2;
      expect(Math.abs(a.m)).toBeLessThan((5 * expectedScale) / Math.sqrt(2000));
      expect(Math.abs(a.v - sa)).toBeLessThan(5 * sa * Math.sqrt(2 / 2000));
      const b = moments(s.b);
      const sb = sa / D;
      expect(Math.abs(b.m)).toBeLessThan((5 * Math.sqrt(sb)) / Math.sqrt(2000));
      expect(Math.abs(b.v - sb)).toBeLessThan(5 * sb * Math.sqrt(2 / 2000));
      // Independent streams: the sample correlation of a and b is O(1/√n).
      let c = 0;
      for (let i = 0; i < 2000; i++) c += s.a[i] * s.b[i];
      expect(Math.abs(c / 2000 / Math.sqrt(sa * sb))).toBeLessThan(5 / Math.sqrt(2000));
    }
  });
});
