import { describe, expect, it } from 'vitest';
import { DivergenceError, ValidationError } from '../../core/errors.ts';
import { createRng } from '../../core/rng.ts';
import { sampleGaussianSource } from '../../data/gaussianSource.ts';
import { createImageSource } from '../../data/imageSource.ts';
import { spikedCovariance } from '../../data/spikedCovariance.ts';
import { getKernelSet } from '../../kernels/registry.ts';
import { probeOnlineSgdWasm } from '../../kernels/wasm/onlineSgdWasm.ts';
import { wasmUsage } from '../../kernels/wasm/wasmUsage.ts';
import { validationIssue } from '../../testing/validationIssue.ts';
import { orderParametersFromState } from '../../theory/refinetti2022/orderParameters.ts';
import { empiricalTestError, gaussianTestError, orderParametersFromWeights } from './measure.ts';
import { onlineSgd } from './onlineSgd.ts';
import { initialWeights, projectWeights } from './weights.ts';

const D = 60;
const setup = () => {
  const rng = createRng(9);
  const source = spikedCovariance({ dim: D, spikes: 2, rng: rng.fork('data') });
  const weights = initialWeights({ hidden: 2, dim: D, rng: rng.fork('w') });
  return { rng, source, weights };
};

/** The options of an erf run on the reference kernels from setup()'s source and weights, to vary one field at a time. */
async function erfBase() {
  const { source, weights } = setup();
  return {
    kernels: await getKernelSet('reference'),
    source,
    activation: 'erf' as const,
    learningRate: 0.4,
    initial: weights,
    times: [0, 1],
    rng: createRng(1),
  };
}

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
  it('a DivergenceError says at which record (step and time) and in which quantity the run stopped being finite', async () => {
    const { source, weights } = setup();
    const kernels = await getKernelSet('reference');
    const infoOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(DivergenceError);
        const { step, quantity, config } = (e as DivergenceError).info;
        return { step, quantity, config };
      }
      throw new Error('expected a DivergenceError');
    };
    const base = { kernels, source, activation: 'linear' as const, initial: weights, rng: createRng(1) };
    // η = 10⁶ blows the weights up within the first 30 steps: the first record after that (t = 0.5, step 30) throws.
    expect(infoOf(() => onlineSgd({ ...base, learningRate: 1e6, times: [0, 0.5, 1, 2, 5] }))).toEqual({
      step: 30,
      quantity: 'W',
      config: { t: 0.5 },
    });
    // A non-finite decoder with a finite encoder is caught as V, before the error is measured.
    const badV = { ...weights, V: Float64Array.from(weights.V) };
    badV.V[7] = Number.POSITIVE_INFINITY;
    expect(infoOf(() => onlineSgd({ ...base, learningRate: 0.4, initial: badV, times: [0, 1] }))).toEqual({
      step: 0,
      quantity: 'V',
      config: { t: 0 },
    });
    // Finite weights so large that ε overflows (T0 = vvᵀ/D ≈ 10⁴⁰⁰/D): the measured ε is what is not finite.
    const huge = { ...weights, V: weights.V.map((v) => v * 1e200) };
    expect(infoOf(() => onlineSgd({ ...base, learningRate: 0.4, initial: huge, times: [0, 1] }))).toEqual({
      step: 0,
      quantity: 'ε',
      config: { t: 0 },
    });
  });
  it('a tied network does not read V, so a non-finite V there is no divergence', async () => {
    const { source, weights } = setup();
    const kernels = await getKernelSet('reference');
    const nanV = { ...weights, V: new Float64Array(weights.V.length).fill(Number.NaN) };
    const run = onlineSgd({
      kernels,
      source,
      activation: 'erf',
      learningRate: 0.4,
      initial: nanV,
      times: [0, 1],
      rng: createRng(1),
      tied: true,
    });
    expect(run.steps).toBe(D);
    expect(run.error.every(Number.isFinite)).toBe(true);
    const clean = onlineSgd({
      kernels,
      source,
      activation: 'erf',
      learningRate: 0.4,
      initial: weights,
      times: [0, 1],
      rng: createRng(1),
      tied: true,
    });
    expect(run.error).toEqual(clean.error);
    expect(Array.from(run.weights.W)).toEqual(Array.from(clean.weights.W));
  });
  it("a tied network follows the full gradient unless told 'encoderPath'", async () => {
    const base = await erfBase();
    const run = (tiedGradient?: 'full' | 'encoderPath') =>
      Array.from(
        onlineSgd({
          ...base,
          times: [1],
          rng: createRng(2),
          tied: true,
          ...(tiedGradient ? { tiedGradient } : {}),
        }).weights.W,
      );
    const byDefault = run();
    expect(byDefault).toEqual(run('full'));
    expect(byDefault).not.toEqual(run('encoderPath'));
  });
  it('rejects bad options with ValidationErrors', async () => {
    const base = await erfBase();
    expect(() => onlineSgd({ ...base, learningRate: -1 })).toThrow(ValidationError);
    expect(() => onlineSgd({ ...base, tied: true, rule: 'truncated' })).toThrow(/tied/);
    expect(() => onlineSgd({ ...base, times: [2, 1] })).toThrow(ValidationError);
    expect(() => onlineSgd({ ...base, trainBias: true })).toThrow(/bias/);
  });
});

