/**
 * Runs the Python baselines (numpy and PyTorch, Debian's /usr/bin/python3) in the same process run as the aecheck side,
 * validates what they report about themselves, and decides which ratios may be printed.
 *
 * Every baseline script prints a `runtime` block (benchmarks/baselines/blasinfo.py): the BLAS each library really ran
 * on (read from the shared objects mapped into the process, so Debian's reference BLAS is told apart from OpenBLAS),
 * OpenBLAS's core type and the thread count. A ratio is printed only when the baseline ran on an identified optimised
 * BLAS with the same number of threads as the aecheck side; otherwise the table says why there is none. A missing
 * interpreter or library is reported missing, never estimated.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { z } from 'zod';
import type { BackendId } from '../kernels/kernelSpecs.ts';
import type { BenchRow } from './runKernelBench.ts';

/** BLAS implementations blasinfo.py tells apart. `reference` is netlib (Debian's libblas3): about 6 GFLOP/s. */
export const BLAS_KINDS = ['openblas', 'mkl', 'blis', 'atlas', 'accelerate', 'reference', 'unknown', 'none'] as const;
export type BlasKind = (typeof BLAS_KINDS)[number];
/** The kinds a ratio may be taken against. */
const OPTIMISED_KINDS: ReadonlySet<BlasKind> = new Set(['openblas', 'mkl', 'blis', 'atlas', 'accelerate']);

/** The BLAS one library ran on, as blasinfo.py reports it. */
export const blasInfoSchema = z
  .object({
    kind: z.enum(BLAS_KINDS),
    /** Real paths of the BLAS-like shared objects mapped into the process. */
    libraries: z.array(z.string()),
    /** OpenBLAS's core type (`openblas_get_corename`), e.g. Haswell or Cooperlake; null when not OpenBLAS. */
    coretype: z.string().nullable(),
    /** OpenBLAS's `openblas_get_config()`, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH ... Haswell MAX_THREADS=64". */
    config: z.string().nullable(),
    /** Threads the BLAS itself reports (OpenBLAS), 1 for the reference BLAS, null when unknown. */
    threads: z.number().int().positive().nullable(),
    /** How the kind was found: "maps", or torch's build config for a statically linked MKL. */
    source: z.string(),
    /** torch's BLAS_INFO build setting (generic = libblas.so.3 through the alternatives system). */
    build: z.string().nullable().optional(),
    optimised: z.boolean(),
  })
  .refine((b) => b.optimised === OPTIMISED_KINDS.has(b.kind), {
    message: 'optimised must be true exactly for openblas, mkl, blis, atlas and accelerate',
    path: ['optimised'],
  });
export type BlasInfo = z.infer<typeof blasInfoSchema>;

/** One library of a baseline: version, BLAS, and the library's own thread count (torch.get_num_threads()). */
export const libraryRuntimeSchema = z.object({
  library: z.enum(['numpy', 'torch']),
  version: z.string(),
  blas: blasInfoSchema,
  threads: z.number().int().positive().nullable(),
});
export type LibraryRuntime = z.infer<typeof libraryRuntimeSchema>;

/** The `runtime` block every baseline script prints. */
export const runtimeSchema = z.object({
  python: z.string(),
  requestedThreads: z.number().int().positive(),
  cores: z.number().int().positive().nullable(),
  env: z.record(z.string(), z.string().nullable()),
  libraries: z.array(libraryRuntimeSchema),
});
export type BaselineRuntime = z.infer<typeof runtimeSchema>;

/** The interpreter with Debian's numpy and torch (the pyenv `python3` on PATH has neither). */
export const PYTHON = process.env.AECHECK_PYTHON ?? '/usr/bin/python3';
/** Environment variables that force an OpenBLAS core type / cache size; removed for the baselines only (see below). */
const OPENBLAS_OVERRIDES = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'] as const;

/** Every core of this machine: the "all cores" thread count of the tables. */
export function allCores(): number {
  return availableParallelism();
}

/** The thread counts every comparison reports: 1 and all cores (just 1 on a one-core machine). */
export function comparisonThreads(): number[] {
  return [...new Set([1, allCores()])];
}

