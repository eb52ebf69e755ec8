import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { createRng } from '../../core/rng.ts';
import { validationIssue } from '../../testing/validationIssue.ts';
import { odeConfigSchema, runOdeConfig } from './odeConfig.ts';
import { randomOdeState } from './odeState.ts';
import { pcaErrors } from './pcaError.ts';

/** A small valid configuration; each case below breaks one field. */
const base = {
  spectrum: { dim: 4, values: [3, 1] },
  activation: 'linear',
  learningRate: 1,
  hidden: 2,
  times: [0, 1],
  initial: { seed: 1 },
};

describe('aecheck ode configuration: every field is checked', () => {
  test('defaults: rule vanilla, tolerance 1e-8, trainBias false, bulk 1, scale 0.1', () => {
    const c = odeConfigSchema.parse(base);
    expect([c.rule, c.tolerance, c.trainBias, c.method, c.step]).toEqual([
      'vanilla',
      1e-8,
      false,
      undefined,
      undefined,
    ]);
    expect(c.initial).toEqual({ seed: 1, scale: 0.1 });
    const spiked = odeConfigSchema.parse({ ...base, spectrum: { preset: 'spiked', dim: 10, spikes: [0.5] } });
    expect(spiked.spectrum).toEqual({ preset: 'spiked', dim: 10, spikes: [0.5], bulk: 1 });
  });

  test('accepted edge values: points 4 and 200, count 2 and 10 000, seed 0 and 2³²−1, K = 1 and 100, tolerance 1e-2, a bulk of 0', () => {
    const ok = [
      { activation: { expression: 'tanh(x)', points: 4 } },
      { activation: { expression: 'tanh(x)', points: 200 } },
      { times: { from: 1, to: 2, count: 2 } },
      { times: { from: 1, to: 2, count: 10_000 } },
      { initial: { seed: 0 } },
      { initial: { seed: 0xffffffff } },
      { hidden: 1 },
      { hidden: 100 },
      { tolerance: 1e-2 },
      { spectrum: { preset: 'spiked', dim: 10, spikes: [0.5], bulk: 0 } },
      { spectrum: { dim: 2, values: [3, 0] } },
      { times: [0] },
    ];
    for (const edit of ok)
      expect(odeConfigSchema.safeParse({ ...base, ...edit }).success, JSON.stringify(edit)).toBe(true);
  });

  test.each([
    ['spectrum.dim', { spectrum: { dim: 0, values: [1] } }],
    ['spectrum.dim', { spectrum: { dim: 2.5, values: [1] } }],
    ['spectrum.values', { spectrum: { dim: 4, values: [] } }],
    ['spectrum.values', { spectrum: { dim: 4, values: [-1] } }],
    ['spectrum.values', { spectrum: { dim: 4, values: [Number.POSITIVE_INFINITY] } }],
    ['spectrum.values (more than D)', { spectrum: { dim: 1, values: [3, 1] } }],
    ['spectrum.traceOmegaOverD', { spectrum: { dim: 4, values: [1], traceOmegaOverD: Number.NaN } }],
    ['spectrum: unknown key', { spectrum: { dim: 4, values: [1], extra: 1 } }],
    ['spiked.dim', { spectrum: { preset: 'spiked', dim: 0, spikes: [0.5] } }],
    ['spiked.dim', { spectrum: { preset: 'spiked', dim: 1.5, spikes: [0.5] } }],
    ['spiked.spikes', { spectrum: { preset: 'spiked', dim: 4, spikes: [] } }],
    ['spiked.spikes', { spectrum: { preset: 'spiked', dim: 4, spikes: [0] } }],
    ['spiked.spikes', { spectrum: { preset: 'spiked', dim: 4, spikes: [Number.POSITIVE_INFINITY] } }],
    ['spiked.bulk', { spectrum: { preset: 'spiked', dim: 4, spikes: [0.5], bulk: -1 } }],
    ['spiked.bulk', { spectrum: { preset: 'spiked', dim: 4, spikes: [0.5], bulk: Number.POSITIVE_INFINITY } }],
    ['spiked: unknown key', { spectrum: { preset: 'spiked', dim: 4, spikes: [0.5], extra: 1 } }],
    ['activation', { activation: 'tanh' }],
    ['activation.expression', { activation: { expression: '' } }],
    ['activation.points', { activation: { expression: 'x', points: 3 } }],
    ['activation.points', { activation: { expression: 'x', points: 201 } }],
    ['activation.points', { activation: { expression: 'x', points: 10.5 } }],
    ['activation: unknown key', { activation: { expression: 'x', extra: 1 } }],
    ['rule', { rule: 'sequential' }],
    ['learningRate', { learningRate: 0 }],
    ['learningRate', { learningRate: Number.POSITIVE_INFINITY }],
    ['hidden', { hidden: 0 }],
    ['hidden', { hidden: 101 }],
    ['hidden', { hidden: 1.5 }],
    ['times', { times: [] }],
    ['times', { times: [-1] }],
    ['times', { times: [Number.POSITIVE_INFINITY] }],
    ['times.from', { times: { from: 0, to: 2, count: 3 } }],
    ['times.from', { times: { from: Number.POSITIVE_INFINITY, to: 2, count: 3 } }],
    ['times.to', { times: { from: 1, to: 0, count: 3 } }],
    ['times.to', { times: { from: 1, to: Number.POSITIVE_INFINITY, count: 3 } }],
    ['times.count', { times: { from: 1, to: 2, count: 1 } }],
    ['times.count', { times: { from: 1, to: 2, count: 10_001 } }],
    ['times.count', { times: { from: 1, to: 2, count: 2.5 } }],
    ['times: unknown key', { times: { from: 1, to: 2, count: 3, extra: 1 } }],
    ['initial.a', { initial: { a: [[Number.POSITIVE_INFINITY]], b: [[1]] } }],
    ['initial.b', { initial: { a: [[1]], b: [[Number.NaN]] } }],
    ['initial.bias', { initial: { seed: 1, bias: [Number.POSITIVE_INFINITY] } }],
    ['initial.seed', { initial: { seed: -1 } }],
    ['initial.seed', { initial: { seed: 2 ** 32 } }],
    ['initial.seed', { initial: { seed: 1.5 } }],
    ['initial.scale', { initial: { seed: 1, scale: 0 } }],
    ['initial.scale', { initial: { seed: 1, scale: Number.POSITIVE_INFINITY } }],
    ['initial: unknown key', { initial: { seed: 1, extra: 1 } }],
    ['initial: explicit with unknown key', { initial: { a: [[1]], b: [[1]], seed: 1 } }],
    ['method', { method: 'stiff' }],
    ['tolerance', { tolerance: 0 }],
    ['tolerance', { tolerance: 0.011 }],
    ['step', { step: 0 }],
    ['step', { step: Number.POSITIVE_INFINITY }],
    ['trainBias', { trainBias: 'yes' }],
    ['unknown top-level key', { seed: 3 }],
  ])('%s: refused', (_field, edit) => {
    expect(odeConfigSchema.safeParse({ ...base, ...edit }).success).toBe(false);
  });

  test('more eigenvalues than D: the message says so, at spectrum.values', () => {
    const r = odeConfigSchema.safeParse({ ...base, spectrum: { dim: 1, values: [3, 1] } });
    expect(JSON.stringify(r.error?.issues)).toMatch(/at most D eigenvalues/);
  });
});