describe('onlineSgd: bad options name the field', () => {
  const fieldOf = (f: () => unknown): { field: string; received: unknown } => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      const issue = (e as ValidationError).issues[0];
      return { field: issue.field, received: issue.received };
    }
    throw new Error('expected a ValidationError');
  };
  it('each bad option is reported with its field and the value received', async () => {
    const base = await erfBase();
    expect(fieldOf(() => onlineSgd({ ...base, learningRate: -1 }))).toEqual({ field: 'learningRate', received: -1 });
    expect(fieldOf(() => onlineSgd({ ...base, learningRate: Number.POSITIVE_INFINITY }))).toEqual({
      field: 'learningRate',
      received: Number.POSITIVE_INFINITY,
    });
    expect(fieldOf(() => onlineSgd({ ...base, times: [] }))).toEqual({ field: 'times', received: [] });
    expect(fieldOf(() => onlineSgd({ ...base, times: [0, -1] }))).toEqual({ field: 'times.1', received: -1 });
    expect(fieldOf(() => onlineSgd({ ...base, activation: 'sign' as 'erf' }))).toEqual({
      field: 'activation',
      received: 'sign',
    });
    expect(fieldOf(() => onlineSgd({ ...base, rule: 'lazy' as 'vanilla' }))).toEqual({
      field: 'rule',
      received: 'lazy',
    });
    expect(fieldOf(() => onlineSgd({ ...base, times: [0, 2, 1] }))).toEqual({ field: 'times[2]', received: 1 });
    expect(fieldOf(() => onlineSgd({ ...base, times: [0, 2, 2, 1.5] }))).toEqual({ field: 'times[3]', received: 1.5 });
    const other = spikedCovariance({ dim: D + 1, spikes: 2, rng: createRng(2) });
    expect(fieldOf(() => onlineSgd({ ...base, source: other }))).toEqual({ field: 'source.dim', received: D + 1 });
    expect(fieldOf(() => onlineSgd({ ...base, tied: true, rule: 'truncated' }))).toEqual({
      field: 'rule',
      received: 'truncated',
    });
    expect(fieldOf(() => onlineSgd({ ...base, trainBias: true }))).toEqual({ field: 'trainBias', received: true });
    const images = createImageSource(
      Float64Array.from({ length: 3 * D }, (_, i) => i % 3),
      D,
      'three images',
    );
    expect(fieldOf(() => onlineSgd({ ...base, source: images }))).toEqual({ field: 'testSet', received: undefined });
    // A test set of the wrong length is refused before the first step (no progress is reported).
    const progress: number[] = [];
    const ragged = new Float64Array(3 * D + 1);
    expect(
      fieldOf(() => onlineSgd({ ...base, times: [5], testSet: ragged, progress: (done) => progress.push(done) })),
    ).toEqual({ field: 'testSet', received: `${3 * D + 1} numbers` });
    expect(progress).toEqual([]);
    expect(() => onlineSgd({ ...base, trainBias: true })).toThrow(/initialWeights\(\{ bias: true \}\)/);
    expect(() => onlineSgd({ ...base, tied: true, rule: 'truncated' })).toThrow(/untied weights/);
    expect(() => onlineSgd({ ...base, source: images })).toThrow(/pass testSet, or omega/);
  });
  it('each error says what was expected', async () => {
    const base = await erfBase();
    const expectedOf = (f: () => unknown): string => validationIssue(f).expected;
    const other = spikedCovariance({ dim: D + 1, spikes: 2, rng: createRng(2) });
    expect(expectedOf(() => onlineSgd({ ...base, source: other }))).toBe("the weights' D = 60");
    expect(expectedOf(() => onlineSgd({ ...base, tied: true, rule: 'truncated' }))).toBe(
      "'vanilla' for a tied network",
    );
    expect(expectedOf(() => onlineSgd({ ...base, trainBias: true }))).toBe('initial weights with a bias');
    expect(expectedOf(() => onlineSgd({ ...base, times: [0, 2, 1] }))).toBe('non-decreasing times');
    const images = createImageSource(new Float64Array(3 * D), D, 'three blank images');
    expect(expectedOf(() => onlineSgd({ ...base, source: images }))).toBe(
      'a test set (N × D) for an image source without a Gaussian Ω',
    );
  });
  it('accepts equal times, a tied network on the vanilla rule and an image source with a test set', async () => {
    const { times: _unused, ...base } = await erfBase();
    expect(onlineSgd({ ...base, times: [1, 1] }).times).toEqual([1, 1]);
    expect(onlineSgd({ ...base, times: [0, 0.5], tied: true, rule: 'vanilla' }).steps).toBe(D / 2);
    const images = createImageSource(
      Float64Array.from({ length: 3 * D }, (_, i) => i % 3),
      D,
      'three images',
    );
    const run = onlineSgd({ ...base, source: images, testSet: images.images, times: [0] });
    expect(run.errorKind).toBe('testSet');
    expect(run.orderParameters).toEqual([]);
  });
});

