import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  BLAS_KINDS,
  type BaselineResult,
  baselineEnv,
  baselineLabel,
  blasLabel,
  compareGemm,
  compareSpeed,
  describeBaselines,
  formatGemmComparison,
  gemmRatesOf,
  type LibraryRuntime,
  libraryRuntimeSchema,
  parseBaselineOutput,
  runPythonBaseline,
  runtimeSchema,
} from './runPythonBaseline.ts';
import { scaledTimeout } from '../testing/scaledTimeout.ts';

/** What blasinfo.py prints for numpy on Debian's OpenBLAS (taken from a real run). */
function numpyOn(kind: 'openblas' | 'reference' | 'unknown', threads = 1): LibraryRuntime {
  const blas = {
    openblas: {
      kind: 'openblas' as const,
      libraries: ['/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so'],
      coretype: 'Cooperlake',
      config: 'OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64',
      threads,
      source: 'maps',
      optimised: true,
    },
    reference: {
      kind: 'reference' as const,
      libraries: ['/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0'],
      coretype: null,
      config: null,
      threads: 1,
      source: 'maps',
      optimised: false,
    },
    unknown: {
      kind: 'unknown' as const,
      libraries: ['/opt/x/libblas.so.3'],
      coretype: null,
      config: null,
      threads: null,
      source: 'maps',
      optimised: false,
    },
  }[kind];
  return libraryRuntimeSchema.parse({ library: 'numpy', version: '1.24.2', blas, threads });
}

describe('parseBaselineOutput', () => {
  const schema = z.object({ runtime: runtimeSchema });
  const runtime = {
    python: '3.11.2',
    requestedThreads: 1,
    cores: 2,
    env: { OPENBLAS_NUM_THREADS: '1', OPENBLAS_CORETYPE: null },
    libraries: [numpyOn('openblas')],
  };

  it('accepts a valid runtime block on the last line', () => {
    const r = parseBaselineOutput(`warming up\n${JSON.stringify({ runtime })}\n`, schema);
    expect(r.status).toBe('ok');
  });

  it('reports output that is not JSON as missing, with what it got', () => {
    const r = parseBaselineOutput('Traceback ...', schema);
    expect(r).toEqual({ status: 'missing', reason: expect.stringContaining('no JSON') });
  });

  it('names the invalid field', () => {
    const bad = structuredClone(runtime) as { libraries: { blas: { kind: string } }[] };
    bad.libraries[0].blas.kind = 'fastblas';
    const r = parseBaselineOutput(JSON.stringify({ runtime: bad }), schema);
    expect(r.status).toBe('missing');
    expect(r.status === 'missing' && r.reason).toMatch(/runtime\.libraries\.0\.blas\.kind/);
  });

  it('rejects a reference BLAS that claims to be optimised', () => {
    const lying = { ...numpyOn('reference'), blas: { ...numpyOn('reference').blas, optimised: true } };
    expect(libraryRuntimeSchema.safeParse(lying).success).toBe(false);
  });
});

describe('labels', () => {
  it('names the BLAS, its core type and the threads', () => {
    expect(baselineLabel(numpyOn('openblas'))).toBe('numpy 1.24.2 on OpenBLAS 0.3.21 (Cooperlake), 1 thread');
    expect(baselineLabel(numpyOn('openblas', 2))).toBe('numpy 1.24.2 on OpenBLAS 0.3.21 (Cooperlake), 2 threads');
    expect(blasLabel(numpyOn('reference').blas)).toBe('reference BLAS (netlib)');
  });

  it('says when the library and its BLAS disagree on threads', () => {
    const lib = { ...numpyOn('openblas', 2), threads: 1 };
    expect(baselineLabel(lib)).toMatch(/threads disagree: numpy 1, BLAS 2/);
  });
});

