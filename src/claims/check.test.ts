import { describe, expect, test } from 'vitest';
import { judgeCheck, worstCheckIndex } from './check.ts';
import { judgeMeasurement } from './runClaim.ts';
import { atLeast, atMost, closeTo, inBand, monteCarloMean, relativeTo, withinUlps } from './support/checks.ts';

describe('named checks', () => {
  test('an inequality keeps its signed slack: room to spare is a negative error, never clamped to 0', () => {
    const holds = judgeCheck(atMost('below', 0.7, 1, 0.1));
    expect(holds).toMatchObject({ error: -0.30000000000000004, pass: true });
    expect(holds.ratio).toBeCloseTo(-3, 12);
    expect(holds.margin).toBeCloseTo(0.4, 12);
    const slightly = judgeCheck(atLeast('above', 0.95, 1, 0.1));
    expect(slightly.pass).toBe(true);
    expect(slightly.ratio).toBeCloseTo(0.5, 12); // a violation below the tolerance still shows its size
    expect(judgeCheck(atMost('below', 1.2, 1, 0.1)).pass).toBe(false);
  });
  test('closeness builders', () => {
    expect(judgeCheck(closeTo('c', 1.001, 1, { rtol: 1e-2 })).ratio).toBeCloseTo(0.1, 9);
    expect(judgeCheck(relativeTo('r', 2.2, 2, 0.05)).pass).toBe(false);
    expect(judgeCheck(withinUlps('u', 1 + 4 * 2 ** -52, 1, 8)).ratio).toBeCloseTo(0.5, 12);
    expect(judgeCheck(inBand('b', 1.2, 1, 1.1)).pass).toBe(false);
    expect(judgeCheck(inBand('b', 1.05, 1, 1.1)).ratio).toBeCloseTo(0, 9);
    const mc = monteCarloMean('mc', { mean: 0.52, standardError: 0.01, expected: 0.5, bias: 0.01 });
    expect(mc.allowed).toBeCloseTo(0.05, 12);
    expect(judgeCheck(mc).pass).toBe(true);
  });
  test('a non-finite number fails and ranks worst; a tolerance that is not > 0 is refused with its name', () => {
    const nan = judgeCheck({
      name: 'n',
      observed: Number.NaN,
      expected: 1,
      error: Number.NaN,
      allowed: 1,
      metric: 'm',
    });
    const ok = judgeCheck(closeTo('ok', 1, 1, { atol: 1 }));
    expect(nan.pass).toBe(false);
    expect(worstCheckIndex([ok, nan])).toBe(1);
    expect(() => atMost('zero-slack', 1, 1, 0)).toThrow(/check 'zero-slack': slack must be a finite number > 0/);
  });
  test('a measurement must have checks, with distinct names', () => {
    expect(() => judgeMeasurement({ checks: [] })).toThrow(/no checks/);
    const c = closeTo('same', 1, 1, { atol: 1 });
    expect(() => judgeMeasurement({ checks: [c, c] })).toThrow(/two checks named 'same'/);
    expect(judgeMeasurement({ checks: [c, atMost('worse', 1, 0, 2)] }).worst).toBe(1);
  });
});
