import { describe, expect, it } from 'vitest';
import { DivergenceError, ValidationError } from '../../core/errors.ts';
import { createRng } from '../../core/rng.ts';
import { sampleGaussianSource } from '../../data/gaussianSource.ts';
import { spikedCovariance } from '../../data/spikedCovariance.ts';
import { getKernelSet } from '../../kernels/registry.ts';
import { orderParametersFromState } from '../../theory/refinetti2022/orderParameters.ts';
import { orderParametersFromWeights } from './measure.ts';
import { onlineSgd } from './onlineSgd.ts';
import { initialWeights, projectWeights } from './weights.ts';

const D = 60;
const setup = () => {
  const rng = createRng(9);
  const source = spikedCovariance({ dim: D, spikes: 2, rng: rng.fork('data') });
  const weights = initialWeights({ hidden: 2, dim: D, rng: rng.fork('w') });
  return { rng, source, weights };
};

describe('spiked source', () => {
  it('has the exact population second moment: E[x xᵀ] along a spike matches ρ within Monte-Carlo error', () => {
    const { rng, source } = setup();
    const x = new Float64Array(D);
    const z = new Float64Array(2);
    const n = 20000;
    let s = 0;
    for (let i = 0; i < n; i++) {
      sampleGaussianSource(source, rng, x, z);
      let p = 0;
      for (let j = 0; j < D; j++) p += x[j] * source.basis[j];
      s += p * p;
    }
    const rho = source.values[0];
    expect(Math.abs(s / n - rho)).toBeLessThan(4 * rho * Math.sqrt(2 / n));
    // standardised: TrΩ/D = 1
    expect(source.traceOmegaOverD).toBeCloseTo(1, 12);
  });
});

describe('projectWeights', () => {
  it('gives the same Q, R, T, T0 as the weights themselves (bulk represented exactly)', () => {
    const { source, weights } = setup();
    const p = projectWeights(weights, source);
    const a = orderParametersFromState(p.state, p.spectrum);
    const b = orderParametersFromWeights(weights, source);
    for (const key of ['Q', 'R', 'T', 'T0'] as const) {
      for (let i = 0; i < 4; i++) expect(a[key][i]).toBeCloseTo(b[key][i], 12);
    }
  });
});

describe('onlineSgd', () => {
  it('is deterministic per seed and does not modify the initial weights', async () => {
    const { source, weights } = setup();
    const kernels = await getKernelSet('reference');
    const before = Float64Array.from(weights.W);
    const run = () =>
      onlineSgd({
        kernels,
        source,
        activation: 'erf',
        learningRate: 0.4,
        initial: weights,
        times: [0, 1, 2],
        rng: createRng(3),
      });
    const r1 = run();
    const r2 = run();
    expect(r1.error).toEqual(r2.error);
    expect(Array.from(weights.W)).toEqual(Array.from(before));
    expect(r1.steps).toBe(2 * D);
  });
  it('without measureError returns the same weights and no ε (the weights do not depend on the measurement)', async () => {
    const { source, weights } = setup();
    const kernels = await getKernelSet('reference');
    const run = (measureError: boolean) =>
      onlineSgd({
        kernels,
        source,
        activation: 'erf',
        learningRate: 0.4,
        initial: { ...weights, bias: new Float64Array([0.3, -0.2]) },
        times: [0, 1],
        rng: createRng(5),
        measureError,
      });
    const measured = run(true);
    const bare = run(false);
    expect(bare.error).toEqual([]);
    expect(bare.times).toEqual(measured.times);
    expect(measured.error).toHaveLength(2);
    expect(Array.from(bare.weights.W)).toEqual(Array.from(measured.weights.W));
    expect(Array.from(bare.weights.bias ?? [])).toEqual(Array.from(measured.weights.bias ?? []));
  });
  it('throws a DivergenceError when the run blows up', async () => {
    const { source, weights } = setup();
    const kernels = await getKernelSet('reference');
    expect(() =>
      onlineSgd({
        kernels,
        source,
        activation: 'linear',
        learningRate: 1e6,
        initial: weights,
        times: [0, 5],
        rng: createRng(1),
      }),
    ).toThrow(DivergenceError);
  });
  it('rejects bad options with ValidationErrors', async () => {
    const { source, weights } = setup();
    const kernels = await getKernelSet('reference');
    const base = {
      kernels,
      source,
      activation: 'erf' as const,
      learningRate: 0.4,
      initial: weights,
      times: [0, 1],
      rng: createRng(1),
    };
    expect(() => onlineSgd({ ...base, learningRate: -1 })).toThrow(ValidationError);
    expect(() => onlineSgd({ ...base, tied: true, rule: 'truncated' })).toThrow(/tied/);
    expect(() => onlineSgd({ ...base, times: [2, 1] })).toThrow(ValidationError);
    expect(() => onlineSgd({ ...base, trainBias: true })).toThrow(/bias/);
  });
});
