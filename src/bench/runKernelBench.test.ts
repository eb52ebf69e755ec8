import { describe, expect, test } from 'vitest';
import { kernelSetOf, probeBackends } from '../kernels/registry.ts';
import { BENCH_KERNELS, runKernelBench } from './runKernelBench.ts';
import { scaledTimeout } from '../testing/scaledTimeout.ts';

describe('kernel benchmark runner', () => {
  test(
    'every kernel is checked against the reference, then timed, on every available backend; a fallback is named',
    async () => {
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
          // A backend's own kernel runs on it; one it lacks on reference; `auto` says which backend it chose. At size 16
          // every product is above auto's size thresholds, so the row names the KernelSet's `resolved` backend.
          const ks = kernelSetOf(status.backend);
          const own = status.backend.kernels[r.kernel] !== undefined && status.backend.resolved === undefined;
          expect(r.ranOn).toBe(ks.resolved[r.kernel]);
          if (status.backend.resolved === undefined) expect(r.ranOn).toBe(own ? status.id : 'reference');
          // A float32 set's GEMM is timed on Float32Array operands (kernels.f32), and its row says so.
          if (r.kernel === 'gemm' && ks.f32)
            expect(r.reason).toBe(
              `${ks.reasons.gemm}; timed on Float32Array operands (kernels.f32.gemm: no rounding copies)`,
            );
          else expect(r.reason).toBe(ks.reasons[r.kernel]);
        }
      }
    },
    scaledTimeout(120_000),
  );
});
