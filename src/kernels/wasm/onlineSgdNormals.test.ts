/**
 * The online-SGD module's normal draws (onlineSgd.wat: the ziggurat's fast path, and its slow path with the host's
 * Math.exp and Math.log) reproduce Rng.fillNormal bit for bit, the base strip's tail included, and leave the stream's
 * state where fillNormal leaves it. The slow path's comparison u < e^{−x²/2} is settled by the layer's squeeze lines or
 * the module's own exp wherever that cannot change its outcome, and by the host's Math.exp only near a tie: the tests
 * below check each of those three steps on its own.
 */
import { describe, expect, test } from 'vitest';
import { createRng, zigguratAccess } from '../../core/rng.ts';
import { squeezeLines, writeZigguratTables, ZIGGURAT_LAYOUT, zigguratViews } from './onlineSgd.ts';
import { createOnlineSgdWasm, onlineSgdInstanceWithMath } from './onlineSgdWasm.ts';

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

  test('expNear is exp to within 4 units in the last place over [−708, 709]', () => {
    const { exports: wasm, release } = createOnlineSgdWasm({ a: 1 });
    try {
      let worst = 0;
      let worstAt = 0;
      const check = (t: number) => {
        const e = Math.exp(t);
        const rel = Math.abs(wasm.expNear(t) - e) / e;
        if (rel > worst) [worst, worstAt] = [rel, t];
      };
      for (let i = 0; i <= 200_000; i++) check(-708 + (i / 200_000) * 1417);
      // the slow path's range, −x²/2 for |x| ≤ R, densely
      for (let i = 0; i <= 200_000; i++) check(-0.5 * R * R * (i / 200_000));
      // 4 ulps (2^-50) is four times the largest error seen here; the margin that relies on it is 2^-30
      expect(worst, `worst relative error ${worst} at t = ${worstAt}`).toBeLessThan(2 ** -50);
    } finally {
      release();
    }
  });

  test('belowExp(lhs, t) is lhs < Math.exp(t) at and around ties, and asks the host exactly there', () => {
    let hostCalls = 0;
    const { belowExp } = onlineSgdInstanceWithMath({
      exp: (t: number) => {
        hostCalls++;
        return Math.exp(t);
      },
      log: Math.log,
    });
    const bits = new Float64Array(1);
    const ints = new BigInt64Array(bits.buffer);
    const step = (v: number, ulps: number) => {
      bits[0] = v;
      ints[0] += BigInt(ulps);
      return bits[0];
    };
    const rng = createRng(11);
    let ties = 0;
    for (let i = 0; i < 20_000; i++) {
      const t = -0.5 * R * R * rng.uniform();
      const e = Math.exp(t);
      for (const ulps of [-3, -1, 0, 1, 3]) {
        const lhs = step(e, ulps);
        expect(belowExp(lhs, t), `lhs = exp(${t}) ${ulps >= 0 ? '+' : ''}${ulps} ulps`).toBe(lhs < e ? 1 : 0);
        ties++;
      }
      // clearly apart: decided without the host
      const before = hostCalls;
      expect(belowExp(e * 0.999, t)).toBe(1);
      expect(belowExp(e * 1.001, t)).toBe(0);
      expect(hostCalls).toBe(before);
    }
    expect(hostCalls, 'every near-tie goes to the host').toBe(ties);
  });

  test("each layer's squeeze lines lie below and above e^{−x²/2} by their margin over the layer's rejected draws", () => {
    const zig = zigguratAccess(createRng(1));
    if (!zig) throw new Error('no ziggurat access');
    /** The smallest gap (in units of the layer's margin) between the lines and Math.exp(−x²/2); negative = crossed. */
    const worstGap = (lines: Float64Array) => {
      let worst = Number.POSITIVE_INFINITY;
      for (let iz = 1; iz < 128; iz++) {
        const a = zig.kn[iz] * zig.wn[iz];
        const b = 2 ** 31 * zig.wn[iz];
        const margin = Math.exp(-0.5 * a * a) * 2 ** -30;
        for (let j = 0; j <= 2000; j++) {
          // the ends exactly, then points across the range
          const x = j === 0 ? a : j === 2000 ? b : a + ((b - a) * j) / 2000;
          const f = Math.exp(-0.5 * x * x);
          const lower = x * lines[4 * iz] + lines[4 * iz + 1];
          const upper = x * lines[4 * iz + 2] + lines[4 * iz + 3];
          worst = Math.min(worst, (f - lower) / margin, (upper - f) / margin);
        }
      }
      return worst;
    };
    const lines = squeezeLines(zig);
    // at least half the margin everywhere (it is the full margin where the line touches the density)
    expect(worstGap(lines)).toBeGreaterThan(0.5);
    // negative control: the lines without their margins touch the density, and lines swapped cross it
    const bare = lines.slice();
    for (let iz = 1; iz < 128; iz++) {
      const margin = Math.exp(-0.5 * (zig.kn[iz] * zig.wn[iz]) ** 2) * 2 ** -30;
      bare[4 * iz + 1] += margin * (1 - 1e-12) ** 2;
      bare[4 * iz + 3] -= margin;
    }
    expect(worstGap(bare)).toBeLessThan(0.5);
    const swapped = lines.slice();
    for (let iz = 1; iz < 128; iz++)
      swapped.set([...lines.subarray(4 * iz + 2, 4 * iz + 4), ...lines.subarray(4 * iz, 4 * iz + 2)], 4 * iz);
    expect(worstGap(swapped)).toBeLessThan(0);
  });

  test('1 000 000 draws call the host exp (almost) never: the squeeze and expNear decide, the draws stay fillNormal', () => {
    let hostExp = 0;
    const exports = onlineSgdInstanceWithMath({
      exp: (t: number) => {
        hostExp++;
        return Math.exp(t);
      },
      log: Math.log,
    });
    exports.memory.grow(7);
    const viaWasm = createRng(77);
    const viaJs = createRng(77);
    const zig = zigguratAccess(viaWasm);
    if (!zig) throw new Error('no ziggurat access');
    const tablesPtr = 32;
    writeZigguratTables(zig, {
      view: new Float64Array(exports.memory.buffer, tablesPtr, ZIGGURAT_LAYOUT.zigTables),
      ptr: tablesPtr,
    });
    const state = new Int32Array(exports.memory.buffer, 0, 4);
    state.set([zig.state.a, zig.state.b, zig.state.c, zig.state.d]);
    const n = 50_000;
    const outPtr = 16_384;
    const out = new Float64Array(exports.memory.buffer, outPtr, n);
    const expected = new Float64Array(n);
    for (let round = 0; round < 20; round++) {
      exports.normals(outPtr, n, 1);
      viaJs.fillNormal(expected);
      for (let i = 0; i < n; i++) {
        if (!Object.is(out[i], expected[i])) expect.fail(`round ${round}, draw ${i}: ${out[i]} ≠ ${expected[i]}`);
      }
    }
    // about 27 000 slow-path comparisons in a million draws; a tie within 2^-30 is far rarer than one in a thousand
    expect(hostExp).toBeLessThan(27);
  });

  test('with squeeze lines that settle nothing, every slow draw takes the exact comparison and the draws stay fillNormal', () => {
    const n = 20_000;
    const { arrays, exports: wasm, release } = createOnlineSgdWasm({ ...ZIGGURAT_LAYOUT, out: n });
    try {
      const viaWasm = createRng(2024);
      const viaJs = createRng(2024);
      const zig = zigguratAccess(viaWasm);
      if (!zig) throw new Error('no ziggurat access');
      writeZigguratTables(zig, arrays.zigTables);
      // lower line at −1 and upper line at 2 in every layer: no u·(…) in [0, 1] is below or above them
      for (let iz = 1; iz < 128; iz++) arrays.zigTables.view.set([0, -1, 0, 2], 384 + 4 * iz);
      const state = zigguratViews(arrays);
      const expected = new Float64Array(n);
      for (let round = 0; round < 20; round++) {
        const st = zig.state;
        state.set([st.a, st.b, st.c, st.d]);
        wasm.normals(arrays.out.ptr, n, 1);
        [st.a, st.b, st.c, st.d] = [state[0], state[1], state[2], state[3]];
        viaJs.fillNormal(expected);
        for (let i = 0; i < n; i++) {
          if (!Object.is(arrays.out.view[i], expected[i])) {
            expect.fail(`round ${round}, draw ${i}: wasm ${arrays.out.view[i]} ≠ fillNormal ${expected[i]}`);
          }
        }
      }
      expect(viaWasm.uint32()).toBe(viaJs.uint32());
    } finally {
      release();
    }
  });
});
