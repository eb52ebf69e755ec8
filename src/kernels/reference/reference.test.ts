import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { createRng } from '../../core/rng.ts';
import type { Activation } from '../kernelSpecs.ts';
import { activate } from './activation.ts';
import { aeBackward } from './aeBackward.ts';
import { elementwise } from './elementwise.ts';
import { gemm } from './gemm.ts';
import { sparseEncode, sparseGradient } from './sparseEncode.ts';

/** Central differences with step h have error O(h²·f''') ≈ 1e-10 here; rounding adds ε64/h ≈ 2e-11. */
const FD_STEP = 1e-5;
const FD_TOLERANCE = 1e-7;

/** The tiled reference GEMM sums each dot product in the same order as the triple loop, so they agree exactly. */
function naiveGemm(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  transA: boolean,
  transB: boolean,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  return c;
}

describe('reference kernels', () => {
  test("elementwise 'sign' (branch-free) gives activate('sign') to the bit, ±0, NaN and infinities included", () => {
    const rng = createRng(5);
    const x = Float64Array.from(
      [0, -0, Number.NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, 1e-300, -3, 2.5],
      (v) => v,
    );
    const random = new Float64Array(1000);
    rng.fillNormal(random);
    for (const input of [x, random]) {
      const got = elementwise({ op: 'sign', x: input });
      for (let i = 0; i < input.length; i++) expect(Object.is(got[i], activate('sign', input[i]))).toBe(true);
    }
  });
  test('symmetric gemm (X Xᵀ and Xᵀ X) equals the full product exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 41 }),
        fc.integer({ min: 0, max: 41 }),
        fc.boolean(),
        fc.nat(),
        (m, k, gramOfColumns, seed) => {
          const rng = createRng(seed);
          const x = new Float64Array(m * k);
          rng.fillNormal(x);
          const args = gramOfColumns
            ? { m: k, n: k, k: m, a: x, b: x, transA: true }
            : { m, n: m, k, a: x, b: x, transB: true };
          expect(Array.from(gemm({ ...args, symmetric: true }))).toEqual(Array.from(gemm(args)));
        },
      ),
      { numRuns: 60 },
    );
  });
  test('tiled gemm equals the triple loop exactly on shapes 0..65 (odd edges included)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 65 }),
        fc.integer({ min: 0, max: 65 }),
        fc.integer({ min: 0, max: 65 }),
        fc.boolean(),
        fc.boolean(),
        fc.nat(),
        (m, n, k, transA, transB, seed) => {
          const rng = createRng(seed);
          const a = new Float64Array(m * k);
          const b = new Float64Array(k * n);
          rng.fillNormal(a);
          rng.fillNormal(b);
          expect(Array.from(gemm({ m, n, k, a, b, transA, transB }))).toEqual(
            Array.from(naiveGemm(m, n, k, a, b, transA, transB)),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  test('gemm with every transpose combination equals the triple loop', () => {
    const rng = createRng(1);
    const [m, n, k] = [5, 3, 7];
    const a = new Float64Array(m * k);
    const b = new Float64Array(k * n);
    const c = new Float64Array(m * n);
    rng.fillNormal(a);
    rng.fillNormal(b);
    rng.fillNormal(c);
    const at = new Float64Array(k * m);
    const bt = new Float64Array(n * k);
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) at[p * m + i] = a[i * k + p];
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bt[j * k + p] = b[p * n + j];
    const want = new Float64Array(m * n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
        want[i * n + j] = 2 * s - 0.5 * c[i * n + j];
      }
    for (const [transA, transB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ]) {
      const got = gemm({ m, n, k, a: transA ? at : a, b: transB ? bt : b, transA, transB, alpha: 2, beta: -0.5, c });
      for (let i = 0; i < m * n; i++) expect(got[i]).toBeCloseTo(want[i], 12);
    }
  });

  test.each(['linear', 'erf', 'relu'] as Activation[])(
    'aeBackward equals central finite differences of the loss (%s)',
    (activation) => {
      const rng = createRng(2);
      const [batch, inputDim, hidden] = [3, 6, 2];
      const x = new Float64Array(batch * inputDim);
      const w = new Float64Array(hidden * inputDim);
      const v = new Float64Array(inputDim * hidden);
      const bias = new Float64Array(hidden);
      for (const arr of [x, w, v, bias]) rng.fillNormal(arr);
      const args = { batch, inputDim, hidden, x, w, v, bias, activation };
      const grads = aeBackward(args);
      const check = (arr: Float64Array, grad: Float64Array) => {
        for (let i = 0; i < arr.length; i++) {
          const keep = arr[i];
          arr[i] = keep + FD_STEP;
          const up = aeBackward(args).loss;
          arr[i] = keep - FD_STEP;
          const down = aeBackward(args).loss;
          arr[i] = keep;
          expect(Math.abs((up - down) / (2 * FD_STEP) - grad[i])).toBeLessThan(
            FD_TOLERANCE * Math.max(1, Math.abs(grad[i])),
          );
        }
      };
      check(w, grads.gradW);
      check(v, grads.gradV);
      check(bias, grads.gradBias);
    },
  );
});

