import { describe, expect, test } from 'vitest';
import { createRng, fillSparseUniform } from './rng.ts';
import { wrapRng } from '../testing/wrapRng.ts';

/** Moment checks on 2^18 draws: the standard error of the mean is 2e-3, of E z² about 2.8e-3, so 5σ bounds are used. */
const DRAWS = 1 << 18;
const FIVE_SIGMA_MEAN = 5 / Math.sqrt(DRAWS);

describe('seeded RNG', () => {
  test('same seed, same stream; different seeds, different streams', () => {
    const a = createRng(123);
    const b = createRng(123);
    const c = createRng(124);
    const xs = Array.from({ length: 10 }, () => a.uniform());
    expect(Array.from({ length: 10 }, () => b.uniform())).toEqual(xs);
    expect(Array.from({ length: 10 }, () => c.uniform())).not.toEqual(xs);
  });
  test('fork is deterministic, independent of the parent position, and distinct per label', () => {
    const a = createRng(5);
    const f1 = a.fork('x').uniform();
    a.uniform();
    expect(a.fork('x').uniform()).toBe(f1);
    expect(a.fork('y').uniform()).not.toBe(f1);
    expect(a.fork(1).uniform()).not.toBe(a.fork(2).uniform());
  });
  test('uniform lies in [0, 1) with mean 1/2 and variance 1/12', () => {
    const r = createRng(1);
    let s = 0;
    let s2 = 0;
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < DRAWS; i++) {
      const u = r.uniform();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      s += u;
      s2 += u * u;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(Math.abs(s / DRAWS - 0.5)).toBeLessThan(FIVE_SIGMA_MEAN * Math.sqrt(1 / 12));
    expect(Math.abs(s2 / DRAWS - 1 / 3)).toBeLessThan(5 * Math.sqrt(4 / 45 / DRAWS));
  });
  test('ziggurat normals have mean 0, variance 1, kurtosis 3, and tail mass P(|z| > 3) = 0.0027', () => {
    const r = createRng(2);
    const z = new Float64Array(DRAWS);
    r.fillNormal(z);
    let s = 0;
    let s2 = 0;
    let s4 = 0;
    let tail = 0;
    for (const v of z) {
      s += v;
      s2 += v * v;
      s4 += v ** 4;
      if (Math.abs(v) > 3) tail++;
    }
    expect(Math.abs(s / DRAWS)).toBeLessThan(FIVE_SIGMA_MEAN);
    expect(Math.abs(s2 / DRAWS - 1)).toBeLessThan(5 * Math.sqrt(2 / DRAWS));
    expect(Math.abs(s4 / DRAWS - 3)).toBeLessThan(5 * Math.sqrt(96 / DRAWS));
    const p = 0.0026997960632601866;
    expect(Math.abs(tail / DRAWS - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / DRAWS));
  });
  test('int is uniform over its range and rejects an empty range', () => {
    const r = createRng(3);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[r.int(7)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(5 * Math.sqrt(10_000));
    expect(() => r.int(0)).toThrow(/maxExclusive/);
  });
});

describe('fillSparseUniform', () => {
  test.each([0, 0.05, 0.3, 0.5, 0.99, 1])(
    'p = %s: the draws of rng.uniform() < p ? rng.uniform() : 0, bit for bit, and the stream left where that loop leaves it',
    (p) => {
      for (const seed of [1, 77, 4_000_000_000]) {
        const [fast, slow] = [createRng(seed), createRng(seed)];
        for (const n of [1, 7, 1024]) {
          const got = new Float64Array(n);
          fillSparseUniform(fast, got, p);
          const want = Array.from({ length: n }, () => (slow.uniform() < p ? slow.uniform() : 0));
          expect(Array.from(got)).toEqual(want);
        }
        expect(fast.uint32()).toBe(slow.uint32());
      }
    },
  );
  test('another Rng implementation takes the generic loop, with the same draws', () => {
    const [inner, plain] = [createRng(5), createRng(5)];
    const got = new Float64Array(300);
    fillSparseUniform(wrapRng(inner), got, 0.4);
    expect(Array.from(got)).toEqual(Array.from({ length: 300 }, () => (plain.uniform() < 0.4 ? plain.uniform() : 0)));
  });
});
