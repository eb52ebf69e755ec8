import { describe, expect, test } from 'vitest';
import { type BenchFile, benchCase, type BenchMetadata } from './benchFile.ts';
import { compareBenchRuns, formatBenchComparison, metadataDifferences } from './compareBenchRuns.ts';

const metadata: BenchMetadata = {
  createdAt: '2026-11-30T00:00:00.000Z',
  benchmark: 'kernels',
  command: 'aecheck bench',
  aecheckVersion: '0.1.0',
  gitCommit: null,
  node: 'v20.19.2',
  os: { platform: 'linux', release: '6.1', arch: 'x64' },
  cpu: { model: 'Test CPU', cores: 2 },
  threads: { aecheck: 1, baselines: [] },
  backends: [{ id: 'wasm', available: true, precision: 'float64' }],
  openblas: null,
  options: {},
};
const times = (median: number) => [0.9, 0.95, 1, 1.05, 1.1].map((f) => f * median);
const file = (cases: [string, number][], meta: Partial<BenchMetadata> = {}): BenchFile => ({
  format: 'aecheck-bench',
  version: 1,
  metadata: { ...metadata, ...meta },
  cases: cases.map(([id, median]) => benchCase(id, times(median))),
});

describe('comparing two benchmark runs', () => {
  test('matches cases by name, decides each, and lists the ones present in one run only', () => {
    const old = file([
      ['gemm/wasm/64', 1e-3],
      ['gemm/wasm/128', 8e-3],
      ['reduce/wasm/64', 1e-4],
    ]);
    const now = file([
      ['gemm/wasm/64', 1e-3],
      ['gemm/wasm/128', 16e-3],
      ['elementwise/wasm/64', 1e-4],
    ]);
    const c = compareBenchRuns(old, now, 0.1);
    expect(c.cases.map((x) => [x.id, x.result.decision])).toEqual([
      ['gemm/wasm/64', 'unchanged'],
      ['gemm/wasm/128', 'regressed'],
    ]);
    expect(c.regressions).toEqual(['gemm/wasm/128']);
    expect(c.onlyOld).toEqual(['reduce/wasm/64']);
    expect(c.onlyCurrent).toEqual(['elementwise/wasm/64']);
    expect(c.warnings).toEqual([]);
    const text = formatBenchComparison(c, 'saved.json', old.metadata);
    expect(text).toContain('1 of 2 cases regressed: gemm/wasm/128');
    expect(text).toContain('not measured now (in the saved file only): reduce/wasm/64');
    expect(text).toContain('new cases (not in the saved file): elementwise/wasm/64');
  });

  test('a different machine, Node, thread count, OpenBLAS or backend is a warning each', () => {
    const now: BenchMetadata = {
      ...metadata,
      node: 'v22.0.0',
      cpu: { model: 'Other CPU', cores: 8 },
      threads: { aecheck: 8, baselines: [1, 8] },
      openblas: { config: 'OpenBLAS 0.3.26', core: 'SkylakeX', threads: 8 },
      backends: [{ id: 'wasm', available: false, reason: 'no SIMD' }],
    };
    const w = metadataDifferences(metadata, now);
    expect(w).toEqual([
      'CPU model differs: saved "Test CPU", now "Other CPU"',
      'core count differs: saved 2, now 8',
      'Node version differs: saved "v20.19.2", now "v22.0.0"',
      'aecheck threads differs: saved 1, now 8',
      'baseline threads differs: saved [], now [1,8]',
      'OpenBLAS differs: saved null, now {"config":"OpenBLAS 0.3.26","core":"SkylakeX","threads":8}',
      'backend wasm was available, now unavailable (no SIMD)',
    ]);
    expect(metadataDifferences(metadata, metadata)).toEqual([]);
  });

  test('a file from another benchmark is refused', () => {
    expect(() => compareBenchRuns(file([], { benchmark: 'refinetti2022-ode' }), file([]), 0.1)).toThrow(
      /metadata\.benchmark: received "refinetti2022-ode", expected a file saved by the same benchmark \(kernels\)/,
    );
  });
});