/**
 * The environment of a baseline process: every BLAS/OpenMP pool pinned to `threads`, and OPENBLAS_CORETYPE and
 * OPENBLAS_L2_SIZE unset together (set in some environments, they force an older kernel and slow a current numpy; the
 * baseline should run on what OpenBLAS picks for this CPU, which it then reports). Only the child's environment
 * changes; tests and CI keep theirs.
 */
export function baselineEnv(threads: number, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const k of OPENBLAS_OVERRIDES) delete env[k];
  for (const k of ['OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'BLIS_NUM_THREADS'])
    env[k] = String(threads);
  return env;
}

/** A baseline script's answer: its validated JSON, or why there is none. */
export type ScriptResult<T> = { status: 'ok'; data: T } | { status: 'missing'; reason: string };

/**
 * Runs `script` (a path) with `args` under {@link PYTHON} in {@link baselineEnv}(threads) and validates its last stdout
 * line (JSON) with `schema`. A missing interpreter, a failing script or output that does not validate comes back as
 * `missing` with the reason (the first invalid field named), never as a number.
 */
export function runPythonScript<T>(
  script: string,
  args: readonly string[],
  threads: number,
  schema: z.ZodType<T>,
  timeoutMs = 600_000,
): ScriptResult<T> {
  if (!existsSync(PYTHON))
    return { status: 'missing', reason: `${PYTHON} not found (install Debian's python3, or set AECHECK_PYTHON)` };
  const run = spawnSync(PYTHON, [script, ...args], { env: baselineEnv(threads), encoding: 'utf8', timeout: timeoutMs });
  if (run.status !== 0) {
    const why = (run.stderr || String(run.error ?? `exit ${run.status}`)).trim().split('\n').pop();
    return { status: 'missing', reason: `baseline ${script.split('/').pop()} failed: ${why}` };
  }
  return parseBaselineOutput(run.stdout, schema);
}

/** Parses and validates a baseline's stdout (its last non-empty line is the JSON). */
export function parseBaselineOutput<T>(stdout: string, schema: z.ZodType<T>): ScriptResult<T> {
  const line = stdout.trim().split('\n').pop() ?? '';
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { status: 'missing', reason: `baseline printed no JSON (got ${JSON.stringify(line.slice(0, 80))})` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      status: 'missing',
      reason: `baseline output invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    };
  }
  return { status: 'ok', data: parsed.data };
}

/** "OpenBLAS 0.3.21 (Cooperlake)", "reference BLAS (netlib)", "MKL", ... */
export function blasLabel(blas: BlasInfo): string {
  switch (blas.kind) {
    case 'openblas': {
      const version = blas.config?.match(/OpenBLAS\s+([\d.]+)/)?.[1];
      return `OpenBLAS${version ? ` ${version}` : ''}${blas.coretype ? ` (${blas.coretype})` : ''}`;
    }
    case 'reference':
      return 'reference BLAS (netlib)';
    case 'mkl':
      return 'MKL';
    case 'blis':
      return 'BLIS';
    case 'atlas':
      return 'ATLAS';
    case 'accelerate':
      return 'Accelerate';
    case 'unknown':
      return `unidentified BLAS (${blas.libraries.join(', ') || 'no path'})`;
    case 'none':
      return 'no BLAS library mapped';
  }
}

/** Threads a library really ran on: its own count and the BLAS's must agree; null when they do not or are unknown. */
export function effectiveThreads(lib: LibraryRuntime): number | null {
  const counts = [lib.threads, lib.blas.threads].filter((t): t is number => t !== null);
  if (counts.length === 0) return null;
  return counts.every((t) => t === counts[0]) ? counts[0] : null;
}

function plural(n: number | null): string {
  return n === null ? 'unknown threads' : `${n} thread${n === 1 ? '' : 's'}`;
}

/** "numpy 1.24.2 on OpenBLAS 0.3.21 (Cooperlake), 1 thread". */
export function baselineLabel(lib: LibraryRuntime): string {
  const threads = effectiveThreads(lib);
  const detail =
    threads === null && (lib.threads !== null || lib.blas.threads !== null)
      ? `threads disagree: ${lib.library} ${lib.threads ?? '?'}, BLAS ${lib.blas.threads ?? '?'}`
      : plural(threads);
  return `${lib.library} ${lib.version} on ${blasLabel(lib.blas)}, ${detail}`;
}

/** One side of a comparison: a rate (or a time) and the threads it ran on. */
export interface Side {
  /** Steps/s, GFLOP/s, ... (`higherIsBetter`), or seconds (not). */
  value: number;
  /** Threads this side ran on. */
  threads: number;
}

/** A ratio aecheck ÷ baseline (above 1: aecheck faster), or why none is given. */
export type Ratio = { value: number; text: string } | { value: null; text: string };

/**
 * aecheck's speed over the baseline's (above 1 means aecheck is faster), or the reason there is none: a baseline on
 * the reference BLAS or an unidentified one, a thread count that differs from the aecheck side or from what was
 * asked, or a value that is not a positive finite number.
 */
export function compareSpeed(options: {
  /** The aecheck side. */
  aecheck: Side;
  /** The baseline's measurement at `threads` (asked for), with its runtime (the threads it really ran on must match). */
  baseline: Side & { library: LibraryRuntime };
  /** True for rates (steps/s), false for times (seconds): the ratio is then baseline ÷ aecheck. */
  higherIsBetter: boolean;
}): Ratio {
  const { aecheck, baseline, higherIsBetter } = options;
  const blas = baseline.library.blas;
  if (blas.kind === 'reference') return { value: null, text: 'reference BLAS — no ratio' };
  if (!blas.optimised) return { value: null, text: `${blasLabel(blas)} — no ratio` };
  const ran = effectiveThreads(baseline.library);
  if (ran !== baseline.threads)
    return { value: null, text: `baseline ran on ${plural(ran)}, asked for ${baseline.threads} — no ratio` };
  if (ran !== aecheck.threads)
    return { value: null, text: `threads differ (aecheck ${aecheck.threads}, baseline ${ran}) — no ratio` };
  const ok = (v: number) => Number.isFinite(v) && v > 0;
  if (!ok(aecheck.value) || !ok(baseline.value)) return { value: null, text: 'not measured — no ratio' };
  const value = higherIsBetter ? aecheck.value / baseline.value : baseline.value / aecheck.value;
  return { value, text: `${value >= 0.1 ? value.toFixed(2) : value.toPrecision(2)}×` };
}

/**
 * Threads an aecheck kernel backend uses for a dense product of `multiplyAdds` m·n·k: `wasm` and the gpu.js CPU modes
 * are single-threaded; `reference` splits products of at least 2²² multiply-adds over min(AECHECK_THREADS or cores, 8)
 * threads (src/kernels/reference/gemmPool.ts); `openblas` and `openblas:f32` use AECHECK_THREADS or every core. A backend that reports
 * its own thread count should be asked instead.
 */
export function backendThreads(
  backend: string,
  multiplyAdds = Number.POSITIVE_INFINITY,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const fromEnv = Number(env.AECHECK_THREADS);
  const wanted = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : allCores();
  if (backend === 'reference') return multiplyAdds >= 1 << 22 ? Math.min(wanted, 8) : 1;
  if (backend === 'openblas' || backend === 'openblas:f32') return wanted;
  return 1;
}

/** A baseline workload run at one thread count: its validated output and the runtime of the library it timed. */
export type LibraryBaseline<T> =
  | { status: 'ok'; threads: number; data: T; library: LibraryRuntime; label: string }
  | { status: 'missing'; threads: number; reason: string };

/**
 * Runs a baseline script that times one library (`library`) at `threads` threads and prints `{..., runtime}`; the
 * answer carries that library's runtime and its label ({@link baselineLabel}), or why it is missing.
 */
export function runLibraryBaseline<T extends { runtime: BaselineRuntime }>(options: {
  /** Path of the Python script. */
  script: string;
  /** Its arguments (the thread count included where the script takes one). */
  args: readonly string[];
  /** Threads for every BLAS/OpenMP pool of the process. */
  threads: number;
  /** Schema of the script's JSON line. */
  schema: z.ZodType<T>;
  /** The library timed. */
  library: 'numpy' | 'torch';
}): LibraryBaseline<T> {
  const { script, args, threads, schema, library } = options;
  const out = runPythonScript(script, args, threads, schema);
  if (out.status === 'missing') return { status: 'missing', threads, reason: out.reason };
  const lib = out.data.runtime.libraries.find((l) => l.library === library);
  if (!lib) return { status: 'missing', threads, reason: `the baseline reported no ${library} runtime` };
  return { status: 'ok', threads, data: out.data, library: lib, label: baselineLabel(lib) };
}

// ---- GEMM (benchmarks/baselines/gemm.py): `aecheck bench` and `npm run bench` ----

/** One GEMM baseline measurement. */
export const baselineRowSchema = z.object({
  library: z.enum(['numpy', 'torch']),
  dtype: z.enum(['float64', 'float32']),
  size: z.number().int().positive(),
  seconds: z.number().positive(),
  gflops: z.number().positive(),
});
export type BaselineRow = z.infer<typeof baselineRowSchema>;

const gemmOutputSchema = z.object({
  results: z.array(baselineRowSchema),
  missing: z.record(z.string(), z.string()),
  runtime: runtimeSchema,
});

/** The GEMM baseline's answer at one thread count. */
export type BaselineResult =
  | {
      status: 'ok';
      /** Threads asked for (each library's real count is in `runtime`). */
      threads: number;
      versions: Record<string, string>;
      rows: BaselineRow[];
      /** Libraries that are not installed, with the reason. */
      missing: Record<string, string>;
      runtime: BaselineRuntime;
    }
  | { status: 'missing'; threads: number; reason: string };

const GEMM_SCRIPT = fileURLToPath(new URL('../../benchmarks/baselines/gemm.py', import.meta.url));

/** Times numpy and PyTorch GEMM at `sizes` with `threads` BLAS threads (default 1). */
export function runPythonBaseline(sizes: readonly number[], threads = 1): BaselineResult {
  const out = runPythonScript(
    GEMM_SCRIPT,
    ['--sizes', sizes.join(','), '--threads', String(threads)],
    threads,
    gemmOutputSchema,
  );
  if (out.status === 'missing') return { status: 'missing', threads, reason: out.reason };
  const versions = Object.fromEntries(out.data.runtime.libraries.map((l) => [l.library, l.version]));
  return {
    status: 'ok',
    threads,
    versions,
    rows: out.data.results,
    missing: out.data.missing,
    runtime: out.data.runtime,
  };
}

/** The library runtime `library` reported in a baseline result, if it ran. */
export function libraryOf(result: BaselineResult, library: 'numpy' | 'torch'): LibraryRuntime | undefined {
  return result.status === 'ok' ? result.runtime.libraries.find((l) => l.library === library) : undefined;
}

/** A GEMM rate from aecheck: backend, size, GFLOP/s, and the threads it ran on. */
export interface GemmRate {
  backend: string;
  size: number;
  gflops: number;
  threads: number;
  /** float64 or float32 (the gpu.js backends compute in float32). */
  dtype: 'float64' | 'float32';
}

/** One cell of the GEMM comparison: aecheck's row against one baseline column. */
export interface GemmComparison {
  size: number;
  backend: string;
  backendThreads: number;
  dtype: 'float64' | 'float32';
  gflops: number;
  /** "numpy@1" → the ratio (aecheck ÷ the baseline at the row's dtype and 1 thread) or why there is none. */
  ratios: Record<string, Ratio>;
}

/** Column key of a baseline: library and threads asked for (the dtype is the aecheck row's). */
export function baselineColumn(library: string, threads: number): string {
  return `${library}@${threads}`;
}

/**
 * Every aecheck GEMM rate against every baseline column (library × threads) at the row's own dtype. A ratio is given
 * only at the same thread count and against an optimised BLAS; each other cell says why it is empty.
 */
export function compareGemm(rates: readonly GemmRate[], baselines: readonly BaselineResult[]): GemmComparison[] {
  return rates.map((r) => {
    const ratios: Record<string, Ratio> = {};
    for (const b of baselines) {
      if (b.status !== 'ok') continue;
      for (const row of b.rows.filter((x) => x.size === r.size && x.dtype === r.dtype)) {
        const library = libraryOf(b, row.library);
        if (!library) continue;
        ratios[baselineColumn(row.library, b.threads)] = compareSpeed({
          aecheck: { value: r.gflops, threads: r.threads },
          baseline: { value: row.gflops, threads: b.threads, library },
          higherIsBetter: true,
        });
      }
    }
    return { size: r.size, backend: r.backend, backendThreads: r.threads, dtype: r.dtype, gflops: r.gflops, ratios };
  });
}

/** One line per baseline run: "1 thread: numpy 1.24.2 on OpenBLAS 0.3.21 (Haswell), 1 thread; torch ...". */
export function describeBaselines(baselines: readonly BaselineResult[]): string[] {
  return baselines.map((b) => {
    const head = `baseline at ${plural(b.threads)}`;
    if (b.status === 'missing') return `${head}: missing — ${b.reason}`;
    const libs = b.runtime.libraries.map(baselineLabel);
    const missing = Object.entries(b.missing).map(([lib, why]) => `${lib} missing — ${why}`);
    const reference = b.runtime.libraries.some((l) => l.blas.kind === 'reference')
      ? ' [REFERENCE BLAS: not an optimised baseline, no ratios; install libopenblas0-pthread]'
      : '';
    return `${head}: ${[...libs, ...missing].join('; ')}${reference}`;
  });
}

/**
 * The GEMM rates of kernel-bench rows (`aecheck bench`), each with the threads it ran on ({@link backendThreads} of the
 * backend that really ran it) and its dtype (`precisionOf` the backend).
 */
export function gemmRatesOf(
  rows: readonly BenchRow[],
  precisionOf: (backend: BackendId) => 'float64' | 'float32',
): GemmRate[] {
  const out: GemmRate[] = [];
  for (const r of rows) {
    if (r.status !== 'ok' || r.kernel !== 'gemm') continue;
    out.push({
      backend: r.ranOn === r.backend ? r.backend : `${r.backend} (ran on ${r.ranOn})`,
      size: r.size,
      gflops: r.rate,
      threads: backendThreads(r.ranOn, r.size ** 3),
      dtype: precisionOf(r.ranOn),
    });
  }
  return out;
}

/**
 * The GEMM comparison as text: one line per baseline run naming each library's BLAS, core type and threads, then a
 * table of every aecheck row (with its threads and dtype) against every baseline column, a ratio where one is honest
 * and the reason where not ("reference BLAS — no ratio", "threads differ …").
 */
export function formatGemmComparison(
  comparison: readonly GemmComparison[],
  baselines: readonly BaselineResult[],
): string {
  const ok = baselines.filter((b) => b.status === 'ok');
  const fmt = (v: number | undefined) => (v === undefined ? '—' : v.toPrecision(3));
  const rawHead = ['GEMM size'];
  const rawCells: ((size: number) => string)[] = [];
  for (const b of ok)
    for (const library of [...new Set(b.rows.map((r) => r.library))])
      for (const dtype of [...new Set(b.rows.map((r) => r.dtype))]) {
        rawHead.push(`${library}@${b.threads} ${dtype}`);
        rawCells.push((size) =>
          fmt(b.rows.find((r) => r.library === library && r.dtype === dtype && r.size === size)?.gflops),
        );
      }
  const plain = { style: { head: [], border: [] } };
  const base = new Table({ head: rawHead, ...plain });
  for (const size of [...new Set(comparison.map((c) => c.size))]) base.push([size, ...rawCells.map((f) => f(size))]);
  const keys = [...new Set(comparison.flatMap((c) => Object.keys(c.ratios)))];
  const t = new Table({
    head: ['GEMM size', 'aecheck backend', 'threads', 'dtype', 'GFLOP/s', ...keys.map((k) => `÷ ${k}`)],
    ...plain,
  });
  for (const c of comparison)
    t.push([c.size, c.backend, c.backendThreads, c.dtype, fmt(c.gflops), ...keys.map((k) => c.ratios[k]?.text ?? '—')]);
  return [
    'Baselines, measured in this run (GFLOP/s; library@threads):',
    ...describeBaselines(baselines).map((l) => `  ${l}`),
    base.toString(),
    "aecheck ÷ baseline at the row's dtype (above 1× means aecheck is faster; a ratio only at equal threads, on an optimised BLAS):",
    t.toString(),
  ].join('\n');
}
