/**
 * Engine conformance of the online-SGD simulator (Refinetti & Goldt 2022): the WebAssembly SIMD engine and the plain
 * JavaScript engine perform the same floating-point operations in the same order, so on every configuration
 * fast-check draws (odd and even D, K, activation, rule, tied, bias, spiked or image data) they return identical
 * weights and errors — tolerance zero, because any difference would mean the two engines compute different things.
 * An unavailable WebAssembly engine is a visible skip with the probe's reason.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createRng } from '../src/core/rng.ts';
import { spikedCovariance } from '../src/data/spikedCovariance.ts';
import { getKernelSet } from '../src/kernels/registry.ts';
import { probeOnlineSgdWasm } from '../src/kernels/wasm/onlineSgdWasm.ts';
import { type OnlineSgdOptions, onlineSgd } from '../src/sim/refinetti2022/onlineSgd.ts';
import { initialWeights } from '../src/sim/refinetti2022/weights.ts';

const kernels = await getKernelSet('reference');
const probe = probeOnlineSgdWasm();

const config = fc.record({
  dim: fc.integer({ min: 2, max: 41 }),
  hidden: fc.integer({ min: 1, max: 4 }),
  spikes: fc.integer({ min: 1, max: 3 }),
  activation: fc.constantFrom('linear', 'erf', 'relu' as const),
  variant: fc.constantFrom('vanilla', 'truncated', 'tiedFull', 'tiedEncoderPath', 'bias'),
  learningRate: fc.double({ min: 0.05, max: 2, noNaN: true }),
  seed: fc.nat(),
});

describe('online SGD engines', () => {
  const name = 'the WebAssembly SIMD and JavaScript engines give identical trajectories (same bits)';
  if (!probe.available) {
    test.skip(`${name} — skipped: ${probe.reason}`, () => {});
    return;
  }
  test(name, () => {
    fc.assert(
      fc.property(config, (c) => {
        const D = c.dim;
        const run = (engine: 'wasm' | 'js') => {
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
            engine,
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
        const a = run('js');
        const b = run('wasm');
        if (typeof a === 'string' || typeof b === 'string') {
          expect(b).toEqual(a);
          return;
        }
        expect(b.engine).toBe('wasm');
        expect(Array.from(b.weights.W)).toEqual(Array.from(a.weights.W));
        expect(Array.from(b.weights.V)).toEqual(Array.from(a.weights.V));
        expect(b.error).toEqual(a.error);
        if (a.weights.bias) expect(Array.from(b.weights.bias as Float64Array)).toEqual(Array.from(a.weights.bias));
      }),
      { numRuns: 60 },
    );
  });
});
