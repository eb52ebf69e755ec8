import { describe, expect, test } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { ADAM_EPS, adamStepF32, BETA1, BETA2 } from '../../sim/persianrug2024/adam.ts';
import { sampleBatch, toyF32Workspace } from '../../sim/persianrug2024/trainToyModel.ts';
import { getKernelSet } from '../registry.ts';
import { createToyF32Wasm, probeToyF32Wasm } from './toyF32Wasm.ts';
import { wasmUsageTotal } from './wasmUsage.ts';

/** Bit patterns of a float array, for exact comparisons that also tell −0 from 0 and NaNs apart. */
const bits = (a: Float32Array | Float64Array) =>
  Array.from(a instanceof Float32Array ? new Uint32Array(a.buffer, a.byteOffset, a.length) : new Float64Array(a));

const probe = probeToyF32Wasm();
const available = probe.available;
const skipNote = probe.available ? '' : ` — skipped: ${probe.reason}`;
const reference = await getKernelSet('reference');

describe.skipIf(!available)(
  `the toy model's float32 passes in WebAssembly (toyF32.wat) against JavaScript${skipNote}`,
  () => {
    // Odd sizes exercise the scalar tail; the gradients span 12 decades, with zeros and signed zeros, so that the
    // roundings of m, v and w fall everywhere in float32's range; 30 steps move the bias corrections through their range.
    for (const size of [1, 2, 7, 1001]) {
      test(`Adam: adamStepF32's bits, then its widened copy (${size} parameters, 30 steps)`, () => {
        const rng = createRng(size);
        const layout = { size, batch: 1, n: 1, denseX: false };
        const wasm = toyF32Workspace(layout, reference, 'wasm');
        const js = toyF32Workspace(layout, reference, 'js');
        expect([wasm.wasm, js.wasm]).toEqual([true, false]);
        for (let i = 0; i < size; i++) js.w[i] = wasm.w[i] = Math.fround(0.1 * rng.normal());
        for (let t = 1; t <= 30; t++) {
          for (let i = 0; i < size; i++) {
            const r = rng.uniform();
            wasm.grad[i] = js.grad[i] = r < 0.05 ? 0 : r < 0.1 ? -0 : 10 ** (-12 * rng.uniform()) * rng.normal();
          }
          const [lr, c1, c2] = [3e-3 / 32, 1 - BETA1 ** t, 1 - BETA2 ** t];
          js.adam(lr, c1, c2);
          wasm.adam(lr, c1, c2);
        }
        expect(bits(wasm.mom)).toEqual(bits(js.mom));
        expect(bits(wasm.vel)).toEqual(bits(js.vel));
        expect(bits(wasm.w)).toEqual(bits(js.w));
        expect(bits(wasm.image)).toEqual(bits(js.image));
      });
    }

    // δ from sampled batches: odd and even batch and n (the scalar row and column), sparse (listed nonzeros) and dense
    // X; z ± around 0 so that half the outputs are active, including exact zeros and −0 where the indicator decides.
    // X ≠ 0 at every feature when p = 1, where an output exactly at 0 (z = −b, set in column 1) tells > from ≥. Batches of
    // 40 rows give each column 20 pairs, whose sums tell the order of gBias's additions apart.
    for (const [batch, n, denseX, p] of [
      [1, 1, false, 0.3],
      [5, 7, false, 0.3],
      [41, 33, false, 0.3],
      [40, 7, true, 0.3],
      [9, 64, true, 0.3],
      [4, 5, true, 0.3],
      [7, 9, false, 1],
      [6, 9, true, 1],
    ] as const) {
      test(`δ: deltaInPlace/deltaDenseX's bits (batch ${batch}, n ${n}, ${denseX ? 'dense X' : 'listed nonzeros'}, p ${p})`, () => {
        const rng = createRng(batch * 100 + n);
        const size = 3 * n;
        const layout = { size, batch, n, denseX };
        const [wasm, js] = [toyF32Workspace(layout, reference, 'wasm'), toyF32Workspace(layout, reference, 'js')];
        for (const ws of [wasm, js]) {
          const r = createRng(7);
          sampleBatch(batch, n, p, r, ws.x ?? null, ws.nz, ws.counts, 'all', { values: ws.values, float32: true });
        }
        for (let i = 0; i < size; i++) wasm.image[i] = js.image[i] = 0.3 * rng.normal();
        wasm.image[0] = js.image[0] = 0;
        for (let i = 0; i < batch * n; i++) {
          const r = rng.uniform();
          wasm.z[i] = js.z[i] = r < 0.05 ? 0 : r < 0.1 ? -0 : Math.fround(0.5 * rng.normal());
        }
        if (n > 1) {
          wasm.image[size - n + 1] = js.image[size - n + 1] = -0.25;
          for (let s = 0; s < batch; s++) wasm.z[s * n + 1] = js.z[s * n + 1] = 0.25;
        }
        for (let i = 0; i < size; i++) wasm.grad[i] = js.grad[i] = 99; // gBias must be cleared first
        const scale = 2 / (batch * n);
        wasm.delta(wasm.image.subarray(size - n), wasm.grad.subarray(size - n), scale);
        js.delta(js.image.subarray(size - n), js.grad.subarray(size - n), scale);
        expect(bits(wasm.z)).toEqual(bits(js.z));
        expect(bits(wasm.grad)).toEqual(bits(js.grad));
        // A second call (the scratch rows were cleared after use) gives the same again.
        const z1 = wasm.z.slice();
        wasm.delta(wasm.image.subarray(size - n), wasm.grad.subarray(size - n), scale);
        js.delta(js.image.subarray(size - n), js.grad.subarray(size - n), scale);
        expect(bits(wasm.z)).toEqual(bits(js.z));
        expect(bits(wasm.z)).not.toEqual(bits(z1));
      });
    }

    test('a layout past the module memory is a RangeError before any memory is taken (the trainer then runs the JavaScript passes)', () => {
      const huge = { size: 10, batch: 1 << 14, n: 1 << 14, denseX: true }; // 2^28 entries × 24 bytes
      expect(() => createToyF32Wasm(huge, { beta1: BETA1, beta2: BETA2, eps: ADAM_EPS })).toThrow(RangeError);
    });

    test('δ refuses a bias that is not a view of its own image', () => {
      const ws = toyF32Workspace({ size: 8, batch: 2, n: 4, denseX: false }, reference, 'wasm');
      expect(() => ws.delta(new Float64Array(4), ws.grad.subarray(4), 1)).toThrow(/bias must be an n-long view/);
    });

    test('control: the comparison sees one rounding left out (m used unrounded, as PyTorch never does)', () => {
      const size = 1001;
      const rng = createRng(3);
      const a = { w: new Float32Array(size), mo: new Float32Array(size), ve: new Float32Array(size) };
      const b = { w: new Float32Array(size), mo: new Float32Array(size), ve: new Float32Array(size) };
      const g = new Float64Array(size);
      for (let i = 0; i < size; i++) g[i] = 1e-3 * rng.normal();
      for (let i = 0; i < size; i++) a.w[i] = b.w[i] = Math.fround(0.1 * rng.normal());
      const [lr, c1, c2] = [3e-3 / 32, 1 - BETA1, 1 - BETA2];
      adamStepF32(a.w, g, a.mo, a.ve, lr, c1, c2);
      for (let i = 0; i < size; i++) {
        const m = BETA1 * b.mo[i] + (1 - BETA1) * g[i];
        const v = Math.fround(BETA2 * b.ve[i] + (1 - BETA2) * g[i] * g[i]);
        b.mo[i] = m;
        b.ve[i] = v;
        b.w[i] -= (lr * (m / c1)) / (Math.sqrt(v / c2) + ADAM_EPS);
      }
      expect(bits(b.w)).not.toEqual(bits(a.w));
    });

    test('the trainer takes it on a KernelSet that runs wasm (auto:f32), and not on reference', async () => {
      const autoSet = await getKernelSet('auto:f32');
      const layout = { size: 4, batch: 2, n: 2, denseX: false };
      const before = wasmUsageTotal();
      expect(toyF32Workspace(layout, reference).wasm).toBe(false);
      expect(wasmUsageTotal()).toBe(before);
      expect(toyF32Workspace(layout, autoSet).wasm).toBe(true);
      expect(wasmUsageTotal()).toBe(before + 1);
    });
  },
);
