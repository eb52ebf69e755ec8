import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { defaultOdeMethod, odeConfigSchema, runOdeConfig } from './odeConfig.ts';

describe('aecheck ode configuration', () => {
  test('the shipped example parses and integrates; ε decreases towards ε_PCA(K)', () => {
    const raw = JSON.parse(readFileSync('fixtures/refinetti2022/ode-example.json', 'utf8'));
    const config = odeConfigSchema.parse(raw);
    const r = runOdeConfig(config);
    expect(r.trajectory.times.length).toBe(14);
    const e = r.trajectory.error;
    expect(e[e.length - 1]).toBeLessThan(e[0]);
    expect(e[e.length - 1]).toBeGreaterThan(r.pcaErrors[3]);
  });

  test('explicit projections reproduce the reference case of docs/theory-refinetti2022.md §7', () => {
    const D = 10;
    const a = [0, 1].map((k) => Array.from({ length: D }, (_, t) => 0.3 * Math.sin(1 + t + 2 * k)));
    const b = [0, 1].map((k) => Array.from({ length: D }, (_, t) => 0.2 * Math.cos(1 + 2 * t + k)));
    const config = odeConfigSchema.parse({
      spectrum: { dim: D, values: [5, 2, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5] },
      activation: 'erf',
      learningRate: 1,
      hidden: 2,
      times: [0, 5],
      initial: { a, b },
      tolerance: 1e-11,
    });
    const r = runOdeConfig(config);
    expect(Math.abs(r.trajectory.error[1] - 0.4076626582)).toBeLessThan(1e-9);
  });

  test('projections of the wrong shape give a ValidationError naming the field', () => {
    const config = odeConfigSchema.parse({
      spectrum: { dim: 4, values: [3, 1] },
      activation: 'linear',
      learningRate: 1,
      hidden: 2,
      times: [1],
      initial: { a: [[1, 2]], b: [[1, 2]] },
    });
    expect(() => runOdeConfig(config)).toThrow(ValidationError);
    expect(() => runOdeConfig(config)).toThrow(/config\.initial\.a/);
  });

  test('the stiff example (method "auto") parses, integrates to t = 10⁴ and switches to RODAS4', () => {
    const raw = JSON.parse(readFileSync('fixtures/refinetti2022/ode-stiff-example.json', 'utf8'));
    const config = odeConfigSchema.parse(raw);
    expect(config.method).toBe('auto');
    const r = runOdeConfig(config);
    expect(r.trajectory.times[r.trajectory.times.length - 1]).toBe(1e4);
    expect(r.trajectory.stats.switchedAt).toBeGreaterThan(0);
    const e = r.trajectory.error;
    expect(e[e.length - 1]).toBeLessThan(e[0]);
  });

  test("without a method: 'auto', or 'adaptive' with a trained bias (which the stiff integrator does not handle)", () => {
    expect(defaultOdeMethod(false)).toBe('auto');
    expect(defaultOdeMethod(true)).toBe('adaptive');
    const config = odeConfigSchema.parse({
      spectrum: { dim: 4, values: [3, 1] },
      activation: 'erf',
      learningRate: 1,
      hidden: 1,
      times: [0, 2],
      initial: { seed: 1, bias: [0.1] },
      trainBias: true,
    });
    expect(config.method).toBeUndefined();
    expect(runOdeConfig(config).trajectory.states[1].bias?.[0]).not.toBe(0.1);
  });

  test('an unknown method is refused, naming the accepted ones', () => {
    const parsed = odeConfigSchema.safeParse({
      spectrum: { dim: 4, values: [3, 1] },
      activation: 'linear',
      learningRate: 1,
      hidden: 1,
      times: [1],
      initial: { seed: 1 },
      method: 'stiff',
    });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(/rosenbrock/);
  });
});