describe('sparse encoder', () => {
  test('sparseEncode equals the dense product X Wᵀ on random sparse X', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat(),
        (rows, cols, outputs, p, seed) => {
          const rng = createRng(seed);
          const x = new Float64Array(rows * cols);
          const nz = new Int32Array(rows * cols);
          const counts = new Int32Array(rows);
          for (let s = 0; s < rows; s++) {
            for (let j = 0; j < cols; j++) {
              if (rng.uniform() < p) {
                x[s * cols + j] = rng.uniform();
                nz[s * cols + counts[s]++] = j;
              }
            }
          }
          const w = new Float64Array(outputs * cols);
          rng.fillNormal(w);
          const sparse = sparseEncode({ rows, cols, outputs, x, nz, counts, w });
          const dense = gemm({ m: rows, n: outputs, k: cols, a: x, b: w, transB: true });
          for (let i = 0; i < sparse.length; i++)
            expect(Math.abs(sparse[i] - dense[i])).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(dense[i])));
        },
      ),
      { numRuns: 60 },
    );
  });

  test('bad sparse arguments name the field, the value and what was expected (every backend shares the check)', () => {
    const base = {
      rows: 2,
      cols: 3,
      outputs: 2,
      x: new Float64Array(6),
      nz: Int32Array.of(0, 2, 0, 1, 0, 0),
      counts: Int32Array.of(2, 1),
    };
    const w = new Float64Array(6);
    expect(() => sparseEncode({ ...base, w })).not.toThrow();
    expect(() => sparseEncode({ ...base, x: undefined, values: new Float64Array(6), w })).not.toThrow();
    const cases: [() => unknown, RegExp][] = [
      [() => sparseEncode({ ...base, nz: Int32Array.of(0, 3, 0, 1, 0, 0), w }), /sparseEncode\.nz\[1\].*3.*0\.\.2/],
      [() => sparseEncode({ ...base, counts: Int32Array.of(4, 1), w }), /sparseEncode\.counts\[0\].*4/],
      [() => sparseEncode({ ...base, w: new Float64Array(5) }), /sparseEncode\.w.*length 5.*at least 6/],
      [() => sparseEncode({ ...base, w, out: new Float64Array(3) }), /sparseEncode\.out.*length 3.*at least 4/],
      [() => sparseGradient({ ...base, g: new Float64Array(3) }), /sparseGradient\.g.*length 3.*at least 4/],
      [() => sparseEncode({ ...base, x: undefined, w }), /sparseEncode\.x.*undefined.*at least 6.*values/],
      [
        () => sparseGradient({ ...base, values: new Float64Array(5), g: new Float64Array(4) }),
        /sparseGradient\.values.*length 5.*at least 6/,
      ],
      [() => sparseGradient({ ...base, rows: -1, g: new Float64Array(0) }), /sparseGradient\.rows/],
    ];
    for (const [call, message] of cases) {
      expect(call).toThrow(ValidationError);
      expect(call).toThrow(message);
    }
  });
});
