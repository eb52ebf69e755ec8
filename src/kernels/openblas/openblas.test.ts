import { availableParallelism } from 'node:os';
import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { composeAuto } from '../autoRule.ts';
import type { Backend } from '../kernelSpecs.ts';
import { probeByGemm } from '../probeGemm.ts';
import { getKernelSet, kernelSetOf } from '../registry.ts';
import { referenceBackend } from '../reference/index.ts';
import { threadCount } from '../threads.ts';
import { backendAvailability, randomArray } from '../../testing/testArrays.ts';
import { createOpenblasBackend } from './index.ts';
import { loadOpenblasLibrary, OPENBLAS_FIX, openblasLibrary } from './openblasLibrary.ts';

const { available, skipNote } = await backendAvailability('openblas');

describe('AECHECK_THREADS', () => {
  test('unset or empty means every core; a positive integer is taken as is', () => {
    expect(threadCount({})).toBe(availableParallelism());
    expect(threadCount({ AECHECK_THREADS: '' })).toBe(availableParallelism());
    expect(threadCount({ AECHECK_THREADS: '3' })).toBe(3);
  });
  test.each(['0', '-1', '1.5', 'two', '2x'])(
    '%s is refused with an error naming the variable, the value and the fix',
    (v) => {
      const call = () => threadCount({ AECHECK_THREADS: v });
      expect(call).toThrow(ValidationError);
      expect(call).toThrow(/AECHECK_THREADS/);
      expect(call).toThrow(new RegExp(`received "?${v.replace('.', '\\.')}"?`));
      expect(call).toThrow(/a positive integer/);
    },
  );
});

describe('OpenBLAS backend', () => {
  test('a missing library is a reason with the fix, never a crash, and everything falls back', () => {
    expect(() => loadOpenblasLibrary('libopenblas-missing.so.0')).toThrow(OPENBLAS_FIX);
    const probe = probeByGemm(
      () => createOpenblasBackend('float64', loadOpenblasLibrary('libopenblas-missing.so.0')),
      'OpenBLAS (float64)',
    );
    expect(probe.available).toBe(false);
    if (!probe.available) expect(probe.reason).toContain(`\`${OPENBLAS_FIX}\``);
    // auto without OpenBLAS: wasm's and the reference's kernels, the reference's bits, and the reasons say so.
    const auto = kernelSetOf(composeAuto(new Map<string, Backend>([['reference', referenceBackend]])));
    expect(Object.values(auto.resolved).every((id) => id === 'reference')).toBe(true);
    expect(auto.reasons.gemm).toMatch(/unavailable/);
  });

  test.skipIf(!available)(
    `openblas and openblas:f32 KernelSets: dense kernels their own, the rest on reference, visibly${skipNote}`,
    async () => {
      for (const id of ['openblas', 'openblas:f32']) {
        const ks = await getKernelSet(id);
        expect(ks.precision).toBe(id === 'openblas' ? 'float64' : 'float32');
        for (const name of ['gemm', 'aeForward', 'aeBackward'] as const) expect(ks.resolved[name]).toBe(id);
        for (const name of ['elementwise', 'reduce', 'sparseEncode', 'sparseGradient', 'onlineSgdStepper'] as const) {
          expect(ks.resolved[name]).toBe('reference');
          expect(ks.reasons[name]).toBe(`${id} lacks it: runs on reference`);
        }
      }
    },
  );

  // Repeated calls give the same bits. Across thread counts only some shapes do: this square one does, tied SGD's
  // 500×200×100 products do not (benchmarks/kernels/openblasThreadBits.ts), which is why verify pins one BLAS thread
  // per run (src/claims/pool/runPool.ts).
  test.skipIf(!available)(
    `deterministic: repeated calls give the same bits (and n = 160 on 1 or 2 threads)${skipNote}`,
    () => {
      const library = openblasLibrary();
      const before = library.threads();
      const ks = kernelSetOf(createOpenblasBackend('float64'));
      const n = 160;
      const args = { m: n, n, k: n, a: randomArray(n * n, 1), b: randomArray(n * n, 2), transB: true };
      try {
        library.setThreads(1);
        const one = ks.gemm(args);
        library.setThreads(2);
        const two = ks.gemm(args);
        const again = ks.gemm(args);
        expect(Array.from(two)).toEqual(Array.from(one));
        expect(Array.from(again)).toEqual(Array.from(two));
      } finally {
        library.setThreads(before);
      }
    },
  );

  test.skipIf(!available)(
    `auto: OpenBLAS for large dense products, wasm/reference for small ones and the rest, with reasons${skipNote}`,
    async () => {
      const auto = await getKernelSet('auto');
      expect(auto.precision).toBe('float64');
      expect(auto.resolved.gemm).toBe('openblas');
      expect(auto.resolved.sparseEncode).toBe('wasm');
      expect(auto.resolved.onlineSgdStepper).toBe('wasm');
      expect(auto.resolved.elementwise).toBe('reference');
      for (const reason of Object.values(auto.reasons)) expect(reason.length).toBeGreaterThan(10);
      // A small product takes wasm's path: the reference's bits exactly; a large one OpenBLAS's (within rounding).
      const reference = await getKernelSet('reference');
      const small = { m: 7, n: 5, k: 9, a: randomArray(63, 3), b: randomArray(45, 4) };
      expect(Array.from(auto.gemm(small))).toEqual(Array.from(reference.gemm(small)));
      const big = { m: 64, n: 64, k: 64, a: randomArray(4096, 5), b: randomArray(4096, 6) };
      const openblas = await getKernelSet('openblas');
      expect(Array.from(auto.gemm(big))).toEqual(Array.from(openblas.gemm(big)));
    },
  );

  test.skipIf(!available)(
    `auto:f32: float32 dense products on openblas:f32, the sparse kernels on wasm in float64, with the reason visible${skipNote}`,
    async () => {
      const auto = await getKernelSet('auto:f32');
      expect(auto.precision).toBe('float32');
      expect(auto.resolved.gemm).toBe('openblas:f32');
      expect(auto.resolved.aeBackward).toBe('openblas:f32');
      expect(auto.resolved.sparseEncode).toBe('wasm');
      expect(auto.resolved.sparseGradient).toBe('wasm');
      expect(auto.reasons.sparseEncode).toMatch(/summed in float64 in this float32 set/);
      const big = { m: 64, n: 64, k: 64, a: randomArray(4096, 5), b: randomArray(4096, 6) };
      const f32 = await getKernelSet('openblas:f32');
      expect(Array.from(auto.gemm(big))).toEqual(Array.from(f32.gemm(big)));
      expect(auto.route('gemm', big)).toBe('openblas:f32');
      expect(auto.route('gemm', { m: 4, n: 4, k: 4 })).toBe('wasm');
    },
  );
});