describe('onlineSgd: what it measures, and when', () => {
  it('measures at round(t·D) steps, repeated times included, the exact ε and the order parameters of the weights then', async () => {
    const { source, weights } = setup();
    const kernels = await getKernelSet('reference');
    const calls: [number, number][] = [];
    const opts = {
      kernels,
      source,
      activation: 'relu' as const,
      learningRate: 0.7,
      initial: weights,
      progress: (done: number, total: number) => calls.push([done, total]),
    };
    const run = onlineSgd({ ...opts, rng: createRng(4), times: [0, 0.5, 0.5, 1.5] });
    expect(run.steps).toBe(90);
    expect(run.times).toEqual([0, 0.5, 0.5, 1.5]);
    expect(run.errorKind).toBe('gaussian');
    expect(run.engine).toBe('js');
    expect(calls).toEqual([[0, 90]]);
    expect(run.error).toHaveLength(4);
    expect(run.orderParameters).toHaveLength(4);
    expect(run.error[0]).toBe(gaussianTestError(orderParametersFromWeights(weights, source), source, 'relu'));
    expect(run.error[1]).toBe(run.error[2]);
    expect(run.error[3]).toBe(gaussianTestError(orderParametersFromWeights(run.weights, source), source, 'relu'));
    expect(run.orderParameters[3]).toEqual(orderParametersFromWeights(run.weights, source));
    // The measurement at t = 0.5 is of the weights after 30 steps: a run that stops there has them.
    const half = onlineSgd({ ...opts, rng: createRng(4), times: [0.5] });
    expect(half.steps).toBe(30);
    expect(half.error).toEqual([run.error[1]]);
    expect(half.times).toEqual([0.5]);
    // A test set overrides the exact error; orderParameters: false leaves them out.
    const testSet = Float64Array.from({ length: 4 * D }, (_, i) => Math.sin(i));
    const withSet = onlineSgd({ ...opts, rng: createRng(4), times: [0, 1.5], testSet, orderParameters: false });
    expect(withSet.errorKind).toBe('testSet');
    expect(withSet.orderParameters).toEqual([]);
    expect(withSet.error[1]).toBe(empiricalTestError(withSet.weights, testSet, 'relu', kernels));
    expect(Array.from(withSet.weights.W)).toEqual(Array.from(run.weights.W));
    // orderParameters: false without a test set still measures the exact ε, from the weights of that time.
    const noOp = onlineSgd({ ...opts, rng: createRng(4), times: [0, 0.5, 0.5, 1.5], orderParameters: false });
    expect(noOp.orderParameters).toEqual([]);
    expect(noOp.errorKind).toBe('gaussian');
    expect(noOp.error).toEqual(run.error);
  });
  it('a tied run measures with v ≡ w, and an explicit omega gives the exact error of an image-trained network', async () => {
    const { source, weights } = setup();
    const kernels = await getKernelSet('reference');
    const tied = onlineSgd({
      kernels,
      source,
      activation: 'erf',
      learningRate: 0.3,
      initial: weights,
      times: [0, 1],
      rng: createRng(6),
      tied: true,
    });
    expect(tied.error[1]).toBe(
      gaussianTestError(orderParametersFromWeights(tied.weights, source, true), source, 'erf'),
    );
    expect(Array.from(tied.weights.V)).toEqual(Array.from(weights.V));
    const images = createImageSource(
      Float64Array.from({ length: 5 * D }, (_, i) => Math.cos(i)),
      D,
      'five images',
    );
    const run = onlineSgd({
      kernels,
      source: images,
      omega: source,
      activation: 'erf',
      learningRate: 0.3,
      initial: weights,
      times: [0, 1],
      rng: createRng(6),
    });
    expect(run.errorKind).toBe('gaussian');
    expect(run.error[1]).toBe(gaussianTestError(orderParametersFromWeights(run.weights, source), source, 'erf'));
  });
  it("engine 'wasm' runs the WebAssembly step wherever the probe says it can, and reports it; the trajectory is the same", async () => {
    const { source, weights } = setup();
    const kernels = await getKernelSet('reference');
    const opts = { kernels, source, activation: 'erf' as const, learningRate: 0.4, initial: weights, times: [0, 1] };
    const js = onlineSgd({ ...opts, rng: createRng(3) });
    const probe = probeOnlineSgdWasm();
    if (!probe.available) {
      // Without WebAssembly SIMD the request fails and says why (onlineSgdWasmUnavailable.test.ts checks the error).
      expect(() => onlineSgd({ ...opts, rng: createRng(3), engine: 'wasm' })).toThrow(probe.reason);
      return;
    }
    const before = wasmUsage.sgdSteppers;
    const wasm = onlineSgd({ ...opts, rng: createRng(3), engine: 'wasm' });
    expect(wasmUsage.sgdSteppers).toBe(before + 1);
    expect(js.engine).toBe('js');
    expect(wasm.engine).toBe('wasm');
    expect(wasm.error).toEqual(js.error);
  });
  it("engine 'js' runs the reference step even when the KernelSet's step is WebAssembly", async () => {
    const { source, weights } = setup();
    const wasmKernels = await getKernelSet('wasm');
    expect(wasmKernels.resolved.onlineSgdStepper).toBe('wasm');
    const opts = { source, activation: 'erf' as const, learningRate: 0.4, initial: weights, times: [0, 1] };
    const reference = onlineSgd({ ...opts, kernels: await getKernelSet('reference'), rng: createRng(3) });
    const before = wasmUsage.sgdSteppers;
    const js = onlineSgd({ ...opts, kernels: wasmKernels, rng: createRng(3), engine: 'js' });
    expect(wasmUsage.sgdSteppers).toBe(before);
    expect(js.engine).toBe('js');
    expect(js.error).toEqual(reference.error);
    // The control: without `engine` the same KernelSet runs its WebAssembly step.
    expect(onlineSgd({ ...opts, kernels: wasmKernels, rng: createRng(3) }).engine).toBe('wasm');
    expect(wasmUsage.sgdSteppers).toBe(before + 1);
  });
});