describe('compareSpeed', () => {
  const js = { value: 20, threads: 1 };

  it('gives aecheck ÷ baseline for rates and baseline ÷ aecheck for times', () => {
    const baseline = { value: 50, threads: 1, library: numpyOn('openblas') };
    expect(compareSpeed({ aecheck: js, baseline, higherIsBetter: true })).toEqual({ value: 0.4, text: '0.40×' });
    expect(compareSpeed({ aecheck: { value: 2, threads: 1 }, baseline, higherIsBetter: false }).value).toBe(25);
  });

  it('gives no ratio against the reference BLAS, and says so', () => {
    const r = compareSpeed({
      aecheck: js,
      baseline: { value: 6, threads: 1, library: numpyOn('reference') },
      higherIsBetter: true,
    });
    expect(r).toEqual({ value: null, text: 'reference BLAS — no ratio' });
  });

  it('gives no ratio against an unidentified BLAS', () => {
    const r = compareSpeed({
      aecheck: js,
      baseline: { value: 6, threads: 1, library: numpyOn('unknown') },
      higherIsBetter: true,
    });
    expect(r.value).toBeNull();
    expect(r.text).toMatch(/unidentified BLAS .* — no ratio/);
  });

  it('gives no ratio when the thread counts differ', () => {
    const r = compareSpeed({
      aecheck: js,
      baseline: { value: 80, threads: 2, library: numpyOn('openblas', 2) },
      higherIsBetter: true,
    });
    expect(r).toEqual({ value: null, text: 'threads differ (aecheck 1, baseline 2) — no ratio' });
  });

  it('gives no ratio when the baseline did not run on the threads asked for', () => {
    const r = compareSpeed({
      aecheck: { value: 20, threads: 2 },
      baseline: { value: 80, threads: 2, library: numpyOn('openblas', 1) },
      higherIsBetter: true,
    });
    expect(r.text).toBe('baseline ran on 1 thread, asked for 2 — no ratio');
  });

  it('gives no ratio for a value that was not measured', () => {
    const baseline = { value: 50, threads: 1, library: numpyOn('openblas') };
    expect(compareSpeed({ aecheck: { value: Number.NaN, threads: 1 }, baseline, higherIsBetter: true }).value).toBe(
      null,
    );
  });
});

describe('compareGemm', () => {
  const runtimeWith = (lib: LibraryRuntime, threads: number) => ({
    python: '3.11.2',
    requestedThreads: threads,
    cores: 2,
    env: {},
    libraries: [lib],
  });
  const ok = (lib: LibraryRuntime, threads: number, gflops: number): BaselineResult => ({
    status: 'ok',
    threads,
    versions: { numpy: '1.24.2' },
    rows: [
      { library: 'numpy', dtype: 'float64', size: 512, seconds: 1, gflops },
      { library: 'numpy', dtype: 'float32', size: 512, seconds: 1, gflops: 2 * gflops },
    ],
    missing: { torch: 'python3-torch is not installed' },
    runtime: runtimeWith(lib, threads),
  });

  it("takes ratios only at the same threads, at the row's dtype, on an optimised BLAS", () => {
    const baselines = [ok(numpyOn('openblas', 1), 1, 50), ok(numpyOn('openblas', 2), 2, 90)];
    const [wasm] = compareGemm([{ backend: 'wasm', size: 512, gflops: 20, threads: 1, dtype: 'float64' }], baselines);
    expect(wasm.ratios['numpy@1'].text).toBe('0.40×');
    expect(wasm.ratios['numpy@2'].text).toBe('threads differ (aecheck 1, baseline 2) — no ratio');
    // The float32 rows (twice as fast) are compared with float32 backends only.
    const [f32] = compareGemm(
      [{ backend: 'gpujs:webasm', size: 512, gflops: 20, threads: 1, dtype: 'float32' }],
      baselines,
    );
    expect(f32.ratios['numpy@1'].text).toBe('0.20×');
  });

  it('labels a reference-BLAS baseline and takes no ratio from it', () => {
    const baselines = [ok(numpyOn('reference'), 1, 6)];
    const [row] = compareGemm([{ backend: 'wasm', size: 512, gflops: 20, threads: 1, dtype: 'float64' }], baselines);
    expect(row.ratios['numpy@1']).toEqual({ value: null, text: 'reference BLAS — no ratio' });
    const [line] = describeBaselines(baselines);
    expect(line).toMatch(/reference BLAS \(netlib\)/);
    expect(line).toMatch(/REFERENCE BLAS: not an optimised baseline, no ratios/);
    expect(line).toMatch(/torch missing — python3-torch is not installed/);
  });

  it('reports a missing baseline as missing, with no ratio', () => {
    const missing: BaselineResult = { status: 'missing', threads: 1, reason: '/usr/bin/python3 not found' };
    const [row] = compareGemm([{ backend: 'wasm', size: 512, gflops: 20, threads: 1, dtype: 'float64' }], [missing]);
    expect(row.ratios).toEqual({});
    expect(describeBaselines([missing])).toEqual(['baseline at 1 thread: missing — /usr/bin/python3 not found']);
  });
});

