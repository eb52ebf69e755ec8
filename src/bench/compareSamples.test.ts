import { describe, expect, test } from 'vitest';
import { createRng } from '../core/rng.ts';
import { compareSamples, mannWhitneyGreater } from './compareSamples.ts';

/** n timings around `median` seconds with multiplicative log-normal noise of relative size `noise` (seeded). */
function timings(seed: number, n: number, median: number, noise: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => median * Math.exp(noise * rng.normal()));
}

describe('the benchmark regression decision (bootstrap CI of the ratio of medians)', () => {
  test('identical samples pass, with the ratio 1 inside the interval', () => {
    const s = timings(1, 60, 1e-3, 0.1);
    const r = compareSamples({ old: s, current: s, failAbove: 0.1, name: 'same' });
    expect(r.decision).toBe('unchanged');
    expect(r.ratio).toBe(1);
    expect(r.low).toBeLessThan(1);
    expect(r.high).toBeGreaterThan(1);
    expect(r.mannWhitneyP).toBeGreaterThan(0.4);
  });

  test('a 1.5× slowdown under 10% noise fails with fail-above 10%', () => {
    const old = timings(2, 60, 1e-3, 0.1);
    const current = timings(3, 60, 1.5e-3, 0.1);
    const r = compareSamples({ old, current, failAbove: 0.1, name: 'slower' });
    expect(r.decision).toBe('regressed');
    expect(r.low).toBeGreaterThan(1.1);
    expect(r.ratio).toBeGreaterThan(1.3);
    expect(r.ratio).toBeLessThan(1.7);
    expect(r.mannWhitneyP).toBeLessThan(1e-6);
  });

  test('5% slower with fail-above 10% passes (the whole interval is not above 1.1)', () => {
    const old = timings(4, 60, 1e-3, 0.1);
    const current = old.map((v) => v * 1.05);
    const r = compareSamples({ old, current, failAbove: 0.1, name: 'a bit slower' });
    expect(r.decision).toBe('unchanged');
    expect(r.ratio).toBeCloseTo(1.05, 10);
    expect(r.low).toBeLessThanOrEqual(1.1);
  });

  test('the same 1.05× slowdown with fail-above 1% regresses once the noise is small enough to resolve it', () => {
    const old = timings(5, 100, 1e-3, 0.01);
    const current = timings(6, 100, 1.05e-3, 0.01);
    expect(compareSamples({ old, current, failAbove: 0.01, name: 'resolved' }).decision).toBe('regressed');
  });

  test('a 2× speed-up is reported as improved, never as a regression', () => {
    const old = timings(7, 40, 2e-3, 0.1);
    const current = timings(8, 40, 1e-3, 0.1);
    const r = compareSamples({ old, current, failAbove: 0.1, name: 'faster' });
    expect(r.decision).toBe('improved');
    expect(r.high).toBeLessThan(1 / 1.1);
  });

  test('a slowdown hidden in noise larger than itself is not called a regression', () => {
    const old = timings(9, 8, 1e-3, 0.6);
    const current = timings(10, 8, 1.2e-3, 0.6);
    const r = compareSamples({ old, current, failAbove: 0.1, name: 'noisy' });
    expect(r.decision).toBe('unchanged');
    expect(r.high - r.low).toBeGreaterThan(0.3);
  });

  test('deterministic: the same samples and name give the same interval; another name another stream', () => {
    const old = timings(11, 30, 1e-3, 0.2);
    const current = timings(12, 30, 1.1e-3, 0.2);
    const a = compareSamples({ old, current, failAbove: 0.1, name: 'case' });
    const b = compareSamples({ old, current, failAbove: 0.1, name: 'case' });
    expect(b).toEqual(a);
    const c = compareSamples({ old, current, failAbove: 0.1, name: 'other case' });
    expect([c.low, c.high]).not.toEqual([a.low, a.high]);
  });

  test('a single sample per side still compares (the interval is the one ratio)', () => {
    const r = compareSamples({ old: [1e-3], current: [2e-3], failAbove: 0.1, name: 'one' });
    expect([r.ratio, r.low, r.high, r.decision]).toEqual([2, 2, 2, 'regressed']);
  });

  test('empty or non-positive samples are refused', () => {
    expect(() => compareSamples({ old: [], current: [1], failAbove: 0.1, name: 'x' })).toThrow(/no old samples/);
    expect(() => compareSamples({ old: [1], current: [0], failAbove: 0.1, name: 'x' })).toThrow(/positive finite/);
  });
});

describe('Mann–Whitney U (one-sided, normal approximation)', () => {
  test('five larger against five smaller: p close to the exact 1/252', () => {
    const p = mannWhitneyGreater([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]);
    // Exact p = 1/C(10,5) = 0.00397; the continuity-corrected normal approximation gives 0.0060.
    expect(p).toBeGreaterThan(0.003);
    expect(p).toBeLessThan(0.01);
    expect(mannWhitneyGreater([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])).toBeGreaterThan(0.99);
  });

  test('all values tied: p = 1/2 (no evidence either way)', () => {
    expect(mannWhitneyGreater([1, 1, 1], [1, 1, 1])).toBe(0.5);
  });
});
