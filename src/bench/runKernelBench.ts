/**
 * Kernel benchmarks: every selected kernel × available backend × size, timed with tinybench after its result has been
 * checked against the float64 reference. GEMM reports GFLOP/s (2·m·n·k per call).
 */
import { Bench } from 'tinybench';
import { createRng } from '../core/rng.ts';
import { EPS32, EPS64, frobeniusRelativeError } from '../core/tolerance.ts';
import type { BackendId, KernelName, KernelSet } from '../kernels/kernelSpecs.ts';
import { getKernelSet, probeBackends } from '../kernels/registry.ts';
import { sampleBatch } from '../sim/persianrug2024/trainToyModel.ts';

/** Kernels the benchmark knows how to feed. */
export const BENCH_KERNELS = [
  'gemm',
  'aeForward',
  'aeBackward',
  'elementwise',
  'reduce',
  'sparseEncode',
  'sparseGradient',
] as const satisfies readonly KernelName[];
export type BenchKernel = (typeof BENCH_KERNELS)[number];

/** One benchmark row. */
export type BenchRow =
  | {
      status: 'ok';
      kernel: BenchKernel;
      backend: BackendId;
      /**
       * The backend that ran the kernel at this size: `backend`, `reference` where the backend lacks it (the registry's
       * fallback), or the one the composite `auto` chose.
       */
      ranOn: BackendId;
      /** Why it ran there (the KernelSet's reason: own kernel, fallback, or `auto`'s rule with its measured numbers). */
      reason: string;
      size: number;
      /** Median time per call, seconds. */
      seconds: number;
      /** Relative Frobenius error against the reference (checked before timing). */
      relativeError: number;
      /** GFLOP/s (GEMM), or millions of elements per second (the others). */
      rate: number;
      rateUnit: 'GFLOP/s' | 'Melem/s';
      samples: number;
    }
  | { status: 'wrong'; kernel: BenchKernel; backend: BackendId; size: number; relativeError: number; allowed: number }
  | { status: 'unavailable'; backend: BackendId; reason: string };

/** Options of {@link runKernelBench}. */
export interface KernelBenchOptions {
  /** Kernels to time (default all). */
  kernels?: readonly BenchKernel[];
  /** Backends (default every available one). */
  backends?: readonly BackendId[];
  /**
   * Sizes: GEMM is size×size×size; the autoencoder uses batch = size, D = size, K = 8; maps use size² entries; the
   * sparse kernels take a size×size X with a 5% fraction of nonzeros (the Persian rug's p = 0.05) and size/8 outputs.
   */
  sizes?: readonly number[];
  /** Minimum time per task in ms (default 300). */
  timeMs?: number;
  /** Called after each row. */
  onRow?: (row: BenchRow) => void;
}

/** Hidden units of the autoencoder workload. */
const BENCH_HIDDEN = 8;
/** Fraction of nonzeros of the sparse kernels' X (the Persian rug's training benchmark uses p = 0.05). */
const BENCH_DENSITY = 0.05;
/** Relative error allowed before timing: a float32 backend may lose (reduction length)·EPS32. */
function allowedError(ks: KernelSet, length: number): number {
  return 4 * (length + 2) * (ks.precision === 'float32' ? EPS32 : EPS64);
}

interface Workload {
  run: (ks: KernelSet) => Float64Array;
  /** The kernel's arguments (for `KernelSet.route`: which backend a composite sends them to). */
  args?: unknown;
  flops: number;
  elements: number;
  reductionLength: number;
}