describe('baselineEnv', () => {
  it('pins the thread pools and unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE together, leaving the rest', () => {
    const env = baselineEnv(2, { OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '512', PATH: '/bin' });
    expect(env.OPENBLAS_CORETYPE).toBeUndefined();
    expect(env.OPENBLAS_L2_SIZE).toBeUndefined();
    expect(env.PATH).toBe('/bin');
    expect([env.OPENBLAS_NUM_THREADS, env.OMP_NUM_THREADS, env.MKL_NUM_THREADS]).toEqual(['2', '2', '2']);
  });
});

describe('runPythonBaseline (the real script)', () => {
  it(
    'returns validated rows with the BLAS each library ran on, or says why it is missing',
    () => {
      const r = runPythonBaseline([16], 1);
      if (r.status === 'missing') {
        expect(r.reason.length).toBeGreaterThan(0);
        return;
      }
      expect(r.runtime.requestedThreads).toBe(1);
      for (const lib of r.runtime.libraries) {
        expect(BLAS_KINDS).toContain(lib.blas.kind);
        expect(r.rows.some((row) => row.library === lib.library && row.size === 16)).toBe(true);
      }
      // Unset for the baseline only, together.
      expect(r.runtime.env.OPENBLAS_CORETYPE ?? null).toBeNull();
      expect(r.runtime.env.OPENBLAS_L2_SIZE ?? null).toBeNull();
    },
    scaledTimeout(60_000),
  );
});

describe('formatGemmComparison', () => {
  it("names the BLAS and threads of every baseline and both sides' threads in the table", () => {
    const lib = numpyOn('reference');
    const baselines: BaselineResult[] = [
      {
        status: 'ok',
        threads: 1,
        versions: { numpy: '1.24.2' },
        rows: [{ library: 'numpy', dtype: 'float64', size: 64, seconds: 1, gflops: 6 }],
        missing: {},
        runtime: { python: '3.11.2', requestedThreads: 1, cores: 1, env: {}, libraries: [lib] },
      },
    ];
    const text = formatGemmComparison(
      compareGemm([{ backend: 'wasm', size: 64, gflops: 20, threads: 1, dtype: 'float64' }], baselines),
      baselines,
    );
    expect(text).toMatch(/numpy 1\.24\.2 on reference BLAS \(netlib\), 1 thread/);
    expect(text).toMatch(/÷ numpy@1/);
    expect(text).toMatch(/reference BLAS — no ratio/);
    expect(text).not.toMatch(/3\.33×/);
  });
});

describe('gemmRatesOf', () => {
  it('gives each GEMM row the threads and dtype of the backend that really ran it', () => {
    const ok = (backend: 'wasm' | 'reference' | 'gpujs:cpu', ranOn: typeof backend, size: number) => ({
      status: 'ok' as const,
      kernel: 'gemm' as const,
      backend,
      ranOn,
      reason: 'test row',
      size,
      seconds: 1,
      relativeError: 0,
      rate: 10,
      rateUnit: 'GFLOP/s' as const,
      samples: 1,
      timing: { count: 1, median: 1, q1: 1, q3: 1, iqr: 0, mad: 0, min: 1, max: 1 },
      sampleSeconds: [1],
    });
    const rates = gemmRatesOf(
      [
        ok('wasm', 'wasm', 512),
        ok('reference', 'reference', 64),
        ok('reference', 'reference', 512),
        ok('gpujs:cpu', 'gpujs:cpu', 512),
        { status: 'unavailable', backend: 'gpujs:webgpu', reason: 'no Dawn' },
      ],
      (id) => (id.startsWith('gpujs') ? 'float32' : 'float64'),
    );
    const cores = Math.min(Number(process.env.AECHECK_THREADS) || availableParallelism(), 8);
    expect(rates.map((r) => [r.backend, r.size, r.threads, r.dtype])).toEqual([
      ['wasm', 512, 1, 'float64'],
      ['reference', 64, 1, 'float64'],
      ['reference', 512, cores, 'float64'],
      ['gpujs:cpu', 512, 1, 'float32'],
    ]);
  });
});
