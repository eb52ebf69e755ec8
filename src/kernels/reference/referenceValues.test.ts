/**
 * The reference kernels against values computed independently of them: hand-derived numbers and naive loops written
 * here. The conformance property (properties/kernels.property.ts) compares each backend with the reference, so an op
 * that a backend forwards to the reference (elementwise and reduce on the wasm and OpenBLAS backends; every op where
 * gpu.js is unavailable) compares the reference with itself, and a wrong reference passes it. Mutation testing found
 * these gaps (docs/mutation.md, "Reference kernels (third session, 2026-11-30)").
 */
import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { createRng } from '../../core/rng.ts';
import type { ElementwiseOp } from '../kernelSpecs.ts';
import { elementwise } from './elementwise.ts';
import { gemm } from './gemm.ts';
import { gemmTiles } from './gemmTiles.ts';
import { PARALLEL_THRESHOLD } from './gemmPool.ts';
import { reduce } from './reduce.ts';

/** C = alpha·op(A)·op(B) + beta·C by the triple loop, in the reference's order (sum over p, then ·alpha, then +beta·c). */
function naive(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  opts: { transA?: boolean; transB?: boolean; alpha?: number; beta?: number; c?: Float64Array } = {},
): Float64Array {
  const { transA = false, transB = false, alpha = 1, beta = 0, c } = opts;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
      out[i * n + j] = alpha * s + (beta !== 0 && c ? beta * c[i * n + j] : 0);
    }
  return out;
}

function normal(length: number, seed: number): Float64Array {
  const x = new Float64Array(length);
  createRng(seed).fillNormal(x);
  return x;
}

describe('reference elementwise against hand-computed values', () => {
  const x = Float64Array.from([-1, 0, 1, 2, 0.5]);
  const y = Float64Array.from([3, -2, 0.25, 4, -1]);
  const alpha = 2.5;
  /** erf(x/√2) = P(|Z| < x) for a standard normal Z: 0.6826894921370859 at 1, 0.9544997361036416 at 2. */
  const ERF = [-0.6826894921370859, 0, 0.6826894921370859, 0.9544997361036416, 0.3829249225480262];
  const dErf = (v: number) => Math.sqrt(2 / Math.PI) * Math.exp(-0.5 * v * v);
  const want: Record<ElementwiseOp, number[]> = {
    linear: [-1, 0, 1, 2, 0.5],
    erf: ERF,
    relu: [0, 0, 1, 2, 0.5],
    sign: [-1, 0, 1, 1, 1],
    dLinear: [1, 1, 1, 1, 1],
    dErf: [dErf(-1), dErf(0), dErf(1), dErf(2), dErf(0.5)],
    // ReLU's derivative is 1[x > 0]: 0 at x = 0.
    dRelu: [0, 0, 1, 1, 1],
    dSign: [0, 0, 0, 0, 0],
    arcsin: [], // below, on [−1, 1]
    square: [1, 0, 1, 4, 0.25],
    scale: [-2.5, 0, 2.5, 5, 1.25],
    add: [2, -2, 1.25, 6, -0.5],
    mul: [-3, -0, 0.25, 8, -0.5],
    axpy: [0.5, -2, 2.75, 9, 0.25],
  };
  for (const op of Object.keys(want) as ElementwiseOp[]) {
    if (op === 'arcsin') continue;
    test(`${op} (alpha = 2.5, y given)`, () => {
      const got = Array.from(elementwise({ op, x, y, alpha }));
      expect(got.length).toBe(5);
      for (let i = 0; i < 5; i++) expect(Math.abs(got[i] - want[op][i])).toBeLessThanOrEqual(1e-15);
    });
  }
  test('arcsin: −π/2, −π/6, 0, π/6, π/2; NaN outside [−1, 1]', () => {
    const got = elementwise({ op: 'arcsin', x: Float64Array.from([-1, -0.5, 0, 0.5, 1, 1.5]) });
    const w = [-Math.PI / 2, -Math.PI / 6, 0, Math.PI / 6, Math.PI / 2];
    for (let i = 0; i < 5; i++) expect(Math.abs(got[i] - w[i])).toBeLessThanOrEqual(4e-16);
    expect(got[5]).toBeNaN();
  });
  test.each(['add', 'mul', 'axpy'] as ElementwiseOp[])('%s rejects a missing y and a y of the wrong length', (op) => {
    expect(() => elementwise({ op, x })).toThrow(ValidationError);
    expect(() => elementwise({ op, x })).toThrow(
      `elementwise.y: received undefined (missing), expected length 5 for op ${op}`,
    );
    expect(() => elementwise({ op, x, y: new Float64Array(4) })).toThrow(
      `elementwise.y: received "length 4", expected length 5 for op ${op}`,
    );
    expect(() => elementwise({ op, x, y: new Float64Array(6) })).toThrow(ValidationError);
  });
});

describe('reference reduce against hand-computed values', () => {
  // 2×3, every entry negative: a max starting from 0 instead of −∞ would give 0.
  const neg = Float64Array.from([-3, -1, -2, -6, -5, -4]);
  const pos = Float64Array.from([3, 1, 2, 6, 5, 4]);
  test.each([
    ['all', [-1], [1]],
    ['rows', [-1, -4], [1, 4]],
    ['cols', [-3, -1, -2], [3, 1, 2]],
  ] as const)('max of negatives and min of positives over %s', (axis, wantMax, wantMin) => {
    expect(Array.from(reduce({ op: 'max', x: neg, rows: 2, cols: 3, axis }))).toEqual(wantMax);
    expect(Array.from(reduce({ op: 'min', x: pos, rows: 2, cols: 3, axis }))).toEqual(wantMin);
  });
  test('max and min of an empty set are −∞ and +∞', () => {
    expect(Array.from(reduce({ op: 'max', x: new Float64Array(0), rows: 0, cols: 3, axis: 'all' }))).toEqual([
      -Infinity,
    ]);
    expect(Array.from(reduce({ op: 'min', x: new Float64Array(0), rows: 0, cols: 3, axis: 'all' }))).toEqual([
      Infinity,
    ]);
  });
});

