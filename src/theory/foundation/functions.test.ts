/**
 * `aecheck theory erf|erfc|normalCdf|normalQuantile`: each name evaluates its own special function. Reference values by
 * mpmath at 30 digits (`mp.erf(0.5)`, `mp.erfc(3)`, `mp.ncdf(1.96)`, `√2·mp.erfinv(2p − 1)`); the special functions
 * themselves are checked in src/core/special.test.ts, so 1e-15 relative here only pins which function each name runs.
 */
import { describe, expect, test } from 'vitest';
import { theoryFunctions } from './functions.ts';

const byName = (name: string) => {
  const f = theoryFunctions.find((g) => g.name === name);
  if (!f) throw new Error(`no theory function ${name}`);
  return f;
};

describe('foundation theory functions', () => {
  test.each([
    ['erf', { x: 0.5 }, 0.5204998778130465],
    ['erf', { x: -1.2 }, -0.9103139782296353],
    ['erfc', { x: 3 }, 2.209049699858544e-5],
    ['erfc', { x: -0.5 }, 1.5204998778130465],
    ['normalCdf', { x: 1.96 }, 0.9750021048517795],
    ['normalCdf', { x: -3 }, 0.0013498980316300946],
    ['normalQuantile', { p: 0.975 }, 1.9599639845400543],
    ['normalQuantile', { p: 0.01 }, -2.326347874040841],
  ])('%s(%o) = %s', (name, params, expected) => {
    const f = byName(name);
    const got = f.evaluate(f.params.parse(params)) as number;
    expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-15 * Math.abs(expected));
  });

  test.each([0, 1, -0.1, 1.5])('normalQuantile refuses p = %s (it needs p in (0, 1))', (p) => {
    expect(byName('normalQuantile').params.safeParse({ p }).success).toBe(false);
  });

  test('every function belongs to the foundation and takes exactly its one argument', () => {
    for (const f of theoryFunctions) {
      expect(f.paper).toBe('foundation');
      expect(f.params.safeParse({ ...f.example, extra: 1 }).success).toBe(false);
    }
  });
});
