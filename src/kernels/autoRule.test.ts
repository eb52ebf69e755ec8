import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { EPS64, maxRelativeDiff } from '../core/tolerance.ts';
import { denseSparseKernels, GEMM_BLAS_MIN, SPARSE_DENSE_MIN } from './autoRule.ts';
import type { SparseRows } from './kernelSpecs.ts';
import { getKernelSet } from './registry.ts';
import { backendAvailability, randomArray } from '../testing/testArrays.ts';

const { available, skipNote } = await backendAvailability('openblas');

/**
 * A sparse X (rows×cols) with a `density` fraction of listed entries per row (evenly spread, shifted by row and seed),
 * its values in nz's layout, and a dense x whose unlisted entries are NaN: a kernel that reads one gives NaN.
 */
function sparseX(rows: number, cols: number, density: number, seed: number): SparseRows & { values: Float64Array } {
  const per = Math.round(density * cols);
  const nz = new Int32Array(rows * cols);
  const counts = new Int32Array(rows);
  const values = new Float64Array(rows * cols);
  const x = new Float64Array(rows * cols).fill(Number.NaN);
  const r = randomArray(rows * cols, seed);
  for (let s = 0; s < rows; s++) {
    counts[s] = per;
    for (let q = 0; q < per; q++) {
      const j = (Math.floor((q * cols) / per) + s + seed) % cols;
      nz[s * cols + q] = j;
      values[s * cols + q] = r[s * cols + q];
      x[s * cols + j] = r[s * cols + q];
    }
  }
  return { rows, cols, outputs: 0, x, nz, counts, values };
}

