/**
 * The online-SGD step is a registry kernel (issue 11): the KernelSet passed in decides which implementation runs, the
 * result is the same bits on every backend and the same as before the step became a kernel, and a run on the
 * reference KernelSet executes no WebAssembly at all.
 */
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { odeMatchesSgd } from '../../claims/refinetti2022/odeMatchesSgd.ts';
import { tiedSigmoidalFailure } from '../../claims/refinetti2022/tiedSigmoidalFailure.ts';
import { runClaim } from '../../claims/runClaim.ts';
import { createRng, type Rng, zigguratAccess } from '../../core/rng.ts';
import { spikedCovariance } from '../../data/spikedCovariance.ts';
import type { KernelSet } from '../../kernels/kernelSpecs.ts';
import { getKernelSet } from '../../kernels/registry.ts';
import { wasmUsage, wasmUsageTotal } from '../../kernels/wasm/wasmUsage.ts';
import { onlineSgd } from './onlineSgd.ts';
import { initialWeights } from './weights.ts';
import { scaledTimeout } from '../../testing/scaledTimeout.ts';
import { wrapRng } from '../../testing/wrapRng.ts';

/**
 * SHA-256 (first 16 hex digits) of the final W, V, bias and the measured ε of one run per rule and activation, recorded
 * at commit 4f29e17 (before the step became a kernel; the wasm engine ran them). A change in any bit changes the hash.
 */
const RECORDED: Record<string, string> = {
  'vanilla/linear': '5b19ac9a91382755',
  'vanilla/erf': 'aacbfb9405112e1a',
  'vanilla/relu': 'e84caeed434a6b8a',
  'truncated/linear': '9e3cd239a372b30c',
  'truncated/erf': '0c3aea2fc3b577c7',
  'truncated/relu': '47c78ca17c510b6e',
  'tiedFull/linear': '7b23886e726f68e7',
  'tiedFull/erf': 'e314fd94086e1e74',
  'tiedFull/relu': '937d65bd2f8836ce',
  'tiedEncoderPath/linear': '990b32c7a4cb9c5c',
  'tiedEncoderPath/erf': '3f5bcbc453ed25d7',
  'tiedEncoderPath/relu': 'a9ec23c7ca330353',
  'bias/linear': 'a37abbf23d6ba1a6',
  'bias/erf': 'bf6a08b4ec4205e5',
  'bias/relu': '068f2423b8854be0',
};

function runHash(kernels: KernelSet, key: string): { engine: string; hash: string } {
  const [variant, activation] = key.split('/') as [string, 'linear' | 'erf' | 'relu'];
  const D = 37;
  const rng = createRng(11);
  const source = spikedCovariance({ dim: D, spikes: 3, rng: rng.fork('data') });
  const bias = variant === 'bias';
  const initial = initialWeights({ hidden: 3, dim: D, rng: rng.fork('weights'), bias });
  const r = onlineSgd({
    kernels,
    source,
    activation,
    learningRate: 0.7,
    initial,
    times: [0, 3, 8],
    rng,
    rule: variant === 'truncated' ? 'truncated' : 'vanilla',
    tied: variant.startsWith('tied'),
    tiedGradient: variant === 'tiedEncoderPath' ? 'encoderPath' : 'full',
    testSet: bias ? Float64Array.from({ length: 8 * D }, (_, i) => Math.sin(1 + i)) : undefined,
  });
  const h = createHash('sha256');
  h.update(Buffer.from(r.weights.W.buffer));
  h.update(Buffer.from(r.weights.V.buffer));
  if (r.weights.bias) h.update(Buffer.from(r.weights.bias.buffer));
  h.update(JSON.stringify(r.error));
  return { engine: r.engine, hash: h.digest('hex').slice(0, 16) };
}

describe('the online-SGD step as a kernel', () => {
  test('reference and wasm KernelSets each run their own step, and both give the bits recorded before the refactor', async () => {
    const reference = await getKernelSet('reference');
    const wasm = await getKernelSet('wasm');
    expect(reference.resolved.onlineSgdStepper).toBe('reference');
    expect(wasm.resolved.onlineSgdStepper).toBe('wasm');
    for (const key of Object.keys(RECORDED)) {
      expect(runHash(reference, key), key).toEqual({ engine: 'js', hash: RECORDED[key] });
      expect(runHash(wasm, key), key).toEqual({ engine: 'wasm', hash: RECORDED[key] });
    }
  });

  test('a finished simulation hands its wasm instance to the next one of the same layout, with the same bits', async () => {
    const wasm = await getKernelSet('wasm');
    runHash(wasm, 'vanilla/erf');
    const instances = wasmUsage.instances;
    // The instance left by the run above, its memory full of that run's weights and samples, is reused zero-filled.
    expect(runHash(wasm, 'truncated/relu')).toEqual({ engine: 'wasm', hash: RECORDED['truncated/relu'] });
    expect(runHash(wasm, 'vanilla/erf')).toEqual({ engine: 'wasm', hash: RECORDED['vanilla/erf'] });
    expect(wasmUsage.instances).toBe(instances);
  });

  test(
    'a Refinetti claim measured with the reference KernelSet runs no WebAssembly; with wasm it does (the control)',
    async () => {
      const reference = await getKernelSet('reference');
      const wasm = await getKernelSet('wasm');
      for (const claim of [odeMatchesSgd, tiedSigmoidalFailure]) {
        const before = wasmUsageTotal();
        const onReference = await runClaim(claim, { seed: 7, kernels: reference });
        expect(onReference.status, claim.id).not.toBe('error');
        expect(wasmUsageTotal(), `${claim.id} on reference`).toBe(before);
        const onWasm = await runClaim(claim, { seed: 7, kernels: wasm });
        expect(onWasm.status, claim.id).not.toBe('error');
        expect(wasmUsageTotal(), `${claim.id} on wasm`).toBeGreaterThan(before);
      }
    },
    scaledTimeout(120_000),
  );
});

describe("an Rng that is not createRng's", () => {
  test("the wasm step draws through the Rng's fillNormal (only the mixing in the module) and keeps the reference's bits", async () => {
    const reference = await getKernelSet('reference');
    const wasm = await getKernelSet('wasm');
    /** createRng's stream behind a wrapper, so zigguratAccess gives nothing and the engine takes its fallback. */
    const wrapped = (seed: number): Rng => wrapRng(createRng(seed));
    expect(zigguratAccess(wrapped(1))).toBeUndefined();
    for (const [D, K] of [
      [13, 3],
      [16, 5],
    ]) {
      const run = (kernels: typeof reference) => {
        const rng = wrapped(D * 31 + K);
        const source = spikedCovariance({ dim: D, spikes: K, rng: rng.fork('data') });
        const initial = initialWeights({ hidden: K, dim: D, rng: rng.fork('weights') });
        return onlineSgd({ kernels, source, activation: 'erf', learningRate: 0.5, initial, times: [0, 4], rng });
      };
      const a = run(reference);
      const b = run(wasm);
      expect(b.engine).toBe('wasm');
      expect(Array.from(b.weights.W)).toEqual(Array.from(a.weights.W));
      expect(Array.from(b.weights.V)).toEqual(Array.from(a.weights.V));
      expect(b.error).toEqual(a.error);
    }
  });
});
