import { describe, expect, test } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { getKernelSet } from '../../kernels/registry.ts';
import { trainToyModel } from './trainToyModel.ts';

describe('trainToyModel', () => {
  test('the reference and wasm backends train the same model, bit for bit (their products give the same bits)', async () => {
    const reference = await getKernelSet('reference');
    const wasm = await getKernelSet('wasm').catch(() => undefined);
    if (!wasm) return; // the backend's own probe test reports why
    const run = (kernels: typeof reference) =>
      trainToyModel({ n: 37, m: 9, p: 0.2, steps: 15, batch: 64, rng: createRng(3), kernels, evalSamples: 256 });
    const a = run(reference);
    const b = run(wasm);
    expect(Array.from(b.wIn)).toEqual(Array.from(a.wIn));
    expect(Array.from(b.wOut)).toEqual(Array.from(a.wOut));
    expect(Array.from(b.bias)).toEqual(Array.from(a.bias));
    expect(b.heldOutLoss).toEqual(a.heldOutLoss);
  });

  test('tied (Elhage): W_out stays W_inᵀ and training lowers the held-out loss below the zero model p/3', async () => {
    const kernels = await getKernelSet('reference');
    const n = 48;
    const m = 12;
    const p = 0.1;
    const r = trainToyModel({
      n,
      m,
      p,
      steps: 400,
      batch: 128,
      learningRate: 0.01,
      tied: true,
      record: [0, 400],
      rng: createRng(5),
      kernels,
      evalSamples: 4096,
    });
    for (let k = 0; k < m; k++) for (let j = 0; j < n; j++) expect(r.wOut[j * m + k]).toBe(r.wIn[k * n + j]);
    expect(r.heldOutLoss[1]).toBeLessThan(r.heldOutLoss[0]);
    expect(r.heldOutLoss[1]).toBeLessThan(p / 3);
  });
});
