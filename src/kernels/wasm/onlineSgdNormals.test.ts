/**
 * The online-SGD module's normal draws (onlineSgd.wat: the ziggurat's fast path, and its slow path with the host's
 * Math.exp and Math.log) reproduce Rng.fillNormal bit for bit, the base strip's tail included, and leave the stream's
 * state where fillNormal leaves it.
 */
import { describe, expect, test } from 'vitest';
import { createRng, zigguratAccess } from '../../core/rng.ts';
import { writeZigguratTables, ZIGGURAT_LAYOUT, zigguratViews } from './onlineSgd.ts';
import { createOnlineSgdWasm } from './onlineSgdWasm.ts';

/** The ziggurat's right edge (src/core/rng.ts): draws beyond it come from the tail branch of the slow path. */
const R = 3.442619855899;

describe('normal draws in the online-SGD module', () => {
  test('equal Rng.fillNormal bit for bit over 400 000 draws per stream, slow path and tail included', () => {
    const n = 20_000;
    const { arrays, exports: wasm, release } = createOnlineSgdWasm({ ...ZIGGURAT_LAYOUT, out: n });
    try {
      let slowTail = 0;
      for (const [seed, scale] of [
        [3, 1],
        [1_234_567, 0.7],
      ]) {
        const viaWasm = createRng(seed);
        const viaJs = createRng(seed);
        const zig = zigguratAccess(viaWasm);
        if (!zig) throw new Error('createRng gave a stream without ziggurat access');
        writeZigguratTables(zig, arrays.zigTables);
        const state = zigguratViews(arrays);
        const expected = new Float64Array(n);
        for (let round = 0; round < 20; round++) {
          const st = zig.state;
          state.set([st.a, st.b, st.c, st.d]);
          // odd lengths too: the fast path's stop and restart at any index
          const len = round % 2 === 0 ? n : n - 7;
          wasm.normals(arrays.out.ptr, len, scale);
          [st.a, st.b, st.c, st.d] = [state[0], state[1], state[2], state[3]];
          viaJs.fillNormal(expected, 0, len, scale);
          for (let i = 0; i < len; i++) {
            if (!Object.is(arrays.out.view[i], expected[i])) {
              expect.fail(
                `seed ${seed}, round ${round}, draw ${i}: wasm ${arrays.out.view[i]} ≠ fillNormal ${expected[i]}`,
              );
            }
            if (Math.abs(expected[i]) > R * scale) slowTail++;
          }
          expect(viaWasm.uint32(), `the stream's state after round ${round}`).toBe(viaJs.uint32());
        }
      }
      // P(|z| > R) ≈ 5.8e-4: about 460 tail draws in 800 000; a handful would already exercise the branch.
      expect(slowTail).toBeGreaterThan(100);
    } finally {
      release();
    }
  });

  test("the tables' integer test (hz + A) mod 2^32 < B accepts exactly |hz| < kn[iz], at and around every threshold", () => {
    const zig = zigguratAccess(createRng(1));
    if (!zig) throw new Error('no ziggurat access');
    const { arrays, release } = createOnlineSgdWasm({ ...ZIGGURAT_LAYOUT });
    try {
      writeZigguratTables(zig, arrays.zigTables);
      const u32 = new Uint32Array(arrays.zigTables.view.buffer, arrays.zigTables.ptr, 512);
      let checked = 0;
      for (let iz = 0; iz < 128; iz++) {
        const kn = zig.kn[iz];
        expect(arrays.zigTables.view[2 * iz + 1]).toBe(zig.wn[iz]);
        expect(arrays.zigTables.view[256 + iz]).toBe(zig.fn[iz]);
        // int32 draws in layer iz (low 7 bits = iz) nearest to ±kn, and the extremes
        const near = (v: number) => [-256, -128, 0, 128, 256].map((d) => Math.floor((v + d) / 128) * 128 + iz);
        for (const hz of [...near(kn), ...near(-kn), -(2 ** 31) + iz, 2 ** 31 - 128 + iz, iz, iz - 128]) {
          if (hz < -(2 ** 31) || hz >= 2 ** 31) continue;
          const accepted = (hz + u32[4 * iz]) >>> 0 < u32[4 * iz + 1];
          expect(accepted, `iz ${iz}, hz ${hz}, kn ${kn}`).toBe(Math.abs(hz) < kn);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(128 * 10);
    } finally {
      release();
    }
  });
});
