import { describe, expect, test } from 'vitest';
import type { AnyTheoryFunction } from '../theoryFunction.ts';
import { odeFunctions } from './odeFunctions.ts';

/**
 * `aecheck theory refinetti2022.testError` and `refinetti2022.pcaError` (docs/theory-refinetti2022.md (E7), (E15)):
 * values worked out by hand for the linear activation and a small spectrum, and the shape checks of their parameters.
 */
const byName = (name: string): AnyTheoryFunction => {
  const f = (odeFunctions as readonly AnyTheoryFunction[]).find((t) => t.name === name);
  if (!f) throw new Error(`no theory function ${name}`);
  return f;
};
const call = (name: string, p: unknown) => {
  const f = byName(name);
  return f.evaluate(f.params.parse(p));
};
function issue(name: string, p: unknown): { message: string; path: PropertyKey[] } {
  const r = byName(name).params.safeParse(p);
  expect(r.success, `${name} accepted ${JSON.stringify(p)}`).toBe(false);
  if (r.success) throw new Error('unreachable');
  return { message: r.error.issues[0].message, path: r.error.issues[0].path };
}

const LINEAR = {
  g: 'linear',
  Q: [
    [1, 0.5],
    [0.5, 2],
  ],
  R: [
    [0.3, 0.1],
    [0.2, 0.4],
  ],
  T: [
    [1, 0],
    [0, 1],
  ],
  T0: [
    [2, 1],
    [1, 3],
  ],
  traceOmegaOverD: 4,
};

describe('refinetti2022 ODE-side theory functions', () => {
  test('names and paper', () => {
    expect(odeFunctions.map((f) => f.name)).toEqual(['refinetti2022.testError', 'refinetti2022.pcaError']);
    for (const f of odeFunctions) expect(f.paper).toBe('refinetti2022');
  });

  test('testError, linear g: ε = ½TrΩ/D − Σ_k R^{kk} + ½ Σ_kl T0^{kl} Q^{kl} = 2 − 0.7 + 4.5', () => {
    const v = call('refinetti2022.testError', LINEAR) as Record<string, number>;
    expect(v.data).toBeCloseTo(2, 15);
    expect(v.overlap).toBeCloseTo(0.7, 15);
    expect(v.selfOverlap).toBeCloseTo(4.5, 15);
    expect(v.error).toBeCloseTo(5.8, 14);
  });

  test('pcaError: ε_PCA(m) = ½(TrΩ − Σ_{top m} ρ)/D; the example gives ½(11.5 − 7)/10', () => {
    expect(call('refinetti2022.pcaError', byName('refinetti2022.pcaError').example)).toBeCloseTo(0.225, 15);
    expect(call('refinetti2022.pcaError', { values: [3, 1], dim: 4, m: 0 })).toBeCloseTo(0.5, 15);
  });

  test('the testError example parses and is finite', () => {
    const f = byName('refinetti2022.testError');
    const v = call('refinetti2022.testError', f.example) as Record<string, number>;
    expect(Number.isFinite(v.error)).toBe(true);
  });
});

describe('refinetti2022 ODE-side theory functions refuse bad shapes', () => {
  test('testError: four K×K matrices of one K, else the error names Q', () => {
    const three = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    for (const bad of [
      { ...LINEAR, T0: three },
      { ...LINEAR, R: [[0.3, 0.1], [0.2]] },
      { ...LINEAR, Q: [[1, 0.5]] },
      { ...LINEAR, T: [[1], [0]] },
      // Rows of length K but the wrong number of rows: 1×2 and 3×2 are not 2×2.
      { ...LINEAR, R: [[0.3, 0.1]] },
      {
        ...LINEAR,
        T0: [
          [2, 1],
          [1, 3],
          [0, 0],
        ],
      },
    ]) {
      const e = issue('refinetti2022.testError', bad);
      expect(e.path).toEqual(['Q']);
      expect(e.message).toBe('four K×K matrices of the same K');
    }
    expect(issue('refinetti2022.testError', { ...LINEAR, g: 'tanh' }).path).toEqual(['g']);
    expect(issue('refinetti2022.testError', { ...LINEAR, Q: [] }).path).toEqual(['Q']);
    expect(issue('refinetti2022.testError', { ...LINEAR, traceOmegaOverD: Number.POSITIVE_INFINITY }).path).toEqual([
      'traceOmegaOverD',
    ]);
  });

  test('pcaError: m ≤ number of values ≤ D, else the error names m', () => {
    for (const bad of [
      { values: [3, 1], dim: 4, m: 3 },
      { values: [3, 1, 1], dim: 2, m: 1 },
    ]) {
      const e = issue('refinetti2022.pcaError', bad);
      expect(e.path).toEqual(['m']);
      expect(e.message).toBe('m ≤ number of values ≤ D');
    }
    // At the bounds: m = number of values = D.
    expect(call('refinetti2022.pcaError', { values: [3, 1], dim: 2, m: 2 })).toBeCloseTo(0, 15);
    expect(issue('refinetti2022.pcaError', { values: [-1], dim: 2, m: 1 }).path).toEqual(['values', 0]);
    expect(issue('refinetti2022.pcaError', { values: [1], dim: 0, m: 0 }).path).toEqual(['dim']);
    expect(issue('refinetti2022.pcaError', { values: [1], dim: 2, m: -1 }).path).toEqual(['m']);
  });
});