function workload(kernel: BenchKernel, size: number): Workload {
  const rng = createRng(size * 31 + kernel.length);
  const fill = (n: number) => {
    const a = new Float64Array(n);
    rng.fillNormal(a);
    return a;
  };
  switch (kernel) {
    case 'gemm': {
      const args = { m: size, n: size, k: size, a: fill(size * size), b: fill(size * size) };
      return {
        run: (ks) => ks.gemm(args),
        args,
        flops: 2 * size ** 3,
        elements: size * size,
        reductionLength: size,
      };
    }
    case 'aeForward':
    case 'aeBackward': {
      const args = {
        batch: size,
        inputDim: size,
        hidden: BENCH_HIDDEN,
        x: fill(size * size),
        w: fill(BENCH_HIDDEN * size),
        v: fill(size * BENCH_HIDDEN),
        activation: 'erf' as const,
      };
      const flops = 4 * size * size * BENCH_HIDDEN * (kernel === 'aeBackward' ? 3 : 1);
      return kernel === 'aeForward'
        ? { run: (ks) => ks.aeForward(args).out, args, flops, elements: size * size, reductionLength: size }
        : { run: (ks) => ks.aeBackward(args).gradW, args, flops, elements: size * size, reductionLength: 2 * size };
    }
    case 'elementwise': {
      const x = fill(size * size);
      return { run: (ks) => ks.elementwise({ op: 'erf', x }), flops: 0, elements: size * size, reductionLength: 16 };
    }
    case 'sparseEncode':
    case 'sparseGradient': {
      const rows = size;
      const cols = size;
      const outputs = Math.max(8, size >> 3);
      const x = new Float64Array(rows * cols);
      const nz = new Int32Array(rows * cols);
      const counts = new Int32Array(rows);
      // The toy model's own minibatch (each feature nonzero with probability p, then U[0, 1)).
      sampleBatch(rows, cols, BENCH_DENSITY, rng, x, nz, counts);
      let nnz = 0;
      for (let s = 0; s < rows; s++) nnz += counts[s];
      const base = { rows, cols, outputs, x, nz, counts };
      const w = fill(outputs * cols);
      const g = fill(rows * outputs);
      return {
        run: (ks) => (kernel === 'sparseEncode' ? ks.sparseEncode({ ...base, w }) : ks.sparseGradient({ ...base, g })),
        flops: 2 * nnz * outputs,
        elements: nnz,
        // The longest row (encoder) or column (gradient): a few times the mean p·size.
        reductionLength: Math.ceil(4 * BENCH_DENSITY * size) + 8,
      };
    }
    case 'reduce': {
      const x = fill(size * size);
      return {
        run: (ks) => ks.reduce({ op: 'sumSquares', x, rows: size, cols: size, axis: 'rows' }),
        flops: 0,
        elements: size * size,
        reductionLength: size,
      };
    }
  }
}

/** Runs the kernel benchmarks and returns one row per (kernel, backend, size), plus one per unavailable backend. */
export async function runKernelBench(options: KernelBenchOptions = {}): Promise<BenchRow[]> {
  const kernels = options.kernels ?? BENCH_KERNELS;
  const sizes = options.sizes ?? [64, 128, 256, 512];
  const statuses = await probeBackends();
  const wanted = options.backends ?? statuses.map((s) => s.id);
  const rows: BenchRow[] = [];
  const emit = (row: BenchRow) => {
    rows.push(row);
    options.onRow?.(row);
  };
  const reference = await getKernelSet('reference');
  for (const id of wanted) {
    const status = statuses.find((s) => s.id === id);
    if (!status?.available) {
      emit({
        status: 'unavailable',
        backend: id,
        reason: status && !status.available ? status.reason : 'unknown backend',
      });
      continue;
    }
    const ks = await getKernelSet(id);
    for (const kernel of kernels) {
      for (const size of sizes) {
        const w = workload(kernel, size);
        const got = w.run(ks);
        const want = w.run(reference);
        const relativeError = frobeniusRelativeError(got, want);
        const allowed = allowedError(ks, w.reductionLength);
        if (!(relativeError <= allowed)) {
          emit({ status: 'wrong', kernel, backend: id, size, relativeError, allowed });
          continue;
        }
        const bench = new Bench({ time: options.timeMs ?? 300, warmupIterations: 2, iterations: 3 });
        bench.add(`${kernel}/${id}/${size}`, () => {
          w.run(ks);
        });
        await bench.run();
        const task = bench.tasks[0];
        const result = task.result as unknown as
          | { latency?: { p50?: number; mean?: number; samplesCount?: number }; state?: string }
          | undefined;
        const ms = result?.latency?.p50 ?? result?.latency?.mean ?? Number.NaN;
        const seconds = ms / 1000;
        const gemmLike = kernel !== 'elementwise' && kernel !== 'reduce';
        emit({
          status: 'ok',
          kernel,
          backend: id,
          ranOn: ks.route(kernel, w.args),
          reason: ks.reasons[kernel],
          size,
          seconds,
          relativeError,
          rate: gemmLike ? w.flops / seconds / 1e9 : w.elements / seconds / 1e6,
          rateUnit: gemmLike ? 'GFLOP/s' : 'Melem/s',
          samples: result?.latency?.samplesCount ?? 0,
        });
      }
    }
  }
  return rows;
}
