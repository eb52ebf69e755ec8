import { describe, expect, test } from 'vitest';
import { formatKernelBench } from './formatKernelBench.ts';
import type { BenchRow } from './runKernelBench.ts';

const ok = (backend: string, size: number, ranOn = backend): BenchRow => ({
  status: 'ok',
  kernel: 'gemm',
  backend,
  ranOn,
  reason: 'test',
  size,
  seconds: 1e-3 * size,
  relativeError: 0,
  rate: 100 / size,
  rateUnit: 'GFLOP/s',
  samples: 3,
  timing: {
    count: 3,
    median: 1e-3 * size,
    q1: 0.9e-3 * size,
    q3: 1.1e-3 * size,
    iqr: 0.2e-3 * size,
    mad: 0,
    min: 0,
    max: 1,
  },
  sampleSeconds: [1e-3 * size],
});

describe('the kernel bench table', () => {
  test('one table per kernel, backends down and sizes across; every unavailable backend with its whole reason', () => {
    const reason =
      'the webgpu module (Dawn) cannot load on this system: GLIBCXX_3.4.32 not found (fix: install a newer libstdc++6, or use another backend)';
    const text = formatKernelBench([
      ok('reference', 16),
      ok('reference', 32),
      ok('wasm', 16, 'reference'),
      { status: 'wrong', kernel: 'gemm', backend: 'wasm', size: 32, relativeError: 1e-3, allowed: 1e-12 },
      { status: 'unavailable', backend: 'gpujs:webgpu', reason },
    ]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^gemm: /);
    expect(lines.find((l) => l.includes('size 16'))).toMatch(/backend\s+│\s+size 16\s+│\s+size 32/);
    expect(text).toMatch(/reference\s+│ 6\.25 GFLOP\/s\s+│ 3\.13 GFLOP\/s/);
    expect(text).toMatch(/16\.0 ms ±10%/);
    expect(text).toContain('ran on reference');
    expect(text).toContain('WRONG RESULT');
    expect(text).toContain(`  gpujs:webgpu: ${reason}`);
    expect(text).not.toContain('\u001b['); // plain by default: no ANSI colour
  });
});
