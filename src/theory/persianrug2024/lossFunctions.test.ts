/**
 * `aecheck theory persianrug2024.*`: each function returns the quantities its summary lists, wired to the right
 * theory (the theory itself is checked against SciPy in symmetricLoss.test.ts); the closed-form fields are checked here.
 */
import { describe, expect, test } from 'vitest';
import { lossFunctions } from './lossFunctions.ts';
import { highSparsityAsymptote, lossByQuadrature, symmetricOptimum } from './symmetricLoss.ts';

const evaluate = (name: string, params: Record<string, unknown>) => {
  const f = lossFunctions.find((g) => g.name === name);
  if (!f) throw new Error(`no theory function ${name}`);
  return f.evaluate(f.params.parse(params) as never) as unknown as Record<string, number>;
};

describe('persianrug2024 theory functions', () => {
  test('symmetricOptimum at r = 0.5, p = 0.1: the optimum, its asymptote and the baselines', () => {
    const v = evaluate('persianrug2024.symmetricOptimum', { r: 0.5, p: 0.1 });
    const opt = symmetricOptimum(0.5, 0.1);
    expect([v.loss, v.mu, v.scale, v.sigma]).toEqual([opt.loss, opt.mu, opt.scale, opt.sigma]);
    expect(v.asymptote).toBe(highSparsityAsymptote(0.5, 0.1));
    expect(v.zero).toBeCloseTo(0.1 / 3, 15);
    expect(v.constant).toBeCloseTo(0.1 / 3 - 0.0025, 15);
    expect(v.linear).toBeCloseTo(0.5 * (0.1 / 3 - 0.0025), 15);
  });
  test('loss is L(a, c, σ; p)', () => {
    const v = evaluate('persianrug2024.loss', { a: 1.2, c: -0.25, sigma: 0.12, p: 0.1 }) as unknown as number;
    expect(v).toBe(lossByQuadrature(1.2, -0.25, 0.12, 0.1));
  });
  test('baselines at r = 0.5, p = 0.05 with the rank-bound noise variance (1/r − 1)(p/3 − p²/4)', () => {
    const v = evaluate('persianrug2024.baselines', { r: 0.5, p: 0.05 });
    const variance = 0.05 / 3 - 0.000625;
    expect(v.zero).toBeCloseTo(0.05 / 3, 15);
    expect(v.constant).toBeCloseTo(variance, 15);
    expect(v.linear).toBeCloseTo(0.5 * variance, 15);
    expect(v.rankBoundNoiseVariance).toBeCloseTo(variance, 15);
  });
  test('r and p must lie in (0, 1]; σ ≥ 0', () => {
    const f = (name: string) => lossFunctions.find((g) => g.name === name)?.params;
    expect(f('persianrug2024.baselines')?.safeParse({ r: 1, p: 1 }).success).toBe(true);
    expect(f('persianrug2024.baselines')?.safeParse({ r: 1.1, p: 0.5 }).success).toBe(false);
    expect(f('persianrug2024.baselines')?.safeParse({ r: 0.5, p: 0 }).success).toBe(false);
    expect(f('persianrug2024.loss')?.safeParse({ a: 1, c: 0, sigma: -0.1, p: 0.5 }).success).toBe(false);
  });
});
