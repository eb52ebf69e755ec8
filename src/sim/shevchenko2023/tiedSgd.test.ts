import { describe, expect, test } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { getKernelSet } from '../../kernels/registry.ts';
import { gaussianMatrix } from './constructions.ts';
import { tiedSgd } from './tiedSgd.ts';

describe('tiedSgd early stop (stopWhen every checkEvery steps)', () => {
  test('stops after the step where stopWhen first returns true, and equals a run of exactly that many steps', async () => {
    const kernels = await getKernelSet('reference');
    const start = gaussianMatrix(6, 8, createRng(1), 1 / Math.sqrt(8));
    const calls: number[] = [];
    const stopped = tiedSgd({
      encoder: start,
      steps: 100,
      batch: 4,
      rng: createRng(2),
      kernels,
      checkEvery: 10,
      stopWhen: (step) => {
        calls.push(step);
        return step === 30;
      },
    });
    expect(calls).toEqual([10, 20, 30]);
    const fixed = tiedSgd({ encoder: start, steps: 30, batch: 4, rng: createRng(2), kernels });
    expect(Array.from(stopped.data)).toEqual(Array.from(fixed.data));
    const full = tiedSgd({ encoder: start, steps: 100, batch: 4, rng: createRng(2), kernels });
    expect(Array.from(full.data)).not.toEqual(Array.from(fixed.data));
  });

  test('stopWhen without a positive integer checkEvery is an error naming checkEvery', async () => {
    const kernels = await getKernelSet('reference');
    const start = gaussianMatrix(2, 3, createRng(1));
    for (const checkEvery of [undefined, 0, 2.5]) {
      expect(() =>
        tiedSgd({ encoder: start, steps: 5, batch: 2, rng: createRng(2), kernels, checkEvery, stopWhen: () => false }),
      ).toThrow(/checkEvery/);
    }
  });
});