describe('float32 GEMM on Float32Array operands (NativeF32)', () => {
  test.skipIf(!available)(
    `gives the bits of openblas:f32's gemm (inputs rounded, output widened) on every routine: gemm, gemv, syrk, with transposes, α and β${skipNote}`,
    async () => {
      // auto:f32 routes small float64-array products to wasm (in float64); its Float32Array GEMM is openblas:f32's at
      // every size, so both are compared with openblas:f32's rounding gemm.
      const blas32 = await getKernelSet('openblas:f32');
      for (const id of ['openblas:f32', 'auto:f32'] as const) {
        const ks = await getKernelSet(id);
        const native = ks.f32;
        expect(native, `${id} has f32.gemm`).toBeDefined();
        if (!native) continue;
        const round = (x: Float64Array) => Float64Array.from(Float32Array.from(x));
        const cases = [
          { m: 37, n: 29, k: 41 },
          { m: 37, n: 29, k: 41, transA: true, alpha: -0.5 },
          { m: 37, n: 29, k: 41, transB: true, beta: 0.75 },
          { m: 37, n: 1, k: 41, transA: true, beta: -2 },
          { m: 1, n: 29, k: 41, transB: true },
          { m: 33, n: 33, k: 20, transB: true, symmetric: true, gram: true },
          { m: 33, n: 33, k: 20, transA: true, symmetric: true, gram: true, alpha: 2 },
        ];
        for (const [i, cse] of cases.entries()) {
          const { gram, ...shape } = cse as typeof cse & { gram?: boolean };
          const a = round(randomArray(shape.m * shape.k, 10 + i));
          const b = gram ? a : round(randomArray(shape.k * shape.n, 20 + i));
          const c = round(randomArray(shape.m * shape.n, 30 + i));
          const widened = blas32.gemm({ ...shape, a, b, c });
          const a32 = Float32Array.from(a);
          const out = native.gemm({
            ...shape,
            a: a32,
            b: gram ? a32 : Float32Array.from(b),
            c: Float32Array.from(c),
          });
          expect(out).toBeInstanceOf(Float32Array);
          // β·C is added in float64 by the widening gemm and in float32 here for a Gram product: one rounding apart.
          const rounded = Float32Array.from(widened);
          if (gram && (shape as { beta?: number }).beta) continue;
          expect(Array.from(out), `${id} case ${i}`).toEqual(Array.from(rounded));
        }
      }
    },
  );

  test.skipIf(!available)(`validates its arguments like every gemm${skipNote}`, async () => {
    const ks = await getKernelSet('openblas:f32');
    expect(() => ks.f32?.gemm({ m: 2, n: 2, k: 2, a: new Float32Array(3), b: new Float32Array(4) })).toThrow(
      /gemm\.a.*length 3.*length 4/s,
    );
  });

  test('float64 sets have none (their gemm takes Float64Array)', async () => {
    expect((await getKernelSet('reference')).f32).toBeUndefined();
  });
});