describe('runOdeConfig', () => {
  test('log-spaced times: t = 0, then from·(to/from)^(i/(count−1))', () => {
    const c = odeConfigSchema.parse({ ...base, times: { from: 0.01, to: 100, count: 5 } });
    const r = runOdeConfig(c);
    const expected = [0, 0.01, 0.1, 1, 10, 100];
    expect(r.trajectory.times).toHaveLength(6);
    r.trajectory.times.forEach((t, i) => {
      expect(Math.abs(t - expected[i])).toBeLessThan(1e-13 * Math.max(1, expected[i]));
    });
  });

  test('log-spaced times with to ≤ from: a ValidationError naming config.times.to', () => {
    for (const to of [1, 0.5]) {
      const c = odeConfigSchema.parse({ ...base, times: { from: 1, to, count: 3 } });
      expect(() => runOdeConfig(c)).toThrow(ValidationError);
      expect(() => runOdeConfig(c)).toThrow(/config\.times\.to.*> from = 1/s);
    }
  });

  test('an initial bias of the wrong length, or rows of the wrong length, name their field', () => {
    const bias = odeConfigSchema.parse({ ...base, initial: { seed: 1, bias: [0.1] } });
    expect(() => runOdeConfig(bias)).toThrow(/config\.initial\.bias.*1 numbers.*K = 2/s);
    const rows = odeConfigSchema.parse({
      ...base,
      initial: {
        a: [[1, 2], [3]],
        b: [
          [1, 2],
          [3, 4],
        ],
      },
    });
    expect(() => runOdeConfig(rows)).toThrow(/config\.initial\.a.*2 rows of lengths 2\/1.*K = 2 rows of n = 2/s);
    // …and tells the user the alternative to explicit rows.
    expect(validationIssue(() => runOdeConfig(rows)).hint).toBe(
      'or give { "seed": 1, "scale": 0.1 } for random initial weights',
    );
    const b = odeConfigSchema.parse({
      ...base,
      initial: {
        a: [
          [1, 2],
          [3, 4],
        ],
        b: [[1, 2]],
      },
    });
    expect(() => runOdeConfig(b)).toThrow(/config\.initial\.b/);
  });

  test('explicit rows are placed row-major (unit k, direction τ), and an explicit bias is used', () => {
    const c = odeConfigSchema.parse({
      ...base,
      initial: {
        a: [
          [1, 2],
          [3, 4],
        ],
        b: [
          [5, 6],
          [7, 8],
        ],
        bias: [0.25, -0.5],
      },
    });
    const s = runOdeConfig(c).trajectory.states[0];
    expect(Array.from(s.a)).toEqual([1, 2, 3, 4]);
    expect(Array.from(s.b)).toEqual([5, 6, 7, 8]);
    expect(Array.from(s.bias ?? [])).toEqual([0.25, -0.5]);
  });

  test('a random initial state is the documented generator at the given seed and scale', () => {
    const c = odeConfigSchema.parse({ ...base, initial: { seed: 17, scale: 0.3 } });
    const s = runOdeConfig(c).trajectory.states[0];
    const expected = randomOdeState({ hidden: 2, inputDim: 4, directions: 2, initialScale: 0.3, rng: createRng(17) });
    expect(Array.from(s.a)).toEqual(Array.from(expected.a));
    expect(Array.from(s.b)).toEqual(Array.from(expected.b));
  });

  test('ε_PCA(m) for m = 0..min(K, n); an explicit TrΩ/D adds ½(TrΩ/D − Σρ/D) to each', () => {
    const plain = runOdeConfig(odeConfigSchema.parse({ ...base, hidden: 3 }));
    // K = 3 > n = 2: m = 0, 1, 2; TrΩ/D = 4/4 = 1 → ε_PCA = ½, ½·(1/4), 0.
    expect(plain.pcaErrors).toEqual([0.5, 0.125, 0]);
    const explicit = runOdeConfig(
      odeConfigSchema.parse({ ...base, spectrum: { dim: 4, values: [3, 1], traceOmegaOverD: 1.5 } }),
    );
    expect(explicit.pcaErrors.map((p) => Math.round(p * 1e12) / 1e12)).toEqual([0.75, 0.375, 0.25]);
    // ε(0) uses the same TrΩ/D: the linear ε differs from the default-trace run's by exactly ½·(1.5 − 1).
    const defaultTrace = runOdeConfig(odeConfigSchema.parse(base));
    expect(explicit.trajectory.error[0] - defaultTrace.trajectory.error[0]).toBeCloseTo(0.25, 14);
    expect(explicit.dim).toBe(4);
    expect(Array.from(explicit.values)).toEqual([3, 1]);
  });

  test('the spiked preset (lumped) gives the ε(t) of the same spectrum listed in full (not lumped)', () => {
    const common = { ...base, activation: 'erf', learningRate: 0.5, times: [0, 2, 8], tolerance: 1e-10 };
    const preset = runOdeConfig(
      odeConfigSchema.parse({ ...common, spectrum: { preset: 'spiked', dim: 30, spikes: [0.5, 0.2], bulk: 0.4 } }),
    );
    const values = [15, 6, ...Array(28).fill(0.4)];
    const full = runOdeConfig(odeConfigSchema.parse({ ...common, spectrum: { dim: 30, values } }));
    expect(full.trajectory.states[0].directions).toBe(30);
    expect(preset.trajectory.states[0].directions).toBeLessThanOrEqual(2 + 4);
    expect(preset.values).toHaveLength(30);
    expect(preset.pcaErrors).toEqual(pcaErrors({ dim: 30, values: Float64Array.from(values) }, 2));
    for (let i = 0; i < 3; i++) {
      // t = 0 exact up to round-off; later two adaptive integrations at tolerance 1e-10.
      expect(Math.abs(preset.trajectory.error[i] - full.trajectory.error[i])).toBeLessThan(i === 0 ? 1e-14 : 1e-8);
    }
  });

  test('method, step, tolerance and rule reach the integrator', () => {
    const rk4 = runOdeConfig(odeConfigSchema.parse({ ...base, method: 'rk4', step: 0.25 }));
    expect(rk4.trajectory.stats.steps).toBe(4);
    expect(rk4.trajectory.stats.evaluations).toBe(16);
    const loose = runOdeConfig(odeConfigSchema.parse({ ...base, method: 'adaptive', tolerance: 1e-3 }));
    const tight = runOdeConfig(odeConfigSchema.parse({ ...base, method: 'adaptive', tolerance: 1e-10 }));
    expect(tight.trajectory.stats.steps).toBeGreaterThan(loose.trajectory.stats.steps);
    const ros = runOdeConfig(odeConfigSchema.parse({ ...base, method: 'rosenbrock' }));
    expect(ros.trajectory.stats.jacobians).toBeGreaterThan(0);
    // K = 2, linear: the truncated rule's first unit ignores the second, so ε(1) differs from vanilla's.
    const truncated = runOdeConfig(odeConfigSchema.parse({ ...base, rule: 'truncated' }));
    const vanilla = runOdeConfig(odeConfigSchema.parse(base));
    expect(Math.abs(truncated.trajectory.error[1] - vanilla.trajectory.error[1])).toBeGreaterThan(1e-6);
  });
});
