/**
 * Conformance of the online-SGD step kernel (`onlineSgdStepper`, Refinetti & Goldt 2022): the wasm backend's
 * (WebAssembly SIMD) and the reference backend's (plain JavaScript) perform the same floating-point operations in the
 * same order, so on every configuration fast-check draws (odd and even D, K, activation, rule, tied, bias, spiked or
 * image data) the simulator returns identical weights and errors when given either KernelSet — tolerance zero, because
 * any difference would mean the two kernels compute different things. The KernelSet alone selects the kernel (as
 * `verify --backend` does). An unavailable wasm backend is a visible skip with the probe's reason.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createRng } from '../src/core/rng.ts';
import { spikedCovariance } from '../src/data/spikedCovariance.ts';
import type { KernelSet } from '../src/kernels/kernelSpecs.ts';
import { getKernelSet, probeBackends } from '../src/kernels/registry.ts';
import { type OnlineSgdOptions, onlineSgd } from '../src/sim/refinetti2022/onlineSgd.ts';
import { initialWeights } from '../src/sim/refinetti2022/weights.ts';

const reference = await getKernelSet('reference');
const wasmStatus = (await probeBackends()).find((s) => s.id === 'wasm');
const wasm = wasmStatus?.available ? await getKernelSet('wasm') : undefined;

const config = fc.record({
  dim: fc.integer({ min: 2, max: 41 }),
  // up to 9 units and 9 spikes: the module's decoder takes units in fours, then pairs, then one at a time, and the
  // spiked model's directions four at a time, then two, then one — every combination is drawn
  hidden: fc.integer({ min: 1, max: 9 }),
  spikes: fc.integer({ min: 1, max: 9 }),
  activation: fc.constantFrom('linear', 'erf', 'relu' as const),
  variant: fc.constantFrom('vanilla', 'truncated', 'tiedFull', 'tiedEncoderPath', 'bias'),
  learningRate: fc.double({ min: 0.05, max: 2, noNaN: true }),
  seed: fc.nat(),
});

/** One configuration on both KernelSets: identical trajectories, or the identical divergence message. */
function expectSameBits(c: Config, wasm: KernelSet): void {
  const D = c.dim;
  const run = (kernels: KernelSet) => {
    const rng = createRng(c.seed);
    const source = spikedCovariance({ dim: D, spikes: Math.min(c.spikes, D - 1), rng: rng.fork('data') });
    const bias = c.variant === 'bias';
    const initial = initialWeights({ hidden: c.hidden, dim: D, rng: rng.fork('weights'), bias });
    const options: OnlineSgdOptions = {
      kernels,
      source,
      activation: c.activation as 'linear' | 'erf' | 'relu',
      learningRate: c.learningRate,
      initial,
      times: [0, 2.5, 6],
      rng,
      rule: c.variant === 'truncated' ? 'truncated' : 'vanilla',
      tied: c.variant.startsWith('tied'),
      tiedGradient: c.variant === 'tiedEncoderPath' ? 'encoderPath' : 'full',
      testSet: bias ? Float64Array.from({ length: 8 * D }, (_, i) => Math.sin(1 + i)) : undefined,
    };
    try {
      return onlineSgd(options);
    } catch (err) {
      return (err as Error).message; // a divergence (small D, large η) must be the same on both engines
    }
  };
  const a = run(reference);
  const b = run(wasm);
  if (typeof a === 'string' || typeof b === 'string') {
    expect(b).toEqual(a);
    return;
  }
  expect(a.engine).toBe('js');
  expect(b.engine).toBe('wasm');
  expect(Array.from(b.weights.W)).toEqual(Array.from(a.weights.W));
  expect(Array.from(b.weights.V)).toEqual(Array.from(a.weights.V));
  expect(b.error).toEqual(a.error);
  if (a.weights.bias) expect(Array.from(b.weights.bias as Float64Array)).toEqual(Array.from(a.weights.bias));
}
type Config = typeof config extends fc.Arbitrary<infer T> ? T : never;

describe('online SGD engines', () => {
  const name = 'the wasm and reference KernelSets give identical trajectories (same bits), each on its own SGD kernel';
  if (!wasm) {
    test.skip(`${name} — skipped: ${wasmStatus && !wasmStatus.available ? wasmStatus.reason : 'wasm unknown'}`, () => {});
    return;
  }
  test(name, () => {
    fc.assert(
      fc.property(config, (c) => expectSameBits(c, wasm)),
      { numRuns: 60 },
    );
  });
  // Every grouping of the module's passes on purpose, not by chance: 1 to 9 units (fours, pairs, single units; the
  // fused pass of two untied units), 1 to 9 spikes (directions in fours, pairs, one), even and odd D.
  test('the same bits for every number of units and spikes up to 9, even and odd D, each rule', () => {
    const variants = ['vanilla', 'truncated', 'tiedFull', 'bias'] as const;
    for (let hidden = 1; hidden <= 9; hidden++) {
      for (const dim of [12, 13]) {
        for (const variant of variants) {
          const activation = hidden % 2 === 0 ? 'erf' : 'relu';
          expectSameBits(
            { dim, hidden, spikes: hidden, activation, variant, learningRate: 0.3, seed: 97 * hidden + dim },
            wasm,
          );
        }
      }
    }
  });
});
