import { describe, expect, test } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { ADAM_EPS, adamStepF32, BETA1, BETA2 } from './adam.ts';

describe('adamStepF32', () => {
  test('each update reads the moments as stored (rounded to float32), bit for bit', () => {
    const rng = createRng(11);
    const size = 257;
    const w = new Float32Array(size);
    const mo = new Float32Array(size);
    const ve = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      w[i] = 1e-4 * rng.normal();
      mo[i] = 1e-3 * rng.normal();
      ve[i] = 1e-6 * rng.uniform();
    }
    const g = new Float64Array(size);
    for (let i = 0; i < size; i++) g[i] = 1e-3 * rng.normal();
    // The definition: store each moment in float32, then update w from the stored values.
    const want = { w: w.slice(), mo: mo.slice(), ve: ve.slice() };
    const [lr, c1, c2] = [1e-3, 1 - BETA1 ** 3, 1 - BETA2 ** 3];
    for (let i = 0; i < size; i++) {
      want.mo[i] = BETA1 * want.mo[i] + (1 - BETA1) * g[i];
      want.ve[i] = BETA2 * want.ve[i] + (1 - BETA2) * g[i] * g[i];
      want.w[i] -= (lr * (want.mo[i] / c1)) / (Math.sqrt(want.ve[i] / c2) + ADAM_EPS);
    }
    adamStepF32(w, g, mo, ve, lr, c1, c2);
    expect(Array.from(mo)).toEqual(Array.from(want.mo));
    expect(Array.from(ve)).toEqual(Array.from(want.ve));
    expect(Array.from(w)).toEqual(Array.from(want.w));
  });
});