describe('reference gemm: flags and edge cases against the triple loop', () => {
  test('alpha ∉ {0, 1} and beta ≠ 0, every transpose, exactly', () => {
    const [m, n, k] = [6, 5, 7];
    const c = normal(m * n, 3);
    for (const transA of [false, true])
      for (const transB of [false, true])
        for (const [alpha, beta] of [
          [2.5, 0],
          [-1.5, 0.75],
          [1, -2],
        ]) {
          const a = normal(m * k, 4);
          const b = normal(k * n, 5);
          const opts = { transA, transB, alpha, beta, ...(beta !== 0 ? { c } : {}) };
          expect(Array.from(gemm({ m, n, k, a, b, ...opts }))).toEqual(Array.from(naive(m, n, k, a, b, opts)));
        }
  });
  test('alpha = 0 reads neither A nor B: NaN and ∞ there do not reach C', () => {
    const a = Float64Array.from([Number.NaN, 1, Infinity, 2]);
    const b = Float64Array.from([1, Number.NaN, -Infinity, 3]);
    const c = Float64Array.from([1, -2, 3, 4]);
    expect(Array.from(gemm({ m: 2, n: 2, k: 2, a, b, alpha: 0 }))).toEqual([0, 0, 0, 0]);
    expect(Array.from(gemm({ m: 2, n: 2, k: 2, a, b, alpha: 0, beta: 0.5, c }))).toEqual([0.5, -1, 1.5, 2]);
  });
  test('beta = 0 ignores C: NaN and ∞ there do not reach the result', () => {
    const a = Float64Array.from([1, 2, 3, 4]);
    const b = Float64Array.from([5, 6, 7, 8]);
    const c = Float64Array.from([Number.NaN, Infinity, 1, 2]);
    expect(Array.from(gemm({ m: 2, n: 2, k: 2, a, b, beta: 0, c }))).toEqual([19, 22, 43, 50]);
  });
  test('k = 0 gives beta·C (+0 where beta = 0, whatever the sign of alpha); m = 0 and n = 0 give empty arrays', () => {
    const empty = new Float64Array(0);
    const got = gemm({ m: 2, n: 2, k: 0, a: empty, b: empty, alpha: -2 });
    expect(Array.from(got, (v) => Object.is(v, 0))).toEqual([true, true, true, true]);
    const c = Float64Array.from([1, -2, 3, 4]);
    expect(Array.from(gemm({ m: 2, n: 2, k: 0, a: empty, b: empty, alpha: -2, beta: 3, c }))).toEqual([3, -6, 9, 12]);
    expect(gemm({ m: 0, n: 3, k: 2, a: empty, b: new Float64Array(6) }).length).toBe(0);
    expect(gemm({ m: 3, n: 0, k: 2, a: new Float64Array(6), b: empty }).length).toBe(0);
  });
  test('symmetric is ignored when m ≠ n, and absent or false means the full product of a non-symmetric square', () => {
    // m ≠ n: the flag cannot apply (a Gram matrix is square); the result is the full product.
    const a = normal(3 * 4, 6);
    const b = normal(4 * 5, 7);
    expect(Array.from(gemm({ m: 3, n: 5, k: 4, a, b, symmetric: true }))).toEqual(Array.from(naive(3, 5, 4, a, b)));
    // Square but not symmetric: without the flag (or with it false) the lower triangle is computed, not mirrored.
    const s = normal(6 * 3, 8);
    const t = normal(3 * 6, 9);
    const want = Array.from(naive(6, 6, 3, s, t));
    expect(Array.from(gemm({ m: 6, n: 6, k: 3, a: s, b: t }))).toEqual(want);
    expect(Array.from(gemm({ m: 6, n: 6, k: 3, a: s, b: t, symmetric: false }))).toEqual(want);
  });
  // Under Stryker the worker source (gemmTiles.toString()) is the instrumented text, which calls helpers that exist only
  // in the test process: the worker would throw and the main thread wait for it forever. Run this only on plain code.
  test.skipIf(gemmTiles.toString().includes('stryMutAct'))(
    'a product above the thread-split threshold (rows split between threads) equals the triple loop, symmetric too',
    () => {
      const [m, n, k] = [163, 165, 162];
      expect(m * n * k).toBeGreaterThanOrEqual(PARALLEL_THRESHOLD);
      // A is a view at an offset into a longer buffer: the workers must read the view, not the buffer from its start.
      const a = normal(m * k + 7, 10).subarray(7);
      const b = normal(k * n, 11);
      expect(Array.from(gemm({ m, n, k, a, b }))).toEqual(Array.from(naive(m, n, k, a, b)));
      const x = normal(170 * 150, 12);
      const gram = gemm({ m: 170, n: 170, k: 150, a: x, b: x, transB: true, symmetric: true });
      expect(Array.from(gram)).toEqual(Array.from(naive(170, 170, 150, x, x, { transB: true })));
    },
  );
});