describe('auto: the sparse kernels as dense OpenBLAS products above the density threshold', () => {
  const [rows, cols, outputs] = [64, 128, 32];

  test.skipIf(!available)(
    `density 0.5: both layouts of W and the gradient agree with the reference (1e-12), out overwritten, only listed entries read${skipNote}`,
    async () => {
      const auto = await getKernelSet('auto');
      const reference = await getKernelSet('reference');
      const sx = { ...sparseX(rows, cols, 0.5, 1), outputs };
      const w = randomArray(outputs * cols, 2);
      const wT = new Float64Array(cols * outputs);
      for (let k = 0; k < outputs; k++) for (let j = 0; j < cols; j++) wT[j * outputs + k] = w[k * cols + j];
      const g = randomArray(rows * outputs, 3);
      const { values, ...withX } = sx;
      expect(auto.route('sparseEncode', sx)).toBe('openblas');
      expect(auto.route('sparseGradient', sx)).toBe('openblas');
      const want = reference.sparseEncode({ ...withX, w });
      const wantGrad = reference.sparseGradient({ ...withX, g });
      expect(want.every(Number.isFinite)).toBe(true);
      // Twice each (the scratch X must be zero again on the second call), x or values, garbage in `out`.
      for (const input of [withX, { ...withX, x: undefined, values }, withX]) {
        const out = new Float64Array(rows * outputs).fill(Number.NaN);
        expect(auto.sparseEncode({ ...input, w, out })).toBe(out);
        expect(maxRelativeDiff(out, want)).toBeLessThanOrEqual(1e-12);
        const outT = new Float64Array(rows * outputs).fill(7);
        expect(
          maxRelativeDiff(auto.sparseEncode({ ...input, w: wT, transW: true, out: outT }), want),
        ).toBeLessThanOrEqual(1e-12);
        const outG = new Float64Array(cols * outputs).fill(-3e300);
        expect(auto.sparseGradient({ ...input, g, out: outG })).toBe(outG);
        expect(maxRelativeDiff(outG, wantGrad)).toBeLessThanOrEqual(1e-12);
        expect(maxRelativeDiff(auto.sparseGradient({ ...input, g }), wantGrad)).toBeLessThanOrEqual(1e-12);
      }
      // The dense route's bits: auto runs it here, not wasm (whose bits are the reference's).
      const dense = denseSparseKernels((await getKernelSet('openblas')).gemm);
      expect(Array.from(auto.sparseEncode({ ...sx, w }))).toEqual(Array.from(dense.sparseEncode({ ...sx, w })));
      expect(Array.from(auto.sparseGradient({ ...sx, g }))).toEqual(Array.from(dense.sparseGradient({ ...sx, g })));
      // Every array longer than needed (a training loop's buffers sized for a larger batch): the first entries are
      // used, and `out` is returned with its tail untouched.
      const longer = (a: Float64Array, extra: number): Float64Array => {
        const b = new Float64Array(a.length + extra).fill(5);
        b.set(a);
        return b;
      };
      const nzLong = new Int32Array(sx.nz.length + 3 * cols);
      nzLong.set(sx.nz);
      const long = {
        ...sx,
        nz: nzLong,
        x: longer(withX.x as Float64Array, 3 * cols),
        values: longer(values, 3 * cols),
      };
      const outLong = new Float64Array(rows * outputs + 9).fill(Number.NaN);
      expect(auto.sparseEncode({ ...long, w: longer(wT, 11), transW: true, out: outLong })).toBe(outLong);
      expect(maxRelativeDiff(outLong.subarray(0, rows * outputs), want)).toBeLessThanOrEqual(1e-12);
      expect(outLong.subarray(rows * outputs).every(Number.isNaN)).toBe(true);
      const outGLong = new Float64Array(cols * outputs + 9).fill(Number.NaN);
      expect(auto.sparseGradient({ ...long, g: longer(g, 13), out: outGLong })).toBe(outGLong);
      expect(maxRelativeDiff(outGLong.subarray(0, cols * outputs), wantGrad)).toBeLessThanOrEqual(1e-12);
      expect(maxRelativeDiff(auto.sparseEncode({ ...long, w: longer(w, 11) }), want)).toBeLessThanOrEqual(1e-12);
      // A sparser X after a denser one: nothing of the first is left in the scratch.
      const thin = { ...sparseX(rows, cols, 0.25, 5), outputs };
      expect(auto.route('sparseEncode', thin)).toBe('openblas');
      expect(
        maxRelativeDiff(auto.sparseEncode({ ...thin, w }), reference.sparseEncode({ ...thin, w })),
      ).toBeLessThanOrEqual(1e-12);
      expect(
        maxRelativeDiff(auto.sparseGradient({ ...thin, g }), reference.sparseGradient({ ...thin, g })),
      ).toBeLessThanOrEqual(1e-12);
    },
  );

  test.skipIf(!available)(
    `random shapes 1..65 on the dense route (matrix–vector ones included), random patterns with repeats: within the conformance bound of the reference, out overwritten${skipNote}`,
    async () => {
      const auto = await getKernelSet('auto');
      const reference = await getKernelSet('reference');
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 65 }),
          fc.integer({ min: 1, max: 65 }),
          fc.integer({ min: 1, max: 65 }),
          fc.double({ min: SPARSE_DENSE_MIN, max: 1, noNaN: true }),
          fc.nat(),
          (rows, cols, outputs, p, seed) => {
            fc.pre(rows * cols * outputs >= GEMM_BLAS_MIN);
            // Row s lists ⌈p·cols⌉ columns drawn at random, repeats allowed (each listed entry is added).
            const per = Math.ceil(p * cols);
            const r = randomArray(2 * rows * cols, seed);
            const nz = new Int32Array(rows * cols);
            const values = new Float64Array(rows * cols);
            const x = new Float64Array(rows * cols).fill(Number.NaN);
            const counts = new Int32Array(rows).fill(per);
            for (let s = 0; s < rows; s++) {
              for (let q = 0; q < per; q++) {
                const j = Math.min(cols - 1, Math.floor(((r[2 * (s * cols + q)] + 1) / 2) * cols));
                nz[s * cols + q] = j;
                values[s * cols + q] = 3 * r[2 * (s * cols + q) + 1];
              }
            }
            const sx = { rows, cols, outputs, nz, counts, values, x };
            expect(auto.route('sparseEncode', sx)).toBe('openblas');
            const w = randomArray(cols * outputs, seed + 1);
            const g = randomArray(rows * outputs, seed + 2);
            // A float64 sum of L terms in any order: |error| ≤ (L + 2)·u·Σ|terms| ≤ (L + 2)·u·L·max|x|·max|dense|
            // (as properties/kernels.property.ts; L counts a repeated column once per listing).
            const maxX = 3 * per;
            for (const [got, want, length] of [
              [
                auto.sparseEncode({ ...sx, w, transW: true, out: new Float64Array(rows * outputs).fill(Number.NaN) }),
                reference.sparseEncode({ ...sx, w, transW: true }),
                cols,
              ],
              [
                auto.sparseGradient({ ...sx, g, out: new Float64Array(cols * outputs).fill(Number.NaN) }),
                reference.sparseGradient({ ...sx, g }),
                rows * per,
              ],
            ] as const) {
              const bound = (length + 2) * EPS64 * length * maxX;
              for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(bound);
            }
          },
        ),
        { numRuns: 40 },
      );
    },
  );

  test.skipIf(!available)(
    `matrix–vector shapes on the dense route (one row, one column or one output: OpenBLAS's ?gemv) agree with the reference, out overwritten${skipNote}`,
    async () => {
      const auto = await getKernelSet('auto');
      const reference = await getKernelSet('reference');
      for (const [r, c, o] of [
        [1, 64, 32],
        [64, 64, 1],
        [64, 1, 32],
        [1, 1728, 1],
      ]) {
        const sx = { ...sparseX(r, c, c === 1 ? 1 : 0.5, 21), outputs: o };
        expect(auto.route('sparseEncode', sx)).toBe('openblas');
        const w = randomArray(o * c, 22);
        const g = randomArray(r * o, 23);
        for (const transW of [false, true]) {
          const out = new Float64Array(r * o).fill(Number.NaN);
          auto.sparseEncode({ ...sx, w, transW, out });
          expect(maxRelativeDiff(out, reference.sparseEncode({ ...sx, w, transW }))).toBeLessThanOrEqual(1e-12);
        }
        const outG = new Float64Array(c * o).fill(Number.NaN);
        auto.sparseGradient({ ...sx, g, out: outG });
        expect(maxRelativeDiff(outG, reference.sparseGradient({ ...sx, g }))).toBeLessThanOrEqual(1e-12);
      }
    },
  );

  test.skipIf(!available)(
    `a column listed twice in a row is added twice, as the sparse sum does (values and x)${skipNote}`,
    async () => {
      const auto = await getKernelSet('auto');
      const reference = await getKernelSet('reference');
      const sx = { ...sparseX(rows, cols, 0.5, 7), outputs };
      // Row s lists its first column again (with values: another value), in place of its last one.
      const per = sx.counts[0];
      for (let s = 0; s < rows; s++) {
        sx.nz[s * cols + per - 1] = sx.nz[s * cols];
        sx.values[s * cols + per - 1] = 0.75;
      }
      const w = randomArray(cols * outputs, 8);
      const g = randomArray(rows * outputs, 9);
      expect(auto.route('sparseEncode', sx)).toBe('openblas');
      const { values, ...withX } = sx;
      for (const input of [withX, { ...withX, x: undefined, values }]) {
        const want = reference.sparseEncode({ ...input, w, transW: true });
        expect(maxRelativeDiff(auto.sparseEncode({ ...input, w, transW: true }), want)).toBeLessThanOrEqual(1e-12);
        expect(
          maxRelativeDiff(auto.sparseGradient({ ...input, g }), reference.sparseGradient({ ...input, g })),
        ).toBeLessThanOrEqual(1e-12);
      }
      // The duplicates change the result: a kernel that kept one of them would fail above.
      const once = { ...withX, x: undefined, values, counts: sx.counts.map((c) => c - 1) };
      expect(
        maxRelativeDiff(
          auto.sparseEncode({ ...once, w, transW: true }),
          reference.sparseEncode({ ...withX, x: undefined, values, w, transW: true }),
        ),
      ).toBeGreaterThan(1e-3);
    },
  );

  test.skipIf(!available)(
    `route: openblas from density ${SPARSE_DENSE_MIN} and rows·cols·outputs ≥ 12³, wasm (the reference's bits) below${skipNote}`,
    async () => {
      const auto = await getKernelSet('auto');
      const reference = await getKernelSet('reference');
      // 10×10 X, 20 outputs (2000 ≥ 12³ multiply-adds): 20 listed entries is density 0.2, 19 is below.
      const at = { ...sparseX(10, 10, 0.2, 11), outputs: 20 };
      expect(auto.route('sparseEncode', at)).toBe('openblas');
      expect(auto.route('sparseGradient', at)).toBe('openblas');
      const dense = denseSparseKernels((await getKernelSet('openblas')).gemm);
      const wAt = randomArray(20 * 10, 19);
      const gAt = randomArray(10 * 20, 20);
      expect(Array.from(auto.sparseEncode({ ...at, w: wAt }))).toEqual(
        Array.from(dense.sparseEncode({ ...at, w: wAt })),
      );
      expect(Array.from(auto.sparseGradient({ ...at, g: gAt }))).toEqual(
        Array.from(dense.sparseGradient({ ...at, g: gAt })),
      );
      const below = { ...at, counts: at.counts.map((c, s) => (s === 0 ? c - 1 : c)) };
      expect(auto.route('sparseEncode', below)).toBe('wasm');
      expect(auto.route('sparseGradient', below)).toBe('wasm');
      // Dense but small: 10×10×17 = 1700 < 12³.
      const small = { ...sparseX(10, 10, 1, 12), outputs: 17 };
      expect(auto.route('sparseEncode', small)).toBe('wasm');
      // Large and sparse (0.1), and small: the calls run on wasm, the reference's bits.
      const sparse = { ...sparseX(rows, cols, 0.1, 13), outputs };
      expect(auto.route('sparseEncode', sparse)).toBe('wasm');
      for (const sx of [sparse, below, small]) {
        const w = randomArray(sx.outputs * sx.cols, 14);
        const g = randomArray(sx.rows * sx.outputs, 15);
        expect(Array.from(auto.sparseEncode({ ...sx, w }))).toEqual(Array.from(reference.sparseEncode({ ...sx, w })));
        expect(Array.from(auto.sparseGradient({ ...sx, g }))).toEqual(
          Array.from(reference.sparseGradient({ ...sx, g })),
        );
      }
      // Asked without arguments (the kernel benchmark passes none for these kernels): the backend of sparse input.
      expect(auto.route('sparseEncode', undefined)).toBe('wasm');
      expect(auto.route('sparseGradient', {})).toBe('wasm');
      // auto:f32 keeps wasm's float64 sums at every density.
      const f32 = await getKernelSet('auto:f32');
      expect(f32.route('sparseEncode', { ...sparseX(rows, cols, 0.5, 16), outputs })).toBe('wasm');
      // The reasons quote the rule and its numbers.
      expect(auto.reasons.sparseEncode).toMatch(/openblas .* density ≥ 0\.2 and rows·cols·outputs ≥ 12³ \(batch 1024/);
      expect(auto.reasons.sparseGradient).toMatch(/density ≥ 0\.2/);
    },
  );

  test.skipIf(!available)(
    `bad arguments on the dense route get the same errors as on every backend${skipNote}`,
    async () => {
      const auto = await getKernelSet('auto');
      const sx = { ...sparseX(rows, cols, 0.5, 17), outputs };
      sx.nz[5] = cols;
      expect(() => auto.sparseEncode({ ...sx, w: new Float64Array(outputs * cols) })).toThrow(
        /sparseEncode\.nz\[5\].*128.*0\.\.127/,
      );
      expect(() => auto.sparseGradient({ ...sx, g: new Float64Array(rows * outputs) })).toThrow(
        /sparseGradient\.nz\[5\]/,
      );
      const ok = { ...sparseX(rows, cols, 0.5, 18), outputs };
      expect(() => auto.sparseGradient({ ...ok, g: new Float64Array(rows * outputs - 1) })).toThrow(
        /sparseGradient\.g.*at least 2048/,
      );
      expect(() =>
        auto.sparseEncode({ ...ok, w: new Float64Array(outputs * cols), out: new Float64Array(rows * outputs - 1) }),
      ).toThrow(/sparseEncode\.out/);
      // counts is read for the route before any check: missing or too short, it must still reach the check that names
      // it (not a TypeError from the density).
      const w = new Float64Array(outputs * cols);
      const noCounts = { ...ok, counts: undefined as unknown as Int32Array };
      expect(() => auto.sparseEncode({ ...noCounts, w })).toThrow(/sparseEncode\.counts/);
      const shortCounts = { ...ok, counts: ok.counts.subarray(0, rows - 1) };
      expect(() => auto.sparseEncode({ ...shortCounts, w })).toThrow(/sparseEncode\.counts/);
      expect(() => auto.sparseGradient({ ...shortCounts, g: new Float64Array(rows * outputs) })).toThrow(
        /sparseGradient\.counts/,
      );
    },
  );
});
