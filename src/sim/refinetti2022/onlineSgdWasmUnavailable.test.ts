/**
 * `engine: 'wasm'` where the WebAssembly SIMD engine cannot run: the simulator refuses with a BackendUnavailableError
 * that names the engine and passes on the probe's reason, before any step. The probe is replaced here by one that
 * answers "unavailable", as it does on a runtime without WebAssembly 128-bit SIMD.
 */
import { describe, expect, it, vi } from 'vitest';
import { BackendUnavailableError } from '../../core/errors.ts';
import { createRng } from '../../core/rng.ts';
import { spikedCovariance } from '../../data/spikedCovariance.ts';
import { getKernelSet } from '../../kernels/registry.ts';
import { onlineSgd } from './onlineSgd.ts';
import { initialWeights } from './weights.ts';

const REASON = 'this runtime rejects WebAssembly 128-bit SIMD';

vi.mock('../../kernels/wasm/onlineSgdWasm.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../kernels/wasm/onlineSgdWasm.ts')>()),
  probeOnlineSgdWasm: () => ({ available: false, reason: REASON }),
}));

describe("onlineSgd engine 'wasm' without WebAssembly SIMD", () => {
  it('throws a BackendUnavailableError naming the engine and the reason; the default engine still runs', async () => {
    const D = 8;
    const source = spikedCovariance({ dim: D, spikes: 1, rng: createRng(1) });
    const options = {
      kernels: await getKernelSet('reference'),
      source,
      activation: 'erf' as const,
      learningRate: 0.4,
      initial: initialWeights({ hidden: 1, dim: D, rng: createRng(2) }),
      times: [0, 1],
      rng: createRng(3),
    };
    let error: unknown;
    try {
      onlineSgd({ ...options, engine: 'wasm' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BackendUnavailableError);
    const { backend, reason, message } = error as BackendUnavailableError;
    expect({ backend, reason }).toEqual({ backend: 'wasm (online SGD)', reason: REASON });
    expect(message).toBe(`Backend wasm (online SGD) is unavailable: ${REASON}`);
    expect(onlineSgd(options).steps).toBe(D);
  });
});
