/**
 * Runs the Python GEMM baseline (benchmarks/baselines/gemm.py with Debian's /usr/bin/python3) in the same process run
 * as the kernel benchmarks, so ratios are measured side by side. A missing interpreter or library is reported as
 * missing, never estimated.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One baseline measurement. */
export interface BaselineRow {
  library: 'numpy' | 'torch';
  dtype: 'float64' | 'float32';
  size: number;
  seconds: number;
  gflops: number;
}

/** The baseline's answer. */
export type BaselineResult =
  | {
      status: 'ok';
      threads: number;
      versions: Record<string, string>;
      rows: BaselineRow[];
      missing: Record<string, string>;
    }
  | { status: 'missing'; reason: string };

/** The interpreter with Debian's numpy and torch (the pyenv `python3` on PATH has neither). */
const PYTHON = process.env.AECHECK_PYTHON ?? '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../benchmarks/baselines/gemm.py', import.meta.url));
/** Baseline timeout: the four sizes in two dtypes and two libraries take about 10 s. */
const TIMEOUT_MS = 300_000;

/** Times numpy and PyTorch GEMM at `sizes` with `threads` BLAS threads (default 1, like the single-threaded JS backends). */
export function runPythonBaseline(sizes: readonly number[], threads = 1): BaselineResult {
  if (!existsSync(PYTHON)) return { status: 'missing', reason: `${PYTHON} not found (install Debian's python3)` };
  const env = {
    ...process.env,
    OPENBLAS_NUM_THREADS: String(threads),
    OMP_NUM_THREADS: String(threads),
    MKL_NUM_THREADS: String(threads),
  };
  const run = spawnSync(PYTHON, [SCRIPT, '--sizes', sizes.join(','), '--threads', String(threads)], {
    env,
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
  });
  if (run.status !== 0)
    return {
      status: 'missing',
      reason: `baseline script failed: ${(run.stderr || String(run.error)).trim().split('\n').pop()}`,
    };
  const parsed = JSON.parse(run.stdout) as {
    threads: number;
    numpy?: string;
    torch?: string;
    results: BaselineRow[];
    missing: Record<string, string>;
  };
  const versions: Record<string, string> = {};
  if (parsed.numpy) versions.numpy = parsed.numpy;
  if (parsed.torch) versions.torch = parsed.torch;
  return { status: 'ok', threads: parsed.threads, versions, rows: parsed.results, missing: parsed.missing };
}
