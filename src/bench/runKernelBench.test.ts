import { describe, expect, test } from 'vitest';
import { probeBackends } from '../kernels/registry.ts';
import { BENCH_KERNELS, runKernelBench } from './runKernelBench.ts';

describe('kernel benchmark runner', () => {
  test('every kernel is checked against the reference, then timed, on every available backend; a fallback is named', async () => {
    const rows = await runKernelBench({ sizes: [16], timeMs: 10 });
    const statuses = await probeBackends();
    for (const status of statuses) {
      const mine = rows.filter((r) => r.backend === status.id);
      if (!status.available) {
        expect(mine).toEqual([{ status: 'unavailable', backend: status.id, reason: status.reason }]);
        continue;
      }
      expect(mine.map((r) => (r.status === 'unavailable' ? '' : r.kernel)).sort()).toEqual([...BENCH_KERNELS].sort());
      for (const r of mine) {
        expect(r.status).toBe('ok');
        if (r.status !== 'ok') continue;
        expect(r.seconds).toBeGreaterThan(0);
        expect(r.rate).toBeGreaterThan(0);
        // wasm has gemm and the sparse kernels of its own; the gpu.js backends have all; the rest run on reference.
        const own = status.id !== 'wasm' || ['gemm', 'sparseEncode', 'sparseGradient'].includes(r.kernel);
        expect(r.ranOn).toBe(own ? status.id : 'reference');
      }
    }
  }, 120_000);
});
